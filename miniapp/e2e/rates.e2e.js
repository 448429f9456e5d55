// Closure codes and the rates' rules in the H5 build: the committee rejects a wish
// with a code (a redirection and its channel), the resident's page shows why it
// closed, and 三率口径与明细 shows the three rules and every count the server reports.
// Screenshots go to e2e/screenshots/rates-*.png.
const path = require('node:path');
const { useH5Session, api, devLogin, ROOT, localThisYear } = require('./harness');

const s = useH5Session({ fullPage: true });
const { P, shot, openApp, loginAs } = s;

let admin;
let communityId;

beforeAll(async () => {
  ({ admin, communityId } = await s.committee());
});

const beijingYear = localThisYear;
const pct1 = (r) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
const squash = (t) => (t ?? '').replace(/\s+/g, ' ').trim();

test('the committee rejects with a closure code and its channel; the resident\'s page shows 结案类别', async () => {
  const resident = await devLogin(s.server.base, 'demo-resident');
  const [compound] = await api(s.server.base, 'GET', `/orgs?kind=compound&parentId=${communityId}`, { token: resident.token });
  const fresh = await api(s.server.base, 'POST', '/wishes', {
    token: resident.token,
    body: { communityId, compoundId: compound.id, category: 'repair', title: '小区外路灯不亮', description: '小区大门外马路上的路灯坏了一个星期。', beneficiaryName: '王秀兰', beneficiaryPhone: '13897001111', address: '2号楼3单元402', forSelf: true },
  });

  await loginAs('社区党委 · 北小街社区党委');
  await openApp(`/subpackages/committee/pages/wish/index?id=${fresh.id}`);
  await P().getByRole('button', { name: '不通过', exact: true }).click();
  // The closure codes are a radio group named 结案类别.
  const form = P().getByRole('radiogroup', { name: '结案类别' });
  await form.waitFor();
  // All six codes, in the order of CLOSURE_CODES.
  expect(await form.getByRole('radio').allTextContents()).toEqual(['重复心愿', '居民撤回', '转其他渠道办理', '不属于微心愿', '无法办理', '无效信息']);
  await form.getByRole('radio', { name: '转其他渠道办理' }).click();
  await form.getByRole('radio', { name: '✓ 转其他渠道办理', checked: true }).waitFor();
  await P().getByText('注明转往的渠道，如 12345 热线', { exact: true }).waitFor();
  await P().getByLabel('不通过的原因', { exact: true }).fill('路灯属于市政设施，已转市民热线报修');
  // No channel yet: the form says so and sends nothing.
  await P().getByRole('button', { name: '确认不通过' }).click();
  await P().getByText('请填写转往的渠道').first().waitFor();
  await s.checkA11y('reject form with an error shown');
  expect((await admin('GET', `/wishes/${fresh.id}`)).state).toBe('pending_review');
  await P().getByLabel('转往的渠道', { exact: true }).fill('12345 市民热线');
  await shot('rates-01-reject-closure-form');
  await P().getByRole('button', { name: '确认不通过' }).click();
  // The desk's wish page says why it closed (whitespace-normalised, the whole text).
  await P().getByText('结案类别：转其他渠道办理（12345 市民热线）', { exact: true }).waitFor();

  const seen = await api(s.server.base, 'GET', `/wishes/${fresh.id}`, { token: resident.token });
  expect(seen).toMatchObject({ state: 'rejected', closure: { code: 'redirected', channel: '12345 市民热线' } });
  expect(seen.timeline.at(-1)).toMatchObject({ type: 'reject', reason: '路灯属于市政设施，已转市民热线报修' });
  const line = await admin('GET', `/ledger/wishes/${fresh.id}`);
  expect(line.closureCode).toBe('redirected');

  await loginAs('居民 · 王秀兰');
  await openApp(`/pages/wish/detail/index?id=${fresh.id}`);
  await P().getByText('结案类别：转其他渠道办理（12345 市民热线）', { exact: true }).waitFor();
  await shot('rates-02-resident-closure');
});

test('三率口径与明细, opened from the dashboard, shows the three rules and every count the server reports', async () => {
  const { RATE_RULES, CATEGORY_ROLE_LABELS } = require(path.join(ROOT, 'shared', 'dist', 'index.js'));
  await loginAs('社区党委 · 北小街社区党委');
  await P().getByRole('button', { name: /^社区工作台/ }).click();
  await P().getByRole('button', { name: /^数据看板/ }).click();
  await P().getByRole('link', { name: /^三率口径与明细/ }).click();
  const page = P().locator('.xy-rules');
  await page.waitFor();
  const year = beijingYear();
  expect({ from: await page.getAttribute('data-from'), to: await page.getAttribute('data-to') }).toEqual({ from: `${year}-01-01`, to: `${year}-12-31` });
  const x = await admin('GET', `/ledger/rates/explained?scope=community&orgId=${communityId}&from=${year}-01-01&to=${year}-12-31`);
  expect(x.published).toBeGreaterThan(0);
  expect(squash(await page.locator('.xy-rules__published').textContent())).toBe(String(x.published));

  expect(x.rates.map((r) => r.key)).toEqual(['response', 'resolution', 'satisfaction']);
  for (const r of x.rates) {
    const card = page.locator(`[data-rule="${r.key}"]`);
    // The rule in plain Chinese, as shared/src/rates-rules.ts words it.
    expect(r.rule).toBe(RATE_RULES[r.key].rule);
    expect(await card.locator('.xy-rule__text').textContent()).toBe(r.rule);
    expect(await card.locator('.xy-rule__name').textContent()).toBe(RATE_RULES[r.key].label);
    expect(await card.locator('.xy-rule__value').textContent()).toBe(pct1(r.value.rate));
    expect(squash(await card.locator('.xy-rule__parts').textContent())).toBe(`分子 ${r.value.numerator} ÷ 分母 ${r.value.denominator}`);
    const rows = await card.locator('[data-category]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-category'), e.querySelector('.xy-rule__role').textContent, e.querySelector('.xy-rule__count').textContent.trim()]));
    expect(rows).toEqual(r.categories.map((c) => [c.key, CATEGORY_ROLE_LABELS[c.role], `${c.count} 件`]));
  }
  // The rates the dashboard shows are the same report's.
  const board = await admin('GET', `/ledger/dashboard?scope=community&orgId=${communityId}&year=${year}`);
  for (const r of x.rates) expect(r.value).toEqual(board.rates[r.key]);

  // Closures by code: of wishes published in the period, and of never-published ones closed in it (the rejection above among them).
  for (const c of x.closures.filter((c) => c.code !== 'uncoded' || c.published + c.beforePublication > 0)) {
    expect(await page.locator(`[data-closure="${c.code}"] .xy-closures__num`).allTextContents()).toEqual([String(c.published), String(c.beforePublication)]);
  }
  expect(x.closures.find((c) => c.code === 'redirected').beforePublication).toBeGreaterThanOrEqual(1);
  for (const t of x.tierShares) expect(squash(await page.locator(`[data-tier="${t.tier}"] .xy-ledger-facts__value`).textContent())).toBe(`${t.resolved} 件 · ${pct1(t.share)}`);
  await shot('rates-03-rules');
  // The page scrolls inside Taro's container: one shot each of the categories and of the closures.
  await page.locator('[data-rule="response"] [data-category]').first().scrollIntoViewIfNeeded();
  await shot('rates-04-rules-categories');
  await page.locator('[data-chart="closures"]').scrollIntoViewIfNeeded();
  await shot('rates-05-rules-closures');

  // Another period: this month, asked of the server as such.
  await P().getByRole('radio', { name: '本月' }).click();
  await s.page.waitForFunction(() => {
    const el = Array.from(document.querySelectorAll('.taro_page')).pop().querySelector('.xy-rules');
    return el && el.getAttribute('data-from').endsWith('-01') && el.getAttribute('data-to') !== `${el.getAttribute('data-from').slice(0, 4)}-12-31`;
  });
});
