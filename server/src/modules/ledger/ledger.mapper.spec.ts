import { bjTime, csvField, csvLine, daysTaken } from './ledger.mapper';
import { localPeriod } from './ledger.service';

describe('ledger export cells', () => {
  it('quotes CSV fields only when needed (RFC 4180)', () => {
    expect(csvField('楼道灯')).toBe('楼道灯');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('说"好"')).toBe('"说""好"""');
    expect(csvField('两行\n文字')).toBe('"两行\n文字"');
    expect(csvField(2.5)).toBe('2.5');
    expect(csvLine(['a', 1, ''])).toBe('a,1,\r\n');
  });

  it('neutralises text that a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(-3)).toBe('-3'); // numbers are left alone
  });

  it('writes times in Beijing wall time and days taken to one decimal', () => {
    expect(bjTime(new Date('2026-11-23T16:30:00Z'))).toBe('2026-11-24 00:30');
    expect(bjTime(null)).toBe('');
    expect(daysTaken({ createdAt: new Date('2026-11-01T00:00:00Z'), resolvedAt: new Date('2026-11-03T12:00:00Z') })).toBe(2.5);
    expect(daysTaken({ createdAt: new Date('2026-11-01T00:00:00Z'), resolvedAt: null })).toBeNull();
  });

  it('turns inclusive Beijing days into a half-open instant range', () => {
    expect(localPeriod('2026-11-01', '2026-11-30')).toEqual({ from: new Date('2026-10-31T16:00:00Z'), to: new Date('2026-11-30T16:00:00Z') });
    expect(() => localPeriod('2026-02-30', undefined)).toThrow();
    expect(() => localPeriod('2026-11-02', '2026-11-01')).toThrow();
  });
});
