import { createTestApp, TEST_DB, type TestApp } from '../create-test-app';

describe('health and errors', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
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
});
