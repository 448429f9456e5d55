// The desks of a paired unit and of the street in the H5 build (issue 15): a unit admin claims
// and completes a tier-3 wish from the desk; the street clears a tier-4 wish from the red list;
// the community's office phone is set by its committee and called from the resident's wish.
// Screenshots go to e2e/screenshots/unit-*.png, street-*.png and call-*.png.
const { useH5Session } = require('./harness');
const { makePng } = require('./png');

const s = useH5Session();
const { P, shot, openApp, loginAs } = s;

// Controls by role and accessible name, as a screen reader or keyboard user meets them.
const button = (name) => P().getByRole('button', { name, exact: true });
/** A home tile by the label a person reads. */
const tile = (label) => P().getByRole('button', { name: new RegExp(`^${label}`) });
const tab = (name) => P().getByRole('tab', { name });
/** A wish card in a list: a link named by its content. */
const wishCard = (title) => P().getByRole('link', { name: new RegExp(title) });

async function fill(label, value) {
  await P().getByLabel(label, { exact: true }).fill(value);
}

/** Adds a photo through 添加照片; found then by its alt text. */
async function addPhoto(colour, alt) {
  const [chooser] = await Promise.all([s.page.waitForEvent('filechooser'), P().getByRole('button', { name: '添加照片' }).click()]);
  await chooser.setFiles({ name: 'photo.png', mimeType: 'image/png', buffer: makePng(96, 96, colour) });
  await P().getByAltText(alt, { exact: true }).waitFor();
  await P().getByText('✓ 已上传').last().waitFor();
}

const apiAs = (openid) => s.apiAs(openid);

function wishIdFromUrl() {
  const m = /[?&]id=(\d+)/.exec(s.page.url());
  if (!m) throw new Error(`no wish id in ${s.page.url()}`);
  return Number(m[1]);
}

/** Completes the wish open on the detail page with a note and a proof photo. */
async function completeWithProof(note) {
  await button('办理完成，上传照片').click();
  await P().getByText('提交办理结果').waitFor();
  await fill('办理情况', note);
  await addPhoto([40, 120, 60], '办理照片1');
  await button('提交办理结果').click();
  await P().locator('.xy-detail').getByText(note).waitFor();
  await P().getByText('待确认').first().waitFor();
}

// The demo city (server/src/modules/demo): 国网西宁供电公司 is paired with 北小街 and 城南新村; 城南新村's
// 路灯不亮 waits at tier 3. 锦绣华庭's 地下车库积水 waits at tier 4; 北小街's 楼顶防水层破损漏雨 went
// unclaimed through tier 4 (督办). Phones and names typed from the demo fixtures.
const UNIT_WISH = '路灯不亮';
const STREET_WISH = '楼顶防水层破损漏雨';

test('a unit admin finds the desk on the home page, claims a tier-3 wish with one tap and completes it with proof', async () => {
  const unit = await apiAs('demo-unit-admin');
  const [counts] = await unit('GET', '/wishes/desk/counts');
  expect(counts).toMatchObject({ desk: 'unit', supervised: null });
  expect(counts.waiting).toBeGreaterThanOrEqual(1);

  await loginAs('联点单位 · 供电公司联络员');
  await tile('联点单位工作台').getByText(`${counts.waiting}件三级心愿待认领，${counts.active}件办理中`).waitFor();
  expect(await P().getByRole('button', { name: /^街道马上办/ }).count()).toBe(0);
  await shot('unit-01-home');

  await tile('联点单位工作台').click();
  await tab('待认领').waitFor();
  const card = wishCard(UNIT_WISH);
  await card.waitFor();
  const text = await card.textContent();
  // Masked until the unit claims: the wall's 马*, 138****6666 and the compound.
  expect(text).toContain('马*');
  expect(text).toContain('138****6666');
  expect(text).not.toContain('13897006666');
  expect(text).toContain('社区：城南新村社区');
  expect(text).toMatch(/等待认领自 /);
  expect(text).toMatch(/本级认领截止 /);
  await shot('unit-02-queue');

  await button(`认领“${UNIT_WISH}”`).click();
  await s.page.getByRole('alertdialog', { name: '确认认领' }).waitFor();
  await shot('unit-03-claim-confirmation');
  await s.answerDialog('确认认领', '确认认领');
  await P().locator('.xy-detail').waitFor();
  const id = wishIdFromUrl();
  await P().locator('.xy-detail__person').getByText('13897006666').waitFor();
  // The unit holds the claim: it may call the person; the community's phone is 城南新村's, which set none.
  await P().locator('[data-tel="13897006666"]').getByRole('button', { name: '联系心愿人', exact: true }).waitFor();
  expect(await P().getByRole('button', { name: /^联系社区/ }).count()).toBe(0);
  await shot('unit-04-claimed');

  // Assigning: the unit's own people, from the desk's page of the wish.
  await button('指派办理人').click();
  await P().locator('.xy-desk-wish').waitFor();
  await button('指派办理人').click();
  await P().getByRole('radio', { name: /供电公司电工王师傅（联点单位）/ }).waitFor();
  await shot('unit-05-assign-people');
  await s.page.goBack();
  await P().locator('.xy-detail').waitFor();

  await completeWithProof('已更换两盏路灯的灯泡并检查线路。');
  await shot('unit-06-completed');

  // The desk's history: the wish waits for the resident's confirmation.
  await openApp();
  await tile('联点单位工作台').click();
  await tab('待确认').click();
  await P().getByRole('tab', { name: '待确认', selected: true }).waitFor();
  await wishCard(UNIT_WISH).waitFor();
  await shot('unit-07-history');

  const done = await unit('GET', `/wishes/${id}`);
  expect(done).toMatchObject({ state: 'awaiting_confirmation', tier: 3, callBeneficiary: true });
  expect(done.timeline.map((e) => e.type)).toContain('claim');
  expect(done.timeline.find((e) => e.type === 'claim')).toMatchObject({ actorRole: 'unit_admin', actorOrg: '国网西宁供电公司' });
  expect(done.proof.photos).toHaveLength(1);
});

test('the street reads the red list on its desk and clears a supervised tier-4 wish', async () => {
  const street = await apiAs('demo-street');
  const [counts] = await street('GET', '/wishes/desk/counts');
  expect(counts).toMatchObject({ desk: 'street', supervised: 1 });
  const red = await street('GET', '/wishes/supervised');
  expect(red.items.map((w) => w.title)).toEqual([STREET_WISH]);

  await loginAs('街道马上办 · 人民街马上办');
  await tile('街道马上办').getByText(`${counts.waiting}件四级心愿待认领，督办1件`).waitFor();
  await shot('street-01-home');
  await tile('街道马上办').click();
  await wishCard('地下车库积水').waitFor();
  expect(await wishCard(STREET_WISH).textContent()).toContain('已列入督办');
  await shot('street-02-queue');

  await tab('督办').click();
  await P().getByRole('tab', { name: '督办', selected: true }).waitFor();
  const card = wishCard(STREET_WISH);
  await card.waitFor();
  expect(await P().locator('.xy-wish-card').count()).toBe(1);
  await shot('street-03-red-list');

  await button(`认领“${STREET_WISH}”`).click();
  await s.answerDialog('确认认领', '确认认领');
  await P().locator('.xy-detail').waitFor();
  const id = wishIdFromUrl();
  await P().locator('[data-tel="13897009999"]').getByRole('button', { name: '联系心愿人', exact: true }).waitFor();
  // 北小街's committee set its office phone (demo): every reader of the wish may call it.
  await button('联系社区（0971-8215678）').waitFor();
  await shot('street-04-claimed');
  await completeWithProof('街道协调维修队重做了楼顶防水层。');
  await shot('street-05-completed');

  await openApp();
  await tile('街道马上办').click();
  await tab('督办').click();
  await P().getByText('暂时没有督办的心愿').waitFor();
  await shot('street-06-red-list-cleared');
  expect((await street('GET', '/wishes/supervised')).items).toEqual([]);
  expect(await street('GET', `/wishes/${id}`)).toMatchObject({ state: 'awaiting_confirmation', tier: 4 });
  const [after] = await street('GET', '/wishes/desk/counts');
  expect(after).toMatchObject({ waiting: counts.waiting - 1, active: counts.active + 1, supervised: 0 });
});

test('the committee sets the office phone; the resident sees 联系社区 on her wish and no 联系心愿人', async () => {
  await loginAs('社区党委 · 北小街社区党委');
  await P().getByRole('button', { name: /^社区工作台/ }).click();
  await P().getByRole('button', { name: /^社区办公电话/ }).click();
  const box = P().getByLabel(/北小街社区办公电话/);
  await box.waitFor();
  await box.fill('8215678');
  await button('保存').click();
  await P().getByText(/请填写带区号的固定电话/).waitFor();
  await shot('call-01-office-phone-invalid');
  await box.fill('0971-8215000');
  await button('保存').click();
  await s.page.getByText('已保存').waitFor();

  const resident = await apiAs('demo-resident');
  const mine = await resident('GET', '/wishes/mine?state=open');
  const open = mine.items[0];
  expect((await resident('GET', `/wishes/${open.id}`)).officePhone).toBe('0971-8215000');

  await loginAs('居民 · 王秀兰');
  await openApp(`/pages/wish/detail/index?id=${open.id}`);
  await button('联系社区（0971-8215000）').waitFor();
  expect(await P().getByRole('button', { name: /^联系心愿人/ }).count()).toBe(0);
  await shot('call-02-resident-detail');
});
