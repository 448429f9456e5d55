import { parseLedgerSearch, phoneDigits } from './ledger-search';

describe('the ledger search box (issue 15: by number, title or beneficiary phone)', () => {
  it('reads a wish number as its id and submission day, in either case', () => {
    expect(parseLedgerSearch('XY20261130000042')).toEqual({ kind: 'no', id: 42, day: '2026-11-30' });
    expect(parseLedgerSearch(' xy20261130001234567 ')).toEqual({ kind: 'no', id: 1234567, day: '2026-11-30' });
  });

  it('reads seven digits or more, as people type phones, as a phone', () => {
    expect(parseLedgerSearch('13812341234')).toEqual({ kind: 'phone', digits: '13812341234' });
    expect(parseLedgerSearch('138 1234-1234')).toEqual({ kind: 'phone', digits: '13812341234' });
    expect(parseLedgerSearch('+86 138 1234 1234')).toEqual({ kind: 'phone', digits: '13812341234' });
    expect(parseLedgerSearch('(0971) 8123456')).toEqual({ kind: 'phone', digits: '09718123456' });
    expect(phoneDigits('0086 13812341234')).toBe('13812341234');
  });

  it('reads anything else as a part of the title; nothing as no search', () => {
    expect(parseLedgerSearch('楼道灯')).toEqual({ kind: 'title', text: '楼道灯' });
    expect(parseLedgerSearch('123456')).toEqual({ kind: 'title', text: '123456' });
    expect(parseLedgerSearch('XY2026')).toEqual({ kind: 'title', text: 'XY2026' });
    expect(parseLedgerSearch('   ')).toBeNull();
    expect(parseLedgerSearch(undefined)).toBeNull();
  });
});
