// The dispatch engine (jobs/dispatch.sweeper.ts) run by several instances at once and killed mid-sweep.
// Whatever runs, every due wish must move exactly once per tier it should, with exactly one event and
// one notice per move, and a batch is all or nothing.
//
// MariaDB (TEST_DB=mariadb): three apps with their own data sources in this process, then three
// processes, sweep 10,000 due wishes at once with small batches (SKIP LOCKED must keep them apart);
// then sweeper processes are SIGKILLed in the middle of a 50,000-wish sweep (once at a random
// moment, once holding a written, uncommitted batch) and a sweep here finishes the job.
// SQLite: three sweeps started at once on one app (the Database.tx queue interleaves their batches),
// and a sweeper process killed while it holds a written, uncommitted batch in the same file.
// Both: after a day of downtime, three sweeps at once catch each wish up through two tiers (this one
// fails on the engine as it is: the catch-up writes the same notice twice, see the test).
import { RatesRollup } from '../../src/modules/ledger/rates-rollup';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommunityClass, Tier } from '@xinyuan/shared';
import { loadConfig } from '../../src/config/config';
import { createApp, type AppHandle } from '../../src/create-app';
import { FakeClock } from '../../src/common/clock';
import { createRootLogger } from '../../src/common/logging/logger';
import { DispatchRules } from '../../src/modules/dispatch/dispatch-rules.service';
import { DispatchSweeper, type SweepStats } from '../../src/modules/wishes/jobs/dispatch.sweeper';
import { createTestApp, TEST_DB, TEST_ENV, type TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';
import { startSweeperProcess, type SweeperProcess } from '../fakes/sweeper-process';
import { bj } from '../support';

/** Beijing wall time. */
/** Monday 10:00: the wishes' tier-1 windows end in the 50 minutes before it (09:10:01–10:00:00). */
const T0 = bj('2026-11-23T10:00');
const dueOf = (id: number) => new Date(T0.getTime() - (id % 3000) * 1000);
/** Each wish moves 1 → 2 at its due time; its tier-2 window (one working day) ends Tue 09:10–10:00. */
const NOW1 = bj('2026-11-23T11:00');
/** ...and 2 → 3 then; its tier-3 window ends Wed 09:10–10:00, after NOW2. */
const NOW2 = bj('2026-11-24T11:00');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Even ids in community A (class B), odd ids in community B (class A). */
const homeOf = (w: World, id: number) => (id % 2 === 0 ? { community: w.communityA, compound: w.compoundA, cls: 'B' as const } : { community: w.communityB, compound: w.compoundB, cls: 'A' as const });

/** Open tier-1 wishes 1..n, due by T0, in bulk multi-row INSERTs. */
async function seedDueWishes(t: TestApp, w: World, n: number): Promise<void> {
  const db = t.database;
  const created = db.time(bj('2026-11-20T10:00'));
  const cols = 'id, district_id, street_id, community_id, compound_id, category, `sensitive`, title, description, beneficiary_name, beneficiary_phone, address, submitter_id, on_behalf, state, tier, urgent, published_at, version, created_at, updated_at, next_due_at, window_ends_at';
  const row = `(?, ${w.districtId}, ${w.streetId}, ?, ?, 'repair', 0, ?, '楼道灯坏了，请帮忙修一下', '王秀兰', '13812341234', '3号楼501', ${w.users.resident}, 0, 'open', 1, 0, ?, 0, ?, ?, ?, ?)`;
  const chunk = db.isSqlite ? 1000 : 2500;
  for (let start = 1; start <= n; start += chunk) {
    const params: unknown[] = [];
    const end = Math.min(n, start + chunk - 1);
    for (let id = start; id <= end; id++) {
      const home = homeOf(w, id);
      const due = db.time(dueOf(id));
      params.push(id, home.community, home.compound, `心愿 ${id}`, created, created, created, due, due);
    }
    await db.dataSource.query(`INSERT INTO wish (${cols}) VALUES ${Array.from({ length: end - start + 1 }, () => row).join(', ')}`, params);
  }
}

/** When wish `id` should move up from tier 1, 2, 3...: its due time, then the end of each window it opens. */
function moveTimes(rules: DispatchRules, cls: CommunityClass, id: number, count: number): Date[] {
  const out = [dueOf(id)];
  while (out.length < count) out.push(rules.claimWindowEnd(cls, (out.length + 1) as Tier, false, out[out.length - 1]));
  return out;
}

interface Ledger {
  /** Everything that is not as it must be; empty when the ledger is right. */
  problems: string[];
  tiers: Map<number, number>;
  events: number;
  notices: number;
}

/**
 * Reads every wish, event and notice and checks them against what the engine must have done:
 * a wish at tier k (one of `allowed(id)`) has exactly the k-1 escalate events 1→2, ..., each at the
 * time it should have happened, exactly one "escalated" notice per move, version k-1, and its timer
 * at the end of the window of tier k; nothing else is in the ledger.
 * With `catchUp` (one sweep made all the moves): version 1, and the notices are checked only for what
 * any notice policy must give: none twice, each for a tier one of the wish's moves reached.
 */
async function readLedger(t: TestApp, w: World, n: number, allowed: (id: number) => number[], catchUp = false): Promise<Ledger> {
  const db = t.database;
  const rules = t.app.get(DispatchRules);
  await rules.refresh();
  const problems: string[] = [];
  const rows: any[] = await db.dataSource.query('SELECT id, state, tier, version, next_due_at, window_ends_at FROM wish ORDER BY id');
  const evRows: any[] = await db.dataSource.query('SELECT wish_id, type, from_state, to_state, from_tier, to_tier, actor_role, created_at FROM wish_event ORDER BY id');
  const obRows: any[] = await db.dataSource.query('SELECT wish_id, kind, audience_type, tier FROM outbox ORDER BY id');
  const events = new Map<number, any[]>();
  for (const e of evRows) events.set(Number(e.wish_id), [...(events.get(Number(e.wish_id)) ?? []), e]);
  const notices = new Map<number, any[]>();
  for (const o of obRows) notices.set(Number(o.wish_id), [...(notices.get(Number(o.wish_id)) ?? []), o]);
  // Per (wish, type, to_tier): exactly one event.
  const perKey = new Map<string, number>();
  for (const e of evRows) perKey.set(`${e.wish_id}/${e.type}/${e.to_tier}`, (perKey.get(`${e.wish_id}/${e.type}/${e.to_tier}`) ?? 0) + 1);
  for (const [k, c] of perKey) if (c !== 1) problems.push(`${c} events for (wish, type, to_tier) ${k}`);

  if (rows.length !== n) problems.push(`${rows.length} wishes in the table, expected ${n}`);
  const tiers = new Map<number, number>();
  for (const r of rows) {
    const id = Number(r.id);
    const k = Number(r.tier);
    tiers.set(id, k);
    const where = `wish ${id} (tier ${k})`;
    if (!allowed(id).includes(k)) problems.push(`${where}: tier should be one of ${allowed(id).join('/')}`);
    const times = moveTimes(rules, homeOf(w, id).cls, id, k);
    const ev = events.get(id) ?? [];
    events.delete(id);
    const want = times.slice(0, k - 1).map((at, j) => `escalate ${j + 1}->${j + 2} open system @${at.toISOString()}`);
    const got = ev.map((e) => `${e.type} ${e.from_tier}->${e.to_tier} ${e.to_state} ${e.actor_role} @${db.readTime(e.created_at)!.toISOString()}`);
    if (got.join('|') !== want.join('|')) problems.push(`${where}: events [${got.join(', ')}], expected [${want.join(', ')}]`);
    const ob = (notices.get(id) ?? []).map((o) => `${o.kind}:${o.audience_type}${o.tier}`);
    notices.delete(id);
    // Each escalation: the new tier's claimers, and the resident (transferred, issue 15).
    const wantOb = times.slice(0, k - 1).flatMap((_, j) => [`escalated:tier_claimers${j + 2}`, `transferred:user${j + 2}`]);
    if (!catchUp && ob.join('|') !== wantOb.join('|')) problems.push(`${where}: notices [${ob.join(', ')}], expected [${wantOb.join(', ')}]`);
    if (catchUp && (ob.length === 0 || new Set(ob).size !== ob.length || ob.some((x) => !wantOb.includes(x)))) {
      problems.push(`${where}: notices [${ob.join(', ')}]: expected each at most once, from [${wantOb.join(', ')}]`);
    }
    const version = catchUp ? Math.min(1, k - 1) : k - 1;
    const timer = times[k - 1].toISOString();
    const next = db.readTime(r.next_due_at)?.toISOString();
    const windowEnd = db.readTime(r.window_ends_at)?.toISOString();
    if (r.state !== 'open' || Number(r.version) !== version || next !== timer || windowEnd !== timer) {
      problems.push(`${where}: state ${r.state}, version ${r.version}, next_due_at ${next}, window_ends_at ${windowEnd}; expected open, version ${version}, both ${timer}`);
    }
  }
  for (const id of events.keys()) problems.push(`events for wish ${id}, which is not one of the seeded wishes`);
  for (const id of notices.keys()) problems.push(`notices for wish ${id}, which is not one of the seeded wishes`);
  // `notices`: the claimers' notices, one per move (each move's resident notice is checked above, beside it).
  return { problems: problems.slice(0, 8).concat(problems.length > 8 ? [`... and ${problems.length - 8} more`] : []), tiers, events: evRows.length, notices: obRows.filter((o) => o.kind === 'escalated').length };
}

const count = (tiers: Map<number, number>, tier: number) => [...tiers.values()].filter((k) => k === tier).length;
const total = (stats: SweepStats[]) => stats.reduce((a, s) => ({ wishes: a.wishes + s.wishes, events: a.events + s.events, batches: a.batches + s.batches }), { wishes: 0, events: 0, batches: 0 });

/** Another engine instance on the test app's database: its own app, data source and pool. */
async function engineInstance(t: TestApp): Promise<AppHandle & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'xinyuan-engine-'));
  const url = (t.config.database as { url: string }).url;
  const config = loadConfig({
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    ...TEST_ENV,
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: url,
    DB_POOL_SIZE: '4',
    DISPATCH_ENABLED: 'false',
    NOTIFY_ENABLED: 'false',
  });
  const handle = await createApp(config, { clock: new FakeClock(NOW1.getTime()), logger: createRootLogger(config.logLevel) });
  return { ...handle, dataDir };
}

/** MariaDB: wait until no transaction of a dead connection is still open (being rolled back) in the test database. */
async function rolledBack(t: TestApp): Promise<void> {
  if (t.database.isSqlite) return; // the OS releases a dead process's file locks; SQLite ignores its uncommitted frames
  for (let i = 0; i < 400; i++) {
    const [r] = await t.database.dataSource.query(
      'SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX x JOIN information_schema.PROCESSLIST p ON p.ID = x.trx_mysql_thread_id WHERE p.DB = DATABASE()',
    );
    if (Number(r.n) === 0) return;
    await sleep(25);
  }
  throw new Error('a killed sweeper’s transaction was still open after 10 s');
}

async function eventCount(t: TestApp): Promise<number> {
  const [r] = await t.database.dataSource.query('SELECT COUNT(*) AS n FROM wish_event');
  return Number(r.n);
}

async function dueCount(t: TestApp, now: Date): Promise<number> {
  const [r] = await t.database.dataSource.query('SELECT COUNT(*) AS n FROM wish WHERE next_due_at <= ?', [t.database.time(now)]);
  return Number(r.n);
}

/** Kills a sweeper process holding a written, uncommitted batch (after it committed `after` batches), and returns that batch's ids. */
async function killWhileHolding(t: TestApp, p: SweeperProcess, after: number): Promise<{ committed: number[]; held: number[] }> {
  const committed: number[] = [];
  for (let i = 0; i < after; i++) committed.push(...(await p.next('holding')).ids);
  const held = (await p.next('holding')).ids;
  await p.kill();
  await rolledBack(t);
  return { committed, held };
}

describe(`dispatch engine: concurrent instances and crashes (${TEST_DB})`, () => {
  if (TEST_DB === 'mariadb') {
    const N = 10_000;

    it('three engine instances (own apps and data sources) sweeping at once move each of 10,000 due wishes exactly once per tier', async () => {
      const t = await createTestApp();
      const engines: (AppHandle & { dataDir: string })[] = [];
      try {
        const w = await buildWorld(t.database, NOW1);
        await seedDueWishes(t, w, N);
        // Seeded directly: the dashboard's bars (bars_rollup) start from the rows; the sweepers then keep them.
        const rebuild = () => RatesRollup.rebuild((sql, params) => t.database.dataSource.query(sql, params), false);
        const bars = () => t.database.dataSource.query('SELECT * FROM bars_rollup WHERE n <> 0 ORDER BY community_id, month, state, tier, published');
        await rebuild();
        for (let i = 0; i < 3; i++) engines.push(await engineInstance(t));
        const sweepers = engines.map((e) => e.app.get(DispatchSweeper));

        // Round 1: every wish is due once (tier 1 → 2).
        const round1 = await Promise.all(sweepers.map((s) => s.sweepOnce(NOW1, 200)));
        expect(total(round1)).toEqual({ wishes: N, events: N, batches: expect.any(Number) });
        expect(round1.filter((s) => s.wishes > 0).length).toBeGreaterThanOrEqual(2); // they really shared the work
        let l = await readLedger(t, w, N, () => [2]);
        expect(l.problems).toEqual([]);
        expect([l.events, l.notices, count(l.tiers, 2)]).toEqual([N, N, N]);

        // Round 2, a day later: tier 2 → 3, once each; a third round at the same time moves nothing.
        // (each instance now runs its production tick: two loops side by side, six in all)
        const round2 = await Promise.all(sweepers.map((s) => s.sweepTick(NOW2, 200, 2)));
        expect(total(round2)).toEqual({ wishes: N, events: N, batches: expect.any(Number) });
        expect(round2.filter((s) => s.wishes > 0).length).toBeGreaterThanOrEqual(2);
        const round3 = await Promise.all(sweepers.map((s) => s.sweepOnce(NOW2, 200)));
        expect(round3.map((s) => s.wishes)).toEqual([0, 0, 0]);
        l = await readLedger(t, w, N, () => [3]);
        expect(l.problems).toEqual([]);
        expect([l.events, l.notices, count(l.tiers, 3)]).toEqual([2 * N, 2 * N, N]);
        // The three sweepers' grouped +1/-1 upserts left the bars exactly as a rebuild from the rows makes them.
        const kept = await bars();
        await rebuild();
        expect(await bars()).toEqual(kept);
        expect(kept.filter((b: { tier: number }) => Number(b.tier) === 3).reduce((a: number, b: { n: number | string }) => a + Number(b.n), 0)).toBe(N);
      } finally {
        for (const e of engines) {
          await e.close();
          rmSync(e.dataDir, { recursive: true, force: true });
        }
        await t.close();
      }
    }, 90_000);

    it('three engine processes sweeping at once move each of 10,000 due wishes exactly once, then two processes and this one move them again', async () => {
      const t = await createTestApp();
      const running: SweeperProcess[] = [];
      try {
        const w = await buildWorld(t.database, NOW1);
        await seedDueWishes(t, w, N);
        const databaseUrl = (t.config.database as { url: string }).url;
        const start = (now: Date, n: number) => {
          const ps = Array.from({ length: n }, () => startSweeperProcess({ databaseUrl, now, batchSize: 200, waitForGo: true }));
          running.push(...ps);
          return ps;
        };

        const ps = start(NOW1, 3);
        await Promise.all(ps.map((p) => p.next('ready')));
        ps.forEach((p) => p.go());
        const round1 = await Promise.all(ps.map((p) => p.done()));
        expect(total(round1)).toEqual({ wishes: N, events: N, batches: expect.any(Number) });
        expect(round1.filter((s) => s.wishes > 0).length).toBeGreaterThanOrEqual(2);
        let l = await readLedger(t, w, N, () => [2]);
        expect(l.problems).toEqual([]);
        expect([l.events, l.notices]).toEqual([N, N]);

        const two = start(NOW2, 2);
        await Promise.all(two.map((p) => p.next('ready')));
        two.forEach((p) => p.go());
        const round2 = await Promise.all([...two.map((p) => p.done()), t.app.get(DispatchSweeper).sweepOnce(NOW2, 200)]);
        expect(total(round2)).toEqual({ wishes: N, events: N, batches: expect.any(Number) });
        l = await readLedger(t, w, N, () => [3]);
        expect(l.problems).toEqual([]);
        expect([l.events, l.notices]).toEqual([2 * N, 2 * N]);
      } finally {
        await Promise.all(running.map((p) => p.kill()));
        await t.close();
      }
    }, 90_000);

    it('a sweeper process killed with SIGKILL mid-sweep (at a random moment, then holding a written batch) loses nothing and doubles nothing', async () => {
      const BIG = 50_000;
      const t = await createTestApp();
      const running: SweeperProcess[] = [];
      try {
        const w = await buildWorld(t.database, NOW1);
        await seedDueWishes(t, w, BIG);
        const databaseUrl = (t.config.database as { url: string }).url;

        // 1. Killed at a random moment once its first batches are in the ledger.
        const p1 = startSweeperProcess({ databaseUrl, now: NOW1, batchSize: 100 });
        running.push(p1);
        while ((await eventCount(t)) === 0) {
          if (p1.messages.some((m) => m.type === 'done' || m.type === 'error')) throw new Error(`sweeper ended before it could be killed: ${JSON.stringify(p1.messages)}`);
          await sleep(10);
        }
        await sleep(50 + Math.random() * 250);
        await p1.kill();
        expect((await p1.exited).signal).toBe('SIGKILL');
        expect(p1.messages.map((m) => m.type)).not.toContain('done');
        await rolledBack(t);
        let l = await readLedger(t, w, BIG, () => [1, 2]);
        expect(l.problems).toEqual([]); // every wish moved with its event and notice, or not at all
        const movedByFirst = count(l.tiers, 2);
        expect(movedByFirst).toBeGreaterThan(0);
        expect(movedByFirst).toBeLessThan(BIG);
        expect([l.events, l.notices]).toEqual([movedByFirst, movedByFirst]);

        // 2. Killed holding a written, uncommitted batch, after committing two.
        const p2 = startSweeperProcess({ databaseUrl, now: NOW1, batchSize: 100, holdMs: 300 });
        running.push(p2);
        const { committed, held } = await killWhileHolding(t, p2, 2);
        expect(held).toHaveLength(100);
        l = await readLedger(t, w, BIG, () => [1, 2]);
        expect(l.problems).toEqual([]);
        expect(committed.map((id) => l.tiers.get(id))).toEqual(committed.map(() => 2));
        expect(held.map((id) => l.tiers.get(id))).toEqual(held.map(() => 1)); // rolled back: row, event and notice all absent
        const moved = count(l.tiers, 2);
        expect(moved).toBe(movedByFirst + 200);
        expect(await dueCount(t, NOW1)).toBe(BIG - moved);

        // 3. A sweep here moves exactly the rest.
        const rest = await t.app.get(DispatchSweeper).sweepOnce(NOW1, 1000);
        expect([rest.wishes, rest.events]).toEqual([BIG - moved, BIG - moved]);
        l = await readLedger(t, w, BIG, () => [2]);
        expect(l.problems).toEqual([]);
        expect([l.events, l.notices, count(l.tiers, 2)]).toEqual([BIG, BIG, BIG]);
        expect(await dueCount(t, NOW1)).toBe(0);
      } finally {
        await Promise.all(running.map((p) => p.kill()));
        await t.close();
      }
    }, 120_000);
  } else {
    const N = 2_000;

    it('three sweeps started at once on one SQLite app move each of 2,000 due wishes exactly once per tier (the transaction queue interleaves their batches)', async () => {
      const t = await createTestApp();
      try {
        const w = await buildWorld(t.database, NOW1);
        await seedDueWishes(t, w, N);
        const sweeper = t.app.get(DispatchSweeper);

        const round1 = await Promise.all([0, 1, 2].map(() => sweeper.sweepOnce(NOW1, 200)));
        expect(total(round1)).toEqual({ wishes: N, events: N, batches: 10 });
        expect(round1.every((s) => s.wishes > 0)).toBe(true); // every sweep got batches between the others'
        let l = await readLedger(t, w, N, () => [2]);
        expect(l.problems).toEqual([]);
        expect([l.events, l.notices, count(l.tiers, 2)]).toEqual([N, N, N]);

        const round2 = await Promise.all([0, 1, 2].map(() => sweeper.sweepOnce(NOW2, 200)));
        expect(total(round2)).toEqual({ wishes: N, events: N, batches: 10 });
        expect(round2.every((s) => s.wishes > 0)).toBe(true);
        expect((await Promise.all([0, 1, 2].map(() => sweeper.sweepOnce(NOW2, 200)))).map((s) => s.wishes)).toEqual([0, 0, 0]);
        l = await readLedger(t, w, N, () => [3]);
        expect(l.problems).toEqual([]);
        expect([l.events, l.notices, count(l.tiers, 3)]).toEqual([2 * N, 2 * N, N]);
      } finally {
        await t.close();
      }
    }, 30_000);

    it('a sweeper process killed with SIGKILL while holding a written batch in the SQLite file loses nothing and doubles nothing', async () => {
      const t = await createTestApp();
      let p: SweeperProcess | null = null;
      try {
        const w = await buildWorld(t.database, NOW1);
        await seedDueWishes(t, w, N);
        p = startSweeperProcess({ dataDir: t.dataDir, now: NOW1, batchSize: 100, holdMs: 100 });
        const { committed, held } = await killWhileHolding(t, p, 2);
        expect((await p.exited).signal).toBe('SIGKILL');
        expect(held).toHaveLength(100);
        let l = await readLedger(t, w, N, () => [1, 2]);
        expect(l.problems).toEqual([]);
        expect(committed.map((id) => l.tiers.get(id))).toEqual(committed.map(() => 2));
        expect(held.map((id) => l.tiers.get(id))).toEqual(held.map(() => 1));
        expect([count(l.tiers, 2), l.events, l.notices]).toEqual([200, 200, 200]);

        const rest = await t.app.get(DispatchSweeper).sweepOnce(NOW1, 500);
        expect([rest.wishes, rest.events]).toEqual([N - 200, N - 200]);
        l = await readLedger(t, w, N, () => [2]);
        expect(l.problems).toEqual([]);
        expect([l.events, l.notices, count(l.tiers, 2)]).toEqual([N, N, N]);
      } finally {
        await p?.kill();
        await t.close();
      }
    }, 30_000);
  }

  // Fails on the engine as it is: in a catch-up sweep the notices are built from the wish after all of
  // its moves (dispatch.sweeper.ts: noticesFor(s.action, w, ...) with w already at its final tier), so a
  // wish moving 1 → 2 → 3 gets "escalated, tier 3" twice and the tier it passed through is never named.
  it('after a day of downtime, three sweeps at once move each of 2,000 wishes through both tiers it missed: one event per move, no notice twice', async () => {
    const n = 2_000;
    const t = await createTestApp();
    const engines: (AppHandle & { dataDir: string })[] = [];
    try {
      const w = await buildWorld(t.database, NOW1);
      await seedDueWishes(t, w, n);
      if (TEST_DB === 'mariadb') for (let i = 0; i < 3; i++) engines.push(await engineInstance(t));
      const sweepers = TEST_DB === 'mariadb' ? engines.map((e) => e.app.get(DispatchSweeper)) : [0, 1, 2].map(() => t.app.get(DispatchSweeper));
      const stats = await Promise.all(sweepers.map((s) => s.sweepOnce(NOW2, 200)));
      expect(total(stats)).toEqual({ wishes: n, events: 2 * n, batches: expect.any(Number) });
      const l = await readLedger(t, w, n, () => [3], true);
      expect(l.problems).toEqual([]);
      expect(l.events).toBe(2 * n);
    } finally {
      for (const e of engines) {
        await e.close();
        rmSync(e.dataDir, { recursive: true, force: true });
      }
      await t.close();
    }
  }, 60_000);
});
