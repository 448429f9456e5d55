import type { CommunityClass } from '@xinyuan/shared';
import { FakeClock } from '../../src/common/clock';
import { makeOrg, makePerson } from '../../src/modules/demo/fixtures';
import { DispatchSweeper } from '../../src/modules/wishes/jobs/dispatch.sweeper';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';
import { bj } from '../support';

/** Beijing wall time. */
const fmt = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('four-level dispatch on a fake clock', () => {
  let t: TestApp;
  let w: World;
  let sweeper: DispatchSweeper;
  const community: Record<CommunityClass, { id: number; staff: number }> = {} as never;
  const tok = (id: number) => t.tokenFor(id);

  const events = async (id: number) =>
    (await t.database.dataSource.query(`SELECT type, from_state, to_state, from_tier, to_tier, actor_role, created_at FROM wish_event WHERE wish_id = ? ORDER BY id`, [id])).map(
      (e: any) => ({ type: e.type, from: Number(e.from_tier), to: Number(e.to_tier), state: e.to_state, role: e.actor_role, at: fmt(t.database.readTime(e.created_at)!) }),
    );
  const wishRow = async (id: number) => (await t.database.dataSource.query(`SELECT state, tier, urgent, next_due_at, window_ends_at, due_at, supervised_at, claimant_id, rating FROM wish WHERE id = ?`, [id]))[0];
  const outbox = async (id: number) =>
    (await t.database.dataSource.query(`SELECT kind, audience_type, tier FROM outbox WHERE wish_id = ? ORDER BY id`, [id])).map((r: any) => `${r.kind}:${r.audience_type}${r.audience_type === 'tier_claimers' ? r.tier : ''}`);
  const sweepAt = async (when: string) => {
    t.clock.set(bj(when));
    return sweeper.sweepOnce();
  };

  async function publish(cls: CommunityClass, at: string, extra: Record<string, unknown> = {}) {
    t.clock.set(bj(at));
    const c = community[cls];
    const r = await t.http.post(
      '/api/wishes',
      { communityId: c.id, category: 'repair', title: '楼道灯坏了', description: '请帮忙修一下', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼501', forSelf: true, ...extra },
      tok(w.users.resident),
    );
    expect(r.status).toBe(201);
    const a = await t.http.post(`/api/wishes/${r.body.id}/approve`, {}, tok(c.staff));
    expect(a.status).toBe(200);
    return r.body.id as number;
  }

  beforeAll(async () => {
    t = await createTestApp({}, { clock: new FakeClock(bj('2026-11-20T09:00').getTime()) });
    w = await buildWorld(t.database, t.clock.now());
    sweeper = t.app.get(DispatchSweeper);
    community.B = { id: w.communityA, staff: w.users.staff };
    community.A = { id: w.communityB, staff: w.users.staffB };
    await t.database.tx(async (m) => {
      for (const cls of ['C', 'D'] as const) {
        const c = await makeOrg(m, t.clock.now(), 'community', `${cls}类社区`, w.streetId, cls);
        const staff = await makePerson(m, t.clock.now(), { openid: `t-staff-${cls}`, nickname: `${cls}社区书记`, grants: [{ role: 'community_admin', orgId: c.id }] });
        community[cls] = { id: c.id, staff: staff.id };
      }
    });
  });
  afterAll(() => t.close());

  // Windows of the default policy, worked by hand on the 2026 calendar (09:00–18:00, Mon 2026-11-23).
  const expected: Record<CommunityClass, string[]> = {
    A: ['2026-11-25 10:00', '2026-11-26 10:00', '2026-11-27 10:00', '2026-11-27 14:30'],
    B: ['2026-11-24 10:00', '2026-11-25 10:00', '2026-11-26 10:00', '2026-11-26 14:30'],
    C: ['2026-11-24 14:30', '2026-11-25 14:30', '2026-11-26 14:30', '2026-11-27 10:00'],
    D: ['2026-11-25 10:00', '2026-11-26 14:30', '2026-11-30 10:00', '2026-12-01 10:00'],
  };

  for (const cls of ['A', 'B', 'C', 'D'] as const) {
    it(`moves an unclaimed class-${cls} wish through all four tiers on working time, then flags it for supervision`, async () => {
      const id = await publish(cls, '2026-11-23T10:00');
      const ends = expected[cls];
      for (let tier = 1; tier <= 4; tier++) {
        const end = bj(ends[tier - 1].replace(' ', 'T'));
        // A minute before the window ends nothing moves...
        t.clock.set(new Date(end.getTime() - 60_000));
        await sweeper.sweepOnce();
        expect(Number((await wishRow(id)).tier)).toBe(tier);
        // ...at its end the wish moves up once (or is flagged at tier 4).
        t.clock.set(end);
        await sweeper.sweepOnce();
        await sweeper.sweepOnce();
      }
      const row = await wishRow(id);
      expect([row.state, Number(row.tier), row.next_due_at]).toEqual(['open', 4, null]);
      expect(fmt(t.database.readTime(row.supervised_at)!)).toBe(ends[3]);
      const ev = (await events(id)).filter((e: any) => e.role === 'system');
      expect(ev).toEqual([
        { type: 'escalate', from: 1, to: 2, state: 'open', role: 'system', at: ends[0] },
        { type: 'escalate', from: 2, to: 3, state: 'open', role: 'system', at: ends[1] },
        { type: 'escalate', from: 3, to: 4, state: 'open', role: 'system', at: ends[2] },
        { type: 'supervise', from: 4, to: 4, state: 'open', role: 'system', at: ends[3] },
      ]);
      // Issue 15: the resident hears of the approval and of each transfer up a tier, the claimers of each tier that it waits for them.
      expect(await outbox(id)).toEqual([
        'approved:user',
        'escalated:tier_claimers1',
        'escalated:tier_claimers2',
        'transferred:user',
        'escalated:tier_claimers3',
        'transferred:user',
        'escalated:tier_claimers4',
        'transferred:user',
        'supervised:district',
      ]);
    });
  }

  it('catches up after downtime: one sweep moves through every tier it missed, at the times it should have', async () => {
    const id = await publish('B', '2026-11-23T10:00');
    await sweepAt('2026-12-10T09:00');
    expect((await events(id)).filter((e: any) => e.role === 'system').map((e: any) => `${e.type}@${e.at}`)).toEqual(
      expected.B.map((at, i) => `${i < 3 ? 'escalate' : 'supervise'}@${at}`),
    );
    // Sweeping again changes nothing.
    await sweepAt('2026-12-11T09:00');
    expect(await events(id)).toHaveLength(6);
  });

  it('skips the National Day holiday and counts the make-up Saturday', async () => {
    const a = await publish('B', '2026-09-30T17:00');
    expect(fmt(t.database.readTime((await wishRow(a)).window_ends_at)!)).toBe('2026-10-08 17:00');
    const b = await publish('B', '2026-10-09T17:00');
    expect(fmt(t.database.readTime((await wishRow(b)).window_ends_at)!)).toBe('2026-10-10 17:00');
    await sweepAt('2026-10-08T16:59');
    expect(Number((await wishRow(a)).tier)).toBe(1);
    await sweepAt('2026-10-08T17:00');
    expect(Number((await wishRow(a)).tier)).toBe(2);
  });

  it('uses the days city admins enter over the package (2027 is not in it yet)', async () => {
    const city = tok(w.users.city);
    expect((await t.http.request('PUT', '/api/dispatch/calendar/2027-01-04', { token: tok(w.users.staff), body: { kind: 'holiday' } })).status).toBe(403);
    const put = await t.http.request('PUT', '/api/dispatch/calendar/2027-01-04', { token: city, body: { kind: 'holiday', note: '元旦调休' } });
    expect(put.body).toEqual({ day: '2027-01-04', kind: 'holiday', note: '元旦调休', source: 'admin', warnings: [] });
    expect((await t.http.request('PUT', '/api/dispatch/calendar/2027-02-30', { token: city, body: { kind: 'holiday' } })).status).toBe(400);
    expect((await t.http.request('PUT', '/api/dispatch/calendar/2027-01-09', { token: city, body: { kind: 'weekend' } })).status).toBe(400);
    await t.http.request('PUT', '/api/dispatch/calendar/2027-01-09', { token: city, body: { kind: 'workday', note: '调休上班' } });
    const year = (await t.http.get('/api/dispatch/calendar?year=2027', city)).body;
    expect(year.filter((d: any) => d.source === 'admin').map((d: any) => d.day)).toEqual(['2027-01-04', '2027-01-09']);
    // Fri 2027-01-01 17:00 (元旦 by law) + one working day: Jan 4 (Mon) is now off, Jan 9 (Sat) is on... Tue Jan 5 comes first, 09:00–18:00.
    const id = await publish('B', '2027-01-01T17:00');
    expect(fmt(t.database.readTime((await wishRow(id)).window_ends_at)!)).toBe('2027-01-05 18:00');
    const del = await t.http.request('DELETE', '/api/dispatch/calendar/2027-01-04', { token: tok(w.users.city) });
    expect([del.status, del.body]).toEqual([200, { day: '2027-01-04', kind: 'workday', note: null, source: 'weekday' }]);
    expect((await t.http.get('/api/dispatch/calendar?year=2027', tok(w.users.city))).body.find((d: any) => d.day === '2027-01-01')).toEqual({ day: '2027-01-01', kind: 'holiday', note: '元旦', source: 'law' });
  });

  it('sends an urgent wish straight to tier 4 and counts clock hours, night included', async () => {
    t.clock.set(bj('2026-11-23T22:00'));
    const r = await t.http.post(
      '/api/wishes',
      { communityId: w.communityA, category: 'repair', title: '水管爆裂', description: '楼道水管爆裂', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼501', forSelf: true },
      tok(w.users.resident),
    );
    const noReason = await t.http.post(`/api/wishes/${r.body.id}/urgent`, {}, tok(w.users.staff));
    expect(noReason.status).toBe(400);
    const byMember = await t.http.post(`/api/wishes/${r.body.id}/urgent`, { reason: '影响全楼' }, tok(w.users.member));
    expect([byMember.status, byMember.body.code]).toEqual([404, 'WISH_NOT_FOUND']);
    const u = await t.http.post(`/api/wishes/${r.body.id}/urgent`, { reason: '影响全楼' }, tok(w.users.staff));
    expect(u.body).toMatchObject({ state: 'open', tier: 4, urgent: true });
    expect(fmt(new Date(u.body.windowEndsAt))).toBe('2026-11-24 02:30'); // B tier 4: 270 minutes of clock time
    expect(await outbox(r.body.id)).toEqual(['escalated:tier_claimers4', 'transferred:user']);
    await sweepAt('2026-11-24T02:30');
    expect((await events(r.body.id)).map((e: any) => e.type)).toEqual(['submit', 'mark_urgent', 'supervise']);
    const red = await t.http.get('/api/wishes/supervised', tok(w.users.street));
    expect(red.body.items.map((x: any) => x.id)).toContain(r.body.id);
    expect((await t.http.get('/api/wishes/supervised', tok(w.users.member))).status).toBe(403);
    // The street desk can still claim it.
    const c = await t.http.post(`/api/wishes/${r.body.id}/claim`, {}, tok(w.users.street));
    expect(c.body).toMatchObject({ state: 'claimed', claimant: { id: w.users.street } });
  });

  it('lets each tier claim only its own claimers, and a claim stops the clock', async () => {
    const id = await publish('B', '2026-11-23T10:00', { compoundId: w.compoundA });
    await sweepAt('2026-11-24T10:00'); // → tier 2
    expect((await t.http.post(`/api/wishes/${id}/claim`, {}, tok(w.users.member))).status).toBe(403);
    expect((await t.http.post(`/api/wishes/${id}/claim`, {}, tok(w.users.unitAdmin))).status).toBe(404);
    const s = await t.http.post(`/api/wishes/${id}/claim`, {}, tok(w.users.secretary));
    expect(s.body).toMatchObject({ state: 'claimed', tier: 2 });
    expect(s.body.dueAt).toBeTruthy();
    // The organisation hands the work to a member, who completes it.
    expect((await t.http.post(`/api/wishes/${id}/assign`, { userId: w.users.memberB }, tok(w.users.secretary))).status).toBe(400);
    const a = await t.http.post(`/api/wishes/${id}/assign`, { userId: w.users.member }, tok(w.users.secretary));
    expect(a.body.assignee).toEqual({ id: w.users.member, name: '党员张' });
    await sweepAt('2026-11-25T10:00'); // past the tier-2 claim window: nothing moves
    expect(Number((await wishRow(id)).tier)).toBe(2);
    const done = await t.http.post(`/api/wishes/${id}/complete`, { note: '已修好' }, tok(w.users.member));
    expect(done.body.state).toBe('awaiting_confirmation');

    const id3 = await publish('B', '2026-11-23T10:00');
    await sweepAt('2026-11-25T10:00'); // → tier 3
    expect(Number((await wishRow(id3)).tier)).toBe(3);
    expect((await t.http.post(`/api/wishes/${id3}/claim`, {}, tok(w.users.street))).status).toBe(403);
    expect((await t.http.post(`/api/wishes/${id3}/claim`, {}, tok(w.users.unitAdmin))).body).toMatchObject({ state: 'claimed', tier: 3 });
  });

  it('reminds an overdue claimant once, then returns the wish to the pool at its tier', async () => {
    const id = await publish('B', '2026-11-23T10:00');
    t.clock.set(bj('2026-11-23T11:00'));
    const c = await t.http.post(`/api/wishes/${id}/claim`, {}, tok(w.users.member2));
    expect(fmt(new Date(c.body.dueAt))).toBe('2026-11-30 11:00'); // B tier 1: five working days
    await sweepAt('2026-11-30T10:59');
    expect((await wishRow(id)).state).toBe('claimed');
    await sweepAt('2026-11-30T11:00');
    await sweepAt('2026-12-01T09:00');
    const d = (await t.http.get(`/api/wishes/${id}`, tok(w.users.member2))).body;
    expect(d.overdue).toBe(true);
    expect((await events(id)).filter((e: any) => e.type === 'overdue')).toHaveLength(1);
    await sweepAt('2026-12-02T11:00'); // + 48 h grace
    const row = await wishRow(id);
    expect([row.state, Number(row.tier), row.claimant_id]).toEqual(['open', 1, null]);
    // DOMAIN "Windows": back with the claim window time left at the claim, not a fresh window. Claimed Mon
    // 11:00 of a window ending Tue 10:00: 7 h (11:00–18:00) + 1 h (09:00–10:00) = 480 working minutes.
    // Returned Wed 12-02 11:00: 7 h to 18:00, then 1 h on Thu → 2026-12-03 10:00 (a fresh one-day window would end at 11:00).
    expect(fmt(t.database.readTime(row.window_ends_at)!)).toBe('2026-12-03 10:00');
    expect((await events(id)).map((e: any) => e.type)).toEqual(['submit', 'approve', 'claim', 'overdue', 'expire_claim']);
    // Back in the pool: the tier's claimers learn it waits again, the claimant that the claim was taken back.
    expect(await outbox(id)).toEqual(['approved:user', 'escalated:tier_claimers1', 'claimed:user', 'overdue:user', 'waiting:tier_claimers1', 'returned:user']);
  });

  it('gives a released wish back to its tier with the claim window time that was left, not a fresh window', async () => {
    const id = await publish('B', '2026-11-23T10:00'); // B tier 1: one working day, ends Tue 11-24 10:00
    t.clock.set(bj('2026-11-23T14:00'));
    // Left at the claim: 14:00–18:00 (4 h) + Tue 09:00–10:00 (1 h) = 300 working minutes.
    await t.http.post(`/api/wishes/${id}/claim`, {}, tok(w.users.member2));
    t.clock.set(bj('2026-11-23T15:00'));
    const r = await t.http.post(`/api/wishes/${id}/release`, {}, tok(w.users.member2));
    expect(r.body).toMatchObject({ state: 'open', tier: 1, claimant: null });
    // 15:00 + 300 working minutes: 3 h to 18:00, 2 h on Tuesday (a fresh window would end Tue 15:00).
    expect(fmt(new Date(r.body.windowEndsAt))).toBe('2026-11-24 11:00');
  });

  it('confirms for a silent resident after 7 days, without a rating', async () => {
    const id = await publish('B', '2026-11-23T10:00');
    await t.http.post(`/api/wishes/${id}/claim`, {}, tok(w.users.member2));
    t.clock.set(bj('2026-11-23T12:00'));
    await t.http.post(`/api/wishes/${id}/complete`, { note: '已完成' }, tok(w.users.member2));
    await sweepAt('2026-11-30T11:59');
    expect((await wishRow(id)).state).toBe('awaiting_confirmation');
    await sweepAt('2026-11-30T12:00');
    const row = await wishRow(id);
    expect([row.state, row.rating, row.next_due_at]).toEqual(['resolved', null, null]);
    expect((await events(id)).pop()).toMatchObject({ type: 'auto_confirm', state: 'resolved', role: 'system', at: '2026-11-30 12:00' });
  });

  it('applies a policy change to windows started after it, never to running ones', async () => {
    const running = await publish('B', '2026-11-23T10:00');
    expect(fmt(t.database.readTime((await wishRow(running)).window_ends_at)!)).toBe('2026-11-24 10:00');
    t.clock.set(bj('2026-11-23T11:00'));
    const body = { windows: [{ communityClass: 'B', tier: 1, claimMinutes: 60, fulfilMinutes: 600 }, { communityClass: 'B', tier: 2, claimMinutes: 120, fulfilMinutes: 600 }] };
    expect((await t.http.request('PUT', '/api/dispatch/policy', { token: tok(w.users.staff), body })).status).toBe(403);
    expect((await t.http.request('PUT', '/api/dispatch/policy', { token: tok(w.users.city), body: { windows: [{ communityClass: 'E', tier: 1, claimMinutes: 60, fulfilMinutes: 60 }] } })).status).toBe(400);
    const p = await t.http.request('PUT', '/api/dispatch/policy', { token: tok(w.users.city), body });
    expect(p.status).toBe(200);
    expect(p.body.windows.find((x: any) => x.communityClass === 'B' && x.tier === 1)).toEqual({ communityClass: 'B', tier: 1, claimMinutes: 60, fulfilMinutes: 600 });
    expect(fmt(new Date(p.body.effectiveFrom))).toBe('2026-11-23 11:00');
    // The running window keeps its end.
    expect(fmt(t.database.readTime((await wishRow(running)).window_ends_at)!)).toBe('2026-11-24 10:00');
    // A wish published now gets the new window.
    const fresh = await publish('B', '2026-11-23T11:30');
    expect(fmt(t.database.readTime((await wishRow(fresh)).window_ends_at)!)).toBe('2026-11-23 12:30');
    // When the running one escalates, its tier-2 window is counted on the new policy.
    await sweepAt('2026-11-24T10:00');
    expect(fmt(t.database.readTime((await wishRow(running)).window_ends_at)!)).toBe('2026-11-24 12:00');
    // Put the defaults back for the other tests.
    await t.http.request('PUT', '/api/dispatch/policy', {
      token: tok(w.users.city),
      body: { windows: [{ communityClass: 'B', tier: 1, claimMinutes: 540, fulfilMinutes: 2700 }, { communityClass: 'B', tier: 2, claimMinutes: 540, fulfilMinutes: 2700 }] },
    });
  });
  // ---- windows that cannot be reset (DOMAIN.md "Windows"); a week after the policy test, on the defaults again ----

  const claimAs = async (id: number, user: number, at: string) => {
    t.clock.set(bj(at));
    const r = await t.http.post(`/api/wishes/${id}/claim`, {}, tok(user));
    expect([r.status, r.body.state]).toEqual([200, 'claimed']);
  };
  const releaseAs = async (id: number, user: number, at: string, body: Record<string, unknown> = {}) => {
    t.clock.set(bj(at));
    const r = await t.http.post(`/api/wishes/${id}/release`, body, tok(user));
    expect([r.status, r.body.state]).toEqual([200, 'open']);
    return fmt(new Date(r.body.windowEndsAt));
  };

  it('never lets claim and release grow the window: it shrinks to one working hour and stays there, then the wish moves up', async () => {
    const id = await publish('B', '2026-12-07T10:00'); // Mon; B tier 1 window ends Tue 12-08 10:00 (540 min)
    // Claimed Mon 14:00: 240 + 60 = 300 left. Released 14:30: 210 min to 18:00, 90 on Tue.
    await claimAs(id, w.users.member2, '2026-12-07T14:00');
    expect(await releaseAs(id, w.users.member2, '2026-12-07T14:30')).toBe('2026-12-08 10:30');
    // Claimed Mon 16:30: 90 + 90 = 180 left. Released 17:00: 60 to 18:00, 120 on Tue.
    await claimAs(id, w.users.member2, '2026-12-07T16:30');
    expect(await releaseAs(id, w.users.member2, '2026-12-07T17:00')).toBe('2026-12-08 11:00');
    // Claimed Tue 10:30: 30 left; released 10:45 with one working hour, the floor.
    await claimAs(id, w.users.member2, '2026-12-08T10:30');
    expect(await releaseAs(id, w.users.member2, '2026-12-08T10:45')).toBe('2026-12-08 11:45');
    // Claimed right at the end (0 left, the sweeper has not run): still one working hour, no more.
    await claimAs(id, w.users.member2, '2026-12-08T11:45');
    expect(await releaseAs(id, w.users.member2, '2026-12-08T12:00')).toBe('2026-12-08 13:00');
    await claimAs(id, w.users.member2, '2026-12-08T12:00');
    expect(await releaseAs(id, w.users.member2, '2026-12-08T12:00')).toBe('2026-12-08 13:00');
    // The window runs out: the wish moves up to tier 2 at 13:00, with tier 2's full window (one working day).
    await sweepAt('2026-12-08T12:59');
    expect(Number((await wishRow(id)).tier)).toBe(1);
    await sweepAt('2026-12-08T13:00');
    const row = await wishRow(id);
    expect([row.state, Number(row.tier)]).toEqual(['open', 2]);
    expect(fmt(t.database.readTime(row.window_ends_at)!)).toBe('2026-12-09 13:00');
    expect((await events(id)).filter((e: any) => e.role === 'system').map((e: any) => `${e.type}@${e.at}`)).toEqual(['escalate@2026-12-08 13:00']);
  });

  it('counts the window given back in working time across a weekend, and the same for the committee’s release', async () => {
    const id = await publish('B', '2026-12-11T10:00'); // Fri; window ends Mon 12-14 10:00
    // Claimed Fri 16:00: 120 + 60 = 180 left. Released Fri 17:00 by the committee: 60 on Friday, 120 on Monday.
    await claimAs(id, w.users.member2, '2026-12-11T16:00');
    t.clock.set(bj('2026-12-11T17:00'));
    expect((await t.http.post(`/api/wishes/${id}/release`, {}, tok(w.users.staff))).status).toBe(400); // a reason is required
    expect(await releaseAs(id, w.users.staff, '2026-12-11T17:00', { reason: '党员无法继续办理' })).toBe('2026-12-14 11:00');
  });

  it('counts the window given back across the National Day holiday', async () => {
    const id = await publish('B', '2026-09-30T10:00'); // Wed; Oct 1–7 off: the window ends Thu 10-08 10:00
    expect(fmt(t.database.readTime((await wishRow(id)).window_ends_at)!)).toBe('2026-10-08 10:00');
    // Claimed Wed 15:00: 180 + 60 = 240 left. Released 17:00: 60 on Sep 30, 180 on Oct 8.
    await claimAs(id, w.users.member2, '2026-09-30T15:00');
    expect(await releaseAs(id, w.users.member2, '2026-09-30T17:00')).toBe('2026-10-08 12:00');
  });

  it('counts an urgent wish’s window given back in clock hours, night included, at least one clock hour', async () => {
    t.clock.set(bj('2026-12-14T22:00'));
    const r = await t.http.post(
      '/api/wishes',
      { communityId: w.communityA, category: 'repair', title: '暖气漏水', description: '暖气管漏水', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼501', forSelf: true },
      tok(w.users.resident),
    );
    const id = r.body.id as number;
    const u = await t.http.post(`/api/wishes/${id}/urgent`, { reason: '影响全楼' }, tok(w.users.staff));
    expect(fmt(new Date(u.body.windowEndsAt))).toBe('2026-12-15 02:30'); // B tier 4: 270 clock minutes
    // Claimed 01:00: 90 clock minutes left. Released 03:00: ends 04:30 (working time would say Tue 10:30).
    await claimAs(id, w.users.street, '2026-12-15T01:00');
    expect(await releaseAs(id, w.users.street, '2026-12-15T03:00')).toBe('2026-12-15 04:30');
    // Claimed 04:10: 20 left. Released 04:20: one clock hour.
    await claimAs(id, w.users.street, '2026-12-15T04:10');
    expect(await releaseAs(id, w.users.street, '2026-12-15T04:20')).toBe('2026-12-15 05:20');
    await sweepAt('2026-12-15T05:20');
    expect((await events(id)).map((e: any) => e.type)).toEqual(['submit', 'mark_urgent', 'claim', 'release', 'claim', 'release', 'supervise']);
  });

  it('gives a wish claimed before the time left was kept the tier’s full window when it is released', async () => {
    const id = await publish('B', '2026-12-16T10:00');
    await claimAs(id, w.users.member2, '2026-12-16T17:00');
    await t.database.dataSource.query(`UPDATE wish SET claim_left_minutes = NULL WHERE id = ?`, [id]);
    expect(await releaseAs(id, w.users.member2, '2026-12-16T17:30')).toBe('2026-12-17 17:30');
  });
});
