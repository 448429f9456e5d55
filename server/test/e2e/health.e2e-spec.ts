import { join } from 'node:path';
import { createTestApp, TEST_DB, type TestApp } from '../create-test-app';
import { HealthState } from '../../src/modules/health/health.state';

describe('health and errors', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ AUTH_DEV_LOGIN: 'true', RETRY_AFTER_SECONDS: '7' });
  });
  afterAll(() => t.close());

  it('reports the database driver and that it answers', async () => {
    const r = await t.http.get('/api/health');
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('ok');
    expect(r.body.database.driver).toBe(TEST_DB === 'mariadb' ? 'mariadb' : 'sqlite');
    expect(r.body.database.ok).toBe(true);
    expect(r.headers.get('x-request-id')).toBeTruthy();
  });

  it('answers unknown routes and missing tokens with the error shape', async () => {
    const r = await t.http.get('/api/nope');
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('ROUTE_NOT_FOUND');
    const me = await t.http.get('/api/me');
    expect(me.status).toBe(401);
    expect(me.body).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.any(String) });
    const bad = await t.http.get('/api/me', 'not-a-jwt');
    expect(bad.body.code).toBe('UNAUTHENTICATED');
  });

  it('is live without asking the database, and ready when the database answers', async () => {
    const live = await t.http.get('/api/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok' });
    const ready = await t.http.get('/api/health/ready');
    expect(ready.status).toBe(200);
    // The shared test server is a single MariaDB (wsrep_on OFF), SQLite has no cluster: no Galera state either way.
    expect(ready.body).toEqual({ status: 'ready', node: 0, galera: null });
  });

  it('is not ready once the process is shutting down, and says so', async () => {
    const state = t.app.get(HealthState);
    state.shuttingDown = true;
    try {
      const r = await t.http.get('/api/health/ready');
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('7');
      expect(r.body).toMatchObject({ status: 'not_ready', reason: 'SHUTTING_DOWN' });
      expect((await t.http.get('/api/health/live')).status).toBe(200);
    } finally {
      state.shuttingDown = false;
    }
  });

  (TEST_DB === 'sqlite' ? it : it.skip)('answers 503 DB_UNAVAILABLE with Retry-After when another process holds the SQLite write lock past busy_timeout', async () => {
    const Sqlite = (await import('better-sqlite3')).default;
    const other = new Sqlite(join(t.dataDir, 'xinyuan.sqlite'));
    other.pragma('busy_timeout = 0');
    other.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      const r = await t.http.post('/api/auth/dev-login', { openid: 'busy-bea' });
      expect(r.status).toBe(503);
      expect(r.body).toMatchObject({ code: 'DB_UNAVAILABLE', message: '服务暂时繁忙，请稍后再试' });
      expect(r.headers.get('retry-after')).toBe('7');
      // busy_timeout is 5 s (data-source.ts): the write waited for the lock that long, not for ever.
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const again = await t.http.post('/api/auth/dev-login', { openid: 'busy-bea' });
    expect(again.status).toBe(200);
  });
});

// One clock for deadlines (README "Deploying on a cluster"): each instance's, checked against its database's.
(TEST_DB === 'mariadb' ? describe : describe.skip)('readiness and the clock (MariaDB)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CLOCK_SKEW_MAX_MS: '2000', RETRY_AFTER_SECONDS: '7' });
  });
  afterAll(() => t.close());

  it('is ready while the app clock agrees with the database clock', async () => {
    t.clock.set(new Date());
    const r = await t.http.get('/api/health/ready');
    expect(r.status).toBe(200);
  });

  it('answers 503 CLOCK_SKEW when the app clock runs 5 s ahead of the database, and again when 5 s behind', async () => {
    t.clock.set(new Date(Date.now() + 5000));
    const ahead = await t.http.get('/api/health/ready');
    expect(ahead.status).toBe(503);
    expect(ahead.headers.get('retry-after')).toBe('7');
    expect(ahead.body).toMatchObject({ status: 'not_ready', reason: 'CLOCK_SKEW', detail: expect.stringMatching(/^app clock 5\.\d s ahead of the database's \(limit 2000 ms\)$/) });
    t.clock.set(new Date(Date.now() - 5000));
    const behind = await t.http.get('/api/health/ready');
    expect(behind.status).toBe(503);
    expect(behind.body.detail).toMatch(/^app clock 5\.\d s behind the database's/);
    // Within the limit again: ready.
    t.clock.set(new Date(Date.now() + 1000));
    expect((await t.http.get('/api/health/ready')).status).toBe(200);
  });
});
