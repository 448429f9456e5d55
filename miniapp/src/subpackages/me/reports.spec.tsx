// Reports (举报) and complaints (投诉与建议), issue 14: the entries on the wish detail, the form,
// my reports with the replies, and the committee's desk. Expected requests and texts typed from
// the issue and shared/src/reports.ts.
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReportView } from '@xinyuan/shared';
import Taro, { __taro } from '../../../test/stubs/taro';
import { err, mockApi } from '../../../test/api-mock';
import { detail, me, ORGS, person } from '../../../test/fixtures';
import { WishDetailView } from '../../pages/wish/detail/index';
import { KEYS } from '../../services/storage';
import { session } from '../../stores/session';
import { ROUTES } from '../../utils/nav';
import { DeskReports } from '../committee/pages/reports/index';
import { deskItems } from '../committee/pages/index/index';
import { ReportForm } from './pages/report/index';
import { MyReports } from './pages/reports/index';
import SettingsPage from './pages/settings/index';

const ready = (who = me()) => {
  __taro.storage.set(KEYS.token, 'tok');
  session.set({ status: 'ready', me: who, error: null, notice: null, farewell: null });
};
const button = (name: string) => screen.getByRole('button', { name });

function report(over: Partial<ReportView> = {}): ReportView {
  return {
    id: 31,
    kind: 'wish',
    category: 'false_info',
    text: '描述与实际不符',
    wishId: 7,
    wishNo: 'XY-0007',
    wishTitle: '楼道灯不亮',
    photoId: null,
    communityId: ORGS.community.orgId,
    communityName: '北小街社区',
    state: 'received',
    reply: null,
    handledAt: null,
    createdAt: '2026-11-20T02:00:00.000Z',
    actions: [],
    ...over,
  };
}

describe('举报 on the wish detail', () => {
  beforeEach(() => ready());

  it("a reader who did not write it gets 举报这个心愿 and one link per photo; both open the form with the target", async () => {
    mockApi({ 'GET /wishes/7': { body: detail({ reportable: true, photos: [{ id: 'p-1', mime: 'image/jpeg', size: 1, url: '/a.jpg' }] }) } });
    render(<WishDetailView id={7} />);
    await screen.findByText('楼道灯不亮');
    fireEvent.click(button('举报这个心愿'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: `${ROUTES.report}?kind=wish&wishId=7&title=${encodeURIComponent('楼道灯不亮')}` });
    expect(screen.getByAltText('心愿照片1')).toBeTruthy();
    fireEvent.click(button('举报第1张照片'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: `${ROUTES.report}?kind=photo&photoId=p-1&title=${encodeURIComponent('楼道灯不亮')}` });
  });

  it('the submitter sees no 举报 entry on their own wish or photos', async () => {
    mockApi({ 'GET /wishes/7': { body: detail({ reportable: false, photos: [{ id: 'p-1', mime: 'image/jpeg', size: 1, url: '/a.jpg' }] }) } });
    render(<WishDetailView id={7} />);
    await screen.findByText('楼道灯不亮');
    expect(screen.queryByRole('button', { name: '举报这个心愿' })).toBeNull();
    expect(screen.queryByRole('button', { name: '举报第1张照片' })).toBeNull();
  });
});

describe('the report and complaint form', () => {
  beforeEach(() => ready());

  it('asks for a reason first, then sends the wish report with the chosen reason and the words', async () => {
    const calls = mockApi({ 'POST /reports': { status: 201, body: report() } });
    const done = jest.fn();
    render(<ReportForm me={me()} kind="wish" wishId={7} title="楼道灯不亮" onDone={done} />);
    fireEvent.click(button('提交举报'));
    expect(await screen.findByText('请选择举报原因')).toBeTruthy();
    expect(calls).toHaveLength(0);
    // The reasons are the issue's: 虚假信息 违法违规 色情低俗 侵犯隐私 骚扰辱骂 其他.
    expect(screen.getAllByRole('radio').map((r) => r.textContent)).toEqual(['虚假信息', '违法违规', '色情低俗', '侵犯隐私', '骚扰辱骂', '其他']);
    fireEvent.click(screen.getByRole('radio', { name: '虚假信息' }));
    fireEvent.change(screen.getByLabelText('补充说明'), { target: { value: '  描述与实际不符  ' } });
    fireEvent.click(button('提交举报'));
    await waitFor(() => expect(done).toHaveBeenCalled());
    expect(calls.map((c) => [c.method, c.path, c.data])).toEqual([['POST', '/reports', { kind: 'wish', category: 'false_info', text: '描述与实际不符', wishId: 7 }]]);
  });

  it('a complaint takes a topic and says what happened; the server refusing it shows its message', async () => {
    const calls = mockApi({ 'POST /reports': err(429, 'QUOTA_EXCEEDED', '您待答复的投诉举报已经很多了，请等已有的答复后再提交') });
    render(<ReportForm me={me()} kind="complaint" onDone={jest.fn()} />);
    expect(screen.getAllByRole('radio').map((r) => r.textContent)).toEqual(['服务态度', '办理质量', '办理超时', '意见建议', '其他']);
    fireEvent.click(screen.getByRole('radio', { name: '服务态度' }));
    fireEvent.click(button('提交投诉与建议'));
    expect(await screen.findByText('请写一写具体情况')).toBeTruthy();
    expect(calls).toHaveLength(0);
    fireEvent.change(screen.getByLabelText('具体情况和您的建议'), { target: { value: '窗口工作人员态度生硬' } });
    fireEvent.click(button('提交投诉与建议'));
    expect((await screen.findByRole('alert')).textContent).toBe('您待答复的投诉举报已经很多了，请等已有的答复后再提交');
    // The resident's one community is the one complained to.
    expect(calls[0].data).toEqual({ kind: 'complaint', category: 'attitude', text: '窗口工作人员态度生硬', communityId: ORGS.community.orgId });
  });
});

describe('投诉与建议 in settings: my reports and their replies', () => {
  beforeEach(() => ready());

  it('settings leads to it', () => {
    mockApi({});
    render(<SettingsPage />);
    fireEvent.click(screen.getByText('投诉与建议'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: ROUTES.myReports });
  });

  it('lists each report with its state, and the reply once handled', async () => {
    mockApi({
      'GET /me/reports': {
        body: {
          items: [
            report({ id: 32, kind: 'complaint', category: 'overdue', wishId: null, wishNo: null, wishTitle: null, text: '报修两周没人来', state: 'handled', reply: '已督促社区三日内上门维修', handledAt: '2026-11-21T02:00:00.000Z' }),
            report(),
          ],
          nextCursor: null,
        },
      },
    });
    render(<MyReports />);
    const handled = await screen.findByRole('article', { name: '投诉与建议 · 办理超时' });
    expect(handled.textContent).toContain('已答复');
    expect(handled.textContent).toContain('已督促社区三日内上门维修');
    const open = screen.getByRole('article', { name: '举报心愿 · 虚假信息 · 楼道灯不亮' });
    expect(open.textContent).toContain('已受理');
    fireEvent.click(button('我要投诉或提建议'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: `${ROUTES.report}?kind=complaint` });
  });
});

describe("the committee's desk", () => {
  it('has a 投诉举报 tile for the committee, none for a resident', () => {
    expect(deskItems(person('communityAdmin')).map((i) => i.key)).toContain('reports');
    expect(deskItems(person('resident')).map((i) => i.key)).not.toContain('reports');
  });

  it('lists the waiting reports, filters by state, and answers one with a reply', async () => {
    ready(person('communityAdmin'));
    const waiting = report({ reporterName: '党员张', actions: ['handle'] });
    const calls = mockApi({
      'GET /reports': (c) => ({ body: { items: c.query.state === 'handled' ? [] : [waiting], nextCursor: null } }),
      'POST /reports/31/handle': { body: { ...waiting, state: 'handled', reply: '已联系提交人更正', handledAt: '2026-11-21T02:00:00.000Z', handledByName: '社区书记', actions: [] } },
    });
    render(<DeskReports />);
    const card = await screen.findByRole('article', { name: '举报心愿 · 虚假信息 · 楼道灯不亮' });
    expect(card.textContent).toContain('提交人：党员张');
    expect(calls[0].query.state).toBe('received');
    fireEvent.click(button('答复并办结'));
    expect(await screen.findByText('请填写答复内容')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('答复内容'), { target: { value: '已联系提交人更正' } });
    fireEvent.click(button('答复并办结'));
    await waitFor(() => expect(screen.queryByRole('button', { name: '答复并办结' })).toBeNull());
    expect(screen.getByRole('article').textContent).toContain('社区答复');
    expect(calls.find((c) => c.method === 'POST')).toMatchObject({ path: '/reports/31/handle', data: { reply: '已联系提交人更正' } });
    expect(screen.queryByRole('button', { name: '答复并办结' })).toBeNull();
    fireEvent.click(button('查看被举报的心愿'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/subpackages/committee/pages/wish/index?id=7' });
    fireEvent.click(screen.getByRole('radio', { name: '已答复' }));
    await waitFor(() => expect(calls.at(-1)!.query.state).toBe('handled'));
    expect(await screen.findByText('没有投诉举报')).toBeTruthy();
  });
});
