// The product as a person uses it: the H5 build in Chromium against a real
// server on a fresh SQLite database with the demo city. Screenshots of every
// page of the journey go to e2e/screenshots/.
const { useH5Session } = require('./harness');
const { makePng } = require('./png');

const s = useH5Session();
const { P, shot, openApp, loginAs } = s;

// Every control is found by its role and accessible name, as a screen reader or a keyboard user
// meets it: a lost label or role fails the journey.

/** The home page's ways in, by the label a person reads (data-tile only orders them in homeTiles). */
async function tile(label) {
  await P().getByRole('button', { name: new RegExp(`^${label}`) }).click();
}

/** A text field by its label (input or textarea; the phone field is a number input). */
async function fill(label, value) {
  await P().getByLabel(label, { exact: true }).fill(value);
}

/** A choice chip by its label ("本人" also names "他人（需征得本人同意）": use chipExact). */
async function chip(text) {
  await P().getByRole('radio', { name: text }).first().click();
}

/** A chip whose whole label is `text` ("本人", not "他人（需征得本人同意）"). */
async function chipExact(text) {
  await P().getByRole('radio', { name: new RegExp(`^(✓ )?${text}$`) }).click();
}

const button = (name) => P().getByRole('button', { name, exact: true });

/** The home page's tiles (and the desk entry), in order. */
async function homeTiles() {
  await P().locator('.xy-home__tiles').waitFor();
  return P().locator('[data-tile]').evaluateAll((els) => els.map((e) => e.getAttribute('data-tile')));
}

/** Adds a photo through 添加照片; the uploaded photo is then found by its alt text (`alt`, e.g. 心愿照片1). */
async function addPhoto(colour, alt) {
  const [chooser] = await Promise.all([s.page.waitForEvent('filechooser'), P().getByRole('button', { name: '添加照片' }).click()]);
  await chooser.setFiles({ name: 'photo.png', mimeType: 'image/png', buffer: makePng(96, 96, colour) });
  await P().getByAltText(alt, { exact: true }).waitFor();
  await P().getByText('✓ 已上传').last().waitFor();
}

/** The consent box: a resident agrees to the notice, staff confirm the resident's consent. */
async function tick(name = /我已阅读并同意/) {
  await P().getByRole('checkbox', { name }).click();
  await P().getByRole('checkbox', { name, checked: true }).waitFor();
}

/** A wish card in a list: a link named by its content. */
const wishCard = (title) => P().getByRole('link', { name: new RegExp(title) });

function wishIdFromUrl() {
  const m = /[?&]id=(\d+)/.exec(s.page.url());
  if (!m) throw new Error(`no wish id in ${s.page.url()}`);
  return Number(m[1]);
}

const apiAs = (openid) => s.apiAs(openid);

const TITLE = '三楼楼道窗户玻璃碎了';

test('a resident submits a wish with a photo; a member sees it masked, claims and completes it with proof; the resident confirms and rates it', async () => {
  // --- the resident submits ---
  await s.page.evaluate(() => localStorage.clear()).catch(() => undefined);
  await openApp();
  await s.page.locator('.xy-login').waitFor();
  await shot('01-login');
  await s.page.getByRole('button', { name: '居民 · 王秀兰' }).click();
  await P().locator('.xy-home').waitFor();
  await shot('02-home-resident');

  await tile('提交心愿');
  await P().getByRole('radio', { name: '康乐小区' }).waitFor();
  await shot('03-submit-empty');
  await button('提交心愿').click();
  await P().getByText('还有内容没填好，请看红色提示').waitFor();
  // Nothing is assumed about for whom: the resident must say.
  await P().getByText('请选择为谁提交').waitFor();
  await chip('康乐小区');
  await chip('维修改造');
  await fill('心愿标题', TITLE);
  await fill('具体情况', '冬天风很大，玻璃碎了一块，怕伤到孩子，希望能帮忙换一块。');
  await addPhoto([200, 22, 29], '心愿照片1');
  await chipExact('本人');
  await fill('联系电话', '13897001111');
  await fill('楼栋门牌', '2号楼3单元402');
  await tick();
  await shot('04-submit-filled');
  await button('提交心愿').click();
  await P().getByText('✓ 心愿已提交').waitFor();
  await shot('05-submitted');
  await button('查看这个心愿').click();
  await P().locator('.xy-detail').waitFor();
  const id = wishIdFromUrl();
  await P().getByText('待审核').first().waitFor();
  expect(await P().locator('.xy-detail__actions').textContent()).toBe('取消心愿');
  await shot('06-detail-pending-review');

  // --- the community reviews it (staff review is not part of the mini-program) ---
  const admin = await apiAs('demo-community-admin');
  await admin('POST', `/wishes/${id}/approve`);

  // --- a member finds it on the wall, masked, and claims it ---
  await loginAs('在职党员 · 张伟');
  expect(await homeTiles()).toEqual(['wall', 'claims', 'submit', 'mine', 'register', 'inbox', 'settings']);
  await shot('07-home-member');
  await tile('心愿墙');
  const card = wishCard(TITLE);
  await card.waitFor();
  const cardText = await card.textContent();
  expect(cardText).toContain('王*');
  expect(cardText).toContain('138****1111');
  expect(cardText).not.toContain('13897001111');
  expect(cardText).not.toContain('402');
  await shot('08-wall');
  await card.click();
  await P().getByText('我来认领').waitFor();
  expect(await P().locator('.xy-detail__person').textContent()).toContain('138****1111');
  await shot('09-detail-member-masked');
  await button('我来认领').click();
  await s.page.getByRole('alertdialog', { name: '确认认领' }).waitFor();
  await shot('10-claim-confirmation');
  await s.answerDialog('确认认领', '确认认领');
  await P().getByText('13897001111').waitFor();
  expect(await P().locator('.xy-detail__person').textContent()).toContain('2号楼3单元402');
  await shot('11-detail-claimed');

  // --- another member may not open a wish someone else holds (404, not a 403 that says it exists) ---
  await loginAs('在职党员 · 刘洋');
  await openApp(`/pages/wish/detail/index?id=${id}`);
  await P().locator('[data-state="not-found"]').getByText('心愿不存在或您无权查看').waitFor();
  expect(await P().getByText('重新加载').count()).toBe(0);
  await shot('11a-detail-not-yours');
  const other = await apiAs('demo-member-2');
  await expect(other('GET', `/wishes/${id}`)).rejects.toThrow(/404/);
  await loginAs('在职党员 · 张伟');
  await openApp(`/pages/wish/detail/index?id=${id}`);
  await P().getByText('办理完成，上传照片').waitFor();

  // --- the member completes it with a proof photo ---
  await button('办理完成，上传照片').click();
  await P().getByText('提交办理结果').waitFor();
  await fill('办理情况', '已上门更换窗户玻璃，并检查了其他窗户。');
  await addPhoto([30, 90, 45], '办理照片1');
  await shot('12-complete-proof');
  await button('提交办理结果').click();
  await P().locator('.xy-detail').getByText('已上门更换窗户玻璃，并检查了其他窗户。').waitFor();
  await P().getByText('待确认').first().waitFor();
  await shot('13-detail-awaiting-confirmation');

  // --- the resident follows the timeline, confirms and rates ---
  await loginAs('居民 · 王秀兰');
  await tile('我的心愿');
  await P().getByRole('tab', { name: '待确认' }).click();
  await P().getByRole('tab', { name: '待确认', selected: true }).waitFor();
  const mine = wishCard(TITLE);
  await mine.waitFor();
  await shot('14-my-wishes');
  await mine.click();
  const timeline = P().locator('.xy-timeline');
  await timeline.waitFor();
  const story = await timeline.textContent();
  for (const line of ['王秀兰（居民） 提交了心愿', '北小街社区党委（社区党委） 审核通过，心愿已发布', '张伟（在职党员） 认领了心愿', '第一级 · 在职党员尽力办', '张伟（在职党员） 办理完成，等待确认']) {
    expect(story).toContain(line);
  }
  await shot('15-detail-timeline');
  await button('确认办结并评价').click();
  await chip('满意');
  await fill('想说的话', '师傅很快就来了，谢谢！');
  await shot('16-rate');
  await button('提交评价').click();
  await P().locator('.xy-detail__rating').waitFor();
  expect(await P().locator('.xy-detail__rating').textContent()).toBe('满意');
  await P().getByText('已办结').first().waitFor();
  await shot('17-resolved');

  const resident = await apiAs('demo-resident');
  const final = await resident('GET', `/wishes/${id}`);
  expect(final).toMatchObject({ state: 'resolved', rating: 'satisfied', ratingComment: '师傅很快就来了，谢谢！', photos: [expect.anything()], onBehalf: false, consentMethod: null, ratingOnBehalf: null });
  expect(final.proof.photos).toHaveLength(1);
  expect(final.timeline.map((e) => e.type)).toEqual(['submit', 'approve', 'claim', 'complete', 'confirm']);

  // --- and the inbox told the resident along the way ---
  await P().locator('.xy-detail').waitFor();
  await openApp();
  await tile('消息');
  await P().getByRole('link', { name: /心愿已被认领/ }).filter({ hasText: TITLE }).waitFor();
  await shot('18-inbox');
});

test('a grid worker submits on behalf of a resident without a phone and sees it in their list', async () => {
  await loginAs('网格员 · 陈静');
  // Filing on behalf and the desk (review); no wall: the wall is the members' and the committee's.
  expect(await homeTiles()).toEqual(['desk', 'claims', 'grid-submit', 'grid-mine', 'submit', 'mine', 'inbox', 'settings']);
  await shot('19-home-grid-worker');
  await tile('代居民提交');
  await P().getByRole('radio', { name: '康乐小区' }).waitFor();
  await chip('康乐小区');
  await chip('助老服务');
  await fill('心愿标题', '想请人上门剪头发');
  await fill('具体情况', '老人腿脚不便，不能下楼，想请人上门理发。');
  await fill('姓名', '马桂兰');
  // No phone: the resident has none, and community staff may leave it out.
  await fill('楼栋门牌', '1号楼1单元102');
  await button('提交心愿').click();
  await P().getByText('请选择受助人同意的方式').waitFor();
  await chip('口头同意');
  await tick('我已向受助人说明用途，并取得其同意');
  await shot('20-grid-submit');
  await button('提交心愿').click();
  await P().getByText('✓ 心愿已提交').waitFor();

  await openApp();
  await tile('代提交记录');
  const card = wishCard('想请人上门剪头发');
  await card.waitFor();
  expect(await card.textContent()).toContain('代他人提交');
  await shot('21-grid-mine');

  const grid = await apiAs('demo-grid');
  const mine = await grid('GET', '/wishes/mine');
  const w = mine.items.find((x) => x.title === '想请人上门剪头发');
  const d = await grid('GET', `/wishes/${w.id}`);
  expect(d).toMatchObject({ onBehalf: true, consentMethod: 'verbal', state: 'pending_review', beneficiary: { name: '马桂兰', phone: '' } });
  expect(d.timeline[0]).toMatchObject({ type: 'submit', actorRole: 'grid_worker', consentMethod: 'verbal' });

  await card.click();
  await P().locator('.xy-detail').waitFor();
  expect(await P().locator('.xy-detail__person').textContent()).toContain('未留电话');
  expect(await P().locator('.xy-timeline').textContent()).toContain('受助人口头同意');

  // The wall is not theirs, even by its address.
  await openApp('/pages/wall/index');
  await P().getByText('您还不是已报到的在职党员，报到通过后就能认领心愿。').waitFor();
  await expect(grid('GET', '/wishes/wall')).rejects.toThrow(/403|400/);
});

test('a resident disputes a completed wish with a reason and it goes back to the claimant', async () => {
  await loginAs('居民 · 王秀兰');
  await tile('我的心愿');
  await P().getByRole('tab', { name: '待确认' }).click();
  await wishCard('水龙头漏水').click();
  await button('还没办好，退回').click();
  await button('退回继续办理').click();
  await P().getByText('请填写原因').waitFor();
  await fill('哪里还没办好？', '换了阀芯还是滴水');
  await shot('22-dispute');
  await button('退回继续办理').click();
  await P().locator('.xy-timeline').getByText('原因：换了阀芯还是滴水').waitFor();
  await P().getByText('办理中').first().waitFor();
  await shot('23-disputed');

  const resident = await apiAs('demo-resident');
  const page1 = await resident('GET', '/wishes/mine?state=claimed');
  const w = page1.items.find((x) => x.title === '水龙头漏水');
  const d = await resident('GET', `/wishes/${w.id}`);
  expect(d.timeline[d.timeline.length - 1]).toMatchObject({ type: 'dispute', reason: '换了阀芯还是滴水', toState: 'claimed' });
});

test('large-text mode makes type and touch targets bigger everywhere', async () => {
  await loginAs('居民 · 王秀兰');
  const size = async () => P().getByRole('button', { name: /^提交心愿/ }).locator('.xy-tile__label').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  const before = await size();
  await tile('设置');
  await P().getByRole('switch', { name: /大字模式/ }).click();
  await P().getByRole('switch', { name: /大字模式/, checked: true }).waitFor();
  await P().locator('.xy-page--large').waitFor();
  await shot('25-settings-large-text');
  await openApp();
  await P().locator('.xy-page--large').waitFor();
  const after = await size();
  expect(after).toBeGreaterThan(before * 1.2);
  const minTarget = await P().getByRole('button', { name: /^提交心愿/ }).evaluate((e) => e.getBoundingClientRect().height);
  expect(minTarget).toBeGreaterThanOrEqual(44);
  await shot('26-home-large-text');
  await tile('提交心愿');
  await P().getByRole('radio').first().waitFor();
  const chipHeight = await P().getByRole('radio').first().evaluate((e) => e.getBoundingClientRect().height);
  expect(chipHeight).toBeGreaterThanOrEqual(44);
  await shot('27-submit-large-text');
});

/** Presses Tab until focus is on an element of `role` whose text has `name` (at most 60 presses). */
async function tabTo(name, role = 'button') {
  for (let i = 0; i < 60; i++) {
    await s.page.keyboard.press('Tab');
    const focused = await s.page.evaluate(() => {
      const e = document.activeElement;
      return e ? { role: e.getAttribute('role'), text: (e.getAttribute('aria-label') || e.textContent || '').replace(/\s+/g, ' ').trim() } : { role: null, text: '' };
    });
    if (focused.role === role && focused.text.includes(name)) return;
  }
  throw new Error(`Tab never reached the ${role} "${name}"`);
}

test('keyboard only: log in, open 我的心愿, pick the 办理中 tab and open a wish with Tab, Enter and Space', async () => {
  await s.page.evaluate(() => localStorage.clear()).catch(() => undefined);
  await openApp();
  await s.page.getByRole('button', { name: '居民 · 王秀兰' }).waitFor();
  await tabTo('居民 · 王秀兰');
  // Focus is visible: the outline the style sheet gives focused controls.
  const outline = await s.page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  expect(outline).toBe('solid');
  await s.page.keyboard.press('Enter');
  await P().getByRole('button', { name: /^我的心愿/ }).waitFor();
  await tabTo('我的心愿');
  await s.page.keyboard.press('Enter');
  await P().getByRole('tab', { name: '全部', selected: true }).waitFor();
  // 水龙头漏水 is back in 办理中 since the dispute above.
  await tabTo('办理中', 'tab');
  await s.page.keyboard.press(' ');
  await P().getByRole('tab', { name: '办理中', selected: true }).waitFor();
  await wishCard('水龙头漏水').waitFor();
  await tabTo('水龙头漏水', 'link');
  await s.page.keyboard.press('Enter');
  await P().locator('.xy-timeline').waitFor();
  await shot('28-keyboard-detail');
});

test('the wish form\'s in-page steps are checked too: the sensitive-consent box (医疗健康) and the child box ticked', async () => {
  await loginAs('居民 · 王秀兰');
  await tile('提交心愿');
  await chip('医疗健康');
  // A sensitive category asks for separate consent (PIPL Art. 29): a box of its own, by its name.
  await P().getByRole('checkbox', { name: /^我单独同意：为办理此心愿，处理我的健康/ }).waitFor();
  await s.checkA11y('submit: sensitive consent shown (医疗健康)');
  await P().getByRole('checkbox', { name: /^受助人是未满十四周岁的儿童/ }).click();
  await P().getByRole('checkbox', { name: /^受助人是未满十四周岁的儿童/, checked: true }).waitFor();
  // A child beneficiary: the separate consent is the guardian's.
  await P().getByRole('checkbox', { name: /^我是儿童的监护人/ }).waitFor();
  await s.checkA11y('submit: child beneficiary ticked');
  await shot('29-submit-child-consent');
});
