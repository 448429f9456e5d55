import { CATEGORY_ROLE_LABELS, CLOSURE_CODES, CLOSURE_LABELS, CONSENT_METHOD_LABELS, RATING_LABELS, STATE_LABELS, TIER_LABELS, UNCODED_LABEL, WISH_CATEGORIES, explainRates, type ClosureCounts, type FundView, type LedgerWishItem, type RatesSummary } from '@xinyuan/shared';
import { personName, wishNo } from '../wishes/wishes.mapper';
import type { LedgerRow } from './ledger.repository';
import { claimTierOf, toWishFact, type WishFact } from './rates';
import { localMinute } from '../../common/time';

const DAY = 86_400_000;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function daysTaken(r: Pick<LedgerRow, 'createdAt' | 'resolvedAt'>): number | null {
  return r.resolvedAt ? Math.round(((r.resolvedAt.getTime() - r.createdAt.getTime()) / DAY) * 10) / 10 : null;
}

export function toLedgerItem(r: LedgerRow, names: Map<number, string>, now: Date, fullNames: boolean): LedgerWishItem {
  return {
    id: r.id,
    no: wishNo(r),
    title: r.title,
    category: r.category,
    state: r.state,
    urgent: r.urgent,
    communityId: r.communityId,
    communityName: r.communityName,
    tierReached: r.tier,
    claimTier: claimTierOf(r),
    claimant: r.claimantId ? { id: r.claimantId, name: personName(names.get(r.claimantId) ?? '', fullNames) } : null,
    rating: r.rating,
    autoConfirmed: r.state === 'resolved' && r.autoConfirmed,
    submittedAt: r.createdAt.toISOString(),
    publishedAt: iso(r.publishedAt),
    firstClaimedAt: iso(r.firstClaimAt),
    claimedAt: iso(r.claimedAt),
    completedAt: iso(r.completedAt),
    resolvedAt: iso(r.resolvedAt),
    supervisedAt: iso(r.supervisedAt),
    dueAt: r.state === 'claimed' || r.state === 'awaiting_confirmation' ? iso(r.dueAt) : null,
    overdue: r.state === 'claimed' && !!r.dueAt && r.dueAt.getTime() < now.getTime(),
    daysTaken: daysTaken(r),
    costFen: r.costFen,
    duplicateOfId: r.duplicateOf,
    closureCode: r.closureCode,
    ratingConsent: r.rating ? r.ratingConsent : null,
    urgeCount: r.urgeCount,
    lastUrgedAt: iso(r.lastUrgedAt),
  };
}

/** The rates' view of a published wish. */
export function toFact(r: LedgerRow & { publishedAt: Date }): WishFact {
  return toWishFact(r);
}

// ---- export ----

/** Beijing wall time, minutes. */
export function bjTime(d: Date | null): string {
  return d ? localMinute(d) : '';
}

const CATEGORY_LABELS = new Map<string, string>(WISH_CATEGORIES.map((c) => [c.code, c.label]));
const tierText = (t: number | null) => (t ? `${t}级 ${TIER_LABELS[t as 1 | 2 | 3 | 4]}` : '');

export const EXPORT_HEADERS = ['编号', '标题', '社区', '类别', '状态', '提交时间', '发布时间', '认领时间', '办结时间', '到达层级', '办结层级', '认领人', '评价', '代为评价(同意方式)', '结案类别', '费用(元)', '用时(天)', '催办(次)'] as const;

export function exportCells(i: LedgerWishItem): (string | number)[] {
  const t = (s: string | null) => bjTime(s ? new Date(s) : null);
  return [
    i.no,
    i.title,
    i.communityName,
    CATEGORY_LABELS.get(i.category) ?? i.category,
    STATE_LABELS[i.state],
    t(i.submittedAt),
    t(i.publishedAt),
    t(i.firstClaimedAt),
    t(i.resolvedAt),
    tierText(i.tierReached),
    i.state === 'resolved' ? tierText(i.claimTier) : '',
    i.claimant?.name ?? '',
    i.rating ? RATING_LABELS[i.rating] : i.autoConfirmed ? SILENT_TEXT : '',
    i.ratingConsent ? CONSENT_METHOD_LABELS[i.ratingConsent] : '',
    i.closureCode ? CLOSURE_LABELS[i.closureCode] : i.state === 'cancelled' || i.state === 'rejected' ? UNCODED_LABEL : '',
    i.costFen !== null ? i.costFen / 100 : '',
    i.daysTaken ?? '',
    i.urgeCount,
  ];
}

/** One CSV field, quoted when it must be (RFC 4180); leading =+-@ neutralised against formula injection. */
export function csvField(v: string | number): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: (string | number)[]): string {
  return cells.map(csvField).join(',') + '\r\n';
}

/** A wish confirmed by 7 days' silence: no rating, out of the satisfaction rate (DOMAIN.md). */
const SILENT_TEXT = '超时自动确认(无评价)';

/**
 * The rates sheet: each rate with numerator and denominator, the rule it follows in plain
 * Chinese, the count of every category it includes or leaves out, then closures by code.
 */
export function ratesSheetRows(s: RatesSummary, closuresBeforePublication?: ClosureCounts): (string | number | null)[][] {
  const pct = (r: number | null) => (r === null ? '' : `${(r * 100).toFixed(2)}%`);
  const rows: (string | number | null)[][] = [['指标', '比率', '分子', '分母', '口径']];
  for (const e of explainRates(s, CONSENT_METHOD_LABELS)) {
    const v = s[e.key];
    rows.push([e.label, pct(v.rate), v.numerator, v.denominator, e.rule]);
    for (const c of e.categories) rows.push([`  ${c.label}`, CATEGORY_ROLE_LABELS[c.role], c.count, null, null]);
  }
  rows.push(
    ['发布数', '', s.published, '', ''],
    ...s.tierShares.map((t) => [`${tierText(t.tier)} 办结占比`, pct(t.share), t.resolved, s.tierShares.reduce((a, x) => a + x.resolved, 0), '']),
    ['超期', '', s.overdue, '', ''],
    ['督办', '', s.supervised, '', ''],
    [],
    ['结案类别', '已发布心愿', closuresBeforePublication ? '未发布即结案' : null],
    ...([...CLOSURE_CODES, 'uncoded'] as const).map((c) => [c === 'uncoded' ? UNCODED_LABEL : CLOSURE_LABELS[c], s.closures[c], closuresBeforePublication ? closuresBeforePublication[c] : null]),
  );
  return rows;
}

/** The 经费 sheet: one line per community and year, amounts in yuan. */
export function fundsSheetRows(funds: readonly FundView[]): (string | number)[][] {
  const yuan = (fen: number) => fen / 100;
  return [
    ['社区', '类别', '年度', '预算(元)', '已支出(元)', '待审批(元)', '结余(元)'],
    ...funds.map((f) => [f.communityName, f.communityClass, f.year, yuan(f.budgetFen), yuan(f.spentFen), yuan(f.pendingFen), yuan(f.remainingFen)]),
  ];
}
