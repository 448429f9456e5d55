// One home for local time: every day, month, year and wall-clock stamp the server
// computes (the ledger's periods, the rollups' days, fund years, pairing dates,
// file names, notices) is in the working time zone, WORK_TIMEZONE (default
// Asia/Shanghai, UTC+8; China has no daylight saving, so a fixed offset is exact).
//
// The offset is process-wide configuration: createApp and the CLI set it from the
// config once at start-up (configureWorkTime); until then it is +8 hours. These are
// plain functions, not a service, because the sweeper and the rollups call them per
// wish and the SQL builders need them outside any request.

const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

let offsetMinutes = 480;
let offsetMs = offsetMinutes * MINUTE_MS;

/** Sets the working time zone's offset from UTC, in minutes (from config.dispatch.utcOffsetMinutes). */
export function configureWorkTime(utcOffsetMinutes: number): void {
  offsetMinutes = utcOffsetMinutes;
  offsetMs = utcOffsetMinutes * MINUTE_MS;
}

export function workOffsetMinutes(): number {
  return offsetMinutes;
}

const two = (n: number) => (n < 10 ? '0' : '') + n;

/** The local wall time of an instant as a UTC-fields Date (read it with getUTC*). */
function wall(d: Date): Date {
  return new Date(d.getTime() + offsetMs);
}

/** The local calendar day 'YYYY-MM-DD' (arithmetic, not toISOString: the sweeper calls this per wish). */
export function localDay(d: Date): string {
  const x = wall(d);
  return `${x.getUTCFullYear()}-${two(x.getUTCMonth() + 1)}-${two(x.getUTCDate())}`;
}

/** The local calendar month 'YYYY-MM'. */
export function localMonth(d: Date): string {
  const x = wall(d);
  return `${x.getUTCFullYear()}-${two(x.getUTCMonth() + 1)}`;
}

/** The local calendar year (the fund year, the ranking year). */
export function localYear(d: Date): number {
  return wall(d).getUTCFullYear();
}

/** The local day as 'YYYYMMDD' (file names, wish numbers). */
export function localDayCompact(d: Date): string {
  return localDay(d).replace(/-/g, '');
}

/** Local wall time 'YYYY-MM-DD HH:mm'. */
export function localMinute(d: Date): string {
  return wall(d).toISOString().slice(0, 16).replace('T', ' ');
}

/** Whether 'YYYY-MM-DD' names a day that exists (not 2027-02-30). */
export function isRealDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const t = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === day;
}

/** The instant a local day 'YYYY-MM-DD' starts (null for a day that does not exist). */
export function localDayStart(day: string): Date | null {
  if (!isRealDay(day)) return null;
  return new Date(Date.parse(`${day}T00:00:00Z`) - offsetMs);
}

/** The instant a local month 'YYYY-MM' starts. */
export function localMonthStart(month: string): Date {
  return new Date(Date.parse(`${month}-01T00:00:00Z`) - offsetMs);
}

/** The local day after 'YYYY-MM-DD'. */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** The local month 'YYYY-MM' after the given one. */
export function nextMonth(m: string): string {
  const [y, mo] = m.split('-').map(Number);
  return mo === 12 ? `${y + 1}-01` : `${y}-${two(mo + 1)}`;
}

/** Day of the week of 'YYYY-MM-DD' (0 = Sunday). */
export function weekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

// ---- the same in SQL, for both dialects (UTC datetime columns)

/** The local calendar day 'YYYY-MM-DD' of a UTC datetime column. */
export function sqlLocalDay(sqlite: boolean, col: string): string {
  return sqlite ? `strftime('%Y-%m-%d', ${col}, '${offsetMinutes >= 0 ? '+' : ''}${offsetMinutes} minutes')` : `DATE_FORMAT(DATE_ADD(${col}, INTERVAL ${offsetMinutes} MINUTE), '%Y-%m-%d')`;
}

/** The local calendar month 'YYYY-MM' of a UTC datetime column. */
export function sqlLocalMonth(sqlite: boolean, col: string): string {
  return sqlite ? `strftime('%Y-%m', ${col}, '${offsetMinutes >= 0 ? '+' : ''}${offsetMinutes} minutes')` : `DATE_FORMAT(DATE_ADD(${col}, INTERVAL ${offsetMinutes} MINUTE), '%Y-%m')`;
}
