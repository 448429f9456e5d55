// The app's logs, as an operator reads them: one JSON object a line, each line
// written while a request is handled carrying that request's id.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config';
import { createApp, type AppHandle } from '../../src/create-app';
import { FakeClock, type Clock } from '../../src/common/clock';
import { createRootLogger } from '../../src/common/logging/logger';
import { freshMariaDb, TEST_DB, TEST_ENV } from '../create-test-app';

const WECHAT_SECRET = 'logging-test-wechat-secret-0123456789';
const JWT_SECRET = 'logging-test-secret-logging-test-secret-0123';

describe('structured request logs', () => {
  const lines: string[] = [];
  let partial = '';
  const stream = {
    write(chunk: string) {
      const text = partial + chunk;
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
    },
  };

  let handle: AppHandle;
  let baseUrl: string;
  let dataDir: string;
  let dropDb: (() => Promise<void>) | null = null;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'xinyuan-logging-'));
    const dbEnv: Record<string, string> = {};
    if (TEST_DB === 'mariadb') {
      const db = await freshMariaDb();
      dbEnv.DATABASE_URL = db.url;
      dropDb = db.drop;
    }
    const config = loadConfig(
      {
        JWT_SECRET,
        ...TEST_ENV,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        PORT: '0',
        HOST: '127.0.0.1',
        AUTH_DEV_LOGIN: 'true',
        // WeChat "configured" at a closed port, so a login there fails and logs a warning inside the request.
        WECHAT_APPID: 'wx0123456789abcdef',
        WECHAT_SECRET,
        WECHAT_API_BASE: 'http://127.0.0.1:9',
        WECHAT_TIMEOUT_MS: '500',
        ...dbEnv,
      },
      {},
    );
    handle = await createApp(config, { clock: new FakeClock(Date.now()) as Clock, logger: createRootLogger('info', stream) });
    await handle.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(handle.app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await handle?.close();
    if (dropDb) await dropDb();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const parsed = (from = 0) => lines.slice(from).map((l) => JSON.parse(l));

  /**
   * Sends one request and returns it with the log lines written while it was
   * handled: from before it was sent until its "request completed" line (which
   * fastify may write just after the client has the response).
   */
  async function send(method: string, path: string, opts: { headers?: Record<string, string>; body?: unknown } = {}) {
    const from = lines.length;
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(baseUrl + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    const text = await res.text();
    const reqId = res.headers.get('x-request-id');
    const deadline = Date.now() + 3000;
    const done = () => parsed(from).some((l) => l.msg === 'request completed' && l.reqId === reqId);
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return { status: res.status, reqId, body: text ? JSON.parse(text) : null, logged: parsed(from), raw: lines.slice(from) };
  }

  let token = '';
  const ids: (string | null)[] = [];

  it('writes JSON lines from the start, before any request', () => {
    const startup = parsed();
    expect(startup.length).toBeGreaterThan(0);
    for (const l of startup) expect(l).toMatchObject({ level: expect.any(Number), time: expect.any(String), service: 'xinyuan-server', msg: expect.any(String) });
    // Outside a request there is no request id.
    for (const l of startup) expect(l.reqId).toBeUndefined();
  });

  it('keeps a sane incoming x-request-id, echoes it, and tags every line of the request with it', async () => {
    // A request with an incoming id: a dev login, which logs a line of its own inside the handler.
    const login = await send('POST', '/api/auth/dev-login', { headers: { 'x-request-id': 'abcd1234-test' }, body: { openid: 'log-tester' } });
    expect(login.status).toBe(200);
    expect(login.reqId).toBe('abcd1234-test');
    token = login.body.token;
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(login.logged.map((l) => l.msg)).toEqual(expect.arrayContaining(['incoming request', 'dev login', 'request completed']));
    for (const l of login.logged) expect([l.msg, l.reqId]).toEqual([l.msg, 'abcd1234-test']);
    expect(login.logged.find((l) => l.msg === 'incoming request')).toMatchObject({ req: { method: 'POST', url: '/api/auth/dev-login' } });
    expect(login.logged.find((l) => l.msg === 'request completed')).toMatchObject({ res: { statusCode: 200 } });
    ids.push(login.reqId);
  });

  it('gives every other request an id of its own, on every line, failures included', async () => {
    // An authenticated request: the bearer token never reaches the log.
    const me = await send('GET', '/api/me', { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(me.reqId).toMatch(/^[0-9a-f-]{36}$/);
    expect(me.logged.length).toBeGreaterThanOrEqual(2);
    for (const l of me.logged) expect([l.msg, l.reqId]).toEqual([l.msg, me.reqId]);

    // A failing request: 404 with the error shape, its lines carrying its own id.
    const missing = await send('GET', '/api/no-such-route', { headers: { authorization: `Bearer ${token}` } });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'ROUTE_NOT_FOUND', requestId: missing.reqId });
    expect(missing.logged.find((l) => l.msg === 'request completed')).toMatchObject({ res: { statusCode: 404 }, reqId: missing.reqId });
    for (const l of missing.logged) expect([l.msg, l.reqId]).toEqual([l.msg, missing.reqId]);

    // A request that fails in a service (WeChat unreachable): the service's warning carries the id too.
    const wx = await send('POST', '/api/auth/wechat', { headers: { 'x-request-id': 'wx-login.0001' }, body: { code: 'some-code' } });
    expect(wx.status).toBe(503);
    expect(wx.body).toMatchObject({ code: 'WECHAT_UNAVAILABLE', requestId: 'wx-login.0001' });
    const warning = wx.logged.find((l) => l.level === 40);
    expect(warning).toBeDefined();
    for (const l of wx.logged) expect([l.msg, l.reqId]).toEqual([l.msg, 'wx-login.0001']);
    ids.push(me.reqId, missing.reqId, wx.reqId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('replaces an incoming id that does not look like one, neither echoing nor logging it', async () => {
    for (const bad of ['short', 'has spaces in it', 'x'.repeat(65), 'inject"}{"level":60']) {
      const r = await send('GET', '/api/health', { headers: { 'x-request-id': bad } });
      expect(r.status).toBe(200);
      expect(r.reqId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(r.logged.length).toBeGreaterThanOrEqual(2);
      for (const l of r.logged) expect([l.msg, l.reqId]).toEqual([l.msg, r.reqId]);
      for (const raw of r.raw) expect(raw).not.toContain(bad);
    }
  });

  it('keeps the ids of simultaneous requests apart', async () => {
    const from = lines.length;
    const n = 20;
    const results = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const reqId = `parallel-${String(i).padStart(4, '0')}`;
        const res = await fetch(`${baseUrl}/api/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': reqId }, body: JSON.stringify({ openid: `log-par-${i}` }) });
        const body = (await res.json()) as { user: { id: number } };
        return { reqId, echoed: res.headers.get('x-request-id'), userId: body.user.id as number };
      }),
    );
    const deadline = Date.now() + 3000;
    while (parsed(from).filter((l) => l.msg === 'request completed').length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const logged = parsed(from);
    for (const r of results) {
      expect(r.echoed).toBe(r.reqId);
      // The handler's own line names the user it logged in: it must carry that request's id.
      const own = logged.filter((l) => l.msg === 'dev login' && l.userId === r.userId);
      expect(own.map((l) => l.reqId)).toEqual([r.reqId]);
      expect(logged.filter((l) => l.reqId === r.reqId).map((l) => l.msg).sort()).toEqual(['dev login', 'incoming request', 'request completed']);
    }
    for (const l of logged) expect(results.map((r) => r.reqId)).toContain(l.reqId);
  });

  it('logs which access rule refused a request, and tells the client only the code', async () => {
    // A fresh person (a resident) asks for the ledger and for a wish that does not exist.
    const ledger = await send('GET', '/api/ledger/wishes', { headers: { authorization: `Bearer ${token}` } });
    expect([ledger.status, ledger.body.code]).toEqual([403, 'FORBIDDEN']);
    expect(JSON.stringify(ledger.body)).not.toContain('ledger: no grant');
    expect(ledger.logged.find((l) => l.msg === 'access denied')).toMatchObject({ code: 'FORBIDDEN', rule: 'ledger: no grant', url: '/api/ledger/wishes', reqId: ledger.reqId });
    const regs = await send('GET', '/api/funds', { headers: { authorization: `Bearer ${token}` } });
    expect(regs.logged.find((l) => l.msg === 'access denied')).toMatchObject({ code: 'FORBIDDEN', rule: 'funds: no grant' });
  });

  it('never logs the secrets of a URL (signed links, codes), in the request lines or in a failure', async () => {
    const secrets = ['sig-secret-value-0001', 'token-secret-value-0002', 'code-secret-value-0003', 'key-secret-value-0004'];
    const photo = await send('GET', `/api/photos/00000000-0000-4000-8000-000000000000/content?exp=9999999999&sig=${secrets[0]}`);
    expect(photo.status).toBeGreaterThanOrEqual(400);
    const download = await send('GET', `/api/ledger/download?token=${secrets[1]}&x=1`);
    expect(download.status).toBe(410);
    const odd = await send('GET', `/api/health?Code=${secrets[2]}&KEY=${secrets[3]}&keep=visible`);
    expect(odd.status).toBe(200);
    for (const r of [photo, download, odd]) {
      expect(r.logged.find((l) => l.msg === 'incoming request')).toBeDefined();
      for (const raw of r.raw) for (const s of secrets) expect(raw).not.toContain(s);
    }
    // What is not a secret stays readable.
    expect(odd.logged.find((l) => l.msg === 'incoming request').req.url).toBe('/api/health?Code=[REDACTED]&KEY=[REDACTED]&keep=visible');
    expect(download.logged.find((l) => l.msg === 'incoming request').req.url).toBe('/api/ledger/download?token=[REDACTED]&x=1');
  });

  it('wrote only valid JSON objects, and never the bearer token or a secret', () => {
    expect(token).not.toBe('');
    expect(partial).toBe('');
    expect(lines.length).toBeGreaterThan(10);
    for (const raw of lines) {
      expect(() => JSON.parse(raw)).not.toThrow();
      expect(raw).not.toContain(token);
      expect(raw).not.toMatch(/bearer/i);
      expect(raw).not.toContain(WECHAT_SECRET);
      expect(raw).not.toContain(JWT_SECRET);
    }
    for (const l of parsed()) expect(typeof l === 'object' && l !== null && !Array.isArray(l)).toBe(true);
  });
});
