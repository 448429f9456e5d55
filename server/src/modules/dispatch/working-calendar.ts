// Working time on China's official calendar: weekends and statutory holidays are
// off, make-up working days (调休) are on. Sources, in precedence order: a city
// admin's entry (typed, or imported from the State Council's yearly notice); the
// calendar package, for the years it has; the law (statutory-holidays.ts) for
// any other year: the statutory holidays off, weekends off, no make-up days (the
// 调休 exists only in the notice), with one warning per year.
import calendarData from 'chinese-days/dist/chinese-days.json';
import type { CalendarDayKind, CalendarDayView } from '@xinyuan/shared';
import { statutoryHoliday } from './statutory-holidays';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export interface WorkingHours {
  workStartMinute: number;
  workEndMinute: number;
  utcOffsetMinutes: number;
}

interface PackageData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const PKG = calendarData as unknown as PackageData;
const PKG_YEARS = (() => {
  const years = Object.keys(PKG.holidays).map((d) => Number(d.slice(0, 4)));
  return { min: Math.min(...years), max: Math.max(...years) };
})();

export class WorkingCalendar {
  private readonly warned = new Set<number>();
  /** Years with city admins' entries: no "no arrangement" warning for them. */
  private readonly adminYears: Set<number>;
  private readonly dayCache = new Map<number, boolean>();

  constructor(
    private readonly hours: WorkingHours,
    private readonly overrides: ReadonlyMap<string, { kind: CalendarDayKind; note: string | null }> = new Map(),
    private readonly warn: (msg: string) => void = () => undefined,
  ) {
    this.adminYears = new Set([...overrides.keys()].map((d) => Number(d.slice(0, 4))));
  }

  /** Whether city admins entered any day of the year. */
  hasAdminEntries(year: number): boolean {
    return this.adminYears.has(year);
  }

  static packageYears(): { min: number; max: number } {
    return PKG_YEARS;
  }

  /** How a local date (YYYY-MM-DD) counts, and why. */
  describe(day: string): CalendarDayView {
    const o = this.overrides.get(day);
    if (o) return { day, kind: o.kind, note: o.note, source: 'admin' };
    const year = Number(day.slice(0, 4));
    if (hasPackageYear(year)) {
      if (PKG.holidays[day]) return { day, kind: 'holiday', note: holidayName(PKG.holidays[day]), source: 'package' };
      if (PKG.workdays[day]) return { day, kind: 'workday', note: `${holidayName(PKG.workdays[day])}调休上班`, source: 'package' };
      return { day, kind: isWeekend(day) ? 'holiday' : 'workday', note: null, source: 'package' };
    }
    if (!this.warned.has(year) && !this.adminYears.has(year)) {
      this.warned.add(year);
      this.warn(`calendar package has no ${year} arrangement; counting the law's statutory holidays and plain weekends (no make-up working days) until city admins enter the notice`);
    }
    const statutory = statutoryHoliday(day);
    if (statutory) return { day, kind: 'holiday', note: statutory, source: 'law' };
    return { day, kind: isWeekend(day) ? 'holiday' : 'workday', note: null, source: 'weekday' };
  }

  isWorkday(day: string): boolean {
    return this.describe(day).kind === 'workday';
  }

  /** The instant `minutes` of working time after `start`. */
  addWorking(start: Date, minutes: number): Date {
    const off = this.hours.utcOffsetMinutes * MINUTE_MS;
    let t = start.getTime() + off; // local wall time as epoch ms
    let left = minutes * MINUTE_MS;
    for (let guard = 0; guard < 3 * 366; guard++) {
      const dayStart = Math.floor(t / DAY_MS) * DAY_MS;
      if (this.isWorkdayAt(dayStart)) {
        const open = dayStart + this.hours.workStartMinute * MINUTE_MS;
        const close = dayStart + this.hours.workEndMinute * MINUTE_MS;
        if (t < open) t = open;
        if (t < close) {
          if (left <= close - t) return new Date(t + left - off);
          left -= close - t;
        }
      }
      t = dayStart + DAY_MS;
    }
    throw new Error(`working time of ${minutes} minutes does not fit in three years from ${start.toISOString()}`);
  }

  /** Clock time, for urgent wishes. */
  addClock(start: Date, minutes: number): Date {
    return new Date(start.getTime() + minutes * MINUTE_MS);
  }

  /** The local date (YYYY-MM-DD) of an instant. */
  localDay(d: Date): string {
    return new Date(d.getTime() + this.hours.utcOffsetMinutes * MINUTE_MS).toISOString().slice(0, 10);
  }

  private isWorkdayAt(localDayStartMs: number): boolean {
    let v = this.dayCache.get(localDayStartMs);
    if (v === undefined) {
      v = this.isWorkday(new Date(localDayStartMs).toISOString().slice(0, 10));
      this.dayCache.set(localDayStartMs, v);
    }
    return v;
  }

  /**
   * Whole minutes of working time from `a` to `b` (0 when `b` is not after `a`); the inverse of
   * addWorking: addWorking(a, workingMinutesBetween(a, b)) is never after b. Rounded down, so a
   * window measured and then restarted from this figure never grows.
   */
  workingMinutesBetween(a: Date, b: Date): number {
    const off = this.hours.utcOffsetMinutes * MINUTE_MS;
    const end = b.getTime() + off;
    let t = a.getTime() + off;
    let ms = 0;
    while (t < end) {
      const dayStart = Math.floor(t / DAY_MS) * DAY_MS;
      if (this.isWorkdayAt(dayStart)) {
        const from = Math.max(t, dayStart + this.hours.workStartMinute * MINUTE_MS);
        const to = Math.min(end, dayStart + this.hours.workEndMinute * MINUTE_MS);
        if (to > from) ms += to - from;
      }
      t = dayStart + DAY_MS;
    }
    return Math.floor(ms / MINUTE_MS);
  }
}

/** Whether the calendar package has the year's arrangement. */
export function hasPackageYear(year: number): boolean {
  return year >= PKG_YEARS.min && year <= PKG_YEARS.max;
}

export function isWeekend(day: string): boolean {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6;
}

/** "Spring Festival,春节,4" → 春节 */
function holidayName(entry: string): string {
  return entry.split(',')[1] ?? entry;
}
