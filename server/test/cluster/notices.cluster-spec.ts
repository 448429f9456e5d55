// Issue 16 on a Galera cluster: the notification sender run by two instances on two nodes at once
// (no lease: JOB_LEASE=off, so both really take the same batches). A notice reaches each person's
// inbox once, and each WeChat subscribe message is sent once: the claim of a message (a guarded
// UPDATE) commits before the send, and a claim that loses on the other node fails certification,
// is retried, and then finds the message taken.
import type { NoticeKind } from '@xinyuan/shared';
import { FakeClock } from '../../src/common/clock';
import { makePerson } from '../../src/modules/demo/fixtures';
import { NotificationSender, type ProcessResult } from '../../src/modules/notifications/notification.sender';
import { enqueueNotices } from '../../src/modules/outbox/outbox';
import type { TestApp } from '../create-test-app';
import { buildWorld, insertWish, type World } from '../factories/world';
import { FakeWechat } from '../fakes/fake-wechat';
import { appsOnNodes, clusterStatus, freshClusterDb, syncedQuery } from './cluster';

const APPID = 'wx0123456789abcdef';
const SECRET = 'fake-wechat-secret-0123456789abcdef';
const TPL: Partial<Record<NoticeKind, string>> = { escalated: 'zun-LzcQyW-edafCVvzPkK4de2Rllr1fFpw2A_x0oXE' };
const START = Date.parse('2026-11-27T02:00:00Z');
const MEMBERS = 20;
const WISHES = 3;

describe('the notification sender on two Galera nodes at once', () => {
  let dbName: string;
  let drop: () => Promise<void>;
  let apps: TestApp[];
  let fake: FakeWechat;
  let w: World;
  let members: number[];

  beforeAll(async () => {
    fake = await FakeWechat.start({ appId: APPID, secret: SECRET });
    ({ name: dbName, drop } = await freshClusterDb());
    const env: Record<string, string> = { JOB_LEASE: 'off', WECHAT_APPID: APPID, WECHAT_SECRET: SECRET, WECHAT_API_BASE: fake.url, WECHAT_TIMEOUT_MS: '2000', WECHAT_MINIPROGRAM_STATE: 'trial', WECHAT_TEMPLATE_ESCALATED: TPL.escalated! };
    apps = await appsOnNodes(dbName, [1, 2], env, () => new FakeClock(START));
    const t = apps[0];
    w = await buildWorld(t.database, t.clock.now());
    members = await t.database.tx(async (m) => {
      const out: number[] = [];
      for (let i = 0; i < MEMBERS; i++) out.push((await makePerson(m, t.clock.now(), { openid: `t-cluster-member-${i}`, nickname: `党员${i}`, grants: [{ role: 'member', orgId: w.communityA }] })).id);
      return out;
    });
    // Each of them accepts the escalated template twice: two credits, so two of their three messages go to WeChat.
    for (const id of members) {
      for (let k = 0; k < 2; k++) expect((await t.http.post('/api/me/subscriptions', { results: { [TPL.escalated!]: 'accept' } }, t.tokenFor(id))).status).toBe(200);
    }
  });
  afterAll(async () => {
    for (const a of apps ?? []) await a.close();
    await drop?.();
    await fake?.close();
  });

  it('each notice reaches each inbox once and each subscribe message is sent once', async () => {
    const t = apps[0];
    const wishes: number[] = [];
    for (let i = 0; i < WISHES; i++) wishes.push(await insertWish(t.database, t.clock.now(), { districtId: w.districtId, streetId: w.streetId, communityId: w.communityA, compoundId: w.compoundA, submitterId: w.users.resident, title: `楼道灯坏了 ${i}` }));
    await t.database.tx((m) => enqueueNotices(m, wishes.map((wishId) => ({ wishId, kind: 'escalated' as const, audience: { type: 'tier_claimers' as const }, tier: 1, createdAt: t.clock.now() })), (d) => t.database.time(d)));
    await syncedQuery(2, dbName, 'SELECT COUNT(*) FROM outbox');
    const certBefore = await clusterStatus('wsrep_local_cert_failures');

    const [a, b] = apps.map((x) => x.app.get(NotificationSender));
    const results: ProcessResult[] = await Promise.all([a.processOnce(), b.processOnce(), a.processOnce(), b.processOnce()]);

    // Every tier-1 claimer of community A: the 20 members and the world's two.
    const claimers = MEMBERS + 2;
    for (const node of [1, 2, 3] as const) {
      const [dup] = await syncedQuery(node, dbName, `SELECT COUNT(*) AS n FROM (SELECT outbox_id, user_id FROM message GROUP BY outbox_id, user_id HAVING COUNT(*) > 1) d`);
      expect(Number(dup.n)).toBe(0);
      const [msgs] = await syncedQuery(node, dbName, `SELECT COUNT(*) AS n FROM message`);
      expect(Number(msgs.n)).toBe(WISHES * claimers);
      const [sent] = await syncedQuery(node, dbName, `SELECT COUNT(*) AS n FROM message WHERE wx_status = 'sent'`);
      expect(Number(sent.n)).toBe(MEMBERS * 2);
    }
    expect(results.reduce((n, r) => n + r.processed, 0)).toBe(WISHES);
    // WeChat: two sends per member, none twice.
    const byUser = new Map<string, number>();
    for (const r of fake.subscribeSent) byUser.set((r.body as { touser: string }).touser, (byUser.get((r.body as { touser: string }).touser) ?? 0) + 1);
    expect(fake.subscribeSent).toHaveLength(MEMBERS * 2);
    expect([...byUser.values()].every((n) => n === 2)).toBe(true);
    expect(byUser.size).toBe(MEMBERS);
    expect(results.reduce((n, r) => n + r.wechat.sent, 0)).toBe(MEMBERS * 2);
    const [left] = await syncedQuery(3, dbName, `SELECT COALESCE(SUM(credits), 0) AS n FROM subscription_credit`);
    expect(Number(left.n)).toBe(0);
    console.log(`notices on two nodes: ${WISHES} notices → ${WISHES * claimers} inbox rows, ${fake.subscribeSent.length} WeChat sends (each once); passes: ${results.map((r) => `${r.processed}/${r.wechat.sent}`).join(', ')} (notices/sends); certification failures ${(await clusterStatus('wsrep_local_cert_failures')) - certBefore}`);
  });
});
