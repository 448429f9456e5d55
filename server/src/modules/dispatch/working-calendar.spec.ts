import { WorkingCalendar } from './working-calendar';

const hours = { workStartMinute: 9 * 60, workEndMinute: 18 * 60, utcOffsetMinutes: 480 };
/** Beijing wall time → Date */
const bj = (s: string) => new Date(`${s}+08:00`);
const fmt = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('working calendar', () => {
  const cal = new WorkingCalendar(hours);

  it('counts working minutes inside one day', () => {
    expect(fmt(cal.addWorking(bj('2026-11-25T10:00:00'), 120))).toBe('2026-11-25 12:00');
  });
  it('carries over the evening into the next working morning', () => {
    // Wed 16:00 + 4h: 2h on Wednesday, 2h on Thursday.
    expect(fmt(cal.addWorking(bj('2026-11-25T16:00:00'), 240))).toBe('2026-11-26 11:00');
  });
  it('starts a window opened at night at the next opening', () => {
    expect(fmt(cal.addWorking(bj('2026-11-25T22:30:00'), 60))).toBe('2026-11-26 10:00');
    expect(fmt(cal.addWorking(bj('2026-11-26T07:00:00'), 60))).toBe('2026-11-26 10:00');
  });
  it('skips the weekend', () => {
    // Fri 2026-11-27 17:00 + 2h → Mon 10:00
    expect(fmt(cal.addWorking(bj('2026-11-27T17:00:00'), 120))).toBe('2026-11-30 10:00');
  });
  it('skips the National Day holiday and works the make-up Saturday', () => {
    // Wed 2026-09-30 17:00 + 2 working hours: Oct 1–7 are off, Oct 8 (Thu) is a working day.
    expect(fmt(cal.addWorking(bj('2026-09-30T17:00:00'), 120))).toBe('2026-10-08 10:00');
    // Sat 2026-10-10 is a make-up working day (调休).
    expect(cal.describe('2026-10-10')).toMatchObject({ kind: 'workday', source: 'package' });
    expect(fmt(cal.addWorking(bj('2026-10-09T17:00:00'), 120))).toBe('2026-10-10 10:00');
    expect(cal.describe('2026-10-03')).toMatchObject({ kind: 'holiday', note: '国庆节' });
  });
  it("counts the law's statutory holidays and plain weekends, with one warning, outside the package years", () => {
    const warnings: string[] = [];
    const c = new WorkingCalendar(hours, new Map(), (m) => warnings.push(m));
    // 2027-01-01 (Fri) is 元旦 by law; 2027-01-04 (Mon) a plain working day; no make-up days without the notice.
    expect(c.describe('2027-01-01')).toEqual({ day: '2027-01-01', kind: 'holiday', note: '元旦', source: 'law' });
    expect(c.describe('2027-01-04')).toEqual({ day: '2027-01-04', kind: 'workday', note: null, source: 'weekday' });
    expect(c.isWorkday('2027-01-02')).toBe(false);
    expect(c.describe('2027-10-01')).toMatchObject({ kind: 'holiday', note: '国庆节', source: 'law' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('2027');
    expect(warnings[0]).toContain("law's statutory holidays");
    // Thu 2026-12-31 17:00 + one working day of 9 h (class B, tier 1): 1 h on Thursday; Fri 1 Jan is 元旦,
    // then the weekend; the other 8 h on Mon 2027-01-04, 09:00–17:00.
    expect(fmt(c.addWorking(bj('2026-12-31T17:00:00'), 540))).toBe('2027-01-04 17:00');
  });
  it('keeps the package first for the years it has (a 2026 make-up Saturday is a working day whatever the weekday rule says)', () => {
    // Sat 2026-02-14 and Sun 2026-09-20 are make-up working days of the 2026 notice.
    expect(cal.describe('2026-02-14')).toMatchObject({ kind: 'workday', source: 'package' });
    expect(cal.describe('2026-09-20')).toMatchObject({ kind: 'workday', source: 'package' });
    // Mon 2026-02-23 is off by the notice (春节), not by the law.
    expect(cal.describe('2026-02-23')).toMatchObject({ kind: 'holiday', source: 'package' });
  });
  it('lets city admins override the package and the fallback', () => {
    const c = new WorkingCalendar(
      hours,
      new Map([
        ['2027-01-01', { kind: 'holiday' as const, note: '元旦' }],
        ['2026-11-28', { kind: 'workday' as const, note: '测试调休' }],
      ]),
    );
    expect(c.describe('2027-01-01')).toEqual({ day: '2027-01-01', kind: 'holiday', note: '元旦', source: 'admin' });
    // Thu 2026-12-31 17:00 + 2h skips the entered holiday, then the weekend → Mon 2027-01-04 10:00.
    expect(fmt(c.addWorking(bj('2026-12-31T17:00:00'), 120))).toBe('2027-01-04 10:00');
    expect(fmt(c.addWorking(bj('2026-11-27T17:00:00'), 120))).toBe('2026-11-28 10:00');
  });
  it('counts clock time for urgent wishes', () => {
    expect(fmt(cal.addClock(bj('2026-10-01T23:00:00'), 120))).toBe('2026-10-02 01:00');
  });
});
