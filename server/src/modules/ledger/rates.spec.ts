// The three rates over a ledger computed by hand from DOMAIN.md "The three rates" and
// "Closure" (every expected figure below was counted on paper from the list of wishes,
// not by the functions under test).
import { median, percentile, rate, responded, summarise, type WishFact } from './rates';

const T0 = Date.parse('2026-11-02T01:00:00Z');
const h = (n: number) => new Date(T0 + n * 3_600_000);

function fact(id: number, over: Partial<WishFact>): WishFact {
  return {
    id,
    communityClass: 'B',
    state: 'open',
    publishedAt: h(0),
    firstClaimAt: null,
    claimTier: null,
    supervisedAt: null,
    fulfilMissedAt: null,
    cancelledBySubmitter: false,
    closureCode: null,
    completedAt: null,
    resolvedAt: null,
    rating: null,
    ratingConsent: null,
    autoConfirmed: false,
    dueAt: null,
    ...over,
  };
}

describe('the three rates over a hand-computed ledger (DOMAIN.md)', () => {
  const asOf = h(500);
  const facts: WishFact[] = [
    // 1 resolved at tier 1, 满意; claimed 2h, resolved 20h
    fact(1, { state: 'resolved', firstClaimAt: h(2), claimTier: 1, resolvedAt: h(20), rating: 'satisfied', dueAt: h(50) }),
    // 2 resolved at tier 2, 基本满意
    fact(2, { state: 'resolved', firstClaimAt: h(30), claimTier: 2, resolvedAt: h(60), rating: 'basically_satisfied', dueAt: h(80) }),
    // 3 resolved at tier 1 by silence (unrated)
    fact(3, { state: 'resolved', firstClaimAt: h(4), claimTier: 1, resolvedAt: h(200), autoConfirmed: true, dueAt: h(60) }),
    // 4 resolved at tier 4, 不满意; first claimed at 100h, after its tier-4 window first ended at 90h
    fact(4, { state: 'resolved', firstClaimAt: h(100), claimTier: 4, supervisedAt: h(90), resolvedAt: h(120), rating: 'unsatisfied', dueAt: h(130) }),
    // 5 cancelled by the resident before any claim
    fact(5, { state: 'cancelled', cancelledBySubmitter: true, closureCode: 'withdrawn' }),
    // 6 claimed 10h, window ended 50h, still claimed (the sweeper has not recorded it yet)
    fact(6, { state: 'claimed', firstClaimAt: h(10), claimTier: 1, dueAt: h(50) }),
    // 7 claimed 400h, window ends 600h
    fact(7, { state: 'claimed', firstClaimAt: h(400), claimTier: 3, dueAt: h(600) }),
    // 8 open, never claimed, tier-4 window ended 90h
    fact(8, { state: 'open', supervisedAt: h(90) }),
    // 9 open at tier 2, inside its claim windows
    fact(9, { state: 'open' }),
    // 10 disputed back to claimed; the dispute's fresh window ended 300h
    fact(10, { state: 'claimed', firstClaimAt: h(6), claimTier: 1, dueAt: h(300) }),
    // 11 completed 40h within its window (45h), awaiting confirmation
    fact(11, { state: 'awaiting_confirmation', firstClaimAt: h(8), claimTier: 1, completedAt: h(40), dueAt: h(45) }),
    // 12 completed 70h after its window ended at 60h, awaiting confirmation
    fact(12, { state: 'awaiting_confirmation', firstClaimAt: h(9), claimTier: 1, completedAt: h(70), dueAt: h(60), fulfilMissedAt: h(60) }),
    // 13 cancelled by staff before any claim as spam
    fact(13, { state: 'cancelled', closureCode: 'spam' }),
    // 14 cancelled by staff before any claim as a duplicate
    fact(14, { state: 'cancelled', closureCode: 'duplicate' }),
    // 15 claimed 5h, then cancelled by staff: cannot be done
    fact(15, { state: 'cancelled', firstClaimAt: h(5), closureCode: 'cannot_be_done' }),
    // 16 tier-4 window ended 90h, then the resident withdrew it
    fact(16, { state: 'cancelled', supervisedAt: h(90), cancelledBySubmitter: true, closureCode: 'withdrawn' }),
    // 17 claimed 3h, released, then cancelled by staff as a duplicate
    fact(17, { state: 'cancelled', firstClaimAt: h(3), closureCode: 'duplicate' }),
    // 18 resolved at tier 3, 满意, rated on the resident's behalf (verbal consent)
    fact(18, { state: 'resolved', firstClaimAt: h(12), claimTier: 3, resolvedAt: h(40), rating: 'satisfied', ratingConsent: 'verbal', dueAt: h(90) }),
    // 19 resolved at tier 1, 不满意, rated on behalf (guardian)
    fact(19, { state: 'resolved', firstClaimAt: h(14), claimTier: 1, resolvedAt: h(50), rating: 'unsatisfied', ratingConsent: 'guardian', dueAt: h(90) }),
    // 20 claimed 5h, window ended 30h, the claim expired back to the pool: open again
    fact(20, { state: 'open', firstClaimAt: h(5), fulfilMissedAt: h(30) }),
    // 21 claimed 5h and released within its window: open again
    fact(21, { state: 'open', firstClaimAt: h(5) }),
    // 22 the case: tier-4 window first ended 90h, claimed late at 100h, released, supervised again later
    //    (supervised_at keeps the first supervision)
    fact(22, { state: 'open', firstClaimAt: h(100), supervisedAt: h(90) }),
    // 23 cancelled by staff before any claim, before closure codes existed
    fact(23, { state: 'cancelled' }),
  ];
  const s = summarise(facts, asOf);

  it('response: first claimed before the tier-4 window first ended ÷ decided', () => {
    // Decided: all but 5 (withdrawn), 14 (duplicate) and 9 (still in its windows) = 20.
    // Responded: 1 2 3 6 7 10 11 12 15 17 18 19 20 21 = 14; late: 4 8 13 16 22 23 = 6.
    expect(s.response).toEqual({ rate: 0.7, numerator: 14, denominator: 20 });
    expect(s.breakdown).toMatchObject({ responded: 14, respondedLate: 6, excludedWithdrawn: 1, excludedDuplicate: 1, undecidedClaim: 1 });
    expect(s.published).toBe(23);
  });

  it('resolution: resolved ÷ (resolved + failed); withdrawals and duplicates neither', () => {
    // Resolved 1 2 3 4 18 19 = 6. Failed: missed 6 10 12 20, unclaimed at tier 4 8 22, cancelled by staff 13 15 23 = 9.
    expect(s.resolution).toEqual({ rate: 0.4, numerator: 6, denominator: 15 });
    expect(s.breakdown).toMatchObject({ resolved: 6, failedMissed: 4, failedUnclaimed: 2, failedCancelled: 3, resolutionExcluded: 4, undecidedOpen: 2, undecidedHandling: 2 });
    expect(s.withinFulfilmentWindow).toBe(2); // 7 and 11
  });

  it('satisfaction: 满意 + 基本满意 ÷ ratings; ratings on behalf counted and reported apart; silence apart', () => {
    expect(s.satisfaction).toEqual({ rate: 0.6, numerator: 3, denominator: 5 });
    expect(s.breakdown).toMatchObject({ satisfied: 3, ratedByResident: 3, ratedOnBehalf: 2, satisfiedOnBehalf: 1, onBehalfByConsent: { verbal: 1, written: 0, guardian: 1 }, silent: 1 });
    expect(s.silentConfirmations).toBe(1);
  });

  it('closures of published wishes by code', () => {
    expect(s.closures).toEqual({ duplicate: 2, withdrawn: 2, redirected: 0, not_a_wish: 0, cannot_be_done: 1, spam: 1, uncoded: 1 });
  });

  it('shares of resolved wishes by the tier of the resolving claim', () => {
    expect(s.tierShares).toEqual([
      { tier: 1, resolved: 3, share: 0.5 },
      { tier: 2, resolved: 1, share: 0.1667 },
      { tier: 3, resolved: 1, share: 0.1667 },
      { tier: 4, resolved: 1, share: 0.1667 },
    ]);
  });

  it('times to claim and to resolve, median and p90 (nearest rank)', () => {
    // To claim (16): 2 3 4 5 5 5 6 8 9 10 12 14 30 100 100 400 -> median (8+9)/2, p90 rank 15 -> 100.
    expect(s.timeToClaim).toEqual({ count: 16, medianHours: 8.5, p90Hours: 100 });
    // To resolve: 20 40 50 60 120 200 -> median 55, p90 rank 6 -> 200.
    expect(s.timeToResolve).toEqual({ count: 6, medianHours: 55, p90Hours: 200 });
  });

  it('overdue, supervised and still-waiting counts', () => {
    expect(s.overdue).toBe(2); // 6 and 10
    expect(s.supervised).toBe(4); // 4 8 16 22
    expect(s.awaitingClaim).toBe(1); // 9
  });

  it('judges the tier-4 window from the first supervision, strictly', () => {
    expect(responded(fact(1, { firstClaimAt: h(5) }))).toBe(true);
    expect(responded(fact(1, { firstClaimAt: h(5), supervisedAt: h(6) }))).toBe(true);
    expect(responded(fact(1, { firstClaimAt: h(6), supervisedAt: h(6) }))).toBe(false);
    expect(responded(fact(1, { supervisedAt: h(6) }))).toBe(false);
  });

  it('a wish enters the resolution denominator when its fulfilment window ends, and leaves failure only by being resolved', () => {
    const claimed = fact(1, { state: 'claimed', firstClaimAt: h(1), claimTier: 1, dueAt: h(10) });
    expect(summarise([claimed], h(9)).resolution).toEqual({ rate: null, numerator: 0, denominator: 0 });
    expect(summarise([claimed], h(10)).resolution).toEqual({ rate: 0, numerator: 0, denominator: 1 });
    // Disputed later with a fresh window: still failed (the first miss is a fact).
    const disputed = fact(1, { state: 'claimed', firstClaimAt: h(1), claimTier: 1, dueAt: h(100), fulfilMissedAt: h(10) });
    expect(summarise([disputed], h(20)).resolution).toEqual({ rate: 0, numerator: 0, denominator: 1 });
    // Resolved at any time: resolved.
    expect(summarise([{ ...disputed, state: 'resolved', resolvedAt: h(30), rating: 'satisfied' }], h(40)).resolution).toEqual({ rate: 1, numerator: 1, denominator: 1 });
  });

  it('gives null rates, not NaN, over an empty ledger', () => {
    const e = summarise([], asOf);
    expect([e.response.rate, e.resolution.rate, e.satisfaction.rate]).toEqual([null, null, null]);
    expect(e.timeToClaim).toEqual({ count: 0, medianHours: null, p90Hours: null });
  });

  it('helpers', () => {
    expect(rate(1, 3)).toEqual({ rate: 0.3333, numerator: 1, denominator: 3 });
    expect(median([3, 1, 2])).toBe(2);
    expect(percentile([5, 1, 4, 2, 3], 0.9)).toBe(5);
    expect(percentile([1], 0.9)).toBe(1);
  });
});
