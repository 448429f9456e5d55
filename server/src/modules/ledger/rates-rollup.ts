// Rollups that keep the three rates exact and cheap at city scale (issue: the
// committee's desk, city-wide dashboard <= 1 s). Two observations make them exact:
// - A wish in a terminal state (resolved, cancelled, rejected) never changes again,
//   and its contribution to every counter of the rates is then fixed (the counters
//   that depend on "now" are zero for it). So terminal wishes are summed once, when
//   they enter the terminal state, into rates_rollup (by community and Beijing day of
//   publication); wishes still open, claimed or awaiting confirmation are counted live
//   (idx_wish_live holds what those counts read and no column an escalation changes).
// - The dashboard's bars (wishes by state and tier) are a count of every wish by
//   community, Beijing month of submission, state, tier and published, kept in
//   bars_rollup by +1/-1 on every change of those (submission, moves, the sweeper's
//   steps: one grouped upsert per batch), since a covering index with the tier in it
//   would be rewritten by every escalation.
// - A wish's time to first claim and time to resolution never change once they exist.
//   They are kept on the row (claim_ms, resolve_ms, indexed) and counted into
//   duration_rollup by log-spaced bucket, so a median is found by summing bucket
//   counts and then reading a few index entries inside one bucket.
// Written in the same transaction as the move that causes them (WishLifecycle.move,
// DispatchSweeper for auto-confirmation); rebuild() recomputes them from the wish rows
// (migration backfill, bulk loads, and the test that holds the two equal).
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CLOSURE_CODES, CONSENT_METHODS, NON_FAILING_CLOSURES, SATISFIED_RATINGS, TERMINAL_STATES, type WishState } from '@xinyuan/shared';
import { localDay, localMonth, sqlLocalDay, sqlLocalMonth } from '../../common/time';
import { Database } from '../../database/database';
import { BEHALF_COUNTER, CLOSED_COUNTER, countFact, emptyCounts, toWishFact, type RateCounts, type WishFact } from './rates';
import type { Wish } from '../wishes/wish.entity';

// ---- SQL pieces shared by the writer, the rebuild and the ledger's reader (both dialects)

/** Milliseconds from a to b (datetime columns). */
export function sqlMsBetween(sqlite: boolean, a: string, b: string): string {
  return sqlite ? `CAST(ROUND((julianday(${b}) - julianday(${a})) * 86400000) AS INTEGER)` : `(TIMESTAMPDIFF(MICROSECOND, ${a}, ${b}) DIV 1000)`;
}
// Local (working time zone) days and months, in JS and SQL: common/time.ts.
export { localDay as beijingDay, localMonth as beijingMonth, sqlLocalDay as sqlBeijingDay, sqlLocalMonth as sqlBeijingMonth };

/**
 * Duration buckets: bucket 0 is under a minute, then each bucket is 2^(1/4)
 * (about 19%) wider than the one before, up to 2^20 minutes (two years) and
 * beyond in the last. BUCKET_FLOORS[b] is the smallest duration (ms) in bucket b.
 */
export const BUCKET_FLOORS: readonly number[] = [-Infinity, ...Array.from({ length: 80 }, (_, i) => Math.ceil(60_000 * 2 ** (i / 4)))];
export function durationBucket(ms: number): number {
  let lo = 0;
  let hi = BUCKET_FLOORS.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (BUCKET_FLOORS[mid] <= ms) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
/** The same bucket in SQL (for the rebuild). */
export function sqlDurationBucket(col: string): string {
  return `CASE ${BUCKET_FLOORS.slice(1).map((f, i) => `WHEN ${col} < ${f} THEN ${i}`).join(' ')} ELSE ${BUCKET_FLOORS.length - 1} END`;
}

/** Published wishes not yet terminal: counted live. */
export const LIVE_STATES: readonly WishState[] = ['open', 'claimed', 'awaiting_confirmation'];
export const DURATION_KINDS = ['claim', 'resolve'] as const;
export type DurationKind = (typeof DURATION_KINDS)[number];

const RESOLVED = `w.state = 'resolved' AND w.resolved_at IS NOT NULL`;
const resolvedAt = (tier: 1 | 2 | 3 | 4) => ({
  col: `resolved${tier}`,
  sql: `${RESOLVED} AND w.tier = ${tier}`,
  terminal: true,
  live: false,
  of: (c: RateCounts) => c.resolvedByTier[tier - 1],
  set: (c: RateCounts, n: number) => void (c.resolvedByTier[tier - 1] = n),
});

/** One counter of rates.ts countFact() as SQL over wish w. `?` stands for "now" (asOf). */
export interface RateCounter {
  col: string;
  sql: string;
  /** A terminal wish can count here (a rates_rollup column); such counters never depend on "now" for a terminal wish. */
  terminal: boolean;
  /** A wish still open, claimed or awaiting confirmation can count here (counted live). */
  live: boolean;
  of: (c: RateCounts) => number;
  set: (c: RateCounts, n: number) => void;
}

/** A plain counter: the RateCounts field of the same meaning. */
function counter(col: string, key: Exclude<keyof RateCounts, 'resolvedByTier'>, sql: string, terminal: boolean, live: boolean): RateCounter {
  return { col, sql, terminal, live, of: (c) => c[key], set: (c, n) => void (c[key] = n) };
}

const q = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ');
const LIVE_SQL = `w.state IN ('open', 'claimed', 'awaiting_confirmation')`;
/** rates.ts closedWithoutFault(). */
const WITHOUT_FAULT = `(w.state = 'cancelled' AND (w.cancelled_by_submitter = 1 OR COALESCE(w.closure_code, '') IN (${q(NON_FAILING_CLOSURES)})))`;
/** rates.ts responseDecided(). */
const DECIDED = `(w.first_claimed_at IS NOT NULL OR w.supervised_at IS NOT NULL OR (w.state = 'cancelled' AND NOT ${WITHOUT_FAULT}))`;
/** Missed by now: a fulfilment window ended without completion (the fact, or a claim past its due time). */
const MISSED = `(w.fulfil_missed_at IS NOT NULL OR (w.state = 'claimed' AND w.due_at IS NOT NULL AND w.due_at <= ?))`;
const NOT_MISSED = `(w.fulfil_missed_at IS NULL AND (w.state <> 'claimed' OR w.due_at IS NULL OR w.due_at > ?))`;
const RATED_ON_BEHALF = `w.rating IS NOT NULL AND w.rating_consent IS NOT NULL`;
const SATISFIED = `w.rating IN (${q(SATISFIED_RATINGS)})`;

/**
 * Every counter of the rates, once: the SQL twin of each line of countFact(), for
 * the rollups (terminal wishes) and the live count (the others). Tests hold the
 * SQL equal to countFact() on generated ledgers.
 */
export const RATE_COUNTERS: readonly RateCounter[] = [
  counter('published', 'published', `1 = 1`, true, true),
  // Response.
  counter('response_decided', 'responseDecided', DECIDED, true, true),
  counter('responded', 'responded', `w.first_claimed_at IS NOT NULL AND (w.supervised_at IS NULL OR w.first_claimed_at < w.supervised_at)`, true, true),
  counter('excluded_withdrawn', 'excludedWithdrawn', `NOT ${DECIDED} AND ${WITHOUT_FAULT} AND (w.cancelled_by_submitter = 1 OR COALESCE(w.closure_code, '') <> 'duplicate')`, true, false),
  counter('excluded_duplicate', 'excludedDuplicate', `NOT ${DECIDED} AND ${WITHOUT_FAULT} AND w.cancelled_by_submitter = 0 AND w.closure_code = 'duplicate'`, true, false),
  counter('awaiting_claim', 'awaitingClaim', `w.state = 'open' AND w.first_claimed_at IS NULL AND w.supervised_at IS NULL`, false, true),
  // Resolution.
  resolvedAt(1),
  resolvedAt(2),
  resolvedAt(3),
  resolvedAt(4),
  counter('failed_cancelled', 'failedCancelled', `w.state = 'cancelled' AND NOT ${WITHOUT_FAULT}`, true, false),
  counter('failed_missed', 'failedMissed', `${LIVE_SQL} AND ${MISSED}`, false, true),
  counter('failed_unclaimed', 'failedUnclaimed', `${LIVE_SQL} AND ${NOT_MISSED} AND w.supervised_at IS NOT NULL`, false, true),
  counter('resolution_excluded', 'resolutionExcluded', WITHOUT_FAULT, true, false),
  counter('open_in_window', 'openInWindow', `w.state = 'open' AND w.fulfil_missed_at IS NULL AND w.supervised_at IS NULL`, false, true),
  counter('within_window', 'within', `w.state IN ('claimed', 'awaiting_confirmation') AND ${NOT_MISSED} AND w.supervised_at IS NULL`, false, true),
  // Satisfaction (a rating is given at the confirmation, so only a resolved, terminal wish has one).
  counter('satisfied', 'satisfied', SATISFIED, true, false),
  counter('rated', 'rated', `w.rating IS NOT NULL`, true, false),
  counter('rated_on_behalf', 'ratedOnBehalf', RATED_ON_BEHALF, true, false),
  counter('satisfied_on_behalf', 'satisfiedOnBehalf', `${RATED_ON_BEHALF} AND ${SATISFIED}`, true, false),
  ...CONSENT_METHODS.map((m) => counter(`behalf_${m}`, BEHALF_COUNTER[m], `${RATED_ON_BEHALF} AND w.rating_consent = '${m}'`, true, false)),
  counter('silent', 'silent', `w.state = 'resolved' AND w.rating IS NULL`, true, false),
  // Closures of published wishes.
  ...CLOSURE_CODES.map((code) => counter(`closed_${code}`, CLOSED_COUNTER[code], `w.state = 'cancelled' AND w.closure_code = '${code}'`, true, false)),
  counter('closed_uncoded', 'closedUncoded', `w.state = 'cancelled' AND w.closure_code IS NULL`, true, false),
  // Beside the rates.
  counter('overdue', 'overdue', `w.state = 'claimed' AND w.due_at IS NOT NULL AND w.due_at < ?`, false, true),
  counter('supervised', 'supervised', `w.supervised_at IS NOT NULL`, true, true),
];
/** The counters a terminal wish can have: the rates_rollup columns. */
export const TERMINAL_COUNTERS = RATE_COUNTERS.filter((k) => k.terminal);
/** The counters a wish not yet terminal can have: what the live count sums. */
export const LIVE_COUNTERS = RATE_COUNTERS.filter((k) => k.live);

/** Counts from a row whose columns are named as the counters. */
export function countsFromRow(r: Record<string, unknown>, counters: readonly RateCounter[]): RateCounts {
  const c = emptyCounts();
  for (const k of counters) k.set(c, Number(r[k.col] ?? 0));
  return c;
}

/** What the rollups need to know about a wish. */
export type RollupWish = Pick<
  Wish,
  | 'id'
  | 'communityId'
  | 'state'
  | 'tier'
  | 'createdAt'
  | 'publishedAt'
  | 'firstClaimedAt'
  | 'supervisedAt'
  | 'fulfilMissedAt'
  | 'cancelledBySubmitter'
  | 'closureCode'
  | 'completedAt'
  | 'resolvedAt'
  | 'rating'
  | 'ratingConsent'
  | 'dueAt'
  | 'claimMs'
  | 'resolveMs'
>;

/** The rates' view of a wish entity (its class does not matter to the counters). */
export function factOfWish(w: RollupWish & { publishedAt: Date }): WishFact {
  return toWishFact({ ...w, communityClass: 'B', firstClaimAt: w.firstClaimedAt, cancelledBySubmitter: !!w.cancelledBySubmitter });
}

/** The durations a move brings into existence, to be written on the row with it. */
export function newDurations(before: Pick<Wish, 'firstClaimedAt' | 'state'>, after: Pick<Wish, 'publishedAt' | 'firstClaimedAt' | 'state' | 'resolvedAt'>): Partial<Pick<Wish, 'claimMs' | 'resolveMs'>> {
  const out: Partial<Pick<Wish, 'claimMs' | 'resolveMs'>> = {};
  if (!after.publishedAt) return out;
  if (!before.firstClaimedAt && after.firstClaimedAt) out.claimMs = after.firstClaimedAt.getTime() - after.publishedAt.getTime();
  if (before.state !== 'resolved' && after.state === 'resolved' && after.resolvedAt) out.resolveMs = after.resolvedAt.getTime() - after.publishedAt.getTime();
  return out;
}

type Query = (sql: string, params?: unknown[]) => Promise<unknown>;

@Injectable()
export class RatesRollup {
  constructor(private readonly db: Database) {}

  /**
   * Adds what these changes do to the rollups, inside their transaction. `before`
   * is the wish as it was read (null for a new wish), `after` as written (with
   * claimMs and resolveMs set by newDurations when the move made them).
   */
  async record(m: EntityManager, changes: readonly { before: Pick<Wish, 'state' | 'tier' | 'publishedAt' | 'firstClaimedAt'> | null; after: RollupWish }[]): Promise<void> {
    const rates = new Map<string, { communityId: number; day: string; c: RateCounts }>();
    const bars = new Map<string, [number, string, string, number, number, number]>();
    const durations = new Map<string, [string, number, string, number, number]>();
    const bar = (w: Pick<Wish, 'communityId' | 'createdAt' | 'state' | 'tier' | 'publishedAt'>, delta: number) => {
      const row: [number, string, string, number, number, number] = [w.communityId, localMonth(w.createdAt), w.state, w.tier, w.publishedAt ? 1 : 0, 0];
      const key = row.slice(0, 5).join('|');
      (bars.get(key) ?? bars.set(key, row).get(key)!)[5] += delta;
    };
    for (const { before: b, after: w } of changes) {
      // A new wish has no "before": it enters the bars and nothing else.
      const before = b ?? { state: null as unknown as WishState, tier: w.tier, publishedAt: null, firstClaimedAt: null };
      if (!b || b.state !== w.state || b.tier !== w.tier || !!b.publishedAt !== !!w.publishedAt) {
        if (b) bar({ communityId: w.communityId, createdAt: w.createdAt, state: b.state, tier: b.tier, publishedAt: b.publishedAt }, -1);
        bar(w, +1);
      }
      if (b && !TERMINAL_STATES.includes(b.state) && TERMINAL_STATES.includes(w.state) && w.publishedAt) {
        const day = localDay(w.publishedAt);
        const key = `${w.communityId}|${day}`;
        const e = rates.get(key) ?? rates.set(key, { communityId: w.communityId, day, c: emptyCounts() }).get(key)!;
        countFact(e.c, factOfWish(w as RollupWish & { publishedAt: Date }), w.publishedAt);
      }
      const add = (kind: DurationKind, ms: number | null | undefined, had: boolean) => {
        if (had || ms === null || ms === undefined || !w.publishedAt) return;
        const row: [string, number, string, number, number] = [kind, w.communityId, localMonth(w.publishedAt), durationBucket(ms), 0];
        const key = row.slice(0, 4).join('|');
        (durations.get(key) ?? durations.set(key, row).get(key)!)[4]++;
      };
      add('claim', w.claimMs, !!before.firstClaimedAt);
      add('resolve', w.resolveMs, before.state === 'resolved');
    }
    const q: Query = (sql, params) => m.query(sql, params);
    if (rates.size)
      await this.upsert(q, 'rates_rollup', ['community_id', 'day'], TERMINAL_COUNTERS.map((k) => k.col), [...rates.values()].map((e) => [e.communityId, e.day, ...TERMINAL_COUNTERS.map((k) => k.of(e.c))]));
    // Keys in one order, so transactions upserting the same rows (sweepers side by side) lock them in the same order.
    const barRows = [...bars.entries()].filter(([, r]) => r[5] !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
    if (barRows.length) await this.upsert(q, 'bars_rollup', ['community_id', 'month', 'state', 'tier', 'published'], ['n'], barRows);
    if (durations.size) await this.upsert(q, 'duration_rollup', ['kind', 'community_id', 'month', 'bucket'], ['n'], [...durations.values()]);
  }

  private async upsert(q: Query, table: string, keys: string[], counters: string[], rows: unknown[][]): Promise<void> {
    const cols = [...keys, ...counters];
    const values = rows.map(() => `(${cols.map(() => '?').join(', ')})`).join(', ');
    const tail = this.db.isSqlite
      ? `ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${counters.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`
      : `ON DUPLICATE KEY UPDATE ${counters.map((c) => `${c} = ${c} + VALUES(${c})`).join(', ')}`;
    await q(`INSERT INTO ${table} (${cols.join(', ')}) VALUES ${values} ${tail}`, rows.flat());
  }

  /**
   * Recomputes the durations on the rows and the three rollups from the wish
   * rows: after a bulk load that bypassed the moves (the migration's backfill,
   * the benchmark's generator, the demo seed). Runs in whatever transaction the
   * caller holds; ten-odd statements, set-based.
   */
  static async rebuild(query: Query, sqlite: boolean): Promise<void> {
    const terminal = TERMINAL_STATES.map((s) => `'${s}'`).join(', ');
    await query(`UPDATE wish SET claim_ms = NULL, resolve_ms = NULL`);
    await query(`UPDATE wish SET claim_ms = ${sqlMsBetween(sqlite, 'published_at', 'first_claimed_at')} WHERE published_at IS NOT NULL AND first_claimed_at IS NOT NULL`);
    await query(`UPDATE wish SET resolve_ms = ${sqlMsBetween(sqlite, 'published_at', 'resolved_at')} WHERE state = 'resolved' AND published_at IS NOT NULL AND resolved_at IS NOT NULL`);
    for (const t of ['rates_rollup', 'bars_rollup', 'duration_rollup']) await query(`DELETE FROM ${t}`);
    const day = sqlLocalDay(sqlite, 'w.published_at');
    await query(
      `INSERT INTO rates_rollup (community_id, day, ${TERMINAL_COUNTERS.map((k) => k.col).join(', ')})
       SELECT w.community_id, ${day}, ${TERMINAL_COUNTERS.map((k) => `SUM(CASE WHEN ${k.sql} THEN 1 ELSE 0 END)`).join(', ')}
         FROM wish w WHERE w.state IN (${terminal}) AND w.published_at IS NOT NULL GROUP BY w.community_id, ${day}`,
    );
    const created = sqlLocalMonth(sqlite, 'w.created_at');
    const pub = `CASE WHEN w.published_at IS NULL THEN 0 ELSE 1 END`;
    await query(
      `INSERT INTO bars_rollup (community_id, month, state, tier, published, n)
       SELECT w.community_id, ${created}, w.state, w.tier, ${pub}, COUNT(*) FROM wish w GROUP BY w.community_id, ${created}, w.state, w.tier, ${pub}`,
    );
    const month = sqlLocalMonth(sqlite, 'w.published_at');
    for (const kind of DURATION_KINDS) {
      const col = `w.${kind}_ms`;
      await query(
        `INSERT INTO duration_rollup (kind, community_id, month, bucket, n)
         SELECT '${kind}', w.community_id, ${month}, ${sqlDurationBucket(col)}, COUNT(*) FROM wish w WHERE ${col} IS NOT NULL GROUP BY w.community_id, ${month}, ${sqlDurationBucket(col)}`,
      );
    }
  }
}
