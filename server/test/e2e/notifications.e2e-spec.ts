// Notifications through the real app: notices enqueued as the dispatch engine and the
// wish lifecycle do (enqueueNotices in a transaction), delivered by processOnce to the
// inbox and, against the fake WeChat server, as subscribe messages.
import { ERROR_MESSAGES_ZH } from '@xinyuan/shared';
import { FakeClock } from '../../src/common/clock';
import type { NoticeKind } from '../../src/config/config';
import { makeOrg, makePerson, pairUnit } from '../../src/modules/demo/fixtures';
import { WechatClient } from '../../src/modules/wechat/wechat.client';
import { outboxBackoffMs, NotificationSender, type ProcessResult } from '../../src/modules/notifications/notification.sender';
import { enqueueNotices, type Audience } from '../../src/modules/outbox/outbox';
import { wechatBackoffMs } from '../../src/modules/notifications/subscribe-message.sender';
import { beijingDay } from '../../src/modules/notifications/subscribe-fields';
import { TOKEN_REFRESH_AHEAD_MS, WechatAccessToken } from '../../src/modules/wechat/wechat-access-token';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, insertWish, type World } from '../factories/world';
import { FakeWechat, wxError } from '../fakes/fake-wechat';

const APPID = 'wx0123456789abcdef';
const SECRET = 'fake-wechat-secret-0123456789abcdef';
// Real template ids are 43 characters; one short one as well, to cover both ways of keying credits.
const TPL: Partial<Record<NoticeKind, string>> = {
  escalated: 'zun-LzcQyW-edafCVvzPkK4de2Rllr1fFpw2A_x0oXE',
  claimed: 'Kq7bXc2mVt9pLw4rNs8yHd3fGj6kZa1eUo5iTq0xWvB',
  completed: 'Pm3nB8vC1xZ6lK9jH2gF5dS7aQ0wE4rT_yUiOp-LkJ',
  overdue: 'tmpl-overdue-0001',
  // supervised: no template, inbox only.
};
const MAX_ATTEMPTS = 3;
const START = Date.parse('2026-11-27T02:00:00Z');

let fake: FakeWechat;
let t: TestApp;
let w: World;
let sender: NotificationSender;
/** People beyond the shared world, to show who is left out. */
let extra: { revokedMember: number; unit2Admin: number; street2Handler: number; districtAdmin: number; otherDistrictAdmin: number; otherCompoundSecretary: number };

type UserKey = keyof World['users'];
const tok = (k: UserKey) => t.tokenFor(w.users[k]);
const q = (sql: string, params: unknown[] = []): Promise<any[]> => t.database.dataSource.query(sql, params);
const readTime = (v: string | Date) => t.database.readTime(v)!;
const count = async (sql: string, params: unknown[] = []) => Number((await q(sql, params))[0].n);

let wishSeq = 0;
/** A published wish, written straight into the table (the lifecycle is another module's business). */
async function makeWish(over: { community?: 'A' | 'B'; compound?: boolean; sensitive?: boolean; title?: string } = {}): Promise<{ id: number; no: string; title: string }> {
  const a = (over.community ?? 'A') === 'A';
  const title = over.title ?? `楼道灯坏了${++wishSeq}`;
  const id = await insertWish(t.database, t.clock.now(), {
    districtId: w.districtId,
    streetId: w.streetId,
    communityId: a ? w.communityA : w.communityB,
    compoundId: over.compound === false ? null : a ? w.compoundA : w.compoundB,
    submitterId: w.users.resident,
    title,
    sensitive: over.sensitive,
  });
  return { id, no: `XY${beijingDay(t.clock.now()).replace(/-/g, '')}${String(id).padStart(6, '0')}`, title };
}

interface Notice {
  wish: { id: number; no: string; title: string };
  kind: NoticeKind;
  audience: Audience;
  tier?: number;
  note?: string;
  createdAt?: Date;
}
/** Enqueues notices the way the dispatch engine does; returns their outbox ids. */
async function enqueue(...notices: Notice[]): Promise<number[]> {
  const before = Number((await q(`SELECT COALESCE(MAX(id), 0) AS id FROM outbox`))[0].id);
  await t.database.tx((m) =>
    enqueueNotices(
      m,
      notices.map((n) => ({
        wishId: n.wish.id,
        kind: n.kind,
        audience: n.audience,
        tier: n.tier ?? 1,
        note: n.note ?? null,
        createdAt: n.createdAt ?? t.clock.now(),
      })),
      (d) => t.database.time(d),
    ),
  );
  const rows = await q(`SELECT id FROM outbox WHERE id > ? ORDER BY id`, [before]);
  expect(rows).toHaveLength(notices.length);
  return rows.map((r) => Number(r.id));
}

const recipients = async (outboxId: number) => (await q(`SELECT user_id FROM message WHERE outbox_id = ? ORDER BY user_id`, [outboxId])).map((r) => Number(r.user_id));
const outboxRow = async (id: number) => (await q(`SELECT status, attempts, next_attempt_at, last_error, processed_at FROM outbox WHERE id = ?`, [id]))[0];
const messageOf = async (outboxId: number, userId: number) =>
  (await q(`SELECT id, wx_status, wx_attempts, wx_error, wx_next_at, title, body, kind, wish_id FROM message WHERE outbox_id = ? AND user_id = ?`, [outboxId, userId]))[0];
const credits = async (userId: number, templateId: string) => {
  const r = await t.http.get('/api/me/subscriptions', t.tokenFor(userId));
  expect(r.status).toBe(200);
  return r.body.items.find((i: any) => i.templateId === templateId).credits as number;
};
async function subscribe(userId: number, results: Record<string, string>) {
  const r = await t.http.post('/api/me/subscriptions', { results }, t.tokenFor(userId));
  expect(r.status).toBe(200);
  return r.body;
}
/** Moves the fake clock forward to a given time (never back: tests share one clock). */
function moveClockTo(iso: string): void {
  const target = Date.parse(iso);
  expect(target).toBeGreaterThanOrEqual(t.clock.now().getTime());
  t.clock.set(new Date(target));
}
const stableTokenCalls = () => fake.requestsTo('/cgi-bin/stable_token');
const sendCalls = () => fake.requestsTo('/cgi-bin/message/subscribe/send');

beforeAll(async () => {
  fake = await FakeWechat.start({ appId: APPID, secret: SECRET });
  const env: Record<string, string> = {
    NOTIFY_ENABLED: 'false',
    DISPATCH_ENABLED: 'false',
    NOTIFY_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    WECHAT_APPID: APPID,
    WECHAT_SECRET: SECRET,
    WECHAT_API_BASE: fake.url,
    WECHAT_TIMEOUT_MS: '500',
    WECHAT_MINIPROGRAM_STATE: 'trial',
  };
  for (const [k, v] of Object.entries(TPL)) env[`WECHAT_TEMPLATE_${k.toUpperCase()}`] = v;
  t = await createTestApp(env, { clock: new FakeClock(START) });
  w = await buildWorld(t.database, t.clock.now());
  sender = t.app.get(NotificationSender);
  const now = t.clock.now();
  extra = await t.database.tx(async (m) => {
    const person = (openid: string, role: any, orgId: number) => makePerson(m, now, { openid, nickname: openid, grants: [{ role, orgId }] }).then((u) => u.id);
    const revokedMember = await person('t-revoked-member', 'member', w.communityA);
    await m.query(`UPDATE role_grant SET revoked_at = ? WHERE user_id = ?`, [t.database.time(now), revokedMember]);
    // A second unit, paired with community A from 27 November (Beijing) on.
    const unit2 = await makeOrg(m, now, 'unit', '市自来水公司', null);
    await pairUnit(m, now, unit2.id, w.communityA, '2026-11-27', null);
    const street2 = await makeOrg(m, now, 'street', '大众街街道', w.districtId);
    const otherDistrict = await makeOrg(m, now, 'district', '城东区', w.cityId);
    const otherCompound = await makeOrg(m, now, 'compound', '幸福小区', w.communityA);
    return {
      revokedMember,
      unit2Admin: await person('t-unit-2', 'unit_admin', unit2.id),
      street2Handler: await person('t-street-2', 'street_handler', street2.id),
      districtAdmin: await person('t-district', 'city_admin', w.districtId),
      otherDistrictAdmin: await person('t-other-district', 'city_admin', otherDistrict.id),
      otherCompoundSecretary: await person('t-secretary-2', 'branch_secretary', otherCompound.id),
    };
  });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});
beforeEach(async () => {
  fake.reset();
  await t.database.tx(async (m) => {
    for (const table of ['message', 'outbox', 'subscription_credit']) await m.query(`DELETE FROM ${table}`);
  });
});

describe('audiences: who gets an inbox message', () => {
  const u = () => w.users;

  it('tier 1: the verified members of the wish’s community, and nobody else', async () => {
    const wish = await makeWish();
    const wishB = await makeWish({ community: 'B' });
    const [a, b] = await enqueue(
      { wish, kind: 'escalated', tier: 1, audience: { type: 'tier_claimers' } },
      { wish: wishB, kind: 'escalated', tier: 1, audience: { type: 'tier_claimers' } },
    );
    const r = await sender.processOnce();
    expect(r).toMatchObject({ processed: 2, sent: 2, dead: 0 });
    expect(await recipients(a)).toEqual([u().member, u().member2].sort((x, y) => x - y));
    expect(await recipients(b)).toEqual([u().memberB]);
    expect((await outboxRow(a)).status).toBe('sent');
    expect(readTime((await outboxRow(a)).processed_at).getTime()).toBe(t.clock.now().getTime());
  });

  it('tier 1 of a sensitive wish reaches no member (members may not claim those)', async () => {
    const wish = await makeWish({ sensitive: true });
    const [id] = await enqueue({ wish, kind: 'escalated', tier: 1, audience: { type: 'tier_claimers' } });
    expect(await sender.processOnce()).toMatchObject({ processed: 1, sent: 1 });
    expect(await recipients(id)).toEqual([]);
    expect((await outboxRow(id)).status).toBe('sent');
  });

  it('tier 2: the community’s committee and the branch secretary of the wish’s compound (grid workers do not claim)', async () => {
    const inCompound = await makeWish();
    const noCompound = await makeWish({ compound: false });
    const [a, b] = await enqueue(
      { wish: inCompound, kind: 'escalated', tier: 2, audience: { type: 'tier_claimers' } },
      { wish: noCompound, kind: 'escalated', tier: 2, audience: { type: 'tier_claimers' } },
    );
    await sender.processOnce();
    expect(await recipients(a)).toEqual([u().staff, u().secretary].sort((x, y) => x - y));
    expect(await recipients(b)).toEqual([u().staff]);
  });

  it('tier 3: admins of units paired with the community on the day of the notice (Beijing date)', async () => {
    const wish = await makeWish();
    const wishB = await makeWish({ community: 'B' });
    const [before, onDay, unpaired] = await enqueue(
      // 23:59 on 26 November in Beijing: only the first unit is paired.
      { wish, kind: 'escalated', tier: 3, audience: { type: 'tier_claimers' }, createdAt: new Date('2026-11-26T15:59:00Z') },
      // 00:00 on 27 November in Beijing: the second unit's agreement has started.
      { wish, kind: 'escalated', tier: 3, audience: { type: 'tier_claimers' }, createdAt: new Date('2026-11-26T16:00:00Z') },
      { wish: wishB, kind: 'escalated', tier: 3, audience: { type: 'tier_claimers' } },
    );
    expect(await sender.processOnce()).toMatchObject({ processed: 3, sent: 3 });
    expect(await recipients(before)).toEqual([u().unitAdmin]);
    expect(await recipients(onDay)).toEqual([u().unitAdmin, extra.unit2Admin]);
    expect(await recipients(unpaired)).toEqual([]);
  });

  it('tier 4: the street desk of the wish’s street', async () => {
    const wish = await makeWish({ community: 'B' });
    const [id] = await enqueue({ wish, kind: 'escalated', tier: 4, audience: { type: 'tier_claimers' } });
    await sender.processOnce();
    expect(await recipients(id)).toEqual([u().street]);
  });

  it('district: city_admin grants on the district and on its city, not on another district', async () => {
    const wish = await makeWish();
    const [id] = await enqueue({ wish, kind: 'supervised', tier: 4, audience: { type: 'district', districtId: w.districtId } });
    await sender.processOnce();
    expect(await recipients(id)).toEqual([u().city, extra.districtAdmin].sort((x, y) => x - y));
    expect(await recipients(id)).not.toContain(extra.otherDistrictAdmin);
  });

  it('user: that one person, with the kind’s title and body', async () => {
    const wish = await makeWish({ title: '需要轮椅坡道' });
    const [claimed, completed, overdue, supervised] = await enqueue(
      { wish, kind: 'claimed', audience: { type: 'user', userId: u().resident } },
      { wish, kind: 'completed', audience: { type: 'user', userId: u().resident } },
      { wish, kind: 'overdue', audience: { type: 'user', userId: u().member } },
      { wish, kind: 'supervised', audience: { type: 'user', userId: u().city }, note: '街道三天未响应' },
    );
    await sender.processOnce();
    expect(await recipients(claimed)).toEqual([u().resident]);
    expect(await messageOf(claimed, u().resident)).toMatchObject({ kind: 'claimed', title: '心愿已被认领', body: '您的心愿「需要轮椅坡道」已被认领，办理人会尽快与您联系。' });
    expect(Number((await messageOf(claimed, u().resident)).wish_id)).toBe(wish.id);
    expect((await messageOf(completed, u().resident)).body).toBe('您的心愿「需要轮椅坡道」已办结，请确认并评价。');
    expect((await messageOf(overdue, u().member)).body).toBe(`您认领的心愿「需要轮椅坡道」（编号${wish.no}）已超过办理时限，请尽快办结。`);
    expect((await messageOf(supervised, u().city)).body).toBe(`心愿「需要轮椅坡道」（编号${wish.no}）到第4级仍无人认领，已列入督办。说明：街道三天未响应`);
    // No template for supervised: inbox only. The others wait for WeChat (and, without credits, are skipped).
    expect((await messageOf(supervised, u().city)).wx_status).toBe('none');
    expect((await messageOf(claimed, u().resident)).wx_status).toBe('skipped');
  });

  it('escalated names the new tier', async () => {
    const wish = await makeWish({ title: '辅导孩子功课' });
    const [id] = await enqueue({ wish, kind: 'escalated', tier: 2, audience: { type: 'tier_claimers' } });
    await sender.processOnce();
    expect(await messageOf(id, w.users.staff)).toMatchObject({
      title: '心愿升级',
      body: `心愿「辅导孩子功课」（编号${wish.no}）已转至第2级（基层组织有效办），请及时认领。`,
    });
  });
});

describe('notices raised by the wish lifecycle', () => {
  it('a claim over the API tells the resident, through the inbox API', async () => {
    const submitted = await t.http.post(
      '/api/wishes',
      { communityId: w.communityA, compoundId: w.compoundA, category: 'transport', title: '周三陪老人去医院复查', description: '老人腿脚不便，需要有人陪同去医院复查。', beneficiaryName: '李秀英', beneficiaryPhone: '13912345678', address: '5号楼1单元302', forSelf: true },
      tok('resident'),
    );
    expect(submitted.status).toBe(201);
    const id = submitted.body.id as number;
    expect((await t.http.post(`/api/wishes/${id}/approve`, {}, tok('staff'))).status).toBe(200);
    expect((await t.http.post(`/api/wishes/${id}/claim`, {}, tok('member'))).status).toBe(200);
    await sender.processOnce();
    const inbox = await t.http.get('/api/me/messages', tok('resident'));
    // Newest first: the claim, then the approval (issue 15: every step told).
    expect(inbox.body.items).toEqual([
      expect.objectContaining({ kind: 'claimed', wishId: id, title: '心愿已被认领', body: '您的心愿「周三陪老人去医院复查」已被认领，办理人会尽快与您联系。', read: false }),
      expect.objectContaining({ kind: 'approved', wishId: id, title: '心愿已通过审核', body: '您的心愿「周三陪老人去医院复查」已通过审核，正在等待认领。预计2026-11-30 10:00前有人认领。', read: false }),
    ]);
    // Publishing it had told the community's members it was waiting at tier 1.
    expect((await t.http.get('/api/me/messages', tok('member'))).body.items).toEqual([
      expect.objectContaining({ kind: 'escalated', wishId: id, title: '心愿待认领', body: expect.stringContaining('在第1级（在职党员尽力办）等待认领') }),
    ]);
    expect((await t.http.get('/api/me/messages', tok('memberB'))).body.items).toEqual([]);
  });
});

describe('retries', () => {
  it('retries a notice whose audience cannot be resolved with growing delays, gives up after NOTIFY_MAX_ATTEMPTS, and delivers the rest meanwhile', async () => {
    const wish = await makeWish();
    const [bad, good] = await enqueue(
      { wish: { ...wish, id: 999_999 }, kind: 'escalated', tier: 1, audience: { type: 'tier_claimers' } },
      { wish, kind: 'claimed', audience: { type: 'user', userId: w.users.resident } },
    );
    let r = await sender.processOnce();
    expect(r).toMatchObject({ processed: 2, sent: 1, dead: 0 });
    expect(await recipients(good)).toEqual([w.users.resident]);
    let row = await outboxRow(bad);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, processed_at: null });
    expect(row.last_error).toContain('wish 999999 not found');
    expect(readTime(row.next_attempt_at).getTime()).toBe(t.clock.now().getTime() + outboxBackoffMs(0));
    expect(await recipients(bad)).toEqual([]);

    // Not due yet.
    t.clock.advance(outboxBackoffMs(0) - 1);
    expect(await sender.processOnce()).toMatchObject({ processed: 0 });

    t.clock.advance(1);
    r = await sender.processOnce();
    expect(r).toMatchObject({ processed: 1, sent: 0, dead: 0 });
    row = await outboxRow(bad);
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    expect(readTime(row.next_attempt_at).getTime()).toBe(t.clock.now().getTime() + outboxBackoffMs(1));
    expect(outboxBackoffMs(1)).toBe(2 * outboxBackoffMs(0));

    t.clock.advance(outboxBackoffMs(1));
    r = await sender.processOnce();
    expect(r).toMatchObject({ processed: 1, sent: 0, dead: 1 });
    row = await outboxRow(bad);
    expect(row).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS });
    expect(row.last_error).toContain('wish 999999 not found');
    expect(readTime(row.processed_at).getTime()).toBe(t.clock.now().getTime());

    // Dead stays dead.
    t.clock.advance(24 * 3600_000);
    expect(await sender.processOnce()).toMatchObject({ processed: 0 });
  });

  it('charges no attempt when the database fails: the batch is rolled back and taken again next pass', async () => {
    const wish = await makeWish();
    const [id] = await enqueue({ wish, kind: 'claimed', audience: { type: 'user', userId: w.users.resident } });
    await q(`ALTER TABLE message RENAME TO message_away`);
    try {
      await expect(sender.processOnce()).rejects.toThrow();
    } finally {
      await q(`ALTER TABLE message_away RENAME TO message`);
    }
    expect(await outboxRow(id)).toMatchObject({ status: 'pending', attempts: 0, last_error: null });
    expect(await sender.processOnce()).toMatchObject({ processed: 1, sent: 1 });
    expect(await recipients(id)).toEqual([w.users.resident]);
  });

  it('treats a missing user, an unknown kind and an unknown audience as failures too', async () => {
    const wish = await makeWish();
    const [missingUser] = await enqueue({ wish, kind: 'claimed', audience: { type: 'user', userId: 987_654 } });
    const raw = (kind: string, audienceType: string, audienceId: number | null) =>
      q(`INSERT INTO outbox (wish_id, kind, audience_type, audience_id, tier, note, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, 1, NULL, 'pending', 0, ?, ?)`, [
        wish.id,
        kind,
        audienceType,
        audienceId,
        t.database.time(t.clock.now()),
        t.database.time(t.clock.now()),
      ]);
    await raw('shouted', 'user', w.users.resident);
    await raw('claimed', 'crowd', null);
    expect(await sender.processOnce()).toMatchObject({ processed: 3, sent: 0, dead: 0 });
    const rows = await q(`SELECT id, status, attempts, last_error FROM outbox ORDER BY id`);
    expect(rows.map((r) => [r.status, Number(r.attempts)])).toEqual([
      ['pending', 1],
      ['pending', 1],
      ['pending', 1],
    ]);
    expect(rows[0].last_error).toContain('user 987654 not found');
    expect(rows[1].last_error).toContain('unknown notice kind "shouted"');
    expect(rows[2].last_error).toContain('unknown audience crowd');
    expect(Number(rows[0].id)).toBe(missingUser);
    expect(await count(`SELECT COUNT(*) AS n FROM message`)).toBe(0);
  });
});

describe('no duplicates', () => {
  it('a second pass delivers nothing again', async () => {
    const wish = await makeWish();
    const [id] = await enqueue({ wish, kind: 'escalated', tier: 2, audience: { type: 'tier_claimers' } });
    expect(await sender.processOnce()).toMatchObject({ processed: 1, sent: 1 });
    expect(await sender.processOnce()).toMatchObject({ processed: 0, sent: 0 });
    expect(await recipients(id)).toHaveLength(2);
  });

  it('a notice delivered again (a sender that died before marking it sent) does not double the inbox', async () => {
    const wish = await makeWish();
    const [id] = await enqueue({ wish, kind: 'escalated', tier: 1, audience: { type: 'tier_claimers' } });
    await sender.processOnce();
    const first = await q(`SELECT id, user_id FROM message WHERE outbox_id = ? ORDER BY id`, [id]);
    expect(first).toHaveLength(2);
    await q(`UPDATE outbox SET status = 'pending', processed_at = NULL WHERE id = ?`, [id]);
    expect(await sender.processOnce()).toMatchObject({ processed: 1, sent: 1 });
    expect(await q(`SELECT id, user_id FROM message WHERE outbox_id = ? ORDER BY id`, [id])).toEqual(first);
  });

  it('passes running at the same time take each notice once and send each subscribe message once', async () => {
    const wishes = await Promise.all([makeWish(), makeWish(), makeWish()]);
    // Members A and A2 have credits, so their escalated messages go to WeChat.
    await subscribe(w.users.member, { [TPL.escalated!]: 'accept' });
    await subscribe(w.users.member2, { [TPL.escalated!]: 'accept' });
    await subscribe(w.users.member2, { [TPL.escalated!]: 'accept' });
    const ids = await enqueue(
      ...wishes.flatMap((wish) => [
        { wish, kind: 'escalated' as const, tier: 1, audience: { type: 'tier_claimers' as const } },
        { wish, kind: 'escalated' as const, tier: 2, audience: { type: 'tier_claimers' as const } },
      ]),
    );
    const results: ProcessResult[] = await Promise.all([sender.processOnce(), sender.processOnce(), sender.processOnce(), sender.processOnce()]);
    expect(results.reduce((n, r) => n + r.processed, 0)).toBe(ids.length);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(ids.length);
    expect(await count(`SELECT COUNT(*) AS n FROM message`)).toBe(3 * 2 + 3 * 2);
    expect(await q(`SELECT outbox_id, user_id, COUNT(*) AS n FROM message GROUP BY outbox_id, user_id HAVING COUNT(*) > 1`)).toEqual([]);
    expect(await count(`SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent'`)).toBe(ids.length);

    // WeChat: member has 1 credit (one send), member2 has 2 (two sends); each message went out once.
    const sent = fake.subscribeSent.map((r: any) => r.body.touser);
    expect(sent.filter((o) => o === 't-member')).toHaveLength(1);
    expect(sent.filter((o) => o === 't-member-2')).toHaveLength(2);
    expect(sent).toHaveLength(3);
    expect(results.reduce((n, r) => n + r.wechat.sent, 0)).toBe(3);
    expect(await credits(w.users.member, TPL.escalated!)).toBe(0);
    expect(await credits(w.users.member2, TPL.escalated!)).toBe(0);
    expect(await count(`SELECT COUNT(*) AS n FROM message WHERE wx_status = 'sent'`)).toBe(3);
    // The rest had no credit: member 2, member2 1, the committee and the secretary 3 each.
    expect(await count(`SELECT COUNT(*) AS n FROM message WHERE wx_status = 'skipped'`)).toBe(2 + 1 + 6);
  });
});

describe('WeChat subscribe messages', () => {
  it('sends one with the documented body, fields cut to WeChat limits, and spends one credit', async () => {
    moveClockTo('2026-12-01T01:23:45Z');
    const longTitle = '为独居的王奶奶更换楼道里坏掉的声控灯泡并检查线路';
    const wish = await makeWish({ title: longTitle });
    await subscribe(w.users.member, { [TPL.escalated!]: 'accept' });
    await subscribe(w.users.member, { [TPL.escalated!]: 'accept' });
    expect(await credits(w.users.member, TPL.escalated!)).toBe(2);
    const [id] = await enqueue({ wish, kind: 'escalated', tier: 1, audience: { type: 'tier_claimers' } });
    const r = await sender.processOnce();
    expect(r.wechat).toEqual({ sent: 1, skipped: 1, failed: 0, retrying: 0 });
    expect(sendCalls()).toHaveLength(1);
    const call = sendCalls()[0];
    expect(call.query.access_token).toMatch(/^tok-\d+$/);
    expect(call.body).toEqual({
      touser: 't-member',
      template_id: TPL.escalated,
      // The detail page as listed in the mini-program's app.json (miniapp/src/app.config.ts).
      page: `pages/wish/detail/index?id=${wish.id}`,
      miniprogram_state: 'trial',
      lang: 'zh_CN',
      data: {
        thing1: { value: Array.from(longTitle).slice(0, 19).join('') + '…' },
        character_string2: { value: wish.no },
        phrase3: { value: '第一级' },
        thing4: { value: '在职党员尽力办，请及时认领' },
        time5: { value: '2026-12-01 09:23' },
      },
    });
    expect(Array.from((call.body as any).data.thing1.value)).toHaveLength(20);
    expect(await messageOf(id, w.users.member)).toMatchObject({ wx_status: 'sent', wx_error: null, wx_next_at: null });
    expect(Number((await messageOf(id, w.users.member)).wx_attempts)).toBe(1);
    expect(await credits(w.users.member, TPL.escalated!)).toBe(1);
    // member2 never subscribed: inbox only.
    expect(await messageOf(id, w.users.member2)).toMatchObject({ wx_status: 'skipped', wx_error: 'no subscription credit' });
    // Credits are kept under the template id itself (43 characters for real WeChat ids).
    expect((await q(`SELECT template_key FROM subscription_credit`)).map((r: any) => String(r.template_key))).toContain(TPL.escalated);
  });

  it('skips a recipient without a credit without calling WeChat', async () => {
    const wish = await makeWish();
    const [id] = await enqueue({ wish, kind: 'claimed', audience: { type: 'user', userId: w.users.resident } });
    const r = await sender.processOnce();
    expect(r.wechat).toEqual({ sent: 0, skipped: 1, failed: 0, retrying: 0 });
    expect(sendCalls()).toHaveLength(0);
    expect((await messageOf(id, w.users.resident)).wx_status).toBe('skipped');
  });

  it('uses a short template id as it is', async () => {
    const wish = await makeWish();
    await subscribe(w.users.member, { [TPL.overdue!]: 'accept' });
    expect((await q(`SELECT template_key FROM subscription_credit WHERE user_id = ?`, [w.users.member])).map((r) => r.template_key)).toEqual([TPL.overdue]);
    const [id] = await enqueue({ wish, kind: 'overdue', audience: { type: 'user', userId: w.users.member } });
    await sender.processOnce();
    expect((await messageOf(id, w.users.member)).wx_status).toBe('sent');
    expect((sendCalls()[0].body as any).template_id).toBe(TPL.overdue);
    expect(await credits(w.users.member, TPL.overdue!)).toBe(0);
  });

  it('on 43101 (the user refused) zeroes that user’s credits for the template and skips', async () => {
    const wish = await makeWish();
    for (let i = 0; i < 3; i++) await subscribe(w.users.resident, { [TPL.claimed!]: 'accept', [TPL.completed!]: 'accept' });
    fake.refusedOpenids.add('t-resident');
    const [id] = await enqueue({ wish, kind: 'claimed', audience: { type: 'user', userId: w.users.resident } });
    const r = await sender.processOnce();
    expect(r.wechat).toEqual({ sent: 0, skipped: 1, failed: 0, retrying: 0 });
    expect(sendCalls()).toHaveLength(1);
    const m = await messageOf(id, w.users.resident);
    expect(m.wx_status).toBe('skipped');
    expect(m.wx_error).toContain('43101');
    expect(await credits(w.users.resident, TPL.claimed!)).toBe(0);
    // Another template's credits are the user's business with that template.
    expect(await credits(w.users.resident, TPL.completed!)).toBe(3);
    // The inbox still has it.
    expect(await recipients(id)).toEqual([w.users.resident]);
  });

  it('retries a transient failure (-1) later without spending a second credit', async () => {
    const wish = await makeWish();
    await subscribe(w.users.resident, { [TPL.completed!]: 'accept' });
    await subscribe(w.users.resident, { [TPL.completed!]: 'accept' });
    fake.subscribeReplies.push(wxError(-1, 'system error'));
    const [id] = await enqueue({ wish, kind: 'completed', audience: { type: 'user', userId: w.users.resident } });
    let r = await sender.processOnce();
    expect(r.wechat).toEqual({ sent: 0, skipped: 0, failed: 0, retrying: 1 });
    let m = await messageOf(id, w.users.resident);
    expect(m.wx_status).toBe('pending');
    expect(Number(m.wx_attempts)).toBe(1);
    expect(m.wx_error).toContain('-1');
    expect(readTime(m.wx_next_at).getTime()).toBe(t.clock.now().getTime() + wechatBackoffMs(1));
    expect(await credits(w.users.resident, TPL.completed!)).toBe(1);

    // Not before its time.
    r = await sender.processOnce();
    expect(r.wechat.sent).toBe(0);
    expect(sendCalls()).toHaveLength(1);

    t.clock.advance(wechatBackoffMs(1));
    r = await sender.processOnce();
    expect(r.wechat).toEqual({ sent: 1, skipped: 0, failed: 0, retrying: 0 });
    m = await messageOf(id, w.users.resident);
    expect(m).toMatchObject({ wx_status: 'sent', wx_error: null });
    expect(Number(m.wx_attempts)).toBe(2);
    expect(sendCalls()).toHaveLength(2);
    expect(await credits(w.users.resident, TPL.completed!)).toBe(1);
  });

  it('fails after NOTIFY_MAX_ATTEMPTS transient failures (busy, HTTP 502, dropped connection) and gives the credit back', async () => {
    const wish = await makeWish();
    await subscribe(w.users.resident, { [TPL.completed!]: 'accept' });
    fake.subscribeReplies.push(wxError(-1, 'system error'), { status: 502, contentType: 'text/html', text: '<html>502</html>' }, { hangUp: true });
    const [id] = await enqueue({ wish, kind: 'completed', audience: { type: 'user', userId: w.users.resident } });
    expect((await sender.processOnce()).wechat.retrying).toBe(1);
    expect(await credits(w.users.resident, TPL.completed!)).toBe(0);
    t.clock.advance(wechatBackoffMs(1));
    expect((await sender.processOnce()).wechat.retrying).toBe(1);
    let m = await messageOf(id, w.users.resident);
    expect(m.wx_error).toContain('bad_status');
    expect(readTime(m.wx_next_at).getTime()).toBe(t.clock.now().getTime() + wechatBackoffMs(2));
    t.clock.advance(wechatBackoffMs(2));
    expect((await sender.processOnce()).wechat).toEqual({ sent: 0, skipped: 0, failed: 1, retrying: 0 });
    m = await messageOf(id, w.users.resident);
    expect(m.wx_status).toBe('failed');
    expect(m.wx_error).toContain('network');
    expect(Number(m.wx_attempts)).toBe(MAX_ATTEMPTS);
    expect(sendCalls()).toHaveLength(MAX_ATTEMPTS);
    expect(await credits(w.users.resident, TPL.completed!)).toBe(1);
    t.clock.advance(3600_000);
    await sender.processOnce();
    expect(sendCalls()).toHaveLength(MAX_ATTEMPTS);
  });

  it('fails at once on an errcode that retrying cannot fix', async () => {
    const wish = await makeWish();
    await subscribe(w.users.resident, { [TPL.claimed!]: 'accept' });
    fake.subscribeReplies.push(wxError(40003, 'invalid openid'));
    const [id] = await enqueue({ wish, kind: 'claimed', audience: { type: 'user', userId: w.users.resident } });
    expect((await sender.processOnce()).wechat).toEqual({ sent: 0, skipped: 0, failed: 1, retrying: 0 });
    const m = await messageOf(id, w.users.resident);
    expect(m.wx_status).toBe('failed');
    expect(m.wx_error).toContain('40003');
    expect(m.wx_next_at).toBeNull();
    expect(await credits(w.users.resident, TPL.claimed!)).toBe(1);
  });

  it('fetches the access token once, keeps it, and refreshes it 5 minutes before it runs out', async () => {
    // Whatever token earlier tests left cached is due for refresh after three hours.
    t.clock.advance(3 * 3600_000);
    const wish = await makeWish();
    for (const k of ['member', 'member2'] as const) for (let i = 0; i < 4; i++) await subscribe(w.users[k], { [TPL.escalated!]: 'accept' });
    const send = async () => {
      await enqueue({ wish, kind: 'escalated', tier: 1, audience: { type: 'tier_claimers' } });
      expect((await sender.processOnce()).wechat.sent).toBe(2);
    };
    const fetchedAt = t.clock.now().getTime();
    await send();
    expect(stableTokenCalls()).toHaveLength(1);
    expect(stableTokenCalls()[0].body).toEqual({ grant_type: 'client_credential', appid: APPID, secret: SECRET, force_refresh: false });
    await send();
    expect(stableTokenCalls()).toHaveLength(1);
    const tokens = new Set(sendCalls().map((c) => c.query.access_token));
    expect(tokens.size).toBe(1);

    t.clock.set(new Date(fetchedAt + 7200_000 - TOKEN_REFRESH_AHEAD_MS - 1000));
    await send();
    expect(stableTokenCalls()).toHaveLength(1);
    t.clock.advance(2000);
    await send();
    expect(stableTokenCalls()).toHaveLength(2);
    expect((stableTokenCalls()[1].body as any).force_refresh).toBe(false);
  });

  it.each([
    [40001, 'an invalid token'],
    [42001, 'an expired token'],
  ])('on %i (%s) forces one token refresh and sends again with the new token', async (errcode) => {
    const wish = await makeWish();
    await subscribe(w.users.resident, { [TPL.claimed!]: 'accept' });
    // Make sure a token is cached first.
    await t.app.get(WechatAccessToken).get();
    fake.reset();
    if (errcode === 40001) fake.subscribeReplies.push(wxError(40001, 'invalid credential, access_token is invalid or not latest'));
    else fake.expireTokens();
    const [id] = await enqueue({ wish, kind: 'claimed', audience: { type: 'user', userId: w.users.resident } });
    expect((await sender.processOnce()).wechat).toEqual({ sent: 1, skipped: 0, failed: 0, retrying: 0 });
    expect(stableTokenCalls()).toHaveLength(1);
    expect((stableTokenCalls()[0].body as any).force_refresh).toBe(true);
    const [first, second] = sendCalls();
    expect(sendCalls()).toHaveLength(2);
    expect(second.query.access_token).not.toBe(first.query.access_token);
    expect(second.query.access_token).toBe(fake.issuedTokens[fake.issuedTokens.length - 1]);
    expect((await messageOf(id, w.users.resident)).wx_status).toBe('sent');
    expect(await credits(w.users.resident, TPL.claimed!)).toBe(0);
  });

  it('concurrent callers share one token request, and one forced refresh', async () => {
    const tokens = new WechatAccessToken(t.app.get(WechatClient), t.clock);
    const got = await Promise.all([tokens.get(), tokens.get(), tokens.get()]);
    expect(stableTokenCalls()).toHaveLength(1);
    expect(new Set(got).size).toBe(1);
    const refreshed = await Promise.all([tokens.refreshAfterRejection(got[0]), tokens.refreshAfterRejection(got[0])]);
    expect(stableTokenCalls()).toHaveLength(2);
    expect((stableTokenCalls()[1].body as any).force_refresh).toBe(true);
    expect(refreshed[0]).toBe(refreshed[1]);
    expect(refreshed[0]).not.toBe(got[0]);
    // A caller that was refused the old token after the refresh gets the new one, without another request.
    expect(await tokens.refreshAfterRejection(got[0])).toBe(refreshed[0]);
    expect(stableTokenCalls()).toHaveLength(2);
  });

  it('keeps a message pending when no token can be had, and sends it once WeChat answers again', async () => {
    const wish = await makeWish();
    await subscribe(w.users.resident, { [TPL.claimed!]: 'accept' });
    // Whatever token is cached is due for refresh, and WeChat is busy.
    t.clock.advance(3 * 3600_000);
    fake.stableTokenReplies.push(wxError(-1, 'system error'));
    const [id] = await enqueue({ wish, kind: 'claimed', audience: { type: 'user', userId: w.users.resident } });
    expect((await sender.processOnce()).wechat.retrying).toBe(1);
    let m = await messageOf(id, w.users.resident);
    expect(m.wx_status).toBe('pending');
    expect(m.wx_error).toContain('no access token');
    expect(stableTokenCalls()).toHaveLength(1);
    expect(sendCalls()).toHaveLength(0);
    expect(await credits(w.users.resident, TPL.claimed!)).toBe(0);
    t.clock.advance(wechatBackoffMs(1));
    expect((await sender.processOnce()).wechat.sent).toBe(1);
    m = await messageOf(id, w.users.resident);
    expect(m.wx_status).toBe('sent');
    expect(await credits(w.users.resident, TPL.claimed!)).toBe(0);
  });
});

describe('GET/POST /api/me/messages', () => {
  async function inbox(userKey: UserKey, n: number): Promise<{ id: number; no: string }> {
    const wish = await makeWish({ title: '帮忙取药' });
    const kinds: NoticeKind[] = ['claimed', 'completed', 'overdue', 'supervised', 'escalated'];
    for (let i = 0; i < n; i++) {
      await enqueue({ wish, kind: kinds[i % kinds.length], audience: { type: 'user', userId: w.users[userKey] } });
      t.clock.advance(1000);
    }
    await sender.processOnce();
    return wish;
  }

  it('lists my messages newest first, page by page, and nobody else’s', async () => {
    const wish = await inbox('resident', 5);
    await inbox('resident2', 2);
    const all = (await q(`SELECT id FROM message WHERE user_id = ? ORDER BY id DESC`, [w.users.resident])).map((r) => Number(r.id));
    expect(all).toHaveLength(5);

    const p1 = await t.http.get('/api/me/messages?limit=2', tok('resident'));
    expect(p1.status).toBe(200);
    expect(p1.body.items.map((m: any) => m.id)).toEqual(all.slice(0, 2));
    expect(p1.body.items[0]).toEqual({
      id: all[0],
      kind: 'escalated',
      title: '心愿待认领',
      body: `心愿「帮忙取药」（编号${wish.no}）在第1级（在职党员尽力办）等待认领，请及时认领。`,
      wishId: wish.id,
      reportId: null,
      read: false,
      readAt: null,
      createdAt: expect.any(String),
    });
    expect(p1.body.items[1]).toMatchObject({ kind: 'supervised', title: '心愿列入督办' });
    expect(Date.parse(p1.body.items[0].createdAt)).toBeGreaterThan(Date.parse(p1.body.items[1].createdAt));
    const p2 = await t.http.get(`/api/me/messages?limit=2&cursor=${p1.body.nextCursor}`, tok('resident'));
    expect(p2.body.items.map((m: any) => m.id)).toEqual(all.slice(2, 4));
    const p3 = await t.http.get(`/api/me/messages?limit=2&cursor=${p2.body.nextCursor}`, tok('resident'));
    expect(p3.body.items.map((m: any) => m.id)).toEqual(all.slice(4));
    expect(p3.body.nextCursor).toBeNull();

    const def = await t.http.get('/api/me/messages', tok('resident2'));
    expect(def.body.items).toHaveLength(2);
    expect(def.body.nextCursor).toBeNull();
    expect(def.body.items.every((m: any) => !all.includes(m.id))).toBe(true);
    expect((await t.http.get('/api/me/messages', tok('street'))).body).toEqual({ items: [], nextCursor: null });
  });

  it('counts unread messages, marks one read (once), filters unread, and marks all read', async () => {
    await inbox('resident', 3);
    await inbox('resident2', 1);
    const me = tok('resident');
    expect((await t.http.get('/api/me/messages/unread-count', me)).body).toEqual({ unread: 3 });
    const [newest, middle] = (await t.http.get('/api/me/messages', me)).body.items;

    const read = await t.http.post(`/api/me/messages/${middle.id}/read`, {}, me);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: middle.id, read: true, readAt: t.clock.now().toISOString() });
    t.clock.advance(60_000);
    const again = await t.http.post(`/api/me/messages/${middle.id}/read`, {}, me);
    expect(again.status).toBe(200);
    expect(again.body.readAt).toBe(read.body.readAt);
    expect((await t.http.get('/api/me/messages/unread-count', me)).body).toEqual({ unread: 2 });

    const unread = await t.http.get('/api/me/messages?unread=true', me);
    expect(unread.body.items.map((m: any) => m.id)).not.toContain(middle.id);
    expect(unread.body.items.map((m: any) => m.id)).toContain(newest.id);
    expect(unread.body.items).toHaveLength(2);
    expect((await t.http.get('/api/me/messages?unread=false', me)).body.items).toHaveLength(3);

    const all = await t.http.post('/api/me/messages/read-all', {}, me);
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ marked: 2 });
    expect((await t.http.get('/api/me/messages/unread-count', me)).body).toEqual({ unread: 0 });
    expect((await t.http.post('/api/me/messages/read-all', {}, me)).body).toEqual({ marked: 0 });
    // The other resident's message is untouched.
    expect((await t.http.get('/api/me/messages/unread-count', tok('resident2'))).body).toEqual({ unread: 1 });
  });

  it('answers 404 for someone else’s message (and leaves it unread), 400 for bad ids, cursors and queries, 401 without a token', async () => {
    await inbox('resident2', 1);
    const [theirs] = (await t.http.get('/api/me/messages', tok('resident2'))).body.items;
    const r = await t.http.post(`/api/me/messages/${theirs.id}/read`, {}, tok('resident'));
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ code: 'MESSAGE_NOT_FOUND', message: ERROR_MESSAGES_ZH.MESSAGE_NOT_FOUND, requestId: expect.any(String) });
    expect((await t.http.get('/api/me/messages/unread-count', tok('resident2'))).body).toEqual({ unread: 1 });
    expect((await t.http.post(`/api/me/messages/999999/read`, {}, tok('resident'))).status).toBe(404);
    expect((await t.http.post(`/api/me/messages/abc/read`, {}, tok('resident'))).body.code).toBe('VALIDATION_FAILED');

    for (const bad of ['cursor=bm90LWEtY3Vyc29y', 'cursor=' + Buffer.from('[0]').toString('base64url'), 'cursor=' + Buffer.from('[1.5]').toString('base64url'), 'limit=0', 'limit=51', 'limit=x', 'unread=maybe', 'sort=asc']) {
      const res = await t.http.get(`/api/me/messages?${bad}`, tok('resident'));
      expect([bad, res.status, res.body.code]).toEqual([bad, 400, 'VALIDATION_FAILED']);
    }
    expect((await t.http.get('/api/me/messages')).status).toBe(401);
    expect((await t.http.get('/api/me/messages/unread-count')).status).toBe(401);
  });
});

describe('GET/POST /api/me/subscriptions', () => {
  it('lists the configured templates with my credits; accept adds one, reject/ban/filter change nothing', async () => {
    const me = tok('member');
    const empty = await t.http.get('/api/me/subscriptions', me);
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({
      items: [
        { kind: 'escalated', templateId: TPL.escalated, credits: 0 },
        { kind: 'claimed', templateId: TPL.claimed, credits: 0 },
        { kind: 'completed', templateId: TPL.completed, credits: 0 },
        { kind: 'overdue', templateId: TPL.overdue, credits: 0 },
      ],
    });
    // As wx.requestSubscribeMessage answers, errMsg included.
    let r = await t.http.post('/api/me/subscriptions', { results: { errMsg: 'requestSubscribeMessage:ok', [TPL.escalated!]: 'accept', [TPL.claimed!]: 'reject', [TPL.overdue!]: 'accept' } }, me);
    expect(r.status).toBe(200);
    expect(r.body.items.map((i: any) => [i.kind, i.credits])).toEqual([
      ['escalated', 1],
      ['claimed', 0],
      ['completed', 0],
      ['overdue', 1],
    ]);
    r = await t.http.post('/api/me/subscriptions', { results: { [TPL.escalated!]: 'accept', [TPL.overdue!]: 'reject' } }, me);
    expect(r.body.items.map((i: any) => i.credits)).toEqual([2, 0, 0, 1]);
    r = await t.http.post('/api/me/subscriptions', { results: { [TPL.escalated!]: 'ban', [TPL.overdue!]: 'filter' } }, me);
    expect(r.body.items.map((i: any) => i.credits)).toEqual([2, 0, 0, 1]);
    // Someone else's credits are theirs.
    expect((await t.http.get('/api/me/subscriptions', tok('member2'))).body.items.map((i: any) => i.credits)).toEqual([0, 0, 0, 0]);
  });

  it('refuses unknown template ids (changing nothing), bad results and unknown fields with 400', async () => {
    const me = tok('member');
    const unknown = await t.http.post('/api/me/subscriptions', { results: { [TPL.escalated!]: 'accept', 'someone-elses-template-1234': 'accept' } }, me);
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('VALIDATION_FAILED');
    expect(unknown.body.details.join(' ')).toContain('someone-elses-template-1234');
    expect(await credits(w.users.member, TPL.escalated!)).toBe(0);

    for (const body of [
      { results: { [TPL.escalated!]: 'yes' } },
      { results: {} },
      { results: [TPL.escalated] },
      { results: 'accept' },
      { results: { 'bad id!': 'accept' } },
      { results: { [TPL.escalated!]: 'accept' }, extra: 1 },
      {},
    ]) {
      const r = await t.http.post('/api/me/subscriptions', body, me);
      expect([JSON.stringify(body), r.status, r.body.code]).toEqual([JSON.stringify(body), 400, 'VALIDATION_FAILED']);
    }
    expect(await credits(w.users.member, TPL.escalated!)).toBe(0);
    expect((await t.http.post('/api/me/subscriptions', { results: { [TPL.escalated!]: 'accept' } })).status).toBe(401);
  });
});

describe('the background loop', () => {
  it('does nothing on its own with NOTIFY_ENABLED=false, even with a 100 ms interval', async () => {
    // With the interval at 100 ms an enabled loop would run three or four times in the 400 ms waited
    // here (the next test shows one delivering), so this fails if the flag were ignored.
    const app = await createTestApp({ NOTIFY_ENABLED: 'false', NOTIFY_INTERVAL_MS: '100', DISPATCH_ENABLED: 'false' }, { clock: new FakeClock(START) });
    try {
      const s = app.app.get(NotificationSender);
      const spy = jest.spyOn(s, 'processOnce');
      const person = await app.database.tx((m) => makePerson(m, app.clock.now(), { openid: 'off-user', nickname: '关闭', grants: [] }));
      const wishId = await insertWish(app.database, app.clock.now(), { districtId: 1, streetId: 1, communityId: 1, submitterId: person.id, title: '测试', state: 'claimed' });
      await app.database.tx((m) =>
        enqueueNotices(m, [{ wishId, kind: 'claimed', audience: { type: 'user', userId: person.id }, tier: 1, createdAt: app.clock.now() }], (d) => app.database.time(d)),
      );
      await new Promise((r) => setTimeout(r, 400));
      expect(spy).not.toHaveBeenCalled();
      expect((await app.database.dataSource.query(`SELECT status FROM outbox WHERE wish_id = ?`, [wishId])).map((r: { status: string }) => r.status)).toEqual(['pending']);
      expect(Number((await app.database.dataSource.query(`SELECT COUNT(*) AS n FROM message WHERE user_id = ?`, [person.id]))[0].n)).toBe(0);
      spy.mockRestore();
    } finally {
      await app.close();
    }
  });

  it('with NOTIFY_ENABLED, delivers on its own every NOTIFY_INTERVAL_MS, one run at a time, and stops on close', async () => {
    const app = await createTestApp({ NOTIFY_ENABLED: 'true', NOTIFY_INTERVAL_MS: '100', DISPATCH_ENABLED: 'false' }, { clock: new FakeClock(START) });
    let closed = false;
    try {
      const s = app.app.get(NotificationSender);
      const real = s.processOnce.bind(s);
      let running = 0;
      let most = 0;
      let runs = 0;
      const spy = jest.spyOn(s, 'processOnce').mockImplementation(async () => {
        running++;
        runs++;
        most = Math.max(most, running);
        try {
          await new Promise((r) => setTimeout(r, 250));
          return await real();
        } finally {
          running--;
        }
      });
      const person = await app.database.tx((m) => makePerson(m, app.clock.now(), { openid: 'loop-user', nickname: '循环', grants: [] }));
      // A notice names its wish: this app's database gets one of its own (the ids of its organisations do not matter here).
      const wishId = await insertWish(app.database, app.clock.now(), { districtId: 1, streetId: 1, communityId: 1, submitterId: person.id, title: '测试', state: 'claimed' });
      await app.database.tx((m) =>
        enqueueNotices(m, [{ wishId, kind: 'claimed', audience: { type: 'user', userId: person.id }, tier: 1, createdAt: app.clock.now() }], (d) => app.database.time(d)),
      );
      const deadline = Date.now() + 10_000;
      let delivered = 0;
      while (Date.now() < deadline && (delivered === 0 || runs < 3)) {
        await new Promise((r) => setTimeout(r, 50));
        delivered = Number((await app.database.dataSource.query(`SELECT COUNT(*) AS n FROM message WHERE user_id = ?`, [person.id]))[0].n);
      }
      expect(delivered).toBe(1);
      expect(runs).toBeGreaterThanOrEqual(3);
      expect(most).toBe(1);
      await app.close();
      closed = true;
      const after = runs;
      await new Promise((r) => setTimeout(r, 400));
      expect(runs).toBe(after);
      spy.mockRestore();
    } finally {
      if (!closed) await app.close();
    }
  });
});
