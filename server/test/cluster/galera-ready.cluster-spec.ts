// Readiness and failover against a real Galera cluster (`pnpm test:cluster` starts it; GALERA_URLS may
// name other nodes: three mysql:// URLs without a database). A node desynced by hand
// (wsrep_desync=ON) is not ready; the app moves to the next node and back when it is Synced again.
import { eventually } from '../support';
import { NODES, urlOf } from './cluster';
import { createTestApp, type TestApp } from '../create-test-app';

const URLS = process.env.GALERA_URLS ? process.env.GALERA_URLS.split(',').filter(Boolean) : NODES.map((n) => urlOf(n).replace(/^mariadb:/, 'mysql:'));
const d = describe;
const DB = `xy_resil_galera_${process.pid}`;
const at = (url: string, db = DB) => url.replace(/^mysql:/, 'mariadb:').replace(/\/[^/]*$/, `/${db}`);

async function sql(url: string, q: string): Promise<unknown[]> {
  const mysql = await import('mysql2/promise');
  const u = new URL(url);
  const c = await mysql.createConnection({ host: u.hostname, port: Number(u.port), user: decodeURIComponent(u.username || 'root') });
  try {
    return (await c.query(q))[0] as unknown[];
  } finally {
    await c.end();
  }
}

d('readiness on a Galera cluster', () => {
  let t: TestApp;
  beforeAll(async () => {
    await sql(URLS[0], `CREATE DATABASE \`${DB}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    t = await createTestApp({
      AUTH_DEV_LOGIN: 'true',
      DATABASE_URL: at(URLS[0]),
      DATABASE_FAILOVER_URLS: at(URLS[1]),
      DATABASE_READ_URL: at(URLS[URLS.length - 1]),
      DB_FAILOVER_CHECK_MS: '300',
      READY_TIMEOUT_MS: '1000',
      RETRY_AFTER_SECONDS: '3',
    });
  });
  afterAll(async () => {
    await sql(URLS[0], 'SET GLOBAL wsrep_desync = OFF').catch(() => undefined);
    await sql(URLS[0], "SET GLOBAL wsrep_provider_options = 'gmcast.isolate=0'").catch(() => undefined);
    await t?.close();
    await sql(URLS[0], `DROP DATABASE IF EXISTS \`${DB}\``);
  });

  it('a Synced node of the Primary component is ready, with its Galera state', async () => {
    const r = await t.http.get('/api/health/ready');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ready', node: 0, galera: { ready: 'ON', localState: 4, clusterStatus: 'Primary' } });
  });

  it('long reads on a Galera read node are causal and see a write made through another node at once', async () => {
    const login = await t.http.post('/api/auth/dev-login', { openid: 'galera-gao' });
    expect(login.status).toBe(200);
    const rows = await t.database.readQuery<{ n: number; port: number }[]>(`SELECT COUNT(*) AS n, @@port AS port FROM app_user WHERE id = ?`, [login.body.user.id]);
    expect(Number(rows[0].n)).toBe(1);
    expect(Number(rows[0].port)).toBe(Number(new URL(URLS[URLS.length - 1]).port));
  });

  it('a desynced node is not ready (NODE_NOT_SYNCED): the app moves to the next node, and back once it is Synced', async () => {
    await sql(URLS[0], 'SET GLOBAL wsrep_desync = ON');
    const seen: { status: number; reason?: string; node: number }[] = [];
    await eventually('the app moved to node 1', 10_000, async () => {
      const r = await t.http.get('/api/health/ready');
      seen.push({ status: r.status, reason: r.body.reason, node: r.body.node });
      return r.status === 200 && r.body.node === 1;
    });
    // Either the check saw it first (straight to node 1) or readiness said why before the switch.
    for (const s of seen.filter((x) => x.status !== 200)) expect(s).toMatchObject({ status: 503, reason: 'NODE_NOT_SYNCED', node: 0 });
    expect((await t.http.post('/api/auth/dev-login', { openid: 'galera-gu' })).status).toBe(200);
    await sql(URLS[0], 'SET GLOBAL wsrep_desync = OFF');
    await eventually('the app went back to node 0', 10_000, async () => (await t.http.get('/api/health/ready')).body.node === 0);
  });

  it('an app whose only node is desynced takes no writes (503 DB_UNAVAILABLE) but still reads, and writes again once it is Synced', async () => {
    // No failover list: the app cannot move, so it must hold its writes back itself.
    const alone = await createTestApp({ AUTH_DEV_LOGIN: 'true', DATABASE_URL: at(URLS[0]), DB_FAILOVER_CHECK_MS: '300', READY_TIMEOUT_MS: '1000', RETRY_AFTER_SECONDS: '3' });
    try {
      await eventually('node 0 Synced', 30_000, async () => (await alone.http.get('/api/health/ready')).status === 200);
      expect((await alone.http.post('/api/auth/dev-login', { openid: 'galera-guo' })).status).toBe(200);
      await sql(URLS[0], 'SET GLOBAL wsrep_desync = ON');
      await eventually('node 0 seen desynced', 10_000, async () => (await alone.http.get('/api/health/ready')).body.reason === 'NODE_NOT_SYNCED');
      // A first login creates the user (a write): refused while the node is desynced.
      const refused = await alone.http.post('/api/auth/dev-login', { openid: 'galera-guan' });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('3');
      expect(refused.body.code).toBe('DB_UNAVAILABLE');
      expect((await alone.http.get('/api/health/ready')).body).toMatchObject({ status: 'not_ready', reason: 'NODE_NOT_SYNCED' });
      // A known user's login only reads: still served.
      expect((await alone.http.post('/api/auth/dev-login', { openid: 'galera-guo' })).status).toBe(200);
      // Nothing of the refused write reached the cluster.
      const rows = (await sql(URLS[1], `SELECT COUNT(*) AS n FROM \`${DB}\`.app_user WHERE openid = 'galera-guan'`)) as { n: number }[];
      expect(Number(rows[0].n)).toBe(0);
      await sql(URLS[0], 'SET GLOBAL wsrep_desync = OFF');
      await eventually('writes taken again', 10_000, async () => (await alone.http.post('/api/auth/dev-login', { openid: 'galera-guan' })).status === 200);
    } finally {
      await sql(URLS[0], 'SET GLOBAL wsrep_desync = OFF').catch(() => undefined);
      await alone.close();
    }
  });

  it('a node cut off from the others (gmcast.isolate=1) is NODE_NOT_PRIMARY; its 1047s answer 503; it is ready again after it rejoins', async () => {
    // An app on node 0 alone (no failover list), to see the partitioned node's errors over HTTP.
    const alone = await createTestApp({ AUTH_DEV_LOGIN: 'true', DATABASE_URL: at(URLS[0]), READY_TIMEOUT_MS: '1000', RETRY_AFTER_SECONDS: '3' });
    try {
      await sql(URLS[0], "SET GLOBAL wsrep_provider_options = 'gmcast.isolate=1'");
      // Galera notices the lost peers after its suspect timeout (about 7 s here).
      await eventually('node 0 out of the Primary component', 30_000, async () => (await alone.http.get('/api/health/ready')).body.reason === 'NODE_NOT_PRIMARY');
      const ready = await alone.http.get('/api/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.headers.get('retry-after')).toBe('3');
      expect(ready.body).toMatchObject({ status: 'not_ready', reason: 'NODE_NOT_PRIMARY', node: 0, galera: { clusterStatus: 'non-Primary' } });
      // Errno 1047 (WSREP has not yet prepared node for application use): 503, not 500.
      const r = await alone.http.post('/api/auth/dev-login', { openid: 'galera-gong' });
      expect(r.status).toBe(503);
      expect(r.body.code).toBe('DB_UNAVAILABLE');
      // The app with a failover list has moved on meanwhile.
      await eventually('the failover app on node 1', 10_000, async () => (await t.http.get('/api/health/ready')).body.node === 1);
      await sql(URLS[0], "SET GLOBAL wsrep_provider_options = 'gmcast.isolate=0'");
      await eventually('node 0 back in the Primary component', 60_000, async () => (await alone.http.get('/api/health/ready')).status === 200);
      expect((await alone.http.post('/api/auth/dev-login', { openid: 'galera-gong' })).status).toBe(200);
      await eventually('the failover app back on node 0', 10_000, async () => (await t.http.get('/api/health/ready')).body.node === 0);
    } finally {
      await alone.close();
    }
  });
});
