import { statutoryHoliday, statutoryHolidays } from './statutory-holidays';

// Expected dates typed by hand from published calendars, never computed here.
// The law (全国年节及纪念日放假办法, revised 2024, in force 2025-01-01): 元旦 1 Jan; 春节 除夕 and
// 正月初一–初三; 清明 the solar term's day; 劳动节 1–2 May; 端午 五月初五; 中秋 八月十五; 国庆 1–3 Oct.
const list = (year: number) => statutoryHolidays(year).map((d) => `${d.day} ${d.name}`);

describe('statutory holidays by law', () => {
  it('gives every statutory holiday of 2027', () => {
    // 2027: 除夕 Fri 02-05, 正月初一 Sat 02-06; 清明 Mon 04-05; 端午 Wed 06-09; 中秋 Wed 09-15.
    expect(list(2027)).toEqual([
      '2027-01-01 元旦',
      '2027-02-05 春节',
      '2027-02-06 春节',
      '2027-02-07 春节',
      '2027-02-08 春节',
      '2027-04-05 清明节',
      '2027-05-01 劳动节',
      '2027-05-02 劳动节',
      '2027-06-09 端午节',
      '2027-09-15 中秋节',
      '2027-10-01 国庆节',
      '2027-10-02 国庆节',
      '2027-10-03 国庆节',
    ]);
  });

  it('gives every statutory holiday of 2028', () => {
    // 2028: 除夕 Tue 01-25, 正月初一 Wed 01-26; 清明 Tue 04-04; 端午 Sun 05-28; 中秋 Tue 10-03 (inside 国庆).
    expect(list(2028)).toEqual([
      '2028-01-01 元旦',
      '2028-01-25 春节',
      '2028-01-26 春节',
      '2028-01-27 春节',
      '2028-01-28 春节',
      '2028-04-04 清明节',
      '2028-05-01 劳动节',
      '2028-05-02 劳动节',
      '2028-05-28 端午节',
      '2028-10-01 国庆节',
      '2028-10-02 国庆节',
      '2028-10-03 国庆节、中秋节',
    ]);
  });

  it('agrees with the published 2025 and 2026 notices on the law days they contain', () => {
    // 2025 notice: 除夕 01-28 (周二) ... 清明 04-04, 端午 05-31, 中秋 10-06 (inside 国庆节、中秋节 10-01..08).
    expect(list(2025)).toEqual([
      '2025-01-01 元旦',
      '2025-01-28 春节',
      '2025-01-29 春节',
      '2025-01-30 春节',
      '2025-01-31 春节',
      '2025-04-04 清明节',
      '2025-05-01 劳动节',
      '2025-05-02 劳动节',
      '2025-05-31 端午节',
      '2025-10-01 国庆节',
      '2025-10-02 国庆节',
      '2025-10-03 国庆节',
      '2025-10-06 中秋节',
    ]);
    // 2026: 除夕 02-16 (a 29-day twelfth month: the day before 正月初一 02-17), 清明 04-05, 端午 06-19, 中秋 09-25.
    expect(statutoryHoliday('2026-02-16')).toBe('春节');
    expect(statutoryHoliday('2026-02-15')).toBeNull();
    expect(statutoryHoliday('2026-04-05')).toBe('清明节');
    expect(statutoryHoliday('2026-06-19')).toBe('端午节');
    expect(statutoryHoliday('2026-09-25')).toBe('中秋节');
  });

  it('uses the 2013 text before 2025: no 除夕, one day of 劳动节', () => {
    // 2024: 正月初一 02-10; 除夕 02-09 was not a statutory day; 5 May 2 was not either.
    expect(statutoryHoliday('2024-02-09')).toBeNull();
    expect(statutoryHoliday('2024-02-10')).toBe('春节');
    expect(statutoryHoliday('2024-05-02')).toBeNull();
    expect(statutoryHolidays(2024)).toHaveLength(11);
  });

  it('names a plain day null', () => {
    expect(statutoryHoliday('2027-01-04')).toBeNull();
    expect(statutoryHoliday('2027-10-04')).toBeNull();
  });
});
