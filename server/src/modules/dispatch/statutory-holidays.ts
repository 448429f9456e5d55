// Statutory holidays by law, for any year: the State Council's 全国年节及纪念日放假办法,
// Article 2 (holidays of all citizens), as revised in November 2024 and in force
// from 2025-01-01:
//   元旦 1 day (1 January); 春节 4 days (农历除夕, 正月初一 to 初三); 清明节 1 day
//   (the day of the 清明 solar term); 劳动节 2 days (1–2 May); 端午节 1 day (农历五月初五);
//   中秋节 1 day (农历八月十五); 国庆节 3 days (1–3 October).
// Before 2025 (the 2013 text): 春节 3 days (初一 to 初三, no 除夕) and 劳动节 1 day.
// Only the law's days: the make-up arrangement (调休) exists only in each year's notice.
import { Lunar } from 'lunar-javascript';

export type StatutoryHolidayName = '元旦' | '春节' | '清明节' | '劳动节' | '端午节' | '中秋节' | '国庆节';

export interface StatutoryDay {
  /** YYYY-MM-DD (the Chinese civil date). */
  day: string;
  /** The holiday; a day that is two holidays at once (中秋 on 1 October) is named 国庆节、中秋节. */
  name: string;
}

const DAY_MS = 86_400_000;
const cache = new Map<number, ReadonlyMap<string, string>>();

/** The year's statutory holidays, in date order. */
export function statutoryHolidays(year: number): StatutoryDay[] {
  return [...byDay(year)].map(([day, name]) => ({ day, name }));
}

/** The statutory holiday a date is, or null. */
export function statutoryHoliday(day: string): string | null {
  return byDay(Number(day.slice(0, 4))).get(day) ?? null;
}

function byDay(year: number): ReadonlyMap<string, string> {
  let m = cache.get(year);
  if (!m) {
    m = compute(year);
    cache.set(year, m);
  }
  return m;
}

function compute(year: number): ReadonlyMap<string, string> {
  const days: [string, StatutoryHolidayName][] = [];
  const add = (d: string, name: StatutoryHolidayName) => days.push([d, name]);
  const ymd = (m: number, d: number) => `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const revised = year >= 2025;

  add(ymd(1, 1), '元旦');
  // 正月初一 of the lunar year that starts in this Gregorian year (always 21 Jan – 20 Feb);
  // 除夕 is the day before it, whether the twelfth month has 29 or 30 days.
  const newYear = lunarToDay(year, 1, 1);
  if (revised) add(shift(newYear, -1), '春节');
  for (let i = 0; i < 3; i++) add(shift(newYear, i), '春节');
  add(qingming(year), '清明节');
  add(ymd(5, 1), '劳动节');
  if (revised) add(ymd(5, 2), '劳动节');
  add(lunarToDay(year, 5, 5), '端午节');
  // 国庆 before 中秋: a shared day is named 国庆节、中秋节, as the notices write it.
  for (const d of [1, 2, 3]) add(ymd(10, d), '国庆节');
  add(lunarToDay(year, 8, 15), '中秋节');

  const out = new Map<string, string>();
  for (const [d, name] of days.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const had = out.get(d);
    out.set(d, had && had !== name ? `${had}、${name}` : name);
  }
  return out;
}

/** The solar date of a lunar date (a regular month, never the leap one). */
function lunarToDay(lunarYear: number, month: number, day: number): string {
  return Lunar.fromYmd(lunarYear, month, day).getSolar().toYmd();
}

/** The day (Beijing) the sun reaches 15° ecliptic longitude: the 清明 solar term, 4–6 April. */
function qingming(year: number): string {
  // The table of the lunar year that starts in `year` holds this April's terms.
  const table = Lunar.fromYmd(year, 1, 1).getJieQiTable();
  const d = table['清明'].toYmd();
  if (!d.startsWith(`${year}-04-`)) throw new Error(`清明 of ${year} came out as ${d}`);
  return d;
}

function shift(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}
