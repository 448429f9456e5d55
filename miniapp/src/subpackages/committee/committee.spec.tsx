import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { LedgerDashboard, LedgerWishDetail, LedgerWishItem, MemberRegistrationView, RatesSummary, WishAction } from '@xinyuan/shared';
import Taro from '../../../test/stubs/taro';
import { err, mockApi } from '../../../test/api-mock';
import { answerDialog } from '../../../test/dialog';
import { abilities, detail, me, ORGS, person, summary } from '../../../test/fixtures';
import DeskEntry from '../../components/DeskEntry';
import { session } from '../../stores/session';
import { deliverExport } from './export';
import { Dashboard } from './pages/dashboard/index';
import { deskItems } from './pages/index/index';
import { Ledger, presetFilters } from './pages/ledger/index';
import { Review } from './pages/review/index';
import { WorkingCalendarPage } from './pages/calendar/index';
import CalendarBanner from './components/CalendarBanner';
import { DeskWish } from './pages/wish/index';
import { staffMovesFor } from './components/StaffActions';

// The stand-in components have no Picker; a tap on this one picks 2026-11-01.
jest.mock('@tarojs/components', () => {
  const actual = jest.requireActual('../../../test/stubs/components');
  const { createElement } = jest.requireActual('react');
  return { ...actual, Picker: (p: { children: unknown; onChange: (e: { detail: { value: string } }) => void }) => createElement('div', { className: 'picker', onClick: () => p.onChange({ detail: { value: '2026-11-01' } }) }, p.children) };
});

// WeChat APIs the stand-in Taro does not have.
const wx = Taro as unknown as Record<string, jest.Mock>;
wx.downloadFile = jest.fn();
wx.openDocument = jest.fn();
wx.setClipboardData = jest.fn();

const admin = () => person('communityAdmin', { id: 9, nickname: '北小街社区党委' });
const grid = () => person('gridWorker', { id: 4, nickname: '网格员陈静' });
const posts = (calls: { method: string; path: string; data: unknown }[]) => calls.filter((c) => c.method === 'POST').map((c) => [c.path, c.data]);

beforeEach(() => session.set({ status: 'ready', me: admin(), error: null }));

describe('the desk entry and the desk menu', () => {
  it('shows the entry to staff and not to residents', () => {
    const { container, rerender } = render(<DeskEntry me={me()} />);
    expect(container.textContent).toBe('');
    rerender(<DeskEntry me={admin()} />);
    fireEvent.click(screen.getByText('社区工作台'));
    expect((Taro.navigateTo as jest.Mock).mock.calls[0][0]).toEqual({ url: '/subpackages/committee/pages/index/index' });
  });

  it('shows no entry to a member or to a person whose grants the policy does not honour', () => {
    const { container } = render(<DeskEntry me={person('member')} />);
    expect(container.textContent).toBe('');
    // Holds a grid-worker role on paper, but GET /me allows nothing: no desk.
    const { container: c2 } = render(<DeskEntry me={me({ roles: [{ role: 'grid_worker', orgId: 5, orgName: '北小街社区', orgKind: 'community' }], abilities: abilities({ submit: true }) })} />);
    expect(c2.textContent).toBe('');
  });

  it('offers each person the parts of the desk the policy allows (by hand from DOMAIN.md)', () => {
    const menu = (m: ReturnType<typeof me>) => deskItems(m).map((i) => i.label);
    expect(menu(person('resident'))).toEqual([]);
    expect(menu(person('member'))).toEqual([]);
    // A grid worker reviews; no member registrations, no ledger, no dashboard.
    expect(menu(person('gridWorker'))).toEqual(['心愿审核']);
    // Reports and complaints (issue 14) reach the committee, the street and the city above it.
    // Issue 15: funds (committee, street, city), the ranking by fulfilled wishes (whoever reads the
    // rates), and the community's office phone, which is its committee's to set.
    expect(menu(admin())).toEqual(['心愿审核', '党员报到审核', '数据看板', '台账查询与导出', '专项经费', '党员服务排行', '二级心愿', '投诉举报', '社区办公电话']);
    expect(menu(person('branchSecretary'))).toEqual(['台账查询', '二级心愿']);
    // A paired unit reads its ledger: no dashboard, no export.
    expect(menu(person('unitAdmin'))).toEqual(['台账查询']);
    // The street: dashboard with funds and the ledger, but no export.
    expect(menu(person('street'))).toEqual(['数据看板', '台账查询', '专项经费', '党员服务排行', '投诉举报']);
    expect(deskItems(person('street')).find((i) => i.key === 'dashboard')!.hint).toContain('经费');
    // A city admin at a district: dashboard and export; nothing of the city's rules (dispatch policy, budgets).
    expect(menu(person('districtAdmin'))).toEqual(['数据看板', '台账查询与导出', '专项经费', '党员服务排行', '投诉举报']);
    // At the city: also the working calendar (dispatch_policy).
    expect(menu(person('cityAdmin'))).toEqual(['数据看板', '台账查询与导出', '专项经费', '党员服务排行', '投诉举报', '工作日历']);
    const noFunds = me({ abilities: abilities({ ledger: [ORGS.district], rates: [ORGS.district] }) });
    expect(deskItems(noFunds).find((i) => i.key === 'dashboard')!.hint).not.toContain('经费');
  });
});

describe('review queue', () => {
  // What the server lists for the committee on a new wish of another person (WishSummary.actions).
  const ADMIN_MOVES = ['approve', 'reject', 'mark_urgent', 'cancel'] as const;
  const queue = [
    summary({ id: 21, no: 'XY20261127000021', title: '想要一辆轮椅', state: 'pending_review', masked: false, beneficiary: { name: '王秀兰', phone: '13897001111', address: '康乐小区2号楼3单元402' }, contentCheck: { result: 'pass', label: null, checkedAt: null }, actions: [...ADMIN_MOVES], reasonRequired: ['reject', 'mark_urgent', 'cancel'] }),
    summary({ id: 22, no: 'XY20261127000022', title: '加装扶手', state: 'pending_review', masked: false, contentCheck: { result: 'risky', label: '广告', checkedAt: null }, actions: [...ADMIN_MOVES], reasonRequired: ['reject', 'mark_urgent', 'cancel'] }),
    summary({ id: 23, no: 'XY20261127000023', title: '临时生活困难', state: 'pending_review', masked: false, contentCheck: { result: 'unchecked', label: null, checkedAt: null }, actions: [...ADMIN_MOVES], reasonRequired: ['reject', 'mark_urgent', 'cancel'] }),
  ];

  // The cards take their moves from the queue's items: no wish is read again per card.
  const adminMoves = {};

  it('shows each new wish in full with a warning where the content check did not pass', async () => {
    const calls = mockApi({ ...adminMoves, 'GET /wishes/review': { body: { items: queue, nextCursor: null } } });
    render(<Review me={admin()} />);
    const card = (await screen.findByText('想要一辆轮椅')).closest('.xy-review-card') as HTMLElement;
    expect(card.textContent).toContain('13897001111');
    expect(card.querySelector('.xy-check')).toBeNull();
    expect(screen.getByText('⚠ 内容疑似违规（广告），请仔细核实').className).toContain('xy-check--risky');
    expect(screen.getByText('⚠ 内容未经自动检测，请人工核实').className).toContain('xy-check--review');
    expect(calls[0].query).toEqual({ communityId: '5', limit: '20' });
    expect(calls.map((c) => c.path)).toEqual(['/wishes/review']);
  });

  it('approves after a confirmation and the wish leaves the queue', async () => {
    const calls = mockApi({ ...adminMoves, 'GET /wishes/review': { body: { items: queue, nextCursor: null } }, 'POST /wishes/21/approve': { body: detail({ id: 21, state: 'open' }) } });
    render(<Review me={admin()} />);
    const card = (await screen.findByText('想要一辆轮椅')).closest('.xy-review-card') as HTMLElement;
    fireEvent.click(await within(card).findByText('审核通过'));
    expect(await answerDialog('审核通过', '确认通过')).toBe('通过后「想要一辆轮椅」会发布给在职党员认领。');
    await waitFor(() => expect(screen.queryByText('想要一辆轮椅')).toBeNull());
    expect(posts(calls)).toEqual([['/wishes/21/approve', {}]]);
    expect(screen.getByText('加装扶手')).toBeTruthy();
  });

  it('a rejection needs a closure code and a reason, which are sent for the resident to read', async () => {
    const calls = mockApi({ ...adminMoves, 'GET /wishes/review': { body: { items: queue, nextCursor: null } }, 'POST /wishes/22/reject': { body: detail({ id: 22, state: 'rejected' }) } });
    render(<Review me={admin()} />);
    const card = (await screen.findByText('加装扶手')).closest('.xy-review-card') as HTMLElement;
    fireEvent.click(await within(card).findByText('不通过'));
    fireEvent.click(within(card).getByText('确认不通过'));
    expect(within(card).getAllByText('请选择结案类别').length).toBeGreaterThan(0);
    expect(within(card).getByText('请填写原因')).toBeTruthy();
    fireEvent.click(within(card).getByText('无效信息'));
    expect(within(card).queryByText('请选择结案类别')).toBeNull();
    fireEvent.change(card.querySelector('textarea')!, { target: { value: '内容含广告' } });
    fireEvent.click(within(card).getByText('确认不通过'));
    await waitFor(() => expect(screen.queryByText('加装扶手')).toBeNull());
    expect(posts(calls)).toEqual([['/wishes/22/reject', { code: 'spam', reason: '内容含广告' }]]);
  });

  it('marks urgent with a reason; a server refusal stays on the form in Chinese', async () => {
    const calls = mockApi({ ...adminMoves, 'GET /wishes/review': { body: { items: queue, nextCursor: null } }, 'POST /wishes/23/urgent': err(409, 'TRANSITION_NOT_ALLOWED') });
    render(<Review me={admin()} />);
    const card = (await screen.findByText('临时生活困难')).closest('.xy-review-card') as HTMLElement;
    fireEvent.click(await within(card).findByText('标记紧急'));
    fireEvent.change(card.querySelector('textarea')!, { target: { value: '老人独居，今晚无人照看' } });
    fireEvent.click(within(card).getByText('标记紧急，直达马上办'));
    expect(await within(card).findByText('当前状态下不能进行此操作')).toBeTruthy();
    expect(posts(calls)).toEqual([['/wishes/23/urgent', { reason: '老人独居，今晚无人照看' }]]);
  });

  it('cancels as a duplicate of a wish picked from the same community and category', async () => {
    const similar: Partial<LedgerWishItem>[] = [
      { id: 21, no: 'XY20261127000021', title: '想要一辆轮椅', state: 'pending_review' },
      { id: 15, no: 'XY20261120000015', title: '借轮椅', state: 'open' },
      { id: 12, no: 'XY20261118000012', title: '旧的', state: 'cancelled' },
    ];
    const calls = mockApi({
      ...adminMoves,
      'GET /wishes/review': { body: { items: queue, nextCursor: null } },
      'GET /ledger/wishes': { body: { items: similar, nextCursor: null } },
      'POST /wishes/21/cancel': { body: detail({ id: 21, state: 'cancelled' }) },
    });
    render(<Review me={admin()} />);
    const card = (await screen.findByText('想要一辆轮椅')).closest('.xy-review-card') as HTMLElement;
    fireEvent.click(await within(card).findByText('重复心愿'));
    fireEvent.click(within(card).getByText('按重复心愿取消'));
    expect(within(card).getByText('请填写或点选重复的心愿编号')).toBeTruthy();
    fireEvent.click(await within(card).findByText('借轮椅（XY20261120000015）'));
    expect(within(card).queryByText('旧的（XY20261118000012）')).toBeNull();
    fireEvent.click(within(card).getByText('按重复心愿取消'));
    await waitFor(() => expect(screen.queryByText('想要一辆轮椅')).toBeNull());
    expect(calls.find((c) => c.path === '/ledger/wishes')!.query).toEqual({ communityId: '5', category: 'repair', limit: '20' });
    expect(posts(calls)).toEqual([['/wishes/21/cancel', { code: 'duplicate', reason: '与已有心愿XY20261120000015重复', duplicateOf: 15 }]]);
  });

  it('pages on with 加载更多', async () => {
    const calls = mockApi({ ...adminMoves, 'GET /wishes/review': (c) => ({ body: c.query.cursor ? { items: [queue[2]], nextCursor: null } : { items: queue.slice(0, 2), nextCursor: 'c2' } }) });
    render(<Review me={admin()} />);
    fireEvent.click(await screen.findByText('加载更多'));
    expect(await screen.findByText('临时生活困难')).toBeTruthy();
    expect(calls.filter((c) => c.path === '/wishes/review')[1].query.cursor).toBe('c2');
    expect(screen.getByText('没有更多了')).toBeTruthy();
  });

  it('offers each card exactly the moves the server lists: a grid worker approves or rejects others\' wishes, never their own', async () => {
    // approve and reject only (mark urgent and cancel are the committee's); none on the wish they filed (four eyes).
    const own = summary({ id: 25, no: 'XY20261127000025', title: '临时生活困难', state: 'pending_review', onBehalf: true, masked: false, beneficiary: { name: '孙志强', phone: '', address: '7号楼2单元501' }, actions: ['cancel'] });
    const calls = mockApi({
      'GET /wishes/review': { body: { items: [{ ...queue[0], actions: ['approve', 'reject'] }, own], nextCursor: null } },
      // The approval takes the wish out of the grid worker's sight: 200 with nothing more to do.
      'POST /wishes/21/approve': { body: detail({ id: 21, state: 'open', actions: [] }) },
    });
    render(<Review me={grid()} />);
    const card = (await screen.findByText('想要一辆轮椅')).closest('.xy-review-card') as HTMLElement;
    await waitFor(() => expect(Array.from(card.querySelectorAll('.xy-desk-actions__btn')).map((b) => b.textContent)).toEqual(['审核通过', '不通过']));
    const mine = screen.getByText('临时生活困难').closest('.xy-review-card') as HTMLElement;
    await waitFor(() => expect(mine.querySelector('.xy-review-card__none')).not.toBeNull());
    expect(mine.querySelectorAll('.xy-desk-actions__btn')).toHaveLength(0);
    expect(mine.textContent).toContain('孙志强 · 未留电话');
    // No tabs: member registrations are the committee's.
    expect(screen.queryByText('党员报到')).toBeNull();
    fireEvent.click(await within(card).findByText('审核通过'));
    await answerDialog('审核通过', '确认通过');
    await waitFor(() => expect(screen.queryByText('想要一辆轮椅')).toBeNull());
    // Dropped from the queue, not read again (a later GET would be 404).
    expect(calls.filter((c) => c.path === '/wishes/21').map((c) => c.method)).toEqual([]);
    expect(posts(calls)).toEqual([['/wishes/21/approve', {}]]);
    expect(screen.getByText('临时生活困难')).toBeTruthy();
  });
});

describe('member registrations', () => {
  const reg = (over: Partial<MemberRegistrationView> = {}): MemberRegistrationView => ({ id: 31, userId: 8, communityId: 5, communityName: '北小街社区', realName: '李明', phone: '13912345678', workUnit: '市教育局', status: 'pending', createdAt: '2026-11-21T02:00:00.000Z', reviewedAt: null, refuseReason: null, revokeReason: null, revokedAt: null, ...over });

  it('verifies and refuses pending registrations', async () => {
    const calls = mockApi({
      'GET /members/registrations': { body: [reg(), reg({ id: 32, realName: '赵强' })] },
      'POST /members/registrations/31/verify': { body: reg({ status: 'verified' }) },
      'POST /members/registrations/32/refuse': (c) => ({ body: reg({ id: 32, status: 'refused', refuseReason: (c.data as { reason: string }).reason }) }),
    });
    render(<Review me={admin()} initialTab="members" />);
    const first = (await screen.findByText('李明')).closest('.xy-member') as HTMLElement;
    fireEvent.click(within(first).getByText('通过'));
    await answerDialog('通过报到', '确认通过');
    await waitFor(() => expect(screen.queryByText('李明')).toBeNull());
    const second = screen.getByText('赵强').closest('.xy-member') as HTMLElement;
    fireEvent.click(within(second).getByText('不通过'));
    fireEvent.change(second.querySelector('textarea')!, { target: { value: '不在本社区居住' } });
    fireEvent.click(within(second).getByText('确认不通过'));
    expect(await screen.findByText('没有待审核的报到申请')).toBeTruthy();
    expect(calls[0].query).toEqual({ communityId: '5', status: 'pending' });
    expect(posts(calls)).toEqual([
      ['/members/registrations/31/verify', {}],
      ['/members/registrations/32/refuse', { reason: '不在本社区居住' }],
    ]);
  });

  it('deactivates a verified member with a reason and says which wishes went back', async () => {
    const calls = mockApi({
      'GET /members/registrations': (c) => ({ body: c.query.status === 'verified' ? [reg({ status: 'verified', reviewedAt: '2026-11-22T02:00:00.000Z' })] : [] }),
      'POST /members/registrations/31/deactivate': { body: { ...reg({ status: 'revoked', revokeReason: '已搬离本社区' }), releasedWishIds: [4, 6] } },
    });
    render(<Review me={admin()} initialTab="members" />);
    await screen.findByText('没有待审核的报到申请');
    fireEvent.click(screen.getByText('已通过'));
    fireEvent.click(await screen.findByText('停用党员'));
    fireEvent.change(document.querySelector('textarea')!, { target: { value: '已搬离本社区' } });
    fireEvent.click(screen.getByText('确认停用'));
    await waitFor(() => expect(screen.queryByText('李明')).toBeNull());
    expect(posts(calls)).toEqual([['/members/registrations/31/deactivate', { reason: '已搬离本社区' }]]);
    expect((Taro.showToast as jest.Mock).mock.calls.at(-1)![0]).toMatchObject({ title: '已停用，2个心愿退回待认领' });
  });
});

const item = (over: Partial<LedgerWishItem> = {}): LedgerWishItem => ({
  id: 7, no: 'XY20261120000007', title: '楼道声控灯不亮', category: 'repair', state: 'resolved', urgent: false, communityId: 5, communityName: '北小街社区', tierReached: 1, claimTier: 1,
  claimant: { id: 2, name: '张伟' }, rating: 'satisfied', autoConfirmed: false, submittedAt: '2026-11-20T02:00:00.000Z', publishedAt: '2026-11-20T03:00:00.000Z', firstClaimedAt: '2026-11-20T04:00:00.000Z',
  claimedAt: '2026-11-20T04:00:00.000Z', completedAt: '2026-11-21T04:00:00.000Z', resolvedAt: '2026-11-21T06:00:00.000Z', supervisedAt: null, dueAt: null, overdue: false, daysTaken: 1.2, costFen: 3500, duplicateOfId: null, closureCode: null, ratingConsent: null, urgeCount: 0, lastUrgedAt: null, ...over,
});

describe('ledger', () => {
  it('filters, pages on with the cursor, and keeps the filters for the next page', async () => {
    const calls = mockApi({ 'GET /ledger/wishes': (c) => ({ body: c.query.cursor ? { items: [item({ id: 6, title: '第二页的心愿' })], nextCursor: null } : { items: [item()], nextCursor: 'n1' } }) });
    render(<Ledger me={admin()} />);
    expect(await screen.findByText('楼道声控灯不亮')).toBeTruthy();
    expect(screen.getByText(/张伟（一级）认领 · 满意 · 用时1.2天/)).toBeTruthy();
    fireEvent.click(screen.getByText('筛选'));
    fireEvent.click(screen.getByText('已办结', { selector: '.xy-chip' }));
    fireEvent.click(within(screen.getByText('办结层级（已办结的心愿）').closest('.xy-chips') as HTMLElement).getByText('二级'));
    fireEvent.click(screen.getByText('办理超期'));
    await waitFor(() => expect(calls.at(-1)!.query).toEqual({ state: 'resolved', tierResolved: '2', overdue: 'true', limit: '20' }));
    fireEvent.click(await screen.findByText('加载更多'));
    expect(await screen.findByText('第二页的心愿')).toBeTruthy();
    expect(calls.at(-1)!.query).toEqual({ state: 'resolved', tierResolved: '2', overdue: 'true', limit: '20', cursor: 'n1' });
    expect(screen.getByText('收起筛选')).toBeTruthy();
    fireEvent.click(screen.getByText('收起筛选'));
    expect(screen.getByText('筛选（已选3项）')).toBeTruthy();
  });

  it('waits for a sensible custom period before asking', async () => {
    const calls = mockApi({ 'GET /ledger/wishes': { body: { items: [], nextCursor: null } } });
    render(<Ledger me={admin()} />);
    await screen.findByText('没有符合条件的心愿');
    fireEvent.click(screen.getByText('筛选'));
    fireEvent.click(screen.getByText('自选日期'));
    expect(screen.getByText('请选择开始或结束日期')).toBeTruthy();
    fireEvent.click(screen.getByText('开始日期'));
    await waitFor(() => expect(calls.at(-1)!.query).toEqual({ from: '2026-11-01', limit: '20' }));
  });

  it('opens on the preset of the desk’s 二级心愿 entry', () => {
    expect(presetFilters({ tierReached: '2', state: 'claimed' })).toMatchObject({ tierReached: 2, state: 'claimed' });
    expect(presetFilters({ tierReached: '9', state: 'nonsense' })).toMatchObject({ tierReached: null, state: null });
  });

  it('H5: exports what the filters show and hands the browser the link', async () => {
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const calls = mockApi({
      'GET /ledger/wishes': { body: { items: [item()], nextCursor: null } },
      'POST /ledger/export-links': { body: { url: '/api/ledger/download/tok123', fileName: '心愿台账-20261127.xlsx', expiresAt: '2026-11-27T12:10:00.000Z' } },
    });
    render(<Ledger me={admin()} initial={presetFilters({ tierReached: '2', state: 'claimed' })} />);
    await screen.findByText('楼道声控灯不亮');
    fireEvent.click(screen.getByText('导出 Excel'));
    const link = await screen.findByText('https://api.test/api/ledger/download/tok123');
    expect(link.getAttribute('data-url')).toBe('https://api.test/api/ledger/download/tok123');
    expect(posts(calls)).toEqual([['/ledger/export-links', { format: 'xlsx', state: 'claimed', tierReached: 2 }]]);
    expect(click).toHaveBeenCalledTimes(1);
    expect((click.mock.contexts[0] as HTMLAnchorElement).download).toBe('心愿台账-20261127.xlsx');
    click.mockRestore();
  });

  it('offers export only where the policy allows it (not the street, not a paired unit), and the street picks among its communities', async () => {
    const calls = mockApi({
      'GET /ledger/wishes': { body: { items: [item()], nextCursor: null } },
      'GET /orgs': { body: [
        { id: 3, kind: 'street', name: '人民街街道', parentId: 2, communityClass: null },
        { id: 5, kind: 'community', name: '北小街社区', parentId: 3, communityClass: 'B' },
        { id: 6, kind: 'community', name: '锦绣华庭社区', parentId: 3, communityClass: 'A' },
      ] },
    });
    const street = render(<Ledger me={person('street')} />);
    await screen.findByText('楼道声控灯不亮');
    expect(screen.queryByText('导出 Excel')).toBeNull();
    fireEvent.click(screen.getByText('筛选'));
    fireEvent.click(await screen.findByText('锦绣华庭社区'));
    await waitFor(() => expect(calls.at(-1)!.query).toEqual({ communityId: '6', limit: '20' }));
    street.unmount();

    const before = calls.length;
    render(<Ledger me={person('unitAdmin')} />);
    await screen.findByText('楼道声控灯不亮');
    expect(screen.queryByText('导出 Excel')).toBeNull();
    fireEvent.click(screen.getByText('筛选'));
    expect(Array.from(document.querySelectorAll('.xy-chips__label')).map((e) => e.textContent)).not.toContain('社区');
    // A unit's ledger has no communities to choose from: the organisations are not even asked for.
    expect(calls.slice(before).map((c) => c.path)).toEqual(['/ledger/wishes']);
  });

  it('says in Chinese when the export link cannot be had', async () => {
    mockApi({ 'GET /ledger/wishes': { body: { items: [], nextCursor: null } }, 'POST /ledger/export-links': err(403, 'FORBIDDEN') });
    render(<Ledger me={admin()} />);
    fireEvent.click(screen.getByText('导出 CSV'));
    expect(await screen.findByText('您没有权限进行此操作')).toBeTruthy();
  });
});

describe('export in WeChat', () => {
  const link = { url: '/api/ledger/download/tok', fileName: '心愿台账.xlsx', expiresAt: '2026-11-27T12:10:00.000Z' };
  beforeEach(() => {
    process.env.TARO_ENV = 'weapp';
  });

  it('downloads Excel and opens it with the document viewer', async () => {
    wx.downloadFile.mockResolvedValue({ statusCode: 200, tempFilePath: 'wxfile://tmp/a.xlsx' });
    wx.openDocument.mockResolvedValue({});
    await expect(deliverExport(link, 'xlsx')).resolves.toBe('opened');
    expect(wx.downloadFile.mock.calls[0][0]).toEqual({ url: 'https://api.test/api/ledger/download/tok' });
    expect(wx.openDocument.mock.calls[0][0]).toEqual({ filePath: 'wxfile://tmp/a.xlsx', fileType: 'xlsx', showMenu: true });
    expect(wx.setClipboardData).not.toHaveBeenCalled();
  });

  it('copies the full link when the download or the viewer fails', async () => {
    wx.downloadFile.mockResolvedValue({ statusCode: 200, tempFilePath: 'wxfile://tmp/a.xlsx' });
    wx.openDocument.mockRejectedValue(new Error('openDocument:fail'));
    wx.setClipboardData.mockResolvedValue({});
    await expect(deliverExport(link, 'xlsx')).resolves.toBe('copied');
    wx.downloadFile.mockResolvedValue({ statusCode: 410, tempFilePath: '' });
    await expect(deliverExport(link, 'xlsx')).resolves.toBe('copied');
    expect(wx.setClipboardData.mock.calls).toEqual([[{ data: 'https://api.test/api/ledger/download/tok' }], [{ data: 'https://api.test/api/ledger/download/tok' }]]);
  });

  it('CSV, which the viewer cannot open, goes straight to the clipboard and the page says so', async () => {
    wx.setClipboardData.mockResolvedValue({});
    mockApi({ 'GET /ledger/wishes': { body: { items: [], nextCursor: null } }, 'POST /ledger/export-links': { body: { ...link, fileName: '心愿台账.csv' } } });
    render(<Ledger me={admin()} />);
    fireEvent.click(screen.getByText('导出 CSV'));
    expect(await screen.findByText(/微信里不能直接打开 CSV，下载链接已复制/)).toBeTruthy();
    expect(wx.downloadFile).not.toHaveBeenCalled();
  });
});

describe('dashboard', () => {
  const rate = (numerator: number, denominator: number) => ({ rate: denominator ? Math.round((numerator / denominator) * 10000) / 10000 : null, numerator, denominator });
  const summaryOf = (over: Partial<RatesSummary> = {}): RatesSummary => ({
    published: 24, response: rate(19, 20), resolution: rate(9, 10), satisfaction: rate(7, 8), silentConfirmations: 1, awaitingClaim: 1, withinFulfilmentWindow: 10,
    // Typed by hand to agree with the rates above: each rate's categories add up to the 24 published.
    breakdown: {
      responded: 19, respondedLate: 1, excludedWithdrawn: 2, excludedDuplicate: 1, undecidedClaim: 1,
      resolved: 9, failedMissed: 1, failedUnclaimed: 0, failedCancelled: 0, resolutionExcluded: 3, undecidedOpen: 1, undecidedHandling: 10,
      satisfied: 7, ratedByResident: 6, ratedOnBehalf: 2, satisfiedOnBehalf: 2, onBehalfByConsent: { verbal: 2, written: 0, guardian: 0 }, silent: 1,
    },
    closures: { duplicate: 1, withdrawn: 2, redirected: 0, not_a_wish: 0, cannot_be_done: 0, spam: 0, uncoded: 0 },
    tierShares: [{ tier: 1, resolved: 6, share: 0.6667 }, { tier: 2, resolved: 3, share: 0.3333 }, { tier: 3, resolved: 0, share: 0 }, { tier: 4, resolved: 0, share: 0 }],
    timeToClaim: { count: 19, medianHours: 2, p90Hours: 10 }, timeToResolve: { count: 9, medianHours: 30, p90Hours: 80 }, overdue: 1, supervised: 2, ...over,
  });
  const board = (year: number): LedgerDashboard => ({
    scope: 'community', orgId: 5, orgName: '北小街社区', year, asOf: '2026-11-27T10:00:00.000Z', rates: summaryOf(), byClass: [],
    monthly: Array.from({ length: 12 }, (_, i) => ({ month: `${year}-${String(i + 1).padStart(2, '0')}`, published: i === 10 ? 20 : 0, response: i === 10 ? rate(19, 20) : rate(0, 0), resolution: i === 10 ? rate(9, 10) : rate(0, 0), satisfaction: i === 10 ? rate(7, 8) : rate(0, 0) })),
    byState: [{ state: 'open', count: 8 }, { state: 'resolved', count: 9 }],
    byTier: [{ tier: 1, reached: 14, resolved: 6 }, { tier: 2, reached: 4, resolved: 3 }, { tier: 3, reached: 1, resolved: 0 }, { tier: 4, reached: 1, resolved: 0 }],
    funds: { budgetFen: 30_000_000, spentFen: 7_500_000, pendingFen: 1_500_000, remainingFen: 22_500_000, communities: 1 },
    dayDigest: { scope: 'community', orgId: 5, day: '2026-11-26', events: 42, lastEventId: 1234, digest: 'ab'.repeat(32), chainsOk: true },
  });

  it("shows yesterday's ledger digest (台账校验码) with its event count and last event", async () => {
    mockApi({ 'GET /ledger/dashboard': { body: board(2026) } });
    render(<Dashboard me={admin()} now={new Date('2026-11-27T10:00:00Z')} />);
    await screen.findByText('台账校验码（2026-11-26）');
    const card = document.querySelector('[data-digest-day="2026-11-26"]')!;
    expect(card.textContent).toContain('ab'.repeat(32));
    expect(card.textContent).toContain('当日事件 42 条，截至事件 #1234');
    expect(card.textContent).toContain('哈希链校验通过');
  });

  it('shows the three rates with numerators and denominators, monthly columns, tiers and the fund in yuan', async () => {
    const calls = mockApi({ 'GET /ledger/dashboard': (c) => ({ body: board(Number(c.query.year)) }) });
    render(<Dashboard me={admin()} now={new Date('2026-11-27T10:00:00Z')} />);
    await screen.findByText('北小街社区 · 2026年三率');
    expect(calls[0].query).toEqual({ scope: 'community', orgId: '5', year: '2026' });
    const card = (k: string) => document.querySelector(`[data-rate="${k}"]`)!;
    expect(card('response').textContent).toContain('95.0%');
    expect(card('response').textContent).toContain('19 / 20');
    expect(card('resolution').textContent).toContain('90.0%');
    expect(card('satisfaction').textContent).toContain('87.5%');
    expect((card('satisfaction').querySelector('.xy-rate__fill') as HTMLElement).style.width).toBe('87.5%');
    const nov = document.querySelector('[data-month="2026-11"] .xy-columns__fill') as HTMLElement;
    expect(nov.style.height).toBe('95%');
    expect(document.querySelector('[data-month="2026-01"]')!.textContent).toContain('—');
    fireEvent.click(screen.getByText('满意率', { selector: '.xy-chip' }));
    expect(nov.style.height).toBe('87.5%');
    expect((document.querySelector('[data-row="1"] .xy-bars__fill') as HTMLElement).style.width).toBe('100%');
    expect(document.querySelector('[data-fund="budget"]')!.textContent).toContain('¥300,000.00');
    expect(document.querySelector('[data-fund="remaining"]')!.textContent).toContain('结余¥225,000.00');
    expect((document.querySelector('.xy-fund__part--spent') as HTMLElement).style.width).toBe('25%');

    fireEvent.click(screen.getByText('2025年'));
    await screen.findByText('北小街社区 · 2025年三率');
    expect(calls.filter((c) => c.path === '/ledger/dashboard').at(-1)!.query.year).toBe('2025');
  });

  it('hides the fund card when the reader may not read the funds', async () => {
    mockApi({ 'GET /ledger/dashboard': { body: { ...board(2026), funds: null } } });
    render(<Dashboard me={admin()} now={new Date('2026-11-27T10:00:00Z')} />);
    await screen.findByText('北小街社区 · 2026年三率');
    expect(document.querySelector('[data-chart="funds"]')).toBeNull();
    expect(screen.queryByText('服务群众专项经费（元）')).toBeNull();
  });

  it('a city admin at a district reports on the district', async () => {
    const calls = mockApi({ 'GET /ledger/dashboard': { body: { ...board(2026), scope: 'district', orgId: 2, orgName: '城中区' } } });
    render(<Dashboard me={person('districtAdmin')} now={new Date('2026-11-27T10:00:00Z')} />);
    await screen.findByText('城中区 · 2026年三率');
    expect(calls[0].query).toEqual({ scope: 'district', orgId: '2', year: '2026' });
    expect(screen.queryByText('范围')).toBeNull();
  });

  it('nothing to report on without the rates ability', () => {
    const calls = mockApi({});
    render(<Dashboard me={person('unitAdmin')} now={new Date('2026-11-27T10:00:00Z')} />);
    expect(screen.getByText('看板按社区、街道或区县统计，您的职责范围没有可看的看板')).toBeTruthy();
    expect(calls).toHaveLength(0);
  });

  it('lets those with several rates scopes pick the organisation', async () => {
    const calls = mockApi({ 'GET /ledger/dashboard': (c) => ({ body: { ...board(2026), scope: c.query.scope, orgId: Number(c.query.orgId), orgName: c.query.scope === 'city' ? '西宁市' : '人民街街道' } }) });
    const m = me({ abilities: abilities({ ledger: [ORGS.street, ORGS.city], rates: [ORGS.street, ORGS.city] }) });
    render(<Dashboard me={m} now={new Date('2026-11-27T10:00:00Z')} />);
    await screen.findByText('西宁市 · 2026年三率');
    fireEvent.click(screen.getByText('街道 · 人民街街道'));
    await screen.findByText('人民街街道 · 2026年三率');
    expect(calls.filter((c) => c.path === '/ledger/dashboard').map((c) => `${c.query.scope}:${c.query.orgId}`)).toEqual(['city:1', 'street:3']);
  });
});

describe('the desk\'s moves come from WishSummary.actions and reasonRequired', () => {
  const w = (actions: WishAction[], reasonRequired: WishAction[] = []) => ({ actions, reasonRequired });
  it('offers what the server lists, and a duplicate only with the committee\'s cancel (the one that needs a reason)', () => {
    expect(staffMovesFor(w([]))).toEqual([]);
    expect(staffMovesFor(w(['approve', 'reject'], ['reject']))).toEqual(['approve', 'reject']);
    // A submitter's own cancel (a grid worker's filing): no reason, no closure code and no duplicate, which are the committee's.
    expect(staffMovesFor(w(['cancel']))).toEqual(['withdraw']);
    expect(staffMovesFor(w(['approve', 'reject', 'mark_urgent', 'cancel'], ['reject', 'mark_urgent', 'cancel']))).toEqual(['approve', 'reject', 'mark_urgent', 'duplicate', 'cancel']);
    expect(staffMovesFor(w(['assign', 'release', 'cancel'], ['cancel']))).toEqual(['assign', 'release', 'duplicate', 'cancel']);
    // The committee's own filing, pending: its cancel is a withdrawal (the submitter's row of the table comes first).
    expect(staffMovesFor(w(['cancel'], []))).toEqual(['withdraw']);
    expect(staffMovesFor(w(['claim', 'complete', 'confirm']))).toEqual([]);
  });
});

describe('a wish on the desk', () => {
  const ledgerDetail = (over: Partial<LedgerWishDetail> = {}): LedgerWishDetail => ({ ...item({ state: 'claimed', tierReached: 2, claimTier: 2, claimant: { id: 9, name: '北小街社区党委' }, rating: null, resolvedAt: null, completedAt: null, daysTaken: null, costFen: null }), timeline: detail().timeline, ...over });

  it('shows the ledger facts and the timeline, and assigns a tier-2 wish to one of the people the server offers', async () => {
    const calls = mockApi({
      'GET /ledger/wishes/7': { body: ledgerDetail() },
      'GET /wishes/7': { body: detail({ state: 'claimed', tier: 2, actions: ['assign', 'mark_urgent', 'cancel'], reasonRequired: ['mark_urgent', 'cancel'], masked: false }) },
      'GET /wishes/7/assignees': { body: [{ userId: 8, name: '张伟', role: 'member' }, { userId: 4, name: '网格员陈静', role: 'grid_worker' }] },
      'POST /wishes/7/assign': { body: detail({ state: 'claimed', tier: 2, actions: ['assign'], assignee: { id: 8, name: '张伟' } }) },
    });
    render(<DeskWish me={admin()} id={7} />);
    expect(await screen.findAllByText('第二级 · 基层组织有效办')).toHaveLength(2);
    expect(document.querySelector('.xy-timeline')!.textContent).toContain('北小街社区党委（社区党委） 审核通过，心愿已发布');
    const buttons = () => Array.from(document.querySelectorAll('.xy-desk-actions__btn')).map((b) => b.textContent);
    await waitFor(() => expect(buttons()).toEqual(['指派办理人', '标记紧急', '重复心愿', '取消心愿']));
    fireEvent.click(screen.getByText('指派办理人'));
    fireEvent.click(await screen.findByText('确认指派'));
    expect(screen.getByText('请选择办理人')).toBeTruthy();
    expect(screen.getByText('网格员陈静（网格员）')).toBeTruthy();
    fireEvent.click(screen.getByText('张伟（在职党员）'));
    await act(async () => {
      fireEvent.click(screen.getByText('确认指派'));
    });
    expect(await screen.findByText('办理人：张伟')).toBeTruthy();
    expect(posts(calls)).toEqual([['/wishes/7/assign', { userId: 8 }]]);
    // Member registrations (real names, phones) are not read for this.
    expect(calls.some((c) => c.path.startsWith('/members'))).toBe(false);
  });

  it('a refused assignee says why, in Chinese, on the form', async () => {
    mockApi({
      'GET /ledger/wishes/7': { body: ledgerDetail() },
      'GET /wishes/7': { body: detail({ state: 'claimed', tier: 2, actions: ['assign'], masked: false }) },
      'GET /wishes/7/assignees': { body: [{ userId: 8, name: '张伟', role: 'member' }] },
      'POST /wishes/7/assign': err(400, 'ASSIGNEE_INVALID'),
    });
    render(<DeskWish me={admin()} id={7} />);
    fireEvent.click(await screen.findByText('指派办理人'));
    fireEvent.click(await screen.findByText('张伟（在职党员）'));
    fireEvent.click(screen.getByText('确认指派'));
    expect(await screen.findByText('只能指派给本单位（本社区）的人员')).toBeTruthy();
  });

  it('takes a claim back with a reason', async () => {
    const calls = mockApi({
      'GET /ledger/wishes/7': { body: ledgerDetail({ claimTier: 1, tierReached: 1, claimant: { id: 2, name: '刘洋' } }) },
      'GET /wishes/7': { body: detail({ state: 'claimed', actions: ['release', 'cancel'], reasonRequired: ['release', 'cancel'], masked: false }) },
      'POST /wishes/7/release': { body: detail({ state: 'open', actions: ['mark_urgent', 'cancel'], reasonRequired: ['mark_urgent', 'cancel'] }) },
    });
    render(<DeskWish me={admin()} id={7} />);
    fireEvent.click(await screen.findByText('收回认领'));
    fireEvent.click(screen.getByText('确认收回'));
    expect(screen.getByText('请填写原因')).toBeTruthy();
    fireEvent.change(document.querySelector('textarea')!, { target: { value: '认领人已停用' } });
    fireEvent.click(screen.getByText('确认收回'));
    await waitFor(() => expect(Array.from(document.querySelectorAll('.xy-desk-actions__btn')).map((b) => b.textContent)).toEqual(['标记紧急', '重复心愿', '取消心愿']));
    expect(posts(calls)).toEqual([['/wishes/7/release', { reason: '认领人已停用' }]]);
  });

  it('still shows the ledger when the wish itself may not be opened (a paired unit, a city department)', async () => {
    mockApi({ 'GET /ledger/wishes/7': { body: ledgerDetail() }, 'GET /wishes/7': err(404, 'WISH_NOT_FOUND') });
    render(<DeskWish me={person('unitAdmin')} id={7} />);
    expect(await screen.findByText('台账信息')).toBeTruthy();
    expect(document.querySelector('.xy-desk-actions')).toBeNull();
    expect(document.querySelector('[data-state="not-found"]')).toBeNull();
  });

  it('a grid worker (no ledger) opens a wish of the review queue from the wish itself, and approving does not read it again', async () => {
    const calls = mockApi({
      'GET /wishes/7': { body: detail({ state: 'pending_review', masked: false, beneficiary: { name: '王秀兰', phone: '13897001111', address: '康乐小区2号楼3单元402' }, actions: ['approve', 'reject'] }) },
      'POST /wishes/7/approve': { body: detail({ state: 'open', actions: [] }) },
    });
    render(<DeskWish me={grid()} id={7} />);
    expect(await screen.findByText('2号楼3单元楼道灯坏了半个月。')).toBeTruthy();
    expect(screen.getByText('王秀兰 · 13897001111')).toBeTruthy();
    expect(screen.queryByText('台账信息')).toBeNull();
    expect(document.querySelector('.xy-timeline')!.textContent).toContain('王秀兰（居民） 提交了心愿');
    fireEvent.click(screen.getByText('审核通过'));
    await answerDialog('审核通过', '确认通过');
    await waitFor(() => expect(document.querySelectorAll('.xy-desk-actions__btn')).toHaveLength(0));
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /wishes/7', 'POST /wishes/7/approve']);
  });

  it('shows a private description as such', async () => {
    mockApi({ 'GET /ledger/wishes/7': { body: ledgerDetail() }, 'GET /wishes/7': { body: detail({ category: 'health', description: null, photos: [], actions: [] }) } });
    render(<DeskWish me={person('street')} id={7} />);
    expect(await screen.findByText('（涉及个人隐私，仅提交人、社区和办理人可见）')).toBeTruthy();
  });

  it('says so when the wish is gone or not this reader\'s', async () => {
    mockApi({ 'GET /wishes/7': err(404, 'WISH_NOT_FOUND') });
    render(<DeskWish me={grid()} id={7} />);
    expect(await screen.findByText('心愿不存在或您无权查看')).toBeTruthy();
    expect(screen.queryByText('重新加载')).toBeNull();
  });
});

describe('the working calendar (city admins)', () => {
  const city = () => person('cityAdmin');
  const status = (warning: string | null) => ({ today: '2026-11-01', nextYear: 2027, nextYearArrangement: null, packageYears: { min: 2004, max: 2026 }, warning });
  const WARNING = '2027 年的放假调休安排还没有录入：目前只按法定节假日和周末计算，调休上班日不计。';

  it('warns on the desk while next year has no arrangement, linking to the import', async () => {
    mockApi({ 'GET /dispatch/calendar/status': { body: status(WARNING) } });
    render(<CalendarBanner />);
    await screen.findByText(WARNING);
    fireEvent.click(screen.getByText(/导入 2027 年放假通知/));
    expect((Taro.navigateTo as jest.Mock).mock.calls.at(-1)![0]).toEqual({ url: '/subpackages/committee/pages/calendar/index?year=2027&import=1' });
  });

  it('shows no banner when the server gives no warning (before 1 November, or arranged)', async () => {
    const calls = mockApi({ 'GET /dispatch/calendar/status': { body: status(null) } });
    const { container } = render(<CalendarBanner />);
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(container.querySelector('[data-calendar-warning]')).toBeNull();
  });

  it("shows each day's source", async () => {
    mockApi({
      'GET /dispatch/calendar/status': { body: status(null) },
      'GET /dispatch/calendar': (c) => ({
        body:
          c.query.year === '2027'
            ? [
                { day: '2027-01-01', kind: 'holiday', note: '元旦', source: 'law' },
                { day: '2027-02-14', kind: 'workday', note: '春节调休上班', source: 'admin' },
              ]
            : [{ day: '2026-02-14', kind: 'workday', note: '春节调休上班', source: 'package' }],
      }),
    });
    const { container } = render(<WorkingCalendarPage me={city()} initialYear={2027} now={new Date('2026-11-20T02:00:00Z')} />);
    await screen.findByText('法定节假日');
    const row = (day: string) => container.querySelector(`[data-day="${day}"]`)!;
    expect(row('2027-01-01').textContent).toContain('2027-01-01 周五');
    expect(row('2027-01-01').getAttribute('data-source')).toBe('law');
    expect(row('2027-02-14').textContent).toContain('上班 · 春节调休上班');
    expect(row('2027-02-14').textContent).toContain('市级录入');
    fireEvent.click(screen.getByText('2026年'));
    await screen.findByText('日历数据');
  });

  it('imports a notice: paste, parse (nothing saved), review with warnings and lines not understood, leave a day out, confirm', async () => {
    const parsed = {
      year: 2027,
      days: [
        { day: '2027-01-01', kind: 'holiday', holiday: '元旦' },
        { day: '2027-02-14', kind: 'workday', holiday: '春节' },
        { day: '2027-10-09', kind: 'workday', holiday: '国庆节' },
      ],
      unparsed: ['从除夕开始放假，2月5日前后'],
      warnings: ['法定节假日 2027-02-05（春节）不在通知的放假日期中，请核对'],
    };
    const calls = mockApi({
      'GET /dispatch/calendar/status': { body: status(WARNING) },
      'GET /dispatch/calendar': { body: [] },
      'POST /dispatch/calendar/notice/parse': { body: parsed },
      'POST /dispatch/calendar/notice': (c) => ({ body: { year: 2027, saved: (c.data as { days: unknown[] }).days.length, warnings: [], calendar: [] } }),
    });
    const { container } = render(<WorkingCalendarPage me={city()} initialYear={2027} openImport now={new Date('2026-11-20T02:00:00Z')} />);
    fireEvent.change(await waitFor(() => container.querySelector('textarea')!), { target: { value: '国务院办公厅关于2027年部分节假日安排的通知……' } });
    fireEvent.click(screen.getByText('解析通知'));
    await screen.findByText('2027年：放假 1 天，调休上班 2 天');
    expect(posts(calls)).toEqual([['/dispatch/calendar/notice/parse', { text: '国务院办公厅关于2027年部分节假日安排的通知……' }]]);
    screen.getByText('法定节假日 2027-02-05（春节）不在通知的放假日期中，请核对');
    screen.getByText('从除夕开始放假，2月5日前后');
    fireEvent.click(container.querySelector('.xy-notice-day[data-day="2027-10-09"]')!);
    fireEvent.click(screen.getByText('确认保存 2 天'));
    await waitFor(() => expect(posts(calls)).toHaveLength(2));
    expect(posts(calls)[1]).toEqual([
      '/dispatch/calendar/notice',
      { year: 2027, days: [{ day: '2027-01-01', kind: 'holiday', holiday: '元旦' }, { day: '2027-02-14', kind: 'workday', holiday: '春节' }] },
    ]);
    await waitFor(() => expect((Taro.showToast as jest.Mock).mock.calls.at(-1)![0]).toMatchObject({ title: '已保存 2 天' }));
  });

  it("shows the server's refusal of a text it cannot read, and offers nothing to save", async () => {
    mockApi({
      'GET /dispatch/calendar/status': { body: status(null) },
      'GET /dispatch/calendar': { body: [] },
      'POST /dispatch/calendar/notice/parse': err(422, 'CALENDAR_NOTICE_UNREADABLE', 'nothing understood'),
    });
    const { container } = render(<WorkingCalendarPage me={city()} openImport now={new Date('2026-11-20T02:00:00Z')} />);
    fireEvent.change(await waitFor(() => container.querySelector('textarea')!), { target: { value: '明天开会' } });
    fireEvent.click(screen.getByText('解析通知'));
    await screen.findByText('没有从通知中读出任何放假或上班日期，请粘贴国务院办公厅节假日安排通知的正文');
    expect(screen.queryByText(/确认保存/)).toBeNull();
  });

  it('offers no import to someone who may only read the calendar', async () => {
    mockApi({ 'GET /dispatch/calendar': { body: [] } });
    render(<WorkingCalendarPage me={person('districtAdmin')} now={new Date('2026-11-20T02:00:00Z')} />);
    await screen.findByText('这一年没有节假日或调休记录');
    expect(screen.queryByText('导入国务院放假通知')).toBeNull();
  });
});
