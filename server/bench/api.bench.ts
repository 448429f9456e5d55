// API vs raw mysql2 benchmark for the two hottest paths: claiming a wish and reading its detail.
//
// Not a test (jest only runs *.spec.ts and test/**/*.e2e-spec.ts). Run from the repo root:
//   npx -y pnpm@12.4.2 bench:api
// or, to iterate:  cd server && node -r ./test/fakes/ts-register.js bench/api.bench.ts
//
// The main thread hosts the real app (createApp + loadConfig, Fastify on 127.0.0.1:0). A worker
// thread drives the load, so the HTTP client never shares the server's event loop; the same worker
// also runs the raw side (a mysql2/promise pool with the app's pool options issuing the same statements the
// API issues, in the same transaction shape). See README.md in this folder.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import mysql from 'mysql2/promise';
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { AppHandle } from '../src/create-app';
import { beijingMonth, durationBucket } from '../src/modules/ledger/rates-rollup';
import { seal } from '../src/modules/wishes/event-chain';
import { benchAppConfig, benchKnobs, cleanUpOnInterrupt, dbCpuProbe, fmt, loadavgAtStart, machineCpuProbe, mysqlPool, pct, runBench } from './bench-common';

// ---------------------------------------------------------------------------------------------
// Settings: env BENCH_* or --name=value (e.g. --runs=5 --claims=1000).

interface Settings {
  rootUrl: string;
  runs: number;
  claims: number;
  details: number;
  health: number;
  warmup: number;
  concurrency: number;
  pool: number;
  members: number;
  communities: number;
  maxActiveClaims: number;
  client: 'fetch' | 'http';
  keepDb: boolean;
  jobs: boolean;
}

function settings(): Settings {
  const { raw, int } = benchKnobs('bench/README.md');
  const client = raw('CLIENT') ?? 'fetch';
  if (client !== 'fetch' && client !== 'http') throw new Error(`BENCH_CLIENT must be fetch or http (got "${client}")`);
  return {
    rootUrl: (raw('DATABASE_URL') ?? 'mariadb://root@127.0.0.1:3306').replace(/\/+$/, ''),
    runs: int('RUNS', 3, 1),
    claims: int('CLAIMS', 2000, 1),
    details: int('DETAILS', 3000, 1),
    health: int('HEALTH', 3000, 0),
    warmup: int('WARMUP', 300, 0),
    concurrency: int('CONCURRENCY', 32, 1),
    pool: int('POOL', 10, 1),
    members: int('MEMBERS', 1000, 1),
    communities: int('COMMUNITIES', 4, 1),
    maxActiveClaims: int('MAX_ACTIVE_CLAIMS', 100, 1),
    client: client as 'fetch' | 'http',
    keepDb: ['1', 'true', 'yes', 'on'].includes((raw('KEEP_DB') ?? '').toLowerCase()),
    jobs: ['1', 'true', 'yes', 'on'].includes((raw('JOBS') ?? '').toLowerCase()),
  };
}

// ---------------------------------------------------------------------------------------------
// The statements, as the API sends them on MariaDB (TypeORM 1.1.1). The entities' column lists come
// from TypeORM's metadata at start-up, so the SELECTs follow the entities; the order and shape of the
// statements is written out below and checked against what the app really sends before the runs.

/** Database column names of the entities the hot paths read, in TypeORM's select order. */
interface EntityColumns {
  wish: string[];
  event: string[];
  photo: string[];
  org: string[];
  user: string[];
}

const cols = (alias: string, names: string[]): string => names.map((c) => `\`${alias}\`.\`${c}\` AS \`${alias}_${c}\``).join(', ');
const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

function sqlFor(c: EntityColumns) {
  return {
    /** ActorLoader.load (AuthGuard, every authenticated request). */
    actor: `SELECT u.openid, u.nickname, g.role, g.org_id, o.kind AS org_kind, o.deactivated_at AS org_off,
                (SELECT c.notice_version FROM consent c WHERE c.user_id = u.id ORDER BY c.id DESC LIMIT 1) AS notice_version
           FROM app_user u
           LEFT JOIN role_grant g ON g.user_id = u.id AND g.revoked_at IS NULL
           LEFT JOIN organisation o ON o.id = g.org_id
          WHERE u.id = ?`,
    /** WishesRepository.findById. */
    wish: `SELECT ${cols('Wish', c.wish)} FROM \`wish\` \`Wish\` WHERE ((\`Wish\`.\`id\` = ?)) LIMIT 1`,
    /** OrganisationsRepository.classesOf([communityId]) (WishLifecycle.move, for the dispatch windows). */
    classes: 'SELECT id, community_class FROM organisation WHERE id IN (?)',
    /** Database.tx on MySQL/MariaDB (TypeORM's startTransaction('READ COMMITTED')). */
    isolation: 'SET TRANSACTION ISOLATION LEVEL READ COMMITTED',
    begin: 'START TRANSACTION',
    commit: 'COMMIT',
    rollback: 'ROLLBACK',
    /** WishesRepository.countActiveClaims. */
    lockUser: 'SELECT id FROM app_user WHERE id = ? FOR UPDATE',
    countActive: `SELECT COUNT(*) AS n FROM wish WHERE claimant_id = ? AND state = 'claimed'`,
    /** WishesRepository.guardedUpdate with the claim patch and the timers of timersAfterMove('claim'). */
    claimUpdate:
      'UPDATE `wish` SET `claimant_id` = ?, `claimant_role` = ?, `claimant_org_id` = ?, `claimed_at` = ?, `first_claimed_at` = ?, `state` = ?, `updated_at` = ?, `window_ends_at` = ?, `due_at` = ?, `next_due_at` = ?, `reminded_at` = ?, `claim_ms` = ?, `chain_seq` = ?, `chain_head` = ?, `version` = ? WHERE `id` = ? AND `state` = ? AND `version` = ?',
    /** RatesRollup.record for a first claim: the bars' two rows (open -1, claimed +1, keys sorted) and the claim's duration bucket. */
    bars: 'INSERT INTO bars_rollup (community_id, month, state, tier, published, n) VALUES (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE n = n + VALUES(n)',
    durations: 'INSERT INTO duration_rollup (kind, community_id, month, bucket, n) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE n = n + VALUES(n)',
    /** WishEventsRepository.append. */
    appendEvent:
      'INSERT INTO `wish_event`(`id`, `wish_id`, `type`, `from_state`, `to_state`, `from_tier`, `to_tier`, `actor_id`, `actor_role`, `actor_org_id`, `reason`, `payload`, `created_at`, `seq`, `text_digest`, `chain_hash`) VALUES (DEFAULT, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING `id`',
    /** enqueueNotices with noticesFor('claim'): one notice to the submitter. */
    notice: 'INSERT INTO outbox (wish_id, kind, audience_type, audience_id, tier, note, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    /** WishEventsRepository.listForWish. */
    events: `SELECT ${cols('e', c.event)} FROM \`wish_event\` \`e\` WHERE \`e\`.\`wish_id\` = ? ORDER BY \`e\`.\`id\` ASC`,
    /** PhotosRepository.listForWishes([id]). */
    photos: `SELECT ${cols('p', c.photo)} FROM \`photo\` \`p\` WHERE \`p\`.\`wish_id\` IN (?) ORDER BY \`p\`.\`created_at\` ASC, \`p\`.\`id\` ASC`,
    /** OrganisationsRepository.findByIds. */
    orgs: (n: number) => `SELECT ${cols('o', c.org)} FROM \`organisation\` \`o\` WHERE \`o\`.\`id\` IN (${placeholders(n)})`,
    /** UsersRepository.names. */
    names: (n: number) => `SELECT ${cols('u', c.user)} FROM \`app_user\` \`u\` WHERE \`u\`.\`id\` IN (${placeholders(n)})`,
    /** Database.ping (GET /api/health, public: no actor). */
    ping: 'SELECT 1',
  };
}

const normalise = (s: string): string => s.replace(/\s+/g, ' ').trim();

// ---------------------------------------------------------------------------------------------
// Worker side: the load driver for both the API and the raw runs.

type Op = 'claim' | 'detail' | 'health';
type Side = 'api' | 'raw';

interface DriverInit {
  baseUrl: string;
  dbUrl: string;
  pool: number;
  /** The app's own mysql2 pool options as TypeORM builds them, when they could be read. */
  poolOptions: Record<string, unknown> | null;
  concurrency: number;
  client: 'fetch' | 'http';
  maxActiveClaims: number;
  tokens: Record<number, string>;
  columns: EntityColumns;
}

interface RunRequest {
  kind: 'run';
  seq: number;
  side: Side;
  op: Op;
  /** Pairs [wishId, userId, wishId, userId, ...]. */
  items: number[];
  /** Record the raw statements of the run (the statement check runs one op this way). */
  trace?: boolean;
}

interface RunResult {
  seq: number;
  side: Side;
  op: Op;
  ops: number;
  ms: number;
  latencies: number[];
  ok: boolean[];
  errors: number;
  firstError: string | null;
  statements: number;
  trace: string[];
  elu: number;
}

class HttpError extends Error {}

async function driverMain(init: DriverInit): Promise<void> {
  const pool = init.poolOptions ? mysql.createPool(init.poolOptions) : mysqlPool(init.dbUrl, init.pool);
  const SQL = sqlFor(init.columns);
  const agent = new http.Agent({ keepAlive: true, maxSockets: init.concurrency });
  const base = new URL(init.baseUrl);
  let statements = 0;
  let trace: string[] | null = null;

  async function q<T extends RowDataPacket[] | ResultSetHeader>(on: Pool | PoolConnection, sql: string, params?: unknown[]): Promise<T> {
    statements++;
    if (trace) trace.push(sql);
    const [rows] = await on.query(sql, params);
    return rows as T;
  }

  async function call(method: 'GET' | 'POST', path: string, token: string): Promise<void> {
    if (init.client === 'fetch') {
      const res = await fetch(init.baseUrl + path, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
      const body = await res.text();
      if (res.status !== 200) throw new HttpError(`HTTP ${res.status} ${body.slice(0, 300)}`);
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const req = http.request({ agent, host: base.hostname, port: base.port, method, path, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new HttpError(`HTTP ${res.statusCode} ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`))));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** Mirrors AuthGuard + the SeesGuard's WishLifecycle.load: the actor, then the wish, with the same checks (the wall or one's own claim). */
  async function loadActorAndWish(wishId: number, userId: number): Promise<RowDataPacket> {
    const actor = await q<RowDataPacket[]>(pool, SQL.actor, [userId]);
    if (actor.length === 0) throw new Error('UNAUTHENTICATED');
    const wish = (await q<RowDataPacket[]>(pool, SQL.wish, [wishId]))[0];
    if (!wish) throw new Error('WISH_NOT_FOUND');
    const member = actor.some((a) => a.role === 'member' && Number(a.org_id) === wish.Wish_community_id);
    if (!member && wish.Wish_claimant_id !== userId) throw new Error('WISH_NOT_FOUND');
    return wish;
  }

  /** Mirrors WishesService.detail after its load: events, photos, orgs in parallel, then names. */
  async function readDetail(wish: RowDataPacket): Promise<void> {
    const wishId = wish.Wish_id as number;
    const orgIds = [...new Set([wish.Wish_community_id as number, ...(wish.Wish_compound_id ? [wish.Wish_compound_id as number] : [])])];
    const [events] = await Promise.all([
      q<RowDataPacket[]>(pool, SQL.events, [wishId]),
      q<RowDataPacket[]>(pool, SQL.photos, [wishId]),
      q<RowDataPacket[]>(pool, SQL.orgs(orgIds.length), orgIds),
    ]);
    const ids = [
      ...new Set([
        ...events.map((e) => (e.e_actor_id as number | null) ?? 0).filter(Boolean),
        ...(wish.Wish_claimant_id ? [wish.Wish_claimant_id as number] : []),
        ...(wish.Wish_assignee_id ? [wish.Wish_assignee_id as number] : []),
      ]),
    ];
    if (ids.length) await q(pool, SQL.names(ids.length), ids);
  }

  /**
   * WishesService.claim: lifecycle.move (the guard's load, community class, one transaction, re-read)
   * then the answer's reads. The timer values differ from the app's (no working calendar
   * here); the statements and their parameter shapes are the same.
   */
  async function rawClaim(wishId: number, userId: number): Promise<void> {
    const wish = await loadActorAndWish(wishId, userId);
    if (wish.Wish_state !== 'open') throw new Error('WISH_ALREADY_CLAIMED');
    await q(pool, SQL.classes, [wish.Wish_community_id]);
    const version = wish.Wish_version as number;
    const now = new Date();
    const due = new Date(now.getTime() + 7 * 86_400_000);
    const conn = await pool.getConnection();
    try {
      await q(conn, SQL.isolation);
      await q(conn, SQL.begin);
      try {
        await q(conn, SQL.lockUser, [userId]);
        const held = Number((await q<RowDataPacket[]>(conn, SQL.countActive, [userId]))[0].n);
        if (held >= init.maxActiveClaims) throw new Error('CLAIM_LIMIT_REACHED');
        const published = wish.Wish_published_at as Date;
        const claimMs = now.getTime() - published.getTime();
        const community = wish.Wish_community_id as number;
        // The event sealed onto the wish's chain (event-chain.ts), its head in the guarded UPDATE.
        const event = { wishId, type: 'claim', fromState: 'open', toState: 'claimed', fromTier: wish.Wish_tier as number, toTier: wish.Wish_tier as number, actorId: userId, actorRole: 'member', actorOrgId: community, reason: null, payload: null, createdAt: now };
        const c = seal(event, { seq: Number(wish.Wish_chain_seq ?? 0), hash: (wish.Wish_chain_head as string | null) ?? null });
        const upd = await q<ResultSetHeader>(conn, SQL.claimUpdate, [userId, 'member', community, now, now, 'claimed', now, null, due, due, null, claimMs, c.seq, c.chainHash, version + 1, wishId, 'open', version]);
        if (upd.affectedRows !== 1) throw new Error('WISH_STATE_CHANGED');
        await q(conn, SQL.appendEvent, [wishId, 'claim', 'open', 'claimed', wish.Wish_tier, wish.Wish_tier, userId, 'member', community, null, null, now, c.seq, c.textDigest, c.chainHash]);
        const month = beijingMonth(wish.Wish_created_at as Date);
        await q(conn, SQL.bars, [community, month, 'claimed', wish.Wish_tier, 1, 1, community, month, 'open', wish.Wish_tier, 1, -1]);
        await q(conn, SQL.durations, ['claim', community, beijingMonth(published), durationBucket(claimMs), 1]);
        await q(conn, SQL.notice, [wishId, 'claimed', 'user', wish.Wish_submitter_id, wish.Wish_tier, null, 'pending', 0, now, now]);
        await q(conn, SQL.commit);
      } catch (e) {
        await q(conn, SQL.rollback);
        throw e;
      }
    } finally {
      conn.release();
    }
    // move() returns the re-read wish; the answer is read from it (the policy decides in memory).
    const again = (await q<RowDataPacket[]>(pool, SQL.wish, [wishId]))[0];
    await readDetail(again);
  }

  async function rawDetail(wishId: number, userId: number): Promise<void> {
    await readDetail(await loadActorAndWish(wishId, userId));
  }

  async function run(r: RunRequest): Promise<RunResult> {
    const n = r.items.length / 2;
    const latencies = new Array<number>(n).fill(0);
    const ok = new Array<boolean>(n).fill(false);
    let errors = 0;
    let firstError: string | null = null;
    statements = 0;
    trace = r.trace ? [] : null;
    const api: Record<Op, (w: number, u: number) => Promise<void>> = {
      claim: (w, u) => call('POST', `/api/wishes/${w}/claim`, init.tokens[u]),
      detail: (w, u) => call('GET', `/api/wishes/${w}`, init.tokens[u]),
      health: () => call('GET', '/api/health', ''),
    };
    const raw: Record<Op, (w: number, u: number) => Promise<void>> = {
      claim: rawClaim,
      detail: rawDetail,
      health: async () => void (await q(pool, SQL.ping)),
    };
    const one = (r.side === 'api' ? api : raw)[r.op];
    let next = 0;
    const elu0 = performance.eventLoopUtilization();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: Math.min(init.concurrency, n) }, async () => {
        for (;;) {
          const i = next++;
          if (i >= n) return;
          const s = performance.now();
          try {
            await one(r.items[2 * i], r.items[2 * i + 1]);
            ok[i] = true;
          } catch (e) {
            errors++;
            firstError ??= e instanceof Error ? e.message : String(e);
          }
          latencies[i] = performance.now() - s;
        }
      }),
    );
    const ms = performance.now() - t0;
    const elu = performance.eventLoopUtilization(elu0).utilization;
    const out: RunResult = { seq: r.seq, side: r.side, op: r.op, ops: n, ms, latencies, ok, errors, firstError, statements, trace: trace ?? [], elu };
    trace = null;
    return out;
  }

  parentPort!.on('message', (msg: RunRequest | { kind: 'stop' }) => {
    if (msg.kind === 'stop') {
      agent.destroy();
      void pool.end().then(() => parentPort!.close());
      return;
    }
    run(msg).then(
      (res) => parentPort!.postMessage(res),
      (e: unknown) => parentPort!.postMessage({ seq: msg.seq, fatal: String(e instanceof Error ? e.stack : e) }),
    );
  });
}

/**
 * The options TypeORM gives mysql2 for the app's pool (charset, timezone, big numbers, connectionLimit,
 * extra, ...), so the raw pool is set up exactly like the app's; null if TypeORM's driver cannot say.
 */
function appPoolOptions(ds: AppHandle['database']['dataSource']): Record<string, unknown> | null {
  try {
    const driver = ds.driver as unknown as { createConnectionOptions?: (options: unknown, credentials: unknown) => Record<string, unknown> };
    const o = driver.createConnectionOptions?.(ds.options, ds.options);
    if (!o) return null;
    const clean = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
    structuredClone(clean); // it must cross to the worker
    return clean;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Main side: database, app, data, runs, report.

interface Slot {
  wishId: number;
  userId: number;
}

interface SideStats {
  opsPerSec: number[];
  latencies: number[];
  statements: number;
  ops: number;
  errors: number;
  firstError: string | null;
  serverElu: number[];
  driverElu: number[];
  nodeCpu: number[];
  dbCpu: number[];
  otherCpu: number[];
  /** CPU ms per op of the thread doing the work: the server's main thread (API) or the driver thread (raw). */
  workMsPerOp: number[];
}

const newStats = (): SideStats => ({ opsPerSec: [], latencies: [], statements: 0, ops: 0, errors: 0, firstError: null, serverElu: [], driverElu: [], nodeCpu: [], dbCpu: [], otherCpu: [], workMsPerOp: [] });

function quantile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i];
}

const median = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** CPU seconds used so far by this process's main thread (the server), from /proc; null when not Linux. */
function mainThreadCpuProbe(): (() => number) | null {
  const read = () => {
    const f = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  };
  try {
    read();
    return read;
  } catch {
    return null;
  }
}

const OPS: Op[] = ['claim', 'detail', 'health'];
const GOALS: Partial<Record<Op, number>> = { claim: 0.8, detail: 0.6 };

async function main(): Promise<void> {
  const s = settings();
  const started = performance.now();
  const { createApp } = await import('../src/create-app');
  const { TokenService } = await import('../src/common/auth/token.service');
  const { makeOrg, makePerson } = await import('../src/modules/demo/fixtures');

  const claimSlots = 3 + 2 * (s.warmup + s.runs * s.claims);
  const perMember = Math.ceil(claimSlots / s.members);
  if (perMember > s.maxActiveClaims) {
    throw new Error(`${claimSlots} claims over ${s.members} members is ${perMember} active claims each, over MAX_ACTIVE_CLAIMS=${s.maxActiveClaims}: raise BENCH_MEMBERS`);
  }
  if (s.members < s.concurrency) console.warn(`warning: fewer members (${s.members}) than requests in flight (${s.concurrency}): claims will queue on user row locks`);

  const root = new URL(s.rootUrl);
  const dbName = `xy_bench_${Date.now()}`;
  const dbUrl = `${root.protocol}//${root.username ? root.username + (root.password ? ':' + root.password : '') + '@' : ''}${root.host}/${dbName}`;
  const admin = mysqlPool(s.rootUrl, 2);
  const dataDir = mkdtempSync(join(tmpdir(), 'xy-bench-'));
  let handle: AppHandle | null = null;
  let worker: Worker | null = null;
  let dataPool: Pool | null = null;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    if (worker) await worker.terminate().catch(() => undefined);
    if (dataPool) await dataPool.end().catch(() => undefined);
    if (handle) await handle.close().catch((e: unknown) => console.error('closing the app:', e));
    if (!s.keepDb) await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``).catch((e: unknown) => console.error(`could not drop ${dbName}:`, e));
    else console.log(`kept database ${dbName}`);
    await admin.end().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };
  cleanUpOnInterrupt(cleanup);

  try {
    const [ver] = await admin.query<RowDataPacket[]>('SELECT VERSION() AS v');
    await admin.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);

    const config = await benchAppConfig(dataDir, dbUrl, {
      DB_POOL_SIZE: String(s.pool),
      MAX_ACTIVE_CLAIMS: String(s.maxActiveClaims),
      HOST: '127.0.0.1',
      PORT: '0',
      // The dispatch sweeper and the notification sender run on timers in the app's process; the raw
      // side has nothing like them, so they are off unless BENCH_JOBS asks for them.
      DISPATCH_ENABLED: String(s.jobs),
      NOTIFY_ENABLED: String(s.jobs),
    });
    handle = await createApp(config);
    await handle.app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = `http://127.0.0.1:${(handle.app.getHttpServer().address() as { port: number }).port}`;

    // Count (and, on demand, record) every statement the app sends, through TypeORM's logger hook.
    const logger = handle.database.dataSource.logger;
    const logQuery = logger.logQuery.bind(logger);
    let appStatements = 0;
    let appTrace: string[] | null = null;
    logger.logQuery = (query, parameters, runner) => {
      appStatements++;
      if (appTrace) appTrace.push(query);
      return logQuery(query, parameters, runner);
    };

    // ---- data: an org tree, members, a resident and a community admin per community, open wishes
    const seedStart = performance.now();
    const now = new Date();
    const db = handle.database;
    const tree = await db.tx(async (m) => {
      const city = await makeOrg(m, now, 'city', '基准市', null);
      const district = await makeOrg(m, now, 'district', '基准区', city.id);
      const street = await makeOrg(m, now, 'street', '基准街道', district.id);
      const communities: { id: number; compoundId: number; residentId: number; staffId: number }[] = [];
      for (let c = 0; c < s.communities; c++) {
        const community = await makeOrg(m, now, 'community', `基准社区${c + 1}`, street.id, 'B');
        const compound = await makeOrg(m, now, 'compound', `基准小区${c + 1}`, community.id);
        const resident = await makePerson(m, now, { openid: `bench-resident-${c}`, nickname: `居民${c + 1}`, grants: [{ role: 'resident', orgId: community.id }] });
        const staff = await makePerson(m, now, { openid: `bench-staff-${c}`, nickname: `书记${c + 1}`, grants: [{ role: 'community_admin', orgId: community.id }] });
        communities.push({ id: community.id, compoundId: compound.id, residentId: resident.id, staffId: staff.id });
      }
      return { districtId: district.id, streetId: street.id, communities };
    });
    const members: { id: number; community: (typeof tree.communities)[number] }[] = [];
    for (let i = 0; i < s.members; i += 200) {
      const batch = await db.tx(async (m) => {
        const out: typeof members = [];
        for (let j = i; j < Math.min(s.members, i + 200); j++) {
          const community = tree.communities[j % tree.communities.length];
          const u = await makePerson(m, now, {
            openid: `bench-member-${j}`,
            nickname: `党员${j}`,
            phone: `139${String(j).padStart(8, '0')}`,
            grants: [{ role: 'member', orgId: community.id }],
            registration: { communityId: community.id, realName: `党员${j}`, workUnit: '基准单位' },
          });
          out.push({ id: u.id, community });
        }
        return out;
      });
      members.push(...batch);
    }
    const tokens: Record<number, string> = {};
    const tokenService = handle.app.get(TokenService);
    for (const m of members) tokens[m.id] = tokenService.issue(m.id, 0).token;

    // Open wishes with ids chosen here, each with its submit and approve events, in multi-row INSERTs.
    // Slot k goes to member k % members, so the requests in flight are all by different people.
    dataPool = mysqlPool(dbUrl, 2);
    const slots: Slot[] = [];
    const published = new Date(now.getTime() - 3600_000);
    const submitted = new Date(now.getTime() - 7200_000);
    for (let start = 0; start < claimSlots; start += 1000) {
      const wishes: unknown[][] = [];
      const events: unknown[][] = [];
      for (let k = start; k < Math.min(claimSlots, start + 1000); k++) {
        const member = members[k % members.length];
        const c = member.community;
        const id = k + 1;
        slots.push({ wishId: id, userId: member.id });
        wishes.push([
          id, tree.districtId, tree.streetId, c.id, c.compoundId, 'daily_help', 0, `帮忙采购生活用品 ${id}`, '行动不便，需要有人每周帮忙采购一次米面油和蔬菜。',
          '王秀英', '13912345678', `3号楼2单元${(id % 30) + 1}01`, c.residentId, 0, null, 'open', 1, 0, published, 1, submitted, published,
        ]);
        events.push([id, 'submit', null, 'pending_review', null, 1, c.residentId, 'resident', null, null, submitted]);
        events.push([id, 'approve', 'pending_review', 'open', 1, 1, c.staffId, 'community_admin', null, null, published]);
      }
      await dataPool.query(
        'INSERT INTO wish (id, district_id, street_id, community_id, compound_id, category, `sensitive`, title, description, beneficiary_name, beneficiary_phone, address, submitter_id, on_behalf, consent_method, state, tier, urgent, published_at, version, created_at, updated_at) VALUES ?',
        [wishes],
      );
      await dataPool.query('INSERT INTO wish_event (wish_id, type, from_state, to_state, from_tier, to_tier, actor_id, actor_role, reason, payload, created_at) VALUES ?', [events]);
    }
    await dataPool.query('ANALYZE TABLE wish, wish_event, app_user, role_grant, consent, organisation');
    const seedMs = performance.now() - seedStart;

    // ---- the load driver, given the entities' columns as TypeORM selects them
    const columnsOf = (entity: string) => handle!.database.dataSource.getMetadata(entity).columns.map((c) => c.databaseName);
    const poolOptions = appPoolOptions(handle.database.dataSource);
    const columns: EntityColumns = { wish: columnsOf('Wish'), event: columnsOf('WishEvent'), photo: columnsOf('Photo'), org: columnsOf('Organisation'), user: columnsOf('User') };
    const w = new Worker(__filename, {
      workerData: { baseUrl, dbUrl, pool: s.pool, poolOptions, concurrency: s.concurrency, client: s.client, maxActiveClaims: s.maxActiveClaims, tokens, columns } satisfies DriverInit,
    });
    worker = w;
    let seq = 0;
    const pending = new Map<number, { resolve: (r: RunResult) => void; reject: (e: Error) => void }>();
    w.on('message', (msg: RunResult | { seq: number; fatal: string }) => {
      const p = pending.get(msg.seq);
      pending.delete(msg.seq);
      if (!p) return;
      if ('fatal' in msg) p.reject(new Error(msg.fatal));
      else p.resolve(msg);
    });
    w.on('error', (e) => {
      for (const p of pending.values()) p.reject(e);
      pending.clear();
    });
    const dbCpu = dbCpuProbe(root.hostname, Number(root.port || 3306));
    const machineCpu = machineCpuProbe();
    const mainCpu = mainThreadCpuProbe();
    const drive = async (side: Side, op: Op, list: Slot[], stats: SideStats | null, trace = false): Promise<RunResult> => {
      const items: number[] = [];
      for (const x of list) items.push(x.wishId, x.userId);
      const elu0 = performance.eventLoopUtilization();
      const cpu0 = process.cpuUsage();
      const db0 = dbCpu?.() ?? 0;
      const all0 = machineCpu?.() ?? 0;
      const main0 = mainCpu?.() ?? 0;
      const appStmt0 = appStatements;
      const res = await new Promise<RunResult>((resolve, reject) => {
        const n = ++seq;
        pending.set(n, { resolve, reject });
        w.postMessage({ kind: 'run', seq: n, side, op, items, trace } satisfies RunRequest);
      });
      const sec = res.ms / 1000;
      if (stats) {
        stats.opsPerSec.push(res.ops / sec);
        stats.latencies.push(...res.latencies);
        stats.ops += res.ops;
        stats.errors += res.errors;
        stats.firstError ??= res.firstError;
        stats.statements += side === 'api' ? appStatements - appStmt0 : res.statements;
        stats.serverElu.push(side === 'api' ? performance.eventLoopUtilization(elu0).utilization : 0);
        stats.driverElu.push(res.elu);
        const cpu = process.cpuUsage(cpu0);
        const node = (cpu.user + cpu.system) / 1e6;
        const dbs = dbCpu ? dbCpu() - db0 : 0;
        stats.nodeCpu.push(node / sec);
        if (dbCpu) stats.dbCpu.push(dbs / sec);
        if (machineCpu) stats.otherCpu.push(Math.max(0, machineCpu() - all0 - node - dbs) / sec);
        if (mainCpu) {
          const server = mainCpu() - main0;
          stats.workMsPerOp.push(((side === 'api' ? server : node - server) * 1000) / res.ops);
        }
      }
      return res;
    };

    // ---- statement check: one op each way, recorded, compared as multisets of statement text.
    // The app's claim is traced on its second claim: the first one may also refresh cached rules.
    const cursor = { next: 0 };
    const take = (n: number): Slot[] => {
      const out = slots.slice(cursor.next, cursor.next + n);
      cursor.next += n;
      return out;
    };
    const claimed: { slot: Slot; side: Side }[] = [];
    const record = (side: Side, list: Slot[], res: RunResult) => list.forEach((x, i) => res.ok[i] && claimed.push({ slot: x, side }));
    const nobody: Slot = { wishId: 0, userId: 0 };

    const check: string[] = [];
    let checkOk = true;
    for (const op of OPS) {
      if (op === 'claim') {
        const first = take(1);
        record('api', first, await drive('api', 'claim', first, null));
      }
      const [apiSlot, rawSlot] = op === 'claim' ? take(2) : op === 'detail' ? [claimed[1].slot, claimed[2].slot] : [nobody, nobody];
      appTrace = [];
      const a = await drive('api', op, [apiSlot], null);
      const apiSql = appTrace.map(normalise);
      appTrace = null;
      const r = await drive('raw', op, [rawSlot], null, true);
      const rawSql = r.trace.map(normalise);
      if (op === 'claim') {
        record('api', [apiSlot], a);
        record('raw', [rawSlot], r);
      }
      if (a.errors || r.errors) throw new Error(`statement check ${op} failed: api ${a.firstError ?? 'ok'}, raw ${r.firstError ?? 'ok'}`);
      const same = apiSql.length === rawSql.length && [...apiSql].sort().join('\n') === [...rawSql].sort().join('\n');
      checkOk &&= same;
      check.push(`${op.padEnd(6)}: the app sent ${apiSql.length} statements, the raw side sends ${rawSql.length}: ${same ? 'same text' : 'DIFFERENT'}`);
      if (!same) {
        for (const x of apiSql.filter((t) => !rawSql.includes(t))) check.push(`    only in the app: ${x.slice(0, 150)}`);
        for (const x of rawSql.filter((t) => !apiSql.includes(t))) check.push(`    only in raw:     ${x.slice(0, 150)}`);
      }
    }

    // ---- warm-up (JIT, pools, buffer pool), not counted
    const detailList = (n: number, offset: number): Slot[] => Array.from({ length: n }, (_, i) => claimed[(offset + i) % claimed.length].slot);
    if (s.warmup > 0) {
      for (const side of ['api', 'raw'] as Side[]) {
        const list = take(s.warmup);
        record(side, list, await drive(side, 'claim', list, null));
      }
      for (const side of ['api', 'raw'] as Side[]) await drive(side, 'detail', detailList(s.warmup, 0), null);
      for (const side of ['api', 'raw'] as Side[]) await drive(side, 'health', Array<Slot>(s.warmup).fill(nobody), null);
    }

    const stats = Object.fromEntries(OPS.map((op) => [op, { api: newStats(), raw: newStats() }])) as Record<Op, Record<Side, SideStats>>;
    const perRun: string[] = [];
    const note = (op: Op, run: number, side: Side, res: RunResult) =>
      perRun.push(`${op.padEnd(6)} run ${run + 1} ${side.padEnd(3)} ${fmt(res.ops / (res.ms / 1000), 0).padStart(6)} ops/s${res.errors ? `  (${res.errors} errors)` : ''}`);
    const orderFor = (run: number): Side[] => (run % 2 === 0 ? ['api', 'raw'] : ['raw', 'api']);

    // ---- claim runs, alternating which side goes first; every claim is on a fresh open wish
    for (let run = 0; run < s.runs; run++) {
      for (const side of orderFor(run)) {
        const list = take(s.claims);
        const res = await drive(side, 'claim', list, stats.claim[side]);
        record(side, list, res);
        note('claim', run, side, res);
      }
    }

    // ---- correctness after the claims
    const [[tot]] = await dataPool.query<RowDataPacket[]>(`SELECT COUNT(*) AS claimed FROM wish WHERE state = 'claimed'`);
    const [[bad]] = await dataPool.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS n FROM (SELECT w.id FROM wish w LEFT JOIN wish_event e ON e.wish_id = w.id AND e.type = 'claim'
        WHERE w.state = 'claimed' GROUP BY w.id HAVING COUNT(e.id) <> 1) x`,
    );
    const [[stray]] = await dataPool.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM wish_event e JOIN wish w ON w.id = e.wish_id WHERE e.type = 'claim' AND w.state <> 'claimed'`);
    const [rows] = await dataPool.query<RowDataPacket[]>(`SELECT id, claimant_id, version FROM wish WHERE state = 'claimed'`);
    const expected = new Map(claimed.map((c) => [c.slot.wishId, c.slot.userId]));
    const wrongClaimant = rows.filter((r) => expected.get(r.id as number) !== r.claimant_id || r.version !== 2).length;
    const [[maxHeld]] = await dataPool.query<RowDataPacket[]>(`SELECT COALESCE(MAX(n), 0) AS n FROM (SELECT COUNT(*) AS n FROM wish WHERE state = 'claimed' GROUP BY claimant_id) x`);
    const correct = Number(tot.claimed) === claimed.length && Number(bad.n) === 0 && Number(stray.n) === 0 && wrongClaimant === 0;

    // ---- detail runs: claimants read wishes they hold (full view, a three-event timeline)
    for (let run = 0; run < s.runs; run++) {
      for (const side of orderFor(run)) {
        const res = await drive(side, 'detail', detailList(s.details, (run * 2 + (side === 'api' ? 0 : 1)) * s.details), stats.detail[side]);
        note('detail', run, side, res);
      }
    }

    // ---- floor: GET /api/health (no token, one SELECT 1) against a bare SELECT 1
    if (s.health > 0) {
      for (let run = 0; run < s.runs; run++) {
        for (const side of orderFor(run)) note('health', run, side, await drive(side, 'health', Array<Slot>(s.health).fill(nobody), stats.health[side]));
      }
    }
    w.postMessage({ kind: 'stop' });

    // ---- report
    const cpuModel = cpus()[0]?.model.trim() ?? 'unknown CPU';
    const lines: string[] = [];
    lines.push('');
    lines.push('Xinyuan API benchmark: the real HTTP API against raw mysql2 sending the same statements through a pool set up like the app\'s');
    lines.push(`  node ${process.version}, ${cpus().length} x ${cpuModel}, MariaDB ${String(ver[0].v)}, load average at start ${loadavgAtStart}`);
    lines.push(
      `  ${s.runs} runs per side of ${s.claims} claims, ${s.details} details${s.health ? `, ${s.health} health` : ''}; ${s.concurrency} in flight; pool ${s.pool}; ` +
        `${s.members} members in ${s.communities} communities; warm-up ${s.warmup}; client: ${s.client === 'fetch' ? 'global fetch (undici, keep-alive)' : 'node:http keep-alive agent'}; ` +
        `background jobs ${s.jobs ? 'on' : 'off'}`,
    );
    lines.push(`  raw pool: ${poolOptions ? "the app's mysql2 pool options as TypeORM builds them" : 'mysql2 options written here (TypeORM\'s could not be read)'}`);
    lines.push(`  seeded ${claimSlots} open wishes (+${claimSlots * 2} events) and ${s.members + 2 * s.communities} people in ${fmt(seedMs / 1000, 1)} s`);
    lines.push('');
    lines.push('Statement check (what the app sent for one request vs what the raw side sends for one op):');
    for (const c of check) lines.push('  ' + c);
    lines.push('');
    lines.push('Per run (API and raw alternate; each claim run uses fresh open wishes):');
    for (const p of perRun) lines.push('  ' + p);
    lines.push('');
    const head = ['op', 'side', 'ops/s (median)', 'p50 ms', 'p95 ms', 'stmts/op', 'CPU ms/op', 'errors', 'API/raw', 'goal', ''];
    const table: string[][] = [head];
    const ratios: Partial<Record<Op, number>> = {};
    for (const op of OPS) {
      if (stats[op].api.ops === 0) continue;
      const ratio = median(stats[op].api.opsPerSec) / median(stats[op].raw.opsPerSec);
      ratios[op] = ratio;
      const goal = GOALS[op];
      for (const side of ['api', 'raw'] as Side[]) {
        const st = stats[op][side];
        const lat = [...st.latencies].sort((x, y) => x - y);
        table.push([
          op === 'health' ? 'health (floor)' : op,
          side === 'api' ? 'API (HTTP)' : 'raw mysql2',
          fmt(median(st.opsPerSec), 0),
          fmt(quantile(lat, 0.5), 1),
          fmt(quantile(lat, 0.95), 1),
          fmt(st.statements / st.ops, 1),
          fmt(median(st.workMsPerOp), 2),
          String(st.errors),
          side === 'api' ? fmt(ratio, 2) + 'x' : '',
          side === 'api' && goal ? `>= ${goal}x` : '',
          side === 'api' && goal ? (ratio >= goal ? 'met' : 'NOT MET') : '',
        ]);
      }
    }
    const widths = head.map((_, i) => Math.max(...table.map((row) => row[i].length)));
    for (const [i, row] of table.entries()) {
      lines.push('  ' + row.map((c, j) => (j >= 2 && j <= 7 ? c.padStart(widths[j]) : c.padEnd(widths[j]))).join('  ').trimEnd());
      if (i === 0) lines.push('  ' + widths.map((n) => '-'.repeat(n)).join('  '));
    }
    lines.push('  ops/s: median over the runs; p50/p95: over all ops of the side; stmts/op: counted on the app through TypeORM\'s logger, on the raw side by the driver;');
    lines.push('  CPU ms/op: median CPU time per op of the thread doing the work (the server\'s main thread; the raw driver thread), steadier than ops/s on a busy machine.');
    const costRatio = (op: Op) => median(stats[op].raw.workMsPerOp) / median(stats[op].api.workMsPerOp);
    if (stats.claim.api.workMsPerOp.length) {
      lines.push(`  CPU cost ratio raw/API (what ops/s would give if both sides were bound by their own thread): ${OPS.filter((op) => stats[op].api.ops).map((op) => `${op} ${fmt(costRatio(op), 2)}x`).join(', ')}`);
    }
    lines.push('');
    lines.push(`Where the CPU went (median over runs; 100% = one core of ${cpus().length}):`);
    for (const op of OPS) {
      for (const side of ['api', 'raw'] as Side[]) {
        const st = stats[op][side];
        if (st.ops === 0) continue;
        const parts = [
          side === 'api' ? `server event loop busy ${pct(median(st.serverElu))}` : null,
          `${side === 'api' ? 'HTTP client' : 'mysql2 driver'} loop busy ${pct(median(st.driverElu))}`,
          `node process ${pct(median(st.nodeCpu))}`,
          st.dbCpu.length ? `mariadbd ${pct(median(st.dbCpu))}` : null,
          st.otherCpu.length ? `everything else ${pct(median(st.otherCpu))}` : null,
        ].filter(Boolean);
        lines.push(`  ${op.padEnd(6)} ${side.padEnd(3)}: ${parts.join(', ')}`);
      }
    }
    lines.push('');
    lines.push('Correctness after the claim runs:');
    lines.push(`  claims that succeeded: ${claimed.length} (API ${claimed.filter((c) => c.side === 'api').length}, raw ${claimed.filter((c) => c.side === 'raw').length}); wishes now claimed: ${Number(tot.claimed)}`);
    lines.push(`  claimed wishes without exactly one claim event: ${Number(bad.n)}; claim events on wishes not claimed: ${Number(stray.n)}`);
    lines.push(`  claimed wishes with another claimant or version than expected: ${wrongClaimant}; most active claims held by one member: ${Number(maxHeld.n)} (limit ${s.maxActiveClaims})`);
    lines.push(`  => ${correct ? 'OK: every claimed wish has exactly one claim event' : 'FAILED'}`);
    for (const op of OPS) {
      for (const side of ['api', 'raw'] as Side[]) {
        const st = stats[op][side];
        if (st.errors) lines.push(`  ${op} ${side}: ${st.errors} failed, first: ${st.firstError}`);
      }
    }
    if (!checkOk) lines.push('  WARNING: the raw side no longer sends what the app sends, so the ratios compare different work; update SQL in bench/api.bench.ts');
    lines.push('');
    const goalText = (['claim', 'detail'] as Op[]).map((op) => `${op} >= ${GOALS[op]}x raw: ${(ratios[op] ?? 0) >= GOALS[op]! ? 'met' : 'NOT met'} (${fmt(ratios[op] ?? NaN, 2)}x)`);
    lines.push(`Goals: ${goalText.join('; ')}. Total ${fmt((performance.now() - started) / 1000, 0)} s.`);
    console.log(lines.join('\n'));
    if (!correct) process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

if (isMainThread) {
  runBench(main);
} else {
  void driverMain(workerData as DriverInit);
}
