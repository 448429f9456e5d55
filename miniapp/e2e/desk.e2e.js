// The committee's desk in the H5 build: a community admin reviews, reads the
// dashboard and exports the ledger; every figure on screen and in the files is
// checked against the API. Screenshots go to e2e/screenshots/desk-*.png.
const fs = require('node:fs');
const path = require('node:path');
const { useH5Session, api, devLogin, ROOT, localToday } = require('./harness');

const s = useH5Session({ fullPage: true });
const { P, shot, loginAs } = s;


// Controls are found by role and accessible name, as a screen reader or keyboard user meets them.
// The labels a person reads, typed by hand from the home page and the desk menu (the keys only
// name them in the tables below).
const TILE_LABELS = { 'unit-desk': '联点单位工作台', 'street-desk': '街道马上办', wall: '心愿墙', claims: '我的认领', 'grid-submit': '代居民提交', 'grid-mine': '代提交记录', submit: '提交心愿', mine: '我的心愿', register: '党员报到', inbox: '消息', settings: '设置' };
const DESK_LABELS = { review: '心愿审核', members: '党员报到审核', dashboard: '数据看板', ledger: '台账查询', tier2: '二级心愿', reports: '投诉举报', 'office-phone': '社区办公电话', calendar: '工作日历' };
const startsWith = (label) => new RegExp(`^${label.replace(/[()（）]/g, '\\$&')}`);
/** The way into the desk on the home page. */
const deskEntry = () => P().getByRole('button', { name: /^社区工作台/ });
/** A desk menu entry by its label. */
const deskItem = (key) => P().getByRole('button', { name: startsWith(DESK_LABELS[key]) });
const button = (name, where = P()) => where.getByRole('button', { name, exact: true });

/** What the page offers, in order, as keys of `labels`: each button whose name starts with one of the labels. */
async function offered(labels) {
  const names = await P().getByRole('button').evaluateAll((els) => els.map((e) => e.textContent.trim()));
  const byLength = Object.entries(labels).sort((a, b) => b[1].length - a[1].length);
  return names.map((n) => (byLength.find(([, l]) => n.startsWith(l)) ?? [])[0]).filter(Boolean);
}
const homeTiles = async () => {
  await P().getByRole('button', { name: /^设置/ }).waitFor();
  const keys = await offered({ ...TILE_LABELS, desk: '社区工作台', claims2: '我的办理', register2: '党员报到（双报到）' });
  return keys.map((k) => ({ claims2: 'claims', register2: 'register' })[k] ?? k);
};
const deskMenu = async () => {
  await P().getByRole('button', { name: new RegExp(`^(${Object.values(DESK_LABELS).join('|')})`) }).first().waitFor();
  return offered(DESK_LABELS);
};

let admin;
let communityId;

beforeAll(async () => {
  ({ admin, communityId } = await s.committee());
});

/** Each test starts from the home page as the community admin, so it can run alone. */
async function openDesk(section) {
  await loginAs('社区党委 · 北小街社区党委');
  await deskEntry().click();
  await deskItem(section).click();
}

/** The whole ledger as the API pages it out. */
async function wholeLedger(query = '') {
  const items = [];
  let cursor = null;
  do {
    const page1 = await admin('GET', `/ledger/wishes?limit=100${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page1.items);
    cursor = page1.nextCursor;
  } while (cursor);
  return items;
}

const beijingToday = localToday;
const pct1 = (r) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
const pct2 = (r) => (r === null ? '' : `${(r * 100).toFixed(2)}%`);

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

/** Taps an export button and takes the file the page hands the browser, with the link it shows. */
async function exportThroughUi(buttonText, format) {
  const [download] = await Promise.all([s.page.waitForEvent('download'), button(buttonText).click()]);
  const result = P().locator(`.xy-export__result[data-format="${format}"]`);
  await result.waitFor();
  const shown = await result.locator('.xy-export__link').getAttribute('data-url');
  const file = await download.path();
  return { shown, downloadUrl: download.url(), fileName: download.suggestedFilename(), body: fs.readFileSync(file) };
}

test('a community admin finds the desk on the home page and approves a pending wish from the review queue', async () => {
  await loginAs('社区党委 · 北小街社区党委');
  await deskEntry().waitFor();
  await shot('desk-01-home-admin');
  await deskEntry().click();
  expect(await deskMenu()).toEqual(['review', 'members', 'dashboard', 'ledger', 'tier2', 'reports', 'office-phone']);
  await shot('desk-02-menu');

  // A resident's new wish: the server's content check runs on submit (without WeChat it is marked unchecked).
  const resident = await devLogin(s.server.base, 'demo-resident');
  const [compound] = await api(s.server.base, 'GET', `/orgs?kind=compound&parentId=${communityId}`, { token: resident.token });
  const fresh = await api(s.server.base, 'POST', '/wishes', {
    token: resident.token,
    body: { communityId, compoundId: compound.id, category: 'repair', title: '楼梯扶手松动', description: '3单元楼梯扶手松了，老人上下楼不安全。', beneficiaryName: '王秀兰', beneficiaryPhone: '13897001111', address: '2号楼3单元402', forSelf: true },
  });

  await deskItem('review').click();
  const card = P().locator('.xy-review-card', { hasText: '想要一辆轮椅' });
  await card.waitFor();
  // Every card the API lists, with a badge exactly where the content check did not pass.
  const queue = await admin('GET', `/wishes/review?communityId=${communityId}&limit=50`);
  expect(await P().locator('.xy-review-card').count()).toBe(queue.items.length);
  for (const w of queue.items) {
    const badge = P().locator(`.xy-review-card[data-wish-id="${w.id}"] .xy-check`);
    expect(await badge.count()).toBe(w.contentCheck && w.contentCheck.result !== 'pass' ? 1 : 0);
  }
  const checked = queue.items.find((w) => w.id === fresh.id);
  expect(checked.contentCheck).not.toBeNull();
  expect(checked.contentCheck.result).not.toBe('pass');
  expect(await P().locator(`.xy-review-card[data-wish-id="${fresh.id}"] .xy-check`).textContent()).toContain(checked.contentCheck.result === 'risky' ? '内容疑似违规' : '人工核实');
  const id = Number(await card.getAttribute('data-wish-id'));
  expect(await card.textContent()).toContain('13897001111'); // staff see the resident in full
  await shot('desk-03-review-queue');

  await card.getByRole('button', { name: '审核通过', exact: true }).click();
  await s.page.getByRole('alertdialog', { name: '审核通过' }).waitFor();
  await shot('desk-04-approve-confirmation');
  await s.answerDialog('审核通过', '确认通过');
  await card.waitFor({ state: 'detached' });
  await shot('desk-05-review-after-approve');

  const wish = await admin('GET', `/wishes/${id}`);
  expect(wish).toMatchObject({ state: 'open', tier: 1 });
  expect(wish.publishedAt).toBeTruthy();
  expect(wish.timeline.at(-1)).toMatchObject({ type: 'approve', toState: 'open', actorName: '北小街社区党委' });
});

test('a rejection asks for a closure code and a reason, and the resident reads them', async () => {
  await openDesk('review');
  const card = P().locator('.xy-review-card', { hasText: '单元门口加装扶手' });
  await card.waitFor();
  const id = Number(await card.getAttribute('data-wish-id'));
  await button('不通过', card).click();
  await button('确认不通过', card).click();
  await card.getByText('请填写原因').waitFor();
  await card.getByText('请选择结案类别').waitFor();
  await card.getByRole('radio', { name: '不属于微心愿' }).click();
  await card.getByRole('textbox').fill('已由物业排期安装，无需重复提交');
  await shot('desk-06-reject-reason');
  await button('确认不通过', card).click();
  await card.waitFor({ state: 'detached' });
  const { token } = await devLogin(s.server.base, 'demo-resident');
  const seen = await api(s.server.base, 'GET', `/wishes/${id}`, { token });
  expect(seen.state).toBe('rejected');
  expect(seen.closure).toEqual({ code: 'not_a_wish', channel: null });
  expect(seen.timeline.at(-1)).toMatchObject({ type: 'reject', reason: '已由物业排期安装，无需重复提交' });
});

test('the dashboard shows the three rates the server reports, with numerators and denominators', async () => {
  await openDesk('dashboard');
  await P().locator('.xy-dashboard').waitFor();
  const year = Number(await P().locator('.xy-dashboard').getAttribute('data-year'));
  expect(year).toBe(Number(beijingToday().slice(0, 4)));
  const board = await admin('GET', `/ledger/dashboard?scope=community&orgId=${communityId}&year=${year}`);
  const rates = await admin('GET', `/ledger/rates?scope=community&orgId=${communityId}&from=${year}-01-01&to=${year}-12-31`);
  expect(board.rates.published).toBeGreaterThan(0);
  for (const k of ['response', 'resolution', 'satisfaction']) {
    const el = P().locator(`[data-rate="${k}"]`);
    const r = board.rates[k];
    // The dashboard and the rates report agree, and the page shows them.
    expect({ numerator: r.numerator, denominator: r.denominator, rate: r.rate }).toEqual({ numerator: rates[k].numerator, denominator: rates[k].denominator, rate: rates[k].rate });
    expect(await el.locator('.xy-rate__value').textContent()).toBe(pct1(r.rate));
    expect((await el.locator('.xy-rate__parts').textContent()).replace(/\s+/g, '')).toBe(`${r.numerator}/${r.denominator}`);
  }
  // One column per month, and this month's column as tall as its response rate.
  expect(await P().locator('[data-chart="monthly"] .xy-columns__col').count()).toBe(board.monthly.length);
  const month = board.monthly.find((m) => m.response.rate !== null);
  if (month) {
    const h = await P().locator(`[data-month="${month.month}"] .xy-columns__fill`).evaluate((e) => e.style.height);
    expect(parseFloat(h)).toBeCloseTo(month.response.rate * 100, 5);
  }
  for (const t of board.byTier) expect(await P().locator(`[data-chart="tiers"] [data-row="${t.tier}"] .xy-bars__value`).allTextContents()).toEqual([String(t.reached), String(t.resolved)]);
  const yuan = (fen) => `¥${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  expect(await P().locator('[data-fund="budget"] .xy-fund__amount').textContent()).toBe(yuan(board.funds.budgetFen));
  expect(await P().locator('[data-fund="remaining"] .xy-fund__amount').textContent()).toBe(yuan(board.funds.remainingFen));
  await shot('desk-07-dashboard');
});

test('the ledger pages with 加载更多 and opens a wish with its full timeline', async () => {
  await openDesk('ledger');
  await P().locator('.xy-ledger-card').first().waitFor();
  const all = await wholeLedger();
  expect(all.length).toBeGreaterThan(20);
  expect(await P().locator('.xy-ledger-card').count()).toBe(20);
  // dispatched, not clicked: scrolling down to the button would load the next page by itself (reach-bottom).
  await P().getByRole('button', { name: '加载更多' }).dispatchEvent('click');
  await P().locator('.xy-ledger-card').nth(20).waitFor();
  expect(await P().locator('.xy-ledger-card').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-wish-id'))))).toEqual(all.slice(0, 40).map((w) => w.id));
  await shot('desk-08-ledger');

  await button('筛选').click();
  await P().getByRole('radio', { name: '已办结', exact: true }).first().click();
  const resolved = all.filter((w) => w.state === 'resolved');
  await s.page.waitForFunction((n) => {
    const cards = Array.from(document.querySelectorAll('.taro_page')).pop().querySelectorAll('.xy-ledger-card');
    return cards.length === n && Array.from(cards).every((c) => c.textContent.includes('已办结'));
  }, resolved.length);
  await shot('desk-09-ledger-filtered');

  const lamp = P().getByRole('link', { name: /楼道声控灯不亮/ });
  const id = Number(await lamp.getAttribute('data-wish-id'));
  await lamp.click();
  await P().locator('.xy-timeline').waitFor();
  const detail = await admin('GET', `/ledger/wishes/${id}`);
  expect(await P().locator('.xy-timeline__item').count()).toBe(detail.timeline.length);
  const story = (await P().locator('.xy-timeline').textContent()).replace(/\s+/g, ' ');
  for (const line of ['提交了心愿', '审核通过，心愿已发布', '张伟（在职党员） 认领了心愿', '确认办结并评价']) expect(story).toContain(line);
  await shot('desk-10-ledger-wish');
});

test('exports the ledger: the Excel and CSV files hold every ledger line, and the 三率 sheet matches the rates report', async () => {
  await openDesk('ledger');
  await P().locator('.xy-ledger-card').first().waitFor();
  const all = await wholeLedger();
  const nos = all.map((w) => w.no);

  // Excel, through the page: POST /api/ledger/export-links, then the browser downloads the link.
  const xlsx = await exportThroughUi('导出 Excel', 'xlsx');
  expect(xlsx.shown).toMatch(/\/api\/ledger\/download\?token=[^/&]+$/);
  expect(xlsx.downloadUrl).toBe(xlsx.shown);
  expect(xlsx.fileName).toMatch(/\.xlsx$/);
  await shot('desk-11-export-xlsx');
  const ExcelJS = require(require.resolve('exceljs', { paths: [path.join(ROOT, 'server')] }));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx.body);
  const ledgerSheet = wb.getWorksheet('台账');
  const rows = [];
  ledgerSheet.eachRow((r) => rows.push(r.values.slice(1)));
  expect(rows[0][0]).toBe('编号');
  expect(rows.slice(1).map((r) => r[0])).toEqual(nos);

  const rates = await admin('GET', `/ledger/rates?scope=community&orgId=${communityId}&from=2000-01-01&to=${beijingToday()}`);
  const sheet = {};
  wb.getWorksheet('三率').eachRow((r) => (sheet[r.values[1]] = r.values.slice(2)));
  for (const [name, k] of [['响应率', 'response'], ['解决率', 'resolution'], ['满意率', 'satisfaction']]) {
    const [rate, numerator, denominator] = sheet[name];
    expect({ rate: rate ?? '', numerator, denominator }).toEqual({ rate: pct2(rates[k].rate), numerator: rates[k].numerator, denominator: rates[k].denominator });
  }
  expect(sheet['发布数'][1]).toBe(rates.published);

  // CSV, the same lines.
  const csv = await exportThroughUi('导出 CSV', 'csv');
  expect(csv.fileName).toMatch(/\.csv$/);
  const text = csv.body.toString('utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const table = parseCsv(text.slice(1)).filter((r) => r.length > 1);
  expect(table[0][0]).toBe('编号');
  expect(table.slice(1).map((r) => r[0])).toEqual(nos);
  expect(table.slice(1).map((r) => r[1])).toEqual(all.map((w) => w.title));
  await shot('desk-12-export-csv');
});

test('member registrations: a verified member is deactivated with a reason', async () => {
  await openDesk('members');
  await P().getByRole('radio', { name: '已通过' }).click();
  const card = P().locator('.xy-member', { hasText: '刘洋' });
  await card.waitFor();
  const regId = Number(await card.getAttribute('data-registration-id'));
  await shot('desk-13-members-verified');
  await button('停用党员', card).click();
  await card.getByRole('textbox').fill('已调离本市，不再在本社区服务');
  await button('确认停用', card).click();
  await card.waitFor({ state: 'detached' });
  await P().getByRole('radio', { name: '已停用' }).click();
  await P().locator('.xy-member', { hasText: '停用原因：已调离本市，不再在本社区服务' }).waitFor();
  await shot('desk-14-members-revoked');
  const revoked = await admin('GET', `/members/registrations?communityId=${communityId}&status=revoked`);
  expect(revoked.find((r) => r.id === regId)).toMatchObject({ status: 'revoked', revokeReason: '已调离本市，不再在本社区服务' });
});

test('a resident sees no desk', async () => {
  await loginAs('居民 · 王秀兰');
  await P().getByRole('button', { name: /^设置/ }).waitFor();
  expect(await deskEntry().count()).toBe(0);
});

test('a grid worker reviews others\' wishes, never their own, and has no member registrations, wall or ledger', async () => {
  // A resident's fresh wish for the grid worker to approve.
  const resident = await devLogin(s.server.base, 'demo-resident');
  const [compound] = await api(s.server.base, 'GET', `/orgs?kind=compound&parentId=${communityId}`, { token: resident.token });
  const fresh = await api(s.server.base, 'POST', '/wishes', {
    token: resident.token,
    body: { communityId, compoundId: compound.id, category: 'repair', title: '信报箱门坏了', description: '单元信报箱的小门掉了。', beneficiaryName: '王秀兰', beneficiaryPhone: '13897001111', address: '2号楼3单元402', forSelf: true },
  });
  const grid = await s.apiAs('demo-grid');

  await loginAs('网格员 · 陈静');
  await deskEntry().click();
  expect(await deskMenu()).toEqual(['review']);
  await shot('desk-15-menu-grid-worker');
  await deskItem('review').click();
  const card = P().locator(`.xy-review-card[data-wish-id="${fresh.id}"]`);
  await card.locator('.xy-desk-actions__btn').first().waitFor();
  // Approve and reject only: marking urgent and duplicates are the committee's.
  expect(await card.locator('.xy-desk-actions__btn').allTextContents()).toEqual(['审核通过', '不通过']);
  // The wish they filed for a resident waits for someone else (four eyes).
  const own = P().locator('.xy-review-card', { hasText: '临时生活困难' });
  await own.locator('.xy-review-card__none').waitFor();
  expect(await own.locator('.xy-desk-actions__btn').count()).toBe(0);
  // No tab for member registrations.
  expect(await P().locator('.xy-tab').count()).toBe(0);
  await shot('desk-16-review-grid-worker');

  await card.getByRole('button', { name: '审核通过', exact: true }).click();
  await s.answerDialog('审核通过', '确认通过');
  await card.waitFor({ state: 'detached' });
  // Approved, and out of the grid worker's sight: the queue dropped it and the server now answers 404.
  await expect(grid('GET', `/wishes/${fresh.id}`)).rejects.toThrow(/404/);
  const seen = await admin('GET', `/wishes/${fresh.id}`);
  expect(seen).toMatchObject({ state: 'open' });
  expect(seen.timeline.at(-1)).toMatchObject({ type: 'approve', actorRole: 'grid_worker' });
  await expect(grid('GET', `/members/registrations?communityId=${communityId}&status=pending`)).rejects.toThrow(/403|404/);
  await expect(grid('GET', '/ledger/wishes')).rejects.toThrow(/403|404/);
});

// What each demo person is offered, written out by hand from DOMAIN.md ("Who sees and does what");
// 投诉举报 (reports) is the community committee's, the street's and the city's (shared/src/access.ts).
const OFFERS = [
  { who: '居民 · 王秀兰', tiles: ['submit', 'mine', 'register', 'inbox', 'settings'], desk: null },
  { who: '在职党员 · 张伟', tiles: ['wall', 'claims', 'submit', 'mine', 'register', 'inbox', 'settings'], desk: null },
  { who: '网格员 · 陈静', tiles: ['desk', 'claims', 'grid-submit', 'grid-mine', 'submit', 'mine', 'inbox', 'settings'], desk: ['review'] },
  { who: '社区党委 · 北小街社区党委', tiles: ['desk', 'wall', 'claims', 'grid-submit', 'grid-mine', 'submit', 'mine', 'inbox', 'settings'], desk: ['review', 'members', 'dashboard', 'ledger', 'tier2', 'reports', 'office-phone'], exports: true },
  { who: '联点单位 · 供电公司联络员', tiles: ['desk', 'unit-desk', 'inbox', 'settings'], desk: ['ledger'], exports: false },
  { who: '街道马上办 · 人民街马上办', tiles: ['desk', 'street-desk', 'inbox', 'settings'], desk: ['dashboard', 'ledger', 'reports'], exports: false },
  { who: '市委组织部 · 市委组织部', tiles: ['desk', 'inbox', 'settings'], desk: ['dashboard', 'ledger', 'reports', 'calendar'], exports: true },
];

test.each(OFFERS)('$who is offered exactly what the policy allows', async ({ who, tiles, desk, exports }) => {
  await loginAs(who);
  expect(await homeTiles()).toEqual(tiles);
  if (!desk) return;
  await deskEntry().click();
  expect(await deskMenu()).toEqual(desk);
  if (!desk.includes('ledger')) return;
  await deskItem('ledger').click();
  await P().locator('.xy-ledger-card, .xy-state--empty').first().waitFor();
  expect(await button('导出 Excel').count()).toBe(exports ? 1 : 0);
});

test('the city sees the dashboard of the city, with its funds; the street its street', async () => {
  for (const [who, orgName] of [['市委组织部 · 市委组织部', '西宁市'], ['街道马上办 · 人民街马上办', '人民街街道']]) {
    await loginAs(who);
    await deskEntry().click();
    await deskItem('dashboard').click();
    await P().locator('.xy-dashboard').waitFor();
    expect(await P().locator('.xy-dashboard .xy-h2').first().textContent()).toContain(orgName);
    await P().locator('[data-chart="funds"]').waitFor();
  }
  await shot('desk-17-dashboard-street');
});

test("the city admin is warned that next year's arrangement is missing, imports the notice and sees its days as entered", async () => {
  // The server runs on the real clock: from 1 November next year has no package data until the notice is entered.
  const city = await devLogin(s.server.base, 'demo-city-admin');
  const status = await api(s.server.base, 'GET', '/dispatch/calendar/status', { token: city.token });
  const next = status.nextYear;
  await loginAs('市委组织部 · 市委组织部');
  await deskEntry().click();
  if (status.warning) {
    await P().locator(`[data-calendar-warning="${next}"]`).waitFor();
    await shot('desk-18-calendar-warning');
    await P().getByRole('link', { name: `导入 ${next} 年放假通知 ›` }).click();
  } else {
    await deskItem('calendar').click();
    await button('导入国务院放假通知').click();
  }
  await P().getByRole('textbox').waitFor();
  // A short notice in the State Council's form for that year (1 January and 1–3 October are statutory every year).
  const dow = (m, d) => '日一二三四五六'[new Date(Date.UTC(next, m - 1, d)).getUTCDay()];
  const text = `国务院办公厅关于${next}年部分节假日安排的通知\n一、元旦：1月1日（周${dow(1, 1)}）放假1天。\n七、国庆节：10月1日（周${dow(10, 1)}）至3日（周${dow(10, 3)}）放假，共3天。\n看不懂的一句：5月20日前后另行通知。`;
  await P().getByRole('textbox').fill(text);
  await button('解析通知').click();
  await P().locator(`.xy-notice-review[data-year="${next}"]`).waitFor();
  expect(await P().locator('.xy-notice-day').count()).toBe(4);
  // Statutory days the text leaves out are named, and the line it could not read is shown.
  expect(await P().locator('.xy-notice-warning').count()).toBeGreaterThan(0);
  expect(await P().locator('.xy-notice-unparsed__line').allTextContents()).toEqual(['看不懂的一句：5月20日前后另行通知']);
  await shot('desk-19-calendar-review');
  await button('确认保存 4 天').click();
  await P().locator(`[data-day="${next}-10-02"][data-source="admin"]`).waitFor();
  expect(await P().locator(`[data-day="${next}-01-01"]`).getAttribute('data-source')).toBe('admin');
  await shot('desk-20-calendar-saved');
  const after = await api(s.server.base, 'GET', '/dispatch/calendar/status', { token: city.token });
  expect(after).toMatchObject({ nextYear: next, nextYearArrangement: 'admin', warning: null });
});
