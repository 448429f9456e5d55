import { DEFAULT_YEARLY_FUND_FEN, SENSITIVE_CATEGORY_CODES, WISH_STATES } from '@xinyuan/shared';
import { DemoSeeder } from '../../src/modules/demo/demo.seeder';
import { NotificationSender } from '../../src/modules/notifications/notification.sender';
import { createTestApp, type TestApp } from '../create-test-app';

const DEMO_OPENIDS = ['demo-resident', 'demo-member', 'demo-member-2', 'demo-grid', 'demo-community-admin', 'demo-unit-admin', 'demo-street', 'demo-city-admin'];
const TABLES = ['organisation', 'unit_pairing', 'app_user', 'role_grant', 'consent', 'member_registration', 'wish', 'wish_event', 'photo'];

describe('the demo seed (SEED_DEMO=true)', () => {
  let t: TestApp;
  const q = (sql: string, params: unknown[] = []): Promise<any[]> => t.database.dataSource.query(sql, params);
  const count = async (sql: string, params: unknown[] = []) => Number((await q(sql, params))[0].n);
  const counts = async () => Object.fromEntries(await Promise.all(TABLES.map(async (tb) => [tb, await count(`SELECT COUNT(*) AS n FROM ${tb}`)] as const)));

  async function login(openid: string): Promise<{ token: string; user: any }> {
    const r = await t.http.post('/api/auth/dev-login', { openid });
    expect(r.status).toBe(200);
    return r.body;
  }

  beforeAll(async () => {
    t = await createTestApp({ SEED_DEMO: 'true', AUTH_DEV_LOGIN: 'true' });
  });
  afterAll(() => t.close());

  it('builds one city, district and street, four communities of classes A–D with their funds, compounds and paired units', async () => {
    const orgs = await q('SELECT id, kind, name, parent_id, community_class, yearly_fund_fen FROM organisation ORDER BY id');
    const ofKind = (k: string) => orgs.filter((o) => o.kind === k);
    const [city] = ofKind('city');
    const [district] = ofKind('district');
    const [street] = ofKind('street');
    expect([ofKind('city').length, ofKind('district').length, ofKind('street').length]).toEqual([1, 1, 1]);
    expect(district.parent_id === null ? null : Number(district.parent_id)).toBe(Number(city.id));
    expect(Number(street.parent_id)).toBe(Number(district.id));

    const communities = ofKind('community');
    expect(communities).toHaveLength(4);
    const byClass = Object.fromEntries(communities.map((c) => [c.community_class, c]));
    expect(Object.keys(byClass).sort()).toEqual(['A', 'B', 'C', 'D']);
    expect(Object.fromEntries(communities.map((c) => [c.community_class, Number(c.yearly_fund_fen)]))).toEqual({ A: 15000000, B: 30000000, C: 15000000, D: 10000000 });
    expect(DEFAULT_YEARLY_FUND_FEN).toEqual({ A: 15000000, B: 30000000, C: 15000000, D: 10000000 });
    for (const c of communities) expect(Number(c.parent_id)).toBe(Number(street.id));

    const compounds = ofKind('compound');
    for (const c of communities) {
      expect(compounds.filter((x) => Number(x.parent_id) === Number(c.id)).length).toBeGreaterThanOrEqual(1);
    }
    for (const x of compounds) expect(communities.map((c) => Number(c.id))).toContain(Number(x.parent_id));
    // Only communities carry a class and a fund.
    for (const o of orgs.filter((o) => o.kind !== 'community')) expect([o.community_class, o.yearly_fund_fen]).toEqual([null, null]);

    const units = ofKind('unit');
    expect(units).toHaveLength(2);
    const pairings = await q('SELECT unit_id, community_id, starts_on, ends_on FROM unit_pairing');
    const communityIds = communities.map((c) => Number(c.id));
    for (const u of units) expect(pairings.filter((p) => Number(p.unit_id) === Number(u.id)).length).toBeGreaterThanOrEqual(1);
    for (const p of pairings) {
      expect(units.map((u) => Number(u.id))).toContain(Number(p.unit_id));
      expect(communityIds).toContain(Number(p.community_id));
    }
  });

  it('creates a user for every demo role, each of whom can dev-login, consented', async () => {
    const rows = await q(`SELECT id, openid FROM app_user WHERE openid IN (${DEMO_OPENIDS.map(() => '?').join(',')})`, DEMO_OPENIDS);
    expect(rows.map((r) => r.openid).sort()).toEqual([...DEMO_OPENIDS].sort());
    const idOf = new Map(rows.map((r) => [r.openid, Number(r.id)]));
    const expectedRole: Record<string, string> = {
      'demo-resident': 'resident',
      'demo-member': 'member',
      'demo-member-2': 'member',
      'demo-grid': 'grid_worker',
      'demo-community-admin': 'community_admin',
      'demo-unit-admin': 'unit_admin',
      'demo-street': 'street_handler',
      'demo-city-admin': 'city_admin',
    };
    const before = await count('SELECT COUNT(*) AS n FROM app_user');
    for (const openid of DEMO_OPENIDS) {
      const { token, user } = await login(openid);
      expect(user.id).toBe(idOf.get(openid));
      expect(user.consentRequired).toBe(false);
      expect(user.roles.map((r: any) => r.role)).toContain(expectedRole[openid]);
      const me = await t.http.get('/api/me', token);
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(idOf.get(openid));
    }
    // Logging in did not create anyone.
    expect(await count('SELECT COUNT(*) AS n FROM app_user')).toBe(before);
  });

  it('has about thirty wishes in every state, and the event ledger agrees with the rows', async () => {
    const wishes = await q('SELECT w.id, w.state, w.tier, w.category, w.sensitive AS is_sensitive FROM wish w ORDER BY w.id');
    expect(wishes.length).toBeGreaterThanOrEqual(25);
    expect(wishes.length).toBeLessThanOrEqual(40);
    expect([...new Set(wishes.map((x) => x.state))].sort()).toEqual([...WISH_STATES].sort());

    const events = await q('SELECT wish_id, type, from_state, to_state, to_tier FROM wish_event ORDER BY wish_id, id');
    const byWish = new Map<number, any[]>();
    for (const e of events) {
      const list = byWish.get(Number(e.wish_id)) ?? [];
      list.push(e);
      byWish.set(Number(e.wish_id), list);
    }
    // No event belongs to a wish that does not exist.
    expect([...byWish.keys()].every((id) => wishes.some((x) => Number(x.id) === id))).toBe(true);
    for (const wish of wishes) {
      const list = byWish.get(Number(wish.id)) ?? [];
      const label = `wish ${wish.id}`;
      expect([label, list.length >= 1]).toEqual([label, true]);
      expect([label, list[0].type, list[0].from_state]).toEqual([label, 'submit', null]);
      expect([label, list.at(-1).to_state]).toEqual([label, wish.state]);
      expect([label, Number(list.at(-1).to_tier)]).toEqual([label, Number(wish.tier)]);
      // Each event starts where the previous one ended.
      for (let i = 1; i < list.length; i++) expect([label, i, list[i].from_state]).toEqual([label, i, list[i - 1].to_state]);
      // The sensitive flag follows the category (SENSITIVE is a reserved word in MariaDB, hence the alias).
      expect([label, Boolean(Number(wish.is_sensitive))]).toEqual([label, (SENSITIVE_CATEGORY_CODES as string[]).includes(wish.category)]);
    }
  });

  it('is idempotent: seeding again does nothing', async () => {
    const before = await counts();
    expect(before.wish).toBeGreaterThan(0);
    await expect(t.app.get(DemoSeeder).seed()).resolves.toBe(false);
    expect(await counts()).toEqual(before);
  });

  it('shows demo-member a wall of open wishes without any sensitive one', async () => {
    const { token } = await login('demo-member');
    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const r: any = await t.http.get(`/api/wishes/wall?limit=5${cursor ? `&cursor=${cursor}` : ''}`, token);
      expect(r.status).toBe(200);
      seen.push(...r.body.items);
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen.length).toBeGreaterThan(0);
    for (const x of seen) {
      expect(x.state).toBe('open');
      expect(x.masked).toBe(true);
      expect(SENSITIVE_CATEGORY_CODES).not.toContain(x.category);
    }
    // The demo does have sensitive open wishes in that community; the wall leaves them out.
    const memberId = Number((await q(`SELECT id FROM app_user WHERE openid = 'demo-member'`))[0].id);
    const community = Number((await q(`SELECT org_id FROM role_grant WHERE user_id = ? AND role = 'member'`, [memberId]))[0].org_id);
    const sensitiveOpen = await q(`SELECT id FROM wish WHERE community_id = ? AND state = 'open' AND category IN ('health', 'hardship')`, [community]);
    expect(sensitiveOpen.length).toBeGreaterThan(0);
    for (const s of sensitiveOpen) expect(seen.map((x) => x.id)).not.toContain(Number(s.id));
    // Everything open and not sensitive in the community is on the wall.
    const expected = await q(`SELECT id FROM wish WHERE community_id = ? AND state = 'open' AND category NOT IN ('health', 'hardship')`, [community]);
    expect(seen.map((x) => x.id).sort((a, b) => a - b)).toEqual(expected.map((e) => Number(e.id)).sort((a, b) => a - b));
  });

  it('tells the demo people of their wishes’ steps in their inboxes: the paired unit of a tier-3 wish, the street of a tier-4 one, the resident of theirs (issue 15)', async () => {
    await t.app.get(NotificationSender).processOnce();
    const inbox = async (openid: string) => (await t.http.get('/api/me/messages?limit=50', (await login(openid)).token)).body.items.map((m: any) => `${m.kind}|${m.title}|${m.body}`);
    expect(await inbox('demo-unit-admin')).toEqual(expect.arrayContaining([expect.stringMatching(/^escalated\|心愿升级\|心愿「路灯不亮」（编号XY\d+）已转至第3级（联点单位精准办），请及时认领。$/)]));
    expect(await inbox('demo-street')).toEqual(expect.arrayContaining([expect.stringMatching(/^escalated\|心愿升级\|心愿「地下车库积水」（编号XY\d+）已转至第4级（有诉必应马上办），请及时认领。$/)]));
    const resident = await inbox('demo-resident');
    expect(resident).toEqual(expect.arrayContaining(['claimed|心愿已被认领|您的心愿「楼道声控灯不亮」已被认领，办理人会尽快与您联系。', 'completed|心愿已办结|您的心愿「楼道声控灯不亮」已办结，请确认并评价。', 'transferred|心愿已转交|您的心愿「楼下绿化带杂草」已转交联点单位办理。']));
  });

  it('leaves demo-member within the claim limit', async () => {
    const { token, user } = await login('demo-member');
    const held = await count(`SELECT COUNT(*) AS n FROM wish WHERE claimant_id = ? AND state = 'claimed'`, [user.id]);
    expect(held).toBeLessThanOrEqual(3);
    const claimed = await t.http.get('/api/wishes/claimed?state=claimed&limit=50', token);
    expect(claimed.status).toBe(200);
    expect(claimed.body.items.length).toBe(held);
    expect(claimed.body.items.length).toBeLessThanOrEqual(3);
  });
});
