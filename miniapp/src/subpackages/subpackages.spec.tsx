import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '../../test/stubs/taro';
import { err, mockApi } from '../../test/api-mock';
import SubscribePrompt from '../components/SubscribePrompt';
import RegisterPage from './member/pages/register/index';
import GridSubmit from './grid/pages/submit/index';
import SubmitWish from '../pages/wish/submit/index';
import { session } from '../stores/session';
import { abilities, me, ORGS, person } from '../../test/fixtures';

const reg = (over = {}) => ({ id: 1, userId: 1, communityId: 5, communityName: '北小街社区', realName: '李明', phone: '13912345678', workUnit: '市教育局', status: 'pending', createdAt: '2026-11-21T02:00:00.000Z', reviewedAt: null, refuseReason: null, ...over });

describe('member registration (双报到)', () => {
  beforeEach(() => session.set({ status: 'ready', me: me(), error: null }));

  it('checks the form, registers, and then shows the status', async () => {
    let mine: unknown[] = [];
    const calls = mockApi({
      'GET /members/registrations/mine': () => ({ body: mine }),
      'GET /me': { body: me() },
      'GET /orgs': { body: [{ id: 5, kind: 'community', name: '北小街社区', parentId: 3, communityClass: 'B' }] },
      'POST /members/registrations': (c) => {
        mine = [reg()];
        return { status: 201, body: { ...reg(), ...(c.data as object) } };
      },
    });
    render(<RegisterPage />);
    fireEvent.click(await screen.findByText('提交报到'));
    expect(screen.getByText('请选择报到的社区')).toBeTruthy();
    expect(screen.getByText('请填写姓名')).toBeTruthy();
    fireEvent.click(screen.getByText('北小街社区'));
    const input = (label: string) => screen.getByText(label).closest('.xy-field')!.querySelector('input')!;
    fireEvent.change(input('真实姓名'), { target: { value: '李明' } });
    fireEvent.change(input('手机号'), { target: { value: '13912345678' } });
    fireEvent.change(input('工作单位'), { target: { value: '市教育局' } });
    fireEvent.click(screen.getByText('提交报到'));
    expect(await screen.findByText('待社区审核')).toBeTruthy();
    expect(calls.find((c) => c.method === 'POST')!.data).toEqual({ communityId: 5, realName: '李明', phone: '13912345678', workUnit: '市教育局' });
    expect(screen.queryByText('提交报到')).toBeNull();
  });

  it('shows a refusal with its reason and offers the form again', async () => {
    mockApi({
      'GET /members/registrations/mine': { body: [reg({ status: 'refused', refuseReason: '不在本社区居住' })] },
      'GET /me': { body: me() },
      'GET /orgs': { body: [{ id: 5, kind: 'community', name: '北小街社区', parentId: 3, communityClass: 'B' }] },
    });
    render(<RegisterPage />);
    expect(await screen.findByText('原因：不在本社区居住')).toBeTruthy();
    expect(await screen.findByText('提交报到')).toBeTruthy();
  });

  it('shows a server refusal in Chinese', async () => {
    mockApi({
      'GET /members/registrations/mine': { body: [] },
      'GET /me': { body: me() },
      'GET /orgs': { body: [{ id: 5, kind: 'community', name: '北小街社区', parentId: 3, communityClass: 'B' }] },
      'POST /members/registrations': err(409, 'REGISTRATION_EXISTS'),
    });
    render(<RegisterPage />);
    fireEvent.click(await screen.findByText('北小街社区'));
    const input = (label: string) => screen.getByText(label).closest('.xy-field')!.querySelector('input')!;
    fireEvent.change(input('真实姓名'), { target: { value: '李明' } });
    fireEvent.change(input('手机号'), { target: { value: '13912345678' } });
    fireEvent.change(input('工作单位'), { target: { value: '市教育局' } });
    fireEvent.click(screen.getByText('提交报到'));
    expect(await screen.findByText('您已提交过该社区的报到申请')).toBeTruthy();
  });
});

describe('subscribe prompt after submit and claim', () => {
  const configured = { body: { items: ['escalated', 'claimed', 'completed', 'overdue'].map((kind) => ({ kind, templateId: `tpl-${kind}`, credits: 0 })) } };

  it('is not shown at all in H5', () => {
    const calls = mockApi({});
    const { container } = render(<SubscribePrompt moment="submitted" />);
    expect(container.innerHTML).toBe('');
    expect(calls).toHaveLength(0);
  });

  it('WeChat, after a submit: the tap asks for completed and claimed (not escalated) and reports the answer', async () => {
    process.env.TARO_ENV = 'weapp';
    const calls = mockApi({ 'GET /me/subscriptions': configured, 'POST /me/subscriptions': { body: { items: [] } } });
    (Taro.requestSubscribeMessage as jest.Mock).mockResolvedValue({ errMsg: 'ok', 'tpl-claimed': 'accept', 'tpl-completed': 'reject' });
    render(<SubscribePrompt moment="submitted" />);
    expect(await screen.findByText('心愿办结待您确认、有人认领时，用微信通知您。')).toBeTruthy();
    fireEvent.click(screen.getByText('开启提醒'));
    expect(await screen.findByText('已开启1项微信提醒')).toBeTruthy();
    expect((Taro.requestSubscribeMessage as jest.Mock).mock.calls[0][0]).toEqual({ tmplIds: ['tpl-completed', 'tpl-claimed'] });
    await waitFor(() => expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /me/subscriptions', 'POST /me/subscriptions']));
    expect(calls[1].data).toEqual({ results: { 'tpl-claimed': 'accept', 'tpl-completed': 'reject' } });
  });

  it("WeChat, after a claim: asks for the claimant's overdue reminder only", async () => {
    process.env.TARO_ENV = 'weapp';
    mockApi({ 'GET /me/subscriptions': configured, 'POST /me/subscriptions': { body: { items: [] } } });
    (Taro.requestSubscribeMessage as jest.Mock).mockResolvedValue({ errMsg: 'ok', 'tpl-overdue': 'accept' });
    render(<SubscribePrompt moment="claimed" />);
    fireEvent.click(await screen.findByText('开启提醒'));
    expect(await screen.findByText('已开启1项微信提醒')).toBeTruthy();
    expect((Taro.requestSubscribeMessage as jest.Mock).mock.calls[0][0]).toEqual({ tmplIds: ['tpl-overdue'] });
  });

  it('WeChat, at a desk (the inbox of claimers and staff): asks for the daily digest only, never one message per wish', async () => {
    process.env.TARO_ENV = 'weapp';
    const items = ['escalated', 'urged', 'backlog', 'digest'].map((kind) => ({ kind, templateId: `tpl-${kind}`, credits: 0 }));
    mockApi({ 'GET /me/subscriptions': { body: { items } }, 'POST /me/subscriptions': { body: { items: [] } } });
    (Taro.requestSubscribeMessage as jest.Mock).mockResolvedValue({ errMsg: 'ok', 'tpl-digest': 'accept' });
    render(<SubscribePrompt moment="desk" />);
    expect(await screen.findByText('有待您处理的心愿时，每天最多用微信提醒您一次（每日待办汇总）。')).toBeTruthy();
    fireEvent.click(screen.getByText('开启提醒'));
    expect(await screen.findByText('已开启1项微信提醒')).toBeTruthy();
    expect((Taro.requestSubscribeMessage as jest.Mock).mock.calls[0][0]).toEqual({ tmplIds: ['tpl-digest'] });
  });

  it('WeChat, main switch off (20004): explains and opens 通知管理 in the settings', async () => {
    process.env.TARO_ENV = 'weapp';
    mockApi({ 'GET /me/subscriptions': configured });
    (Taro.requestSubscribeMessage as jest.Mock).mockRejectedValue({ errMsg: 'requestSubscribeMessage:fail', errCode: 20004 });
    render(<SubscribePrompt moment="submitted" />);
    fireEvent.click(await screen.findByText('开启提醒'));
    expect(await screen.findByText(/您关闭了微信的消息提醒/)).toBeTruthy();
    fireEvent.click(screen.getByText('打开设置（通知管理）'));
    expect(Taro.openSetting).toHaveBeenCalledWith({ withSubscriptions: true });
  });

  it('WeChat, banned (20005): says reminders cannot be sent, without a settings button', async () => {
    process.env.TARO_ENV = 'weapp';
    mockApi({ 'GET /me/subscriptions': configured });
    (Taro.requestSubscribeMessage as jest.Mock).mockRejectedValue({ errMsg: 'requestSubscribeMessage:fail', errCode: 20005 });
    render(<SubscribePrompt moment="claimed" />);
    fireEvent.click(await screen.findByText('开启提醒'));
    expect(await screen.findByText(/暂时不能发送微信提醒/)).toBeTruthy();
    expect(screen.queryByText('打开设置（通知管理）')).toBeNull();
  });

  it('WeChat: nothing to offer when the server has no template for these notices', async () => {
    process.env.TARO_ENV = 'weapp';
    const calls = mockApi({ 'GET /me/subscriptions': { body: { items: [{ kind: 'escalated', templateId: 'tpl-escalated', credits: 0 }] } } });
    const { container } = render(<SubscribePrompt moment="submitted" />);
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(Taro.requestSubscribeMessage).not.toHaveBeenCalled();
    expect(container.textContent).toBe('');
  });
});

describe('who may file a wish', () => {
  const compounds = { body: [{ id: 9, kind: 'compound', name: '康乐小区', parentId: 5, communityClass: null }] };

  it('filing on behalf offers the communities of the submit_on_behalf ability', async () => {
    const calls = mockApi({ 'GET /orgs': compounds });
    const two = me({ abilities: abilities({ submit: true, submit_on_behalf: [ORGS.community, { orgId: 6, orgName: '城南新村社区', orgKind: 'community' }], review_queue: [ORGS.community] }) });
    session.set({ status: 'ready', me: two, error: null });
    render(<GridSubmit />);
    expect(await screen.findByText('城南新村社区')).toBeTruthy();
    expect(screen.getByText('北小街社区')).toBeTruthy();
    // Staff pick from their own communities, not from every community.
    expect(calls.some((c) => c.path === '/orgs' && c.query.kind === 'community')).toBe(false);
  });

  it('a member (no submit_on_behalf) cannot file on behalf', () => {
    mockApi({});
    session.set({ status: 'ready', me: person('member'), error: null });
    render(<GridSubmit />);
    expect(screen.getByText('只有社区党委和网格员可以代居民提交心愿')).toBeTruthy();
  });

  it('a desk account (a unit, the street, the city) is told to submit from a personal account', () => {
    mockApi({});
    session.set({ status: 'ready', me: person('cityAdmin'), error: null });
    render(<SubmitWish />);
    expect(screen.getByText('单位、街道和组织部门的工作账号不能提交心愿，请用个人账号提交')).toBeTruthy();
    expect(screen.queryByText('提交心愿')).toBeNull();
  });

  it('a resident gets the form with the choice of for whom', async () => {
    mockApi({ 'GET /orgs': (c) => (c.query.kind === 'community' ? { body: [{ id: 5, kind: 'community', name: '北小街社区', parentId: 3, communityClass: 'B' }] } : compounds) });
    session.set({ status: 'ready', me: person('resident'), error: null });
    render(<SubmitWish />);
    expect(await screen.findByText('为谁提交')).toBeTruthy();
    expect(screen.getByText('本人')).toBeTruthy();
    expect(screen.getByText('他人（需征得本人同意）')).toBeTruthy();
  });
});
