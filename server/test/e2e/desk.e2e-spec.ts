// The committee's desk: content check before review, duplicates, deactivating a
// member, the dashboard and signed export links.
import { FakeClock } from '../../src/common/clock';
import { FakeWechat, wxError } from '../fakes/fake-wechat';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';
import { bj } from '../support';


describe("the committee's desk", () => {
  let t: TestApp;
  let w: World;
  let fake: FakeWechat;
  const tok = (k: keyof World['users']) => t.tokenFor(w.users[k]);
  const step = () => t.clock.advance(10 * 60_000);

  async function submit(over: Record<string, unknown> = {}, by: keyof World['users'] = 'resident') {
    step();
    const r = await t.http.post(
      '/api/wishes',
      { communityId: w.communityA, compoundId: w.compoundA, category: 'repair', title: '楼道灯坏了', description: '请帮忙修一下', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼501', forSelf: over.consentMethod === undefined ? true : undefined, ...over },
      tok(by),
    );
    expect(r.status).toBe(201);
    return r.body.id as number;
  }
  async function move(id: number, action: string, by: keyof World['users'], body: Record<string, unknown> = {}) {
    step();
    const r = await t.http.post(`/api/wishes/${id}/${action}`, body, tok(by));
    expect([action, r.status, r.body?.code]).toEqual([action, 200, undefined]);
    return r.body;
  }
  const queue = async () => (await t.http.get('/api/wishes/review?limit=50', tok('staff'))).body.items as any[];

  beforeAll(async () => {
    fake = await FakeWechat.start({ appId: 'wx00112233aabbccdd', secret: 'desk-secret' });
    t = await createTestApp({ WECHAT_APPID: 'wx00112233aabbccdd', WECHAT_SECRET: 'desk-secret', WECHAT_API_BASE: fake.url, WECHAT_TIMEOUT_MS: '500' }, { clock: new FakeClock(bj('2026-11-23T09:00').getTime()) });
    w = await buildWorld(t.database, t.clock.now());
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  describe('content check (msgSecCheck v2) before the review queue', () => {
    it('checks title and description with the submitter’s openid and marks flagged text for the reviewer, never dropping it', async () => {
      const clean = await submit();
      const risky = await submit({ description: '这里有违禁词请处理' });
      const review = await submit({ title: '可疑词求助' });
      const calls = fake.requestsTo('/wxa/msg_sec_check');
      expect(calls).toHaveLength(3);
      const body = calls[1].body as any;
      expect(body).toMatchObject({ version: 2, scene: 3 });
      expect(body.content).toContain('违禁词');
      const residentOpenid = (await t.http.get('/api/me', tok('resident'))).body.openid;
      if (residentOpenid) expect(body.openid).toBe(residentOpenid);
      expect(typeof body.openid).toBe('string');

      const items = await queue();
      const check = (id: number) => items.find((i) => i.id === id)?.contentCheck;
      expect(check(clean)).toMatchObject({ result: 'pass', label: null });
      expect(check(risky)).toMatchObject({ result: 'risky', label: '违法犯罪' });
      expect(check(review)).toMatchObject({ result: 'review', label: '其他' });
      // The resident never sees the verdict.
      const mine = (await t.http.get(`/api/wishes/${risky}`, tok('resident'))).body;
      expect(mine.contentCheck).toBeNull();
      expect((await t.http.get(`/api/wishes/${risky}`, tok('staff'))).body.contentCheck.result).toBe('risky');
    });

    it('uses the grid worker’s openid for a wish on behalf', async () => {
      const before = fake.requestsTo('/wxa/msg_sec_check').length;
      await submit({ consentMethod: 'verbal' }, 'grid');
      const call = fake.requestsTo('/wxa/msg_sec_check')[before];
      const gridOpenid = (await t.http.get('/api/me', tok('grid'))).body.openid;
      if (gridOpenid) expect((call.body as any).openid).toBe(gridOpenid);
    });

    it('refreshes a rejected token once, and marks the wish unchecked when WeChat fails', async () => {
      fake.expireTokens();
      const ok = await submit();
      fake.secCheckReplies.push(wxError(-1, 'system error'));
      const failed = await submit();
      const items = await queue();
      expect(items.find((i) => i.id === ok).contentCheck.result).toBe('pass');
      expect(items.find((i) => i.id === failed).contentCheck).toMatchObject({ result: 'unchecked', checkedAt: null });
    });
  });

  describe('duplicates', () => {
    it('staff cancel a wish as a duplicate of another in the community, with the link kept', async () => {
      const first = await submit();
      await move(first, 'approve', 'staff');
      const dup = await submit();
      const detail = await move(dup, 'cancel', 'staff', { duplicateOf: first });
      expect(detail.state).toBe('cancelled');
      expect(detail.duplicateOf).toMatchObject({ id: first });
      expect(detail.timeline.at(-1).reason).toContain(detail.duplicateOf.no);
      const line = (await t.http.get(`/api/ledger/wishes/${dup}`, tok('staff'))).body;
      expect(line.duplicateOfId).toBe(first);
    });

    it('refuses a link to itself, to another community, to a cancelled wish, and from a resident', async () => {
      const a = await submit();
      const other = await submit({ communityId: w.communityB, compoundId: w.compoundB });
      const gone = await submit();
      await move(gone, 'cancel', 'resident');
      for (const target of [a, other, gone, 999999]) {
        const r = await t.http.post(`/api/wishes/${a}/cancel`, { duplicateOf: target }, tok('staff'));
        expect([target, r.status, r.body.code]).toEqual([target, 400, 'DUPLICATE_TARGET_INVALID']);
      }
      const r = await t.http.post(`/api/wishes/${a}/cancel`, { duplicateOf: gone }, tok('resident'));
      expect(r.status).toBe(403);
      const bad = await t.http.post(`/api/wishes/${a}/cancel`, { duplicateOf: 'x' }, tok('staff'));
      expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect((await t.http.get(`/api/wishes/${a}`, tok('staff'))).body.state).toBe('pending_review');
    });
  });

  describe('which moves need a reason, as each reader is offered them (reasonRequired)', () => {
    // Typed from DOMAIN.md: the committee's rejection, cancellation, urgent mark and taking a claim
    // back carry a reason; a member giving up their own claim and a resident withdrawing do not.
    it('tells the committee and the claimant apart on the same claimed wish, and the server holds the page to it', async () => {
      const wish = await submit();
      const pending = (await t.http.get(`/api/wishes/${wish}`, tok('staff'))).body;
      expect([...pending.reasonRequired].sort()).toEqual(['cancel', 'mark_urgent', 'reject']);
      expect((await t.http.get(`/api/wishes/${wish}`, tok('resident'))).body).toMatchObject({ actions: ['cancel'], reasonRequired: [] });
      const inQueue = (await queue()).find((i) => i.id === wish);
      expect([...inQueue.reasonRequired].sort()).toEqual(['cancel', 'mark_urgent', 'reject']);

      await move(wish, 'approve', 'staff');
      await move(wish, 'claim', 'member');
      const byStaff = (await t.http.get(`/api/wishes/${wish}`, tok('staff'))).body;
      expect([...byStaff.actions].sort()).toEqual(['cancel', 'release']);
      expect([...byStaff.reasonRequired].sort()).toEqual(['cancel', 'release']);
      const byMember = (await t.http.get(`/api/wishes/${wish}`, tok('member'))).body;
      expect([...byMember.actions].sort()).toEqual(['complete', 'release']);
      expect(byMember.reasonRequired).toEqual([]);

      // What the page now asks for is what the server needs.
      expect((await t.http.post(`/api/wishes/${wish}/release`, {}, tok('staff'))).body.code).toBe('REASON_REQUIRED');
      await move(wish, 'release', 'staff', { reason: '认领人已停用' });
    });
  });

  describe('deactivating a member', () => {
    it('revokes the registration and the grant and returns held wishes to the pool', async () => {
      const reg = await t.http.post('/api/members/registrations', { communityId: w.communityA, realName: '李建国', phone: '13900001111', workUnit: '市供电公司' }, tok('resident2'));
      expect(reg.status).toBe(201);
      await t.http.post(`/api/members/registrations/${reg.body.id}/verify`, {}, tok('staff'));
      const wish = await submit();
      await move(wish, 'approve', 'staff');
      await move(wish, 'claim', 'resident2');

      const noReason = await t.http.post(`/api/members/registrations/${reg.body.id}/deactivate`, {}, tok('staff'));
      expect(noReason.status).toBe(400);
      // Another member does not see the registration at all.
      const byMember = await t.http.post(`/api/members/registrations/${reg.body.id}/deactivate`, { reason: '调离' }, tok('member'));
      expect(byMember.status).toBe(404);

      const r = await t.http.post(`/api/members/registrations/${reg.body.id}/deactivate`, { reason: '工作调离本市' }, tok('staff'));
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ status: 'revoked', revokeReason: '工作调离本市', releasedWishIds: [wish] });
      const d = (await t.http.get(`/api/wishes/${wish}`, tok('staff'))).body;
      expect(d).toMatchObject({ state: 'open', claimant: null });
      expect(d.timeline.at(-1)).toMatchObject({ type: 'release', actorRole: 'community_admin' });
      // No more claims here.
      const again = await submit();
      await move(again, 'approve', 'staff');
      // The deactivation revoked their tokens at once; signed in again, they claim nothing here.
      expect((await t.http.post(`/api/wishes/${again}/claim`, {}, tok('resident2'))).body.code).toBe('TOKEN_REVOKED');
      expect((await t.http.post(`/api/wishes/${again}/claim`, {}, t.tokenFor(w.users.resident2, 1))).status).toBeGreaterThanOrEqual(403);
      const twice = await t.http.post(`/api/members/registrations/${reg.body.id}/deactivate`, { reason: '再次' }, tok('staff'));
      expect([twice.status, twice.body.code]).toEqual([409, 'REGISTRATION_NOT_VERIFIED']);
    });
  });

  describe('dashboard and export links', () => {
    it('the dashboard agrees with the rates and counts every wish of the year', async () => {
      const r = await t.http.get(`/api/ledger/dashboard?scope=community&orgId=${w.communityA}&year=2026`, tok('staff'));
      expect(r.status).toBe(200);
      const rates = (await t.http.get(`/api/ledger/rates?scope=community&orgId=${w.communityA}&from=2026-01-01&to=2026-12-31`, tok('staff'))).body;
      expect(r.body.rates.response).toEqual(rates.response);
      expect(r.body.rates.resolution).toEqual(rates.resolution);
      expect(r.body.monthly.map((m: any) => m.month)).toEqual(['2026-11']);
      const all = (await t.http.get(`/api/ledger/wishes?limit=100&communityId=${w.communityA}`, tok('staff'))).body.items;
      expect(r.body.byState.reduce((a: number, s: any) => a + s.count, 0)).toBe(all.length);
      expect(r.body.funds).toMatchObject({ communities: 1, spentFen: 0 });
      expect(r.body.funds.budgetFen).toBe((await t.http.get(`/api/funds?communityId=${w.communityA}&year=2026`, tok('staff'))).body[0].budgetFen);
      expect((await t.http.get(`/api/ledger/dashboard?scope=community&orgId=${w.communityB}&year=2026`, tok('staff'))).status).toBe(403);
      expect((await t.http.get(`/api/ledger/dashboard?scope=planet&year=2026`, tok('staff'))).status).toBe(400);
    });

    it('a signed link downloads the export without a bearer token, and only for ten minutes', async () => {
      const link = await t.http.post('/api/ledger/export-links', { format: 'csv', communityId: w.communityA }, tok('staff'));
      expect(link.status).toBe(200);
      expect(link.body.url).toMatch(/^\/api\/ledger\/download\?token=/);
      const res = await t.http.get(link.body.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toContain('attachment');
      const lines = String(res.body).trim().split('\r\n');
      const all = (await t.http.get(`/api/ledger/wishes?limit=100&communityId=${w.communityA}`, tok('staff'))).body.items;
      expect(lines).toHaveLength(all.length + 1);
      // The link is not a bearer token, and a bearer token is not a link.
      const token = link.body.url.split('token=').pop();
      expect((await t.http.get('/api/me', token)).status).toBe(401);
      expect((await t.http.get(`/api/ledger/download?token=${tok('staff')}`)).status).toBe(410);
      expect((await t.http.get(`/api/ledger/download?token=${token}x`)).status).toBe(410);
      t.clock.advance(11 * 60_000);
      const late = await t.http.get(link.body.url);
      expect([late.status, late.body.code]).toEqual([410, 'EXPORT_LINK_INVALID']);
      expect((await t.http.post('/api/ledger/export-links', { format: 'pdf' }, tok('staff'))).status).toBe(400);
      expect((await t.http.post('/api/ledger/export-links', { format: 'csv' }, tok('resident'))).status).toBe(403);
    });
  });
});
