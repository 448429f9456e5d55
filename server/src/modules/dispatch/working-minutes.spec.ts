// WorkingCalendar.workingMinutesBetween: the time left of a claim window (DOMAIN.md "Windows").
// Expected minutes counted by hand on the 2026 calendar, 09:00–18:00 Beijing time.
import { WorkingCalendar } from './working-calendar';

const hours = { workStartMinute: 9 * 60, workEndMinute: 18 * 60, utcOffsetMinutes: 480 };
const bj = (s: string) => new Date(`${s}:00+08:00`);

describe('working minutes between two instants', () => {
  const cal = new WorkingCalendar(hours);
  const between = (a: string, b: string) => cal.workingMinutesBetween(bj(a), bj(b));

  it('counts inside one working day', () => {
    expect(between('2026-11-25T10:00', '2026-11-25T12:30')).toBe(150);
  });
  it('counts nothing outside working hours, and nothing backwards', () => {
    expect(between('2026-11-25T18:00', '2026-11-26T09:00')).toBe(0);
    expect(between('2026-11-25T20:00', '2026-11-25T22:00')).toBe(0);
    expect(between('2026-11-25T12:00', '2026-11-25T10:00')).toBe(0);
    expect(between('2026-11-25T12:00', '2026-11-25T12:00')).toBe(0);
  });
  it('carries over the night: Mon 14:00 to Tue 10:00 is 4 h + 1 h', () => {
    expect(between('2026-11-23T14:00', '2026-11-24T10:00')).toBe(300);
    // Starting at night counts from the next opening.
    expect(between('2026-11-23T22:00', '2026-11-24T10:00')).toBe(60);
    expect(between('2026-11-24T07:00', '2026-11-24T10:00')).toBe(60);
  });
  it('skips the weekend: Fri 16:00 to Mon 10:00 is 2 h + 1 h; from Saturday only Monday counts', () => {
    expect(between('2026-11-27T16:00', '2026-11-30T10:00')).toBe(180);
    expect(between('2026-11-28T12:00', '2026-11-30T10:00')).toBe(60);
  });
  it('skips National Day (Oct 1–7) and counts the make-up Saturday Oct 10', () => {
    expect(between('2026-09-30T15:00', '2026-10-08T10:00')).toBe(240);
    // Fri Oct 9 17:00 to Mon Oct 12 10:00: 1 h Friday, 9 h on the make-up Saturday, 1 h Monday.
    expect(between('2026-10-09T17:00', '2026-10-12T10:00')).toBe(660);
  });
  it('rounds down to whole minutes', () => {
    expect(cal.workingMinutesBetween(new Date(bj('2026-11-25T10:00').getTime() + 30_000), bj('2026-11-25T10:02'))).toBe(1);
  });
  it('is the inverse of addWorking', () => {
    for (const [from, m] of [['2026-11-27T16:00', 180], ['2026-09-30T17:00', 600], ['2026-11-25T22:30', 61]] as const) {
      expect(cal.workingMinutesBetween(bj(from), cal.addWorking(bj(from), m))).toBe(m);
    }
  });
});
