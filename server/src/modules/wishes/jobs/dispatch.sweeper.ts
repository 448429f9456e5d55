import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import type { CommunityClass, Role, Tier, WishState } from '@xinyuan/shared';
import { APP_CONFIG, type AppConfig } from '../../../config/config';
import { Clock } from '../../../common/clock';
import { ROOT_LOGGER } from '../../../common/logging/logger';
import { Database } from '../../../database/database';
import { JobLeases } from '../../../common/jobs/job-lease';
import { DispatchRules } from '../../dispatch/dispatch-rules.service';
import { enqueueNotices, takeDay, type NoticeInsert } from '../../outbox/outbox';
import { localDay } from '../../../common/time';
import { OrganisationsRepository } from '../../organisations/organisations.repository';
import { newDurations, RatesRollup } from '../../ledger/rates-rollup';
import { dueSteps, noticesFor } from '../wish-timers';
import { seal } from '../event-chain';
import { headOf } from '../wish-events.repository';
import type { Wish } from '../wish.entity';

export interface SweepStats {
  wishes: number;
  events: number;
  batches: number;
}

/** The columns a timer move may change, written back in one statement per batch. */
const CHANGING = [
  ['state', 'state'],
  ['tier', 'tier'],
  ['claimant_id', 'claimantId'],
  ['claimant_role', 'claimantRole'],
  ['claimed_at', 'claimedAt'],
  ['assignee_id', 'assigneeId'],
  ['window_ends_at', 'windowEndsAt'],
  ['due_at', 'dueAt'],
  ['reminded_at', 'remindedAt'],
  ['supervised_at', 'supervisedAt'],
  ['fulfil_missed_at', 'fulfilMissedAt'],
  ['next_due_at', 'nextDueAt'],
  ['resolved_at', 'resolvedAt'],
  ['resolve_ms', 'resolveMs'],
  ['chain_seq', 'chainSeq'],
  ['chain_head', 'chainHead'],
] as const satisfies readonly (readonly [string, keyof Wish])[];

const SELECT_COLS =
  'id, district_id, community_id, submitter_id, title, state, tier, urgent, claimant_id, claimant_role, claimed_at, assignee_id, window_ends_at, due_at, reminded_at, supervised_at, fulfil_missed_at, next_due_at, resolved_at, resolve_ms, published_at, version, created_at, chain_seq, chain_head';

/**
 * Rows per statement: fewer, larger statements drain faster. Bounded by the
 * placeholders a statement may carry: 65,535 on MySQL/MariaDB (5,000 notices of
 * 10 columns), 32,766 on SQLite.
 */
const CHUNK_MYSQL = 5000;
const CHUNK_SQLITE = 2000;

/** The job's name in job_lease. */
const LEASE = 'dispatch sweep';

/**
 * The dispatch engine. The wish row is the timer (next_due_at); every instance
 * sweeps the same table on an interval. A batch is taken with FOR UPDATE SKIP
 * LOCKED (MySQL/MariaDB, READ COMMITTED) so instances never share a wish, and
 * written back set-based in the same transaction: one UPDATE, one multi-row
 * event INSERT, one outbox INSERT. On SQLite the transaction queue serialises it.
 */
@Injectable()
export class DispatchSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly rules: DispatchRules,
    private readonly orgs: OrganisationsRepository,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly rollup: RatesRollup,
    private readonly leases: JobLeases,
  ) {}

  private get chunk(): number {
    return this.db.isSqlite ? CHUNK_SQLITE : CHUNK_MYSQL;
  }

  onApplicationBootstrap(): void {
    if (this.config.dispatch.enabled) this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await this.leases.release(LEASE);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      // On a Galera node only the instance holding the lease sweeps (common/jobs/job-lease.ts).
      this.running = this.leases
        .runHeld(LEASE, () => this.sweepTick())
        .then((s) => s?.wishes && this.logger.info({ sweep: s }, 'dispatch sweep'))
        .catch((e) => this.logger.error({ err: e }, 'dispatch sweep failed'))
        .finally(() => {
          this.running = null;
          this.schedule(this.config.dispatch.intervalMs);
        });
    }, delay);
    this.timer.unref();
  }

  /**
   * One tick of the timer: `loops` sweeps side by side on MySQL/MariaDB, so the
   * database works on one loop's batch while another loop computes its own (each
   * takes its rows with SKIP LOCKED, as separate instances do); one on SQLite,
   * whose writers are serialised anyway.
   */
  async sweepTick(now: Date = this.clock.now(), batchSize = this.config.dispatch.batchSize, loops = this.db.isSqlite ? 1 : this.config.dispatch.loops): Promise<SweepStats> {
    await this.rules.refresh();
    await this.reviewBacklog(now);
    const all = await Promise.all(Array.from({ length: loops }, () => this.sweepOnce(now, batchSize, false)));
    return all.reduce((a, s) => ({ wishes: a.wishes + s.wishes, events: a.events + s.events, batches: a.batches + s.batches }), { wishes: 0, events: 0, batches: 0 });
  }

  /**
   * The review backlog (issue 15): each community with wishes waiting in review longer than
   * REVIEW_BACKLOG_DAYS hears of it once per Beijing day: one notice to its committee about
   * the oldest of them, with how many wait (notice_once keeps it to one a day, also when
   * several instances sweep). Returns the communities told.
   */
  async reviewBacklog(now: Date = this.clock.now()): Promise<number> {
    const before = new Date(now.getTime() - this.config.dispatch.reviewBacklogDays * 86_400_000);
    const rows: { community_id: unknown; n: unknown; oldest: unknown }[] = await this.db.manager.query(
      `SELECT community_id, COUNT(*) AS n, MIN(id) AS oldest FROM wish WHERE state = 'pending_review' AND created_at < ? GROUP BY community_id ORDER BY community_id`,
      [this.db.time(before)],
    );
    let told = 0;
    for (const r of rows) {
      const communityId = Number(r.community_id);
      const took = await this.db.tx(async (m) => {
        if (!(await takeDay(m, this.db.isSqlite, `backlog:${communityId}`, localDay(now), this.db.time(now)))) return false;
        const notice: NoticeInsert = { wishId: Number(r.oldest), kind: 'backlog', audience: { type: 'committee', communityId }, tier: 1, note: `共${Number(r.n)}件待审核超过${this.config.dispatch.reviewBacklogDays}天`, createdAt: now };
        await enqueueNotices(m, [notice], (d) => this.db.time(d));
        return true;
      });
      if (took) told++;
    }
    return told;
  }

  /** Moves every wish whose timer is due by `now`, batch by batch, until none is left. */
  async sweepOnce(now: Date = this.clock.now(), batchSize = this.config.dispatch.batchSize, refresh = true): Promise<SweepStats> {
    if (refresh) await this.rules.refresh();
    const classes = new Map<number, CommunityClass>();
    const stats: SweepStats = { wishes: 0, events: 0, batches: 0 };
    for (;;) {
      const n = await this.db.tx((m) => this.sweepBatch(m, now, batchSize, classes, stats));
      if (n > 0) stats.batches++;
      if (n < batchSize) return stats;
    }
  }

  private async sweepBatch(m: EntityManager, now: Date, limit: number, classes: Map<number, CommunityClass>, stats: SweepStats): Promise<number> {
    const lock = this.db.isSqlite ? '' : ' FOR UPDATE SKIP LOCKED';
    const raw: Record<string, unknown>[] = await m.query(
      `SELECT ${SELECT_COLS}, claim_left_minutes FROM wish WHERE next_due_at <= ? ORDER BY next_due_at LIMIT ${Number(limit)}${lock}`,
      [this.db.time(now)],
    );
    if (raw.length === 0) return 0;
    const wishes = raw.map((r) => this.hydrate(r));
    const missing = [...new Set(wishes.map((w) => w.communityId))].filter((id) => !classes.has(id));
    for (const [id, cls] of await this.orgs.classesOf(missing)) classes.set(id, cls);

    const events: unknown[][] = [];
    const notices: NoticeInsert[] = [];
    const before = wishes.map((w) => ({ state: w.state, tier: w.tier, publishedAt: w.publishedAt, firstClaimedAt: null }));
    for (const w of wishes) {
      let claimantBefore = w.claimantId;
      dueSteps(this.rules, w, classes.get(w.communityId) ?? 'B', now, (s, after) => {
        // Each step is sealed onto the wish's chain in order; the batch's UPDATE writes the last head.
        const c = seal({ wishId: w.id, type: s.action, fromState: s.from.state, toState: s.to.state, fromTier: s.from.tier, toTier: s.to.tier, actorId: null, actorRole: 'system', actorOrgId: null, reason: null, payload: null, createdAt: s.at }, headOf(w));
        w.chainSeq = c.seq;
        w.chainHead = c.chainHash;
        events.push([w.id, s.action, s.from.state, s.to.state, s.from.tier, s.to.tier, 'system', this.db.time(s.at), c.seq, c.chainHash]);
        // Each notice names the tier (and people) of its own step, also when one sweep catches up several.
        notices.push(...noticesFor(s.action, after, claimantBefore, s.at));
        claimantBefore = after.claimantId;
      });
    }
    // Auto-confirmed wishes are now terminal: their resolution time goes on the row and they go into the rates' rollups.
    const confirmed = wishes.filter((w, i) => before[i].state !== 'resolved' && w.state === 'resolved');
    if (confirmed.length) await this.completeForRollup(m, confirmed);
    await this.writeBack(m, wishes, now);
    // The bars follow every change of state or tier (one grouped upsert); auto-confirmations also enter the rates' rollups.
    await this.rollup.record(
      m,
      wishes.map((w, i) => ({ before: { ...before[i], firstClaimedAt: w.firstClaimedAt ?? null }, after: w })).filter(({ before: b, after: w }) => b.state !== w.state || b.tier !== w.tier),
    );
    const chunk = this.chunk;
    for (let i = 0; i < events.length; i += chunk) {
      const part = events.slice(i, i + chunk);
      await m.query(
        // A timer move has no actor, reason or payload: those columns are left to their NULL default.
        `INSERT INTO wish_event (wish_id, type, from_state, to_state, from_tier, to_tier, actor_role, created_at, seq, chain_hash) VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        part.flat(),
      );
    }
    for (let i = 0; i < notices.length; i += chunk) await enqueueNotices(m, notices.slice(i, i + chunk), (d) => this.db.time(d));
    stats.wishes += wishes.length;
    stats.events += events.length;
    return raw.length;
  }

  /** Reads what the rollups need beyond the sweep's columns, for the few wishes a batch resolves. */
  private async completeForRollup(m: EntityManager, wishes: Wish[]): Promise<void> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT id, published_at, first_claimed_at, cancelled_by_submitter, closure_code, completed_at, rating, rating_consent FROM wish WHERE id IN (${wishes.map(() => '?').join(', ')})`,
      wishes.map((w) => w.id),
    );
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    for (const w of wishes) {
      const r = byId.get(w.id)!;
      const t = (k: string) => this.db.readTime(r[k] as string | Date | null);
      Object.assign(w, { publishedAt: t('published_at'), firstClaimedAt: t('first_claimed_at'), cancelledBySubmitter: !!Number(r.cancelled_by_submitter), closureCode: r.closure_code ?? null, completedAt: t('completed_at'), rating: r.rating ?? null, ratingConsent: r.rating_consent ?? null });
      Object.assign(w, newDurations({ state: 'awaiting_confirmation', firstClaimedAt: w.firstClaimedAt }, w));
    }
  }

  /**
   * One guarded UPDATE per chunk. A column every row sets alike is one value;
   * the columns that differ per row come from a table of values joined on id
   * (MariaDB and SQLite; MySQL 8 spells row constructors differently, so it gets
   * CASE expressions). The rows are locked (or the writer is alone), and the
   * guard on next_due_at plus the affected-row count make a lost race a rollback.
   */
  private async writeBack(m: EntityManager, wishes: Wish[], now: Date): Promise<void> {
    const t = this.db.time(now);
    // Up to every changing column may differ per row: keep the placeholders in bounds.
    const chunk = Math.floor((this.db.isSqlite ? 32_000 : 64_000) / (2 * CHANGING.length + 2));
    for (let i = 0; i < wishes.length; i += chunk) {
      const part = wishes.slice(i, i + chunk);
      const constant: [string, unknown][] = [];
      const varying: [string, unknown[]][] = [];
      for (const [col, key] of CHANGING) {
        const values = part.map((w) => this.param(w[key]));
        if (values.every((v) => sameParam(v, values[0]))) constant.push([col, values[0]]);
        else varying.push([col, values]);
      }
      const ids = part.map((w) => w.id);
      const res = await m.queryRunner!.query(...this.updateSql(part.length, ids, constant, varying, t), true);
      if (res.affected !== part.length) throw new Error(`dispatch sweep: expected to move ${part.length} wishes, moved ${res.affected}`);
    }
  }

  private updateSql(n: number, ids: number[], constant: [string, unknown][], varying: [string, unknown[]][], t: unknown): [string, unknown[]] {
    const sets = [...constant.map(([c]) => `${c} = ?`), 'version = version + 1', 'updated_at = ?'];
    const setParams = [...constant.map(([, v]) => v), t];
    if (varying.length === 0 || this.db.driver === 'mysql') {
      const cases = varying.map(([c]) => `${c} = CASE id ${ids.map(() => 'WHEN ? THEN ?').join(' ')} END`);
      const caseParams = varying.flatMap(([, values]) => ids.flatMap((id, j) => [id, values[j]]));
      const sql = `UPDATE wish SET ${[...cases, ...sets].join(', ')} WHERE id IN (${ids.map(() => '?').join(', ')}) AND next_due_at <= ?`;
      return [sql, [...caseParams, ...setParams, ...ids, t]];
    }
    const row = `(${['?', ...varying.map(() => '?')].join(', ')})`;
    const rows = new Array(n).fill(row).join(', ');
    const rowParams = ids.flatMap((id, j) => [id, ...varying.map(([, values]) => values[j])]);
    if (this.db.isSqlite) {
      // SQLite names the columns of a VALUES table column1, column2, ...
      const vsets = varying.map(([c], k) => `${c} = v.column${k + 2}`);
      const sql = `UPDATE wish SET ${[...vsets, ...sets].join(', ')} FROM (VALUES ${rows}) AS v WHERE wish.id = v.column1 AND wish.next_due_at <= ?`;
      return [sql, [...setParams, ...rowParams, t]];
    }
    // MariaDB: a first SELECT names the columns of the VALUES that follow (no wish has id 0).
    const head = `SELECT 0 AS id, ${varying.map(([c]) => `NULL AS ${c}`).join(', ')}`;
    const vsets = varying.map(([c]) => `w.${c} = v.${c}`);
    const wsets = sets.map((x) => 'w.' + x.replace('version = version', 'version = w.version'));
    const sql = `UPDATE wish w JOIN (${head} UNION ALL VALUES ${rows}) v ON v.id = w.id SET ${[...vsets, ...wsets].join(', ')} WHERE w.next_due_at <= ?`;
    return [sql, [...rowParams, ...setParams, t]];
  }

  private param(v: unknown): unknown {
    return v instanceof Date ? this.db.time(v) : v === undefined ? null : v;
  }

  private hydrate(r: Record<string, unknown>): Wish {
    const t = (k: string) => this.db.readTime(r[k] as string | Date | null);
    return {
      id: Number(r.id),
      districtId: Number(r.district_id),
      communityId: Number(r.community_id),
      submitterId: Number(r.submitter_id),
      title: String(r.title),
      state: r.state as WishState,
      tier: Number(r.tier) as Tier,
      urgent: Boolean(Number(r.urgent)),
      claimantId: r.claimant_id === null ? null : Number(r.claimant_id),
      claimantRole: (r.claimant_role as Role | null) ?? null,
      claimedAt: t('claimed_at'),
      claimLeftMinutes: r.claim_left_minutes === null || r.claim_left_minutes === undefined ? null : Number(r.claim_left_minutes),
      assigneeId: r.assignee_id === null ? null : Number(r.assignee_id),
      windowEndsAt: t('window_ends_at'),
      dueAt: t('due_at'),
      remindedAt: t('reminded_at'),
      supervisedAt: t('supervised_at'),
      fulfilMissedAt: t('fulfil_missed_at'),
      nextDueAt: t('next_due_at'),
      resolvedAt: t('resolved_at'),
      resolveMs: r.resolve_ms === null || r.resolve_ms === undefined ? null : Number(r.resolve_ms),
      publishedAt: t('published_at'),
      version: Number(r.version),
      createdAt: t('created_at')!,
      chainSeq: Number(r.chain_seq ?? 0),
      chainHead: (r.chain_head as string | null) ?? null,
    } as Wish;
  }
}

function sameParam(a: unknown, b: unknown): boolean {
  return a === b || (a instanceof Date && b instanceof Date && a.getTime() === b.getTime());
}
