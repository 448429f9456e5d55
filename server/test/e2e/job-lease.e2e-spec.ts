// Interval jobs held by one instance at a time (issue 16, common/jobs/job-lease.ts), on one database:
// SQLite by default, MariaDB with TEST_DB=mariadb. The same on three Galera nodes: test/cluster.
import { JobLeases } from '../../src/common/jobs/job-lease';
import { createRootLogger } from '../../src/common/logging/logger';
import { FakeClock } from '../../src/common/clock';
import { createTestApp, TEST_DB, type TestApp } from '../create-test-app';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('job leases', () => {
  let t: TestApp;
  /** Two instances sharing the database (the holder differs per JobLeases). */
  let a: JobLeases;
  let b: JobLeases;
  const row = async (name: string) => (await t.database.dataSource.query('SELECT holder, fence FROM job_lease WHERE name = ?', [name]))[0];

  beforeAll(async () => {
    t = await createTestApp({ JOB_LEASE: 'on', JOB_LEASE_TTL_MS: '1000' });
    a = new JobLeases(t.config, t.database, createRootLogger('silent'), t.clock);
    b = new JobLeases(t.config, t.database, createRootLogger('silent'), t.clock);
  });
  afterAll(() => t.close());

  it('has one holder; it renews; another takes over only after the lease expired (by the database clock), with the next fence', async () => {
    expect(await a.acquire('sweep')).toBe(1);
    expect(await b.acquire('sweep')).toBeNull();
    expect(await a.acquire('sweep')).toBe(1);
    expect(await row('sweep')).toMatchObject({ holder: a.holder });
    // Not renewed for longer than the TTL (1 s): the other instance may take it.
    await sleep(1300);
    expect(await b.acquire('sweep')).toBe(2);
    expect(await a.acquire('sweep')).toBeNull();
    expect(Number((await row('sweep')).fence)).toBe(2);
    // Released at shutdown: taken at once, without waiting for the expiry.
    await b.release('sweep');
    expect(await a.acquire('sweep')).toBe(3);
    // Leases are per job name.
    expect(await b.acquire('notifications')).toBe(1);
  });

  it('runs a job only in the holder; off runs it everywhere; auto is off on SQLite and a single MariaDB', async () => {
    let runs = 0;
    const job = async () => ++runs;
    expect(await a.runHeld('purge', job)).toBe(1);
    expect(await b.runHeld('purge', job)).toBeUndefined();
    expect(await a.runHeld('purge', job)).toBe(2);
    expect(b.stats.skipped).toBe(1);

    const off = new JobLeases({ ...t.config, jobs: { lease: 'off', leaseTtlMs: 1000 } }, t.database, createRootLogger('silent'), t.clock);
    const auto = new JobLeases({ ...t.config, jobs: { lease: 'auto', leaseTtlMs: 1000 } }, t.database, createRootLogger('silent'), t.clock);
    expect(await off.enabled()).toBe(false);
    expect(await auto.enabled()).toBe(false);
    expect(await off.runHeld('purge', job)).toBe(3);
    expect(await auto.runHeld('purge', job)).toBe(4);
  });

  it('exactly one of many instances racing for a free lease gets it', async () => {
    const many = Array.from({ length: 8 }, () => new JobLeases(t.config, t.database, createRootLogger('silent'), t.clock));
    const got = await Promise.all(many.map((l) => l.acquire('race')));
    expect(got.filter((f) => f !== null)).toEqual([1]);
  });

  // README "Deadlines and the clock": the holder's clock decides when timers fire, so an instance whose
  // clock is more than CLOCK_SKEW_MAX_MS from the database's neither takes nor keeps a lease.
  (TEST_DB === 'mariadb' ? it : it.skip)('an instance whose clock strays from the database clock by more than CLOCK_SKEW_MAX_MS gets no lease (MariaDB)', async () => {
    const config = { ...t.config, resilience: { ...t.config.resilience, clockSkewMaxMs: 2000 } };
    const fast = new FakeClock(Date.now() + 10_000);
    const slow = new FakeClock(Date.now() - 10_000);
    const right = new FakeClock(Date.now() + 500);
    const skewedAhead = new JobLeases(config, t.database, createRootLogger('silent'), fast);
    const skewedBehind = new JobLeases(config, t.database, createRootLogger('silent'), slow);
    const good = new JobLeases(config, t.database, createRootLogger('silent'), right);
    expect(await skewedAhead.acquire('skew')).toBeNull();
    expect(await skewedBehind.acquire('skew')).toBeNull();
    expect(await good.acquire('skew')).toBe(1);
    // The holder's clock jumps 10 s ahead: it cannot renew; once the lease expires, a sound instance takes it.
    right.set(new Date(Date.now() + 10_000));
    expect(await good.acquire('skew')).toBeNull();
    await sleep(1100);
    const other = new JobLeases(config, t.database, createRootLogger('silent'), new FakeClock(Date.now()));
    expect(await other.acquire('skew')).toBe(2);
  });
});
