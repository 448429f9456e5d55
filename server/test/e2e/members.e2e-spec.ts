import { makePerson } from '../../src/modules/demo/fixtures';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';

describe('member registration (双报到), over HTTP', () => {
  let t: TestApp;
  let w: World;
  let seq = 0;
  const tok = (k: keyof World['users']) => t.tokenFor(w.users[k]);
  const count = async (sql: string, params: unknown[] = []) => Number((await t.database.dataSource.query(sql, params))[0].n);
  const registrations = () => count('SELECT COUNT(*) AS n FROM member_registration');
  const grantsOf = (userId: number) => t.database.dataSource.query(`SELECT role, org_id FROM role_grant WHERE user_id = ? AND revoked_at IS NULL`, [userId]);

  /** A brand-new user: no grants, consented to the privacy notice unless told otherwise. */
  async function freshUser(opts: { consented?: boolean } = {}): Promise<{ id: number; token: string }> {
    seq++;
    const u = await t.database.tx((m) => makePerson(m, t.clock.now(), { openid: `t-fresh-${seq}`, nickname: `新党员${seq}`, grants: [], consented: opts.consented }));
    return { id: u.id, token: t.tokenFor(u.id) };
  }

  /** A registration with the latest fresh user's own phone (one standing registration per phone and community). */
  const regBody = (over: Record<string, unknown> = {}) => ({ communityId: w.communityA, realName: '孙丽', phone: `137${String(seq).padStart(8, '0')}`, workUnit: '市财政局', ...over });

  it('keeps one standing registration per phone and community, found by its keyed hash (the phone is sealed)', async () => {
    const a = await freshUser();
    const first = await register(a.token, { phone: '13698765432' });
    const b = await freshUser();
    const same = await t.http.post('/api/members/registrations', regBody({ phone: '13698765432' }), b.token);
    expect([same.status, same.body.code]).toEqual([409, 'REGISTRATION_EXISTS']);
    // Another community, or once the first is refused: fine.
    expect((await t.http.post('/api/members/registrations', regBody({ phone: '13698765432', communityId: w.communityB }), b.token)).status).toBe(201);
    expect((await t.http.post(`/api/members/registrations/${first.id}/refuse`, { reason: '信息不符' }, tok('staff'))).status).toBe(200);
    expect((await t.http.post('/api/members/registrations', regBody({ phone: '13698765432' }), b.token)).status).toBe(201);
    const stored = await t.database.dataSource.query(`SELECT real_name, phone, phone_hash FROM member_registration WHERE id = ?`, [first.id]);
    expect(JSON.stringify(stored)).not.toMatch(/13698765432|孙丽/);
    expect(stored[0].phone_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  async function register(token: string, over: Record<string, unknown> = {}) {
    const r = await t.http.post('/api/members/registrations', regBody(over), token);
    expect(r.status).toBe(201);
    return r.body;
  }

  /** An open tier-1 wish of community A. */
  async function openWish(): Promise<number> {
    const s = await t.http.post(
      '/api/wishes',
      { communityId: w.communityA, compoundId: w.compoundA, category: 'repair', title: '楼道灯坏了', description: '楼道灯不亮。', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼2单元501', forSelf: true },
      tok('resident'),
    );
    expect(s.status).toBe(201);
    const a = await t.http.post(`/api/wishes/${s.body.id}/approve`, {}, tok('staff'));
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ state: 'open', tier: 1 });
    return s.body.id;
  }

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildWorld(t.database, t.clock.now());
  });
  afterAll(() => t.close());

  it('registers a fresh user, who can claim only once the community staff verify them', async () => {
    const u = await freshUser();
    const wishId = await openWish();

    const reg = await register(u.token, { phone: '13712345678' });
    expect(reg).toEqual({
      id: expect.any(Number),
      userId: u.id,
      communityId: w.communityA,
      communityName: '北小街社区',
      realName: '孙丽',
      phone: '13712345678',
      workUnit: '市财政局',
      status: 'pending',
      createdAt: t.clock.now().toISOString(),
      reviewedAt: null,
      refuseReason: null,
      revokeReason: null,
      revokedAt: null,
    });
    const mine = await t.http.get('/api/members/registrations/mine', u.token);
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual([reg]);

    // Pending is not verified: the wish is out of reach, and the wall is closed.
    const early = await t.http.post(`/api/wishes/${wishId}/claim`, {}, u.token);
    expect(early.status).toBe(404);
    expect(early.body.code).toBe('WISH_NOT_FOUND');
    expect((await t.http.get(`/api/wishes/${wishId}`, u.token)).status).toBe(404);
    const wall = await t.http.get('/api/wishes/wall', u.token);
    expect(wall.status).toBe(403);
    expect(wall.body.code).toBe('MEMBER_NOT_VERIFIED');
    expect(await count(`SELECT COUNT(*) AS n FROM wish_event WHERE wish_id = ? AND type = 'claim'`, [wishId])).toBe(0);
    expect((await t.http.get('/api/me', u.token)).body.roles).toEqual([]);

    // The committee of another community may neither list nor see it (a registration it may not see does not exist for it).
    const listB = await t.http.get(`/api/members/registrations?communityId=${w.communityA}`, tok('staffB'));
    expect(listB.status).toBe(403);
    expect(listB.body.code).toBe('FORBIDDEN');
    const verifyB = await t.http.post(`/api/members/registrations/${reg.id}/verify`, {}, tok('staffB'));
    expect(verifyB.status).toBe(404);
    expect(verifyB.body.code).toBe('REGISTRATION_NOT_FOUND');
    const refuseB = await t.http.post(`/api/members/registrations/${reg.id}/refuse`, { reason: '不认识' }, tok('staffB'));
    expect(refuseB.status).toBe(404);
    expect(refuseB.body.code).toBe('REGISTRATION_NOT_FOUND');
    // Nor a grid worker of A (registrations are the committee's), whatever the body.
    expect((await t.http.post(`/api/members/registrations/${reg.id}/refuse`, { reason: 42 }, tok('grid'))).body.code).toBe('REGISTRATION_NOT_FOUND');
    expect((await t.http.get(`/api/members/registrations?communityId=${w.communityA}`, tok('grid'))).status).toBe(403);
    // The applicant sees their own but may not decide it; a member of A does not see it.
    expect((await t.http.post(`/api/members/registrations/${reg.id}/verify`, {}, u.token)).body.code).toBe('FORBIDDEN');
    expect((await t.http.post(`/api/members/registrations/${reg.id}/verify`, {}, tok('member'))).status).toBe(404);
    expect((await t.http.get(`/api/members/registrations?communityId=${w.communityA}`, tok('member'))).status).toBe(403);
    expect((await t.http.get('/api/members/registrations/mine', u.token)).body[0].status).toBe('pending');
    expect(await grantsOf(u.id)).toEqual([]);

    // Staff of A see it among the pending ones and verify it.
    const pending = await t.http.get(`/api/members/registrations?communityId=${w.communityA}&status=pending`, tok('staff'));
    expect(pending.status).toBe(200);
    expect(pending.body.map((r: any) => r.id)).toContain(reg.id);
    for (const r of pending.body) expect(r).toMatchObject({ communityId: w.communityA, status: 'pending' });
    const verifiedList = (await t.http.get(`/api/members/registrations?communityId=${w.communityA}&status=verified`, tok('staff'))).body;
    expect(verifiedList.map((r: any) => r.id)).not.toContain(reg.id);

    t.clock.advance(60_000);
    const v = await t.http.post(`/api/members/registrations/${reg.id}/verify`, {}, tok('staff'));
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({ id: reg.id, status: 'verified', reviewedAt: t.clock.now().toISOString(), refuseReason: null });
    const row = (await t.database.dataSource.query('SELECT status, reviewed_by FROM member_registration WHERE id = ?', [reg.id]))[0];
    expect({ status: row.status, reviewedBy: Number(row.reviewed_by) }).toEqual({ status: 'verified', reviewedBy: w.users.staff });

    // Now a member of A: the grant shows in /api/me, and the claim goes through.
    const me = await t.http.get('/api/me', u.token);
    expect(me.body.roles).toEqual([{ role: 'member', orgId: w.communityA, orgName: '北小街社区', orgKind: 'community' }]);
    expect((await t.http.get('/api/members/registrations/mine', u.token)).body).toEqual([expect.objectContaining({ id: reg.id, status: 'verified' })]);
    expect((await t.http.get(`/api/members/registrations?communityId=${w.communityA}&status=pending`, tok('staff'))).body.map((r: any) => r.id)).not.toContain(reg.id);
    const wallNow = await t.http.get('/api/wishes/wall?limit=50', u.token);
    expect(wallNow.status).toBe(200);
    expect(wallNow.body.items.map((x: any) => x.id)).toContain(wishId);
    const claim = await t.http.post(`/api/wishes/${wishId}/claim`, {}, u.token);
    expect(claim.status).toBe(200);
    expect(claim.body).toMatchObject({ state: 'claimed', claimant: { id: u.id } });
    expect(claim.body.timeline.at(-1)).toMatchObject({ type: 'claim', actorRole: 'member' });
  });

  it('refuses a second registration at the same community, and a second decision', async () => {
    const u = await freshUser();
    const reg = await register(u.token);
    const before = await registrations();
    const again = await t.http.post('/api/members/registrations', regBody({ realName: '孙丽丽' }), u.token);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('REGISTRATION_EXISTS');
    expect(await registrations()).toBe(before);

    expect((await t.http.post(`/api/members/registrations/${reg.id}/verify`, {}, tok('staff'))).status).toBe(200);
    const twice = await t.http.post(`/api/members/registrations/${reg.id}/verify`, {}, tok('staff'));
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('REGISTRATION_NOT_PENDING');
    const refuseLate = await t.http.post(`/api/members/registrations/${reg.id}/refuse`, { reason: '信息有误' }, tok('staff'));
    expect(refuseLate.status).toBe(409);
    expect(refuseLate.body.code).toBe('REGISTRATION_NOT_PENDING');
    // Once verified, registering again at A is still refused; one grant only.
    const third = await t.http.post('/api/members/registrations', regBody(), u.token);
    expect(third.status).toBe(409);
    expect(third.body.code).toBe('REGISTRATION_EXISTS');
    const row = (await t.database.dataSource.query('SELECT status, reviewed_by FROM member_registration WHERE id = ?', [reg.id]))[0];
    expect({ status: row.status, reviewedBy: Number(row.reviewed_by) }).toEqual({ status: 'verified', reviewedBy: w.users.staff });
    expect((await grantsOf(u.id)).map((g: any) => [g.role, Number(g.org_id)])).toEqual([['member', w.communityA]]);

    // A registration at another community is a different one.
    const atB = await t.http.post('/api/members/registrations', regBody({ communityId: w.communityB }), u.token);
    expect(atB.status).toBe(201);
    expect(atB.body).toMatchObject({ communityId: w.communityB, communityName: '礼让街社区', status: 'pending' });
  });

  it('lets exactly one of several simultaneous decisions win', async () => {
    const u = await freshUser();
    const reg = await register(u.token);
    const results = await Promise.all([
      ...Array.from({ length: 4 }, () => t.http.post(`/api/members/registrations/${reg.id}/verify`, {}, tok('staff'))),
      ...Array.from({ length: 4 }, () => t.http.post(`/api/members/registrations/${reg.id}/refuse`, { reason: '重复' }, tok('staff'))),
    ]);
    const wins = results.filter((r) => r.status === 200);
    expect(wins).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200)) expect([r.status, r.body.code]).toEqual([409, 'REGISTRATION_NOT_PENDING']);
    const finalStatus = wins[0].body.status;
    expect((await t.database.dataSource.query('SELECT status FROM member_registration WHERE id = ?', [reg.id]))[0].status).toBe(finalStatus);
    expect(await grantsOf(u.id)).toHaveLength(finalStatus === 'verified' ? 1 : 0);
  });

  it('refuses with a reason the applicant sees; a refused user cannot claim', async () => {
    const u = await freshUser();
    const wishId = await openWish();
    const reg = await register(u.token);

    const noReason = await t.http.post(`/api/members/registrations/${reg.id}/refuse`, {}, tok('staff'));
    expect(noReason.status).toBe(400);
    expect(noReason.body.code).toBe('VALIDATION_FAILED');
    const tooLong = await t.http.post(`/api/members/registrations/${reg.id}/refuse`, { reason: '长'.repeat(201) }, tok('staff'));
    expect(tooLong.status).toBe(400);
    expect((await t.http.get('/api/members/registrations/mine', u.token)).body[0].status).toBe('pending');

    t.clock.advance(60_000);
    const r = await t.http.post(`/api/members/registrations/${reg.id}/refuse`, { reason: '  未查到该党员组织关系  ' }, tok('staff'));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: reg.id, status: 'refused', refuseReason: '未查到该党员组织关系', reviewedAt: t.clock.now().toISOString() });
    expect((await t.http.get('/api/members/registrations/mine', u.token)).body).toEqual([expect.objectContaining({ id: reg.id, status: 'refused', refuseReason: '未查到该党员组织关系' })]);
    expect((await t.http.get(`/api/members/registrations?communityId=${w.communityA}&status=refused`, tok('staff'))).body.map((x: any) => x.id)).toContain(reg.id);

    expect(await grantsOf(u.id)).toEqual([]);
    expect((await t.http.get('/api/me', u.token)).body.roles).toEqual([]);
    const claim = await t.http.post(`/api/wishes/${wishId}/claim`, {}, u.token);
    expect(claim.status).toBe(404);
    expect(claim.body.code).toBe('WISH_NOT_FOUND');
    expect((await t.http.get('/api/wishes/wall', u.token)).status).toBe(403);
    expect(await count(`SELECT COUNT(*) AS n FROM wish_event WHERE wish_id = ? AND type = 'claim'`, [wishId])).toBe(0);
    const verifyLate = await t.http.post(`/api/members/registrations/${reg.id}/verify`, {}, tok('staff'));
    expect(verifyLate.body.code).toBe('REGISTRATION_NOT_PENDING');

    // A refused registration no longer stands: the applicant may apply again.
    const again = await t.http.post('/api/members/registrations', regBody(), u.token);
    expect(again.status).toBe(201);
    expect(again.body.status).toBe('pending');
  });

  it('requires consent to the privacy notice before registering', async () => {
    const u = await freshUser({ consented: false });
    const before = await registrations();
    const r = await t.http.post('/api/members/registrations', regBody(), u.token);
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('CONSENT_REQUIRED');
    expect(await registrations()).toBe(before);
    expect((await t.http.get('/api/members/registrations/mine', u.token)).body).toEqual([]);
  });

  it('refuses bad bodies with 400 VALIDATION_FAILED and stores nothing', async () => {
    const u = await freshUser();
    const before = await registrations();
    const { realName: _omit, ...noName } = regBody();
    const cases: unknown[] = [
      { ...regBody(), extra: 1 },
      { ...regBody(), isAdmin: true },
      { ...regBody(), phone: '12345' },
      { ...regBody(), phone: '0971-8123456' },
      { ...regBody(), phone: 13712345678 },
      noName,
      { ...regBody(), realName: '孙' },
      { ...regBody(), realName: 'a'.repeat(21) },
      { ...regBody(), realName: '孙\u0000丽' },
      { ...regBody(), workUnit: '' },
      { ...regBody(), communityId: String(w.communityA) },
      { ...regBody(), communityId: 0 },
      {},
    ];
    for (const body of cases) {
      const r = await t.http.post('/api/members/registrations', body, u.token);
      expect([r.status, r.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(r.body.details).toEqual(expect.arrayContaining([expect.any(String)]));
    }
    const broken = await t.http.request('POST', '/api/members/registrations', { token: u.token, raw: '{"communityId":', headers: { 'content-type': 'application/json' } });
    expect([broken.status, broken.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(await registrations()).toBe(before);
    expect((await t.http.get('/api/members/registrations/mine', u.token)).body).toEqual([]);

    // Bad ids and queries on the staff side.
    expect((await t.http.post('/api/members/registrations/abc/verify', {}, tok('staff'))).body.code).toBe('VALIDATION_FAILED');
    expect((await t.http.get('/api/members/registrations', tok('staff'))).body.code).toBe('VALIDATION_FAILED');
    expect((await t.http.get(`/api/members/registrations?communityId=${w.communityA}&status=maybe`, tok('staff'))).status).toBe(400);
    const gone = await t.http.post('/api/members/registrations/99999999/verify', {}, tok('staff'));
    expect([gone.status, gone.body.code]).toEqual([404, 'REGISTRATION_NOT_FOUND']);
    expect((await t.http.post('/api/members/registrations', regBody(), undefined)).status).toBe(401);
    expect(await registrations()).toBe(before);
  });

  it('answers an unknown community, or an organisation that is not a community, with 404 ORG_NOT_FOUND', async () => {
    const u = await freshUser();
    const before = await registrations();
    for (const communityId of [99999999, w.compoundA, w.streetId, w.unitId]) {
      const r = await t.http.post('/api/members/registrations', regBody({ communityId }), u.token);
      expect([r.status, r.body.code]).toEqual([404, 'ORG_NOT_FOUND']);
    }
    expect(await registrations()).toBe(before);
  });
});
