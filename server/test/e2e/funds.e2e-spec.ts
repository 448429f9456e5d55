// The service fund (服务群众专项经费): budgets per community and year, costs reported with
// completions and approved by the community committee (four eyes: never by who reported it or
// submitted the wish), spends above the remaining budget approved or refused by the street, and
// who sees what.
import type { CommunityClass } from '@xinyuan/shared';
import { FakeClock } from '../../src/common/clock';
import { makeOrg, makePerson } from '../../src/modules/demo/fixtures';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';
import { bj } from '../support';

/** Beijing wall time. */
const YEAR = 2026;

describe('service funds', () => {
  let t: TestApp;
  let w: World;
  /** Communities by class (A: w.communityB, B: w.communityA, C and D made here) with their staff and a second committee member who approves. */
  const community: Record<CommunityClass, { id: number; staff: number; approver: number }> = {} as never;
  /** A second street in the district, with one class-C community. */
  let other: { streetId: number; communityId: number; street: number; staff: number };
  const tok = (userId: number) => t.tokenFor(userId);
  const q = (sql: string, params: unknown[] = []) => t.database.dataSource.query(sql, params);
  const count = async (sql: string, params: unknown[] = []) => Number((await q(sql, params))[0].n);
  const put = (path: string, body: unknown, token: string) => t.http.request('PUT', path, { body, token });
  const spendsOf = async (wishId: number) =>
    (await q(`SELECT community_id, year, amount_fen, status, created_by, created_at FROM fund_spend WHERE wish_id = ? ORDER BY id`, [wishId])).map((r: any) => ({
      communityId: Number(r.community_id),
      year: Number(r.year),
      amountFen: Number(r.amount_fen),
      status: r.status,
      createdBy: Number(r.created_by),
      at: t.database.readTime(r.created_at)!.toISOString(),
    }));
  const fund = async (communityId: number, token: string, year = YEAR) => {
    const r = await t.http.get(`/api/funds?communityId=${communityId}&year=${year}`, token);
    expect(r.status).toBe(200);
    expect(r.body).toHaveLength(1);
    return r.body[0];
  };

  /** A wish claimed at tier 2 by a community's committee member, ready to complete (written directly). */
  async function claimedWish(communityId: number, claimant: number, streetId = w.streetId, submitter = w.users.resident): Promise<number> {
    const now = t.database.time(t.clock.now());
    await q(
      `INSERT INTO wish (district_id, street_id, community_id, category, \`sensitive\`, title, description, beneficiary_name, beneficiary_phone, address,
                         submitter_id, on_behalf, state, tier, urgent, claimant_id, claimant_role, claimant_org_id, claimed_at, published_at, version, created_at, updated_at)
       VALUES (?, ?, ?, 'repair', 0, '楼道灯坏了', '请帮忙修一下', '王秀兰', '13812341234', '3号楼501', ?, 0, 'claimed', 2, 0, ?, 'community_admin', ?, ?, ?, 0, ?, ?)`,
      [w.districtId, streetId, communityId, submitter, claimant, communityId, now, now, now, now],
    );
    return Number((await q(`SELECT MAX(id) AS id FROM wish`))[0].id);
  }
  const complete = (id: number, by: number, costFen?: number) => t.http.post(`/api/wishes/${id}/complete`, { note: '已办结', ...(costFen !== undefined ? { costFen } : {}) }, tok(by));
  const spendIdOf = async (wishId: number) => Number((await q(`SELECT id FROM fund_spend WHERE wish_id = ? ORDER BY id DESC`, [wishId]))[0].id);
  const decide = (wishOrSpend: { spend: number }, act: 'approve' | 'refuse', by: number, reason = '超出年度预算') =>
    t.http.post(`/api/funds/spends/${wishOrSpend.spend}/${act}`, act === 'refuse' ? { reason } : {}, tok(by));

  beforeAll(async () => {
    t = await createTestApp({}, { clock: new FakeClock(bj('2026-11-27T10:00').getTime()) });
    w = await buildWorld(t.database, t.clock.now());
    await t.database.tx(async (m) => {
      const now = t.clock.now();
      const approver = async (cls: string, orgId: number) => (await makePerson(m, now, { openid: `t-fund-approver-${cls}`, nickname: `${cls}社区副书记`, grants: [{ role: 'community_admin', orgId }] })).id;
      community.B = { id: w.communityA, staff: w.users.staff, approver: await approver('B', w.communityA) };
      community.A = { id: w.communityB, staff: w.users.staffB, approver: await approver('A', w.communityB) };
      for (const cls of ['C', 'D'] as const) {
        const c = await makeOrg(m, now, 'community', `${cls}类社区`, w.streetId, cls);
        const staff = await makePerson(m, now, { openid: `t-fund-staff-${cls}`, nickname: `${cls}社区书记`, grants: [{ role: 'community_admin', orgId: c.id }] });
        community[cls] = { id: c.id, staff: staff.id, approver: await approver(cls, c.id) };
      }
      const street = await makeOrg(m, now, 'street', '东关街道', w.districtId);
      const c = await makeOrg(m, now, 'community', '东关社区', street.id, 'C');
      const handler = await makePerson(m, now, { openid: 't-fund-street-2', nickname: '东关马上办', grants: [{ role: 'street_handler', orgId: street.id }] });
      const staff = await makePerson(m, now, { openid: 't-fund-staff-2', nickname: '东关书记', grants: [{ role: 'community_admin', orgId: c.id }] });
      other = { streetId: street.id, communityId: c.id, street: handler.id, staff: staff.id };
    });
  });
  afterAll(() => t.close());

  describe('budgets', () => {
    it("gives each community its class's yearly fund when no budget is set", async () => {
      const r = await t.http.get(`/api/funds?year=${YEAR}`, tok(w.users.city));
      expect(r.status).toBe(200);
      const byId = new Map(r.body.map((f: any) => [f.communityId, f]));
      const expected: Record<CommunityClass, number> = { A: 15_000_000, B: 30_000_000, C: 15_000_000, D: 10_000_000 };
      for (const cls of ['A', 'B', 'C', 'D'] as const) {
        expect(byId.get(community[cls].id)).toEqual({
          communityId: community[cls].id,
          communityName: expect.any(String),
          communityClass: cls,
          year: YEAR,
          budgetFen: expected[cls],
          budgetSource: 'class_default',
          spentFen: 0,
          pendingFen: 0,
          remainingFen: expected[cls],
          updatedBy: null,
          updatedAt: null,
        });
      }
      // Without a year: the current Beijing year.
      t.clock.set(bj('2027-01-01T00:30'));
      expect((await t.http.get(`/api/funds?communityId=${community.D.id}`, tok(w.users.city))).body[0].year).toBe(2027);
      t.clock.set(bj('2026-11-27T10:00'));
    });

    it("lets a city admin set a community's budget for a year, keeping who changed it from what to what", async () => {
      const r = await put(`/api/funds/${community.C.id}/2027`, { budgetFen: 20_000_000 }, tok(w.users.city));
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ communityId: community.C.id, year: 2027, budgetFen: 20_000_000, budgetSource: 'set', remainingFen: 20_000_000, updatedBy: w.users.city });
      expect(Date.parse(r.body.updatedAt)).toBe(bj('2026-11-27T10:00').getTime());
      expect((await put(`/api/funds/${community.C.id}/2027`, { budgetFen: 18_000_000 }, tok(w.users.city))).body.budgetFen).toBe(18_000_000);

      expect(await fund(community.C.id, tok(w.users.city), 2027)).toMatchObject({ budgetFen: 18_000_000, budgetSource: 'set' });
      // Another year keeps the class default.
      expect(await fund(community.C.id, tok(w.users.city), 2026)).toMatchObject({ budgetFen: 15_000_000, budgetSource: 'class_default' });
      const history = await q(`SELECT from_fen, to_fen, changed_by FROM fund_budget_change WHERE community_id = ? AND year = 2027 ORDER BY id`, [community.C.id]);
      expect(history.map((h: any) => [Number(h.from_fen), Number(h.to_fen), Number(h.changed_by)])).toEqual([
        [15_000_000, 20_000_000, w.users.city],
        [20_000_000, 18_000_000, w.users.city],
      ]);
    });

    it('refuses budget edits by anyone but a city admin, and bad input, storing nothing', async () => {
      const before = await count(`SELECT COUNT(*) AS n FROM fund_budget_change`);
      const path = `/api/funds/${community.B.id}/${YEAR}`;
      for (const who of [w.users.staff, w.users.street, w.users.resident, w.users.member]) {
        const r = await put(path, { budgetFen: 1 }, tok(who));
        expect([r.status, r.body.code]).toEqual([403, 'FORBIDDEN']);
      }
      for (const body of [{ budgetFen: -1 }, { budgetFen: 1.5 }, { budgetFen: '100' }, { budgetFen: 1_000_000_001 }, {}, { budgetFen: 1, extra: 1 }]) {
        const r = await put(path, body, tok(w.users.city));
        expect([r.status, r.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      }
      for (const p of [`/api/funds/${community.B.id}/1999`, `/api/funds/${community.B.id}/20x6`, `/api/funds/0/${YEAR}`, `/api/funds/abc/${YEAR}`]) {
        const r = await put(p, { budgetFen: 1 }, tok(w.users.city));
        expect([r.status, r.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      }
      // Not a community: a street, and an id that does not exist.
      for (const id of [w.streetId, 999_999]) expect((await put(`/api/funds/${id}/${YEAR}`, { budgetFen: 1 }, tok(w.users.city))).body.code).toBe('ORG_NOT_FOUND');
      expect((await put(path, { budgetFen: 1 }, '')).status).toBe(401);
      expect(await count(`SELECT COUNT(*) AS n FROM fund_budget_change`)).toBe(before);
      expect(await fund(community.B.id, tok(w.users.city))).toMatchObject({ budgetFen: 30_000_000, budgetSource: 'class_default' });
    });
  });

  describe('spends', () => {
    it('records the cost a completion reports, in the completion’s transaction and Beijing year, waiting for the committee', async () => {
      // The real flow: submitted, approved, claimed by a member, completed with a cost.
      const s = await t.http.post(
        '/api/wishes',
        { communityId: w.communityA, category: 'repair', title: '楼道灯坏了', description: '请帮忙修一下', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼501', forSelf: true },
        tok(w.users.resident),
      );
      const id = s.body.id as number;
      expect((await t.http.post(`/api/wishes/${id}/approve`, {}, tok(w.users.staff))).status).toBe(200);
      expect((await t.http.post(`/api/wishes/${id}/claim`, {}, tok(w.users.member))).status).toBe(200);
      t.clock.set(bj('2026-12-31T23:59'));
      const done = await complete(id, w.users.member, 12_345);
      expect([done.status, done.body.state]).toEqual([200, 'awaiting_confirmation']);

      const [spend] = await spendsOf(id);
      const [event] = await q(`SELECT payload, created_at FROM wish_event WHERE wish_id = ? AND type = 'complete'`, [id]);
      expect(spend).toEqual({ communityId: w.communityA, year: 2026, amountFen: 12_345, status: 'pending_community', createdBy: w.users.member, at: t.database.readTime(event.created_at)!.toISOString() });
      expect(JSON.parse(event.payload)).toMatchObject({ costFen: 12_345 });
      // Reported, not spent: one member cannot spend the fund on their own word.
      expect(await fund(w.communityA, tok(w.users.staff))).toMatchObject({ budgetFen: 30_000_000, spentFen: 0, pendingFen: 12_345, remainingFen: 30_000_000 });
      const [listed] = (await t.http.get(`/api/funds/spends?communityId=${w.communityA}&status=pending_community`, tok(w.users.staff))).body;
      expect(listed).toMatchObject({ wishId: id, status: 'pending_community', actions: ['approve', 'refuse'] });
      const ok = await t.http.post(`/api/funds/spends/${listed.id}/approve`, {}, tok(w.users.staff));
      expect(ok.body).toMatchObject({ status: 'approved', reviewedBy: w.users.staff, decidedBy: w.users.staff, actions: [] });
      expect(await fund(w.communityA, tok(w.users.staff))).toMatchObject({ spentFen: 12_345, pendingFen: 0, remainingFen: 30_000_000 - 12_345 });

      // A minute later it is 2027 in Beijing (still 2026 in UTC).
      t.clock.set(bj('2027-01-01T00:01'));
      const next = await claimedWish(w.communityA, w.users.staff);
      expect((await complete(next, w.users.staff, 100)).status).toBe(200);
      expect((await spendsOf(next))[0]).toMatchObject({ year: 2027, status: 'pending_community' });
      t.clock.set(bj('2026-11-27T10:00'));

      // No cost, or a cost of 0: no spend.
      for (const cost of [undefined, 0]) {
        const wid = await claimedWish(w.communityA, w.users.staff);
        expect((await complete(wid, w.users.staff, cost)).status).toBe(200);
        expect(await spendsOf(wid)).toEqual([]);
      }
    });

    it('stores no spend when the completion fails', async () => {
      const id = await claimedWish(w.communityA, w.users.staff);
      // Bad costs: refused before anything is written.
      for (const costFen of [-1, 1.5, '100', 10_000_001, 'abc']) {
        const r = await t.http.post(`/api/wishes/${id}/complete`, { note: '已办结', costFen }, tok(w.users.staff));
        expect([r.status, r.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      }
      // Not the claimant (a grid worker does not even see the committee's claim); then a wish in the wrong state.
      expect((await complete(id, w.users.grid, 500)).status).toBe(404);
      expect((await complete(id, w.users.staffB, 500)).status).toBe(404);
      const open = await claimedWish(w.communityA, w.users.staff);
      await q(`UPDATE wish SET state = 'open', claimant_id = NULL, claimant_role = NULL WHERE id = ?`, [open]);
      const wrong = await complete(open, w.users.staff, 500);
      expect([wrong.status, wrong.body.code]).toEqual([409, 'TRANSITION_NOT_ALLOWED']);
      expect(await spendsOf(id)).toEqual([]);
      expect(await spendsOf(open)).toEqual([]);

      // The same wish completed five times at once: one completion, one spend. The others lose either
      // before their transaction or at the guarded write after writing their spend, which rolls back.
      const results = await Promise.all(Array.from({ length: 5 }, () => complete(id, w.users.staff, 700)));
      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
      expect((await spendsOf(id)).map((s: { amountFen: number }) => s.amountFen)).toEqual([700]);
      expect(await count(`SELECT COUNT(*) AS n FROM wish_event WHERE wish_id = ? AND type = 'complete'`, [id])).toBe(1);
    });

    it('sends a spend above the remaining budget on to the street: approved counts as spent, refused does not', async () => {
      const D = community.D;
      expect((await put(`/api/funds/${D.id}/${YEAR}`, { budgetFen: 100_000 }, tok(w.users.city))).status).toBe(200);
      const wishes = [await claimedWish(D.id, D.staff), await claimedWish(D.id, D.staff), await claimedWish(D.id, D.staff), await claimedWish(D.id, D.staff)];
      const costs = [60_000, 50_000, 40_000, 1];
      for (let i = 0; i < 3; i++) expect((await complete(wishes[i], D.staff, costs[i])).status).toBe(200);
      const [a, b, c] = await Promise.all(wishes.slice(0, 3).map(async (id) => ({ wish: id, spend: await spendIdOf(id) })));
      expect(await fund(D.id, tok(D.staff))).toMatchObject({ budgetFen: 100_000, spentFen: 0, pendingFen: 150_000, remainingFen: 100_000 });

      // Four eyes: the committee member who reported the cost does not approve it.
      expect([(await decide(a, 'approve', D.staff)).status, (await decide(a, 'approve', D.staff)).body.code]).toEqual([403, 'OWN_HANDLING']);
      // The street and the city see it but it is not theirs to decide yet; outside the street it does not exist.
      for (const who of [w.users.street, w.users.city]) expect([(await decide(a, 'approve', who)).status, (await decide(a, 'approve', who)).body.code]).toEqual([403, 'FORBIDDEN']);
      for (const who of [other.street, community.C.staff, w.users.resident, w.users.grid, w.users.unitAdmin]) {
        const r = await t.http.post(`/api/funds/spends/${a.spend}/approve`, { whatever: [1] }, tok(who));
        expect([r.status, r.body.code]).toEqual([404, 'FUND_SPEND_NOT_FOUND']);
      }
      expect((await t.http.post(`/api/funds/spends/999999/approve`, {}, tok(D.approver))).body.code).toBe('FUND_SPEND_NOT_FOUND');

      // 60,000 fits; 50,000 more would overdraw (110,000 > 100,000): on to the street; 40,000 fits what is left exactly.
      expect((await decide(a, 'approve', D.approver)).body).toMatchObject({ status: 'approved', reviewedBy: D.approver, decidedBy: D.approver });
      expect((await decide(b, 'approve', D.approver)).body).toMatchObject({ status: 'pending_street', reviewedBy: D.approver, decidedBy: null });
      expect((await decide(c, 'approve', D.approver)).body).toMatchObject({ status: 'approved' });
      expect(await fund(D.id, tok(D.staff))).toMatchObject({ spentFen: 100_000, pendingFen: 50_000, remainingFen: 0 });

      const pending = await t.http.get(`/api/funds/spends?communityId=${D.id}&status=pending_street`, tok(w.users.street));
      expect(pending.status).toBe(200);
      expect(pending.body.map((s: any) => [s.wishId, s.actions])).toEqual([[b.wish, ['approve', 'refuse']]]);
      // The street's stage: not the committee's, the city's or another street's.
      for (const who of [D.approver, w.users.city]) expect((await decide(b, 'approve', who)).status).toBe(403);
      expect((await decide(b, 'approve', other.street)).status).toBe(404);
      expect((await t.http.post(`/api/funds/spends/${b.spend}/refuse`, {}, tok(w.users.street))).body.code).toBe('VALIDATION_FAILED');
      expect((await t.http.post(`/api/funds/spends/${b.spend}/refuse`, { reason: '   ' }, tok(w.users.street))).body.code).toBe('VALIDATION_FAILED');
      expect((await t.http.get(`/api/funds/spends?status=spent`, tok(w.users.street))).body.code).toBe('VALIDATION_FAILED');

      const ok = await decide(b, 'approve', w.users.street);
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ id: b.spend, wishId: b.wish, status: 'approved', amountFen: 50_000, reviewedBy: D.approver, decidedBy: w.users.street, reason: null });
      // Decided once.
      for (const act of ['approve', 'refuse'] as const) expect([(await decide(b, act, w.users.street)).status, (await decide(b, act, w.users.street)).body.code]).toEqual([409, 'FUND_SPEND_NOT_PENDING']);
      expect(await fund(D.id, tok(w.users.street))).toMatchObject({ spentFen: 150_000, pendingFen: 0, remainingFen: -50_000 });

      // The fund is overdrawn now: any further cost goes on to the street, which may refuse it.
      expect((await complete(wishes[3], D.staff, costs[3])).status).toBe(200);
      const d = { wish: wishes[3], spend: await spendIdOf(wishes[3]) };
      expect((await decide(d, 'approve', D.approver)).body.status).toBe('pending_street');
      const no = await decide(d, 'refuse', w.users.street, '超出年度预算');
      expect(no.body).toMatchObject({ id: d.spend, status: 'refused', decidedBy: w.users.street, reason: '超出年度预算' });
      expect(await fund(D.id, tok(w.users.street))).toMatchObject({ spentFen: 150_000, pendingFen: 0 });
      // The committee may refuse at its own stage too.
      const e = await claimedWish(D.id, D.staff);
      expect((await complete(e, D.staff, 5)).status).toBe(200);
      expect((await decide({ spend: await spendIdOf(e) }, 'refuse', D.approver, '发票不全')).body).toMatchObject({ status: 'refused', decidedBy: D.approver, reason: '发票不全' });
    });

    it('never lets anyone approve a spend on a wish they submitted', async () => {
      const B = community.B;
      // The approver filed the wish (for a resident); a colleague claimed and completed it.
      const id = await claimedWish(B.id, B.staff, w.streetId, B.approver);
      expect((await complete(id, B.staff, 300)).status).toBe(200);
      const spend = { spend: await spendIdOf(id) };
      const own = await decide(spend, 'approve', B.approver);
      expect([own.status, own.body.code]).toEqual([403, 'OWN_SUBMISSION']);
      expect((await t.http.get(`/api/funds/spends?communityId=${B.id}&status=pending_community`, tok(B.approver))).body.find((s: any) => s.id === spend.spend).actions).toEqual([]);
      expect((await q(`SELECT status FROM fund_spend WHERE id = ?`, [spend.spend]))[0].status).toBe('pending_community');
    });
  });

  describe('scope', () => {
    const ids = (r: { body: { communityId: number }[] }) => r.body.map((f) => f.communityId).sort((x, y) => x - y);

    it('shows community staff their community, a street desk its street, a city admin all', async () => {
      const street = [community.A.id, community.B.id, community.C.id, community.D.id].sort((x, y) => x - y);
      expect(ids(await t.http.get('/api/funds', tok(w.users.staff)))).toEqual([w.communityA]);
      expect(ids(await t.http.get('/api/funds', tok(w.users.street)))).toEqual(street);
      expect(ids(await t.http.get('/api/funds', tok(other.street)))).toEqual([other.communityId]);
      expect(ids(await t.http.get('/api/funds', tok(w.users.city)))).toEqual([...street, other.communityId].sort((x, y) => x - y));

      for (const [who, communityId] of [[w.users.staff, w.communityB], [other.street, w.communityA], [w.users.street, other.communityId]]) {
        const r = await t.http.get(`/api/funds?communityId=${communityId}`, tok(who));
        expect([r.status, r.body.code]).toEqual([403, 'FORBIDDEN']);
      }
      // Grid workers, members, units and branches read no funds.
      for (const who of [w.users.grid, w.users.resident, w.users.member, w.users.unitAdmin, w.users.secretary]) {
        expect((await t.http.get('/api/funds', tok(who))).status).toBe(403);
        expect((await t.http.get('/api/funds/spends', tok(who))).status).toBe(403);
      }
      expect((await t.http.get('/api/funds?communityId=999999', tok(w.users.city))).body.code).toBe('ORG_NOT_FOUND');
      for (const bad of ['year=1999', 'year=abc', 'communityId=0', 'foo=1']) expect((await t.http.get(`/api/funds?${bad}`, tok(w.users.city))).status).toBe(400);
    });

    it('lists spends within the same scope', async () => {
      const x = await claimedWish(other.communityId, other.staff, other.streetId);
      expect((await complete(x, other.staff, 999)).status).toBe(200);
      const mine = (await t.http.get('/api/funds/spends', tok(other.staff))).body;
      expect(mine.map((s: any) => [s.wishId, s.amountFen, s.status, s.wishTitle])).toEqual([[x, 999, 'pending_community', '楼道灯坏了']]);
      expect((await t.http.get('/api/funds/spends', tok(w.users.street))).body.some((s: any) => s.wishId === x)).toBe(false);
      expect((await t.http.get('/api/funds/spends', tok(w.users.city))).body.some((s: any) => s.wishId === x)).toBe(true);
      const staffA = (await t.http.get(`/api/funds/spends?year=${YEAR}`, tok(w.users.staff))).body;
      expect(staffA.length).toBeGreaterThan(0);
      expect(staffA.every((s: any) => s.communityId === w.communityA && s.year === YEAR)).toBe(true);
      expect((await t.http.get(`/api/funds/spends?communityId=${w.communityB}`, tok(w.users.staff))).status).toBe(403);
    });
  });

  describe('concurrency', () => {
    /** Reports n costs in the community, then its second committee member approves them all at once; returns the spends' statuses. */
    async function race(c: { id: number; staff: number; approver: number }, n: number, cost: number): Promise<{ approved: number; street: number; count: number }> {
      const wishes: number[] = [];
      for (let i = 0; i < n; i++) wishes.push(await claimedWish(c.id, c.staff));
      expect((await Promise.all(wishes.map((id) => complete(id, c.staff, cost)))).map((r) => r.status)).toEqual(wishes.map(() => 200));
      const spends = await Promise.all(wishes.map(async (id) => ({ spend: await spendIdOf(id) })));
      const results = await Promise.all(spends.map((sp) => decide(sp, 'approve', c.approver)));
      expect(results.map((r) => r.status)).toEqual(spends.map(() => 200));
      const rows = await q(`SELECT status, amount_fen FROM fund_spend WHERE community_id = ? AND year = ?`, [c.id, YEAR]);
      const sum = (status: string) => rows.filter((r: any) => r.status === status).reduce((s: number, r: any) => s + Number(r.amount_fen), 0);
      return { approved: sum('approved'), street: sum('pending_street'), count: rows.length };
    }

    it('never approves more than the budget when many approvals in one community race', async () => {
      const C = community.C;
      const budget = 100_000;
      const cost = 30_000;
      expect((await put(`/api/funds/${C.id}/${YEAR}`, { budgetFen: budget }, tok(w.users.city))).status).toBe(200);
      const r = await race(C, 12, cost);
      expect(r.count).toBe(12);
      expect(r.approved).toBeLessThanOrEqual(budget);
      // Decided one at a time: the first three fit, the rest go on to the street.
      expect(r).toEqual({ approved: 3 * cost, street: 9 * cost, count: 12 });
      expect(await fund(C.id, tok(C.staff))).toMatchObject({ spentFen: 3 * cost, pendingFen: 9 * cost, remainingFen: budget - 3 * cost });
    });

    it('also when the fund has no row yet for the year (the racers create it once)', async () => {
      const A = community.A; // class A: ¥150,000, never set, never spent from
      expect(await count(`SELECT COUNT(*) AS n FROM community_fund WHERE community_id = ?`, [A.id])).toBe(0);
      const r = await race(A, 10, 5_000_000);
      expect(r).toEqual({ approved: 15_000_000, street: 35_000_000, count: 10 });
      expect(await count(`SELECT COUNT(*) AS n FROM community_fund WHERE community_id = ?`, [A.id])).toBe(1);
      // The row made to be locked is not a budget edit.
      expect(await fund(A.id, tok(A.staff))).toMatchObject({ budgetFen: 15_000_000, budgetSource: 'class_default', updatedBy: null, updatedAt: null });
    });
  });
});
