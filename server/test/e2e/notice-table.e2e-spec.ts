// The notice table (issue 15, "A notice for every step"): each event of a wish's life, made
// over the API or by the sweeper on a fake clock, produces the notices listed, to the right
// people (by user id), once; credits are spent as designed (notifications/notice-delivery.ts);
// the staff's daily digest; the review backlog; 催办. Expected recipients and texts are typed
// by hand from the issue and DOMAIN.md (community A is class B: claim windows of one working
// day at tiers 1-3, half a day at tier 4; working hours 09:00-18:00 Beijing).
import { FakeClock } from '../../src/common/clock';
import { NotificationSender } from '../../src/modules/notifications/notification.sender';
import { DispatchSweeper } from '../../src/modules/wishes/jobs/dispatch.sweeper';
import { enqueueNotices, type NoticeInsert } from '../../src/modules/outbox/outbox';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';
import { FakeWechat } from '../fakes/fake-wechat';
import { parseCsv, bj } from '../support';

const APPID = 'wx0123456789abcdef';
const SECRET = 'fake-wechat-secret-0123456789abcdef';
/** Template ids per kind (WECHAT_TEMPLATE_<KIND>): the resident's and claimant's kinds, a staff kind, and the digest. */
const TPL = {
  approved: 'tmpl-approved-0001',
  transferred: 'tmpl-transferred-01',
  claimed: 'tmpl-claimed-00001',
  rejected: 'tmpl-rejected-0001',
  escalated: 'tmpl-escalated-001',
  digest: 'tmpl-digest-000001',
};
/** Beijing wall time. */

let fake: FakeWechat;
let t: TestApp;
let w: World;
let sender: NotificationSender;
let sweeper: DispatchSweeper;
type U = keyof World['users'];
const id = (k: U) => w.users[k];
const tok = (k: U) => t.tokenFor(w.users[k]);
const q = (sql: string, params: unknown[] = []): Promise<any[]> => t.database.dataSource.query(sql, params);

beforeAll(async () => {
  fake = await FakeWechat.start({ appId: APPID, secret: SECRET });
  const env: Record<string, string> = { NOTIFY_ENABLED: 'false', DISPATCH_ENABLED: 'false', WECHAT_APPID: APPID, WECHAT_SECRET: SECRET, WECHAT_API_BASE: fake.url, WECHAT_TIMEOUT_MS: '500' };
  for (const [k, v] of Object.entries(TPL)) env[`WECHAT_TEMPLATE_${k.toUpperCase()}`] = v;
  t = await createTestApp(env, { clock: new FakeClock(bj('2026-11-23T09:00').getTime()) });
  w = await buildWorld(t.database, t.clock.now());
  sender = t.app.get(NotificationSender);
  sweeper = t.app.get(DispatchSweeper);
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

async function at(when: string): Promise<void> {
  const d = bj(when);
  expect(d.getTime()).toBeGreaterThanOrEqual(t.clock.now().getTime());
  t.clock.set(d);
}
async function submit(title: string, by: U = 'resident'): Promise<number> {
  const r = await t.http.post(
    '/api/wishes',
    { communityId: w.communityA, compoundId: w.compoundA, category: 'repair', title, description: '请帮忙看看', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼501', forSelf: true },
    tok(by),
  );
  expect(r.status).toBe(201);
  return r.body.id;
}
async function move(wish: number, action: string, by: U, body: Record<string, unknown> = {}): Promise<any> {
  const r = await t.http.post(`/api/wishes/${wish}/${action}`, body, tok(by));
  expect({ action, status: r.status, body: r.status === 200 ? 'ok' : r.body }).toEqual({ action, status: 200, body: 'ok' });
  return r.body;
}
/** Delivers the outbox, then the inbox lines about the wish written since `mark`, as "kind→user" (sorted). */
async function told(wish: number, mark: number): Promise<string[]> {
  await sender.processOnce();
  const rows = await q(`SELECT kind, user_id FROM message WHERE wish_id = ? AND id > ? ORDER BY kind, user_id`, [wish, mark]);
  return rows.map((r) => `${r.kind}→${Number(r.user_id)}`);
}
/** Delivers what is pending, then marks where the inbox stands. */
const mark = async () => {
  await sender.processOnce();
  return Number((await q(`SELECT COALESCE(MAX(id), 0) AS id FROM message`))[0].id);
};
const bodyOf = async (wish: number, kind: string, user: number) => (await q(`SELECT title, body FROM message WHERE wish_id = ? AND kind = ? AND user_id = ? ORDER BY id DESC`, [wish, kind, user]))[0];
const n = (kind: string, ...users: number[]) => users.map((u) => `${kind}→${u}`);
const sorted = (xs: string[]) => [...xs].sort((a, b) => (a.split('→')[0] === b.split('→')[0] ? Number(a.split('→')[1]) - Number(b.split('→')[1]) : a < b ? -1 : 1));

describe('the notice table', () => {
  let life: number;

  it('approve: the resident hears it was approved (with the expected time); the community’s members that it waits at tier 1', async () => {
    life = await submit('楼道灯坏了');
    await at('2026-11-23T10:00');
    const m0 = await mark();
    await move(life, 'approve', 'staff');
    expect(await told(life, m0)).toEqual(sorted([...n('approved', id('resident')), ...n('escalated', id('member'), id('member2'))]));
    expect(await bodyOf(life, 'approved', id('resident'))).toEqual({ title: '心愿已通过审核', body: '您的心愿「楼道灯坏了」已通过审核，正在等待认领。预计2026-11-24 10:00前有人认领。' });
  });

  it('escalation through tiers 2, 3 and 4: each tier’s claimers (the committee and branch secretary, the paired unit, the street), and the resident worded for a resident', async () => {
    let m0 = await mark();
    await at('2026-11-24T10:00');
    await sweeper.sweepOnce();
    expect(await told(life, m0)).toEqual(sorted([...n('escalated', id('staff'), id('secretary')), ...n('transferred', id('resident'))]));
    expect((await bodyOf(life, 'transferred', id('resident'))).body).toBe('您的心愿「楼道灯坏了」已转交社区党组织办理。预计2026-11-25 10:00前有人认领。');

    m0 = await mark();
    await at('2026-11-25T10:00');
    await sweeper.sweepOnce();
    // Tier 3: the unit paired with the community today (the issue: its inbox was empty while tier-3 wishes waited).
    expect(await told(life, m0)).toEqual(sorted([...n('escalated', id('unitAdmin')), ...n('transferred', id('resident'))]));
    expect((await bodyOf(life, 'transferred', id('resident'))).body).toBe('您的心愿「楼道灯坏了」已转交联点单位办理。预计2026-11-26 10:00前有人认领。');
    expect((await bodyOf(life, 'escalated', id('unitAdmin'))).body).toBe('心愿「楼道灯坏了」（编号' + (await no(life)) + '）已转至第3级（联点单位精准办），请及时认领。');

    m0 = await mark();
    await at('2026-11-26T10:00');
    await sweeper.sweepOnce();
    // Tier 4: the street's desk.
    expect(await told(life, m0)).toEqual(sorted([...n('escalated', id('street')), ...n('transferred', id('resident'))]));
    expect((await bodyOf(life, 'transferred', id('resident'))).body).toBe("您的心愿「楼道灯坏了」已转交街道'马上办'办理。预计2026-11-26 14:30前有人认领。");

    m0 = await mark();
    await at('2026-11-26T14:30');
    await sweeper.sweepOnce();
    expect(await told(life, m0)).toEqual(n('supervised', id('city')));
  });

  it('another sweep and another sender pass tell nobody again', async () => {
    const m0 = await mark();
    await sweeper.sweepOnce();
    await sweeper.sweepOnce();
    expect(await told(life, m0)).toEqual([]);
    expect(await told(life, m0)).toEqual([]);
  });

  let claimed: number;
  it('claim, complete, dispute: the resident hears of the claim and the completion, the claimant of the dispute (not the resident’s words: they go with the account)', async () => {
    await at('2026-11-30T09:00');
    claimed = await submit('帮忙换水龙头');
    await move(claimed, 'approve', 'staff');
    let m0 = await mark();
    await at('2026-11-30T10:00');
    await move(claimed, 'claim', 'member');
    expect(await told(claimed, m0)).toEqual(n('claimed', id('resident')));
    m0 = await mark();
    await move(claimed, 'complete', 'member', { note: '已更换' });
    expect(await told(claimed, m0)).toEqual(n('completed', id('resident')));
    m0 = await mark();
    await move(claimed, 'dispute', 'resident', { reason: '还在漏水' });
    expect(await told(claimed, m0)).toEqual(n('disputed', id('member')));
    expect(await bodyOf(claimed, 'disputed', id('member'))).toEqual({ title: '居民对办理结果有异议', body: `您办理的心愿「帮忙换水龙头」（编号${await no(claimed)}）居民有异议，请查看办理经过并继续办理。` });
  });

  it('overdue, then returned to the pool: the claimant is reminded, then told the claim was taken back; the tier’s claimers that it waits again', async () => {
    // The dispute (2026-11-30 10:00) gave a fresh fulfilment window of 5 working days: due 2026-12-07 10:00.
    let m0 = await mark();
    await at('2026-12-07T10:00');
    await sweeper.sweepOnce();
    expect(await told(claimed, m0)).toEqual(n('overdue', id('member')));
    m0 = await mark();
    // The grace period (48 hours) ends: back in the pool at tier 1.
    await at('2026-12-09T10:00');
    await sweeper.sweepOnce();
    expect(await told(claimed, m0)).toEqual(sorted([...n('returned', id('member')), ...n('waiting', id('member'), id('member2'))]));
    expect((await bodyOf(claimed, 'returned', id('member'))).body).toBe(`您认领的心愿「帮忙换水龙头」（编号${await no(claimed)}）超过办理时限太久，已退回待认领。`);
  });

  it('reject: the resident, with the closure and the reason; cancel by the committee: the resident and the claimant it had', async () => {
    await at('2026-12-09T11:00');
    const rejected = await submit('小区里养鸡');
    let m0 = await mark();
    await move(rejected, 'reject', 'staff', { code: 'not_a_wish', reason: '请联系物业' });
    expect(await told(rejected, m0)).toEqual(n('rejected', id('resident')));
    expect(await bodyOf(rejected, 'rejected', id('resident'))).toEqual({ title: '心愿未通过审核', body: '您的心愿「小区里养鸡」未通过审核。说明：不属于微心愿：请联系物业' });

    const cancelled = await submit('修理自行车');
    await move(cancelled, 'approve', 'staff');
    await move(cancelled, 'claim', 'member2');
    m0 = await mark();
    await move(cancelled, 'cancel', 'staff', { code: 'cannot_be_done', reason: '配件停产' });
    expect(await told(cancelled, m0)).toEqual(sorted([...n('cancelled', id('resident'), id('member2'))]));
    expect((await bodyOf(cancelled, 'cancelled', id('member2'))).body).toBe(`心愿「修理自行车」（编号${await no(cancelled)}）已撤销。说明：无法办理：配件停产`);

    // The resident withdrawing their own wish is not told of their own move.
    const withdrawn = await submit('借个梯子');
    m0 = await mark();
    await move(withdrawn, 'cancel', 'resident', {});
    expect(await told(withdrawn, m0)).toEqual([]);
  });

  it('review backlog: the committee hears once a day per community of wishes waiting in review longer than 7 days, not once per wish', async () => {
    await at('2026-12-10T09:00');
    const old1 = await submit('积压一');
    await submit('积压二');
    await at('2026-12-17T08:59');
    expect(await sweeper.reviewBacklog()).toBe(0); // 6 days 23 hours 59 minutes: not yet
    await at('2026-12-17T09:30');
    let m0 = await mark();
    expect(await sweeper.reviewBacklog()).toBe(1);
    expect(await sweeper.reviewBacklog()).toBe(0); // the same day: not again
    await sweeper.sweepTick();
    expect(await told(old1, m0)).toEqual(n('backlog', id('staff')));
    expect((await bodyOf(old1, 'backlog', id('staff'))).body).toBe(`社区有心愿等待审核已超过规定天数，最早的是「积压一」（编号${await no(old1)}），请尽快审核。说明：共2件待审核超过7天`);
    m0 = await mark();
    await at('2026-12-18T09:00');
    await Promise.all([sweeper.reviewBacklog(), sweeper.reviewBacklog()]);
    expect(await told(old1, m0)).toEqual(n('backlog', id('staff')));
  });

  it('催办: before the expected time 409 with the time it becomes possible; then once a day it reaches the tier’s claimers, and shows on the wish', async () => {
    await at('2026-12-21T09:00');
    const u = await submit('帮忙搬家具');
    await move(u, 'approve', 'staff');
    await at('2026-12-21T15:00');
    const early = await t.http.post(`/api/wishes/${u}/urge`, {}, tok('resident'));
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('URGE_TOO_EARLY');
    // Approved at 09:00: one working day at tier 1 ends at 18:00 the same day.
    expect(early.body.message).toBe('还没到预计时间，2026-12-21 18:00之后可以催办');
    expect(early.body.details).toEqual(['urgeFrom=2026-12-21T10:00:00.000Z']);
    const shown = (await t.http.get(`/api/wishes/${u}`, tok('resident'))).body;
    expect(shown.nextStep).toEqual({ step: 'claim', tier: 1, by: '2026-12-21T10:00:00.000Z', urge: { allowed: false, from: '2026-12-21T10:00:00.000Z', urgedToday: false } });
    // Only the submitter urges: a member who reads it on the wall 403, a member of another community 404.
    expect((await t.http.post(`/api/wishes/${u}/urge`, {}, tok('member'))).status).toBe(403);
    expect((await t.http.post(`/api/wishes/${u}/urge`, {}, tok('memberB'))).status).toBe(404);
    expect((await t.http.get(`/api/wishes/${u}`, tok('member'))).body.nextStep.urge).toBeNull();

    // Past the window (the sweeper moved it to tier 2): the resident may urge; it reaches tier 2's claimers.
    await at('2026-12-21T18:00');
    await sweeper.sweepOnce();
    await at('2026-12-22T10:00');
    const m0 = await mark();
    const r = await t.http.post(`/api/wishes/${u}/urge`, {}, tok('resident'));
    expect(r.status).toBe(200);
    expect(r.body.urges).toEqual({ count: 1, lastAt: '2026-12-22T02:00:00.000Z', times: ['2026-12-22T02:00:00.000Z'] });
    expect(r.body.nextStep.urge).toEqual({ allowed: false, from: null, urgedToday: true });
    const again = await t.http.post(`/api/wishes/${u}/urge`, {}, tok('resident'));
    expect([again.status, again.body.code]).toEqual([409, 'URGE_ALREADY_TODAY']);
    expect(await told(u, m0)).toEqual(n('urged', id('staff'), id('secretary')));
    expect((await bodyOf(u, 'urged', id('staff'))).body).toBe(`心愿「帮忙搬家具」（编号${await no(u)}）已过预计时间，居民催办，请尽快办理。`);
    // The ledger's chain is untouched: an urge is no event (it is kept in wish_urge).
    expect((await q(`SELECT type FROM wish_event WHERE wish_id = ? ORDER BY id`, [u])).map((e) => e.type)).toEqual(['submit', 'approve', 'escalate']);
    expect((await t.http.get(`/api/wishes/${u}`, tok('staff'))).body.urges.count).toBe(1);
    // The ledger shows it: the count and the last time, on the row.
    expect((await t.http.get(`/api/ledger/wishes/${u}`, tok('staff'))).body).toMatchObject({ urgeCount: 1, lastUrgedAt: '2026-12-22T02:00:00.000Z' });
    // And the exported ledger, in its last column 催办(次).
    const csv = parseCsv((await (await fetch(`${t.baseUrl}/api/ledger/export.csv`, { headers: { authorization: `Bearer ${tok('staff')}` } })).text()).slice(1));
    const wishNo = await no(u);
    const line = csv.find((r) => r[0] === wishNo)!;
    expect([csv[0][17], line[17]]).toEqual(['催办(次)', '1']);

    // The next Beijing day: once more. A claimed wish: to its claimant, after the fulfilment deadline only.
    await at('2026-12-23T09:00');
    await move(u, 'claim', 'staff');
    const m1 = await mark();
    expect((await t.http.post(`/api/wishes/${u}/urge`, {}, tok('resident'))).body.code).toBe('URGE_TOO_EARLY');
    await at('2026-12-30T09:00');
    expect((await t.http.post(`/api/wishes/${u}/urge`, {}, tok('resident'))).status).toBe(200);
    expect(await told(u, m1)).toEqual(n('urged', id('staff')));
  });

  it('credits: a resident’s own kinds spend one credit each (none left: skipped); staff kinds fold into one digest per person per day', async () => {
    await at('2027-01-04T09:00');
    fake.subscribeSent.length = 0;
    const sub = async (k: U, results: Record<string, string>) => expect((await t.http.post('/api/me/subscriptions', { results }, tok(k))).status).toBe(200);
    await sub('resident', { [TPL.approved]: 'accept', [TPL.transferred]: 'accept' });
    await sub('member2', { [TPL.digest]: 'accept' });
    await sub('member2', { [TPL.digest]: 'accept' });
    // Two digests' worth for member2; member has no digest credit.
    await sender.processOnce(); // yesterday's lines are folded now, before the day's counts start
    fake.subscribeSent.length = 0;
    const a = await submit('买菜帮忙');
    const b = await submit('陪同就医');
    await move(a, 'approve', 'staff');
    await move(b, 'approve', 'staff');
    const r1 = await sender.processOnce();
    const sends = () => fake.subscribeSent.map((x: any) => `${x.body.touser}:${x.body.template_id}`).sort();
    // The resident: one approved message (one credit), the second approval skipped; member2: one digest for both
    // escalations; member (no digest credit): the digest is in the inbox, its WeChat send skipped.
    expect(sends()).toEqual([`t-member-2:${TPL.digest}`, `t-resident:${TPL.approved}`]);
    expect(r1.wechat).toEqual({ sent: 2, skipped: 2, failed: 0, retrying: 0 });
    expect(r1.digests).toBe(2);
    const digests = await q(`SELECT user_id, body, wx_status FROM message WHERE kind = 'digest' AND created_at >= ? ORDER BY user_id`, [t.database.time(bj('2027-01-04T09:00'))]);
    expect(digests.map((d) => [Number(d.user_id), d.body, d.wx_status])).toEqual([
      [id('member'), '您有新的待办：待认领2件。请在消息中心查看。', 'skipped'],
      [id('member2'), '您有新的待办：待认领2件。请在消息中心查看。', 'sent'],
    ]);
    // More the same day: no second digest until tomorrow.
    const c = await submit('修门锁');
    await move(c, 'approve', 'staff');
    fake.subscribeSent.length = 0;
    expect((await sender.processOnce()).digests).toBe(0);
    expect(sends()).toEqual([]);
    await at('2027-01-05T08:00');
    expect((await sender.processOnce()).digests).toBe(2);
    expect(sends()).toEqual([`t-member-2:${TPL.digest}`]);
  });

  it('the sender delivers a batch in a fixed handful of statements, not several per notice', async () => {
    await at('2027-01-18T09:00');
    const x = await submit('语句计数');
    await mark();
    const notices: NoticeInsert[] = [];
    for (let i = 0; i < 20; i++) notices.push({ wishId: x, kind: 'claimed', audience: { type: 'user', userId: id(i % 2 ? 'resident' : 'resident2') }, tier: 1, createdAt: t.clock.now() });
    for (let i = 0; i < 30; i++) notices.push({ wishId: x, kind: 'escalated', audience: { type: 'tier_claimers' }, tier: (i % 4) + 1, createdAt: t.clock.now() });
    for (let i = 0; i < 10; i++) notices.push({ wishId: x, kind: 'supervised', audience: { type: 'district', districtId: w.districtId }, tier: 4, createdAt: t.clock.now() });
    await t.database.tx((m) => enqueueNotices(m, notices, (d) => t.database.time(d)));
    const statements = await countStatements(() => (sender as any).db.tx((m: any) => (sender as any).batch(m)));
    // Lock, wishes, users' status, pairings (one community, one day), three grant reads, one inbox insert, one update.
    expect(statements).toBeLessThanOrEqual(12);
    expect(Number((await q(`SELECT COUNT(*) AS n FROM outbox WHERE wish_id = ? AND status = 'sent' AND kind IN ('claimed', 'escalated', 'supervised')`, [x]))[0].n)).toBe(60);
    console.log(`statements for one batch of 60 notices: ${statements}`);
  });

  it('concurrent sweepers and senders: every notice once', async () => {
    await at('2027-01-25T09:00');
    const ids = [await submit('并发一'), await submit('并发二'), await submit('并发三')];
    for (const x of ids) await move(x, 'approve', 'staff');
    await at('2027-01-26T09:00');
    const m0 = await mark();
    await Promise.all([sweeper.sweepOnce(), sweeper.sweepOnce(), sweeper.sweepOnce()]);
    await Promise.all([sender.processOnce(), sender.processOnce(), sender.processOnce()]);
    for (const x of ids) expect(await told(x, m0)).toEqual(sorted([...n('escalated', id('staff'), id('secretary')), ...n('transferred', id('resident'))]));
  });
});

/** How many SQL statements `run` makes (the data source's logger sees each one). */
async function countStatements(run: () => Promise<unknown>): Promise<number> {
  const ds = t.database.dataSource as any;
  const logger = ds.logger;
  let n = 0;
  ds.logger = { ...logger, logQuery: () => void n++, logQueryError: () => undefined, logQuerySlow: () => undefined, logSchemaBuild: () => undefined, logMigration: () => undefined, log: () => undefined };
  try {
    await run();
  } finally {
    ds.logger = logger;
  }
  return n;
}

async function no(wish: number): Promise<string> {
  return (await t.http.get(`/api/wishes/${wish}`, tok('staff'))).body.no;
}
