// The committee at a desk (issue 15): a PC browser at 1366 × 768. Funds approval, the ranking page
// and a member's monthly record, the ledger as a table (sort, search by number, title and phone
// with the total), the review queue with the wish beside the list, the dashboard in columns, and
// the ledger's A4 print view with its check code. Every figure is checked against the API.
// Screenshots go to e2e/screenshots/desk-wide-*.png.
const { useH5Session, localToday } = require('./harness');

const s = useH5Session();
const { P, shot, loginAs } = s;

const DESK = { width: 1366, height: 768 };
const deskEntry = () => P().getByRole('button', { name: /^社区工作台/ });
const deskItem = (label) => P().getByRole('button', { name: new RegExp(`^${label}`) });
const button = (name, where = P()) => where.getByRole('button', { name, exact: true });
const yuan = (fen) => `${Math.floor(fen / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${String(fen % 100).padStart(2, '0')}`;

let admin;
let communityId;

beforeAll(async () => {
  ({ admin, communityId } = await s.committee());
});

beforeEach(async () => {
  await s.page.setViewportSize(DESK);
});

async function openDesk(label) {
  await loginAs('社区党委 · 北小街社区党委');
  await deskEntry().click();
  await deskItem(label).click();
}

test('funds: a member reports a cost at completion and the committee approves it at its desk', async () => {
  // The member claims an open wish of the wall and completes it with a cost of 86.50 yuan.
  const call = await s.apiAs('demo-member');
  const wall = await call('GET', `/wishes/wall?communityId=${communityId}&limit=50`);
  const open = wall.items.find((w) => w.state === 'open' && w.tier === 1);
  expect(open).toBeTruthy();
  await call('POST', `/wishes/${open.id}/claim`, {});
  await call('POST', `/wishes/${open.id}/complete`, { note: '已买好送到家', costFen: 8650 });
  const pending = (await admin('GET', `/funds/spends?communityId=${communityId}&status=pending_community`)).find((x) => x.wishId === open.id);
  expect(pending).toMatchObject({ amountFen: 8650, actions: ['approve', 'refuse'] });

  await openDesk('专项经费');
  const year = Number(localToday().slice(0, 4));
  const [fund] = await admin('GET', `/funds?year=${year}&communityId=${communityId}`);
  const card = P().locator(`.xy-fund[data-community-id="${communityId}"]`);
  await card.waitFor();
  for (const k of ['budget', 'spent', 'pending', 'remaining']) expect(await card.locator(`[data-figure="${k}"]`).textContent()).toBe(yuan(fund[`${k}Fen`]));
  const spend = P().locator(`[data-spend-id="${pending.id}"]`);
  await spend.waitFor();
  expect(await spend.textContent()).toContain('86.50 元');
  await shot('desk-wide-01-funds');
  await button('批准', spend).click();
  await s.answerDialog('批准经费', '批准');
  await P().locator(`[data-spend-id="${pending.id}"][data-status="approved"]`).waitFor();
  const after = (await admin('GET', `/funds/spends?communityId=${communityId}`)).find((x) => x.id === pending.id);
  expect(after).toMatchObject({ status: 'approved', actions: [] });
  const [fundAfter] = await admin('GET', `/funds?year=${year}&communityId=${communityId}`);
  expect(fundAfter.spentFen - fund.spentFen).toBe(8650);
  await P().locator(`.xy-fund [data-figure="spent"]`, { hasText: yuan(fundAfter.spentFen) }).waitFor();
  await shot('desk-wide-02-funds-approved');
});

test('the ranking counts fulfilled wishes, and a member\'s monthly record opens and exports', async () => {
  await openDesk('党员服务排行');
  const today = localToday();
  const ranking = await admin('GET', `/ledger/ranking?scope=community&orgId=${communityId}&from=${today.slice(0, 8)}01&to=${today}`);
  const list = P().getByRole('list', { name: '党员服务排行' });
  if (ranking.items.length === 0) {
    await P().getByText('这段时间还没有党员办结心愿').waitFor();
    await P().getByRole('radio', { name: '今年' }).click();
  }
  await list.waitFor();
  const shown = await list.getByRole('listitem').evaluateAll((els) => els.map((e) => e.textContent));
  const expected = ranking.items.length ? ranking : await admin('GET', `/ledger/ranking?scope=community&orgId=${communityId}&from=${today.slice(0, 4)}-01-01&to=${today}`);
  expect(shown).toEqual(expected.items.map((e) => `${e.rank}${e.name}办结 ${e.resolved} 件›`));
  await shot('desk-wide-03-ranking');

  const top = expected.items[0];
  await list.getByRole('link').first().click();
  const month = today.slice(0, 7);
  const record = await admin('GET', `/members/${top.userId}/records?month=${month}`);
  await P().locator(`.xy-record[data-user-id="${top.userId}"]`).waitFor();
  expect(await P().locator('.xy-record__sum').getAttribute('data-fulfilled')).toBe(String(record.fulfilled));
  expect(await P().locator('.xy-record__item').count()).toBe(record.items.length);
  const [download] = await Promise.all([s.page.waitForEvent('download'), button('导出服务记录（Excel）').click()]);
  expect(download.suggestedFilename()).toBe(`党员服务记录-${month.replace('-', '')}-${top.userId}.xlsx`);
  await shot('desk-wide-04-member-record');
});

test('the ledger is a sortable table with the total, searched by number, title and phone, and prints on A4 with the day\'s check code', async () => {
  await openDesk('台账查询');
  const table = P().getByRole('table', { name: '台账' });
  await table.waitFor();
  const total = P().locator('.xy-ledger-total');
  const first = await admin('GET', '/ledger/wishes?limit=50');
  expect(first.total).toBeGreaterThan(0);
  await total.filter({ hasText: `共 ${first.total} 条` }).waitFor();
  const ids = () => table.locator('[data-wish-id]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-wish-id'))));
  expect(await ids()).toEqual(first.items.map((i) => i.id));
  // The filters are beside the table, not folded away.
  expect(await P().locator('.xy-ledger__side .xy-filters').isVisible()).toBe(true);
  await shot('desk-wide-05-ledger-table');

  // Sort by title: the lines as the title column orders them (zh collation), then the other way.
  await P().getByRole('button', { name: '按标题排序' }).click();
  const byTitle = [...first.items].sort((a, b) => a.title.localeCompare(b.title, 'zh-Hans-CN') || b.id - a.id).map((i) => i.id);
  expect(await ids()).toEqual(byTitle);
  expect(await P().getByRole('columnheader', { name: /标题/ }).getAttribute('aria-sort')).toBe('ascending');

  const search = async (text) => {
    await P().getByRole('textbox', { name: '检索' }).fill(text);
    await button('检索').click();
    const page = await admin('GET', `/ledger/wishes?limit=50&q=${encodeURIComponent(text)}`);
    await total.filter({ hasText: `共 ${page.total} 条` }).waitFor();
    expect((await ids()).sort()).toEqual(page.items.map((i) => i.id).sort());
    return page;
  };
  const byNo = await search(first.items[0].no);
  expect(byNo.total).toBe(1);
  await total.filter({ hasText: '按心愿编号检索' }).waitFor();
  const word = first.items[0].title.slice(0, 2);
  const byWord = await search(word);
  expect(byWord.items.every((i) => i.title.includes(word))).toBe(true);
  await shot('desk-wide-06-ledger-search-title');
  const byPhone = await search('138 9700 1111');
  expect(byPhone.total).toBeGreaterThan(0);
  await total.filter({ hasText: '按受益人电话检索' }).waitFor();
  expect(await table.textContent()).not.toContain('13897001111');
  await shot('desk-wide-07-ledger-search-phone');
  await button('清除检索').click();
  await total.filter({ hasText: `共 ${first.total} 条` }).waitFor();

  // The print view: the head with the period, the filters and yesterday's check code; the table fits A4.
  await s.page.evaluate(() => {
    window.print = () => undefined;
  });
  await button('打印台账（A4）').click();
  // The calendar day before the server's today (date arithmetic only, no time zone).
  const yesterday = new Date(Date.parse(`${localToday()}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const check = await admin('GET', `/ledger/verify?scope=community&orgId=${communityId}&day=${yesterday}`);
  await s.page.emulateMedia({ media: 'print' });
  const head = P().locator('.xy-print-head');
  await head.waitFor({ state: 'visible' });
  expect(await head.textContent()).toContain('时间范围：全部时间');
  expect(await head.textContent()).toContain('筛选条件：无（全部心愿）');
  expect(await head.textContent()).toContain(check.day.digest);
  expect(await P().locator('.xy-ledger__side').isVisible()).toBe(false);
  // A4 landscape less the 12 mm margins of @page is 273 mm = 1032 CSS px wide: laid out at that width,
  // the table stays inside it (nothing cut off at the paper's edge).
  const printable = Math.floor(((297 - 24) / 25.4) * 96);
  await s.page.setViewportSize({ width: printable, height: Math.floor(((210 - 24) / 25.4) * 96) });
  const fit = await table.evaluate((e) => ({ right: e.getBoundingClientRect().right, scroll: e.scrollWidth, client: e.clientWidth }));
  expect(fit.right).toBeLessThanOrEqual(printable + 1);
  expect(fit.scroll).toBeLessThanOrEqual(fit.client + 1);
  const pdf = await s.page.pdf({ format: 'A4', landscape: true, printBackground: true, preferCSSPageSize: true });
  expect(pdf.slice(0, 4).toString()).toBe('%PDF');
  require('node:fs').writeFileSync(require('node:path').join(__dirname, 'screenshots', 'desk-wide-ledger-print.pdf'), pdf);
  await s.page.screenshot({ path: require('node:path').join(__dirname, 'screenshots', 'desk-wide-08-ledger-print.png'), fullPage: true });
  await s.page.emulateMedia({ media: 'screen' });
});

test('the review queue shows the chosen wish beside the list, and the dashboard is in columns', async () => {
  await openDesk('心愿审核');
  const list = P().getByRole('listbox', { name: '待审核的心愿' });
  await list.waitFor();
  const queue = await admin('GET', `/wishes/review?communityId=${communityId}&limit=20`);
  expect(await list.getByRole('option').count()).toBe(queue.items.length);
  const second = queue.items[1] ?? queue.items[0];
  await list.locator(`[data-wish-id="${second.id}"]`).click();
  const detail = P().locator(`.xy-review__detail .xy-review-card[data-wish-id="${second.id}"]`);
  await detail.waitFor();
  const [l, d] = await Promise.all([list.boundingBox(), detail.boundingBox()]);
  expect(d.x).toBeGreaterThan(l.x + l.width - 1); // beside, not below
  expect(d.y).toBeLessThan(l.y + 200);
  await shot('desk-wide-09-review');

  await loginAs('社区党委 · 北小街社区党委');
  await deskEntry().click();
  await deskItem('数据看板').click();
  const board = P().locator('.xy-dashboard--wide');
  await board.waitFor();
  const cards = await board.locator(':scope > .xy-card').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().x)));
  expect(new Set(cards.slice(1)).size).toBeGreaterThan(1); // two columns under the rates
  await shot('desk-wide-10-dashboard');
});
