// Reports and complaints (举报/投诉, issue 14) in the H5 build against a real server: a member
// reports a wish from its detail page, a resident sends a complaint from settings, the community
// committee finds both on its desk and answers them, and each reporter reads the answer in the
// inbox and in 投诉与建议. Elements are found by role and accessible name, never by CSS class.
const { useH5Session } = require('./harness');

const s = useH5Session();
const { P, shot, openApp, loginAs } = s;

const TITLE = '小区门口的台阶缺了一块';
const REPORT_TEXT = '照片和描述对不上，像是别处的台阶';
const COMPLAINT_TEXT = '上周报修的路灯两周了还没人来看';
const REPLY_REPORT = '经核实，已请提交人补充现场照片。';
const REPLY_COMPLAINT = '已督促网格员三日内上门查看，感谢您的监督。';

const apiAs = (openid) => s.apiAs(openid);

/** A multi-line field by its label (the name sits on the real <textarea>, through nativeProps). */
async function fillArea(label, value) {
  await P().getByLabel(label, { exact: true }).fill(value);
}

/** A button (components/Button, or a pressable View) by its exact name. */
const tap = (name) => P().getByRole('button', { name, exact: true }).click();

let wishId;

beforeAll(async () => {
  // A resident's wish, published by the committee: on the member's wall.
  const resident = await apiAs('demo-resident');
  const me = await resident('GET', '/me');
  const home = me.roles.find((r) => r.role === 'resident');
  const compounds = await resident('GET', `/orgs?kind=compound&parentId=${home.orgId}`);
  const wish = await resident('POST', '/wishes', { communityId: home.orgId, compoundId: compounds[0].id, category: 'repair', title: TITLE, description: '老人进出容易绊倒。', beneficiaryName: '王秀兰', beneficiaryPhone: '13897001111', address: '1号楼门口', forSelf: true });
  const admin = await apiAs('demo-community-admin');
  await admin('POST', `/wishes/${wish.id}/approve`);
  wishId = wish.id;
});

test('a member reports the wish from its detail page; it waits as 已受理 in 投诉与建议', async () => {
  await loginAs('在职党员 · 张伟');
  await openApp(`/pages/wish/detail/index?id=${wishId}`);
  await P().getByText(TITLE).first().waitFor();
  await tap('举报这个心愿');
  await P().getByRole('radio', { name: '虚假信息' }).waitFor();
  // Sent with nothing chosen: the form shows its errors (checked by axe while they show) and sends nothing.
  await tap('提交举报');
  await P().getByText('请选择举报原因').waitFor();
  await s.checkA11y('report form with an error shown');
  await P().getByRole('radio', { name: '虚假信息' }).click();
  await fillArea('补充说明', REPORT_TEXT);
  await shot('reports-01-report-form');
  await tap('提交举报');
  await P().getByRole('status').getByText(/已提交/).waitFor();
  const card = P().getByRole('article', { name: `举报心愿 · 虚假信息 · ${TITLE}` });
  await card.getByText('已受理').waitFor();
  await card.getByText(REPORT_TEXT).waitFor();
  await shot('reports-02-my-reports');
});

test('a resident sends a complaint from settings (投诉与建议)', async () => {
  await loginAs('居民 · 王秀兰');
  await P().getByRole('button', { name: /设置/ }).click();
  await P().getByRole('button', { name: /投诉与建议/ }).click();
  await tap('我要投诉或提建议');
  await P().getByRole('radio', { name: '办理超时' }).click();
  await fillArea('具体情况和您的建议', COMPLAINT_TEXT);
  await tap('提交投诉与建议');
  const card = P().getByRole('article', { name: '投诉与建议 · 办理超时' });
  await card.getByText('已受理').waitFor();
  await card.getByText(COMPLAINT_TEXT).waitFor();
});

test('the committee finds both on its desk and answers each; answered, they leave the waiting list', async () => {
  await loginAs('社区党委 · 北小街社区党委');
  await P().getByRole('button', { name: /工作台/ }).click();
  await P().getByRole('button', { name: /投诉举报/ }).click();
  const report = P().getByRole('article', { name: `举报心愿 · 虚假信息 · ${TITLE}` });
  const complaint = P().getByRole('article', { name: '投诉与建议 · 办理超时' });
  await report.getByText(REPORT_TEXT).waitFor();
  await complaint.getByText(COMPLAINT_TEXT).waitFor();
  await report.getByText(/提交人：张伟/).waitFor();
  await shot('reports-03-desk');

  for (const [card, reply] of [
    [report, REPLY_REPORT],
    [complaint, REPLY_COMPLAINT],
  ]) {
    const inner = card.getByLabel('答复内容', { exact: true });
    await inner.fill(reply);
    await card.getByRole('button', { name: '答复并办结', exact: true }).click();
    await card.getByText(reply).waitFor();
    await card.getByText('已答复').waitFor();
  }
  await shot('reports-04-desk-answered');
  await P().getByRole('radio', { name: '待处理' }).click(); // already chosen: tapping it again keeps it
  await P().getByRole('radio', { name: '已答复' }).click();
  await P().getByRole('article', { name: '投诉与建议 · 办理超时' }).getByText(REPLY_COMPLAINT).waitFor();
});

test('the member reads the answer in the inbox, and it opens 投诉与建议 with the reply', async () => {
  await loginAs('在职党员 · 张伟');
  await P().getByRole('button', { name: /消息/ }).click();
  await P().getByText('您的举报已处理').waitFor();
  await P().getByText(new RegExp(REPLY_REPORT)).first().click();
  const card = P().getByRole('article', { name: `举报心愿 · 虚假信息 · ${TITLE}` });
  await card.getByText('已答复').waitFor();
  await card.getByText(REPLY_REPORT).waitFor();
  await shot('reports-05-member-reply');
});

test('the resident reads the answer to the complaint in the inbox and in 投诉与建议', async () => {
  await loginAs('居民 · 王秀兰');
  await P().getByRole('button', { name: /消息/ }).click();
  await P().getByText('您的投诉与建议已答复').waitFor();
  await openApp('/subpackages/me/pages/reports/index');
  const card = P().getByRole('article', { name: '投诉与建议 · 办理超时' });
  await card.getByText(REPLY_COMPLAINT).waitFor();
  // The same through the API: handled, with the reply, and the inbox line points at it.
  const resident = await apiAs('demo-resident');
  const mine = await resident('GET', '/me/reports');
  expect(mine.items.map((r) => [r.kind, r.category, r.state, r.reply])).toEqual([['complaint', 'overdue', 'handled', REPLY_COMPLAINT]]);
  const inbox = await resident('GET', '/me/messages');
  expect(inbox.items.filter((m) => m.kind === 'report_reply').map((m) => m.reportId)).toEqual([mine.items[0].id]);
});
