// Integrity flags (诚信预警) in the H5 build: the committee's and the street's dashboards show every
// flag the server reports (count, red when the submitter approved their own wish), and a flag opens
// the list of exactly the wishes behind it. Screenshots: e2e/screenshots/integrity-*.png.
const path = require('node:path');
const { useH5Session, api, devLogin, MINIAPP, localThisYear } = require('./harness');
const { INTEGRITY_FLAG_TEXT } = require(path.join(MINIAPP, '../shared/dist'));

const s = useH5Session({ fullPage: true });
const { P, shot, loginAs } = s;

let admin;
let communityId;
const year = localThisYear();

beforeAll(async () => {
  const { token, user } = await devLogin(s.server.base, 'demo-community-admin');
  admin = (method, p) => api(s.server.base, method, p, { token });
  communityId = user.roles.find((r) => r.role === 'community_admin').orgId;
  // Old-style data, as before the transitions table refused it: one published wish the grid worker filed
  // gets an approval by its own submitter, written straight into the demo database.
  const Database = require(require.resolve('better-sqlite3', { paths: [path.join(MINIAPP, '../server')] }));
  const db = new Database(path.join(s.server.dataDir, 'xinyuan.sqlite'));
  db.pragma('busy_timeout = 5000');
  db.prepare(
    `INSERT INTO wish_event (wish_id, type, from_state, to_state, from_tier, to_tier, actor_id, actor_role, created_at)
     SELECT id, 'approve', 'pending_review', 'open', NULL, 1, submitter_id, 'grid_worker', published_at FROM wish
      WHERE community_id = ? AND published_at >= ? AND submitter_id IN (SELECT user_id FROM role_grant WHERE role IN ('community_admin', 'grid_worker'))
      ORDER BY id LIMIT 1`,
  ).run(communityId, `${year}-01-01`);
  db.close();
});

async function openDashboard(who) {
  await loginAs(who);
  await P().getByRole('button', { name: /^社区工作台/ }).click();
  await P().getByRole('button', { name: /^数据看板/ }).click();
  await flags().waitFor();
}

/** The dashboard's 诚信预警 card: a region named so. */
const flags = () => P().getByRole('region', { name: '诚信预警' });

/** Every flag row (a link) as the page shows it. */
const rows = () => flags().getByRole('link').evaluateAll((els) => els.map((e) => ({ code: e.getAttribute('data-flag'), count: Number(e.getAttribute('data-count')), alarm: e.getAttribute('data-alarm') === '1', red: getComputedStyle(e.querySelector('.xy-integrity__count')).color })));

test("the committee's dashboard shows the server's flags, the self-approval in red, and opens the wishes behind one", async () => {
  await openDashboard('社区党委 · 北小街社区党委');
  const r = await admin('GET', `/ledger/integrity?scope=community&orgId=${communityId}&from=${year}-01-01&to=${year}-12-31`);
  const shown = await rows();
  expect(shown.map((x) => [x.code, x.count, x.alarm])).toEqual(r.flags.map((f) => [f.code, f.count, f.alarm]));
  const self = shown.find((x) => x.code === 'self_approval');
  expect([self.count, self.alarm, self.red]).toEqual([1, true, 'rgb(176, 0, 32)']);
  expect(shown.find((x) => x.code === 'silent_confirmation').red).not.toBe('rgb(176, 0, 32)');
  await flags().scrollIntoViewIfNeeded();
  await shot('integrity-01-committee-dashboard');

  // The flag with the most wishes opens its list: exactly the API's wishes, each opening the desk's wish page.
  const top = [...r.flags].sort((a, b) => b.count - a.count)[0];
  // The flag's row is a link named by what it says (its count included).
  await P().getByRole('link', { name: new RegExp(`^${INTEGRITY_FLAG_TEXT[top.code].label}`) }).click();
  await P().getByText(INTEGRITY_FLAG_TEXT[top.code].rule, { exact: true }).waitFor();
  const listed = await admin('GET', `/ledger/integrity/wishes?scope=community&orgId=${communityId}&from=${year}-01-01&to=${year}-12-31&flag=${top.code}&limit=20`);
  // Each wish of the list is a link (to the desk's wish page).
  if (listed.items.length) await P().getByRole('link').first().waitFor();
  else await P().getByText('没有相关心愿').waitFor();
  expect(await P().getByRole('link').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-wish-id'))))).toEqual(listed.items.map((i) => i.id));
  await shot('integrity-02-flag-list');
  if (listed.items.length) {
    await P().getByRole('link', { name: new RegExp(listed.items[0].title) }).first().click();
    await P().getByText(listed.items[0].title).first().waitFor();
  }
});

test("the street's dashboard shows its communities' flags", async () => {
  await openDashboard('街道马上办 · 人民街马上办');
  const { token, user } = await devLogin(s.server.base, 'demo-street');
  const streetId = user.roles.find((x) => x.role === 'street_handler').orgId;
  const r = await api(s.server.base, 'GET', `/ledger/integrity?scope=street&orgId=${streetId}&from=${year}-01-01&to=${year}-12-31`, { token });
  expect((await rows()).map((x) => [x.code, x.count])).toEqual(r.flags.map((f) => [f.code, f.count]));
  expect(r.flags.find((f) => f.code === 'self_approval').count).toBe(1);
  await flags().scrollIntoViewIfNeeded();
  await shot('integrity-03-street-dashboard');
});
