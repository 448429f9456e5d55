import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, type TestApp } from '../create-test-app';

describe('the H5 mini-program served at /', () => {
  let t: TestApp;
  const web = mkdtempSync(join(tmpdir(), 'xinyuan-web-'));
  beforeAll(async () => {
    mkdirSync(join(web, 'js'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><html><body><div id="app"></div><script src="/js/app.js"></script></body></html>');
    writeFileSync(join(web, 'js', 'app.js'), 'console.log("xinyuan")');
    t = await createTestApp({ WEB_DIR: web });
  });
  afterAll(async () => {
    await t.close();
    rmSync(web, { recursive: true, force: true });
  });

  it('serves index.html and assets, and leaves /api to the API', async () => {
    const index = await t.http.get('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(String(index.body)).toContain('<div id="app">');
    const js = await t.http.get('/js/app.js');
    expect(js.status).toBe(200);
    expect(String(js.body)).toContain('xinyuan');
    expect((await t.http.get('/api/health')).body.status).toBe('ok');
    const missing = await t.http.get('/api/nope');
    expect([missing.status, missing.body.code]).toEqual([404, 'ROUTE_NOT_FOUND']);
    expect((await t.http.get('/nope.js')).status).toBe(404);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(js.headers.get('cache-control')).toContain('immutable');
    // Clients can ask which logins this server offers.
    expect((await t.http.get('/api/auth/options')).body).toEqual({ devLogin: false, wechat: false });
  });
});
