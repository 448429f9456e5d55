// Dispatch engine benchmark: DispatchSweeper.sweepTick (the server's timer tick) draining N due wishes on MariaDB, against two
// baselines on the same data: bare set-based SQL of the same batches (mysql2, no engine), and BullMQ
// (one delayed job per timer, a Worker doing a guarded single-row write per job).
//
// Not a test (jest only runs *.spec.ts and test/**/*.e2e-spec.ts). Run from the repo root:
//   npx -y pnpm@12.4.2 bench:sweep
// or, to iterate:  cd server && node -r ./test/fakes/ts-register.js bench/sweep.bench.ts --wishes=20000
// See SWEEP.md in this folder for the knobs and how to read the output.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import mysql from 'mysql2/promise';
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { EntityManager } from 'typeorm';
import type { AppHandle } from '../src/create-app';
import type { Database } from '../src/database/database';
import { benchAppConfig, benchKnobs, cleanUpOnInterrupt, dbCpuProbe, fmt, loadavgAtStart, machineCpuProbe, mysqlPool, pct, runBench } from './bench-common';
import { bj } from '../test/support';

// ---------------------------------------------------------------------------------------------
// Settings: env BENCH_* or --name=value (e.g. --wishes=1000000 --batches=5000 --runs=1).

interface Settings {
  rootUrl: string;
  redisUrl: string;
  wishes: number;
  batches: number[];
  runs: number;
  bullmqWishes: number;
  bullmqRuns: number;
  bullmqConcurrency: number;
  pool: number;
  parallel: number;
  /** The engine's loops per tick (DISPATCH_LOOPS; the server's default is 2). */
  engineLoops: number;
  seedEvents: boolean;
  baselineOutbox: boolean;
  keepDb: boolean;
}

function settings(): Settings {
  const { raw, int, flag } = benchKnobs('bench/SWEEP.md');
  const batchesRaw = raw('BATCHES') ?? '1000,2000,5000';
  const batches = batchesRaw.split(',').map((x) => x.trim());
  if (batches.some((b) => !/^\d+$/.test(b) || Number(b) < 1 || Number(b) > 20_000)) throw new Error(`BENCH_BATCHES must be sizes from 1 to 20000 separated by commas (got "${batchesRaw}")`);
  const wishes = int('WISHES', 100_000, 1);
  return {
    rootUrl: (raw('DATABASE_URL') ?? 'mariadb://root@127.0.0.1:3306').replace(/\/+$/, ''),
    redisUrl: raw('REDIS_URL') ?? 'redis://127.0.0.1:6379',
    wishes,
    batches: batches.map(Number),
    runs: int('RUNS', 3, 1),
    bullmqWishes: Math.min(wishes, int('BULLMQ_WISHES', Math.min(wishes, 50_000), 0)),
    bullmqRuns: int('BULLMQ_RUNS', 1, 1),
    bullmqConcurrency: int('BULLMQ_CONCURRENCY', 32, 1),
    pool: int('POOL', 10, 1),
    parallel: int('ENGINE_PARALLEL', 0, 0),
    engineLoops: int('ENGINE_LOOPS', 2, 1),
    seedEvents: flag('SEED_EVENTS', true),
    baselineOutbox: flag('BASELINE_OUTBOX', true),
    keepDb: flag('KEEP_DB', false),
  };
}

// ---------------------------------------------------------------------------------------------
// The data: every wish is open at tier 1 with its claim window ending in the 50 minutes before T0
// (Monday 10:00 in Beijing); swept at NOW (11:00) each moves to tier 2 exactly once, since every
// tier-2 window of the default policy is at least one working day.

const T0 = bj('2026-11-23T10:00');
const NOW = bj('2026-11-23T11:00');
const CREATED = bj('2026-11-20T10:00');
/** The baselines do not count calendars: every moved wish gets this window end. */
const BASELINE_NEXT = bj('2026-11-24T10:00');
const SPREAD_S = 3000;
const dueOf = (id: number) => new Date(T0.getTime() - (id % SPREAD_S) * 1000);
const CLASSES = ['A', 'B', 'C', 'D'] as const;
/** Rows per statement, as the engine writes them (dispatch.sweeper.ts CHUNK_MYSQL). */
const CHUNK = 5000;
/** What the engine enqueues per tier 1 → 2 move: 已转交 to the new tier's claimers and to the resident (wish-timers.ts); the bare SQL and BullMQ sides write one. */
const ENGINE_NOTICES_PER_ESCALATION = 2;

/** The columns the engine writes for a timer move (actor, reason and payload are NULL: dispatch.sweeper.ts). */
const EVENT_COLS = '(wish_id, type, from_state, to_state, from_tier, to_tier, actor_role, created_at)';
const OUTBOX_COLS = '(wish_id, kind, audience_type, audience_id, tier, note, status, attempts, next_attempt_at, created_at)';
const eventRow = (id: number, at: Date): unknown[] => [id, 'escalate', 'open', 'open', 1, 2, 'system', at];
/** The notice enqueueNotices writes for an escalation to tier 2 (outbox.ts). */
const outboxRow = (id: number, at: Date): unknown[] => [id, 'escalated', 'tier_claimers', null, 2, null, 'pending', 0, at, at];

// ---------------------------------------------------------------------------------------------
// Timing of statements, per kind, for the engine (through Database.tx) and the bare SQL side.

type Phase = 'begin' | 'select' | 'update' | 'events' | 'outbox' | 'commit' | 'jsInTx' | 'between';
const PHASES: Phase[] = ['select', 'update', 'events', 'outbox', 'begin', 'commit', 'jsInTx', 'between'];
const PHASE_NAMES: Record<Phase, string> = {
  select: 'SELECT due FOR UPDATE',
  update: 'UPDATE wish',
  events: 'INSERT wish_event',
  outbox: 'INSERT outbox',
  begin: 'BEGIN (pool, SET, START)',
  commit: 'COMMIT',
  jsInTx: 'JS in tx',
  between: 'between batches',
};

class Breakdown {
  ms: Record<Phase, number> = { begin: 0, select: 0, update: 0, events: 0, outbox: 0, commit: 0, jsInTx: 0, between: 0 };
  statements = 0;
  batches = 0;
  txMs = 0;
  kindOf(sql: string): Phase | null {
    if (/^\s*SELECT\b[\s\S]*\bFROM wish WHERE next_due_at <= \?/.test(sql)) return 'select';
    if (/^\s*UPDATE\s+`?wish`?\s/.test(sql)) return 'update';
    if (/^\s*INSERT INTO\s+`?wish_event`?/.test(sql)) return 'events';
    if (/^\s*INSERT INTO\s+`?outbox`?/.test(sql)) return 'outbox';
    return null;
  }
  /** Everything outside the batch transactions: the sweep's wall time minus the transactions'. */
  finish(totalMs: number): void {
    this.ms.between = Math.max(0, totalMs - this.txMs);
  }
}

/** Times the engine's transactions and statements by wrapping Database.tx on the app's instance (the sweeper holds the same one). */
function instrumentEngine(db: Database): { current: Breakdown } {
  const holder = { current: new Breakdown() };
  const tx = db.tx.bind(db);
  db.tx = <T>(work: (m: EntityManager) => Promise<T>): Promise<T> => {
    const b = holder.current;
    const t0 = performance.now();
    let w0 = 0;
    let w1 = 0;
    let inStatements = 0;
    return tx(async (m) => {
      w0 = performance.now();
      const qr = m.queryRunner!;
      const query = qr.query.bind(qr);
      qr.query = (async (sql: string, params?: unknown[], structured?: boolean) => {
        const s = performance.now();
        try {
          return await query(sql, params, structured as never);
        } finally {
          const kind = b.kindOf(sql);
          const d = performance.now() - s;
          if (kind) {
            b.ms[kind] += d;
            inStatements += d;
            b.statements++;
          }
        }
      }) as typeof qr.query;
      try {
        return await work(m);
      } finally {
        w1 = performance.now();
        qr.query = query;
      }
    }).finally(() => {
      const end = performance.now();
      b.ms.begin += w0 - t0;
      b.ms.commit += end - w1;
      b.ms.jsInTx += w1 - w0 - inStatements;
      b.statements += 3; // SET TRANSACTION ISOLATION LEVEL, START TRANSACTION, COMMIT
      b.batches++;
      b.txMs += end - t0;
    });
  };
  return holder;
}

// ---------------------------------------------------------------------------------------------
// The bare SQL side: the same batches, set-based, no engine.

async function bareSweep(pool: Pool, now: Date, batch: number, outbox: boolean, b: Breakdown): Promise<{ wishes: number; batches: number }> {
  let wishes = 0;
  let batches = 0;
  const timed = async <T>(phase: Phase, run: () => Promise<T>): Promise<T> => {
    const s = performance.now();
    try {
      return await run();
    } finally {
      b.ms[phase] += performance.now() - s;
      b.statements++;
    }
  };
  for (;;) {
    const t0 = performance.now();
    const c = await pool.getConnection();
    let n = 0;
    try {
      await timed('begin', () => c.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED'));
      await timed('begin', () => c.query('START TRANSACTION'));
      try {
        const [rows] = await timed('select', () =>
          c.query<RowDataPacket[]>(`SELECT id, version, next_due_at FROM wish WHERE next_due_at <= ? ORDER BY next_due_at LIMIT ${batch} FOR UPDATE SKIP LOCKED`, [now]),
        );
        n = rows.length;
        for (let i = 0; i < rows.length; i += CHUNK) {
          const part = rows.slice(i, i + CHUNK);
          const byVersion = new Map<number, number[]>();
          for (const r of part) {
            const ids = byVersion.get(Number(r.version));
            if (ids) ids.push(Number(r.id));
            else byVersion.set(Number(r.version), [Number(r.id)]);
          }
          for (const [version, ids] of byVersion) {
            const [res] = await timed('update', () =>
              c.query<ResultSetHeader>(
                'UPDATE wish SET tier = tier + 1, window_ends_at = ?, next_due_at = ?, version = version + 1, updated_at = ? WHERE id IN (?) AND version = ? AND next_due_at <= ?',
                [BASELINE_NEXT, BASELINE_NEXT, now, ids, version, now],
              ),
            );
            if (res.affectedRows !== ids.length) throw new Error(`bare SQL: expected to move ${ids.length} wishes, moved ${res.affectedRows}`);
          }
          await timed('events', () => c.query(`INSERT INTO wish_event ${EVENT_COLS} VALUES ?`, [part.map((r) => eventRow(Number(r.id), r.next_due_at as Date))]));
          if (outbox) await timed('outbox', () => c.query(`INSERT INTO outbox ${OUTBOX_COLS} VALUES ?`, [part.map((r) => outboxRow(Number(r.id), r.next_due_at as Date))]));
        }
        await timed('commit', () => c.query('COMMIT'));
      } catch (e) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    } finally {
      c.release();
    }
    b.txMs += performance.now() - t0;
    wishes += n;
    if (n > 0) batches++;
    b.batches++;
    if (n < batch) return { wishes, batches };
  }
}

// ---------------------------------------------------------------------------------------------
// The BullMQ side: one delayed job per timer, a Worker doing the guarded single-row write per job.

interface BullResult {
  jobs: number;
  enqueueMs: number;
  drainMs: number;
  failed: number;
  firstError: string | null;
  redisVersion: string;
}

async function bullmqDrain(s: Settings, dbUrl: string, runTag: string): Promise<BullResult> {
  const { Queue, Worker } = await import('bullmq');
  const { default: Redis } = await import('ioredis');
  const r = new URL(s.redisUrl);
  const connection = { host: r.hostname, port: Number(r.port || 6379), password: r.password ? decodeURIComponent(r.password) : undefined, maxRetriesPerRequest: null };
  const name = `xy-sweep-bench-${process.pid}-${runTag}`;
  const probe = new Redis(connection);
  const info = await probe.info('server');
  await probe.quit();
  const redisVersion = /redis_version:(\S+)/.exec(info)?.[1] ?? '?';

  const pool = mysqlPool(dbUrl, s.pool);
  pool.on('connection', (c) => void c.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED'));
  const queue = new Queue(name, { connection });
  let worker: { close(): Promise<void> } | null = null;
  try {
    // One delayed job per due timer, added in bulk (the delay has passed by the time the worker starts).
    const enqueue0 = performance.now();
    for (let start = 1; start <= s.bullmqWishes; start += 1000) {
      const jobs = [];
      for (let id = start; id < Math.min(s.bullmqWishes + 1, start + 1000); id++) {
        jobs.push({ name: 'escalate', data: { id, due: dueOf(id).getTime() }, opts: { delay: 1, jobId: `w${id}`, removeOnComplete: true, removeOnFail: 1000 } });
      }
      await queue.addBulk(jobs);
    }
    const enqueueMs = performance.now() - enqueue0;
    await new Promise((res) => setTimeout(res, 20));

    let done = 0;
    let failed = 0;
    let firstError: string | null = null;
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((res) => (finish = res));
    const one = async (id: number, due: Date): Promise<void> => {
      const c: PoolConnection = await pool.getConnection();
      try {
        await c.query('START TRANSACTION');
        try {
          // The job carries the wish id; the guard re-checks under the row lock that it is still due.
          const [res] = await c.query<ResultSetHeader>(
            'UPDATE wish SET tier = tier + 1, window_ends_at = ?, next_due_at = ?, version = version + 1, updated_at = ? WHERE id = ? AND state = ? AND next_due_at <= ?',
            [BASELINE_NEXT, BASELINE_NEXT, NOW, id, 'open', NOW],
          );
          if (res.affectedRows === 1) {
            await c.query(`INSERT INTO wish_event ${EVENT_COLS} VALUES (?)`, [eventRow(id, due)]);
            if (s.baselineOutbox) await c.query(`INSERT INTO outbox ${OUTBOX_COLS} VALUES (?)`, [outboxRow(id, due)]);
          }
          await c.query('COMMIT');
        } catch (e) {
          await c.query('ROLLBACK').catch(() => undefined);
          throw e;
        }
      } finally {
        c.release();
      }
    };
    const w = new Worker(name, async (job) => one(Number(job.data.id), new Date(Number(job.data.due))), { connection, concurrency: s.bullmqConcurrency, autorun: false });
    worker = w;
    const settle = () => {
      if (done + failed >= s.bullmqWishes) finish();
    };
    w.on('completed', () => {
      done++;
      settle();
    });
    w.on('failed', (_job, err) => {
      failed++;
      firstError ??= err.message;
      settle();
    });
    const drain0 = performance.now();
    void w.run();
    await finished;
    const drainMs = performance.now() - drain0;
    return { jobs: s.bullmqWishes, enqueueMs, drainMs, failed, firstError, redisVersion };
  } finally {
    if (worker) await worker.close().catch(() => undefined);
    await queue.obliterate({ force: true }).catch((e: unknown) => console.error('could not obliterate the BullMQ queue:', e));
    await queue.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers (the same conventions as api.bench.ts).

const median = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function int(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-';
}

// ---------------------------------------------------------------------------------------------
// Main.

type Side = 'engine' | 'bare' | 'parallel' | 'bullmq';
const SIDE_NAMES: Record<Side, string> = { engine: 'engine', bare: 'bare SQL', parallel: 'engine xK', bullmq: 'BullMQ' };

interface RunStat {
  side: Side;
  batch: number;
  run: number;
  moved: number;
  ms: number;
  batches: number;
  statements: number;
  nodeCpu: number;
  dbCpu: number;
  otherCpu: number;
  breakdown: Breakdown | null;
  /** Transactions of the run, the last (short or empty) one included. */
  txBatches: number;
  check: string;
  ok: boolean;
}

const GOAL_BARE = 0.5;
const GOAL_BULLMQ = 10;
const GOAL_MILLION_S = 60;

async function main(): Promise<void> {
  const s = settings();
  const started = performance.now();
  const { createApp } = await import('../src/create-app');
  const { makeOrg, makePerson } = await import('../src/modules/demo/fixtures');
  const { DispatchSweeper } = await import('../src/modules/wishes/jobs/dispatch.sweeper');

  const root = new URL(s.rootUrl);
  const dbName = `xy_sweep_${Date.now()}`;
  const dbUrl = `${root.protocol}//${root.username ? root.username + (root.password ? ':' + root.password : '') + '@' : ''}${root.host}/${dbName}`;
  const admin = mysqlPool(s.rootUrl, 2);
  const dataDir = mkdtempSync(join(tmpdir(), 'xy-sweep-bench-'));
  let handle: AppHandle | null = null;
  let dataPool: Pool | null = null;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    if (dataPool) await dataPool.end().catch(() => undefined);
    if (handle) await handle.close().catch((e: unknown) => console.error('closing the app:', e));
    if (!s.keepDb) await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``).catch((e: unknown) => console.error(`could not drop ${dbName}:`, e));
    else console.log(`kept database ${dbName}`);
    await admin.end().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };
  cleanUpOnInterrupt(cleanup);
  const progress = (msg: string) => process.stderr.write(`[${fmt((performance.now() - started) / 1000, 0).padStart(4)} s] ${msg}\n`);

  try {
    const [ver] = await admin.query<RowDataPacket[]>('SELECT VERSION() AS v, @@innodb_buffer_pool_size AS bp, @@innodb_flush_log_at_trx_commit AS flush');
    await admin.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const config = await benchAppConfig(dataDir, dbUrl, {
      DB_POOL_SIZE: String(s.pool),
      DISPATCH_ENABLED: 'false',
      NOTIFY_ENABLED: 'false',
      HOST: '127.0.0.1',
      PORT: '0',
    });
    handle = await createApp(config);
    const engineTimes = instrumentEngine(handle.database);
    const sweeper = handle.app.get(DispatchSweeper);

    // ---- data: an org tree (a community of each class), a resident each, N due wishes in bulk
    progress(`seeding ${s.wishes} due wishes`);
    const seed0 = performance.now();
    const tree = await handle.database.tx(async (m) => {
      const city = await makeOrg(m, CREATED, 'city', '基准市', null);
      const district = await makeOrg(m, CREATED, 'district', '基准区', city.id);
      const street = await makeOrg(m, CREATED, 'street', '基准街道', district.id);
      const out: { id: number; compoundId: number; residentId: number; staffId: number }[] = [];
      for (const cls of CLASSES) {
        const community = await makeOrg(m, CREATED, 'community', `${cls}类社区`, street.id, cls);
        const compound = await makeOrg(m, CREATED, 'compound', `${cls}类小区`, community.id);
        const resident = await makePerson(m, CREATED, { openid: `sweep-resident-${cls}`, nickname: `居民${cls}`, grants: [{ role: 'resident', orgId: community.id }] });
        const staff = await makePerson(m, CREATED, { openid: `sweep-staff-${cls}`, nickname: `书记${cls}`, grants: [{ role: 'community_admin', orgId: community.id }] });
        out.push({ id: community.id, compoundId: compound.id, residentId: resident.id, staffId: staff.id });
      }
      return { districtId: district.id, streetId: street.id, communities: out };
    });
    dataPool = mysqlPool(dbUrl, 3);
    const published = new Date(CREATED.getTime() + 3600_000);
    const SEED_CHUNK = 5000;
    for (let start = 1; start <= s.wishes; start += SEED_CHUNK) {
      const wishes: unknown[][] = [];
      const events: unknown[][] = [];
      for (let id = start; id < Math.min(s.wishes + 1, start + SEED_CHUNK); id++) {
        const c = tree.communities[id % tree.communities.length];
        const due = dueOf(id);
        wishes.push([
          id, tree.districtId, tree.streetId, c.id, c.compoundId, 'daily_help', 0, `心愿 ${id}`, '行动不便，需要有人每周帮忙采购一次米面油和蔬菜。',
          '王秀英', '13912345678', `3号楼2单元${(id % 30) + 1}01`, c.residentId, 0, 'open', 1, 0, published, 1, CREATED, published, due, due,
        ]);
        if (s.seedEvents) {
          events.push([id, 'submit', null, 'pending_review', null, 1, c.residentId, 'resident', null, null, CREATED]);
          events.push([id, 'approve', 'pending_review', 'open', 1, 1, c.staffId, 'community_admin', null, null, published]);
        }
      }
      await dataPool.query(
        'INSERT INTO wish (id, district_id, street_id, community_id, compound_id, category, `sensitive`, title, description, beneficiary_name, beneficiary_phone, address, submitter_id, on_behalf, state, tier, urgent, published_at, version, created_at, updated_at, next_due_at, window_ends_at) VALUES ?',
        [wishes],
      );
      if (events.length) await dataPool.query(`INSERT INTO wish_event (wish_id, type, from_state, to_state, from_tier, to_tier, actor_id, actor_role, reason, payload, created_at) VALUES ?`, [events]);
    }
    await dataPool.query('ANALYZE TABLE wish, wish_event, outbox, organisation');
    const seedMs = performance.now() - seed0;
    const [[marks]] = await dataPool.query<RowDataPacket[]>('SELECT (SELECT COALESCE(MAX(id), 0) FROM wish_event) AS ev, (SELECT COALESCE(MAX(id), 0) FROM outbox) AS ob');
    const eventMark = Number(marks.ev);
    const outboxMark = Number(marks.ob);
    progress(`seeded in ${fmt(seedMs / 1000, 1)} s`);

    // ---- between runs: reset every wish to due at tier 1 (one UPDATE), delete the run's events and
    // notices, and let InnoDB purge catch up so that no run pays for the previous one's garbage
    let dirty = false;
    const reset = async () => {
      if (!dirty) return;
      await dataPool!.query(
        `UPDATE wish SET state = 'open', tier = 1, next_due_at = DATE_SUB(?, INTERVAL (id % ${SPREAD_S}) SECOND), window_ends_at = DATE_SUB(?, INTERVAL (id % ${SPREAD_S}) SECOND), updated_at = ?`,
        [T0, T0, published],
      );
      await dataPool!.query('DELETE FROM wish_event WHERE id > ?', [eventMark]);
      await dataPool!.query('DELETE FROM outbox WHERE id > ?', [outboxMark]);
      for (let i = 0; i < 200; i++) {
        const [[h]] = await dataPool!.query<RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Innodb_history_list_length'");
        if (Number(h.Value) <= 20) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      dirty = false;
    };
    /**
     * Exactly once: `expected` wishes (ids 1..expected) moved 1 → 2, one event each and `perWish` notices each
     * (the engine: the tier's claimers' 已转交 notice and the resident's, wish-timers.ts; the baselines: one), nothing else.
     */
    const check = async (expected: number, perWish: number): Promise<{ ok: boolean; text: string }> => {
      const [[e]] = await dataPool!.query<RowDataPacket[]>(
        "SELECT COUNT(*) AS n, COUNT(DISTINCT wish_id) AS w, COALESCE(SUM(type <> 'escalate' OR from_tier <> 1 OR to_tier <> 2 OR wish_id > ?), 0) AS bad FROM wish_event WHERE id > ?",
        [expected, eventMark],
      );
      const [[d]] = await dataPool!.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM (SELECT wish_id FROM wish_event WHERE id > ? GROUP BY wish_id, type, to_tier HAVING COUNT(*) <> 1) x', [eventMark]);
      const [[w]] = await dataPool!.query<RowDataPacket[]>('SELECT COALESCE(SUM(tier <> 2 OR next_due_at <= ?), 0) AS notMoved FROM wish WHERE id <= ?', [NOW, expected]);
      const [[o]] = await dataPool!.query<RowDataPacket[]>('SELECT COUNT(*) AS n, COUNT(DISTINCT wish_id) AS w FROM outbox WHERE id > ?', [outboxMark]);
      const wantOutbox = expected * perWish;
      const ok = Number(e.n) === expected && Number(e.w) === expected && Number(e.bad) === 0 && Number(d.n) === 0 && Number(w.notMoved) === 0 && Number(o.n) === wantOutbox && Number(o.w) === (perWish ? expected : 0);
      const text = ok
        ? `exactly once: OK (${expected} wishes, ${expected} events${perWish ? `, ${wantOutbox} notices` : ''})`
        : `exactly once: FAILED (events ${e.n} on ${e.w} wishes, ${e.bad} wrong, ${d.n} (wish, type, tier) not exactly once, ${w.notMoved} wishes not moved, notices ${o.n} on ${o.w} wishes; expected ${expected} wishes, ${wantOutbox} notices)`;
      return { ok, text };
    };

    const dbCpu = dbCpuProbe(root.hostname, Number(root.port || 3306));
    const machineCpu = machineCpuProbe();
    const measure = async <T>(work: () => Promise<T>): Promise<{ value: T; ms: number; nodeCpu: number; dbCpu: number; otherCpu: number }> => {
      const cpu0 = process.cpuUsage();
      const db0 = dbCpu?.() ?? 0;
      const all0 = machineCpu?.() ?? 0;
      const t0 = performance.now();
      const value = await work();
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const node = (cpu.user + cpu.system) / 1e6;
      const dbs = dbCpu ? dbCpu() - db0 : NaN;
      const other = machineCpu ? Math.max(0, machineCpu() - all0 - node - (Number.isNaN(dbs) ? 0 : dbs)) : NaN;
      return { value, ms, nodeCpu: node / (ms / 1000), dbCpu: dbs / (ms / 1000), otherCpu: other / (ms / 1000) };
    };

    const runs: RunStat[] = [];
    const perRun: string[] = [];
    const note = (r: RunStat, extra = '') =>
      perRun.push(
        `${(r.side === 'parallel' ? `engine x${s.parallel}` : SIDE_NAMES[r.side]).padEnd(8)} ${r.side === 'bullmq' ? '          ' : `batch ${String(r.batch).padStart(4)}`} run ${r.run + 1}  ${int(r.moved / (r.ms / 1000)).padStart(7)} ${r.side === 'bullmq' ? 'jobs/s' : 'esc/s '}  drain ${fmt(r.ms / 1000, 2).padStart(6)} s${extra}  ${r.check}`,
      );

    // ---- warm-up: a small sweep on each side (JIT, pools, buffer pool), not counted
    progress('warm-up');
    {
      // Only the wishes due earliest (about 2,000 of them) are due at this time.
      const seconds = Math.min(SPREAD_S, Math.ceil((2000 * SPREAD_S) / s.wishes));
      const warmNow = new Date(T0.getTime() - (SPREAD_S - seconds) * 1000);
      engineTimes.current = new Breakdown();
      await sweeper.sweepOnce(warmNow, 1000);
      dirty = true;
      await reset();
      await bareSweep(dataPool, warmNow, 1000, s.baselineOutbox, new Breakdown());
      dirty = true;
    }

    // ---- engine and bare SQL, per batch size, alternating which side goes first
    for (const batch of s.batches) {
      for (let run = 0; run < s.runs; run++) {
        const order: Side[] = run % 2 === 0 ? ['engine', 'bare'] : ['bare', 'engine'];
        if (s.parallel > 1) order.push('parallel');
        for (const side of order) {
          await reset();
          progress(`${SIDE_NAMES[side]} batch ${batch} run ${run + 1}`);
          const b = new Breakdown();
          let moved = 0;
          let batches = 0;
          const m = await measure(async () => {
            if (side === 'engine') {
              engineTimes.current = b;
              // The engine as a server runs it: one timer tick, DISPATCH_LOOPS loops side by side.
              const st = await sweeper.sweepTick(NOW, batch, s.engineLoops);
              if (st.events !== st.wishes) throw new Error(`engine: ${st.wishes} wishes moved with ${st.events} events`);
              return st;
            }
            if (side === 'parallel') {
              // What-if: K batch loops at once on one app (as K instances would; SKIP LOCKED keeps them apart).
              engineTimes.current = b;
              const all = await Promise.all(Array.from({ length: s.parallel }, () => sweeper.sweepOnce(NOW, batch)));
              return { wishes: all.reduce((a, x) => a + x.wishes, 0), batches: all.reduce((a, x) => a + x.batches, 0) };
            }
            return bareSweep(dataPool!, NOW, batch, s.baselineOutbox, b);
          });
          dirty = true;
          moved = m.value.wishes;
          batches = m.value.batches;
          b.finish(m.ms);
          const c = await check(s.wishes, side !== 'bare' ? ENGINE_NOTICES_PER_ESCALATION : s.baselineOutbox ? 1 : 0);
          const r: RunStat = {
            side, batch, run, moved, ms: m.ms, batches, statements: b.statements, nodeCpu: m.nodeCpu, dbCpu: m.dbCpu, otherCpu: m.otherCpu,
            // Loops side by side overlap their statements: a share of the drain per statement means something for one loop only.
            breakdown: side === 'parallel' || (side === 'engine' && s.engineLoops > 1) ? null : b, txBatches: b.batches, check: c.text, ok: c.ok,
          };
          runs.push(r);
          note(r);
        }
      }
    }

    // ---- BullMQ
    let redisVersion = '-';
    if (s.bullmqWishes > 0) {
      for (let run = 0; run < s.bullmqRuns; run++) {
        await reset();
        progress(`BullMQ run ${run + 1}: ${s.bullmqWishes} jobs`);
        const m = await measure(() => bullmqDrain(s, dbUrl, `${Date.now()}-${run}`));
        dirty = true;
        redisVersion = m.value.redisVersion;
        const c = await check(s.bullmqWishes, s.baselineOutbox ? 1 : 0);
        // The CPU figures cover enqueue and drain; the rate is the drain's.
        const r: RunStat = {
          side: 'bullmq', batch: 0, run, moved: m.value.jobs - m.value.failed, ms: m.value.drainMs, batches: 0, statements: (s.baselineOutbox ? 5 : 4) * m.value.jobs,
          nodeCpu: m.nodeCpu, dbCpu: m.dbCpu, otherCpu: m.otherCpu, breakdown: null, txBatches: m.value.jobs, check: c.text, ok: c.ok && m.value.failed === 0,
        };
        runs.push(r);
        note(r, `  (enqueue ${int(m.value.jobs)} delayed jobs: ${fmt(m.value.enqueueMs / 1000, 1)} s${m.value.failed ? `; ${m.value.failed} failed, first: ${m.value.firstError}` : ''})`);
      }
    }

    // ---- report
    const rate = (r: RunStat) => r.moved / (r.ms / 1000);
    const of = (side: Side, batch: number) => runs.filter((r) => r.side === side && (side === 'bullmq' || r.batch === batch));
    const medRate = (side: Side, batch: number) => median(of(side, batch).map(rate));
    const bullRate = s.bullmqWishes > 0 ? medRate('bullmq', 0) : NaN;
    const bestBatch = s.batches.reduce((a, b) => (medRate('engine', b) > medRate('engine', a) ? b : a), s.batches[0]);
    const bestRate = medRate('engine', bestBatch);

    const cpuModel = cpus()[0]?.model.trim() ?? 'unknown CPU';
    const lines: string[] = [];
    lines.push('');
    lines.push('Xinyuan sweep benchmark: the dispatch engine (DispatchSweeper.sweepTick) against bare set-based SQL and BullMQ, draining due wishes');
    lines.push(
      `  node ${process.version}, ${cpus().length} x ${cpuModel}, MariaDB ${String(ver[0].v)} (buffer pool ${int(Number(ver[0].bp) / 2 ** 20)} MB, flush_log_at_trx_commit ${ver[0].flush}), ` +
        `Redis ${redisVersion}, load average at start ${loadavgAtStart}`,
    );
    lines.push(
      `  ${int(s.wishes)} due wishes (open, tier 1, 4 communities of classes A-D) seeded in ${fmt(seedMs / 1000, 1)} s${s.seedEvents ? ` (+${int(2 * s.wishes)} submit/approve events)` : ''}; ` +
        `swept at ${NOW.toISOString()}, each moves tier 1 -> 2 exactly once`,
    );
    lines.push(
      `  engine: DispatchSweeper.sweepTick with ${s.engineLoops} loop${s.engineLoops > 1 ? 's' : ''} side by side (DISPATCH_LOOPS; BENCH_ENGINE_LOOPS=1 for one loop and the engine's time breakdown)`,
      `  ${s.runs} runs per side and batch size, sides alternating; every run on fresh due rows (one UPDATE resets them, the run's events and notices are deleted, InnoDB purge waited for)`,
    );
    lines.push(
      `  bare SQL: per batch SET TRANSACTION READ COMMITTED, START, SELECT ... FOR UPDATE SKIP LOCKED, guarded UPDATE ... WHERE id IN (...) AND version = ?, multi-row INSERT wish_event` +
        `${s.baselineOutbox ? ', multi-row INSERT outbox' : ''}, COMMIT (${CHUNK} rows per statement, as the engine)`,
    );
    if (s.bullmqWishes > 0) {
      lines.push(
        `  BullMQ: ${int(s.bullmqWishes)} delayed jobs (one per timer, already due), Worker concurrency ${s.bullmqConcurrency}, mysql2 pool ${s.pool}; per job START, guarded UPDATE, INSERT wish_event` +
          `${s.baselineOutbox ? ', INSERT outbox' : ''}, COMMIT`,
      );
    }
    lines.push('');
    lines.push('Per run:');
    for (const p of perRun) lines.push('  ' + p);
    lines.push('');

    const head = ['side', 'batch', 'rate/s (median)', 'drain s (median)', 'stmts/batch', 'node CPU', 'mariadbd CPU', 'other CPU', 'engine/side', 'goal', ''];
    const table: string[][] = [head];
    const ratiosBare: number[] = [];
    for (const batch of s.batches) {
      for (const side of (s.parallel > 1 ? ['engine', 'bare', 'parallel'] : ['engine', 'bare']) as Side[]) {
        const rs = of(side, batch);
        const ratio = medRate('engine', batch) / medRate('bare', batch);
        if (side === 'bare') ratiosBare.push(ratio);
        table.push([
          side === 'parallel' ? `engine x${s.parallel}` : SIDE_NAMES[side],
          String(batch),
          int(medRate(side, batch)),
          fmt(median(rs.map((r) => r.ms / 1000)), 2),
          fmt(median(rs.map((r) => r.statements / Math.max(1, r.txBatches))), 1),
          pct(median(rs.map((r) => r.nodeCpu))),
          pct(median(rs.map((r) => r.dbCpu))),
          pct(median(rs.map((r) => r.otherCpu))),
          side === 'bare' ? fmt(ratio, 2) + 'x' : side === 'parallel' ? `(${fmt(medRate('parallel', batch) / medRate('bare', batch), 2)}x bare)` : '',
          side === 'bare' ? `>= ${GOAL_BARE}x` : '',
          side === 'bare' ? (ratio >= GOAL_BARE ? 'met' : 'NOT MET') : '',
        ]);
      }
    }
    if (s.bullmqWishes > 0) {
      const rs = of('bullmq', 0);
      const ratio = bestRate / bullRate;
      table.push([
        'BullMQ',
        '-',
        int(bullRate),
        fmt(median(rs.map((r) => r.ms / 1000)), 2),
        '-',
        pct(median(rs.map((r) => r.nodeCpu))),
        pct(median(rs.map((r) => r.dbCpu))),
        pct(median(rs.map((r) => r.otherCpu))),
        `${fmt(ratio, 1)}x`,
        `>= ${GOAL_BULLMQ}x`,
        ratio >= GOAL_BULLMQ ? 'met' : 'NOT MET',
      ]);
    }
    const widths = head.map((_, i) => Math.max(...table.map((row) => row[i].length)));
    for (const [i, row] of table.entries()) {
      lines.push('  ' + row.map((c, j) => (j >= 1 && j <= 8 ? c.padStart(widths[j]) : c.padEnd(widths[j]))).join('  ').trimEnd());
      if (i === 0) lines.push('  ' + widths.map((n) => '-'.repeat(n)).join('  '));
    }
    lines.push(
      `  (rate: escalations/s for engine and bare SQL, jobs/s for BullMQ (${int(s.bullmqWishes)} jobs); engine/side: engine median / side median at the same batch size, ` +
        `for BullMQ the engine at its best batch size (${bestBatch}); CPU: 100% = one core of ${cpus().length}, over the drain (BullMQ: enqueue and drain))`,
    );
    lines.push('');
    lines.push("Where the time goes (median run's share of its drain time):");
    for (const batch of s.batches) {
      for (const side of ['engine', 'bare'] as Side[]) {
        const rs = of(side, batch).sort((a, b) => a.ms - b.ms);
        const r = rs[Math.floor((rs.length - 1) / 2)];
        if (!r?.breakdown) continue;
        const b = r.breakdown;
        const parts = PHASES.filter((p) => b.ms[p] > 0 || side === 'engine').map((p) => `${PHASE_NAMES[p]} ${pct(b.ms[p] / r.ms)} (${fmt(b.ms[p] / Math.max(1, r.batches), 1)} ms/batch)`);
        lines.push(`  ${SIDE_NAMES[side].padEnd(8)} batch ${String(batch).padStart(4)}: ${parts.join(', ')}`);
      }
    }
    lines.push('');

    const allOk = runs.every((r) => r.ok);
    lines.push(`Exactly once: ${allOk ? 'OK in every run (each wish one escalate event 1 -> 2, its notices (engine 2, baselines 1), nothing doubled or missing)' : 'FAILED in ' + runs.filter((r) => !r.ok).length + ' runs (see above)'}`);
    const bareOk = ratiosBare.every((x) => x >= GOAL_BARE);
    const million = s.wishes >= 1_000_000;
    const millionS = million ? median(of('engine', bestBatch).map((r) => (r.ms / 1000) * (1_000_000 / r.moved))) : 1_000_000 / bestRate;
    const goals = [
      `engine >= ${GOAL_BARE}x bare SQL at every batch size: ${bareOk ? 'met' : 'NOT met'} (${ratiosBare.map((x, i) => `${s.batches[i]}: ${fmt(x, 2)}x`).join(', ')})`,
      s.bullmqWishes > 0 ? `engine >= ${GOAL_BULLMQ}x BullMQ: ${bestRate / bullRate >= GOAL_BULLMQ ? 'met' : 'NOT met'} (${fmt(bestRate / bullRate, 1)}x)` : 'engine vs BullMQ: not run',
      `1,000,000 due wishes drained in <= ${GOAL_MILLION_S} s: ${millionS <= GOAL_MILLION_S ? 'met' : 'NOT met'} (${million ? 'measured' : `projected linearly from ${int(s.wishes)}; run with BENCH_WISHES=1000000 to measure`}: ${fmt(millionS, 1)} s at batch ${bestBatch})`,
    ];
    lines.push(`Goals: ${goals.join('; ')}.`);
    lines.push(`Total ${fmt((performance.now() - started) / 1000, 0)} s.`);
    console.log(lines.join('\n'));
    if (!allOk) process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

runBench(main);
