import { BUCKET_FLOORS, beijingDay, beijingMonth, durationBucket, newDurations } from './rates-rollup';

describe('rates rollup helpers', () => {
  it('names the Beijing day and month of an instant, across the UTC date line', () => {
    expect(beijingDay(new Date('2026-12-31T15:59:59.999Z'))).toBe('2026-12-31');
    expect(beijingDay(new Date('2026-12-31T16:00:00.000Z'))).toBe('2027-01-01');
    expect(beijingMonth(new Date('2026-02-28T16:00:00.000Z'))).toBe('2026-03');
    expect(beijingMonth(new Date('2026-02-28T15:59:59.999Z'))).toBe('2026-02');
  });

  it('puts each duration in the one bucket whose floor it reaches, in order', () => {
    expect(durationBucket(-5)).toBe(0);
    expect(durationBucket(59_999)).toBe(0);
    expect(durationBucket(60_000)).toBe(1);
    for (let b = 1; b < BUCKET_FLOORS.length; b++) {
      expect(durationBucket(BUCKET_FLOORS[b])).toBe(b);
      expect(durationBucket(BUCKET_FLOORS[b] - 1)).toBe(b - 1);
    }
    expect(durationBucket(Number.MAX_SAFE_INTEGER)).toBe(BUCKET_FLOORS.length - 1);
  });

  it('gives a move the durations it brings into existence, once', () => {
    const published = new Date('2026-11-23T01:00:00Z');
    const at = (h: number) => new Date(published.getTime() + h * 3_600_000);
    expect(newDurations({ firstClaimedAt: null, state: 'open' }, { publishedAt: published, firstClaimedAt: at(2), state: 'claimed', resolvedAt: null })).toEqual({ claimMs: 2 * 3_600_000 });
    expect(newDurations({ firstClaimedAt: at(2), state: 'claimed' }, { publishedAt: published, firstClaimedAt: at(2), state: 'claimed', resolvedAt: null })).toEqual({});
    expect(newDurations({ firstClaimedAt: at(2), state: 'awaiting_confirmation' }, { publishedAt: published, firstClaimedAt: at(2), state: 'resolved', resolvedAt: at(30) })).toEqual({ resolveMs: 30 * 3_600_000 });
    expect(newDurations({ firstClaimedAt: null, state: 'pending_review' }, { publishedAt: null, firstClaimedAt: null, state: 'rejected', resolvedAt: null })).toEqual({});
  });
});
