// The resident's rights in the H5 build, against a real server: who read my
// information, downloading my data (a real xlsx), logging out for good, deleting
// the account; a member withdrawing a registration; tokens renewed quietly. The
// harness fails any test in which the page broke the Content-Security-Policy.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { useH5Session, devLogin, expiredToken, ROOT } = require('./harness');

const s = useH5Session();
const { P, shot, openApp, loginAs } = s;

const TITLE = '楼下路灯坏了想请人修一修';
const PHONE = '13897002222';

const apiAs = (openid) => s.apiAs(openid);

/** The status and error code the API answers a token with (no throwing: refusals are what we look for). */
async function statusFor(token, p = '/me') {
  const r = await fetch(`${s.server.base}/api${p}`, { headers: { authorization: `Bearer ${token}` } });
  const body = await r.json().catch(() => null);
  return `${r.status} ${body?.code ?? ''}`.trim();
}

const storedToken = () => s.page.evaluate(() => {
  const v = localStorage.getItem('xy.token');
  return v ? JSON.parse(v).data : null;
});

/** Settings, from the home page. */
async function openSettings() {
  await P().getByRole('button', { name: /^设置/ }).click();
  await entry('谁查看了我的信息').waitFor();
}

/** An entry of the settings page: a button named by its title and what it is for. */
const entry = (title) => P().getByRole('button', { name: new RegExp(`^${title}`) });

/** The login screen: its persona buttons (dev login) are there, and nobody is on the home page. */
const loginButton = () => s.page.getByRole('button', { name: '居民 · 王秀兰', exact: true });
const homeTiles = () => s.page.getByRole('button', { name: /^设置/ });

/** The yes/no question (an alert dialog named by its title): confirm with the button named `answer`. */
async function confirmModal(title, answer) {
  await s.answerDialog(title, answer);
}

let wish;

test('the H5 page is served under a Content-Security-Policy (so the harness sees violations)', async () => {
  expect(s.contentSecurityPolicy).toMatch(/script-src 'self'/);
  await openApp();
  await loginButton().waitFor();
});

test('a newcomer is shown the privacy sheet (a dialog, checked while open); its link opens the privacy page', async () => {
  // A person the server has never seen (dev login creates them) has not agreed to the notice yet.
  const { token } = await devLogin(s.server.base, 'e2e-rights-newcomer');
  await openApp();
  await s.page.evaluate(([t]) => {
    localStorage.clear();
    localStorage.setItem('xy.token', JSON.stringify({ data: t }));
  }, [token]);
  await openApp();
  const sheet = s.page.getByRole('dialog', { name: '隐私保护指引' });
  await sheet.getByRole('button', { name: '同意并继续' }).waitFor();
  // The sheet takes focus (its title), so a keyboard or screen-reader user starts in the notice.
  await s.page.waitForFunction(() => document.activeElement && document.activeElement.id === 'xy-privacy-title', null, { timeout: 3000 });
  await s.checkA11y('privacy sheet open');
  await shot('rights-00-privacy-sheet');
  await sheet.getByRole('link', { name: '阅读完整的《隐私保护指引》' }).click();
  await P().getByText(/个人信息/).first().waitFor();
  await s.checkA11y('privacy page');
});

test('谁查看了我的信息: after a member claimed and opened the wish, the resident sees the member\'s role and organisation', async () => {
  const resident = await apiAs('demo-resident');
  const me = await resident('GET', '/me');
  const home = me.roles.find((r) => r.role === 'resident');
  const compounds = await resident('GET', `/orgs?kind=compound&parentId=${home.orgId}`);
  wish = await resident('POST', '/wishes', { communityId: home.orgId, compoundId: compounds[0].id, category: 'repair', title: TITLE, description: '晚上出门看不见路，老人怕摔。', beneficiaryName: '王秀兰', beneficiaryPhone: PHONE, address: '5号楼1单元101', forSelf: true });
  const admin = await apiAs('demo-community-admin');
  await admin('POST', `/wishes/${wish.id}/approve`);

  // The member claims it in the app and reads the contact details in full.
  await loginAs('在职党员 · 张伟');
  await openApp(`/pages/wish/detail/index?id=${wish.id}`);
  await P().getByRole('button', { name: '我来认领' }).click();
  await confirmModal('确认认领', '确认认领');
  await P().getByText(PHONE).waitFor();

  await loginAs('居民 · 王秀兰');
  await openSettings();
  await shot('rights-01-settings');
  await entry('谁查看了我的信息').click();
  // Each access is a button (it opens the wish) named by what it says.
  const item = P().getByRole('button', { name: new RegExp(`办理您的心愿（${wish.no}）`) }).filter({ hasText: '在职党员' }).first();
  await item.waitFor();
  const text = await item.textContent();
  expect(text).toContain('北小街社区 · 在职党员');
  expect(text).toContain('姓名、电话、地址');
  // Never the reader's name.
  expect(text).not.toContain('张伟');
  await shot('rights-02-access-log');
  // The same as the server says.
  const log = await resident('GET', '/me/access-log');
  expect(log.items.some((e) => e.wishId === wish.id && e.role === 'member')).toBe(true);
});

test('下载我的数据: the xlsx arrives and holds the wish; 在这里查看 shows it too', async () => {
  await loginAs('居民 · 王秀兰');
  await openSettings();
  await entry('下载我的数据').click();
  await P().getByText('表格里有什么').waitFor();
  await shot('rights-03-my-data');
  const [download] = await Promise.all([s.page.waitForEvent('download'), P().getByRole('button', { name: '下载 Excel 表格' }).click()]);
  await P().getByRole('status').filter({ hasText: /^✓/ }).waitFor();
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'xinyuan-mydata-')), download.suggestedFilename());
  await download.saveAs(file);
  const bytes = fs.readFileSync(file);
  expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
  // Read it back as a workbook: the wish is on the sheet of wishes.
  const ExcelJS = require(require.resolve('exceljs', { paths: [path.join(ROOT, 'server')] }));
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes);
  const cells = [];
  book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((c) => cells.push(String(c.text ?? c.value)))));
  expect(book.worksheets.length).toBeGreaterThan(1);
  expect(cells).toContain(TITLE);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });

  await P().getByRole('button', { name: '在这里查看' }).click();
  await P().getByRole('region', { name: '您的数据' }).getByText(TITLE).waitFor();
  await shot('rights-04-my-data-summary');
  const resident = await apiAs('demo-resident');
  const data = await resident('GET', '/me/data');
  expect(data.wishes.map((w) => w.title)).toContain(TITLE);
  expect(data.wishes.find((w) => w.title === TITLE).beneficiary.phone).toBe(PHONE);
});

test('a token about to expire is renewed quietly, once, and the old one keeps nobody out', async () => {
  await loginAs('居民 · 王秀兰');
  const before = await storedToken();
  // Tokens count time in whole seconds: let one pass, so the renewed token differs.
  await s.page.waitForTimeout(1100);
  // The app believes the token has ten minutes left: inside TOKEN_RENEW_BEFORE_SECONDS.
  await s.page.evaluate(() => localStorage.setItem('xy.tokenExpiresAt', JSON.stringify({ data: Date.now() + 10 * 60_000 })));
  const seen = [];
  const onRequest = (r) => r.url().includes('/api/') && seen.push(`${r.method()} ${new URL(r.url()).pathname}`);
  s.page.on('request', onRequest);
  await openApp('/pages/wish/mine/index');
  await P().getByRole('link', { name: new RegExp(TITLE) }).first().waitFor();
  s.page.off('request', onRequest);
  expect(seen.filter((x) => x === 'POST /api/auth/refresh')).toHaveLength(1);
  expect(seen[0]).toBe('POST /api/auth/refresh');
  const after = await storedToken();
  expect(after).not.toBe(before);
  const expiresAt = await s.page.evaluate(() => JSON.parse(localStorage.getItem('xy.tokenExpiresAt')).data);
  expect(expiresAt - Date.now()).toBeGreaterThan(60 * 60_000);
  await expect(statusFor(after)).resolves.toBe('200');
});

test('H5: an expired token goes to the login screen, saying why; nothing logs in by itself', async () => {
  const { user } = await devLogin(s.server.base, 'demo-resident');
  const stale = expiredToken(user.id);
  await openApp();
  await s.page.evaluate(([t]) => {
    localStorage.clear();
    localStorage.setItem('xy.token', JSON.stringify({ data: t }));
  }, [stale]);
  const seen = [];
  const onResponse = (r) => r.url().includes('/api/') && seen.push(`${r.request().method()} ${new URL(r.url()).pathname} ${r.status()}`);
  s.page.on('response', onResponse);
  await openApp('/pages/wish/mine/index');
  await s.page.getByRole('status').filter({ hasText: '登录已过期，请重新登录' }).waitFor();
  await s.page.waitForTimeout(500);
  s.page.off('response', onResponse);
  await shot('rights-05-expired-login');
  // The login screen reads which ways in the server offers (GET /api/auth/options, public); nothing
  // renews the expired token or logs in behind the person's back.
  expect(seen.filter((x) => x.includes('/auth/') && !x.startsWith('GET /api/auth/options '))).toEqual([]);
  expect(seen.filter((x) => x.endsWith(' 401')).length).toBeLessThanOrEqual(2);
  await expect(storedToken()).resolves.toBeNull();
});

test('退出登录 revokes the token on the server and the app stays out until the person picks again', async () => {
  await loginAs('居民 · 王秀兰');
  const token = await storedToken();
  await openSettings();
  await P().getByRole('button', { name: '退出登录', exact: true }).click();
  await s.page.getByRole('alertdialog', { name: '退出登录' }).getByText('退出后，下次使用需要再点“登录”。您的心愿和数据都会保留。').waitFor();
  await shot('rights-06-logout-confirm');
  await confirmModal('退出登录', '退出登录');
  await s.page.getByRole('status').filter({ hasText: '您已退出登录' }).first().waitFor();
  await shot('rights-07-logged-out');
  await expect(storedToken()).resolves.toBeNull();
  await expect(statusFor(token)).resolves.toBe('401 TOKEN_REVOKED');
  // Opened again: still the login screen.
  await openApp();
  await loginButton().waitFor();
  await s.page.waitForTimeout(300);
  await expect(homeTiles().count()).resolves.toBe(0);
});

test('撤回报到: a member withdraws their registration after confirming, and may register again', async () => {
  await loginAs('在职党员 · 张伟');
  await P().getByRole('button', { name: /^党员报到/ }).click();
  // The registration is an article named by its community and its status.
  const card = P().getByRole('article', { name: /· 已通过/ });
  await card.waitFor();
  await card.getByRole('button', { name: '撤回报到' }).click();
  await s.page.getByRole('alertdialog', { name: '撤回党员报到' }).getByText(/不能再认领这里的心愿/).waitFor();
  await shot('rights-08-withdraw-confirm');
  await confirmModal('撤回党员报到', '撤回报到');
  await P().getByRole('article', { name: /· 已撤回$/ }).getByText('已撤回', { exact: true }).waitFor();
  await P().getByText('提交报到').waitFor();
  await shot('rights-09-withdrawn');
  const member = await apiAs('demo-member');
  const mine = await member('GET', '/members/registrations/mine');
  expect(mine.map((r) => r.status)).toContain('withdrawn');
  // The claim the member held went back to the pool.
  const resident = await apiAs('demo-resident');
  const w = await resident('GET', `/wishes/${wish.id}`);
  expect(w.state).toBe('open');
});

test('注销账号: explained, confirmed by typing 注销, then the app is logged out and the old token is refused', async () => {
  await loginAs('居民 · 王秀兰');
  const token = await storedToken();
  await openSettings();
  await entry('注销账号').click();
  await P().getByText('注销账号后会发生什么').waitFor();
  await shot('rights-10-delete-explained');
  await P().getByRole('button', { name: '我已了解，继续注销' }).click();
  await P().getByText('最后确认').waitFor();
  // Not until the word is typed: the button says it is disabled.
  await P().getByRole('button', { name: '确认注销账号', disabled: true }).waitFor();
  await s.page.waitForTimeout(300);
  await expect(statusFor(token)).resolves.toBe('200');
  await P().getByLabel('请输入“注销”', { exact: true }).fill('注销');
  await shot('rights-11-delete-confirm');
  await P().getByRole('button', { name: '确认注销账号', exact: true }).click();
  const farewell = s.page.getByRole('status').filter({ hasText: '您的账号已注销' });
  await farewell.getByText('您的账号已注销').waitFor();
  await shot('rights-12-deleted');
  expect(await farewell.textContent()).toContain('台账里只保留心愿的办理记录，不再有您的名字');
  await expect(storedToken()).resolves.toBeNull();
  await expect(statusFor(token)).resolves.toMatch(/^401 (ACCOUNT_DELETED|TOKEN_REVOKED)$/);
  await openApp();
  await loginButton().waitFor();
  await s.page.waitForTimeout(300);
  await expect(homeTiles().count()).resolves.toBe(0);
});
