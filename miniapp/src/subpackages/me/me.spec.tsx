import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { AccessLogEntryView, DeleteAccountResult, MyDataExport } from '@xinyuan/shared';
import Taro, { __taro } from '../../../test/stubs/taro';
import { err, mockApi } from '../../../test/api-mock';
import { answerDialog } from '../../../test/dialog';
import { detail, me } from '../../../test/fixtures';
import Home, { farewellLines } from '../../pages/index/index';
import { KEYS } from '../../services/storage';
import { boot, session } from '../../stores/session';
import { ROUTES } from '../../utils/nav';
import RegisterPage from '../member/pages/register/index';
import AccessLogPage from './pages/access-log/index';
import DeleteAccountPage, { DELETION_EFFECTS } from './pages/delete-account/index';
import MyDataPage from './pages/my-data/index';
import SettingsPage from './pages/settings/index';

const ready = () => {
  __taro.storage.set(KEYS.token, 'tok');
  session.set({ status: 'ready', me: me(), error: null, notice: null, farewell: null });
};

const input = (label: string) => screen.getByText(label).closest('.xy-field')!.querySelector('input')!;
const button = (text: string) => screen.getByText(text).closest('button')!;

const RESULT: DeleteAccountResult = {
  deletedAt: '2026-11-27T02:00:00.000Z',
  withdrawnWishes: 2,
  continuingWishes: 1,
  erasedWishes: 3,
  erasedPhotos: 4,
  erasedMessages: 5,
  erasedReports: 1,
  withdrawnRegistrations: 0,
  releasedClaims: 0,
};

describe('settings', () => {
  beforeEach(ready);

  it('offers the rights: who read my information, my data, logout, deleting the account', () => {
    mockApi({});
    render(<SettingsPage />);
    expect(screen.getByText('谁查看了我的信息')).toBeTruthy();
    expect(screen.getByText('下载我的数据')).toBeTruthy();
    expect(screen.getByText('退出登录')).toBeTruthy();
    fireEvent.click(screen.getByText('注销账号'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: ROUTES.deleteAccount });
    fireEvent.click(screen.getByText('谁查看了我的信息'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: ROUTES.accessLog });
  });

  it('退出登录 asks first; "再想想" changes nothing', async () => {
    const calls = mockApi({ 'POST /auth/logout': { status: 204, body: null } });
    render(<SettingsPage />);
    fireEvent.click(button('退出登录'));
    await answerDialog('退出登录', '再想想');
    await act(async () => undefined);
    expect(calls).toHaveLength(0);
    expect(session.get().status).toBe('ready');
  });

  it('退出登录 confirmed: POST /auth/logout with the token, the token forgotten, back to the start page', async () => {
    const calls = mockApi({ 'POST /auth/logout': { status: 204, body: null } });
    render(<SettingsPage />);
    fireEvent.click(button('退出登录'));
    await answerDialog('退出登录', '退出登录');
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: ROUTES.home }));
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/auth/logout', auth: 'Bearer tok' });
    expect(__taro.storage.has(KEYS.token)).toBe(false);
    expect(__taro.storage.get(KEYS.loggedOut)).toBe(true);
    expect(session.get()).toMatchObject({ status: 'anonymous', notice: '您已退出登录' });
  });
});

describe('deleting the account (注销账号)', () => {
  beforeEach(ready);

  it('explains exactly what happens before anything can be deleted', () => {
    const calls = mockApi({});
    render(<DeleteAccountPage />);
    for (const line of DELETION_EFFECTS) expect(screen.getByText(line)).toBeTruthy();
    expect(screen.getByText(/联系方式.*照片.*消息/)).toBeTruthy();
    expect(screen.getByText(/还没有人认领的心愿，会被撤回/)).toBeTruthy();
    expect(screen.getByText(/继续办完，但办理人从此看不到您的联系方式/)).toBeTruthy();
    expect(screen.getByText(/台账里会保留心愿办过的事实.*不再有您的名字/)).toBeTruthy();
    expect(screen.queryByText('确认注销账号')).toBeNull();
    expect(calls).toHaveLength(0);
  });

  it('the second step needs the word 注销 typed; until then the button does nothing', async () => {
    const calls = mockApi({ 'DELETE /me': { body: RESULT }, 'GET /auth/options': { body: { devLogin: true, wechat: false } } });
    render(<DeleteAccountPage />);
    fireEvent.click(screen.getByText('我已了解，继续注销'));
    const confirm = button('确认注销账号');
    expect(confirm.disabled).toBe(true);
    fireEvent.click(confirm);
    fireEvent.change(input('请输入“注销”'), { target: { value: '注' } });
    expect(button('确认注销账号').disabled).toBe(true);
    fireEvent.click(button('确认注销账号'));
    fireEvent.change(input('请输入“注销”'), { target: { value: '删除' } });
    fireEvent.click(button('确认注销账号'));
    await act(async () => undefined);
    expect(calls).toHaveLength(0);
    expect(session.get().status).toBe('ready');
  });

  it('confirmed: DELETE /me {confirm: true}, the session ends for good, and the start page shows what was done', async () => {
    const calls = mockApi({ 'DELETE /me': { body: RESULT }, 'GET /auth/options': { body: { devLogin: true, wechat: false } } });
    render(<DeleteAccountPage />);
    fireEvent.click(screen.getByText('我已了解，继续注销'));
    fireEvent.change(input('请输入“注销”'), { target: { value: ' 注销 ' } });
    fireEvent.click(button('确认注销账号'));
    await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: ROUTES.home }));
    expect(calls.filter((c) => c.method !== 'GET')).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'DELETE', path: '/me', data: { confirm: true }, auth: 'Bearer tok' });
    expect(__taro.storage.has(KEYS.token)).toBe(false);
    expect(__taro.storage.get(KEYS.loggedOut)).toBe(true);
    expect(session.get()).toMatchObject({ status: 'anonymous', me: null, farewell: RESULT });

    // The start page: the counts in words, and the login screen under them.
    render(<Home />);
    expect(screen.getByText('您的账号已注销')).toBeTruthy();
    for (const line of farewellLines(RESULT)) expect(screen.getByText(`· ${line}`)).toBeTruthy();
    expect(screen.getByText('· 2个还没有人认领的心愿已撤回')).toBeTruthy();
    expect(screen.getByText('· 1个正在办理的心愿会继续办完，办理人看不到您的联系方式了')).toBeTruthy();
    expect(screen.getByText('· 4张照片已删除')).toBeTruthy();
    expect(screen.getByText('· 1条举报或投诉里您写的内容已删除')).toBeTruthy();
    expect(screen.queryByText(/党员报到已撤回/)).toBeNull();
    expect(await screen.findByText('居民 · 王秀兰')).toBeTruthy();
  });

  it('a refusal is shown in Chinese and nothing is ended', async () => {
    mockApi({ 'DELETE /me': { status: 429, body: { code: 'RATE_LIMITED', message: 'Too many' } } });
    render(<DeleteAccountPage />);
    fireEvent.click(screen.getByText('我已了解，继续注销'));
    fireEvent.change(input('请输入“注销”'), { target: { value: '注销' } });
    fireEvent.click(button('确认注销账号'));
    expect(await screen.findByText('操作太频繁，请稍后再试')).toBeTruthy();
    expect(session.get().status).toBe('ready');
    expect(__taro.storage.get(KEYS.token)).toBe('tok');
    expect(Taro.reLaunch).not.toHaveBeenCalled();
  });

  it('WeChat: after deleting, the app does not log in again by itself', async () => {
    process.env.TARO_ENV = 'weapp';
    mockApi({ 'DELETE /me': { body: RESULT } });
    render(<DeleteAccountPage />);
    fireEvent.click(screen.getByText('我已了解，继续注销'));
    fireEvent.change(input('请输入“注销”'), { target: { value: '注销' } });
    fireEvent.click(button('确认注销账号'));
    await waitFor(() => expect(session.get().status).toBe('anonymous'));
    await act(() => boot());
    expect(Taro.login).not.toHaveBeenCalled();
    render(<Home />);
    // The person taps: now, and only now, wx.login runs.
    (Taro.login as jest.Mock).mockResolvedValue({ code: 'wx-code' });
    mockApi({ 'POST /auth/wechat': { body: { token: 'new', expiresAt: '2030-01-01T00:00:00.000Z', user: me({ nickname: '新用户' }) } }, 'GET /me/messages/unread-count': { body: { unread: 0 } } });
    fireEvent.click(screen.getByText('微信登录'));
    await waitFor(() => expect(session.get().status).toBe('ready'));
    expect(Taro.login).toHaveBeenCalledTimes(1);
    expect(__taro.storage.has(KEYS.loggedOut)).toBe(false);
  });
});

const entry = (over: Partial<AccessLogEntryView> = {}): AccessLogEntryView => ({
  id: 1,
  at: '2026-11-21T02:05:00.000Z',
  purpose: 'wish',
  fields: ['name', 'phone', 'address'],
  role: 'member',
  orgName: '北小街社区',
  wishId: 7,
  wishNo: 'XY-0007',
  ...over,
});

describe('who read my information (谁查看了我的信息)', () => {
  beforeEach(ready);

  it('lists each read: when, who by role and organisation, which parts, why; a wish opens', async () => {
    mockApi({
      'GET /me/access-log': {
        body: {
          items: [entry(), entry({ id: 2, purpose: 'registration', fields: ['real_name', 'phone'], role: 'community_admin', wishId: null, wishNo: null }), entry({ id: 3, purpose: 'my_data', fields: ['profile'], role: 'resident', orgName: null, wishId: null, wishNo: null })],
          nextCursor: null,
        },
      },
    });
    render(<AccessLogPage />);
    expect(await screen.findByText('北小街社区 · 在职党员')).toBeTruthy();
    expect(screen.getByText('姓名、电话、地址')).toBeTruthy();
    expect(screen.getByText('办理您的心愿（XY-0007）')).toBeTruthy();
    expect(screen.getByText('北小街社区 · 社区党委')).toBeTruthy();
    expect(screen.getByText('真实姓名、电话')).toBeTruthy();
    expect(screen.getByText('审核党员报到')).toBeTruthy();
    expect(screen.getByText('您本人')).toBeTruthy();
    expect(screen.getByText('没有更多了')).toBeTruthy();
    fireEvent.click(screen.getByText('办理您的心愿（XY-0007）'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `${ROUTES.detail}?id=7` });
  });

  it('pages on: the next page with the cursor when the person scrolls to the bottom', async () => {
    const calls = mockApi({
      'GET /me/access-log': (c) => (c.query.cursor === 'c2' ? { body: { items: [entry({ id: 9, orgName: '国网西宁供电公司', role: 'unit_admin' })], nextCursor: null } } : { body: { items: [entry()], nextCursor: 'c2' } }),
    });
    render(<AccessLogPage />);
    await screen.findByText('北小街社区 · 在职党员');
    await act(() => __taro.fire('reachBottom'));
    expect(await screen.findByText('国网西宁供电公司 · 联点单位')).toBeTruthy();
    expect(calls.map((c) => c.query)).toEqual([{ limit: '20' }, { cursor: 'c2', limit: '20' }]);
  });

  it('says so when nobody has read anything', async () => {
    mockApi({ 'GET /me/access-log': { body: { items: [], nextCursor: null } } });
    render(<AccessLogPage />);
    expect(await screen.findByText('还没有人查看过您的完整信息')).toBeTruthy();
  });
});

const EXPORT: MyDataExport = {
  generatedAt: '2026-11-27T02:00:00.000Z',
  profile: { id: 1, nickname: '王秀兰', phone: '13897001111', createdAt: '2026-11-01T02:00:00.000Z', roles: [] },
  consents: [{ noticeVersion: '2026-11-01', consentedAt: '2026-11-20T02:00:00.000Z' }],
  wishes: [detail({ title: '三楼楼道窗户玻璃碎了', no: 'XY-0042' })],
  registrations: [],
  messages: [],
  reports: [],
  subscriptions: [],
  accessLog: [entry()],
};

describe('my data (下载我的数据)', () => {
  beforeEach(ready);
  afterEach(() => {
    delete (globalThis as { fetch?: unknown }).fetch;
  });

  it('says what the file holds', () => {
    mockApi({});
    render(<MyDataPage />);
    expect(screen.getByText('表格里有什么')).toBeTruthy();
    expect(screen.getByText(/您提交的每个心愿/)).toBeTruthy();
    expect(screen.getByText(/谁（身份和单位）在什么时候看过您的完整信息/)).toBeTruthy();
  });

  it('H5: fetches the xlsx with the token and saves it through an <a download>', async () => {
    const blob = new Blob(['PK'], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    const fetchMock = jest.fn(async () => ({ ok: true, status: 200, headers: new Headers({ 'content-disposition': 'attachment; filename="my-data.xlsx"' }), blob: async () => blob, json: async () => null }));
    (globalThis as { fetch?: unknown }).fetch = fetchMock;
    const created: Blob[] = [];
    URL.createObjectURL = jest.fn((b: Blob) => {
      created.push(b);
      return 'blob:xy/1';
    });
    URL.revokeObjectURL = jest.fn();
    const clicked: { href: string; download: string }[] = [];
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download });
    });
    render(<MyDataPage />);
    fireEvent.click(screen.getByText('下载 Excel 表格'));
    expect(await screen.findByText(/“my-data.xlsx”已开始下载/)).toBeTruthy();
    expect(fetchMock).toHaveBeenCalledWith('https://api.test/api/me/data.xlsx', { headers: { authorization: 'Bearer tok' } });
    expect(created).toEqual([blob]);
    expect(clicked).toEqual([{ href: 'blob:xy/1', download: 'my-data.xlsx' }]);
    click.mockRestore();
  });

  it('WeChat: downloads with the token in the header, then opens it in the document viewer', async () => {
    process.env.TARO_ENV = 'weapp';
    (Taro.downloadFile as jest.Mock).mockImplementation((o: { success: (r: unknown) => void }) => o.success({ statusCode: 200, tempFilePath: 'wxfile://tmp/d.xlsx', header: {} }));
    (Taro.openDocument as jest.Mock).mockResolvedValue({});
    render(<MyDataPage />);
    fireEvent.click(screen.getByText('下载 Excel 表格'));
    expect(await screen.findByText(/已打开“我的数据.xlsx”/)).toBeTruthy();
    expect((Taro.downloadFile as jest.Mock).mock.calls[0][0]).toMatchObject({ url: 'https://api.test/api/me/data.xlsx', header: { authorization: 'Bearer tok' } });
    expect(Taro.openDocument).toHaveBeenCalledWith({ filePath: 'wxfile://tmp/d.xlsx', fileType: 'xlsx', showMenu: true });
  });

  it('WeChat: without a viewer the file is saved instead', async () => {
    process.env.TARO_ENV = 'weapp';
    (Taro.downloadFile as jest.Mock).mockImplementation((o: { success: (r: unknown) => void }) => o.success({ statusCode: 200, tempFilePath: 'wxfile://tmp/d.xlsx' }));
    (Taro.openDocument as jest.Mock).mockRejectedValue(new Error('openDocument:fail'));
    (Taro.saveFile as jest.Mock).mockResolvedValue({ savedFilePath: 'wxfile://store/d.xlsx' });
    render(<MyDataPage />);
    fireEvent.click(screen.getByText('下载 Excel 表格'));
    expect(await screen.findByText(/已保存到微信的文件里/)).toBeTruthy();
  });

  it('a 429 says when to try again', async () => {
    (globalThis as { fetch?: unknown }).fetch = jest.fn(async () => ({ ok: false, status: 429, headers: new Headers({ 'retry-after': '300' }), json: async () => ({ code: 'RATE_LIMITED', message: 'Too many' }) }));
    render(<MyDataPage />);
    fireEvent.click(screen.getByText('下载 Excel 表格'));
    expect(await screen.findByText('操作太频繁，请5分钟后再试')).toBeTruthy();
  });

  it('在这里查看 shows the JSON in plain words: profile, wishes, counts', async () => {
    mockApi({ 'GET /me/data': { body: EXPORT } });
    render(<MyDataPage />);
    fireEvent.click(screen.getByText('在这里查看'));
    expect(await screen.findByText('手机号：13897001111')).toBeTruthy();
    expect(screen.getByText('三楼楼道窗户玻璃碎了')).toBeTruthy();
    expect(document.querySelector('[data-wish="XY-0042"]')!.textContent).toContain('待认领');
  });
});

const reg = (over = {}) => ({ id: 4, userId: 1, communityId: 5, communityName: '北小街社区', realName: '李明', phone: '13912345678', workUnit: '市教育局', status: 'verified', createdAt: '2026-11-21T02:00:00.000Z', reviewedAt: null, refuseReason: null, revokeReason: null, revokedAt: null, ...over });

describe('withdrawing a member registration (撤回报到)', () => {
  beforeEach(ready);

  it('asks first, in plain words; "再想想" sends nothing', async () => {
    const calls = mockApi({ 'GET /members/registrations/mine': { body: [reg()] }, 'GET /me': { body: me() } });
    render(<RegisterPage />);
    fireEvent.click(await screen.findByText('撤回报到'));
    const text = await answerDialog('撤回党员报到', '再想想');
    expect(text).toContain('不能再认领这里的心愿');
    expect(text).toContain('姓名和手机号会被删除');
    await act(async () => undefined);
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('confirmed: POST …/withdraw, the card says 已撤回, and the form is offered again', async () => {
    const calls = mockApi({
      'GET /members/registrations/mine': { body: [reg()] },
      'GET /me': { body: me() },
      'GET /orgs': { body: [{ id: 5, kind: 'community', name: '北小街社区', parentId: 3, communityClass: 'B' }] },
      'POST /members/registrations/4/withdraw': { body: reg({ status: 'withdrawn', realName: '', phone: '' }) },
    });
    render(<RegisterPage />);
    fireEvent.click(await screen.findByText('撤回报到'));
    await answerDialog('撤回党员报到', '撤回报到');
    expect(await screen.findByText('已撤回')).toBeTruthy();
    expect(calls.find((c) => c.method === 'POST')!.path).toBe('/members/registrations/4/withdraw');
    expect(screen.queryByText('撤回报到')).toBeNull();
    expect(await screen.findByText('提交报到')).toBeTruthy();
  });

  it('a registration already ended says so in Chinese', async () => {
    mockApi({ 'GET /members/registrations/mine': { body: [reg({ status: 'pending' })] }, 'GET /me': { body: me() }, 'POST /members/registrations/4/withdraw': err(409, 'REGISTRATION_CLOSED') });
    render(<RegisterPage />);
    fireEvent.click(await screen.findByText('撤回报到'));
    await answerDialog('撤回党员报到', '撤回报到');
    expect(await screen.findByText('该报到已结束，无需撤回')).toBeTruthy();
  });

  it('nothing to withdraw on a refused or withdrawn registration', async () => {
    mockApi({ 'GET /members/registrations/mine': { body: [reg({ status: 'refused', refuseReason: '不在本社区居住' })] }, 'GET /me': { body: me() }, 'GET /orgs': { body: [] } });
    render(<RegisterPage />);
    await screen.findByText('原因：不在本社区居住');
    expect(screen.queryByText('撤回报到')).toBeNull();
  });
});
