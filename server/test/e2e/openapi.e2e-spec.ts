import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentOpenApiText } from '../../src/cli';
import { createTestApp, type TestApp } from '../create-test-app';

describe('OpenAPI document', () => {
  it('matches the checked-in server/openapi.json (run `pnpm --filter @xinyuan/server openapi` after API changes)', async () => {
    const onDisk = readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8');
    expect(await currentOpenApiText()).toBe(onDisk);
  });

  describe('served when API_DOCS is on', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ API_DOCS: 'true' });
    });
    afterAll(() => t.close());

    it('as JSON at /api/docs-json and as a page at /api/docs', async () => {
      const json = await t.http.get('/api/docs-json');
      expect(json.status).toBe(200);
      expect(json.body.openapi).toMatch(/^3\./);
      for (const p of ['/api/wishes', '/api/wishes/{id}/claim', '/api/auth/wechat', '/api/photos', '/api/health', '/api/me/consent']) {
        expect(Object.keys(json.body.paths)).toContain(p);
      }
      const page = await t.http.get('/api/docs');
      expect(page.status).toBe(200);
      expect(String(page.body)).toContain('swagger');
    });
  });

  it('is not served when API_DOCS is off (the production default)', async () => {
    const t = await createTestApp();
    try {
      for (const p of ['/api/docs', '/api/docs-json']) expect((await t.http.get(p)).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});
