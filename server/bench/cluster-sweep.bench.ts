// Cluster sweep benchmark (issue 16): N due wishes on a three-node MariaDB Galera cluster
// (scripts/galera.sh), drained by the dispatch engine (DispatchSweeper.sweepTick) in three ways:
//   one       one sweeper on node 1 (one instance, the reference)
//   lease     three sweepers, one per node, under the job lease (JOB_LEASE on): one holds it and sweeps
//   no-lease  three sweepers, one per node, no lease: SKIP LOCKED does not keep nodes apart, so they
//             take the same rows and all but one commit fail certification (1213, retried, re-run)
// Each run: wall time, wishes/s, events written (must equal the wishes: exactly once), certification
// failures and brute-force aborts counted by the nodes, failed ticks; then medians over --runs.
//
// Not a test. From server/:  node -r ./test/fakes/ts-register.js bench/cluster-sweep.bench.ts [--wishes=100000] [--runs=3]
//   --modes=one,lease,no-lease   which ways to run (default all three); every knob also as BENCH_<NAME>
//   --batch=1000                 DISPATCH_BATCH_SIZE; --loops=2: DISPATCH_LOOPS (sweep loops per tick per instance)
//   --keep-cluster=on            leave a cluster this script started running
//   --idle-ms=100                lease: an instance not holding the lease ticks again after this long (the server: DISPATCH_INTERVAL_MS)
// A running cluster (galera.sh status all Synced) is reused and left running; otherwise one is started and stopped.
// Results and how to read them: bench/CLUSTER.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { createApp, type AppHandle } from '../src/create-app';
import { FakeClock, type Clock } from '../src/common/clock';
import { JobLeases } from '../src/common/jobs/job-lease';
import { makeOrg, makePerson } from '../src/modules/demo/fixtures';
import { DispatchSweeper, type SweepStats } from '../src/modules/wishes/jobs/dispatch.sweeper';
import { benchAppConfig, benchKnobs, cleanUpOnInterrupt, fmt, loadavgAtStart, mysqlPool, runBench } from './bench-common';
import { bj } from '../test/support';

const GALERA = join(__dirname, '..', 'scripts', 'galera.sh');
const MODES = ['one', 'lease', 'no-lease'] as const;
type Mode = (typeof MODES)[number];

function knobs() {
  const { raw, int, flag } = benchKnobs('bench/CLUSTER.md');
  const modes = (raw('MODES') ?? MODES.join(',')).split(',') as Mode[];
  for (const m of modes) if (!MODES.includes(m)) throw new Error(`--modes: ${m} is not one of ${MODES.join(', ')}`);
  return {
    wishes: int('WISHES', 100_000, 1),
    runs: int('RUNS', 3, 1),
    batch: int('BATCH', 1000, 1),
    loops: int('LOOPS', 2, 1),
    basePort: Number(process.env.GALERA_BASE_PORT ?? 3311),
    modes,
    keepCluster: flag('KEEP_CLUSTER', false),
    /** lease: how long an instance that does not hold the lease waits before its next tick. */
    idleMs: int('IDLE_MS', 100, 1),
  };
}

// The data, as in sweep.bench.ts: open tier-1 wishes whose claim windows end in the 50
// minutes before T0 (Monday 10:00, Beijing); swept at NOW each moves to tier 2 exactly once.
const T0 = bj('2026-11-23T10:00');
const NOW = bj('2026-11-23T11:00');
const CREATED = bj('2026-11-20T10:00');
const SPREAD_S = 3000;
const CLASSES = ['A', 'B', 'C', 'D'] as const;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const pool = (port: number, db: string | undefined, size: number): Pool => mysqlPool(`mariadb://root@127.0.0.1:${port}/${db ?? ''}`, size);

interface RunResult {
  mode: Mode;
  ms: number;
  events: number;
  exactlyOnce: boolean;
  certFailures: number;
  bfAborts: number;
  failedTicks: number;
  /** Instances that moved at least one wish. */
  workers: number;
  /** The nodes whose instance moved wishes. */
  nodes: string;
}

async function main(): Promise<void> {
  const s = knobs();
  const started = performance.now();
  const progress = (msg: string) => process.stderr.write(`[${fmt((performance.now() - started) / 1000, 0).padStart(4)} s] ${msg}\n`);
  const ports = [s.basePort, s.basePort + 1, s.basePort + 2];

  const status = spawnSync('bash', [GALERA, 'status'], { encoding: 'utf8', env: { ...process.env, GALERA_BASE_PORT: String(s.basePort) } });
  const reuse = status.status === 0 && !/state (?!Synced)/.test(status.stdout);
  if (!reuse) {
    progress('starting the Galera cluster (scripts/galera.sh start)');
    execFileSync('bash', [GALERA, 'start'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, GALERA_BASE_PORT: String(s.basePort) } });
  }
  const dbName = `xy_cluster_sweep_${Date.now()}`;
  const admin = pool(ports[0], undefined, 2);
  const nodes = ports.map((p) => pool(p, undefined, 1));
  const dataDir = mkdtempSync(join(tmpdir(), 'xy-cluster-sweep-'));
  const apps: AppHandle[] = [];
  let data: Pool | null = null;
  const cleanup = async () => {
    for (const a of apps) await a.close().catch(() => undefined);
    await data?.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``).catch(() => undefined);
    await admin.end().catch(() => undefined);
    for (const n of nodes) await n.end().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    if (!reuse && !s.keepCluster) execFileSync('bash', [GALERA, 'stop'], { stdio: 'ignore' });
  };
  cleanUpOnInterrupt(cleanup);

  try {
    const [[ver]] = await admin.query<RowDataPacket[]>("SELECT VERSION() AS v, @@innodb_buffer_pool_size AS bp, @@wsrep_slave_threads AS st");
    await admin.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    // One app per node, each with its own data source; node 1's runs the migrations. Timers off: the benchmark drives the ticks.
    const clock = new FakeClock(NOW.getTime()) as unknown as Clock;
    for (const port of ports) {
      const config = await benchAppConfig(dataDir, `mariadb://root@127.0.0.1:${port}/${dbName}`, {
        DB_POOL_SIZE: '10',
        DISPATCH_ENABLED: 'false',
        DISPATCH_BATCH_SIZE: String(s.batch),
        DISPATCH_LOOPS: String(s.loops),
        NOTIFY_ENABLED: 'false',
        PRIVACY_JOBS_ENABLED: 'false',
        MEDIA_CHECK_JOB_ENABLED: 'false',
        IDEMPOTENCY_PURGE_ENABLED: 'false',
        JOB_LEASE: 'on',
        JOB_LEASE_TTL_MS: '30000',
        HOST: '127.0.0.1',
        PORT: '0',
      });
      apps.push(await createApp(config, { clock }));
      // The next node must have applied the migrations before its app looks at them.
      for (const n of nodes) {
        const c = await n.getConnection();
        await c.query('SET SESSION wsrep_sync_wait = 1');
        await c.query(`SELECT COUNT(*) FROM \`${dbName}\`.schema_migration`);
        await c.query('SET SESSION wsrep_sync_wait = 0');
        c.release();
      }
    }

    progress(`seeding ${s.wishes} due wishes on node 1`);
    const seed0 = performance.now();
    const app1 = apps[0];
    const tree = await app1.database.tx(async (m) => {
      const city = await makeOrg(m, CREATED, 'city', '基准市', null);
      const district = await makeOrg(m, CREATED, 'district', '基准区', city.id);
      const street = await makeOrg(m, CREATED, 'street', '基准街道', district.id);
      const out: { id: number; compoundId: number; residentId: number }[] = [];
      for (const cls of CLASSES) {
        const community = await makeOrg(m, CREATED, 'community', `${cls}类社区`, street.id, cls);
        const compound = await makeOrg(m, CREATED, 'compound', `${cls}类小区`, community.id);
        const resident = await makePerson(m, CREATED, { openid: `cluster-resident-${cls}`, nickname: `居民${cls}`, grants: [{ role: 'resident', orgId: community.id }] });
        out.push({ id: community.id, compoundId: compound.id, residentId: resident.id });
      }
      return { districtId: district.id, streetId: street.id, communities: out };
    });
    data = pool(ports[0], dbName, 2);
    const published = new Date(CREATED.getTime() + 3600_000);
    for (let start = 1; start <= s.wishes; start += 5000) {
      const rows: unknown[][] = [];
      for (let id = start; id < Math.min(s.wishes + 1, start + 5000); id++) {
        const c = tree.communities[id % tree.communities.length];
        const due = new Date(T0.getTime() - (id % SPREAD_S) * 1000);
        rows.push([id, tree.districtId, tree.streetId, c.id, c.compoundId, 'daily_help', 0, `心愿 ${id}`, '行动不便，需要有人每周帮忙采购一次米面油和蔬菜。', '王秀英', '13912345678', `3号楼2单元${(id % 30) + 1}01`, c.residentId, 0, 'open', 1, 0, published, 1, CREATED, published, due, due]);
      }
      await data.query(
        'INSERT INTO wish (id, district_id, street_id, community_id, compound_id, category, `sensitive`, title, description, beneficiary_name, beneficiary_phone, address, submitter_id, on_behalf, state, tier, urgent, published_at, version, created_at, updated_at, next_due_at, window_ends_at) VALUES ?',
        [rows],
      );
    }
    await data.query('ANALYZE TABLE wish, wish_event, outbox');
    progress(`seeded in ${fmt((performance.now() - seed0) / 1000, 1)} s`);

    const synced = async () => {
      for (const n of nodes) {
        const c = await n.getConnection();
        await c.query('SET SESSION wsrep_sync_wait = 1');
        await c.query(`SELECT COUNT(*) FROM \`${dbName}\`.wish WHERE id = 1`);
        await c.query('SET SESSION wsrep_sync_wait = 0');
        c.release();
      }
    };
    const clusterStatus = async (name: string) => {
      let n = 0;
      for (const p of nodes) n += Number(((await p.query<RowDataPacket[]>('SHOW GLOBAL STATUS LIKE ?', [name]))[0][0] as { Value: string }).Value);
      return n;
    };
    const reset = async () => {
      await data!.query(
        `UPDATE wish SET state = 'open', tier = 1, version = 1, next_due_at = DATE_SUB(?, INTERVAL (id % ${SPREAD_S}) SECOND), window_ends_at = DATE_SUB(?, INTERVAL (id % ${SPREAD_S}) SECOND), updated_at = ?, chain_seq = 0, chain_head = NULL`,
        [T0, T0, published],
      );
      await data!.query('DELETE FROM wish_event');
      await data!.query('DELETE FROM outbox');
      for (const t of ['rates_rollup', 'bars_rollup', 'duration_rollup']) await data!.query(`DELETE FROM ${t}`);
      await data!.query(`UPDATE job_lease SET holder = '', expires_at = '1970-01-01 00:00:01'`);
      await synced();
    };
    const check = async (): Promise<{ events: number; ok: boolean }> => {
      const [[e]] = await data!.query<RowDataPacket[]>("SELECT COUNT(*) AS n, COUNT(DISTINCT wish_id) AS w, COALESCE(SUM(type <> 'escalate' OR from_tier <> 1 OR to_tier <> 2), 0) AS bad FROM wish_event");
      const [[w]] = await data!.query<RowDataPacket[]>('SELECT COALESCE(SUM(tier <> 2 OR next_due_at <= ?), 0) AS notMoved FROM wish', [NOW]);
      const [[o]] = await data!.query<RowDataPacket[]>("SELECT COUNT(*) AS n, COUNT(DISTINCT wish_id) AS w FROM outbox WHERE kind = 'escalated'");
      const ok = Number(e.n) === s.wishes && Number(e.w) === s.wishes && Number(e.bad) === 0 && Number(w.notMoved) === 0 && Number(o.n) === s.wishes && Number(o.w) === s.wishes;
      return { events: Number(e.n), ok };
    };

    const sweepers = apps.map((a) => a.app.get(DispatchSweeper));
    const leases = apps.map((a) => a.app.get(JobLeases));
    /** One instance's timer ticks until nothing is due: a tick that fails (1213 after Database.tx's retries) is logged by the server and the next one runs. */
    const instance = async (i: number, lease: boolean, moved: SweepStats[], failed: { n: number }) => {
      for (;;) {
        try {
          const st = lease ? await leases[i].runHeld('dispatch sweep', () => sweepers[i].sweepTick(NOW)) : await sweepers[i].sweepTick(NOW);
          if (st) moved[i] = { wishes: moved[i].wishes + st.wishes, events: moved[i].events + st.events, batches: moved[i].batches + st.batches };
        } catch (e) {
          const errno = (e as { driverError?: { errno?: number } }).driverError?.errno;
          if (errno !== 1213 && errno !== 1205) throw e;
          failed.n++;
        }
        const [[r]] = await data!.query<RowDataPacket[]>('SELECT EXISTS (SELECT 1 FROM wish WHERE next_due_at <= ?) AS due', [NOW]);
        if (!Number(r.due)) return;
        // Not the holder: wait for the next tick (DISPATCH_INTERVAL_MS would be 30 s; a short one here).
        if (lease && moved[i].wishes === 0) await sleep(s.idleMs);
      }
    };
    const runOnce = async (mode: Mode): Promise<RunResult> => {
      await reset();
      const cert0 = await clusterStatus('wsrep_local_cert_failures');
      const bf0 = await clusterStatus('wsrep_local_bf_aborts');
      const moved: SweepStats[] = apps.map(() => ({ wishes: 0, events: 0, batches: 0 }));
      const failed = { n: 0 };
      const t0 = performance.now();
      if (mode === 'one') await instance(0, false, moved, failed);
      else await Promise.all(apps.map((_, i) => instance(i, mode === 'lease', moved, failed)));
      const ms = performance.now() - t0;
      await synced();
      const c = await check();
      return {
        mode,
        ms,
        events: c.events,
        exactlyOnce: c.ok,
        certFailures: (await clusterStatus('wsrep_local_cert_failures')) - cert0,
        bfAborts: (await clusterStatus('wsrep_local_bf_aborts')) - bf0,
        failedTicks: failed.n,
        workers: moved.filter((m) => m.wishes > 0).length,
        nodes: moved.flatMap((m, i) => (m.wishes > 0 ? [String(i + 1)] : [])).join('+'),
      };
    };

    const results: RunResult[] = [];
    for (let run = 1; run <= s.runs; run++) {
      for (const mode of s.modes) {
        const r = await runOnce(mode);
        results.push(r);
        progress(
          `run ${run} ${mode.padEnd(8)}: ${fmt(r.ms / 1000, 2)} s, ${fmt(s.wishes / (r.ms / 1000), 0)} wishes/s, events ${r.events} (${r.exactlyOnce ? 'exactly once: OK' : 'exactly once: FAILED'}), cert failures ${r.certFailures}, bf aborts ${r.bfAborts}, failed ticks ${r.failedTicks}, instances that moved wishes ${r.workers} (node ${r.nodes})`,
        );
      }
    }

    console.log(`\nCluster sweep: ${s.wishes} due wishes, 3 Galera nodes (${ver.v}, buffer pool ${Math.round(Number(ver.bp) / 2 ** 20)} MB each, wsrep_slave_threads ${ver.st}), batch ${s.batch}, loops ${s.loops}, ${s.runs} run(s); load average at start ${loadavgAtStart}, at the end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    console.log('mode      | instances | wall s (median) | wishes/s | events / wishes | exactly once | cert failures | bf aborts | failed ticks | instances that moved wishes');
    console.log('----------|-----------|-----------------|----------|-----------------|--------------|---------------|-----------|--------------|----------------------------');
    for (const mode of s.modes) {
      const rs = results.filter((r) => r.mode === mode);
      const ms = median(rs.map((r) => r.ms));
      console.log(
        [
          mode.padEnd(9),
          (mode === 'one' ? '1 (node 1)' : '3 (1/node)').padEnd(9),
          fmt(ms / 1000, 2).padEnd(15),
          fmt(s.wishes / (ms / 1000), 0).padEnd(8),
          `${median(rs.map((r) => r.events))} / ${s.wishes}`.padEnd(15),
          (rs.every((r) => r.exactlyOnce) ? 'OK' : 'FAILED').padEnd(12),
          fmt(median(rs.map((r) => r.certFailures)), 0).padEnd(13),
          fmt(median(rs.map((r) => r.bfAborts)), 0).padEnd(9),
          fmt(median(rs.map((r) => r.failedTicks)), 0).padEnd(12),
          rs.map((r) => r.workers).join('/'),
        ].join(' | '),
      );
    }
    if (results.some((r) => !r.exactlyOnce)) process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

runBench(main);
