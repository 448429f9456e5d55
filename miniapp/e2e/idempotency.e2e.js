// Issue 15, "A lost reply makes a second wish": the server saves the wish but the browser never
// gets the reply. The H5 build in Chromium; Playwright's request interception (the DevTools
// protocol's Fetch domain) passes POST /api/wishes on to the server and then fails the request
// in the browser, as a dropped connection would. The form keeps one idempotency key per draft,
// so every retry is the same request, and the server answers it with the wish it saved.
const { useH5Session, api, devLogin } = require('./harness');

const s = useH5Session();
const { P, shot, loginAs } = s;

const button = (name) => P().getByRole('button', { name, exact: true });
const fill = (label, value) => P().getByLabel(label, { exact: true }).fill(value);
const TITLE = '单元门的闭门器坏了';

test('a reply lost after the server saved the wish: the resident retries, the server holds one wish, and the page shows it', async () => {
  await loginAs('居民 · 王秀兰');
  await P().getByRole('button', { name: /^提交心愿/ }).click();
  await P().getByRole('radio', { name: '康乐小区' }).click();
  await P().getByRole('radio', { name: '维修改造' }).click();
  await fill('心愿标题', TITLE);
  await fill('具体情况', '单元门关不上，冬天楼道里很冷，想请人修一下闭门器。');
  await P().getByRole('radio', { name: /^(✓ )?本人$/ }).click();
  await fill('联系电话', '13897001111');
  await fill('楼栋门牌', '2号楼3单元402');
  await P().getByRole('checkbox', { name: /我已阅读并同意/ }).click();

  // Every reply to POST /api/wishes is lost until `dropping` is turned off; the request itself reaches the server.
  let dropping = true;
  const reached = [];
  await s.page.route('**/api/wishes', async (route) => {
    const req = route.request();
    if (req.method() !== 'POST') return route.continue();
    const res = await route.fetch();
    reached.push({ key: req.headers()['idempotency-key'], status: res.status(), replayed: res.headers()['idempotent-replayed'] === 'true', body: await res.json() });
    if (dropping) return route.abort('connectionreset');
    return route.fulfill({ response: res });
  });

  await button('提交心愿').click();
  // The form says the truth: it is checking whether the wish arrived, and asks again with the same key.
  await P().getByText('网络不稳定，正在确认是否已提交…').waitFor();
  await shot('idem-01-confirming');
  await P().getByText(/网络不稳定，暂时无法确认心愿是否已提交。草稿已保存/).waitFor({ timeout: 20000 });
  await shot('idem-02-unsure');
  expect(reached.length).toBe(4);
  expect(reached[0]).toMatchObject({ status: 201, replayed: false });
  for (const r of reached.slice(1)) expect(r).toMatchObject({ status: 201, replayed: true, key: reached[0].key, body: { id: reached[0].body.id } });

  // The network is back; the resident taps 提交心愿 again.
  dropping = false;
  await button('提交心愿').click();
  await P().getByText('✓ 心愿已提交').waitFor();
  await shot('idem-03-submitted');
  expect(reached.length).toBe(5);
  expect(reached[4]).toMatchObject({ status: 201, replayed: true, key: reached[0].key });
  await s.page.unroute('**/api/wishes');

  // The server holds exactly one wish with that title, and the page shows that one.
  const { token } = await devLogin(s.server.base, 'demo-resident');
  const mine = await api(s.server.base, 'GET', '/wishes/mine?limit=50', { token });
  const same = mine.items.filter((w) => w.title === TITLE);
  expect(same).toHaveLength(1);
  expect(same[0].id).toBe(reached[0].body.id);
  await button('查看这个心愿').click();
  await P().locator('.xy-detail').waitFor();
  expect(/[?&]id=(\d+)/.exec(s.page.url())?.[1]).toBe(String(same[0].id));
  await P().getByText(TITLE).first().waitFor();
  await shot('idem-04-detail');
});
