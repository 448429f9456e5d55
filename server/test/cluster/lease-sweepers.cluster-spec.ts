// Issue 16 on a Galera cluster: three app instances, one per node, all running the dispatch sweeper
// on its timer (JOB_LEASE=auto: on, since @@wsrep_on is ON). Each due wish must move exactly once (one
// escalate event, one claimers' notice), and only the instance holding the lease sweeps. When the
// holder stops it releases the lease and another instance takes over (fence 2), with nothing moved twice;
// when the holder's node is killed (SIGKILL, galera.sh kill), the lease expires on the database clock and
// the instance on a live node takes over (fence 3).
import { execFileSync } from 'node:child_process';
import { FakeClock } from '../../src/common/clock';
import { JobLeases } from '../../src/common/jobs/job-lease';
import type { TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';
import { bj } from '../support';
import { appsOnNodes, clusterStatus, freshClusterDb, GALERA_SH, NODES, syncedQuery, type Node } from './cluster';

/** Monday 10:00 (Beijing): the wishes' tier-1 windows end in the 50 minutes before it. */
const T0 = bj('2026-11-23T10:00');
/** The instances' clock: every seeded wish is due; their tier-2 windows end the next working day. */
const NOW = bj('2026-11-23T11:00');
const FIRST = 3000;
const SECOND = 1000;
const THIRD = 500;
const TTL_MS = 5000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Open tier-1 wishes from..to, due by T0 (a second apart), in multi-row INSERTs. */
async function seedDueWishes(t: TestApp, w: World, from: number, to: number): Promise<void> {
  const db = t.database;
  const created = db.time(bj('2026-11-20T10:00'));
  const cols = 'id, district_id, street_id, community_id, compound_id, category, `sensitive`, title, description, beneficiary_name, beneficiary_phone, address, submitter_id, on_behalf, state, tier, urgent, published_at, version, created_at, updated_at, next_due_at, window_ends_at';
  const row = `(?, ${w.districtId}, ${w.streetId}, ${w.communityA}, ${w.compoundA}, 'repair', 0, ?, '楼道灯坏了，请帮忙修一下', '王秀兰', '13812341234', '3号楼501', ${w.users.resident}, 0, 'open', 1, 0, ?, 0, ?, ?, ?, ?)`;
  for (let start = from; start <= to; start += 1000) {
    const end = Math.min(to, start + 999);
    const params: unknown[] = [];
    for (let id = start; id <= end; id++) {
      const due = db.time(new Date(T0.getTime() - (id % 3000) * 1000));
      params.push(id, `心愿 ${id}`, created, created, created, due, due);
    }
    await db.dataSource.query(`INSERT INTO wish (${cols}) VALUES ${Array.from({ length: end - start + 1 }, () => row).join(', ')}`, params);
  }
}

/** Waits until no wish is due any more (read on `node`, after it applied everything). */
async function drained(dbName: string, timeoutMs = 60_000, node: Node = 3): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [r] = await syncedQuery(node, dbName, 'SELECT COUNT(*) AS n FROM wish WHERE next_due_at <= ?', [NOW]);
    if (Number(r.n) === 0) return;
    if (Date.now() > until) throw new Error(`${r.n} wishes still due after ${timeoutMs} ms`);
    await sleep(200);
  }
}

describe('dispatch sweepers on three Galera nodes, under the lease', () => {
  let dbName: string;
  let drop: () => Promise<void>;
  let apps: TestApp[];
  /** The node each app talks to. */
  let nodeOf: Node[];
  let killed: Node | null = null;
  let w: World;
  const leasesOf = (t: TestApp) => t.app.get(JobLeases);

  beforeAll(async () => {
    ({ name: dbName, drop } = await freshClusterDb());
    apps = await appsOnNodes(dbName, [1, 2, 3], { DISPATCH_ENABLED: 'true', DISPATCH_INTERVAL_MS: '200', DISPATCH_BATCH_SIZE: '500', JOB_LEASE: 'auto', JOB_LEASE_TTL_MS: String(TTL_MS) }, () => new FakeClock(NOW.getTime()));
    nodeOf = [1, 2, 3];
    w = await buildWorld(apps[0].database, NOW);
  });
  afterAll(async () => {
    for (const a of apps ?? []) await a.close();
    if (killed !== null) execFileSync('bash', [GALERA_SH, 'start-node', String(killed)], { stdio: 'ignore' });
    await drop?.();
  });

  /** Events and claimers' notices per wish: each seeded wish exactly one of each, nothing else (on every live node). */
  async function expectMovedOnce(n: number): Promise<void> {
    for (const node of NODES.filter((x) => x !== killed)) {
      const [ev] = await syncedQuery(node, dbName, `SELECT COUNT(*) AS n, COUNT(DISTINCT wish_id) AS wishes FROM wish_event WHERE type = 'escalate' AND from_tier = 1 AND to_tier = 2`);
      expect([Number(ev.n), Number(ev.wishes)]).toEqual([n, n]);
      const [all] = await syncedQuery(node, dbName, `SELECT COUNT(*) AS n FROM wish_event`);
      expect(Number(all.n)).toBe(n);
      const [ob] = await syncedQuery(node, dbName, `SELECT COUNT(*) AS n, COUNT(DISTINCT wish_id) AS wishes FROM outbox WHERE kind = 'escalated' AND tier = 2`);
      expect([Number(ob.n), Number(ob.wishes)]).toEqual([n, n]);
      const [wi] = await syncedQuery(node, dbName, `SELECT COUNT(*) AS n FROM wish WHERE tier = 2 AND version = 1 AND state = 'open'`);
      expect(Number(wi.n)).toBe(n);
    }
  }

  it(`${FIRST} due wishes: each moved exactly once, by the one instance holding the lease`, async () => {
    for (const t of apps) expect(await leasesOf(t).enabled()).toBe(true);
    const certBefore = await clusterStatus('wsrep_local_cert_failures');
    const started = Date.now();
    await seedDueWishes(apps[0], w, 1, FIRST);
    await drained(dbName);
    const ms = Date.now() - started;
    await expectMovedOnce(FIRST);
    const held = apps.map((t) => leasesOf(t).stats.held);
    const skipped = apps.map((t) => leasesOf(t).stats.skipped);
    // Exactly one instance ran the sweep; the two others skipped every tick.
    expect(held.filter((h) => h > 0)).toHaveLength(1);
    const holder = held.findIndex((h) => h > 0);
    for (let i = 0; i < 3; i++) if (i !== holder) expect(skipped[i]).toBeGreaterThan(0);
    const [lease] = await syncedQuery(3, dbName, `SELECT holder, fence FROM job_lease WHERE name = 'dispatch sweep'`);
    expect([lease.holder, Number(lease.fence)]).toEqual([leasesOf(apps[holder]).holder, 1]);
    console.log(`lease sweep: ${FIRST} wishes moved once each in ${ms} ms by instance ${holder + 1} (node ${holder + 1}); runs held ${held.join('/')}, skipped ${skipped.join('/')}; certification failures ${(await clusterStatus('wsrep_local_cert_failures')) - certBefore}`);
  });

  it(`the holder stops (releases): another instance takes over with fence 2 and moves ${SECOND} new due wishes once each`, async () => {
    const holder = apps.findIndex((t) => leasesOf(t).stats.held > 0);
    const gone = apps[holder];
    await gone.close();
    apps = apps.filter((_, i) => i !== holder);
    nodeOf = nodeOf.filter((_, i) => i !== holder);
    const seeder = apps[0];
    await seedDueWishes(seeder, w, FIRST + 1, FIRST + SECOND);
    await drained(dbName);
    await expectMovedOnce(FIRST + SECOND);
    const [lease] = await syncedQuery(3, dbName, `SELECT holder, fence FROM job_lease WHERE name = 'dispatch sweep'`);
    expect(Number(lease.fence)).toBe(2);
    expect(apps.map((t) => t.app.get(JobLeases).holder)).toContain(lease.holder);
    expect(apps.filter((t) => leasesOf(t).stats.takeovers > 0)).toHaveLength(1);
  });

  it(`the holder's node is killed: its lease expires (${TTL_MS / 1000} s, database clock) and the instance on a live node moves ${THIRD} new due wishes once each`, async () => {
    const holder = apps.findIndex((t) => leasesOf(t).stats.held > 0 && leasesOf(t).stats.takeovers > 0);
    expect(holder).toBeGreaterThanOrEqual(0);
    const other = 1 - holder;
    killed = nodeOf[holder];
    const heldBefore = leasesOf(apps[other]).stats.held;
    execFileSync('bash', [GALERA_SH, 'kill', String(killed)], { stdio: 'ignore' });
    const live = nodeOf[other];
    const started = Date.now();
    await seedDueWishes(apps[other], w, FIRST + SECOND + 1, FIRST + SECOND + THIRD);
    await drained(dbName, 60_000, live);
    const tookMs = Date.now() - started;
    await expectMovedOnce(FIRST + SECOND + THIRD);
    const [lease] = await syncedQuery(live, dbName, `SELECT holder, fence FROM job_lease WHERE name = 'dispatch sweep'`);
    expect([lease.holder, Number(lease.fence)]).toEqual([leasesOf(apps[other]).holder, 3]);
    expect(leasesOf(apps[other]).stats.held).toBeGreaterThan(heldBefore);
    // Not before the lease ran out: the dead holder had renewed it shortly before its node died.
    expect(tookMs).toBeGreaterThan(TTL_MS / 2);
    console.log(`node ${killed} killed: the instance on node ${live} took the lease over (fence 3) and moved ${THIRD} wishes ${tookMs} ms after the kill`);
  });
});
