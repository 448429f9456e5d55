// Interval jobs held by one instance at a time (issue 16, common/jobs/job-lease.ts), on one database:
// SQLite by default, MariaDB with TEST_DB=mariadb. The same on three Galera nodes: test/cluster.
import { JobLeases } from '../../src/common/jobs/job-lease';
import { createRootLogger } from '../../src/common/logging/logger';
import { createTestApp, type TestApp } from '../create-test-app';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('job leases', () => {
  let t: TestApp;
  /** Two instances sharing the database (the holder differs per JobLeases). */
  let a: JobLeases;
  let b: JobLeases;
  const row = async (name: string) => (await t.database.dataSource.query('SELECT holder, fence FROM job_lease WHERE name = ?', [name]))[0];

  beforeAll(async () => {
    t = await createTestApp({ JOB_LEASE: 'on', JOB_LEASE_TTL_MS: '1000' });
    a = new JobLeases(t.config, t.database, createRootLogger('silent'));
    b = new JobLeases(t.config, t.database, createRootLogger('silent'));
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

    const off = new JobLeases({ ...t.config, jobs: { lease: 'off', leaseTtlMs: 1000 } }, t.database, createRootLogger('silent'));
    const auto = new JobLeases({ ...t.config, jobs: { lease: 'auto', leaseTtlMs: 1000 } }, t.database, createRootLogger('silent'));
    expect(await off.enabled()).toBe(false);
    expect(await auto.enabled()).toBe(false);
    expect(await off.runHeld('purge', job)).toBe(3);
    expect(await auto.runHeld('purge', job)).toBe(4);
  });

  it('exactly one of many instances racing for a free lease gets it', async () => {
    const many = Array.from({ length: 8 }, () => new JobLeases(t.config, t.database, createRootLogger('silent')));
    const got = await Promise.all(many.map((l) => l.acquire('race')));
    expect(got.filter((f) => f !== null)).toEqual([1]);
  });
});
