// The desks of a paired unit and of the street (issue 15): what waits at their tier, what they
// handled, the counts of their home tiles; the community office phone (联系社区) and the call to
// the beneficiary (联系心愿人, the active claimant only); which wishes may be shared.
// Times are worked by hand from the default policy for a class-B community (DOMAIN.md "Windows"):
// published Mon 2026-11-23 10:00, tier 1 ends Tue 10:00, tier 2 Wed 10:00, tier 3 Thu 10:00, tier 4 Thu 14:30.
import { FakeClock } from '../../src/common/clock';
import { DispatchSweeper } from '../../src/modules/wishes/jobs/dispatch.sweeper';
import { makePerson } from '../../src/modules/demo/fixtures';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';
import { bj } from '../support';


describe('the unit desk and the street desk', () => {
  let t: TestApp;
  let w: World;
  let sweeper: DispatchSweeper;
  let unitColleague: number;
  const tok = (k: keyof World['users'] | number) => t.tokenFor(typeof k === 'number' ? k : w.users[k]);
  const get = async (path: string, who: keyof World['users'] | number) => {
    const r = await t.http.get(path, tok(who));
    expect([path, r.status]).toEqual([path, 200]);
    return r.body;
  };
  const post = async (path: string, who: keyof World['users'] | number, body: Record<string, unknown> = {}) => {
    const r = await t.http.post(path, body, tok(who));
    expect([path, r.status, r.body?.code]).toEqual([path, 200, undefined]);
    return r.body;
  };
  const ids = (page: { items: { id: number }[] }) => page.items.map((i) => i.id);
  const sweepAt = async (when: string) => {
    t.clock.set(bj(when));
    await sweeper.sweepOnce();
    await sweeper.sweepOnce();
  };
  async function publish(at: string, over: Record<string, unknown> = {}) {
    t.clock.set(bj(at));
    const r = await t.http.post(
      '/api/wishes',
      { communityId: w.communityA, compoundId: w.compoundA, category: 'repair', title: '楼道灯坏了', description: '请帮忙修一下', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼501', forSelf: true, ...over },
      tok('resident'),
    );
    expect(r.status).toBe(201);
    await post(`/api/wishes/${r.body.id}/approve`, 'staff');
    return r.body.id as number;
  }

  let w3: number; // reaches tier 3, claimed by the unit
  let w5: number; // goes unclaimed through tier 4 (督办), claimed by the street
  let w4: number; // marked urgent: straight to tier 4

  beforeAll(async () => {
    t = await createTestApp({}, { clock: new FakeClock(bj('2026-11-23T09:00').getTime()) });
    w = await buildWorld(t.database, t.clock.now());
    sweeper = t.app.get(DispatchSweeper);
    unitColleague = (await t.database.tx((m) => makePerson(m, t.clock.now(), { openid: 't-unit-2', nickname: '供电公司电工', grants: [{ role: 'unit_admin', orgId: w.unitId }] }))).id;
    w3 = await publish('2026-11-23T10:00');
    w5 = await publish('2026-11-23T10:00', { title: '路灯不亮' });
  });
  afterAll(() => t?.close());

  it('shows the desks a person holds, and nobody else a desk', async () => {
    expect(await get('/api/wishes/desk/counts', 'unitAdmin')).toEqual([{ desk: 'unit', waiting: 0, active: 0, supervised: null }]);
    expect(await get('/api/wishes/desk/counts', 'street')).toEqual([{ desk: 'street', waiting: 0, active: 0, supervised: 0 }]);
    for (const who of ['resident', 'member', 'staff', 'grid', 'secretary', 'city'] as const) expect(await get('/api/wishes/desk/counts', who)).toEqual([]);
    expect((await t.http.get('/api/wishes/desk/queue?desk=unit', tok('staff'))).status).toBe(403);
    expect((await t.http.get('/api/wishes/desk/queue?desk=street', tok('unitAdmin'))).status).toBe(403);
  });

  it('lists tier-3 wishes of the paired community for the unit, oldest first, masked, with the claim window', async () => {
    await sweepAt('2026-11-25T10:00');
    const q = await get('/api/wishes/desk/queue?desk=unit', 'unitAdmin');
    expect(ids(q)).toEqual([w3, w5]);
    expect(q.items[0]).toMatchObject({ tier: 3, state: 'open', masked: true, communityName: '北小街社区', windowEndsAt: '2026-11-26T02:00:00.000Z', dueAt: null });
    expect(q.items[0].beneficiary.phone).toBe('138****1234');
    expect(await get('/api/wishes/desk/counts', 'unitAdmin')).toEqual([{ desk: 'unit', waiting: 2, active: 0, supervised: null }]);
    // Not yet the street's.
    expect(ids(await get('/api/wishes/desk/queue?desk=street', 'street'))).toEqual([]);
  });

  it('claims from the desk: the phone in full and 联系心愿人 for the unit while its claim is active, and for nobody else', async () => {
    const before = await get(`/api/wishes/${w3}`, 'unitAdmin');
    expect([before.masked, before.callBeneficiary, before.actions]).toEqual([true, false, ['claim']]);
    t.clock.set(bj('2026-11-25T11:00'));
    const claimed = await post(`/api/wishes/${w3}/claim`, 'unitAdmin');
    expect([claimed.state, claimed.masked, claimed.beneficiary.phone, claimed.callBeneficiary]).toEqual(['claimed', false, '13812341234', true]);
    // The unit's other admin handles it too (the unit's claim).
    expect((await get(`/api/wishes/${w3}`, unitColleague)).callBeneficiary).toBe(true);
    // The committee reads the phone in full but is not the claimant; the resident is the beneficiary.
    expect((await get(`/api/wishes/${w3}`, 'staff')).callBeneficiary).toBe(false);
    expect((await get(`/api/wishes/${w3}`, 'resident')).callBeneficiary).toBe(false);
    expect((await get(`/api/wishes/${w3}`, 'street')).callBeneficiary).toBe(false);

    expect(await get('/api/wishes/desk/counts', 'unitAdmin')).toEqual([{ desk: 'unit', waiting: 1, active: 1, supervised: null }]);
    expect(ids(await get('/api/wishes/desk/queue?desk=unit', 'unitAdmin'))).toEqual([w5]);
    const handled = await get('/api/wishes/desk/handled?desk=unit', unitColleague);
    expect(ids(handled)).toEqual([w3]);
    expect(handled.items[0]).toMatchObject({ state: 'claimed', masked: false, windowEndsAt: null });
    expect(typeof handled.items[0].dueAt).toBe('string');
  });

  it('assigns to the unit’s own people and completes; the call ends with the claim', async () => {
    const people = await get(`/api/wishes/${w3}/assignees`, 'unitAdmin');
    expect(people.map((p: any) => p.userId).sort()).toEqual([w.users.unitAdmin, unitColleague].sort());
    await post(`/api/wishes/${w3}/assign`, 'unitAdmin', { userId: unitColleague });
    const done = await post(`/api/wishes/${w3}/complete`, unitColleague, { note: '已更换路灯灯泡' });
    expect([done.state, done.callBeneficiary]).toEqual(['awaiting_confirmation', true]);
    expect(ids(await get('/api/wishes/desk/handled?desk=unit&state=awaiting_confirmation', 'unitAdmin'))).toEqual([w3]);
    expect(ids(await get('/api/wishes/desk/handled?desk=unit&state=claimed', 'unitAdmin'))).toEqual([]);
    await post(`/api/wishes/${w3}/confirm`, 'resident', { rating: 'satisfied' });
    const after = await get(`/api/wishes/${w3}`, 'unitAdmin');
    expect([after.state, after.masked, after.callBeneficiary]).toEqual(['resolved', true, false]);
    expect(await get('/api/wishes/desk/counts', 'unitAdmin')).toEqual([{ desk: 'unit', waiting: 1, active: 0, supervised: null }]);
  });

  it('gives the street its tier-4 queue and the red list; the street clears a supervised wish', async () => {
    await sweepAt('2026-11-26T10:00');
    await sweepAt('2026-11-26T14:30');
    t.clock.set(bj('2026-11-26T15:00'));
    w4 = await publish('2026-11-26T15:00', { title: '暖气漏水' });
    await post(`/api/wishes/${w4}/urgent`, 'staff', { reason: '漏水影响楼下' });
    // The unit's tier has passed.
    expect(ids(await get('/api/wishes/desk/queue?desk=unit', 'unitAdmin'))).toEqual([]);
    const q = await get('/api/wishes/desk/queue?desk=street', 'street');
    expect(ids(q)).toEqual([w5, w4]);
    expect(q.items.map((i: any) => [i.tier, i.masked, !!i.supervisedAt])).toEqual([
      [4, true, true],
      [4, true, false],
    ]);
    expect(ids(await get('/api/wishes/supervised', 'street'))).toEqual([w5]);
    expect(await get('/api/wishes/desk/counts', 'street')).toEqual([{ desk: 'street', waiting: 2, active: 0, supervised: 1 }]);

    const claimed = await post(`/api/wishes/${w5}/claim`, 'street');
    expect([claimed.masked, claimed.callBeneficiary]).toEqual([false, true]);
    await post(`/api/wishes/${w5}/complete`, 'street', { note: '街道协调路灯所修复' });
    expect(await get('/api/wishes/desk/counts', 'street')).toEqual([{ desk: 'street', waiting: 1, active: 1, supervised: 0 }]);
    expect(ids(await get('/api/wishes/desk/handled?desk=street', 'street'))).toEqual([w5]);
    expect(ids(await get('/api/wishes/supervised', 'street'))).toEqual([]);
  });

  it('keeps the community office phone: its committee sets it, every reader of a wish sees it; bad input changes nothing', async () => {
    expect((await get(`/api/wishes/${w4}`, 'resident')).officePhone).toBeNull();
    expect(await get('/api/orgs/office-phones', 'staff')).toEqual([{ communityId: w.communityA, communityName: '北小街社区', officePhone: null }]);
    const bad = await t.http.put(`/api/orgs/${w.communityA}/office-phone`, { officePhone: '1234' }, tok('staff'));
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const other = await t.http.put(`/api/orgs/${w.communityA}/office-phone`, { officePhone: '0971-6123456' }, tok('staffB'));
    expect([other.status, other.body.code]).toEqual([403, 'FORBIDDEN']);
    expect((await get(`/api/wishes/${w4}`, 'resident')).officePhone).toBeNull();
    const ok = await t.http.put(`/api/orgs/${w.communityA}/office-phone`, { officePhone: '0971-6123456' }, tok('staff'));
    expect([ok.status, ok.body]).toEqual([200, { communityId: w.communityA, communityName: '北小街社区', officePhone: '0971-6123456' }]);
    for (const who of ['resident', 'street', 'staff'] as const) expect((await get(`/api/wishes/${w4}`, who)).officePhone).toBe('0971-6123456');
    const cleared = await t.http.put(`/api/orgs/${w.communityA}/office-phone`, { officePhone: null }, tok('staff'));
    expect([cleared.status, (await get(`/api/wishes/${w4}`, 'resident')).officePhone]).toEqual([200, null]);
  });

  it('offers sharing for open, non-sensitive wishes only', async () => {
    const open = await publish('2026-11-27T09:00', { title: '帮忙搬家具' });
    expect((await get(`/api/wishes/${open}`, 'member')).shareable).toBe(true);
    expect((await get(`/api/wishes/${open}`, 'resident')).shareable).toBe(true);
    const sensitive = await publish('2026-11-27T09:10', { category: 'health', title: '需要陪同透析', sensitiveConsent: true });
    expect((await get(`/api/wishes/${sensitive}`, 'resident')).shareable).toBe(false);
    expect((await get(`/api/wishes/${w5}`, 'resident')).shareable).toBe(false);
    // A stranger opening a shared wish's link (a member of another community) gets the ordinary 404.
    const stranger = await t.http.get(`/api/wishes/${open}`, tok('memberB'));
    expect([stranger.status, stranger.body.code]).toEqual([404, 'WISH_NOT_FOUND']);
    expect((await t.http.get(`/api/wishes/${open}`)).status).toBe(401);
  });
});
