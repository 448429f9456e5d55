// Integrity flags (诚信预警): one wish per flag, built through the real API and the real sweeper (and
// one old-style row written straight into the tables, as data from before the transitions table forbade
// it), with controls beside each that must not be flagged. Every expected count is typed by hand from
// the scenario, not computed.
import { FakeClock } from '../../src/common/clock';
import { makePerson } from '../../src/modules/demo/fixtures';
import { DispatchSweeper } from '../../src/modules/wishes/jobs/dispatch.sweeper';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, insertWish, type World } from '../factories/world';
import { bj } from '../support';

/** Beijing wall time. */
const MIN = 60_000;

jest.setTimeout(60_000);

describe('integrity flags on the dashboards', () => {
  let t: TestApp;
  let w: World;
  const extra: Record<string, number> = {};
  const ids: Record<string, number> = {};
  const tokOf = (userId: number) => t.tokenFor(userId);
  const tok = (k: keyof World['users'] | string) => tokOf(k in extra ? extra[k] : w.users[k as keyof World['users']]);

  async function submit(by: string, over: Record<string, unknown> = {}) {
    t.clock.advance(MIN);
    const body = { communityId: w.communityA, compoundId: w.compoundA, category: 'repair', title: '楼道灯坏了', description: '请帮忙修一下', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼501', ...over };
    const r = await t.http.post('/api/wishes', { ...(over.consentMethod ? {} : { forSelf: true }), ...body }, tok(by));
    expect([r.status, r.body?.code]).toEqual([201, undefined]);
    return r.body.id as number;
  }
  /** One move, `after` ms after the previous one. */
  async function move(id: number, action: string, by: string, body: Record<string, unknown> = {}, after = MIN) {
    t.clock.advance(after);
    const r = await t.http.post(`/api/wishes/${id}/${action}`, body, tok(by));
    expect([action, r.status, r.body?.code]).toEqual([action, 200, undefined]);
  }
  const flagsOf = async (by: string, qs: string) => {
    const r = await t.http.get(`/api/ledger/integrity?${qs}`, tok(by));
    expect([r.status, r.body?.code]).toEqual([200, undefined]);
    return r.body;
  };
  const listOf = async (by: string, qs: string) => {
    const r = await t.http.get(`/api/ledger/integrity/wishes?${qs}`, tok(by));
    expect([r.status, r.body?.code]).toEqual([200, undefined]);
    return r.body;
  };
  const PERIOD = 'from=2026-11-01&to=2026-12-31';
  const commA = () => `scope=community&orgId=${w.communityA}&${PERIOD}`;
  const street = () => `scope=street&orgId=${w.streetId}&${PERIOD}`;

  beforeAll(async () => {
    t = await createTestApp({}, { clock: new FakeClock(bj('2026-11-23T09:00').getTime()) });
    w = await buildWorld(t.database, t.clock.now());
    // Members of community A with phones of their own (the world's members share the fixtures' default phone).
    await t.database.tx(async (m) => {
      const member = (openid: string, phone: string, name: string) =>
        makePerson(m, t.clock.now(), { openid, nickname: name, phone, grants: [{ role: 'member', orgId: w.communityA }], registration: { communityId: w.communityA, realName: name, workUnit: '市交通局' }, pii: t.database.pii }).then((u) => u.id);
      extra.mP = await member('t-member-p', '13811112222', '党员彭');
      extra.m3 = await member('t-member-3', '13833330003', '党员孙');
      extra.m4 = await member('t-member-4', '13844440004', '党员钱');
    });

    // Monday 23 November: completed, then the resident stays silent; the sweeper resolves it 7 days on.
    ids.silent = await submit('resident');
    await move(ids.silent, 'approve', 'staff');
    await move(ids.silent, 'claim', 'member');
    await move(ids.silent, 'complete', 'member', { note: '已办好' }, 60 * MIN);
    t.clock.set(bj('2026-12-01T09:00'));
    await t.app.get(DispatchSweeper).sweepOnce();

    // Tuesday 1 December.
    ids.confirmed = await submit('resident'); // control: the resident confirms and rates
    await move(ids.confirmed, 'approve', 'staff');
    await move(ids.confirmed, 'claim', 'member');
    await move(ids.confirmed, 'complete', 'member', { note: '已办好' }, 60 * MIN);
    await move(ids.confirmed, 'confirm', 'resident', { rating: 'satisfied' });

    ids.onBehalf = await submit('grid', { consentMethod: 'verbal', beneficiaryName: '马奶奶', beneficiaryPhone: '0971-8123456' });
    await move(ids.onBehalf, 'approve', 'staff');
    await move(ids.onBehalf, 'claim', 'member2');
    await move(ids.onBehalf, 'complete', 'member2', { note: '已办好' }, 60 * MIN);
    await move(ids.onBehalf, 'confirm', 'grid', { rating: 'basically_satisfied', consentMethod: 'written' });

    ids.ownPhone = await submit('resident', { beneficiaryPhone: '13811112222' }); // the member's own phone
    await move(ids.ownPhone, 'approve', 'staff');
    await move(ids.ownPhone, 'claim', 'mP');
    ids.otherPhone = await submit('resident', { beneficiaryPhone: '13811112223' }); // control: one digit off
    await move(ids.otherPhone, 'approve', 'staff');
    await move(ids.otherPhone, 'claim', 'm3');

    ids.twoCycles = await submit('resident');
    await move(ids.twoCycles, 'approve', 'staff');
    await move(ids.twoCycles, 'claim', 'member');
    await move(ids.twoCycles, 'release', 'member');
    await move(ids.twoCycles, 'claim', 'member2');
    await move(ids.twoCycles, 'release', 'member2');
    ids.oneCycle = await submit('resident'); // control: released once, then held
    await move(ids.oneCycle, 'approve', 'staff');
    await move(ids.oneCycle, 'claim', 'member2');
    await move(ids.oneCycle, 'release', 'member2');
    await move(ids.oneCycle, 'claim', 'member');

    ids.nineMin = await submit('resident');
    await move(ids.nineMin, 'approve', 'staff');
    await move(ids.nineMin, 'claim', 'm3');
    await move(ids.nineMin, 'complete', 'm3', { note: '已办好' }, 9 * MIN);
    ids.elevenMin = await submit('resident'); // control
    await move(ids.elevenMin, 'approve', 'staff');
    await move(ids.elevenMin, 'claim', 'm4');
    await move(ids.elevenMin, 'complete', 'm4', { note: '已办好' }, 11 * MIN);

    // Community B (same street): a five-minute completion, for the street's figures.
    ids.quickB = await submit('resident', { communityId: w.communityB, compoundId: w.compoundB });
    await move(ids.quickB, 'approve', 'staffB');
    await move(ids.quickB, 'claim', 'memberB');
    await move(ids.quickB, 'complete', 'memberB', { note: '已办好' }, 5 * MIN);

    // Old-style data: a grid worker's own filing approved by the grid worker (refused by the transitions table today).
    t.clock.advance(MIN);
    const at = t.clock.now();
    ids.selfApproved = await insertWish(t.database, at, { districtId: w.districtId, streetId: w.streetId, communityId: w.communityA, compoundId: w.compoundA, submitterId: w.users.grid, title: '旧数据：自己审核' });
    for (const [type, from, to] of [['submit', null, 'pending_review'], ['approve', 'pending_review', 'open']] as const) {
      await t.database.dataSource.query(`INSERT INTO wish_event (wish_id, type, from_state, to_state, from_tier, to_tier, actor_id, actor_role, created_at) VALUES (?, ?, ?, ?, NULL, 1, ?, 'grid_worker', ?)`, [
        ids.selfApproved, type, from, to, w.users.grid, t.database.time(at),
      ]);
    }
  }, 180_000);
  afterAll(() => t.close());

  it("counts each flag for the committee's community, with its denominator", async () => {
    const r = await flagsOf('staff', commA());
    expect(r).toMatchObject({ scope: 'community', orgId: w.communityA, from: '2026-11-01', to: '2026-12-31', published: 10 });
    const f = Object.fromEntries(r.flags.map((x: any) => [x.code, x]));
    expect(Object.keys(f)).toEqual(['silent_confirmation', 'rating_on_behalf', 'beneficiary_claim', 'claim_cycles', 'quick_completion', 'self_approval']);
    // Resolved: silent, confirmed, onBehalf; one by silence.
    expect(f.silent_confirmation).toEqual({ code: 'silent_confirmation', count: 1, denominator: 3, share: 0.3333, cycles: null, byConsent: null, alarm: false });
    // Ratings: confirmed (the resident's), onBehalf (the grid worker's, written consent).
    expect(f.rating_on_behalf).toEqual({
      code: 'rating_on_behalf', count: 1, denominator: 2, share: 0.5, cycles: null, alarm: false,
      byConsent: [{ method: 'verbal', count: 0 }, { method: 'written', count: 1 }, { method: 'guardian', count: 0 }],
    });
    // Claimed at least once: every wish but the old-style one (9).
    expect(f.beneficiary_claim).toEqual({ code: 'beneficiary_claim', count: 1, denominator: 9, share: 0.1111, cycles: null, byConsent: null, alarm: false });
    expect(f.claim_cycles).toEqual({ code: 'claim_cycles', count: 1, denominator: 9, share: 0.1111, cycles: 2, byConsent: null, alarm: false });
    // Completed at least once: silent, confirmed, onBehalf, nineMin, elevenMin.
    expect(f.quick_completion).toEqual({ code: 'quick_completion', count: 1, denominator: 5, share: 0.2, cycles: null, byConsent: null, alarm: false });
    expect(f.self_approval).toEqual({ code: 'self_approval', count: 1, denominator: 10, share: 0.1, cycles: null, byConsent: null, alarm: true });
  });

  it('links each flag to exactly the wishes behind it, in the ledger list shape', async () => {
    const flagged = async (flag: string, qs = commA()) => (await listOf('staff', `${qs}&flag=${flag}`)).items;
    expect((await flagged('silent_confirmation')).map((i: any) => i.id)).toEqual([ids.silent]);
    expect((await flagged('rating_on_behalf')).map((i: any) => i.id)).toEqual([ids.onBehalf]);
    expect((await flagged('beneficiary_claim')).map((i: any) => i.id)).toEqual([ids.ownPhone]);
    const cycles = await flagged('claim_cycles');
    expect(cycles.map((i: any) => [i.id, i.measure])).toEqual([[ids.twoCycles, 2]]);
    const quick = await flagged('quick_completion');
    expect(quick.map((i: any) => [i.id, i.measure])).toEqual([[ids.nineMin, 9]]);
    expect((await flagged('self_approval')).map((i: any) => i.id)).toEqual([ids.selfApproved]);
    // The ledger's line: what the mini-program opens (GET /ledger/wishes/:id).
    expect(quick[0]).toMatchObject({ id: ids.nineMin, state: 'awaiting_confirmation', communityId: w.communityA, claimant: { id: extra.m3, name: '党员孙' } });
    const detail = await t.http.get(`/api/ledger/wishes/${ids.nineMin}`, tok('staff'));
    expect(detail.status).toBe(200);
  });

  it("gives the street its communities' flags, and pages the lists newest first", async () => {
    const r = await flagsOf('street', street());
    expect(r.published).toBe(11);
    const f = Object.fromEntries(r.flags.map((x: any) => [x.code, x]));
    expect([f.quick_completion.count, f.quick_completion.denominator]).toEqual([2, 6]);
    expect([f.self_approval.count, f.self_approval.alarm]).toEqual([1, true]);
    const p1 = await listOf('street', `${street()}&flag=quick_completion&limit=1`);
    expect(p1.items.map((i: any) => [i.id, i.measure])).toEqual([[ids.quickB, 5]]);
    // The street reads claimants' names masked (access.ts claimantName).
    expect(p1.items[0].claimant.name).not.toBe('党员赵');
    const p2 = await listOf('street', `${street()}&flag=quick_completion&limit=1&cursor=${p1.nextCursor}`);
    expect(p2.items.map((i: any) => i.id)).toEqual([ids.nineMin]);
    const p3 = await listOf('street', `${street()}&flag=quick_completion&limit=1&cursor=${p2.nextCursor}`);
    expect(p3).toEqual({ items: [], nextCursor: null });
    // The city reads it too.
    expect((await flagsOf('city', `scope=community&orgId=${w.communityB}&${PERIOD}`)).published).toBe(1);
  });

  it('counts the wishes published in the period', async () => {
    // The silent one was published on 23 November; the rest on 1 December.
    const r = await flagsOf('staff', `scope=community&orgId=${w.communityA}&from=2026-12-01&to=2026-12-31`);
    const f = Object.fromEntries(r.flags.map((x: any) => [x.code, x]));
    expect([r.published, f.silent_confirmation.count, f.silent_confirmation.denominator]).toEqual([9, 0, 2]);
    const nov = await flagsOf('staff', `scope=community&orgId=${w.communityA}&from=2026-11-01&to=2026-11-30`);
    expect(nov.published).toBe(1);
    expect((await listOf('staff', `scope=community&orgId=${w.communityA}&from=2026-11-01&to=2026-11-30&flag=self_approval`)).items).toEqual([]);
  });

  it('refuses readers outside the scope as the rates do', async () => {
    // Another community's committee: 403 (the organisation is not inside its grant); people without the rates ability: 403.
    for (const [by, qs] of [['staffB', commA()], ['staff', `scope=community&orgId=${w.communityB}&${PERIOD}`], ['staff', street()], ['member', commA()], ['resident', commA()], ['grid', commA()], ['unitAdmin', commA()]] as const) {
      for (const path of ['/api/ledger/integrity', '/api/ledger/integrity/wishes?flag=self_approval']) {
        const r = await t.http.get(`${path}${path.includes('?') ? '&' : '?'}${qs}`, tok(by));
        expect([by, path, r.status, r.body.code]).toEqual([by, path, 403, 'FORBIDDEN']);
      }
    }
    const none = await t.http.get(`/api/ledger/integrity?scope=community&orgId=999999&${PERIOD}`, tok('city'));
    expect([none.status, none.body.code]).toEqual([404, 'ORG_NOT_FOUND']);
    const badFlag = await t.http.get(`/api/ledger/integrity/wishes?${commA()}&flag=everything`, tok('staff'));
    expect([badFlag.status, badFlag.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const anon = await t.http.get(`/api/ledger/integrity?${commA()}`);
    expect(anon.status).toBe(401);
  });
});
