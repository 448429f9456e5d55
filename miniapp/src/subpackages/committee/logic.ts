// Pure helpers of the committee's desk: which sections the access policy
// offers this person, which scopes they may report on, filters → query, money
// and rates as people read them. Everything about who may do what comes from
// GET /me's abilities (stores/session.ts can / abilityOrgs), never from roles.
import { STATE_LABELS, WISH_CATEGORIES, WISH_STATES, type CalendarDaySource, type CalendarDayView, type FundSpendStatus, type ContentCheckView, type NoticeDay, type LedgerScopeKind, type LedgerWishItem, type LedgerWishQuery, type MeResponse, type OrgView, type RateView, type Tier, type WishCategoryCode, type WishState } from '@xinyuan/shared';
import { abilityOrgs, can, communitiesFor } from '../../stores/session';

// ---- who sees what ----

/** Communities whose review queue the person works through (community committee, grid workers). */
export function reviewCommunities(me: MeResponse | null): { id: number; name: string }[] {
  return communitiesFor(me, 'review_queue');
}

/** Communities whose member registrations (双报到) the person decides on: the community committee. */
export function registrationCommunities(me: MeResponse | null): { id: number; name: string }[] {
  return communitiesFor(me, 'registrations');
}

export interface ReportScope {
  scope: LedgerScopeKind;
  orgId: number;
  name: string;
}

/** A report scope as its chip names it (范围). */
export const SCOPE_NAMES: Record<LedgerScopeKind, string> = { city: '全市', district: '全区', street: '街道', community: '社区' };

const SCOPE_ORDER: LedgerScopeKind[] = ['city', 'district', 'street', 'community'];

/** The organisations whose rates and dashboard the person may read (the `rates` ability's), widest first. */
export function reportScopes(me: MeResponse | null): ReportScope[] {
  return abilityOrgs(me, 'rates', SCOPE_ORDER)
    .map((o) => ({ scope: o.orgKind as LedgerScopeKind, orgId: o.orgId, name: o.orgName }))
    .sort((a, b) => SCOPE_ORDER.indexOf(a.scope) - SCOPE_ORDER.indexOf(b.scope));
}

export interface DeskSections {
  /** The review queue of new wishes. */
  review: boolean;
  /** Member registrations (双报到): the community committee only. */
  members: boolean;
  /** The ledger list. */
  ledger: boolean;
  /** Export of the ledger (Excel, CSV). */
  export: boolean;
  /** The dashboard: rates of a whole organisation. */
  dashboard: boolean;
  /** Fund figures on the dashboard. */
  funds: boolean;
  /** The ledger preset on tier-2 claims, for ledgers of a community or a compound (who claim at tier 2 and assign). */
  tier2: boolean;
  /** The working calendar and the State Council notice import: city admins at the city (dispatch_policy). */
  calendar: boolean;
}

export function deskSections(me: MeResponse | null): DeskSections {
  return {
    review: can(me, 'review_queue'),
    members: can(me, 'registrations'),
    ledger: can(me, 'ledger'),
    export: can(me, 'export'),
    dashboard: reportScopes(me).length > 0,
    funds: can(me, 'funds'),
    tier2: abilityOrgs(me, 'ledger', ['community', 'compound']).length > 0,
    calendar: can(me, 'dispatch_policy'),
  };
}

/** The street, district or city ledger grants: they reach several communities to choose from. */
export function wideLedgerOrgs(me: MeResponse | null): number[] {
  return abilityOrgs(me, 'ledger', ['street', 'district', 'city']).map((o) => o.orgId);
}

/**
 * Communities under the person's street, district or city ledger grants (for the
 * ledger's community filter). A ledger of one community, compound or unit gives nothing to choose.
 */
export function communitiesInScope(orgs: OrgView[], me: MeResponse | null): { id: number; name: string }[] {
  const wide = new Set(wideLedgerOrgs(me));
  if (wide.size === 0) return [];
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const under = (o: OrgView): boolean => {
    let p: OrgView | undefined = o;
    for (let i = 0; p && i < 6; i++) {
      if (wide.has(p.id)) return true;
      p = p.parentId ? byId.get(p.parentId) : undefined;
    }
    return false;
  };
  return orgs.filter((o) => o.kind === 'community' && under(o)).map((o) => ({ id: o.id, name: o.name }));
}

// ---- review queue ----

/** What a reviewer must know about WeChat's content check; null when it passed. */
export function contentWarning(c: ContentCheckView | null | undefined): { text: string; tone: 'risky' | 'review' } | null {
  if (!c || c.result === 'pass') return null;
  const label = c.label ? `（${c.label}）` : '';
  if (c.result === 'risky') return { text: `内容疑似违规${label}，请仔细核实`, tone: 'risky' };
  if (c.result === 'review') return { text: `内容待人工核实${label}`, tone: 'review' };
  return { text: '内容未经自动检测，请人工核实', tone: 'review' };
}

/**
 * The wish a duplicate points at, from what a person types: a wish number
 * (XY + date + six-digit id, e.g. XY20261127000042) or the bare id.
 */
export function parseWishRef(input: string): number | null {
  const s = input.trim().toUpperCase().replace(/\s+/g, '');
  const no = /^XY\d{8}(\d{6,})$/.exec(s);
  const digits = no ? no[1] : /^\d{1,9}$/.test(s) ? s : null;
  if (!digits) return null;
  const id = Number(digits);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

// ---- ledger filters ----

export type PeriodKey = 'all' | 'month' | 'quarter' | 'year' | 'custom';

export interface LedgerFilters {
  communityId: number | null;
  state: WishState | null;
  tierReached: Tier | null;
  tierResolved: Tier | null;
  category: WishCategoryCode | null;
  period: PeriodKey;
  /** YYYY-MM-DD, for the custom period. */
  from: string | null;
  to: string | null;
  overdue: boolean;
  supervised: boolean;
}

export const NO_FILTERS: LedgerFilters = {
  communityId: null,
  state: null,
  tierReached: null,
  tierResolved: null,
  category: null,
  period: 'all',
  from: null,
  to: null,
  overdue: false,
  supervised: false,
};

/** Today as a Beijing day, YYYY-MM-DD (the server's days are Beijing days). */
export function beijingToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function beijingYear(now: Date = new Date()): number {
  return Number(beijingToday(now).slice(0, 4));
}

/** [from, to] of a quick period, in Beijing days; null for "all". */
export function periodRange(p: PeriodKey, now: Date = new Date(), custom?: { from: string | null; to: string | null }): { from?: string; to?: string } {
  const today = beijingToday(now);
  const [y, m] = today.split('-').map(Number);
  const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
  switch (p) {
    case 'month':
      return { from: `${y}-${pad(m)}-01`, to: today };
    case 'quarter': {
      // This month and the two before it.
      const start = new Date(Date.UTC(y, m - 3, 1));
      return { from: `${start.getUTCFullYear()}-${pad(start.getUTCMonth() + 1)}-01`, to: today };
    }
    case 'year':
      return { from: `${y}-01-01`, to: today };
    case 'custom':
      return { ...(custom?.from ? { from: custom.from } : {}), ...(custom?.to ? { to: custom.to } : {}) };
    default:
      return {};
  }
}

/** The filters as the server's query (empty ones left out). */
export function ledgerQuery(f: LedgerFilters, now: Date = new Date()): Omit<LedgerWishQuery, 'cursor' | 'limit'> {
  const q: Omit<LedgerWishQuery, 'cursor' | 'limit'> = { ...periodRange(f.period, now, f) };
  if (f.communityId) q.communityId = f.communityId;
  if (f.state) q.state = f.state;
  if (f.tierReached) q.tierReached = f.tierReached;
  if (f.tierResolved) q.tierResolved = f.tierResolved;
  if (f.category) q.category = f.category;
  if (f.overdue) q.overdue = true;
  if (f.supervised) q.supervised = true;
  return q;
}

/** How many filters are set (shown on the folded filter bar). */
export function activeFilterCount(f: LedgerFilters): number {
  return [f.communityId, f.state, f.tierReached, f.tierResolved, f.category, f.period !== 'all' ? f.period : null, f.overdue || null, f.supervised || null].filter(Boolean).length;
}

/** A custom period the server will accept, or why not. */
export function checkPeriod(from: string | null, to: string | null): string | null {
  if (!from && !to) return '请选择开始或结束日期';
  if (from && to && from > to) return '开始日期不能晚于结束日期';
  return null;
}

// ---- numbers as people read them ----

/** 0.9773 → "97.7%"; null (no denominator) → "—". */
export function pct(rate: number | null | undefined, digits = 1): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return '—';
  return `${(rate * 100).toFixed(digits)}%`;
}

/** The bar length of a rate, 0–100. */
export function ratePercent(r: RateView): number {
  return r.rate === null ? 0 : Math.max(0, Math.min(100, r.rate * 100));
}

/** A count's bar length against the largest one, 0–100 (a non-zero count keeps a sliver). */
export function barPercent(value: number, max: number): number {
  if (max <= 0 || value <= 0) return 0;
  return Math.max(2, Math.min(100, (value / max) * 100));
}

/** Fen as yuan with thousands separators: 15000000 → "150,000.00"; negative keeps its sign. */
export function yuan(fen: number): string {
  const neg = fen < 0;
  const abs = Math.abs(Math.round(fen));
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = String(abs % 100).padStart(2, '0');
  return `${neg ? '-' : ''}${whole}.${cents}`;
}

/** "2026-03" → "3月" */
export function monthLabel(month: string): string {
  return `${Number(month.slice(5, 7))}月`;
}

// ---- the working calendar ----

/** Where a day's answer came from, as people read it. */
export const CALENDAR_SOURCE_LABELS: Record<CalendarDaySource, string> = {
  admin: '市级录入',
  package: '日历数据',
  law: '法定节假日',
  weekday: '按周末',
};

const WEEKDAY_ZH = '日一二三四五六';

/** "2027-02-05 周五" */
export function dayWithWeekday(day: string): string {
  return `${day} 周${WEEKDAY_ZH[new Date(`${day}T00:00:00Z`).getUTCDay()]}`;
}

/** One line of the calendar: "放假 · 春节" or "调休上班 · 春节调休上班". */
export function calendarDayText(d: Pick<CalendarDayView, 'kind' | 'note'>): string {
  const kind = d.kind === 'holiday' ? '放假' : '上班';
  return d.note ? `${kind} · ${d.note}` : kind;
}

/** What a parsed notice gives, in one sentence: "放假 34 天，调休上班 5 天". */
export function noticeSummary(days: NoticeDay[]): string {
  const off = days.filter((d) => d.kind === 'holiday').length;
  const on = days.length - off;
  return on ? `放假 ${off} 天，调休上班 ${on} 天` : `放假 ${off} 天`;
}

// ---- the ledger at desk width: a sortable table ----

export const LEDGER_COLUMNS = [
  { key: 'no', label: '编号' },
  { key: 'title', label: '标题' },
  { key: 'state', label: '状态' },
  { key: 'tier', label: '层级' },
  { key: 'community', label: '社区' },
  { key: 'submitted', label: '提交时间' },
  { key: 'due', label: '办理期限' },
  { key: 'claimant', label: '认领人' },
] as const;
export type LedgerColumn = (typeof LEDGER_COLUMNS)[number]['key'];
export interface LedgerSort {
  key: LedgerColumn;
  dir: 'asc' | 'desc';
}
/** The server's order: newest first. */
export const DEFAULT_SORT: LedgerSort = { key: 'submitted', dir: 'desc' };

function sortValue(i: LedgerWishItem, key: LedgerColumn): string | number {
  switch (key) {
    case 'no':
      return i.id;
    case 'title':
      return i.title;
    case 'state':
      return WISH_STATES.indexOf(i.state);
    case 'tier':
      return i.tierReached;
    case 'community':
      return i.communityName;
    case 'submitted':
      return Date.parse(i.submittedAt);
    case 'due':
      // Lines without a deadline go last whichever way.
      return i.dueAt ? Date.parse(i.dueAt) : Number.NaN;
    case 'claimant':
      return i.claimant?.name ?? '';
  }
}

/** The loaded lines in the order a column header asks for (ties keep the server's order, newest first). */
export function sortLedger(items: readonly LedgerWishItem[], s: LedgerSort): LedgerWishItem[] {
  const sign = s.dir === 'asc' ? 1 : -1;
  return items
    .map((item, n) => ({ item, n, v: sortValue(item, s.key) }))
    .sort((a, b) => {
      const an = typeof a.v === 'number' && Number.isNaN(a.v);
      const bn = typeof b.v === 'number' && Number.isNaN(b.v);
      if (an || bn) return an === bn ? a.n - b.n : an ? 1 : -1;
      const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v), 'zh-Hans-CN');
      return c !== 0 ? sign * c : a.n - b.n;
    })
    .map((x) => x.item);
}

/** A header tapped: the same column turns around, another starts ascending (dates: newest first). */
export function nextSort(cur: LedgerSort, key: LedgerColumn): LedgerSort {
  if (cur.key === key) return { key, dir: cur.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: key === 'submitted' ? 'desc' : 'asc' };
}

/** The filters in words, for the print view's head ("状态：已办结；提交时间：2026-11-01 至 2026-11-30"). */
export function filtersText(q: Omit<LedgerWishQuery, 'cursor' | 'limit'>, communities: { id: number; name: string }[] = []): string {
  const parts: string[] = [];
  if (q.communityId) parts.push(`社区：${communities.find((c) => c.id === q.communityId)?.name ?? q.communityId}`);
  if (q.state) parts.push(`状态：${STATE_LABELS[q.state]}`);
  if (q.tierReached) parts.push(`到达层级：${q.tierReached}级`);
  if (q.tierResolved) parts.push(`办结层级：${q.tierResolved}级`);
  if (q.category) parts.push(`类别：${WISH_CATEGORIES.find((c) => c.code === q.category)?.label ?? q.category}`);
  if (q.overdue) parts.push('只看办理超期');
  if (q.supervised) parts.push('只看督办');
  if (q.q) parts.push(`检索：${q.q}`);
  return parts.length ? parts.join('；') : '无（全部心愿）';
}

/** The period in words: "2026-11-01 至 2026-11-30", "2026-11-01 起", "全部时间". */
export function periodText(q: { from?: string; to?: string }): string {
  if (q.from && q.to) return `${q.from} 至 ${q.to}`;
  if (q.from) return `${q.from} 起`;
  if (q.to) return `截至 ${q.to}`;
  return '全部时间';
}

// ---- funds ----

export const SPEND_STATUS_LABELS: Record<FundSpendStatus, string> = {
  pending_community: '待社区审批',
  pending_street: '超出预算，待街道审批',
  approved: '已批准',
  refused: '未批准',
  recorded: '已记账',
};

/** A budget typed in yuan ("1,500.5") as fen; null when it is not an amount the server takes. */
export function parseYuan(text: string, maxFen: number): number | null {
  const t = text.replace(/[,，\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return null;
  const fen = Math.round(Number(t) * 100);
  return fen >= 0 && fen <= maxFen ? fen : null;
}

/** "2026-11" of a Beijing day; the month before: previousMonth("2026-01") = "2025-12". */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
