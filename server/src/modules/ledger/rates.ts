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

function durations(ms: number[]): DurationStats {
  return { count: ms.length, medianHours: hours(median(ms)), p90Hours: hours(percentile(ms, 0.9)) };
}

/** Every figure of a report over the given facts (wishes published in the period), judged at `asOf`. */
export function summarise(facts: readonly WishFact[], asOf: Date): RatesSummary {
  let cancelledBeforeClaim = 0;
  let respondedN = 0;
  let resolved = 0;
  let lapsed = 0;
  let satisfied = 0;
  let rated = 0;
  let silent = 0;
  let awaitingClaim = 0;
  let within = 0;
  let overdue = 0;
  let supervised = 0;
  const byTier = new Map<Tier, number>(TIERS.map((t) => [t, 0]));
  const toClaim: number[] = [];
  const toResolve: number[] = [];
  const now = asOf.getTime();

  for (const f of facts) {
    if (f.cancelledBeforeClaim) cancelledBeforeClaim++;
    if (responded(f)) respondedN++;
    if (f.firstClaimAt) toClaim.push(f.firstClaimAt.getTime() - f.publishedAt.getTime());
    if (f.supervisedAt) supervised++;
    if (f.state === 'claimed' && f.dueAt && f.dueAt.getTime() < now) overdue++;
    if (f.state === 'open' && !f.firstClaimAt && !f.supervisedAt) awaitingClaim++;
    if (f.state === 'resolved' && f.resolvedAt) {
      resolved++;
      toResolve.push(f.resolvedAt.getTime() - f.publishedAt.getTime());
      if (f.claimTier) byTier.set(f.claimTier, (byTier.get(f.claimTier) ?? 0) + 1);
    } else if (fulfilmentLapsed(f, asOf)) {
      lapsed++;
    } else if ((f.state === 'claimed' || f.state === 'awaiting_confirmation') && f.dueAt) {
      within++;
    }
    if (f.rating) {
      rated++;
      if (SATISFIED_RATINGS.includes(f.rating)) satisfied++;
    } else if (f.state === 'resolved' && f.autoConfirmed) {
      silent++;
    }
  }

  const tierShares: TierShare[] = TIERS.map((tier) => {
    const n = byTier.get(tier) ?? 0;
    return { tier, resolved: n, share: rate(n, resolved).rate };
  });
  return {
    published: facts.length,
    response: rate(respondedN, facts.length - cancelledBeforeClaim),
    resolution: rate(resolved, resolved + lapsed),
    satisfaction: rate(satisfied, rated),
    silentConfirmations: silent,
    cancelledBeforeClaim,
    awaitingClaim,
    withinFulfilmentWindow: within,
    tierShares,
    timeToClaim: durations(toClaim),
    timeToResolve: durations(toResolve),
    overdue,
    supervised,
  };
}
