import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { createTestApp, type TestApp } from '../create-test-app';

const PAGE = '<!doctype html><html><body><div id="app"></div><script src="/js/app.js"></script></body></html>';
const BIG = `/* the app */\n${'console.log("心愿 xinyuan");\n'.repeat(2000)}`;

/** The bytes as sent (fetch would decode them), with the headers. */
function raw(base: string, path: string, acceptEncoding?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(base + path, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the H5 mini-program served at /', () => {
  let t: TestApp;
  const web = mkdtempSync(join(tmpdir(), 'xinyuan-web-'));
  beforeAll(async () => {
    mkdirSync(join(web, 'js'));
    writeFileSync(join(web, 'index.html'), PAGE);
    writeFileSync(join(web, 'js', 'app.js'), 'console.log("xinyuan")');
    // What the H5 build writes beside each text file (miniapp/config/precompress.ts).
    writeFileSync(join(web, 'index.html.br'), brotliCompressSync(PAGE));
    writeFileSync(join(web, 'index.html.gz'), gzipSync(PAGE));
    writeFileSync(join(web, 'js', 'big.js'), BIG);
    writeFileSync(join(web, 'js', 'big.js.br'), brotliCompressSync(BIG));
    writeFileSync(join(web, 'js', 'big.js.gz'), gzipSync(BIG));
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

  it('sends the precompressed file the browser accepts, with Content-Encoding and Vary', async () => {
    const base = t.http.baseUrl;
    const br = await raw(base, '/js/big.js', 'gzip, deflate, br');
    expect([br.status, br.headers['content-encoding'], br.headers['content-type']]).toEqual([200, 'br', 'application/javascript; charset=utf-8']);
    expect(String(br.headers.vary)).toContain('accept-encoding');
    expect(br.headers['cache-control']).toContain('immutable');
    expect(brotliDecompressSync(br.body).toString()).toBe(BIG);
    expect(br.body.length).toBeLessThan(Buffer.byteLength(BIG) / 10);

    const gz = await raw(base, '/js/big.js', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(BIG);

    // A client that takes no encoding gets the file itself, and the answer still says it varies.
    const plain = await raw(base, '/js/big.js');
    expect([plain.headers['content-encoding'], plain.body.toString()]).toEqual([undefined, BIG]);
    expect(String(plain.headers.vary)).toContain('accept-encoding');

    // The page at "/" too, never cached; a file without a compressed copy goes as it is.
    const index = await raw(base, '/', 'br');
    expect([index.status, index.headers['content-encoding'], index.headers['cache-control']]).toEqual([200, 'br', 'no-cache']);
    expect(String(index.headers['content-type'])).toContain('text/html');
    expect(brotliDecompressSync(index.body).toString()).toBe(PAGE);
    const small = await raw(base, '/js/app.js', 'br');
    expect([small.status, small.headers['content-encoding'], small.body.toString()]).toEqual([200, undefined, 'console.log("xinyuan")']);
  });
});
