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
    cancelledBeforeClaim: false,
    completedAt: null,
    resolvedAt: null,
    rating: null,
    autoConfirmed: false,
    dueAt: null,
    ...over,
  };
}

describe('the three rates over a hand-computed ledger', () => {
  const asOf = h(500);
  // 1 resolved at tier 1, satisfied, claimed after 2h, resolved after 20h
  // 2 resolved at tier 2, basically satisfied, claimed 30h, resolved 60h
  // 3 resolved at tier 1 by silence (auto_confirm, unrated), claimed 4h, resolved 200h
  // 4 resolved at tier 4, unsatisfied; claimed at 100h after its tier-4 window ended at 90h (supervised)
  // 5 cancelled by the resident before any claim
  // 6 claimed at 10h, fulfilment window ended at 50h, still claimed: overdue, lapsed
  // 7 claimed at 400h, fulfilment window ends at 600h: still within it
  // 8 open, never claimed, supervised at 90h
  // 9 open at tier 2, within its claim windows
  // 10 disputed: claimed at 6h, completed, disputed back to claimed; window ended at 300h -> lapsed, overdue
  // 11 completed at 40h within its window (due 45h), awaiting confirmation: not lapsed
  const facts: WishFact[] = [
    fact(1, { state: 'resolved', firstClaimAt: h(2), claimTier: 1, resolvedAt: h(20), rating: 'satisfied', dueAt: h(50) }),
    fact(2, { state: 'resolved', firstClaimAt: h(30), claimTier: 2, resolvedAt: h(60), rating: 'basically_satisfied', dueAt: h(80) }),
    fact(3, { state: 'resolved', firstClaimAt: h(4), claimTier: 1, resolvedAt: h(200), autoConfirmed: true, dueAt: h(60) }),
    fact(4, { state: 'resolved', firstClaimAt: h(100), claimTier: 4, supervisedAt: h(90), resolvedAt: h(120), rating: 'unsatisfied', dueAt: h(130) }),
    fact(5, { state: 'cancelled', cancelledBeforeClaim: true }),
    fact(6, { state: 'claimed', firstClaimAt: h(10), claimTier: 1, dueAt: h(50) }),
    fact(7, { state: 'claimed', firstClaimAt: h(400), claimTier: 3, dueAt: h(600) }),
    fact(8, { state: 'open', supervisedAt: h(90) }),
    fact(9, { state: 'open' }),
    fact(10, { state: 'claimed', firstClaimAt: h(6), claimTier: 1, dueAt: h(300) }),
    fact(11, { state: 'awaiting_confirmation', firstClaimAt: h(8), claimTier: 1, completedAt: h(40), dueAt: h(45) }),
  ];
  const s = summarise(facts, asOf);

  it('response: claimed before the tier-4 window ended ÷ (published − cancelled before claim)', () => {
    // Responded: 1 2 3 6 7 10 11 (4 claimed after supervision, 5 cancelled, 8 and 9 never claimed).
    expect(s.response).toEqual({ rate: 0.7, numerator: 7, denominator: 10 });
    expect(s.cancelledBeforeClaim).toBe(1);
    expect(s.published).toBe(11);
  });

  it('resolution: resolved ÷ (resolved + unresolved whose fulfilment window ended)', () => {
    // Resolved 1 2 3 4; lapsed 6 and 10; 7 within its window and 11 completed within it are left out.
    expect(s.resolution).toEqual({ rate: 0.6667, numerator: 4, denominator: 6 });
    expect(s.withinFulfilmentWindow).toBe(2);
  });

  it('satisfaction: 满意 + 基本满意 ÷ ratings given; silent confirmations apart', () => {
    expect(s.satisfaction).toEqual({ rate: 0.6667, numerator: 2, denominator: 3 });
    expect(s.silentConfirmations).toBe(1);
  });

  it('shares of resolved wishes by the tier of the resolving claim', () => {
    expect(s.tierShares).toEqual([
      { tier: 1, resolved: 2, share: 0.5 },
      { tier: 2, resolved: 1, share: 0.25 },
      { tier: 3, resolved: 0, share: 0 },
      { tier: 4, resolved: 1, share: 0.25 },
    ]);
  });

  it('times to claim and to resolve, median and p90 (nearest rank)', () => {
    // To claim: 2 4 6 8 10 30 100 400 -> median (8+10)/2 = 9, p90 rank ceil(7.2)=8 -> 400.
    expect(s.timeToClaim).toEqual({ count: 8, medianHours: 9, p90Hours: 400 });
    // To resolve: 20 60 120 200 -> median 90, p90 rank ceil(3.6)=4 -> 200.
    expect(s.timeToResolve).toEqual({ count: 4, medianHours: 90, p90Hours: 200 });
  });

  it('overdue, supervised and still-waiting counts', () => {
    expect(s.overdue).toBe(2); // 6 and 10
    expect(s.supervised).toBe(2); // 4 and 8
    expect(s.awaitingClaim).toBe(1); // 9
  });

  it('judges the tier-4 window from supervised_at, strictly', () => {
    expect(responded(fact(1, { firstClaimAt: h(5) }))).toBe(true);
    expect(responded(fact(1, { firstClaimAt: h(5), supervisedAt: h(6) }))).toBe(true);
    expect(responded(fact(1, { firstClaimAt: h(6), supervisedAt: h(6) }))).toBe(false);
    expect(responded(fact(1, { supervisedAt: h(6) }))).toBe(false);
  });

  it('a wish still in its fulfilment window moves into the denominator once the window ends', () => {
    const f = [fact(1, { state: 'claimed', firstClaimAt: h(1), claimTier: 1, dueAt: h(10) })];
    expect(summarise(f, h(9)).resolution).toEqual({ rate: null, numerator: 0, denominator: 0 });
    expect(summarise(f, h(10)).resolution).toEqual({ rate: 0, numerator: 0, denominator: 1 });
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
