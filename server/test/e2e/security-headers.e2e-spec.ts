// Security headers on every response, a content security policy the H5 build works under
// (checked in a real browser by the mini-program's browser tests), and the API documents
// only where configured.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inlineScriptHashes } from '../../src/common/http/security-headers';
import { createTestApp, type TestApp } from '../create-test-app';

const INLINE = "!function(w){w.document.documentElement.style.fontSize='20px'}(window);";
const PAGE = `<!doctype html><html><head><script>${INLINE}</script><script defer src="/js/app.js"></script></head><body><div id="app"></div></body></html>`;

describe('security headers', () => {
  let t: TestApp;
  let docsOff: TestApp;
  let web: string;

  beforeAll(async () => {
    web = mkdtempSync(join(tmpdir(), 'xinyuan-web-'));
    mkdirSync(join(web, 'js'));
    writeFileSync(join(web, 'index.html'), PAGE);
    writeFileSync(join(web, 'js', 'app.js'), 'console.log(1)');
    t = await createTestApp({ API_DOCS: 'true', WEB_DIR: web });
    docsOff = await createTestApp({ API_DOCS: 'false' });
  });
  afterAll(async () => {
    await t?.close();
    await docsOff?.close();
    rmSync(web, { recursive: true, force: true });
  });

  it('hashes exactly the inline scripts of a page', () => {
    const sha = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
    expect(inlineScriptHashes(PAGE)).toEqual([sha(INLINE)]);
    expect(inlineScriptHashes('<script src="/a.js"></script><script type="module">\n</script>')).toEqual([]);
  });

  it('sends the headers on the API, its errors and the H5 page', async () => {
    for (const path of ['/api/health', '/api/me', '/api/no-such-route', '/', '/js/app.js']) {
      const r = await fetch(t.baseUrl + path);
      await r.arrayBuffer();
      const h = r.headers;
      expect([path, h.get('x-content-type-options')]).toEqual([path, 'nosniff']);
      expect(h.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(h.get('referrer-policy')).toBe('no-referrer');
      expect(h.get('strict-transport-security')).toMatch(/^max-age=\d+/);
      expect(h.get('cross-origin-opener-policy')).toBe('same-origin');
      const csp = h.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    }
  });

  it("allows the H5 page's own inline script by its hash, and nothing else inline", async () => {
    const csp = (await fetch(t.baseUrl + '/')).headers.get('content-security-policy') ?? '';
    const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
    expect(scriptSrc).toBe(`script-src 'self' 'sha256-${createHash('sha256').update(INLINE).digest('base64')}'`);
  });

  it('serves the API documents only where API_DOCS is on, with a policy their UI works under', async () => {
    const on = await fetch(t.baseUrl + '/api/docs');
    expect(on.status).toBe(200);
    expect(on.headers.get('content-security-policy')).toContain("script-src 'self' 'unsafe-inline'");
    expect((await fetch(t.baseUrl + '/api/docs-json')).status).toBe(200);
    for (const path of ['/api/docs', '/api/docs-json']) {
      const off = await fetch(docsOff.baseUrl + path);
      expect(off.status).toBe(404);
      expect(((await off.json()) as { code: string }).code).toBe('ROUTE_NOT_FOUND');
    }
  });
});
