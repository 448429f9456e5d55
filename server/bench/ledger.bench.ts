// Ledger and dashboard benchmark: N wishes (default 1,000,000) with their events across the 180
// communities of one city on MariaDB, then the real server (dist/main.js, a child process) measured over
// HTTP: the community dashboard (three rates for one community and one year), the city-wide one, ledger
// pages, and the CSV / xlsx export of about 100,000 rows with the server's peak RSS. A bare SQL aggregate
// of the same figures, straight through mysql2, is timed in the same run as the noise floor.
//
// Not a test (jest only runs *.spec.ts and test/**/*.e2e-spec.ts). Run from the repo root:
//   npx -y pnpm@12.4.2 bench:ledger
// or, to iterate:  cd server && node -r ./test/fakes/ts-register.js bench/ledger.bench.ts --wishes=20000
// The data stays in its own database (xinyuan_bench_ledger) and is reused by the next run when it holds a
// finished generation of the same size and schema (BENCH_REGENERATE=1 forces a new one).
// See README.md in this folder ("Ledger benchmark").
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { throwawayPrivacyEnv } from '../src/config/config';
import { benchKnobs, cleanUpOnInterrupt, dbCpuProbe, fmt, loadavgAtStart, mysqlPool, runBench } from './bench-common';
import { RatesRollup } from '../src/modules/ledger/rates-rollup';
import { DATA_NOW, GENERATOR_VERSION, SEED, generate, readLayout, type CommunityInfo, type GenerationStats } from './ledger-data';

// ---------------------------------------------------------------------------------------------
// Settings: env BENCH_* or --name=value (e.g. --wishes=20000 --community-runs=10).

const PHASES = ['export', 'pages', 'community', 'city'] as const;
type Phase = (typeof PHASES)[number];

interface Settings {
  rootUrl: string;
  database: string;
  wishes: number;
  regenerate: boolean;
  communityRuns: number;
  cityRuns: number;
  pageRuns: number;
  exportRuns: number;
  exportRows: number;
  warmup: number;
  budgetS: number;
  timeoutS: number;
  pool: number;
  rssPollMs: number;
  phases: Phase[];
  year: number;
}

function settings(): Settings {
  const { raw, int, flag } = benchKnobs('bench/README.md');
  const wishes = int('WISHES', 1_000_000, 1000);
  const phasesRaw = raw('PHASES') ?? PHASES.join(',');
  const phases = phasesRaw.split(',').map((p) => p.trim()).filter(Boolean);
  const bad = phases.filter((p) => !(PHASES as readonly string[]).includes(p));
  if (bad.length) throw new Error(`BENCH_PHASES takes ${PHASES.join(', ')} separated by commas (got "${phasesRaw}")`);
  const database = raw('DB') ?? 'xinyuan_bench_ledger';
  if (!/^[A-Za-z0-9_]+$/.test(database)) throw new Error(`BENCH_DB must be a plain database name (got "${database}")`);
  return {
    rootUrl: (raw('DATABASE_URL') ?? 'mariadb://root@127.0.0.1:3306').replace(/\/+$/, ''),
    database,
    wishes,
    regenerate: flag('REGENERATE', false),
    communityRuns: int('COMMUNITY_RUNS', 40, 1),
    cityRuns: int('CITY_RUNS', 7, 1),
    pageRuns: int('PAGE_RUNS', 20, 1),
    exportRuns: int('EXPORT_RUNS', 1, 1),
    exportRows: int('EXPORT_ROWS', Math.round(wishes / 10), 1),
    warmup: int('WARMUP', 3, 0),
    budgetS: int('BUDGET_S', 120, 1),
    timeoutS: int('TIMEOUT_S', 600, 1),
    pool: int('POOL', 10, 1),
    rssPollMs: int('RSS_POLL_MS', 50, 5),
    phases: phases as Phase[],
    year: 2026,
  };
}

const GOAL_COMMUNITY_P95_MS = 200;
const GOAL_CITY_MS = 1000;
const GOAL_EXPORT_RSS_MB = 200;

// ---------------------------------------------------------------------------------------------
// Small helpers.

const median = (xs: number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Nearest rank (with 7 samples, p95 is the slowest). */
function quantile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
}
const int = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const mb = (kb: number): string => (Number.isFinite(kb) ? (kb / 1024).toFixed(0) : '-');
const ms = (x: number): string => (!Number.isFinite(x) ? '-' : x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 10 ? 1 : 0)} ms`);

/** Beijing day YYYY-MM-DD as the UTC instant it starts. */
const bjDayStart = (day: string): Date => new Date(`${day}T00:00:00+08:00`);

function procStatus(pid: number): { rssKb: number; hwmKb: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN);
  return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
}

/** CPU seconds of a process (all threads), from /proc; NaN when unreadable. */
function procCpu(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Resets the peak RSS (VmHWM) of a process we own: `echo 5 > /proc/<pid>/clear_refs` (Linux 4.0+). */
function resetHwm(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** The newest .ts under src (specs left out) against dist/main.js: warns when the build is stale. */
function staleBuild(): string | null {
  const dist = join(__dirname, '..', 'dist');
  const src = join(__dirname, '..', 'src');
  const main = join(dist, 'main.js');
  if (!existsSync(src) || !existsSync(main)) return null;
  const built = statSync(main).mtimeMs;
  let newest = 0;
  let newestFile = '';
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts')) {
        const m = statSync(p).mtimeMs;
        if (m > newest) (newest = m), (newestFile = p);
      }
    }
  };
  walk(src);
  return newest > built + 1000 ? newestFile : null;
}

// ---------------------------------------------------------------------------------------------
// HTTP: node:http with one keep-alive socket (requests go one at a time), no overall deadline but an
// idle timeout (BENCH_TIMEOUT_S), so a request that takes minutes is measured rather than cut off.

interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body, unless a sink consumed it (then the first 2 KB only). */
  body: Buffer;
  bytes: number;
  ms: number;
}

class Client {
  private agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  constructor(
    private readonly port: number,
    private readonly timeoutMs: number,
  ) {}

  request(method: 'GET' | 'POST', path: string, opts: { token?: string; json?: unknown; sink?: (chunk: Buffer) => void } = {}): Promise<HttpResult> {
    const payload = opts.json === undefined ? null : Buffer.from(JSON.stringify(opts.json));
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (payload) (headers['content-type'] = 'application/json'), (headers['content-length'] = String(payload.length));
    return new Promise((resolve, reject) => {
      const t0 = performance.now();
      const req = http.request({ agent: this.agent, host: '127.0.0.1', port: this.port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        let bytes = 0;
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          const ok = res.statusCode === 200;
          if (opts.sink && ok) {
            opts.sink(c);
            if (kept < 2048) chunks.push(c.subarray(0, 2048 - kept)), (kept += Math.min(c.length, 2048 - kept));
          } else chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), bytes, ms: performance.now() - t0 }));
        res.on('error', reject);
      });
      req.setTimeout(this.timeoutMs, () => req.destroy(new Error(`no answer for ${this.timeoutMs / 1000} s (BENCH_TIMEOUT_S)`)));
      req.on('error', reject);
      req.end(payload ?? undefined);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Figures: samples of one kind of request, with CPU of the server and of mariadbd per request.

interface Sample {
  ms: number;
  serverCpuS: number;
  dbCpuS: number;
}

interface Figure {
  key: string;
  label: string;
  samples: Sample[];
  /** The first (warm-up) request's time, for the expensive ones. */
  firstMs?: number;
  /** A request got no answer within BENCH_TIMEOUT_S (the server was restarted). */
  timedOut?: boolean;
  note?: string;
  skipped?: string;
  errors: string[];
  /** Goal: p95 (or the peak RSS for exports) at most this; judged in report(). */
  goal?: { text: string; met: boolean | null };
  ratio?: string;
}

class Probe {
  private db: (() => number) | null;
  constructor(
    private readonly serverPid: number,
    host: string,
    port: number,
  ) {
    this.db = dbCpuProbe(host, port);
  }
  async time<T>(work: () => Promise<T>): Promise<{ value: T; sample: Sample }> {
    const s0 = procCpu(this.serverPid);
    const d0 = this.db?.() ?? NaN;
    const t0 = performance.now();
    const value = await work();
    const msTaken = performance.now() - t0;
    return { value, sample: { ms: msTaken, serverCpuS: procCpu(this.serverPid) - s0, dbCpuS: (this.db?.() ?? NaN) - d0 } };
  }
}

// ---------------------------------------------------------------------------------------------
// The database: migrations, the marker of a finished generation, the generation itself.

const MARKER_TABLE = 'bench_ledger_marker';
const FINGERPRINT_TABLES = ['organisation', 'unit_pairing', 'app_user', 'role_grant', 'consent', 'member_registration', 'wish', 'wish_event', 'fund_spend'];

interface Marker {
  generator: number;
  seed: string;
  wishes: number;
  dataNow: string;
  schema: string;
  /** Hash of the migrations' code: an applied migration edited in place is not re-run, so the data is redone. */
  migrations: string;
  generatedAt: string;
  generationSeconds: number;
  /** Rebuilding the rates' rollups from the generated rows (older markers lack it). */
  rollupSeconds?: number;
  analyzeSeconds: number;
  stats: GenerationStats;
}

async function schemaFingerprint(pool: Pool): Promise<string> {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT TABLE_NAME AS t, GROUP_CONCAT(COLUMN_NAME ORDER BY COLUMN_NAME) AS c FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?) GROUP BY TABLE_NAME ORDER BY TABLE_NAME`,
    [FINGERPRINT_TABLES],
  );
  return rows.map((r) => `${r.t}:${r.c}`).join(';');
}

async function readMarker(pool: Pool): Promise<Marker | null> {
  const [t] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [MARKER_TABLE]);
  if (Number(t[0].n) === 0) return null;
  const [rows] = await pool.query<RowDataPacket[]>(`SELECT v FROM ${MARKER_TABLE} WHERE k = 'generation'`);
  return rows.length ? (JSON.parse(String(rows[0].v)) as Marker) : null;
}

/** The server's migrations as this build has them (name and compiled up()), hashed. */
async function migrationsHash(): Promise<string> {
  const { MIGRATIONS } = await import('../src/database/migrations');
  const text = MIGRATIONS.map((m) => `${m.name}\n${m.prototype.up.toString()}`).join('\n');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

async function migrate(dbUrl: string): Promise<number> {
  const { loadConfig } = await import('../src/config/config');
  const { openDataSource } = await import('../src/database/data-source');
  const config = loadConfig({ DATABASE_URL: dbUrl, JWT_SECRET: 'x'.repeat(32), LOG_LEVEL: 'silent', ...throwawayPrivacyEnv() });
  const t0 = performance.now();
  const { dataSource } = await openDataSource(config.database, true);
  await dataSource.destroy();
  return performance.now() - t0;
}

// ---------------------------------------------------------------------------------------------
// The server, as a child process from dist.

interface Server {
  child: ChildProcess;
  pid: number;
  port: number;
  tail: string[];
  stop(): Promise<void>;
}

async function startServer(s: Settings, dbUrl: string, dataDir: string): Promise<Server> {
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    NODE_ENV: 'development',
    DATABASE_URL: dbUrl,
    DB_POOL_SIZE: String(s.pool),
    JWT_SECRET: randomBytes(32).toString('hex'),
    ...throwawayPrivacyEnv(),
    AUTH_DEV_LOGIN: 'true',
    // One reader asks for many exports in a row: the per-minute limits would measure themselves.
    RATE_LIMIT_ENABLED: 'false',
    // No background work competing with the measured requests.
    DISPATCH_ENABLED: 'false',
    NOTIFY_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    WEB_DIR: join(dataDir, 'no-web'),
  };
  const child = spawn(process.execPath, [join(__dirname, '..', 'dist', 'main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const keep = (b: Buffer) => {
    for (const line of b.toString('utf8').split('\n')) if (line.trim()) tail.push(line.slice(0, 400));
    if (tail.length > 60) tail.splice(0, tail.length - 60);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: number | null = null;
  const exit = new Promise<void>((res) => child.once('exit', (code) => ((exited = code ?? -1), res())));
  const server: Server = {
    child,
    pid: child.pid!,
    port,
    tail,
    async stop() {
      if (exited !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(t);
    },
  };
  const client = new Client(port, 5000);
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (exited !== null) throw new Error(`the server exited (${exited}) while starting:\n  ${tail.join('\n  ')}`);
    try {
      const r = await client.request('GET', '/api/health');
      if (r.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`the server did not answer /api/health within 180 s:\n  ${tail.join('\n  ')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  client.close();
  return server;
}

// ---------------------------------------------------------------------------------------------
// The bare SQL of the rates: one aggregate over the wish row's columns (what the rates need is on the
// row since the Desk migration). The noise floor for the API's dashboard, and a cross-check of its figures.

interface BareRates {
  published: number;
  responded: number;
  cancelledBeforeClaim: number;
  resolved: number;
  lapsed: number;
  satisfied: number;
  rated: number;
}

const BARE_RATES = (where: string) => `
  SELECT COUNT(*) AS published,
         COALESCE(SUM(first_claimed_at IS NOT NULL AND (supervised_at IS NULL OR first_claimed_at < supervised_at)), 0) AS responded,
         COALESCE(SUM(state = 'cancelled' AND first_claimed_at IS NULL AND cancelled_by_submitter = 1), 0) AS cancelled_before_claim,
         COALESCE(SUM(state = 'resolved'), 0) AS resolved,
         COALESCE(SUM(state NOT IN ('resolved', 'cancelled', 'rejected') AND due_at IS NOT NULL AND due_at <= ?
                      AND NOT (state = 'awaiting_confirmation' AND completed_at IS NOT NULL AND completed_at <= due_at)), 0) AS lapsed,
         COALESCE(SUM(rating IN ('satisfied', 'basically_satisfied')), 0) AS satisfied,
         COALESCE(SUM(rating IS NOT NULL), 0) AS rated
    FROM wish
   WHERE ${where} AND published_at >= ? AND published_at < ?`;

async function bareRates(pool: Pool, where: string, params: unknown[], from: Date, to: Date): Promise<BareRates> {
  const [rows] = await pool.query<RowDataPacket[]>(BARE_RATES(where), [new Date(), ...params, from, to]);
  const r = rows[0];
  return {
    published: Number(r.published),
    responded: Number(r.responded),
    cancelledBeforeClaim: Number(r.cancelled_before_claim),
    resolved: Number(r.resolved),
    lapsed: Number(r.lapsed),
    satisfied: Number(r.satisfied),
    rated: Number(r.rated),
  };
}

interface RateView {
  rate: number | null;
  numerator: number;
  denominator: number;
}

/** Differences between the API's rates and the bare SQL's (lapsed wishes may move by the second between the two). */
function compareRates(api: { published: number; response: RateView; resolution: RateView; satisfaction: RateView }, bare: BareRates): string[] {
  const out: string[] = [];
  const eq = (name: string, a: number, b: number) => a !== b && out.push(`${name} API ${a} vs SQL ${b}`);
  eq('published', api.published, bare.published);
  eq('responded', api.response.numerator, bare.responded);
  eq('response denominator', api.response.denominator, bare.published - bare.cancelledBeforeClaim);
  eq('resolved', api.resolution.numerator, bare.resolved);
  eq('resolution denominator', api.resolution.denominator, bare.resolved + bare.lapsed);
  eq('satisfied', api.satisfaction.numerator, bare.satisfied);
  eq('rated', api.satisfaction.denominator, bare.rated);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Main.

async function main(): Promise<void> {
  const s = settings();
  const started = performance.now();
  const progress = (msg: string) => process.stderr.write(`[${fmt((performance.now() - started) / 1000, 0).padStart(5)} s] ${msg}\n`);
  const stale = staleBuild();
  if (stale) progress(`WARNING: ${stale} is newer than dist/main.js: the server measured is an older build (run \`npx tsc -p tsconfig.build.json\` in server/)`);
  const { PRIVACY_NOTICE_VERSION } = await import('@xinyuan/shared');

  const root = new URL(s.rootUrl);
  const dbUrl = `${root.protocol}//${root.username ? root.username + (root.password ? ':' + root.password : '') + '@' : ''}${root.host}/${s.database}`;
  const admin = mysqlPool(s.rootUrl, 1);
  /** MariaDB thread ids of this script's own connections (never killed). */
  const myThreads = new Set<number>();
  const openPool = (): Pool => {
    const p = mysqlPool(dbUrl, 4);
    p.on('connection', (c) => void myThreads.add(c.threadId));
    return p;
  };
  let pool: Pool | null = null;
  let server: Server | null = null;
  const dataDir = mkdtempSync(join(tmpdir(), 'xy-ledger-bench-'));
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    if (server) await server.stop().catch(() => undefined);
    if (pool) await pool.end().catch(() => undefined);
    await admin.end().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };
  cleanUpOnInterrupt(cleanup, 'interrupted, stopping the server (the database is kept; an unfinished generation is redone next time)');

  try {
    const [ver] = await admin.query<RowDataPacket[]>('SELECT VERSION() AS v, @@innodb_buffer_pool_size AS bp, @@innodb_flush_log_at_trx_commit AS flush');

    // ---- the data: reuse a finished generation of the same size and schema, or make one
    // (the marker is read before migrating: a changed migration must not first run over the old data)
    await admin.query(`CREATE DATABASE IF NOT EXISTS \`${s.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    pool = openPool();
    let marker = await readMarker(pool);
    const migrations = await migrationsHash();
    let why =
      s.regenerate ? 'BENCH_REGENERATE is on'
      : !marker ? 'no finished generation in the database'
      : marker.wishes !== s.wishes ? `it holds ${int(marker.wishes)} wishes, not ${int(s.wishes)}`
      : marker.generator !== GENERATOR_VERSION ? `it was made by generator version ${marker.generator}, this is ${GENERATOR_VERSION}`
      : marker.migrations !== migrations ? "the server's migrations changed since it was made (an applied migration edited in place is not re-run)"
      : null;
    if (!why) {
      await migrate(dbUrl); // nothing should be pending; the server would run it anyway
      if (marker!.schema !== (await schemaFingerprint(pool))) why = 'the schema changed since (columns of the tables it fills)';
    }
    let generatedNow = false;
    if (why) {
      progress(`generating ${int(s.wishes)} wishes: ${why}`);
      await pool.end();
      pool = null;
      await admin.query(`DROP DATABASE IF EXISTS \`${s.database}\``);
      await admin.query(`CREATE DATABASE \`${s.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      const migMs = await migrate(dbUrl);
      progress(`schema created by the server's migrations in ${fmt(migMs / 1000, 1)} s`);
      pool = openPool();
      const g0 = performance.now();
      const { stats } = await generate(pool, { wishes: s.wishes, progress, noticeVersion: PRIVACY_NOTICE_VERSION });
      const genS = (performance.now() - g0) / 1000;
      // The rows were written directly, not moved: the rates' rollups are computed from them, as after any bulk load.
      progress(`generated in ${fmt(genS, 1)} s; rebuilding the rates' rollups`);
      const r0 = performance.now();
      await RatesRollup.rebuild(async (sql, params) => (await pool!.query(sql, params))[0], false);
      const rollupS = (performance.now() - r0) / 1000;
      progress(`rollups rebuilt in ${fmt(rollupS, 1)} s; ANALYZE TABLE`);
      const a0 = performance.now();
      await pool.query(`ANALYZE TABLE ${FINGERPRINT_TABLES.join(', ')}`);
      const analyzeS = (performance.now() - a0) / 1000;
      marker = {
        generator: GENERATOR_VERSION, seed: SEED, wishes: s.wishes, dataNow: DATA_NOW.toISOString(), schema: await schemaFingerprint(pool), migrations,
        generatedAt: new Date().toISOString(), generationSeconds: genS, rollupSeconds: rollupS, analyzeSeconds: analyzeS, stats,
      };
      await pool.query(`CREATE TABLE ${MARKER_TABLE} (k VARCHAR(64) PRIMARY KEY, v LONGTEXT NOT NULL)`);
      await pool.query(`INSERT INTO ${MARKER_TABLE} (k, v) VALUES ('generation', ?)`, [JSON.stringify(marker)]);
      generatedNow = true;
    } else {
      progress(`reusing the generation of ${marker!.generatedAt} (${int(marker!.wishes)} wishes, made in ${fmt(marker!.generationSeconds, 1)} s)`);
    }
    const m = marker!;
    const layout = await readLayout(pool);

    // ---- what is in there
    const yearFrom = bjDayStart(`${s.year}-01-01`);
    const yearTo = bjDayStart(`${s.year + 1}-01-01`);
    const [perCommunity] = await pool.query<RowDataPacket[]>(
      'SELECT community_id AS id, COUNT(*) AS n FROM wish WHERE published_at >= ? AND published_at < ? GROUP BY community_id',
      [yearFrom, yearTo],
    );
    const published = new Map(perCommunity.map((r) => [Number(r.id), Number(r.n)]));
    const ranked = [...layout.communities].sort((a, b) => (published.get(b.id) ?? 0) - (published.get(a.id) ?? 0) || a.id - b.id);
    const [perDistrict] = await pool.query<RowDataPacket[]>('SELECT district_id AS id, COUNT(*) AS n FROM wish GROUP BY district_id');
    const [[totals]] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS wishes, MAX(id) AS maxId FROM wish');
    const [[evTotals]] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM wish_event');
    const [byState] = await pool.query<RowDataPacket[]>('SELECT state, COUNT(*) AS n FROM wish GROUP BY state ORDER BY n DESC');
    const [[special]] = await pool.query<RowDataPacket[]>(
      `SELECT SUM(state = 'claimed' AND due_at < ?) AS overdue, SUM(supervised_at IS NOT NULL) AS supervised, SUM(urgent) AS urgent,
              SUM(state = 'open' AND supervised_at IS NOT NULL) AS supervisedOpen FROM wish`,
      [new Date()],
    );
    const [[spends]] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM fund_spend');
    const [sizes] = await pool.query<RowDataPacket[]>(
      `SELECT TABLE_NAME AS t, ROUND((DATA_LENGTH) / 1048576) AS data_mb, ROUND(INDEX_LENGTH / 1048576) AS index_mb
         FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('wish', 'wish_event') ORDER BY TABLE_NAME`,
    );

    // ---- the server
    // A request that gets no answer within BENCH_TIMEOUT_S is given up: its statements are killed (by
    // connection id: the server's connections to this database, never this script's) and the server is
    // started again, so an abandoned request does not keep MariaDB busy for the next figures.
    const busiest = ranked[0];
    let client!: Client;
    let probe!: Probe;
    let cityToken = '';
    let caToken = '';
    const restarts: string[] = [];
    const login = async (openid: string): Promise<string> => {
      const r = await client.request('POST', '/api/auth/dev-login', { json: { openid } });
      if (r.status !== 200) throw new Error(`dev login as ${openid}: HTTP ${r.status} ${r.body.toString('utf8').slice(0, 300)}`);
      return (JSON.parse(r.body.toString('utf8')) as { token: string }).token;
    };
    const boot = async () => {
      server = await startServer(s, dbUrl, dataDir);
      client = new Client(server.port, s.timeoutS * 1000);
      probe = new Probe(server.pid, root.hostname, Number(root.port || 3306));
      cityToken = await login(layout.cityAdminOpenid);
      caToken = await login(busiest.adminOpenid);
    };
    const killServerStatements = async (): Promise<number> => {
      const [rows] = await admin.query<RowDataPacket[]>("SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND COMMAND <> 'Sleep'", [s.database]);
      let n = 0;
      for (const r of rows) {
        if (myThreads.has(Number(r.id))) continue;
        await admin.query(`KILL QUERY ${Number(r.id)}`).catch(() => undefined);
        n++;
      }
      return n;
    };
    const restart = async (why: string) => {
      progress(`restarting the server: ${why}`);
      const killed = await killServerStatements();
      client.close();
      await server!.stop();
      server = null;
      await killServerStatements();
      await boot();
      restarts.push(`${why}; ${killed} running statement(s) killed, server restarted`);
    };
    progress('starting the server (dist/main.js)');
    await boot();
    const rssIdle = procStatus(server!.pid);
    const get = async (path: string, token: string) => {
      const { value, sample } = await probe.time(() => client.request('GET', path, { token }));
      return { r: value, sample };
    };
    /** One measured request; on no answer in time the server is restarted and null comes back. */
    const attempt = async (f: Figure, path: string, token: string): Promise<{ r: HttpResult; sample: Sample } | null> => {
      try {
        const res = await get(path, token);
        if (res.r.status !== 200) f.errors.push(errorOf(res.r));
        return res;
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        f.errors.push(msg);
        if (/no answer for/.test(msg)) {
          f.timedOut = true;
          await restart(`${f.label}: ${msg}`);
        }
        return null;
      }
    };
    const errorOf = (r: HttpResult) => `HTTP ${r.status} ${r.body.toString('utf8').slice(0, 200)}`;

    const figures: Figure[] = [];
    const fig = (key: string, label: string): Figure => {
      const f: Figure = { key, label, samples: [], errors: [] };
      figures.push(f);
      return f;
    };
    /** Requests until `runs` are measured, or the time budget is spent after at least 3; stops at a timeout or 3 errors. */
    const run = async (f: Figure, runs: number, path: () => string, token: () => string) => {
      const t0 = performance.now();
      for (let i = 0; i < runs; i++) {
        const res = await attempt(f, path(), token());
        if (f.timedOut || f.errors.length >= 3) break;
        if (res && res.r.status === 200) f.samples.push(res.sample);
        if (performance.now() - t0 > s.budgetS * 1000 && i + 1 < runs && i + 1 >= 3) {
          f.note = `${f.note ? f.note + '; ' : ''}stopped after ${i + 1} of ${runs} runs: time budget of ${s.budgetS} s spent (BENCH_BUDGET_S)`;
          break;
        }
      }
    };
    const isMissingRoute = (r: HttpResult) => r.status === 404 && /ROUTE_NOT_FOUND|Cannot GET/.test(r.body.toString('utf8'));

    const ratesPath = (scope: string, orgId?: number) =>
      `/api/ledger/rates?scope=${scope}${orgId ? `&orgId=${orgId}` : ''}&from=${s.year}-01-01&to=${s.year}-12-31`;
    const dashPath = (scope: string, orgId?: number) => `/api/ledger/dashboard?scope=${scope}${orgId ? `&orgId=${orgId}` : ''}&year=${s.year}`;

    // The communities measured: spread over the ranking by volume, busiest to quietest; warm-up on others.
    const nMeasured = Math.min(s.communityRuns, ranked.length);
    const measured: CommunityInfo[] = Array.from({ length: nMeasured }, (_, i) => ranked[nMeasured === 1 ? 0 : Math.round((i * (ranked.length - 1)) / (nMeasured - 1))]);
    const measuredIds = new Set(measured.map((c) => c.id));
    // Visited in bit-reversed rank order (busiest, middle, quarter, ...), so the communities measured before
    // any early stop are spread over the whole range rather than all busy ones.
    const bitReversed = (i: number) => {
      let r = 0;
      for (let f = 0.5, x = i; x > 0; x >>= 1, f /= 2) if (x & 1) r += f;
      return r;
    };
    const visitOrder = measured.map((c, i) => ({ c, k: bitReversed(i) })).sort((a, b) => a.k - b.k).map((x) => x.c);
    const warmCommunities = ranked.filter((c) => !measuredIds.has(c.id)).slice(0, Math.max(1, s.warmup));
    const quietest = ranked[ranked.length - 1];

    // ---- warm-up: each kind of request a few times (JIT, pools, caches), not counted
    progress('warm-up');
    const scratch: Figure = { key: 'warm-up', label: 'warm-up', samples: [], errors: [] };
    for (let i = 0; i < s.warmup; i++) {
      const c = warmCommunities[i % warmCommunities.length];
      await attempt(scratch, ratesPath('community', c.id), cityToken);
      await attempt(scratch, '/api/ledger/wishes?limit=20', caToken);
      await pool.query(BARE_RATES('community_id = ?'), [new Date(), c.id, yearFrom, yearTo]);
    }
    if (scratch.errors.length) progress(`warm-up: ${scratch.errors.length} failed, first: ${scratch.errors[0]}`);

    // ---- d. export of about BENCH_EXPORT_ROWS rows (first, on a server that has not yet held a city's facts)
    const exportFigures: { format: 'csv' | 'xlsx'; scope: string; expected: number; runs: { ms: number; bytes: number; rows: number | null; before: number; peakPolled: number; hwm: number; hwmReset: boolean; after: number; serverCpuS: number; dbCpuS: number; status: number; error?: string }[] }[] = [];
    let exportDistrict: { id: number; name: string; n: number } | null = null;
    if (s.phases.includes('export')) {
      const districts = perDistrict.map((r) => ({ id: Number(r.id), n: Number(r.n), name: layout.districts.find((d) => d.id === Number(r.id))?.name ?? String(r.id) }));
      exportDistrict = districts.sort((a, b) => Math.abs(a.n - s.exportRows) - Math.abs(b.n - s.exportRows))[0];
      const [[cnt]] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM wish WHERE district_id = ?', [exportDistrict.id]);
      const expected = Number(cnt.n);
      progress(`export warm-up (the quietest community), then ${exportDistrict.name}: ${int(expected)} wishes`);
      for (const fmtName of ['csv', 'xlsx'] as const) {
        const w = await client.request('GET', `/api/ledger/export.${fmtName}?communityId=${quietest.id}`, { token: cityToken, sink: () => undefined });
        if (w.status !== 200) progress(`export warm-up ${fmtName}: ${errorOf(w)}`);
      }
      for (const format of ['csv', 'xlsx'] as const) {
        const entry: (typeof exportFigures)[number] = { format, scope: `districtId=${exportDistrict.id}`, expected, runs: [] };
        exportFigures.push(entry);
        for (let i = 0; i < s.exportRuns; i++) {
          progress(`export ${format} run ${i + 1}`);
          const before = procStatus(server!.pid).rssKb;
          const hwmReset = resetHwm(server!.pid);
          let peak = before;
          const pid = server!.pid;
          const timer = setInterval(() => {
            try {
              peak = Math.max(peak, procStatus(pid).rssKb);
            } catch {
              /* gone */
            }
          }, s.rssPollMs);
          // CSV rows: line ends outside quoted fields, minus the header.
          let inQuotes = false;
          let lines = 0;
          const sink =
            format === 'csv'
              ? (c: Buffer) => {
                  for (let k = 0; k < c.length; k++) {
                    const b = c[k];
                    if (b === 0x22) inQuotes = !inQuotes;
                    else if (b === 0x0a && !inQuotes) lines++;
                  }
                }
              : () => undefined;
          try {
            const { value: r, sample } = await probe.time(() => client.request('GET', `/api/ledger/export.${format}?districtId=${exportDistrict!.id}`, { token: cityToken, sink }));
            clearInterval(timer);
            const st = procStatus(pid);
            peak = Math.max(peak, st.rssKb);
            entry.runs.push({
              ms: r.ms, bytes: r.bytes, rows: format === 'csv' ? lines - 1 : null, before, peakPolled: peak, hwm: st.hwmKb, hwmReset, after: st.rssKb,
              serverCpuS: sample.serverCpuS, dbCpuS: sample.dbCpuS, status: r.status, error: r.status === 200 ? undefined : errorOf(r),
            });
          } catch (e) {
            clearInterval(timer);
            const msg = e instanceof Error ? e.message : String(e);
            entry.runs.push({ ms: NaN, bytes: 0, rows: null, before, peakPolled: peak, hwm: NaN, hwmReset, after: NaN, serverCpuS: NaN, dbCpuS: NaN, status: 0, error: msg });
            if (/no answer for/.test(msg)) await restart(`export ${format}: ${msg}`);
          }
        }
      }
    }

    // ---- c. ledger pages
    if (s.phases.includes('pages')) {
      progress('ledger pages');
      const first = await attempt({ key: 'cursor', label: 'cursor', samples: [], errors: [] }, '/api/ledger/wishes?limit=20', cityToken);
      const next = first?.r.status === 200 ? (JSON.parse(first.r.body.toString('utf8')) as { nextCursor: string | null }).nextCursor : null;
      // The cursor is base64url JSON [id] today; if that changes, follow the real cursors instead.
      let deepCursor: string | null = null;
      let deepLabel = '';
      try {
        const decoded = next ? (JSON.parse(Buffer.from(next, 'base64url').toString('utf8')) as unknown) : null;
        if (Array.isArray(decoded) && decoded.length === 1 && typeof decoded[0] === 'number') {
          const mid = Math.floor(Number(totals.maxId) / 2);
          deepCursor = Buffer.from(JSON.stringify([mid])).toString('base64url');
          deepLabel = `deep page (cursor at id ${int(mid)}, the middle of the ledger)`;
        }
      } catch {
        /* fall through */
      }
      if (!deepCursor && next) {
        let c: string | null = next;
        let pages = 1;
        while (c && pages < 50) {
          const r = await client.request('GET', `/api/ledger/wishes?limit=20&cursor=${encodeURIComponent(c)}`, { token: cityToken });
          c = r.status === 200 ? (JSON.parse(r.body.toString('utf8')) as { nextCursor: string | null }).nextCursor : null;
          pages++;
        }
        deepCursor = c;
        deepLabel = `deep page (page ${pages}, followed through the cursors)`;
      }
      const pages: { key: string; label: string; path: string; ca: boolean }[] = [
        { key: 'page-first', label: 'first page, whole city (city admin)', path: '/api/ledger/wishes?limit=20', ca: false },
        ...(deepCursor ? [{ key: 'page-deep', label: deepLabel, path: `/api/ledger/wishes?limit=20&cursor=${encodeURIComponent(deepCursor)}`, ca: false }] : []),
        { key: 'page-resolved', label: `state=resolved&communityId=${busiest.id} (busiest community)`, path: `/api/ledger/wishes?limit=20&state=resolved&communityId=${busiest.id}`, ca: false },
        { key: 'page-overdue', label: 'overdue=true, whole city', path: '/api/ledger/wishes?limit=20&overdue=true', ca: false },
        { key: 'page-supervised', label: 'supervised=true, whole city', path: '/api/ledger/wishes?limit=20&supervised=true', ca: false },
        { key: 'page-march', label: `from=${s.year}-03-01&to=${s.year}-03-31, whole city`, path: `/api/ledger/wishes?limit=20&from=${s.year}-03-01&to=${s.year}-03-31`, ca: false },
        { key: 'page-ca', label: 'first page, own community (community admin of the busiest)', path: '/api/ledger/wishes?limit=20', ca: true },
      ];
      for (const p of pages) {
        const f = fig(p.key, `c. ledger ${p.label}`);
        const token = () => (p.ca ? caToken : cityToken);
        // Warm-up: up to two requests, one only when it is slow (over 5 s).
        for (let i = 0; i < Math.min(2, s.warmup); i++) {
          const w = await attempt(f, p.path, token());
          if (!w || w.r.ms > 5000) break;
        }
        progress(`c. ledger ${p.label}`);
        if (!f.timedOut) await run(f, s.pageRuns, () => p.path, token);
      }
    }

    // ---- a. community dashboard, and e. its bare SQL, community by community (bare first. The API reads the
    // rollups and indexes, not the rows the bare query brings in, so this order no longer favours the API:
    // the bare query's pages compete with the API's in the buffer pool)
    const mismatches: string[] = [];
    let compared = 0;
    if (s.phases.includes('community')) {
      progress(`community rates: ${measured.length} communities from ${int(published.get(measured[0].id) ?? 0)} to ${int(published.get(measured[measured.length - 1].id) ?? 0)} wishes published in ${s.year}`);
      const api = fig('community-rates', `a. community rates, ${measured.length} communities (city admin)`);
      const bare = fig('community-bare', 'e. bare SQL: the same rates as one aggregate (mysql2)');
      for (const c of visitOrder) {
        const b = await probe.time(() => bareRates(pool!, 'community_id = ?', [c.id], yearFrom, yearTo));
        bare.samples.push(b.sample);
        const a = await attempt(api, ratesPath('community', c.id), cityToken);
        if (!a || a.r.status !== 200) {
          if (api.timedOut || api.errors.length >= 3) break;
          continue;
        }
        api.samples.push(a.sample);
        const diff = compareRates(JSON.parse(a.r.body.toString('utf8')), b.value);
        compared++;
        if (diff.length) mismatches.push(`community ${c.id}: ${diff.join(', ')}`);
      }
      api.goal = { text: `p95 <= ${GOAL_COMMUNITY_P95_MS} ms`, met: api.samples.length && !api.timedOut ? quantile(api.samples.map((x) => x.ms), 0.95) <= GOAL_COMMUNITY_P95_MS : false };
      api.ratio = `${fmt(median(api.samples.map((x) => x.ms)) / median(bare.samples.map((x) => x.ms)), 0)}x bare`;

      const own = fig('community-rates-ca', `a. community rates, own community (community admin of the busiest, ${int(published.get(busiest.id) ?? 0)} wishes)`);
      await run(own, Math.min(10, s.communityRuns), () => ratesPath('community', busiest.id), () => caToken);

      const dash = fig('community-dashboard', `a. community dashboard, ${measured.length} communities (city admin)`);
      const probeDash = await client.request('GET', dashPath('community', measured[0].id), { token: cityToken });
      if (isMissingRoute(probeDash)) dash.skipped = 'GET /api/ledger/dashboard is not there (404 ROUTE_NOT_FOUND): skipped';
      else {
        for (const c of visitOrder) {
          const a = await attempt(dash, dashPath('community', c.id), cityToken);
          if (!a || a.r.status !== 200) {
            if (dash.timedOut || dash.errors.length >= 3) break;
            continue;
          }
          dash.samples.push(a.sample);
        }
        dash.goal = { text: `p95 <= ${GOAL_COMMUNITY_P95_MS} ms`, met: dash.samples.length && !dash.timedOut ? quantile(dash.samples.map((x) => x.ms), 0.95) <= GOAL_COMMUNITY_P95_MS : false };
        dash.ratio = `${fmt(median(dash.samples.map((x) => x.ms)) / median(bare.samples.map((x) => x.ms)), 0)}x bare`;
      }
    }

    // ---- b. city-wide dashboard (the first request is a warm-up, reported apart)
    if (s.phases.includes('city')) {
      const cityWhere = "district_id IN (SELECT d.id FROM organisation d WHERE d.kind = 'district' AND d.parent_id = ?)";
      const bare = fig('city-bare', 'e. bare SQL: the city-wide rates as one aggregate (mysql2)');
      await bareRates(pool, cityWhere, [layout.cityId], yearFrom, yearTo);
      let bareCity: BareRates | null = null;
      for (let i = 0; i < s.cityRuns; i++) {
        const b = await probe.time(() => bareRates(pool!, cityWhere, [layout.cityId], yearFrom, yearTo));
        bare.samples.push(b.sample);
        bareCity = b.value;
      }
      for (const [key, label, path] of [
        ['city-rates', 'b. city-wide rates (city admin)', ratesPath('city')],
        ['city-dashboard', 'b. city-wide dashboard (city admin)', dashPath('city')],
      ] as const) {
        progress(`${label}: first request`);
        const f = fig(key, label);
        const first = await attempt(f, path, cityToken);
        if (first && key === 'city-dashboard' && isMissingRoute(first.r)) {
          f.skipped = 'GET /api/ledger/dashboard is not there (404 ROUTE_NOT_FOUND): skipped';
          f.errors = [];
          continue;
        }
        if (!first || first.r.status !== 200) {
          f.goal = { text: `p95 <= ${GOAL_CITY_MS / 1000} s`, met: false };
          continue;
        }
        f.firstMs = first.r.ms;
        if (key === 'city-rates' && bareCity) {
          const diff = compareRates(JSON.parse(first.r.body.toString('utf8')), bareCity);
          compared++;
          if (diff.length) mismatches.push(`city: ${diff.join(', ')}`);
        }
        progress(`${label}: first request ${ms(first.r.ms)}, now ${s.cityRuns} runs`);
        await run(f, s.cityRuns, () => path, () => cityToken);
        f.goal = { text: `p95 <= ${GOAL_CITY_MS / 1000} s`, met: f.samples.length && !f.timedOut ? quantile(f.samples.map((x) => x.ms), 0.95) <= GOAL_CITY_MS : false };
        f.ratio = `${fmt(median(f.samples.map((x) => x.ms)) / median(bare.samples.map((x) => x.ms)), 0)}x bare`;
      }
    }
    const rssEnd = procStatus(server!.pid);
    client.close();
    await server!.stop();
    server = null;

    // ---- report
    const lines: string[] = [];
    const stateText = byState.map((r) => `${r.state} ${int(Number(r.n))}`).join(', ');
    lines.push('');
    lines.push('Xinyuan ledger benchmark: the real server (dist/main.js, a child process) over HTTP on MariaDB');
    lines.push(
      `  node ${process.version}, ${cpus().length} x ${cpus()[0]?.model.trim() ?? '?'}, MariaDB ${String(ver[0].v)} (buffer pool ${int(Number(ver[0].bp) / 2 ** 20)} MB, ` +
        `flush_log_at_trx_commit ${ver[0].flush}), load average at start ${loadavgAtStart}`,
    );
    lines.push(
      `  data: ${s.database}, ${int(Number(totals.wishes))} wishes (${stateText}), ${int(Number(evTotals.n))} events, ${int(Number(spends.n))} fund spends, ` +
        `${layout.communities.length} communities in ${layout.streets.length} streets and ${layout.districts.length} districts, ${int(layout.users)} people, ${layout.units} paired units`,
    );
    lines.push(
      `  overdue now ${int(Number(special.overdue))}, supervised ${int(Number(special.supervised))} (still open ${int(Number(special.supervisedOpen))}), urgent ${int(Number(special.urgent))}; ` +
        `published in ${s.year} per community: busiest ${int(published.get(ranked[0].id) ?? 0)}, median ${int(median(ranked.map((c) => published.get(c.id) ?? 0)))}, quietest ${int(published.get(quietest.id) ?? 0)}`,
    );
    lines.push(`  table sizes: ${sizes.map((r) => `${r.t} ${int(Number(r.data_mb))} MB data + ${int(Number(r.index_mb))} MB indexes`).join(', ')}`);
    lines.push(
      generatedNow
        ? `  generated now in ${fmt(m.generationSeconds, 1)} s (${int(m.wishes / m.generationSeconds)} wishes/s, ${int(m.stats.events / m.generationSeconds)} events/s) + rollups ${fmt(m.rollupSeconds ?? 0, 1)} s + ANALYZE ${fmt(m.analyzeSeconds, 1)} s`
        : `  reused the generation of ${m.generatedAt} (it took ${fmt(m.generationSeconds, 1)} s + ANALYZE ${fmt(m.analyzeSeconds, 1)} s); BENCH_REGENERATE=1 makes a new one`,
    );
    lines.push(
      `  server: DB_POOL_SIZE ${s.pool}, dispatch sweeper and notification sender off, LOG_LEVEL warn; RSS at start ${mb(rssIdle.rssKb)} MB, at the end ${mb(rssEnd.rssKb)} MB ` +
        (restarts.length ? `(of the process started again after the last restart; its peak ${mb(rssEnd.hwmKb)} MB)` : `(peak since start ${mb(rssEnd.hwmKb)} MB)`),
    );
    lines.push(`  requests one at a time on one keep-alive connection; ${s.warmup} warm-up rounds; CPU columns: seconds per request of the server process and of mariadbd (all its clients)`);
    lines.push('');

    const head = ['figure', 'n', 'median', 'p95', 'min', 'max', 'server CPU', 'mariadbd CPU', 'vs bare', 'goal', ''];
    const table: string[][] = [head];
    const order = ['community-rates', 'community-dashboard', 'community-rates-ca', 'community-bare', 'city-rates', 'city-dashboard', 'city-bare'];
    const sorted = [...figures].sort((a, b) => {
      const ia = order.indexOf(a.key);
      const ib = order.indexOf(b.key);
      return (ia < 0 ? 100 : ia) - (ib < 0 ? 100 : ib);
    });
    const notes: string[] = [];
    for (const f of sorted) {
      if (f.skipped) {
        table.push([f.label, '-', '-', '-', '-', '-', '-', '-', '', '', '']);
        notes.push(`${f.label}: ${f.skipped}`);
        continue;
      }
      const xs = f.samples.map((x) => x.ms);
      table.push([
        f.label,
        String(f.samples.length),
        ms(median(xs)),
        ms(quantile(xs, 0.95)),
        ms(Math.min(...xs)),
        ms(Math.max(...xs)),
        fmt(median(f.samples.map((x) => x.serverCpuS)), 2),
        fmt(median(f.samples.map((x) => x.dbCpuS)), 2),
        f.ratio ?? '',
        f.goal?.text ?? '',
        f.goal ? (f.goal.met ? 'MET' : 'NOT MET') : '',
      ]);
      if (f.firstMs !== undefined) notes.push(`${f.label}: first request (warm-up, not counted) ${ms(f.firstMs)}`);
      if (f.note) notes.push(`${f.label}: ${f.note}`);
      if (f.errors.length) notes.push(`${f.label}: ${f.errors.length} failed, first: ${f.errors[0]}`);
    }
    const widths = head.map((_, i) => Math.max(...table.map((row) => row[i].length)));
    for (const [i, row] of table.entries()) {
      lines.push('  ' + row.map((c, j) => (j >= 1 && j <= 8 ? c.padStart(widths[j]) : c.padEnd(widths[j]))).join('  ').trimEnd());
      if (i === 0) lines.push('  ' + widths.map((n) => '-'.repeat(n)).join('  '));
    }
    for (const n of notes) lines.push(`  note: ${n}`);
    for (const r of restarts) lines.push(`  restart: ${r}`);
    if (mismatches.length) lines.push(`  rates cross-check: the API and the bare SQL differ for ${mismatches.length} of ${compared} scopes compared, first: ${mismatches[0]}`);
    else if (compared) lines.push(`  rates cross-check: the API's numerators and denominators equal the bare SQL's for all ${compared} scopes compared`);
    lines.push('');

    let exportGoal: boolean | null = null;
    if (exportFigures.length) {
      lines.push(`d. export of ${exportDistrict!.name} (districtId=${exportDistrict!.id}) as city admin, ${int(exportFigures[0].expected)} wishes (SELECT COUNT(*)); body streamed and counted, not kept:`);
      const eh = ['format', 'run', 'time', 'rows/s', 'bytes', 'rows', 'RSS before', 'peak RSS (polled)', 'VmHWM', 'peak - before', 'RSS after', 'server CPU', 'mariadbd CPU', 'goal', ''];
      const et: string[][] = [eh];
      for (const e of exportFigures) {
        for (const [i, r] of e.runs.entries()) {
          const peakMb = Math.max(r.peakPolled, r.hwmReset ? r.hwm : 0) / 1024;
          const met = r.status === 200 && peakMb <= GOAL_EXPORT_RSS_MB;
          exportGoal = (exportGoal ?? true) && met;
          et.push([
            e.format, String(i + 1), ms(r.ms), int(e.expected / (r.ms / 1000)), `${fmt(r.bytes / 2 ** 20, 1)} MB`,
            r.rows === null ? '(zip)' : `${int(r.rows)} ${r.rows === e.expected ? 'OK' : `!= ${int(e.expected)} WRONG`}`,
            `${mb(r.before)} MB`, `${mb(r.peakPolled)} MB`, `${mb(r.hwm)} MB${r.hwmReset ? '' : ' (since start)'}`, `+${mb(peakMb * 1024 - r.before)} MB`, `${mb(r.after)} MB`,
            fmt(r.serverCpuS, 1), fmt(r.dbCpuS, 1), `peak <= ${GOAL_EXPORT_RSS_MB} MB`, met ? 'MET' : 'NOT MET',
          ]);
          if (r.error) lines.push(`  ${e.format} run ${i + 1} failed: ${r.error}`);
          if (e.format === 'csv' && r.rows !== null && r.rows !== e.expected && r.status === 200) process.exitCode = 1;
        }
      }
      const ew = eh.map((_, i) => Math.max(...et.map((row) => row[i].length)));
      for (const [i, row] of et.entries()) {
        lines.push('  ' + row.map((c, j) => (j >= 1 && j <= 12 ? c.padStart(ew[j]) : c.padEnd(ew[j]))).join('  ').trimEnd());
        if (i === 0) lines.push('  ' + ew.map((n) => '-'.repeat(n)).join('  '));
      }
      lines.push(`  peak RSS: the most of VmRSS polled every ${s.rssPollMs} ms and VmHWM (reset through /proc/<pid>/clear_refs before each export) of the server process`);
      lines.push('');
    }

    const goalOf = (key: string) => figures.find((f) => f.key === key);
    const g = (key: string, what: string) => {
      const f = goalOf(key);
      if (!f) return `${what}: not measured`;
      if (f.skipped) return `${what}: skipped (endpoint missing)`;
      if (f.samples.length === 0) return `${what} ${f.goal?.text ?? ''}: NOT MET (${f.timedOut ? `no answer within ${s.timeoutS} s` : `failed: ${f.errors[0] ?? '?'}`})`;
      const xs = f.samples.map((x) => x.ms);
      return `${what} ${f.goal?.text}: ${f.goal?.met ? 'MET' : 'NOT MET'} (p95 ${ms(quantile(xs, 0.95))}, median ${ms(median(xs))})`;
    };
    lines.push('Goals:');
    lines.push(`  ${g('community-rates', 'community dashboard (rates)')}`);
    lines.push(`  ${g('community-dashboard', 'community dashboard (/dashboard)')}`);
    lines.push(`  ${g('city-rates', 'city-wide dashboard (rates)')}`);
    lines.push(`  ${g('city-dashboard', 'city-wide dashboard (/dashboard)')}`);
    lines.push(`  export peak RSS <= ${GOAL_EXPORT_RSS_MB} MB: ${exportGoal === null ? 'not measured' : exportGoal ? 'MET' : 'NOT MET'}`);
    lines.push(`Total ${fmt((performance.now() - started) / 1000, 0)} s.`);
    console.log(lines.join('\n'));
  } catch (e) {
    if (server) process.stderr.write(`server output (last lines):\n  ${server.tail.join('\n  ')}\n`);
    throw e;
  } finally {
    await cleanup();
  }
}

runBench(main);
