// The three rates (三率) and the figures reported beside them (DOMAIN.md, "The
// three rates"). Pure functions over one compact fact record per wish, so the
// formulas are tested by hand-computed ledgers without a database.
import { CLOSURE_CODES, CONSENT_METHODS, NON_FAILING_CLOSURES, SATISFIED_RATINGS, TIERS, type ClosureCode, type CommunityClass, type ConsentMethod, type Rating, type Tier, type WishState } from '@xinyuan/shared';
import type { ClosureCounts, DurationStats, RateView, RatesSummary, TierShare } from '@xinyuan/shared';

/** What the rates need to know about one published wish (from its row; every time here is a fact written once). */
export interface WishFact {
  id: number;
  communityClass: CommunityClass;
  state: WishState;
  publishedAt: Date;
  /** The first `claim` event, whoever made it and whatever became of it. */
  firstClaimAt: Date | null;
  /** Tier of the current (or resolving) claim: the wish's tier while claimed, awaiting confirmation or resolved. */
  claimTier: Tier | null;
  /** The first end of its tier-4 claim window (the first `supervise` event); never overwritten by a later supervision. */
  supervisedAt: Date | null;
  /** The first end of a fulfilment window without completion (any window, a dispute's fresh one included). */
  fulfilMissedAt: Date | null;
  /** Cancelled by its submitter (the resident, or the grid worker who filed it). */
  cancelledBySubmitter: boolean;
  /** Why it was closed; null while it stands or for closures from before the codes. */
  closureCode: ClosureCode | null;
  /** When the current claim was completed (proof uploaded); null after a dispute. */
  completedAt: Date | null;
  resolvedAt: Date | null;
  rating: Rating | null;
  /** The consent method of a rating recorded on the resident's behalf; null for the resident's own. */
  ratingConsent: ConsentMethod | null;
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
  fulfilMissedAt: Date | null;
  cancelledBySubmitter: boolean;
  closureCode: ClosureCode | null;
  completedAt: Date | null;
  resolvedAt: Date | null;
  rating: Rating | null;
  ratingConsent: ConsentMethod | null;
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
    fulfilMissedAt: r.fulfilMissedAt,
    cancelledBySubmitter: r.cancelledBySubmitter,
    closureCode: r.closureCode,
    completedAt: r.completedAt,
    resolvedAt: r.resolvedAt,
    rating: r.rating,
    ratingConsent: r.rating ? r.ratingConsent : null,
    // A confirmation always carries a rating, so a resolved wish without one was confirmed by silence.
    autoConfirmed: r.state === 'resolved' && !r.rating,
    dueAt: r.dueAt,
  };
}

// ---- the rules, one function each (DOMAIN.md "The three rates"); the SQL twins are RATE_COUNTERS in rates-rollup.ts

/**
 * A closure that is the resident's choice or lives on in another wish: cancelled by its
 * submitter (the resident, or the grid worker who filed it), or by staff as `withdrawn` or
 * `duplicate`. Neither resolved nor failed; out of the response denominator while undecided.
 */
export function closedWithoutFault(f: WishFact): boolean {
  return f.state === 'cancelled' && (f.cancelledBySubmitter || (f.closureCode !== null && NON_FAILING_CLOSURES.includes(f.closureCode)));
}

/**
 * Decided for the response rate: claimed at least once, or its tier-4 claim window ended
 * (the first supervision), or cancelled by staff before any claim for another reason than
 * duplicate or withdrawn (uncoded closures from before the codes included).
 */
export function responseDecided(f: WishFact): boolean {
  return f.firstClaimAt !== null || f.supervisedAt !== null || (f.state === 'cancelled' && !closedWithoutFault(f));
}

/**
 * Responded: first claimed before its tier-4 claim window first ended. Both facts are
 * written once (first_claimed_at, supervised_at = the first supervision), so a wish
 * supervised, claimed late, returned to the pool and supervised again stays not responded.
 * A claim that later lapsed or was released still answered the wish in time.
 */
export function responded(f: WishFact): boolean {
  if (!f.firstClaimAt) return false;
  return !f.supervisedAt || f.firstClaimAt.getTime() < f.supervisedAt.getTime();
}

/** Why an unresolved wish failed, by `asOf` (null: it has not). A failed wish counts as failed until it is resolved. */
export function failure(f: WishFact, asOf: Date): 'cancelled' | 'missed' | 'unclaimed' | null {
  if (f.state === 'resolved' || f.state === 'rejected' || closedWithoutFault(f)) return null;
  if (f.state === 'cancelled') return 'cancelled';
  if (f.fulfilMissedAt || (f.state === 'claimed' && f.dueAt && f.dueAt.getTime() <= asOf.getTime())) return 'missed';
  if (f.supervisedAt) return 'unclaimed';
  return null;
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
 * (LedgerRepository.liveCounts, rates_rollup) and give the same figures.
 */
export interface RateCounts {
  published: number;
  // response (responseDecided = responded + late; the excluded are out of it while undecided)
  responded: number;
  responseDecided: number;
  excludedWithdrawn: number;
  excludedDuplicate: number;
  // resolution
  /** Resolved wishes by the tier of their resolving claim (index 0 = tier 1). */
  resolvedByTier: [number, number, number, number];
  failedCancelled: number;
  failedMissed: number;
  failedUnclaimed: number;
  resolutionExcluded: number;
  /** Open, no failure yet (undecided). */
  openInWindow: number;
  /** Claimed or awaiting confirmation, no failure yet (undecided). */
  within: number;
  // satisfaction
  satisfied: number;
  rated: number;
  ratedOnBehalf: number;
  satisfiedOnBehalf: number;
  behalfVerbal: number;
  behalfWritten: number;
  behalfGuardian: number;
  /** Resolved by silence, unrated. */
  silent: number;
  // closures of published wishes by code
  closedDuplicate: number;
  closedWithdrawn: number;
  closedRedirected: number;
  closedNotAWish: number;
  closedCannotBeDone: number;
  closedSpam: number;
  closedUncoded: number;
  // beside the rates
  /** Unclaimed, tier-4 window not ended (the response rate's undecided). */
  awaitingClaim: number;
  overdue: number;
  supervised: number;
}

/** The counter of each closure code, and of each consent method of a rating on behalf. */
export const CLOSED_COUNTER = {
  duplicate: 'closedDuplicate',
  withdrawn: 'closedWithdrawn',
  redirected: 'closedRedirected',
  not_a_wish: 'closedNotAWish',
  cannot_be_done: 'closedCannotBeDone',
  spam: 'closedSpam',
} as const satisfies Record<ClosureCode, keyof RateCounts>;
export const BEHALF_COUNTER = { verbal: 'behalfVerbal', written: 'behalfWritten', guardian: 'behalfGuardian' } as const satisfies Record<ConsentMethod, keyof RateCounts>;

export function emptyCounts(): RateCounts {
  return {
    published: 0,
    responded: 0,
    responseDecided: 0,
    excludedWithdrawn: 0,
    excludedDuplicate: 0,
    resolvedByTier: [0, 0, 0, 0],
    failedCancelled: 0,
    failedMissed: 0,
    failedUnclaimed: 0,
    resolutionExcluded: 0,
    openInWindow: 0,
    within: 0,
    satisfied: 0,
    rated: 0,
    ratedOnBehalf: 0,
    satisfiedOnBehalf: 0,
    behalfVerbal: 0,
    behalfWritten: 0,
    behalfGuardian: 0,
    silent: 0,
    closedDuplicate: 0,
    closedWithdrawn: 0,
    closedRedirected: 0,
    closedNotAWish: 0,
    closedCannotBeDone: 0,
    closedSpam: 0,
    closedUncoded: 0,
    awaitingClaim: 0,
    overdue: 0,
    supervised: 0,
  };
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
  // Response.
  if (responseDecided(f)) {
    c.responseDecided++;
    if (responded(f)) c.responded++;
  } else if (f.state === 'cancelled') {
    // Undecided and cancelled: only a closure without fault gets here.
    if (f.cancelledBySubmitter || f.closureCode !== 'duplicate') c.excludedWithdrawn++;
    else c.excludedDuplicate++;
  } else if (f.state === 'open') {
    c.awaitingClaim++;
  }
  // Resolution.
  let resolveMs: number | null = null;
  const failed = failure(f, asOf);
  if (f.state === 'resolved' && f.resolvedAt) {
    resolveMs = f.resolvedAt.getTime() - f.publishedAt.getTime();
    // A resolved wish always has its claim's tier.
    if (f.claimTier) c.resolvedByTier[f.claimTier - 1]++;
  } else if (failed === 'cancelled') c.failedCancelled++;
  else if (failed === 'missed') c.failedMissed++;
  else if (failed === 'unclaimed') c.failedUnclaimed++;
  else if (closedWithoutFault(f)) c.resolutionExcluded++;
  else if (f.state === 'open') c.openInWindow++;
  else if (f.state === 'claimed' || f.state === 'awaiting_confirmation') c.within++;
  // Satisfaction.
  if (f.rating) {
    c.rated++;
    const ok = SATISFIED_RATINGS.includes(f.rating);
    if (ok) c.satisfied++;
    if (f.ratingConsent) {
      c.ratedOnBehalf++;
      if (ok) c.satisfiedOnBehalf++;
      c[BEHALF_COUNTER[f.ratingConsent]]++;
    }
  } else if (f.state === 'resolved' && f.autoConfirmed) {
    c.silent++;
  }
  // Closures.
  if (f.state === 'cancelled') {
    if (f.closureCode) c[CLOSED_COUNTER[f.closureCode]]++;
    else c.closedUncoded++;
  }
  if (f.supervisedAt) c.supervised++;
  if (f.state === 'claimed' && f.dueAt && f.dueAt.getTime() < now) c.overdue++;
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

/** Closures by code from the counters. */
export function closureCounts(c: RateCounts): ClosureCounts {
  const out = { uncoded: c.closedUncoded } as ClosureCounts;
  for (const code of CLOSURE_CODES) out[code] = c[CLOSED_COUNTER[code]];
  return out;
}

/** Every figure of a report from its counters and the statistics of its durations (from publication to first claim, to resolution). */
export function summariseCounts(c: RateCounts, timeToClaim: DurationStats, timeToResolve: DurationStats): RatesSummary {
  const resolved = c.resolvedByTier.reduce((a, n) => a + n, 0);
  const failed = c.failedCancelled + c.failedMissed + c.failedUnclaimed;
  const tierShares: TierShare[] = TIERS.map((tier) => {
    const n = c.resolvedByTier[tier - 1];
    return { tier, resolved: n, share: rate(n, resolved).rate };
  });
  const byConsent = {} as Record<ConsentMethod, number>;
  for (const m of CONSENT_METHODS) byConsent[m] = c[BEHALF_COUNTER[m]];
  return {
    published: c.published,
    response: rate(c.responded, c.responseDecided),
    resolution: rate(resolved, resolved + failed),
    satisfaction: rate(c.satisfied, c.rated),
    breakdown: {
      responded: c.responded,
      respondedLate: c.responseDecided - c.responded,
      excludedWithdrawn: c.excludedWithdrawn,
      excludedDuplicate: c.excludedDuplicate,
      undecidedClaim: c.awaitingClaim,
      resolved,
      failedMissed: c.failedMissed,
      failedUnclaimed: c.failedUnclaimed,
      failedCancelled: c.failedCancelled,
      resolutionExcluded: c.resolutionExcluded,
      undecidedOpen: c.openInWindow,
      undecidedHandling: c.within,
      satisfied: c.satisfied,
      ratedByResident: c.rated - c.ratedOnBehalf,
      ratedOnBehalf: c.ratedOnBehalf,
      satisfiedOnBehalf: c.satisfiedOnBehalf,
      onBehalfByConsent: byConsent,
      silent: c.silent,
    },
    closures: closureCounts(c),
    silentConfirmations: c.silent,
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
