// The three rates' rules (DOMAIN.md "The three rates", "Closure") through the real app:
// moves over HTTP, the sweeper's timers, the ledger's report. Every expected figure is
// counted by hand from the scenario written beside it. SQLite and MariaDB (TEST_DB=mariadb).
import { FakeClock } from '../../src/common/clock';
import { DispatchSweeper } from '../../src/modules/wishes/jobs/dispatch.sweeper';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';
import { bj } from '../support';

/** Beijing wall time. */

describe('the rates follow DOMAIN.md through real moves', () => {
  let t: TestApp;
  let w: World;
  let sweeper: DispatchSweeper;
  const tok = (id: number) => t.tokenFor(id);

  const at = (s: string) => t.clock.set(bj(s));
  async function ok(method: 'post' | 'get', url: string, who: number, body: Record<string, unknown> = {}, status = 200) {
    const r = method === 'post' ? await t.http.post(url, body, tok(who)) : await t.http.get(url, tok(who));
    if (r.status !== status) throw new Error(`${method} ${url} answered ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
  async function submit(when: string, extra: Record<string, unknown> = {}, who = w.users.resident): Promise<number> {
    at(when);
    const body = await ok(
      'post',
      '/api/wishes',
      who,
      { communityId: w.communityA, category: 'repair', title: '楼道灯坏了', description: '请帮忙修一下', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼501', forSelf: true, ...extra },
      201,
    );
    return body.id as number;
  }
  const publish = async (when: string) => {
    const id = await submit(when);
    await ok('post', `/api/wishes/${id}/approve`, w.users.staff);
    return id;
  };
  const row = async (id: number) => (await t.database.dataSource.query(`SELECT supervised_at, fulfil_missed_at, first_completed_at, closure_code, closed_at FROM wish WHERE id = ?`, [id]))[0];
  const time = (v: unknown) => t.database.readTime(v as string | Date | null)?.toISOString() ?? null;
  const report = (from: string, to: string) => ok('get', `/api/ledger/rates?scope=community&orgId=${w.communityA}&from=${from}&to=${to}`, w.users.staff);

  beforeAll(async () => {
    t = await createTestApp({ DISPATCH_ENABLED: 'false' }, { clock: new FakeClock(bj('2026-11-23T09:00').getTime()) });
    w = await buildWorld(t.database, t.clock.now());
    sweeper = t.app.get(DispatchSweeper);
  });
  afterAll(() => t.close());

  it('a wish supervised, claimed late, released and supervised again stays not responded (the first supervision is kept)', async () => {
    // Monday 2026-11-23. Class B, urgent: tier 4 at once, a 270-minute claim window on the clock (10:00 -> 14:30).
    const late = await publish('2026-11-23T10:00');
    await ok('post', `/api/wishes/${late}/urgent`, w.users.staff, { reason: '独居老人，情况紧急' });
    // A control wish, claimed in time by the same desk.
    const onTime = await publish('2026-11-23T10:00');
    await ok('post', `/api/wishes/${onTime}/urgent`, w.users.staff, { reason: '独居老人，情况紧急' });
    at('2026-11-23T11:00');
    await ok('post', `/api/wishes/${onTime}/claim`, w.users.street);

    at('2026-11-23T14:30');
    await sweeper.sweepOnce();
    expect(time((await row(late)).supervised_at)).toBe(bj('2026-11-23T14:30').toISOString());
    // Claimed late by the street's desk, then released: back in the pool at tier 4.
    at('2026-11-23T15:00');
    await ok('post', `/api/wishes/${late}/claim`, w.users.street);
    at('2026-11-23T15:10');
    await ok('post', `/api/wishes/${late}/release`, w.users.street);
    // Unclaimed again past its window: supervised a second time.
    at('2026-11-25T12:00');
    await sweeper.sweepOnce();
    const supervisions = await t.database.dataSource.query(`SELECT created_at FROM wish_event WHERE wish_id = ? AND type = 'supervise' ORDER BY id`, [late]);
    expect(supervisions).toHaveLength(2);
    expect(time((await row(late)).supervised_at)).toBe(bj('2026-11-23T14:30').toISOString());

    // Published 2, decided 2 (both claimed), responded 1: the control. The late one was first claimed (15:00) after its first supervision (14:30).
    const r = await report('2026-11-23', '2026-11-23');
    expect(r.response).toEqual({ rate: 0.5, numerator: 1, denominator: 2 });
    expect(r.breakdown).toMatchObject({ responded: 1, respondedLate: 1 });
    // Resolution, as of 2026-11-25 12:00: the late one failed (tier-4 window ended unclaimed); the control's urgent
    // fulfilment window (3 x 540 minutes on the clock from 11-23 11:00 = 11-24 14:00) ended without completion.
    expect(r.breakdown).toMatchObject({ resolved: 0, failedUnclaimed: 1, failedMissed: 1, undecidedHandling: 0 });
    expect(r.resolution).toEqual({ rate: 0, numerator: 0, denominator: 2 });
  });

  it('closures take a code; withdrawals and duplicates leave the response denominator only while undecided', async () => {
    // Tuesday 2026-11-24, all published the same day.
    const kept = await publish('2026-11-24T09:00');
    const withdrawn = await publish('2026-11-24T09:10');
    const duplicate = await publish('2026-11-24T09:20');
    const spam = await publish('2026-11-24T09:30');
    const claimedThenDup = await publish('2026-11-24T09:40');
    const rejected = await submit('2026-11-24T09:50');

    at('2026-11-24T10:00');
    // The resident withdraws their own: the code is 'withdrawn' without being asked.
    const wd = await ok('post', `/api/wishes/${withdrawn}/cancel`, w.users.resident, {});
    expect(wd.closure).toEqual({ code: 'withdrawn', channel: null });
    // Staff must name a code; a duplicate names its wish, a redirection its channel.
    const none = await t.http.post(`/api/wishes/${duplicate}/cancel`, { reason: '重复' }, tok(w.users.staff));
    expect([none.status, none.body.code]).toEqual([400, 'CLOSURE_CODE_REQUIRED']);
    const noTarget = await t.http.post(`/api/wishes/${duplicate}/cancel`, { code: 'duplicate', reason: '重复' }, tok(w.users.staff));
    expect([noTarget.status, noTarget.body.code]).toEqual([400, 'CLOSURE_CODE_INVALID']);
    const noChannel = await t.http.post(`/api/wishes/${rejected}/reject`, { code: 'redirected', reason: '请拨打热线' }, tok(w.users.staff));
    expect([noChannel.status, noChannel.body.code]).toEqual([400, 'CLOSURE_CODE_INVALID']);
    const resident = await t.http.post(`/api/wishes/${kept}/cancel`, { code: 'spam' }, tok(w.users.resident));
    expect([resident.status, resident.body.code]).toEqual([400, 'CLOSURE_CODE_INVALID']);
    // Refused closures changed nothing.
    expect((await row(duplicate)).closure_code).toBeNull();
    expect((await ok('get', `/api/wishes/${kept}`, w.users.staff)).state).toBe('open');

    await ok('post', `/api/wishes/${duplicate}/cancel`, w.users.staff, { code: 'duplicate', duplicateOf: kept, reason: '与已有心愿重复' });
    await ok('post', `/api/wishes/${spam}/cancel`, w.users.staff, { code: 'spam', reason: '测试信息' });
    await ok('post', `/api/wishes/${claimedThenDup}/claim`, w.users.member);
    at('2026-11-24T10:30');
    await ok('post', `/api/wishes/${claimedThenDup}/cancel`, w.users.staff, { code: 'duplicate', duplicateOf: kept, reason: '与已有心愿重复' });
    at('2026-11-25T08:00');
    const rej = await ok('post', `/api/wishes/${rejected}/reject`, w.users.staff, { code: 'redirected', channel: '12345热线', reason: '请拨打12345' });
    expect(rej.closure).toEqual({ code: 'redirected', channel: '12345热线' });
    expect(time((await row(rejected)).closed_at)).toBe(bj('2026-11-25T08:00').toISOString());

    // Published on the 24th: kept, withdrawn, duplicate, spam, claimedThenDup = 5.
    //   response: decided = spam (staff, another reason) + claimedThenDup (claimed) = 2, responded 1;
    //             excluded: withdrawn 1, duplicate 1; undecided: kept 1.
    //   resolution: failed = spam (cancelled by staff); excluded = withdrawn, duplicate, claimedThenDup; undecided open = kept.
    const r = await report('2026-11-24', '2026-11-24');
    expect(r.published).toBe(5);
    expect(r.response).toEqual({ rate: 0.5, numerator: 1, denominator: 2 });
    expect(r.breakdown).toMatchObject({ responded: 1, respondedLate: 1, excludedWithdrawn: 1, excludedDuplicate: 1, undecidedClaim: 1 });
    expect(r.resolution).toEqual({ rate: 0, numerator: 0, denominator: 1 });
    expect(r.breakdown).toMatchObject({ failedCancelled: 1, resolutionExcluded: 3, undecidedOpen: 1 });
    expect(r.closures).toEqual({ duplicate: 2, withdrawn: 1, redirected: 0, not_a_wish: 0, cannot_be_done: 0, spam: 1, uncoded: 0 });
    // The rejection was never published: counted by the day it was closed (the 25th), not the 24th.
    expect(r.closuresBeforePublication.redirected).toBe(0);
    expect((await report('2026-11-25', '2026-11-25')).closuresBeforePublication).toEqual({ duplicate: 0, withdrawn: 0, redirected: 1, not_a_wish: 0, cannot_be_done: 0, spam: 0, uncoded: 0 });

    // The explained report: each rate's rule and its categories, the same counts.
    const x = await ok('get', `/api/ledger/rates/explained?scope=community&orgId=${w.communityA}&from=2026-11-24&to=2026-11-24`, w.users.staff);
    const response = x.rates.find((e: any) => e.key === 'response');
    expect(response.rule).toContain('已有结论');
    expect(response.value).toEqual({ rate: 0.5, numerator: 1, denominator: 2 });
    expect(Object.fromEntries(response.categories.map((c: any) => [c.key, [c.role, c.count]]))).toEqual({
      responded: ['numerator', 1],
      respondedLate: ['denominator', 1],
      excludedWithdrawn: ['excluded', 1],
      excludedDuplicate: ['excluded', 1],
      undecidedClaim: ['undecided', 1],
    });
    expect(x.closures.find((c: any) => c.code === 'duplicate')).toEqual({ code: 'duplicate', label: '重复心愿', published: 2, beforePublication: 0 });
  });

  it('the first end of a fulfilment window without completion is written once, by the sweeper or by a late move', async () => {
    // Wednesday 2026-11-26. Class B tier 1: a 5-working-day fulfilment window (09:00-18:00):
    // claimed Wed 10:00 -> due Wed 2026-12-03 10:00.
    const swept = await publish('2026-11-26T09:00');
    const lateCompletion = await publish('2026-11-26T09:00');
    const resolvedLate = await publish('2026-11-26T09:00');
    at('2026-11-26T10:00');
    for (const id of [swept, lateCompletion, resolvedLate]) await ok('post', `/api/wishes/${id}/claim`, id === swept ? w.users.member : w.users.member2);
    const due = bj('2026-12-03T10:00').toISOString();
    // The sweeper's overdue step at the due time records it.
    at('2026-12-03T10:05');
    await sweeper.sweepOnce();
    expect(time((await row(swept)).fulfil_missed_at)).toBe(due);
    // (the sweep also reached the others; a completion after the due time keeps the first miss)
    at('2026-12-03T11:00');
    await ok('post', `/api/wishes/${lateCompletion}/complete`, w.users.member2, { note: '已修好' });
    expect(time((await row(lateCompletion)).fulfil_missed_at)).toBe(due);
    expect(time((await row(lateCompletion)).first_completed_at)).toBe(bj('2026-12-03T11:00').toISOString());
    await ok('post', `/api/wishes/${resolvedLate}/complete`, w.users.member2, { note: '已修好' });
    at('2026-12-03T12:00');
    await ok('post', `/api/wishes/${resolvedLate}/confirm`, w.users.resident, { rating: 'satisfied' });

    // Published on the 26th: 3, all claimed in time (responded 3/3).
    //   swept: claimed, window missed -> failed; lateCompletion: awaiting confirmation after a miss -> failed;
    //   resolvedLate: resolved (a failure counts until resolved) -> resolved.
    const r = await report('2026-11-26', '2026-11-26');
    expect(r.response).toEqual({ rate: 1, numerator: 3, denominator: 3 });
    expect(r.resolution).toEqual({ rate: 0.3333, numerator: 1, denominator: 3 });
    expect(r.breakdown).toMatchObject({ resolved: 1, failedMissed: 2, undecidedHandling: 0 });
    expect(r.satisfaction).toEqual({ rate: 1, numerator: 1, denominator: 1 });
    expect(r.breakdown).toMatchObject({ ratedByResident: 1, ratedOnBehalf: 0 });
  });
});
