import { NOTICE_2025, NOTICE_2026, NOTICE_2027 } from '../../../test/fixtures/holiday-notice';
import { parseNotice } from './notice-parser';

// Expected days typed by hand from the notices' text.
const short = (days: { day: string; kind: string; holiday: string }[]) => days.map((d) => `${d.day} ${d.kind === 'workday' ? '上班' : '放假'} ${d.holiday}`);

describe('reading the State Council holiday notice', () => {
  it('reads a 2027 notice in the usual form, item by item', () => {
    const p = parseNotice(NOTICE_2027);
    expect(p.year).toBe(2027);
    expect(p.unparsed).toEqual([]);
    expect(p.warnings).toEqual([]);
    expect(short(p.days)).toEqual([
      '2027-01-01 放假 元旦', '2027-01-02 放假 元旦', '2027-01-03 放假 元旦',
      '2027-02-05 放假 春节', '2027-02-06 放假 春节', '2027-02-07 放假 春节', '2027-02-08 放假 春节', '2027-02-09 放假 春节',
      '2027-02-10 放假 春节', '2027-02-11 放假 春节', '2027-02-12 放假 春节', '2027-02-13 放假 春节', '2027-02-14 上班 春节',
      '2027-04-03 放假 清明节', '2027-04-04 放假 清明节', '2027-04-05 放假 清明节',
      '2027-04-25 上班 劳动节',
      '2027-05-01 放假 劳动节', '2027-05-02 放假 劳动节', '2027-05-03 放假 劳动节', '2027-05-04 放假 劳动节', '2027-05-05 放假 劳动节',
      '2027-05-08 上班 劳动节',
      '2027-06-09 放假 端午节',
      '2027-09-15 放假 中秋节',
      '2027-09-26 上班 国庆节',
      '2027-10-01 放假 国庆节', '2027-10-02 放假 国庆节', '2027-10-03 放假 国庆节', '2027-10-04 放假 国庆节', '2027-10-05 放假 国庆节', '2027-10-06 放假 国庆节', '2027-10-07 放假 国庆节',
      '2027-10-09 上班 国庆节',
    ]);
  });

  it('reads the published 2025 notice: one day without 调休, a range across months, a joint item', () => {
    const p = parseNotice(NOTICE_2025);
    expect([p.year, p.unparsed, p.warnings]).toEqual([2025, [], []]);
    const s = short(p.days);
    expect(s.filter((d) => d.includes('元旦'))).toEqual(['2025-01-01 放假 元旦']);
    expect(s.filter((d) => d.includes('端午'))).toEqual(['2025-05-31 放假 端午节', '2025-06-01 放假 端午节', '2025-06-02 放假 端午节']);
    expect(s.filter((d) => d.includes('上班'))).toEqual([
      '2025-01-26 上班 春节', '2025-02-08 上班 春节', '2025-04-27 上班 劳动节', '2025-09-28 上班 国庆节、中秋节', '2025-10-11 上班 国庆节、中秋节',
    ]);
    expect(s).toContain('2025-10-08 放假 国庆节、中秋节');
    expect(p.days).toHaveLength(33); // 1 + 8 + 3 + 5 + 3 + 8 holidays, 5 working days
  });

  it('reads the published 2026 notice (a Spring Festival starting on 腊月二十八)', () => {
    const p = parseNotice(NOTICE_2026);
    expect([p.year, p.unparsed, p.warnings]).toEqual([2026, [], []]);
    expect(p.days.filter((d) => d.kind === 'workday').map((d) => d.day)).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(p.days.filter((d) => d.kind === 'holiday')).toHaveLength(33); // 3 + 9 + 3 + 5 + 3 + 3 + 7
  });

  it('reads older forms: 补休, 与周末连休, years written out, 星期, full-width digits', () => {
    const p = parseNotice(`国务院办公厅关于2019年部分节假日安排的通知
一、元旦：２０１８年１２月３０日至２０１９年１月１日放假调休，共３天。２０１８年１２月２９日（星期六）上班。
三、清明节：4月5日放假，4月7日（星期日）补休。
五、端午节：6月7日放假，与周末连休。`);
    expect(p.year).toBe(2019);
    expect(p.unparsed).toEqual([]);
    expect(short(p.days)).toEqual([
      '2018-12-29 上班 元旦', '2018-12-30 放假 元旦', '2018-12-31 放假 元旦', '2019-01-01 放假 元旦',
      '2019-04-05 放假 清明节', '2019-04-07 放假 清明节', '2019-06-07 放假 端午节',
    ]);
    expect(p.warnings).toEqual([]);
  });

  it('shows what it understood and the sentences it did not', () => {
    const p = parseNotice(`国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：从除夕那天开始放，2月5日左右，具体见另文。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。`);
    expect(p.year).toBe(2027);
    expect(short(p.days)).toEqual(['2027-01-01 放假 元旦', '2027-01-02 放假 元旦', '2027-01-03 放假 元旦', '2027-04-03 放假 清明节', '2027-04-04 放假 清明节', '2027-04-05 放假 清明节']);
    expect(p.unparsed).toEqual(['从除夕那天开始放，2月5日左右，具体见另文']);
  });

  it('understands nothing of a text that is not a notice, and finds no year in it', () => {
    const p = parseNotice('明天下午三点开会，请准时参加。');
    expect([p.year, p.days]).toEqual([null, []]);
    const q = parseNotice('国务院办公厅关于2027年部分节假日安排的通知\n请各单位遵照执行。');
    expect([q.year, q.days, q.unparsed]).toEqual([2027, [], []]);
  });

  it('tells a year given apart from the text', () => {
    expect(parseNotice(NOTICE_2027, 2028)).toMatchObject({ year: null, years: [2027, 2028] });
    expect(parseNotice(NOTICE_2027, 2027).year).toBe(2027);
    expect(parseNotice('一、元旦：1月1日（周五）放假1天。', 2027)).toMatchObject({ year: 2027, days: [{ day: '2027-01-01', kind: 'holiday', holiday: '元旦' }] });
  });

  it('warns on a weekday that does not match its date and a count that does not add up', () => {
    const p = parseNotice(`国务院办公厅关于2027年部分节假日安排的通知
二、春节：2月5日（农历除夕、周四）至13日（农历正月初八、周六）放假调休，共8天。`);
    expect(p.days).toHaveLength(9);
    expect(p.warnings).toEqual([
      '2027-02-05 是星期五，通知写的是"周四"，请核对日期和年份',
      '春节：2027-02-05 至 2027-02-13 是 9 天，通知写"共8天"，请核对',
    ]);
    expect(p.weekdays).toEqual({ checked: 2, wrong: 1 });
  });
});
