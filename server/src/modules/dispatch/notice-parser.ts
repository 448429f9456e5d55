// Reads the State Council's yearly holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知)
// as a city admin pastes it. The notice's usual form, one item per holiday:
//   一、元旦：1月1日（周三）放假1天，不调休。
//   二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
//   六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
// Older notices also wrote "4月5日放假，4月7日（星期一）补休" and "2018年12月30日至2019年1月1日".
// Pure: what was understood, what was not, and what looks wrong; nothing is saved here.
import type { CalendarDayKind, NoticeDay } from '@xinyuan/shared';

export interface ParsedNotice {
  /** The year the notice is for (null: not found); `years` lists every candidate found. */
  year: number | null;
  years: number[];
  days: NoticeDay[];
  unparsed: string[];
  warnings: string[];
  /** Weekdays written next to dates, and how many of them do not match (most wrong: the year is wrong). */
  weekdays: { checked: number; wrong: number };
}

interface Ctx {
  warnings: string[];
  weekdays: { checked: number; wrong: number };
}

const DAY_MS = 86_400_000;
const WEEKDAYS = '日一二三四五六';
const HOLIDAY_WORDS = /元旦|春节|清明|劳动|五一|端午|中秋|国庆/;
// A date with its optional year and the parenthesis after it: 2018年12月30日（星期日）, 2月5日（农历除夕、周五）.
const DATE = /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(\([^)]*\))?/g;

/** Full-width digits and punctuation to plain ones; spaces out. */
export function normalise(text: string): string {
  return text
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/：/g, ':')
    .replace(/，/g, ',')
    .replace(/；/g, ';')
    .replace(/[—–~～]/g, '至')
    .replace(/[ \t\u3000\u00a0]+/g, '')
    .replace(/\r\n?/g, '\n');
}

/** The year(s) the notice says it is for: its title and its "现将YYYY年元旦、春节…" sentence. */
function noticeYears(text: string): number[] {
  const found = new Set<number>();
  for (const re of [/关于(\d{4})年(?:部分)?节假日安排/g, /现将(\d{4})年(?:元旦|春节|部分)/g, /(\d{4})年(?:部分)?节假日安排/g]) {
    for (const m of text.matchAll(re)) found.add(Number(m[1]));
  }
  return [...found].sort();
}

interface Item {
  holiday: string;
  body: string;
}

/** Splits the text at item headings ("一、元旦:", "春节:"); text before the first heading is the preamble. */
function items(text: string): Item[] {
  const heading = /(?:^|[\n。;])\s*(?:[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．])?([^\n。;:,、()]{1,8}(?:、[^\n。;:,、()]{1,8})*):/g;
  const heads: { holiday: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(heading)) {
    const name = m[1];
    if (!HOLIDAY_WORDS.test(name) || /\d/.test(name)) continue;
    heads.push({ holiday: name.replace(/^[一二三四五六七八九十\d]+[、.．]/, '').replace(/^五一$/, '劳动节'), start: m.index!, end: m.index! + m[0].length });
  }
  return heads.map((h, i) => ({ holiday: h.holiday, body: text.slice(h.end, i + 1 < heads.length ? heads[i + 1].start : text.length) }));
}

export function parseNotice(raw: string, givenYear?: number): ParsedNotice {
  const text = normalise(raw);
  const years = noticeYears(text);
  if (givenYear !== undefined && !years.includes(givenYear)) years.push(givenYear);
  const year = years.length === 1 ? years[0] : null;
  const days = new Map<string, NoticeDay>();
  const unparsed: string[] = [];
  const warnings: string[] = [];
  const ctx: Ctx = { warnings, weekdays: { checked: 0, wrong: 0 } };
  if (year === null) return { year, years, days: [], unparsed, warnings, weekdays: ctx.weekdays };

  const put = (day: string, kind: CalendarDayKind, holiday: string) => {
    const had = days.get(day);
    if (had && had.kind !== kind) warnings.push(`${day} 在通知中既是放假日又是上班日（${had.holiday}、${holiday}），请核对`);
    if (!had) days.set(day, { day, kind, holiday });
  };

  for (const item of items(text)) {
    for (const sentence of item.body.split(/[。\n;]/).map((s) => s.trim()).filter(Boolean)) {
      if (!/\d{1,2}日/.test(sentence)) continue; // prose
      if (/^\d{4}年\d{1,2}月\d{1,2}日$/.test(sentence)) continue; // the notice's own date, under the signature
      const understood = readSentence(sentence, year, item.holiday, put, ctx);
      if (!understood) unparsed.push(display(sentence));
    }
  }
  const list = [...days.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
  for (const d of list) {
    const y = Number(d.day.slice(0, 4));
    if (y !== year && !(y === year - 1 && d.day >= `${year - 1}-12-01`) && !(y === year + 1 && d.day <= `${year + 1}-01-31`)) {
      warnings.push(`${d.day}（${d.holiday}）不在 ${year} 年前后，请核对年份`);
    }
  }
  return { year, years, days: list, unparsed, warnings, weekdays: ctx.weekdays };
}

/** One sentence of an item: holidays (放假, 补休) or make-up working days (上班). False when not understood. */
function readSentence(s: string, year: number, holiday: string, put: (day: string, kind: CalendarDayKind, holiday: string) => void, ctx: Ctx): boolean {
  const { warnings } = ctx;
  if (/上班/.test(s) && !/放假|补休/.test(s)) {
    const dates = [...s.matchAll(DATE)];
    if (dates.length === 0) return false;
    // Only dates joined by 、 or 和 before 上班: anything else in between is not the usual form.
    const rest = s.replace(DATE, '').replace(/[、,和及]/g, '');
    if (rest !== '上班') return false;
    for (const m of dates) {
      const day = ymd(m[1] ? Number(m[1]) : year, Number(m[2]), Number(m[3]));
      if (!day) return false;
      checkWeekday(day, m[4], ctx);
      put(day, 'workday', holiday);
    }
    return true;
  }
  if (/放假|补休/.test(s)) {
    let any = false;
    // "A至B放假…共N天", "A放假1天", "A放假,B补休", "A放假,与周末连休"
    const clauses = s.split(',');
    let lastRange: string[] = [];
    for (const clause of clauses) {
      if (/^(?:不调休|与周末连休|共\d+天|放假调休|放假)$/.test(clause)) {
        const total = /^共(\d+)天$/.exec(clause);
        if (total && lastRange.length && Number(total[1]) !== lastRange.length) {
          warnings.push(`${holiday}：${lastRange[0]} 至 ${lastRange[lastRange.length - 1]} 是 ${lastRange.length} 天，通知写"共${total[1]}天"，请核对`);
        }
        continue;
      }
      const m = /^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(\([^)]*\))?(?:至(?:(?:(\d{4})年)?(\d{1,2})月)?(\d{1,2})日(\([^)]*\))?)?(放假调休|放假|补休)(?:(\d+)天)?$/.exec(clause);
      if (!m) return false;
      const from = ymd(m[1] ? Number(m[1]) : year, Number(m[2]), Number(m[3]));
      if (!from) return false;
      checkWeekday(from, m[4], ctx);
      let to = from;
      if (m[7]) {
        const toYear = m[5] ? Number(m[5]) : m[6] ? (Number(m[6]) < Number(m[2]) && !m[5] ? Number(from.slice(0, 4)) + 1 : Number(from.slice(0, 4))) : Number(from.slice(0, 4));
        const toMonth = m[6] ? Number(m[6]) : Number(m[2]);
        const t = ymd(toYear, toMonth, Number(m[7]));
        if (!t || t < from) return false;
        checkWeekday(t, m[8], ctx);
        to = t;
      }
      const range: string[] = [];
      for (let d = from; d <= to; d = shift(d, 1)) range.push(d);
      if (range.length > 15) return false;
      if (m[10] && Number(m[10]) !== range.length) warnings.push(`${holiday}：${from} 起 ${range.length} 天，通知写"${m[9]}${m[10]}天"，请核对`);
      for (const d of range) put(d, 'holiday', holiday);
      lastRange = range;
      any = true;
    }
    return any;
  }
  return false;
}

/** "(农历除夕、周五)" or "(星期日)": warn when the weekday does not match the date (a typo, or the wrong year). */
function checkWeekday(day: string, paren: string | undefined, ctx: Ctx): void {
  const m = paren ? /(?:周|星期)([日天一二三四五六])/.exec(paren) : null;
  if (!m) return;
  const said = WEEKDAYS.indexOf(m[1] === '天' ? '日' : m[1]);
  const actual = new Date(`${day}T00:00:00Z`).getUTCDay();
  ctx.weekdays.checked++;
  if (said !== actual) ctx.weekdays.wrong++;
  if (said !== actual) ctx.warnings.push(`${day} 是星期${WEEKDAYS[actual]}，通知写的是"${m[0]}"，请核对日期和年份`);
}

/** A normalised sentence with the notice's own (full-width) punctuation back, to show people. */
function display(s: string): string {
  return s.replace(/,/g, '，').replace(/:/g, '：').replace(/\(/g, '（').replace(/\)/g, '）').replace(/;/g, '；');
}

function ymd(y: number, m: number, d: number): string | null {
  const s = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === s ? s : null;
}

function shift(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}
