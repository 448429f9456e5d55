import { makePerson } from '../../src/modules/demo/fixtures';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';

describe('regressions found in review', () => {
  let t: TestApp; let w: World; let seq = 0;
  const fresh = async () => { const u = await t.database.tx((m) => makePerson(m, t.clock.now(), { openid: `b-${++seq}`, nickname: 'x', grants: [] })); return { id: u.id, token: t.tokenFor(u.id) }; };
  const regBody = (over: Record<string, unknown> = {}) => ({ communityId: w.communityA, realName: '孙丽', phone: '13712345678', workUnit: '市财政局', ...over });
  beforeAll(async () => { t = await createTestApp(); w = await buildWorld(t.database, t.clock.now()); });
  afterAll(() => t.close());

  it('BUG1: stores one registration when the same user registers twice at once', async () => {
    const u = await fresh();
    const results = await Promise.all(Array.from({ length: 10 }, () => t.http.post('/api/members/registrations', regBody(), u.token)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const n = Number((await t.database.dataSource.query('SELECT COUNT(*) AS n FROM member_registration WHERE user_id = ?', [u.id]))[0].n);
    expect(n).toBe(1);
  });
  it('BUG2: refuses a realName / workUnit of only spaces', async () => {
    const u = await fresh();
    const r = await t.http.post('/api/members/registrations', regBody({ realName: '   ', workUnit: '   ' }), u.token);
    expect([r.status, r.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
  it('BUG3: refuses a refusal whose reason is only spaces or has control characters', async () => {
    for (const reason of ['   ', 'a\u0000b', '\u001b[31m红字']) {
      const u = await fresh();
      const reg = (await t.http.post('/api/members/registrations', regBody(), u.token)).body;
      const r = await t.http.post(`/api/members/registrations/${reg.id}/refuse`, { reason }, t.tokenFor(w.users.staff));
      expect([JSON.stringify(reason), r.status]).toEqual([JSON.stringify(reason), 400]);
    }
  });
  it("BUG5: a POST with a JSON content type and no body (WeChat's request() sends one) is a request without a body, not a 400", async () => {
    const u = await fresh();
    const post = (path: string, body = '') => fetch(t.baseUrl + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${u.token}` }, body });
    const renewed = await post('/api/auth/refresh');
    expect(renewed.status).toBe(200);
    // A route that needs a body still says which fields are missing.
    const submit = await post('/api/wishes');
    expect([submit.status, ((await submit.json()) as { code: string }).code]).toEqual([400, 'VALIDATION_FAILED']);
    // Blank text is no body either; anything else must be JSON.
    expect((await post('/api/auth/refresh', '  \n')).status).toBe(200);
    expect((await post('/api/auth/refresh', 'x')).status).toBe(400);
  });
});

describe('demo seed', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp({ SEED_DEMO: 'true' }); });
  afterAll(() => t.close());
  it('BUG4: every community-level actor in the demo ledger holds that role in the wish\'s community', async () => {
    const bad = await t.database.dataSource.query(`
      SELECT w.id, w.community_id, e.type, e.actor_id, e.actor_role FROM wish_event e JOIN wish w ON w.id = e.wish_id
       WHERE e.actor_role IN ('community_admin', 'grid_worker', 'member')
         AND NOT EXISTS (SELECT 1 FROM role_grant g WHERE g.user_id = e.actor_id AND g.role = e.actor_role AND g.org_id = w.community_id)`);
    expect(bad.map((r: any) => `${r.type} of wish ${r.id} by ${r.actor_role} ${r.actor_id}`)).toEqual([]);
  });
});
