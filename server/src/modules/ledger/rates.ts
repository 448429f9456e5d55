// The three rates (三率) and the figures reported beside them (DOMAIN.md, "The
// three rates"). Pure functions over one compact fact record per wish, so the
// formulas are tested by hand-computed ledgers without a database.
import { SATISFIED_RATINGS, TIERS, type CommunityClass, type Rating, type Tier, type WishState } from '@xinyuan/shared';
import type { DurationStats, RateView, RatesSummary, TierShare } from '@xinyuan/shared';

/** What the rates need to know about one published wish (from its row and its events). */
export interface WishFact {
  id: number;
  communityClass: CommunityClass;
  state: WishState;
  publishedAt: Date;
  /** The first `claim` event, whoever made it and whatever became of it. */
  firstClaimAt: Date | null;
  /** Tier of the current (or resolving) claim: the wish's tier while claimed, awaiting confirmation or resolved. */
  claimTier: Tier | null;
  /** End of the tier-4 claim window, as recorded by the `supervise` event (wish.supervised_at). */
  supervisedAt: Date | null;
  /** Cancelled by its submitter before any claim (the resident withdrew it). */
  cancelledBeforeClaim: boolean;
  /** When the current claim was completed (proof uploaded); null after a dispute. */
  completedAt: Date | null;
  resolvedAt: Date | null;
  rating: Rating | null;
  /** Resolved by the `auto_confirm` event (7 days' silence), hence unrated. */
  autoConfirmed: boolean;
  /** End of the current claim's fulfilment window. */
  dueAt: Date | null;
}

/** Tier of the current (or resolving) claim: a claim stops the clock, so while claimed (and after) the wish's tier is the claim's. */
export function claimTierOf(r: { state: WishState; tier: Tier }): Tier | null {
  return r.state === 'claimed' || r.state === 'awaiting_confirmation' || r.state === 'resolved' ? r.tier : null;
}

/** The rates' view of a published wish row (the ledger's row or the entity). */
export function toWishFact(r: {
  id: number;
  communityClass: CommunityClass;
  state: WishState;
  tier: Tier;
  publishedAt: Date;
  firstClaimAt: Date | null;
  supervisedAt: Date | null;
  cancelledBySubmitter: boolean;
  completedAt: Date | null;
  resolvedAt: Date | null;
  rating: Rating | null;
  dueAt: Date | null;
}): WishFact {
  return {
    id: r.id,
    communityClass: r.communityClass,
    state: r.state,
    publishedAt: r.publishedAt,
    firstClaimAt: r.firstClaimAt,
    claimTier: claimTierOf(r),
    supervisedAt: r.supervisedAt,
    cancelledBeforeClaim: r.state === 'cancelled' && !r.firstClaimAt && r.cancelledBySubmitter,
    completedAt: r.completedAt,
    resolvedAt: r.resolvedAt,
    rating: r.rating,
    // A confirmation always carries a rating, so a resolved wish without one was confirmed by silence.
    autoConfirmed: r.state === 'resolved' && !r.rating,
    dueAt: r.dueAt,
  };
}

/**
 * Responded: claimed before its tier-4 window ended.
 *
 * The tier-4 window's end is known only for wishes that reached it unclaimed:
 * the sweeper then writes a `supervise` event and sets supervised_at to the
 * window's end. So a wish counts as responded when it has a first claim and
 * either it was never supervised (the claim came while some tier's window, at
 * the latest tier 4's, was still running) or its first claim is strictly before
 * supervised_at. A wish first claimed only after supervision did not respond in
 * time, whatever happened next; a claim that later lapsed or was released still
 * answered the wish in time.
 */
export function responded(f: WishFact): boolean {
  if (!f.firstClaimAt) return false;
  return !f.supervisedAt || f.firstClaimAt.getTime() < f.supervisedAt.getTime();
}

/**
 * Not resolved, and its fulfilment window has ended by `asOf`: in the resolution
 * denominator. Cancelled and rejected wishes are left out (there is nothing to
 * resolve), as are wishes whose work was completed within the window and wait
 * only for the resident's confirmation: the claimant met the window.
 * Wishes never claimed have no fulfilment window yet; they show in the response rate.
 */
export function fulfilmentLapsed(f: WishFact, asOf: Date): boolean {
  if (f.state === 'resolved' || f.state === 'cancelled' || f.state === 'rejected') return false;
  if (!f.dueAt || f.dueAt.getTime() > asOf.getTime()) return false;
  if (f.state === 'awaiting_confirmation' && f.completedAt && f.completedAt.getTime() <= f.dueAt.getTime()) return false;
  return true;
}

export function rate(numerator: number, denominator: number): RateView {
  return { rate: denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000, numerator, denominator };
}

/** Nearest-rank percentile (p in (0, 1]) of unsorted values; null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

/** Median: the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const HOUR = 3_600_000;
const hours = (ms: number | null) => (ms === null ? null : Math.round((ms / HOUR) * 100) / 100);

/** The 1-based ranks (in ascending order) that the median and the p90 of n values read. */
export function neededRanks(n: number): number[] {
  if (n === 0) return [];
  const med = n % 2 ? [(n + 1) / 2] : [n / 2, n / 2 + 1];
  return [...new Set([...med, Math.max(1, Math.ceil(0.9 * n))])];
}

/** Median (mean of the two middle values for an even count) and nearest-rank p90 of n values, given the value at each needed rank. */
export function statsAtRanks(n: number, at: (rank: number) => number): DurationStats {
  if (n === 0) return { count: 0, medianHours: null, p90Hours: null };
  const med = n % 2 ? at((n + 1) / 2) : (at(n / 2) + at(n / 2 + 1)) / 2;
  return { count: n, medianHours: hours(med), p90Hours: hours(at(Math.max(1, Math.ceil(0.9 * n)))) };
}

export function durationStats(ms: readonly number[]): DurationStats {
  const sorted = [...ms].sort((a, b) => a - b);
  return statsAtRanks(sorted.length, (k) => sorted[k - 1]);
}

/**
 * The additive part of a report: counters that sum across wishes, so a set of
 * wishes can be counted row by row here or summed by one SQL aggregate
 * (LedgerRepository.rateCounts) and give the same figures.
 */
export interface RateCounts {
  published: number;
  cancelledBeforeClaim: number;
  responded: number;
  /** Resolved wishes by the tier of their resolving claim (index 0 = tier 1). */
  resolvedByTier: [number, number, number, number];
  /** Fulfilment window ended, not resolved (fulfilmentLapsed). */
  lapsed: number;
  /** Claimed or awaiting confirmation, within the window (or completed within it). */
  within: number;
  satisfied: number;
  rated: number;
  /** Resolved by silence, unrated. */
  silent: number;
  awaitingClaim: number;
  overdue: number;
  supervised: number;
}

export function emptyCounts(): RateCounts {
  return { published: 0, cancelledBeforeClaim: 0, responded: 0, resolvedByTier: [0, 0, 0, 0], lapsed: 0, within: 0, satisfied: 0, rated: 0, silent: 0, awaitingClaim: 0, overdue: 0, supervised: 0 };
}

/** a += b. */
export function addCounts(a: RateCounts, b: RateCounts): RateCounts {
  for (const k of Object.keys(a) as (keyof RateCounts)[]) {
    if (k === 'resolvedByTier') for (let i = 0; i < 4; i++) a.resolvedByTier[i] += b.resolvedByTier[i];
    else a[k] += b[k];
  }
  return a;
}

/** Counts one wish into `c`; returns its time to claim and to resolve (ms), when it has them. */
export function countFact(c: RateCounts, f: WishFact, asOf: Date): { claimMs: number | null; resolveMs: number | null } {
  const now = asOf.getTime();
  c.published++;
  if (f.cancelledBeforeClaim) c.cancelledBeforeClaim++;
  if (responded(f)) c.responded++;
  if (f.supervisedAt) c.supervised++;
  if (f.state === 'claimed' && f.dueAt && f.dueAt.getTime() < now) c.overdue++;
  if (f.state === 'open' && !f.firstClaimAt && !f.supervisedAt) c.awaitingClaim++;
  let resolveMs: number | null = null;
  if (f.state === 'resolved' && f.resolvedAt) {
    resolveMs = f.resolvedAt.getTime() - f.publishedAt.getTime();
    // A resolved wish always has its claim's tier.
    if (f.claimTier) c.resolvedByTier[f.claimTier - 1]++;
  } else if (fulfilmentLapsed(f, asOf)) {
    c.lapsed++;
  } else if ((f.state === 'claimed' || f.state === 'awaiting_confirmation') && f.dueAt) {
    c.within++;
  }
  if (f.rating) {
    c.rated++;
    if (SATISFIED_RATINGS.includes(f.rating)) c.satisfied++;
  } else if (f.state === 'resolved' && f.autoConfirmed) {
    c.silent++;
  }
  return { claimMs: f.firstClaimAt ? f.firstClaimAt.getTime() - f.publishedAt.getTime() : null, resolveMs };
}

/** Counters plus the durations behind the medians: what a report is made of, gathered a wish or a batch at a time. */
export class RatesAccumulator {
  readonly counts = emptyCounts();
  readonly claimMs: number[] = [];
  readonly resolveMs: number[] = [];

  add(f: WishFact, asOf: Date): this {
    const d = countFact(this.counts, f, asOf);
    if (d.claimMs !== null) this.claimMs.push(d.claimMs);
    if (d.resolveMs !== null) this.resolveMs.push(d.resolveMs);
    return this;
  }

  summary(): RatesSummary {
    return summariseCounts(this.counts, durationStats(this.claimMs), durationStats(this.resolveMs));
  }
}

/** Every figure of a report from its counters and the statistics of its durations (from publication to first claim, to resolution). */
export function summariseCounts(c: RateCounts, timeToClaim: DurationStats, timeToResolve: DurationStats): RatesSummary {
  const resolved = c.resolvedByTier.reduce((a, n) => a + n, 0);
  const tierShares: TierShare[] = TIERS.map((tier) => {
    const n = c.resolvedByTier[tier - 1];
    return { tier, resolved: n, share: rate(n, resolved).rate };
  });
  return {
    published: c.published,
    response: rate(c.responded, c.published - c.cancelledBeforeClaim),
    resolution: rate(resolved, resolved + c.lapsed),
    satisfaction: rate(c.satisfied, c.rated),
    silentConfirmations: c.silent,
    cancelledBeforeClaim: c.cancelledBeforeClaim,
    awaitingClaim: c.awaitingClaim,
    withinFulfilmentWindow: c.within,
    tierShares,
    timeToClaim,
    timeToResolve,
    overdue: c.overdue,
    supervised: c.supervised,
  };
}

/** Every figure of a report over the given facts (wishes published in the period), judged at `asOf`. */
export function summarise(facts: readonly WishFact[], asOf: Date): RatesSummary {
  const acc = new RatesAccumulator();
  for (const f of facts) acc.add(f, asOf);
  return acc.summary();
}
