// The database going away under a running app: a killed server, a stopped (SIGSTOPped) one,
// a failover list. Each on a throwaway mariadbd of the test's own (test/support/own-mariadb.ts),
// never the shared server on 3306. Runs with TEST_DB=mariadb (it needs mariadbd and root).
import { DataSource } from 'typeorm';
import { eventually } from '../support';
import { createTestApp, TEST_DB, type TestApp } from '../create-test-app';
import { freePort, startOwnMariaDb, type OwnMariaDb } from '../support/own-mariadb';
import { dbUnavailableReason } from '../../src/database/db-errors';
import { buildWorld, type World } from '../factories/world';
import { wishSteps } from '../factories/wish-steps';

const d = TEST_DB === 'mariadb' ? describe : describe.skip;

/** Short timeouts, so an outage shows in seconds. */
const FAST = { AUTH_DEV_LOGIN: 'true', DB_CONNECT_TIMEOUT_MS: '1000', DB_QUERY_TIMEOUT_MS: '1500', REQUEST_TIMEOUT_MS: '3000', READY_TIMEOUT_MS: '1000', RETRY_AFTER_SECONDS: '3' };

const login = (t: TestApp, who = 'outage-olga') => t.http.post('/api/auth/dev-login', { openid: who });

d('database outages', () => {
  let m: OwnMariaDb;
  let t: TestApp;
  beforeAll(async () => {
    m = await startOwnMariaDb();
    await m.createDatabase('xy_resil_a');
    t = await createTestApp({ ...FAST, DATABASE_URL: m.url('xy_resil_a') });
  });
  afterAll(async () => {
    await t?.close();
    await m?.destroy();
  });

  it('a killed server: 503 DB_UNAVAILABLE with Retry-After, live stays 200, ready 503; back without a restart', async () => {
    expect((await login(t)).status).toBe(200);
    await m.kill();
    const r = await login(t);
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ code: 'DB_UNAVAILABLE', message: '服务暂时繁忙，请稍后再试' });
    expect(r.headers.get('retry-after')).toBe('3');
    expect((await t.http.get('/api/health/live')).status).toBe(200);
    const ready = await t.http.get('/api/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toBe('3');
    expect(ready.body).toMatchObject({ status: 'not_ready', reason: 'DB_UNAVAILABLE', node: 0 });
    await m.start();
    expect((await login(t)).status).toBe(200);
    expect((await t.http.get('/api/health/ready')).status).toBe(200);
  });

  it('a server killed under concurrent requests: every answer is 200 or 503, never 500', async () => {
    const statuses: number[] = [];
    const burst = Array.from({ length: 40 }, (_, i) =>
      new Promise((r) => setTimeout(r, i * 10)).then(() => login(t, `burst-${i % 8}`)).then((r) => statuses.push(r.status)),
    );
    await new Promise((r) => setTimeout(r, 120));
    await m.kill();
    await Promise.all(burst);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(statuses).toContain(503);
    await m.start();
    expect((await login(t)).status).toBe(200);
  });

  it('a stopped server (SIGSTOP: TCP accepted, nothing answered): 503 within the configured timeouts, not a hang', async () => {
    expect((await login(t)).status).toBe(200);
    await m.stop();
    try {
      let t0 = Date.now();
      const r = await login(t);
      const took = Date.now() - t0;
      expect(r.status).toBe(503);
      expect(r.body.code).toBe('DB_UNAVAILABLE');
      expect(r.headers.get('retry-after')).toBe('3');
      // REQUEST_TIMEOUT_MS is 3000 and DB_QUERY_TIMEOUT_MS 1500: the answer comes by then, with a little slack for a loaded machine.
      expect(took).toBeLessThan(3000 + 1000);
      t0 = Date.now();
      const ready = await t.http.get('/api/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.reason).toBe('DB_UNAVAILABLE');
      // READY_TIMEOUT_MS is 1000.
      expect(Date.now() - t0).toBeLessThan(1000 + 1000);
      // Several at once (the pool's connections all stuck): each still ends.
      t0 = Date.now();
      const many = await Promise.all(Array.from({ length: 15 }, (_, i) => login(t, `stalled-${i}`)));
      expect(many.map((x) => x.status)).toEqual(Array(15).fill(503));
      expect(Date.now() - t0).toBeLessThan(3000 + 1000);
    } finally {
      m.cont();
    }
    await eventually('the app answers again after SIGCONT', 10_000, async () => (await login(t)).status === 200);
  });

  it('REQUEST_TIMEOUT_MS ends a request whose query would wait longer (503, Retry-After); its late answer is dropped', async () => {
    const slow = await createTestApp({ ...FAST, DATABASE_URL: m.url('xy_resil_a'), DB_QUERY_TIMEOUT_MS: '20000', DB_CONNECT_TIMEOUT_MS: '20000', REQUEST_TIMEOUT_MS: '1500' });
    try {
      expect((await login(slow)).status).toBe(200);
      await m.stop();
      let r;
      const t0 = Date.now();
      try {
        r = await login(slow);
      } finally {
        m.cont();
      }
      expect(r.status).toBe(503);
      expect(r.body.code).toBe('DB_UNAVAILABLE');
      expect(r.headers.get('retry-after')).toBe('3');
      expect(Date.now() - t0).toBeLessThan(1500 + 1000);
      // The handler finishes on its own once the server answers; the app carries on.
      await eventually('the app answers again after SIGCONT', 10_000, async () => (await login(slow)).status === 200);
    } finally {
      await slow.close();
    }
  });

  it('classifies the errors a real server throws: outages and lock storms yes, bugs and bad input no', async () => {
    const ds = new DataSource({ type: 'mariadb', host: '127.0.0.1', port: m.port, username: 'root', database: 'xy_resil_a', poolSize: 4 });
    await ds.initialize();
    try {
      await ds.query('CREATE TABLE IF NOT EXISTS probe (id INT PRIMARY KEY, v INT) ENGINE=InnoDB');
      await ds.query('INSERT IGNORE INTO probe VALUES (1, 0), (2, 0)');
      const caught = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);
      // 1062 duplicate key and 1064 syntax: the caller's or the code's fault, a 4xx or a 500 as before.
      expect(dbUnavailableReason(await caught(ds.query('INSERT INTO probe VALUES (1, 0)')))).toBeNull();
      expect(dbUnavailableReason(await caught(ds.query('SELEKT 1')))).toBeNull();
      // 1205: a lock held elsewhere past innodb_lock_wait_timeout.
      const a = ds.createQueryRunner();
      const b = ds.createQueryRunner();
      await a.startTransaction();
      await a.query('UPDATE probe SET v = v + 1 WHERE id = 1');
      await b.query('SET SESSION innodb_lock_wait_timeout = 1');
      await b.startTransaction();
      expect(dbUnavailableReason(await caught(b.query('UPDATE probe SET v = v + 1 WHERE id = 1')))).toBe('ER_LOCK_WAIT_TIMEOUT');
      await b.rollbackTransaction();
      // 1213: two transactions taking two rows in opposite orders.
      await b.startTransaction();
      await b.query('UPDATE probe SET v = v + 1 WHERE id = 2');
      const aWaits = caught(a.query('UPDATE probe SET v = v + 1 WHERE id = 2'));
      await new Promise((r) => setTimeout(r, 200));
      const bErr = await caught(b.query('UPDATE probe SET v = v + 1 WHERE id = 1'));
      const aErr = await aWaits;
      expect([dbUnavailableReason(aErr), dbUnavailableReason(bErr)]).toContain('ER_LOCK_DEADLOCK');
      await a.rollbackTransaction().catch(() => undefined);
      await b.rollbackTransaction().catch(() => undefined);
      // 1927: the connection killed by an administrator (KILL), then the next query on it.
      const [{ id }] = await b.query('SELECT CONNECTION_ID() AS id');
      await a.query(`KILL CONNECTION ${Number(id)}`);
      expect(dbUnavailableReason(await caught(b.query('SELECT 1')))).not.toBeNull();
      await a.release();
      await b.release().catch(() => undefined);
    } finally {
      await ds.destroy();
    }
  });
});

d('failover node list', () => {
  let a: OwnMariaDb;
  let b: OwnMariaDb;
  beforeAll(async () => {
    [a, b] = await Promise.all([startOwnMariaDb(), startOwnMariaDb()]);
    await Promise.all([a.createDatabase('xy_resil_f'), b.createDatabase('xy_resil_f')]);
    // The failover node needs the schema (a Galera cluster replicates it; two lone servers do not): migrate it once.
    const onB = await createTestApp({ DATABASE_URL: b.url('xy_resil_f') });
    await onB.close();
  });
  afterAll(async () => {
    await Promise.all([a?.destroy(), b?.destroy()]);
  });

  it('starts on the first node that answers when DATABASE_URL is dead', async () => {
    const dead = `mariadb://root@127.0.0.1:${await freePort()}/xy_resil_f`;
    const t = await createTestApp({ ...FAST, DATABASE_URL: dead, DATABASE_FAILOVER_URLS: b.url('xy_resil_f') });
    try {
      const ready = await t.http.get('/api/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({ status: 'ready', node: 1 });
      expect((await login(t)).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('moves to the next node when its node is killed under load (503s meanwhile, no 500), and back when it returns', async () => {
    const t = await createTestApp({ ...FAST, DATABASE_URL: a.url('xy_resil_f'), DATABASE_FAILOVER_URLS: b.url('xy_resil_f'), DB_FAILOVER_CHECK_MS: '300' });
    try {
      expect((await t.http.get('/api/health/ready')).body.node).toBe(0);
      const statuses: number[] = [];
      let stop = false;
      const load = (async () => {
        for (let i = 0; !stop; i++) statuses.push((await login(t, `load-${i % 5}`)).status);
      })();
      await new Promise((r) => setTimeout(r, 300));
      await a.kill();
      await eventually('the app switched to the failover node', 10_000, async () => (await t.http.get('/api/health/ready')).body.node === 1);
      await new Promise((r) => setTimeout(r, 300));
      stop = true;
      await load;
      expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
      expect(statuses.slice(-3)).toEqual([200, 200, 200]);
      // DATABASE_URL is preferred: once it answers again the app goes back to it.
      await a.start();
      await eventually('the app went back to DATABASE_URL', 10_000, async () => (await t.http.get('/api/health/ready')).body.node === 0);
      expect((await login(t)).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

d('read node (DATABASE_READ_URL)', () => {
  let a: OwnMariaDb;
  let b: OwnMariaDb;
  let t: TestApp;
  let w: World;
  const { tok, submit, move } = wishSteps(() => ({ t, w }));
  beforeAll(async () => {
    [a, b] = await Promise.all([startOwnMariaDb(), startOwnMariaDb()]);
    await Promise.all([a.createDatabase('xy_resil_r'), b.createDatabase('xy_resil_r')]);
    // Two lone servers stand in for two nodes: the read node gets the schema but none of the primary's rows,
    // so where a page was read shows in what it lists.
    const onB = await createTestApp({ DATABASE_URL: b.url('xy_resil_r') });
    await onB.close();
    t = await createTestApp({ ...FAST, DATABASE_URL: a.url('xy_resil_r'), DATABASE_READ_URL: b.url('xy_resil_r'), DB_FAILOVER_CHECK_MS: '500' });
    w = await buildWorld(t.database, t.clock.now());
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([a?.destroy(), b?.destroy()]);
  });

  it('long reads go to the read node while it answers, and to the primary when it is gone', async () => {
    const port = async () => Number((await t.database.readQuery<{ port: number }[]>('SELECT @@port AS port'))[0].port);
    expect(await port()).toBe(b.port);
    const id = await submit();
    await move(id, 'approve', 'staff');
    const ledger = async () => {
      const r = await t.http.get('/api/ledger/wishes?limit=100', tok('staff'));
      expect(r.status).toBe(200);
      return (r.body.items as { id: number }[]).map((x) => x.id);
    };
    // The read node has no wishes: the page was read there.
    expect(await ledger()).toEqual([]);
    await b.kill();
    // The read node gone: the same page from the primary, with the wish; no 5xx on the way.
    expect(await ledger()).toContain(id);
    expect(await port()).toBe(a.port);
    // Back after DB_FAILOVER_CHECK_MS once it answers again.
    await b.start();
    await eventually('long reads back on the read node', 10_000, async () => (await port()) === b.port);
  });
});
