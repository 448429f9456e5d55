// Notices (issue 15): a resident hears every step of their wishes' lives in the inbox
// (approved, transferred up a tier, claimed, completed; rejected; cancelled), and 催办 from
// the wish's page once the expected time has passed reaches the claimers' inbox. The H5 build
// in Chromium against the built server (the sender runs in it every NOTIFY_INTERVAL_MS).
// Staff moves that set the scene are made over the API; what the resident and the member do
// and read is done through the pages.
const path = require('node:path');
const { useH5Session, ROOT } = require('./harness');

const s = useH5Session({ fullPage: true });
const { P, shot, loginAs, openApp } = s;

async function as(openid) {
  const call = await s.apiAs(openid);
  return { user: call.user, call };
}

/** The home page's way in, by the label a person reads. */
async function tile(label) {
  await P().getByRole('button', { name: new RegExp(`^${label}`) }).click();
}

/** Waits until the sender (NOTIFY_INTERVAL_MS in the server) has delivered `n` lines about these wishes to this person's inbox; then a moment more, so a double would show. */
async function inboxAbout(who, wishIds, n) {
  const about = async () => (await who.call('GET', '/me/messages?limit=50')).items.filter((m) => wishIds.includes(m.wishId));
  for (let i = 0; i < 100; i++) {
    if ((await about()).length >= n) {
      await new Promise((r) => setTimeout(r, 1000));
      return about();
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`inbox did not reach ${n} lines`);
}

/**
 * The server runs on the real clock and the sweeper is off in journeys: the claim window's end
 * is moved into the past in the database (the timer the sweeper and the urge read), as the
 * dispatch tests move their fake clock past it.
 */
function windowEndedAnHourAgo(wishId) {
  const Database = require(require.resolve('better-sqlite3', { paths: [path.join(ROOT, 'server')] }));
  const db = new Database(path.join(s.server.dataDir, 'xinyuan.sqlite'));
  try {
    const past = new Date(Date.now() - 3600_000).toISOString().replace('T', ' ').replace('Z', '');
    db.prepare('UPDATE wish SET window_ends_at = ? WHERE id = ?').run(past, wishId);
  } finally {
    db.close();
  }
}

test('a resident receives every notice of their wishes in the inbox: approved, transferred, claimed, completed; rejected; cancelled', async () => {
  const resident = await as('demo-resident');
  const staff = await as('demo-community-admin');
  const street = await as('demo-street');
  const community = resident.user.roles.find((r) => r.role === 'resident').orgId;
  const submit = (title) =>
    resident.call('POST', '/wishes', { communityId: community, category: 'repair', title, description: '请帮忙看看', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼501', forSelf: true });

  const a = await submit('楼道扶手松了');
  await staff.call('POST', `/wishes/${a.id}/approve`);
  await staff.call('POST', `/wishes/${a.id}/urgent`, { reason: '老人每天扶着上下楼，很危险' });
  await street.call('POST', `/wishes/${a.id}/claim`);
  await street.call('POST', `/wishes/${a.id}/complete`, { note: '已加固扶手' });
  const b = await submit('想在小区里养鸡');
  await staff.call('POST', `/wishes/${b.id}/reject`, { code: 'not_a_wish', reason: '小区内不允许饲养家禽' });
  const c = await submit('帮忙修自行车');
  await staff.call('POST', `/wishes/${c.id}/approve`);
  await staff.call('POST', `/wishes/${c.id}/cancel`, { code: 'redirected', channel: '12345热线', reason: '已转12345热线办理' });
  // Every step told, once, newest first.
  const lines = await inboxAbout(resident, [a.id, b.id, c.id], 7);
  expect(lines.map((m) => `${m.kind}:${m.wishId}`)).toEqual([`cancelled:${c.id}`, `approved:${c.id}`, `rejected:${b.id}`, `completed:${a.id}`, `claimed:${a.id}`, `transferred:${a.id}`, `approved:${a.id}`]);

  await loginAs('居民 · 王秀兰');
  await tile('消息');
  const line = (title, text) => P().getByRole('link', { name: new RegExp(title) }).filter({ hasText: text });
  await line('心愿已撤销', '帮忙修自行车').waitFor();
  await line('心愿未通过审核', '想在小区里养鸡').filter({ hasText: '不属于微心愿：小区内不允许饲养家禽' }).waitFor();
  await line('心愿已办结', '楼道扶手松了').waitFor();
  await line('心愿已被认领', '楼道扶手松了').waitFor();
  // (The demo's red-list wish was transferred to the street too: this line is the one about 楼道扶手松了.)
  await line('心愿已转交', "「楼道扶手松了」已转交街道'马上办'办理").waitFor();
  await line('心愿已通过审核', '楼道扶手松了').waitFor();
  await shot('notices-01-resident-inbox');

  // A line opens its wish; the completed wish asks the resident to confirm, with the time it is confirmed by silence.
  await line('心愿已办结', '楼道扶手松了').click();
  await P().locator('.xy-detail').waitFor();
  await P().getByText(/下一步：请您确认办理结果；.*前未确认将自动确认/).waitFor();
  await shot('notices-02-detail-next-step');
});

test('催办: before the expected time the page says when it becomes possible; after it, one tap reaches the claimers’ inbox, once a day', async () => {
  const resident = await as('demo-resident');
  const staff = await as('demo-community-admin');
  const member = await as('demo-member');
  const community = resident.user.roles.find((r) => r.role === 'resident').orgId;
  const d = await resident.call('POST', '/wishes', { communityId: community, category: 'repair', title: '单元门锁坏了', description: '门锁关不上', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼', forSelf: true });
  await staff.call('POST', `/wishes/${d.id}/approve`);

  await loginAs('居民 · 王秀兰');
  await openApp(`/pages/wish/detail/index?id=${d.id}`);
  await P().locator('.xy-next-step').waitFor();
  await P().getByText(/下一步：等待在职党员认领，预计.*前有人认领/).waitFor();
  await P().getByText(/后仍未办理，可以催办/).waitFor();
  expect(await P().getByRole('button', { name: '催办', exact: true }).count()).toBe(0);
  await shot('notices-03-urge-not-yet');

  windowEndedAnHourAgo(d.id);
  await openApp(`/pages/wish/detail/index?id=${d.id}`);
  await P().getByText('已过预计时间，可以催办：办理人会收到提醒（每天一次）').waitFor();
  await shot('notices-04-urge-allowed');
  await P().getByRole('button', { name: '催办', exact: true }).click();
  await P().getByText('今天已催办，已通知办理人；明天可以再次催办').waitFor();
  await P().getByText(/已催办1次/).waitFor();
  // In the wish's record beside the timeline too.
  await P().locator('[data-urges="1"]').getByText(/居民催办$/).waitFor();
  await shot('notices-05-urged');
  // Once a day: the server refuses a second one.
  await expect(resident.call('POST', `/wishes/${d.id}/urge`)).rejects.toThrow(/409.*URGE_ALREADY_TODAY/);

  // The tier-1 claimers (the community's members) read it in their inbox.
  const lines = await inboxAbout(member, [d.id], 2);
  expect(lines.map((m) => m.kind)).toEqual(['urged', 'escalated']);
  expect(lines[0]).toMatchObject({ wishId: d.id, title: '居民催办' });
  await loginAs('在职党员 · 张伟');
  await tile('消息');
  await P().getByRole('link', { name: /居民催办/ }).filter({ hasText: '单元门锁坏了' }).waitFor();
  await shot('notices-06-member-inbox-urged');
});
