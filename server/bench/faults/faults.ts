// Fault scripts (issue 16 point 4), each with bench:day's traffic running (README.md in bench/day):
//   a  the app SIGKILLed on SQLite and started again on the same data;
//   b  the app SIGKILLed on MariaDB (a database of its own on 127.0.0.1:3306) and started again;
//   c  the database server SIGKILLed and started again under load: a throwaway mariadbd on a port of its
//      own (test/support/own-mariadb.ts; the shared server on 3306 is never touched); the app is not restarted;
//   d  (with --galera) one node of a three-node Galera cluster (server/scripts/galera.sh, ports from 3511) SIGKILLed
//      and rejoined, two app instances on nodes 1 and 2 with DATABASE_FAILOVER_URLS; the apps are not restarted.
// After each: every acknowledged write is there exactly once (check-acks), no timer left unfired or fired
// twice, every notice delivered and no WeChat message sent twice (the fake counts sends per message),
// and the statuses clients saw during the outage. In (c) the rule is: 503 with Retry-After, never a 500,
// never an attempt hanging past REQUEST_TIMEOUT_MS, and the same app process serving again afterwards.
//
//   node -r ./test/fakes/ts-register.js bench/faults/faults.ts [--scenario=a|b|c|all] [--galera [--galera-sh=PATH]] [--wishes-per-day=150] [--warm-s=58] [--after-s=20] [--outage-s=5]
// Exits 1 when a check fails.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { DayClient, type Seen } from '../day/client';
import { checkAcks, checkLine } from '../day/check-acks';
import { fastPolicy, knobs, printRoutes } from '../day/day';
import { Deployment, Galera, SERVER_DIR } from '../day/deployment';
import { DbView, noticeDelays, quantile, TimerObserver, wechatDoubles } from '../day/probes';
import { DayRun } from '../day/run';
import { seedWaiting, setUpWorld } from '../day/scenario';
import { startOwnMariaDb, type OwnMariaDb } from '../../test/support/own-mariadb';

const REQUEST_TIMEOUT_MS = 5000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Plan {
  name: 'a' | 'b' | 'c' | 'd';
  title: string;
}
const PLANS: Plan[] = [
  { name: 'a', title: 'app SIGKILL on SQLite, restarted on the same data' },
  { name: 'b', title: 'app SIGKILL on MariaDB (127.0.0.1:3306, own database), restarted' },
  { name: 'c', title: 'database server SIGKILL and restart under load (own mariadbd), app not restarted' },
];
const GALERA_PLAN: Plan = { name: 'd', title: 'one Galera node SIGKILLed and rejoined (three nodes, two app instances), apps not restarted' };

async function scenario(plan: Plan, k: ReturnType<typeof knobs>): Promise<boolean> {
  console.log(`\n=== (${plan.name}) ${plan.title}`);
  const warmMs = k.int('WARM_S', 58, 1) * 1000;
  const afterMs = k.int('AFTER_S', 20, 1) * 1000;
  const outageMs = k.int('OUTAGE_S', 5, 1) * 1000;
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok) failures.push(what);
  };

  let own: OwnMariaDb | null = null;
  let galera: Galera | null = null;
  let nodes: string[] = [];
  let databaseUrl: string | undefined;
  let dropOnShared: string | null = null;
  if (plan.name === 'b') {
    dropOnShared = `xy_day_fault_${Date.now()}`;
    const c = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
    await c.query(`CREATE DATABASE \`${dropOnShared}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await c.end();
    databaseUrl = `mariadb://root@127.0.0.1:3306/${dropOnShared}`;
  } else if (plan.name === 'c') {
    own = await startOwnMariaDb();
    await own.createDatabase('xy_day_fault');
    databaseUrl = own.url('xy_day_fault');
  } else if (plan.name === 'd') {
    const script = k.raw('GALERA_SH') ?? join(SERVER_DIR, 'scripts', 'galera.sh');
    if (!existsSync(script)) throw new Error(`--galera needs ${script} (branch cluster), or --galera-sh=PATH`);
    galera = new Galera(script, 3511, 'xy-day-galera');
    console.log('starting a three-node Galera cluster (galera.sh start) …');
    try {
      await galera.run('start');
    } catch (e) {
      await galera.run('stop');
      throw e;
    }
    nodes = await galera.urls('xy_day_fault');
    const c = await mysql.createConnection({ uri: nodes[0].replace(/^mariadb:/, 'mysql:').replace(/\/xy_day_fault$/, '/') });
    await c.query('CREATE DATABASE IF NOT EXISTS xy_day_fault CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    await c.end();
    // Instance 1 on node 1 (the one killed), instance 2 on node 2; each fails over along the others.
    databaseUrl = nodes[1];
  }
  const dep = new Deployment({
    databaseUrl,
    instances: plan.name === 'd' ? 2 : 1,
    instanceEnv: plan.name === 'd' ? (i) => (i === 0 ? { DATABASE_URL: nodes[0], DATABASE_FAILOVER_URLS: `${nodes[1]},${nodes[2]}`, DB_FAILOVER_CHECK_MS: '1000' } : { DATABASE_URL: nodes[1], DATABASE_FAILOVER_URLS: `${nodes[2]},${nodes[0]}`, DB_FAILOVER_CHECK_MS: '1000' }) : undefined,
    dispatchIntervalMs: 1000,
    notifyIntervalMs: 1000,
    // Short timeouts so an outage shows within the script's time; a key whose first attempt died with the
    // process is free again after 10 s (IDEMPOTENCY_LEASE_SECONDS) when nothing was written.
    env: { REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), DB_CONNECT_TIMEOUT_MS: '2000', DB_QUERY_TIMEOUT_MS: '4000', IDEMPOTENCY_LEASE_SECONDS: '10' },
  });
  const ackDir = mkdtempSync(join(tmpdir(), 'xy-day-acks-'));
  const ackLog = join(ackDir, 'acks.jsonl');
  let db: DbView | null = null;
  const t0 = Date.now();
  const el = () => `[${((Date.now() - t0) / 1000).toFixed(0).padStart(3)} s]`;
  try {
    await dep.start();
    await fastPolicy({ sqlite: dep.sqliteFile, databaseUrl }, 1);
    console.log(`${el()} app up (migrations, demo seed)`);
    // More connections per target than operations in flight (128): an attempt never waits for a connection in
    // the client, so its time is the server's (the hang check reads it).
    const client = new DayClient({ bases: dep.bases, connections: 160, timeoutMs: 10_000, retryForMs: 60_000, ackLog });
    const world = await setUpWorld(client, { residentsPerCommunity: 8, membersPerCommunity: 4, maxClaims: 3, tag: `f${plan.name}${Date.now().toString(36)}` });
    client.stats.clear();
    console.log(`${el()} residents, members (registered, verified) and staff signed in`);
    db = new DbView({ sqlite: dep.sqliteFile ?? undefined, databaseUrl });
    const since = new Date();
    const timers = new TimerObserver(db, since);
    await timers.start();
    const poll = setInterval(() => void timers.poll().catch(() => undefined), 500);

    // Start at 09:00 so the office and the residents are both at work; a day in 2 minutes.
    const run = new DayRun(client, world, { wishesPerDay: k.int('WISHES_PER_DAY', 150, 1), dayMinutes: 2, startHour: 9, maxInFlight: 128 });
    // Wishes nobody takes: their claim windows (1 working minute, fastPolicy) end about when the fault comes.
    // The fault comes --warm-s after the first of them was approved: by default 2 s before they fall due.
    const seededAt = Date.now();
    const waiting = await seedWaiting(client, world, run.pools, 12);
    console.log(`${el()} ${waiting} wishes approved that nobody will claim: due from about ${new Date(seededAt + 60_000).toISOString().slice(11, 19)}`);
    const running = run.run(10 * 60_000);
    await sleep(Math.max(0, warmMs - (Date.now() - seededAt)));

    // The fault, and the window in which its effects count.
    const window: Seen[] = [];
    let faultAt = 0;
    let recoveredAt = Infinity;
    // Every attempt that ended after the fault and began before recovery.
    client.listeners.push((s) => {
      if (faultAt && s.t >= faultAt && s.t - s.ms <= recoveredAt) window.push(s);
    });
    const appPids = dep.instances.map((i) => i.child.pid);
    faultAt = Date.now();
    if (plan.name === 'd') {
      await galera!.run('kill', '1');
      console.log(`${el()} Galera node 1 SIGKILLed (instance 1's node); starting it again in ${outageMs / 1000} s`);
      await sleep(outageMs);
      await galera!.run('start-node', '1');
      await galera!.run('wait-synced', '1');
      recoveredAt = Date.now();
      console.log(`${el()} node 1 rejoined and Synced`);
    } else if (plan.name === 'c') {
      await own!.kill();
      console.log(`${el()} mariadbd on ${own!.port} SIGKILLed; starting it again in ${outageMs / 1000} s`);
      await sleep(outageMs);
      await own!.start();
      // Recovered: the app answers a write again without having been restarted.
      const until = Date.now() + 60_000;
      const firstOk = () => new Promise<void>((r) => client.listeners.push((s) => typeof s.status === 'number' && s.status < 300 && s.route.startsWith('POST') && s.t > Date.now() - 100 && r()));
      await Promise.race([firstOk(), sleep(until - Date.now())]);
      recoveredAt = Date.now();
    } else {
      await dep.kill(0);
      console.log(`${el()} app on ${dep.instances[0].port} SIGKILLed; starting it again on the same ${plan.name === 'a' ? 'SQLite file' : 'database'}`);
      await dep.restart(0);
      recoveredAt = Date.now();
    }
    console.log(`${el()} outage: ${((recoveredAt - faultAt) / 1000).toFixed(1)} s from the fault to ${plan.name === 'c' ? 'the first write answered 2xx' : plan.name === 'd' ? 'the node Synced again' : 'the restarted app answering /api/health'}`);
    await sleep(afterMs);
    run.stop();
    await running;
    clearInterval(poll);
    const secs = (Date.now() - t0) / 1000;
    printRoutes(client, secs);

    // Let the sweeper and the sender finish what is due, then look.
    const drainUntil = Date.now() + 30_000;
    let overdue = 0;
    let pending = 0;
    for (;;) {
      const now = new Date(Date.now() - 5000);
      overdue = Number((await db.all('SELECT COUNT(*) AS n FROM wish WHERE next_due_at < ?', [db.param(now)]))[0].n);
      pending = Number((await db.all("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending' AND created_at >= ?", [db.param(since)]))[0].n);
      if ((overdue === 0 && pending === 0) || Date.now() > drainUntil) break;
      await sleep(1000);
    }
    await timers.poll().catch(() => undefined);
    console.log(`${el()} load stopped, due timers and notices drained`);

    // The statuses clients saw in the outage window.
    const byStatus = new Map<string, number>();
    let no503RetryAfter = 0;
    let longest = 0;
    let longestWhat = '';
    for (const s of window) {
      // Uploads are outside REQUEST_TIMEOUT_MS (config.ts: their body is the slow part).
      const upload = s.route === 'POST /photos';
      if (s.ms > longest && !upload) longestWhat = `${s.route} → ${s.status}${s.code ? ` ${s.code}` : ''}`;
      const key = `${s.status}${s.code ? ` ${s.code}` : ''}`;
      byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
      if (s.status === 503 && !s.retryAfter) no503RetryAfter++;
      if (!upload) longest = Math.max(longest, s.ms);
    }
    console.log(`\nduring the outage window (${window.length} attempts): ${[...byStatus.entries()].sort((x, y) => y[1] - x[1]).map(([s, n]) => `${s}: ${n}`).join(', ') || 'none'}; longest attempt (uploads aside) ${longest.toFixed(0)} ms (${longestWhat || '-'})`);
    const late = timers.lateMs;
    console.log(`timers fired: ${late.length}; late by p50 ${quantile(late, 0.5).toFixed(0)} ms, p99 ${quantile(late, 0.99).toFixed(0)} ms, max ${Math.max(0, ...late).toFixed(0)} ms`);
    const n = await noticeDelays(db, since);
    console.log(`notices: ${n.sent} delivered, ${n.pending} pending, ${n.dead} dead; created → delivered p50 ${quantile(n.delaysMs, 0.5).toFixed(0)} ms, p99 ${quantile(n.delaysMs, 0.99).toFixed(0)} ms, max ${Math.max(0, ...n.delaysMs).toFixed(0)} ms`);

    const wx = await wechatDoubles(db, dep.wechat.subscribeSent, dep.templateId(''));
    for (const e of wx.examples) console.log(`WeChat sent twice: ${e}`);
    console.log(`WeChat subscribe messages: ${wx.sends} sent, ${wx.doubled} beyond the sends the database recorded`);
    const wxDoubled = wx.doubled;

    await client.close();
    const acks = await checkAcks(ackLog, db);
    for (const d of acks.details) console.log(d);
    console.log(checkLine(acks));
    check(acks.acknowledged > 0, `writes were acknowledged (${acks.acknowledged})`);
    check(acks.lost === 0 && acks.doubled === 0, 'every acknowledged write found exactly once; no timer step, notice or inbox line doubled');
    check(overdue === 0, `no timer left unfired (${overdue} wishes past their due time by more than 5 s)`);
    check(late.length > 0, `timers fired during the run (${late.length})`);
    check(pending === 0, `every notice delivered (${pending} pending)`);
    // A send is taken under a 5-minute lease (subscribe-message.sender.ts): a kill between the send and its
    // record sends it again after the lease, past this script's end; within it, none may be sent twice.
    check(wxDoubled === 0, 'no WeChat subscribe message sent twice');
    const fiveHundreds = [...byStatus.entries()].filter(([s]) => /^5/.test(s) && !/^503/.test(s)).reduce((a, [, v]) => a + v, 0);
    if (plan.name === 'c' || plan.name === 'd') {
      check(fiveHundreds === 0, `no 5xx other than 503 during the outage (${fiveHundreds})`);
      if (plan.name === 'c') check((byStatus.get('503 DB_UNAVAILABLE') ?? 0) > 0, 'clients were told 503 DB_UNAVAILABLE during the outage');
      check(no503RetryAfter === 0, `every 503 carried Retry-After (${no503RetryAfter} without)`);
      check(longest <= REQUEST_TIMEOUT_MS + 1500, `no attempt hung past REQUEST_TIMEOUT_MS ${REQUEST_TIMEOUT_MS} ms (+1.5 s) (longest ${longest.toFixed(0)} ms)`);
      check(dep.instances.every((inst, i) => inst.child.pid === appPids[i] && inst.child.exitCode === null), 'the app recovered without a restart (same processes)');
      if (plan.name === 'c') check(recoveredAt - faultAt < outageMs + 30_000, `writes answered again within 30 s of the database's return (${((recoveredAt - faultAt - outageMs) / 1000).toFixed(1)} s)`);
    } else {
      check(fiveHundreds === 0, `no 5xx answered around the restart (${fiveHundreds})`);
    }
  } catch (e) {
    failures.push(String(e));
    console.log(`FAIL ${(e as Error).stack ?? e}`);
  } finally {
    await db?.close().catch(() => undefined);
    await dep.stop().catch(() => undefined);
    if (dropOnShared) {
      const c = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
      await c.query(`DROP DATABASE IF EXISTS \`${dropOnShared}\``);
      await c.end();
    }
    await own?.destroy().catch(() => undefined);
    if (galera) {
      try {
        await galera.run('stop');
      } catch (e) {
        console.log(`galera.sh stop: ${(e as Error).message}`);
      }
      rmSync(galera.dir, { recursive: true, force: true });
    }
    rmSync(ackDir, { recursive: true, force: true });
  }
  console.log(`(${plan.name}) ${failures.length ? `FAILED: ${failures.length} check(s)` : 'passed'} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return failures.length === 0;
}

async function main(): Promise<void> {
  const k = knobs(process.argv.slice(2));
  const which = k.raw('SCENARIO') ?? 'all';
  const plans = which === 'all' ? [...PLANS] : [...PLANS, GALERA_PLAN].filter((p) => which.split(',').includes(p.name));
  if (k.flag('GALERA') && !plans.includes(GALERA_PLAN)) plans.push(GALERA_PLAN);
  if (!plans.length) throw new Error(`--scenario must be a, b, c, d (Galera), a list of them, or all (got "${which}")`);
  const results: [string, boolean][] = [];
  for (const p of plans) results.push([p.name, await scenario(p, k)]);
  console.log(`\nfaults: ${results.map(([n, ok]) => `(${n}) ${ok ? 'passed' : 'FAILED'}`).join(', ')}`);
  process.exit(results.every(([, ok]) => ok) ? 0 : 1);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
