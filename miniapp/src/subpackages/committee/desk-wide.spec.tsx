// Issue 15, "Desk screens" and "The committee at a desk": ledger search with the total, the ledger
// as a sortable table at desk width (>= 1024 px) with the filters beside it, the review queue with
// the wish beside the list, funds (budgets, spends approved or refused), the member ranking by
// fulfilled wishes, and a member's monthly record with its file for the work unit.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { FundSpendView, FundView, LedgerWishItem, MemberRecord } from '@xinyuan/shared';
import Taro, { __taro } from '../../../test/stubs/taro';
import { KEYS } from '../../services/storage';
import { mockApi } from '../../../test/api-mock';
import { answerDialog } from '../../../test/dialog';
import { person, summary } from '../../../test/fixtures';
import { setWindowWidth } from '../../../test/setup';
import { session } from '../../stores/session';
import { filtersText, nextSort, parseYuan, previousMonth, sortLedger, DEFAULT_SORT } from './logic';
import { Funds } from './pages/funds/index';
import { Ledger } from './pages/ledger/index';
import { MemberRecordScreen } from './pages/member-record/index';
import { Ranking } from './pages/ranking/index';
import MyClaims from '../../pages/claims/index';
import { ReviewQueue } from './pages/review/index';

const admin = () => person('communityAdmin', { id: 9, nickname: '北小街社区党委' });
const NOW = new Date('2026-11-27T04:00:00.000Z');

const item = (over: Partial<LedgerWishItem> = {}): LedgerWishItem => ({
  id: 7, no: 'XY20261120000007', title: '楼道声控灯不亮', category: 'repair', state: 'resolved', urgent: false, communityId: 5, communityName: '北小街社区', tierReached: 1, claimTier: 1,
  claimant: { id: 2, name: '张伟' }, rating: 'satisfied', autoConfirmed: false, submittedAt: '2026-11-20T02:00:00.000Z', publishedAt: '2026-11-20T03:00:00.000Z', firstClaimedAt: '2026-11-20T04:00:00.000Z',
  claimedAt: '2026-11-20T04:00:00.000Z', completedAt: '2026-11-21T04:00:00.000Z', resolvedAt: '2026-11-21T06:00:00.000Z', supervisedAt: null, dueAt: null, overdue: false, daysTaken: 1.2, costFen: 3500, duplicateOfId: null, closureCode: null, ratingConsent: null, urgeCount: 0, lastUrgedAt: null, ...over,
});
const A = item();
const B = item({ id: 9, no: 'XY20261122000009', title: '安装扶手', state: 'claimed', tierReached: 2, communityName: '东四社区', submittedAt: '2026-11-22T02:00:00.000Z', dueAt: '2026-11-25T02:00:00.000Z', overdue: true, claimant: { id: 3, name: '李娜' } });
const C = item({ id: 8, no: 'XY20261121000008', title: '代买药品', state: 'open', claimant: null, submittedAt: '2026-11-21T02:00:00.000Z' });

beforeEach(() => session.set({ status: 'ready', me: admin(), error: null }));

describe('ledger search and the total', () => {
  it('searches on confirm, says which kind of search it is, and shows the total the server counted', async () => {
    const calls = mockApi({ 'GET /ledger/wishes': (c) => ({ body: { items: c.query.q ? [A] : [B, C, A], nextCursor: null, total: c.query.q ? 1 : 213 } }) });
    render(<Ledger me={admin()} />);
    expect((await screen.findByRole('status')).textContent).toBe('共 213 条');
    fireEvent.input(screen.getByLabelText('检索'), { target: { value: '138 1234 1234' } });
    expect(screen.getByText('按受益人电话检索')).toBeTruthy();
    expect(calls.length).toBe(1);
    fireEvent.click(screen.getByText('检索', { selector: 'button, .xy-btn, .xy-ledger-search__go' }));
    await waitFor(() => expect(calls.at(-1)!.query).toEqual({ q: '138 1234 1234', limit: '20' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('共 1 条（按受益人电话检索“138 1234 1234”）'));
    fireEvent.input(screen.getByLabelText('检索'), { target: { value: 'xy20261120000007' } });
    expect(screen.getByText('按心愿编号检索')).toBeTruthy();
    fireEvent.input(screen.getByLabelText('检索'), { target: { value: '扶手' } });
    expect(screen.getByText('按标题检索')).toBeTruthy();
    fireEvent.click(screen.getByText('清除检索'));
    await waitFor(() => expect(calls.at(-1)!.query).toEqual({ limit: '20' }));
  });
});

describe('the ledger at desk width (1366 × 768)', () => {
  beforeEach(() => setWindowWidth(1366));

  it('is a table of number, title, state, tier, community, submitted, deadline and claimant, with the filters beside it', async () => {
    const calls = mockApi({ 'GET /ledger/wishes': { body: { items: [B, C, A], nextCursor: null, total: 3 } } });
    const { container } = render(<Ledger me={admin()} />);
    const table = await screen.findByRole('table');
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['编号', '标题', '状态', '层级', '社区', '提交时间 ▼', '办理期限', '认领人']);
    const rows = () => within(table).getAllByRole('row').slice(1);
    expect(rows().map((r) => r.getAttribute('data-wish-id'))).toEqual(['9', '8', '7']);
    expect(within(rows()[0]).getAllByRole('cell').map((c) => c.textContent)).toEqual(['XY20261122000009', '安装扶手', '办理中', '二级', '东四社区', expect.stringContaining('11月22日'), expect.stringContaining('（已超期）'), '李娜']);
    // The filters are open beside the table (no folding button), and the page asks for 50 lines at a time.
    expect(container.querySelector('.xy-ledger--wide .xy-ledger__side .xy-filters')).toBeTruthy();
    expect(screen.queryByText('筛选')).toBeNull();
    expect(calls[0].query).toEqual({ limit: '50' });
    // Sorting by title, then the other way round.
    fireEvent.click(screen.getByLabelText('按标题排序'));
    expect(rows().map((r) => r.getAttribute('data-wish-id'))).toEqual(['9', '8', '7'].sort((a, b) => ({ 9: '安装扶手', 8: '代买药品', 7: '楼道声控灯不亮' } as Record<string, string>)[a].localeCompare(({ 9: '安装扶手', 8: '代买药品', 7: '楼道声控灯不亮' } as Record<string, string>)[b], 'zh-Hans-CN')));
    expect(screen.getAllByRole('columnheader')[1].getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(screen.getByLabelText('按标题排序'));
    expect(screen.getAllByRole('columnheader')[1].getAttribute('aria-sort')).toBe('descending');
    // A row opens the wish on the desk.
    fireEvent.click(rows()[0]);
    expect((Taro.navigateTo as jest.Mock).mock.calls.at(-1)[0].url).toMatch(/pages\/wish\/index\?id=/);
  });

  it('prints with the period, the filters and the day\'s check code in the head', async () => {
    const print = jest.fn();
    window.print = print;
    mockApi({
      'GET /ledger/wishes': { body: { items: [A], nextCursor: null, total: 1 } },
      'GET /ledger/verify': { body: { ok: true, day: { scope: 'community', orgId: 5, day: '2026-11-26', events: 12, lastEventId: 345, digest: 'ab'.repeat(32), chainsOk: true } } },
    });
    const { container } = render(<Ledger me={admin()} initial={{ ...(await import('./logic')).NO_FILTERS, state: 'resolved' }} />);
    await screen.findByRole('table');
    fireEvent.click(screen.getByText('打印台账（A4）'));
    await waitFor(() => expect(print).toHaveBeenCalled());
    const head = container.querySelector('.xy-print-head')!;
    expect(head.textContent).toContain('时间范围：全部时间');
    expect(head.textContent).toContain('筛选条件：状态：已办结');
    expect(head.textContent).toContain('共 1 条');
    expect(head.textContent).toContain(`台账校验码（2026-11-26，截至事件 #345）：${'ab'.repeat(32)}`);
  });

  it('shows the review queue with the chosen wish beside the list', async () => {
    mockApi({ 'GET /wishes/review': { body: { items: [summary({ id: 31, title: '想要一辆轮椅' }), summary({ id: 32, title: '修理水龙头' })], nextCursor: null } } });
    const { container } = render(<ReviewQueue communityId={5} />);
    const list = await screen.findByRole('listbox');
    expect(within(list).getAllByRole('option').map((o) => o.getAttribute('aria-selected'))).toEqual(['true', 'false']);
    expect(container.querySelector('.xy-review__detail [data-wish-id="31"]')).toBeTruthy();
    fireEvent.click(within(list).getByText('修理水龙头'));
    expect(container.querySelector('.xy-review__detail [data-wish-id="32"]')).toBeTruthy();
    expect(within(list).getAllByRole('option').map((o) => o.getAttribute('aria-selected'))).toEqual(['false', 'true']);
  });
});

const fund = (over: Partial<FundView> = {}): FundView => ({
  communityId: 5, communityName: '北小街社区', communityClass: 'A', year: 2026, budgetFen: 15_000_000, budgetSource: 'class_default', spentFen: 1_250_050, pendingFen: 30_000, remainingFen: 13_749_950, updatedBy: null, updatedAt: null, ...over,
});
const spend = (over: Partial<FundSpendView> = {}): FundSpendView => ({
  id: 41, wishId: 7, wishTitle: '楼道声控灯不亮', communityId: 5, year: 2026, amountFen: 30_000, status: 'pending_community', createdBy: 2, createdAt: '2026-11-21T04:00:00.000Z',
  reviewedBy: null, reviewedAt: null, decidedBy: null, decidedAt: null, reason: null, actions: ['approve', 'refuse'], ...over,
});

describe('funds', () => {
  it('shows each community\'s budget, spent, pending and remaining in yuan, and approves a pending spend', async () => {
    const calls = mockApi({
      'GET /funds': { body: [fund()] },
      'GET /funds/spends': { body: [spend(), spend({ id: 42, status: 'approved', actions: [] })] },
      'POST /funds/spends/41/approve': { body: spend({ status: 'approved', actions: [], decidedAt: '2026-11-27T03:00:00.000Z' }) },
    });
    const { container } = render(<Funds me={admin()} now={NOW} />);
    await screen.findByText('北小街社区 · 2026年');
    const figure = (k: string) => container.querySelector(`[data-figure="${k}"]`)!.textContent;
    expect([figure('budget'), figure('spent'), figure('pending'), figure('remaining')]).toEqual(['150,000.00', '12,500.50', '300.00', '137,499.50']);
    // The pending tab lists the pending spend only; the committee may not set budgets.
    expect(container.querySelectorAll('[data-spend-id]').length).toBe(1);
    expect(screen.queryByText('调整预算')).toBeNull();
    fireEvent.click(screen.getByText('批准'));
    expect(await answerDialog('批准经费', '批准')).toBe('楼道声控灯不亮：300.00 元');
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === '/funds/spends/41/approve')).toBe(true));
    await waitFor(() => expect(container.querySelector('[data-spend-id="41"]')!.getAttribute('data-status')).toBe('approved'));
  });

  it('refuses with a reason, which is sent', async () => {
    const calls = mockApi({
      'GET /funds': { body: [fund()] },
      'GET /funds/spends': { body: [spend({ status: 'pending_street' })] },
      'POST /funds/spends/41/refuse': { body: spend({ status: 'refused', actions: [], reason: '超出标准' }) },
    });
    render(<Funds me={person('street')} now={NOW} />);
    expect(await screen.findByText('超出预算，待街道审批')).toBeTruthy();
    fireEvent.click(screen.getByText('不批准'));
    fireEvent.input(screen.getByLabelText(/不批准的原因/), { target: { value: '超出标准' } });
    fireEvent.click(screen.getByText('确认不批准'));
    await waitFor(() => expect(calls.find((c) => c.method === 'POST')).toMatchObject({ path: '/funds/spends/41/refuse', data: { reason: '超出标准' } }));
    expect(await screen.findByText('原因：超出标准')).toBeTruthy();
  });

  it('lets the city admin set a budget in yuan, and refuses an amount that is not one', async () => {
    const calls = mockApi({ 'GET /funds': { body: [fund()] }, 'GET /funds/spends': { body: [] }, 'PUT /funds/5/2026': { body: fund({ budgetFen: 20_000_000, budgetSource: 'set', remainingFen: 18_749_950 }) } });
    const { container } = render(<Funds me={person('cityAdmin')} now={NOW} />);
    fireEvent.click(await screen.findByText('调整预算'));
    fireEvent.input(screen.getByLabelText('2026年预算（元）'), { target: { value: '20万' } });
    fireEvent.click(screen.getByText('保存预算'));
    expect(screen.getByText(/请填写 0 到 [\d,.]+ 元之间的金额，最多两位小数/)).toBeTruthy();
    fireEvent.input(screen.getByLabelText('2026年预算（元）'), { target: { value: '200,000' } });
    fireEvent.click(screen.getByText('保存预算'));
    await waitFor(() => expect(container.querySelector('[data-figure="budget"]')!.textContent).toBe('200,000.00'));
    expect(calls.find((c) => c.method === 'PUT')!.data).toEqual({ budgetFen: 20_000_000 });
    expect(screen.getByText('市委组织部调整')).toBeTruthy();
  });
});

describe('the ranking and a member\'s monthly record', () => {
  it('ranks by fulfilled wishes in the period and opens a member\'s record of this month', async () => {
    const calls = mockApi({ 'GET /ledger/ranking': { body: { scope: 'community', orgId: 5, from: '2026-11-01', to: '2026-11-27', items: [{ rank: 1, userId: 2, name: '张伟', resolved: 6 }, { rank: 2, userId: 3, name: '李娜', resolved: 4 }] } } });
    render(<Ranking me={admin()} now={NOW} />);
    expect(await screen.findByText('办结 6 件')).toBeTruthy();
    expect(calls[0].query).toEqual({ scope: 'community', orgId: '5', from: '2026-11-01', to: '2026-11-27' });
    fireEvent.click(screen.getByText('张伟'));
    expect((Taro.navigateTo as jest.Mock).mock.calls.at(-1)[0].url).toBe('/subpackages/committee/pages/member-record/index?userId=2&month=2026-11');
    fireEvent.click(screen.getByText('今年'));
    await waitFor(() => expect(calls.at(-1)!.query).toMatchObject({ from: '2026-01-01', to: '2026-11-27' }));
  });

  it('the street reads the ranking but opens no record (the committee\'s and the member\'s only)', async () => {
    mockApi({ 'GET /ledger/ranking': { body: { scope: 'street', orgId: 3, from: '2026-11-01', to: '2026-11-27', items: [{ rank: 1, userId: 2, name: '张伟', resolved: 6 }] } } });
    render(<Ranking me={person('street')} now={NOW} />);
    fireEvent.click(await screen.findByText('张伟'));
    expect(Taro.navigateTo as jest.Mock).not.toHaveBeenCalled();
  });

  it('shows the month\'s fulfilled wishes with dates and ratings, and exports the file for the work unit', async () => {
    const record: MemberRecord = {
      userId: 2, name: '张伟', month: '2026-11', workUnit: '市教育局', fulfilled: 2, rated: 1, satisfied: 1,
      items: [
        { wishId: 7, no: 'XY20261120000007', title: '楼道声控灯不亮', communityName: '北小街社区', claimedAt: '2026-11-20T04:00:00.000Z', completedAt: '2026-11-21T04:00:00.000Z', resolvedAt: '2026-11-21T06:00:00.000Z', rating: 'satisfied' },
        { wishId: 8, no: 'XY20261121000008', title: '代买药品', communityName: '北小街社区', claimedAt: null, completedAt: null, resolvedAt: '2026-11-25T06:00:00.000Z', rating: null },
      ],
    };
    const calls = mockApi({ 'GET /members/2/records': (c) => ({ body: { ...record, month: c.query.month } }) });
    __taro.storage.set(KEYS.token, 'tok');
    const fetchMock = jest.fn(async () => ({ ok: true, status: 200, headers: new Headers({ 'content-disposition': "attachment; filename*=UTF-8''%E5%85%9A%E5%91%98.xlsx" }), blob: async () => new Blob(['PK']), json: async () => null }));
    (global as unknown as { fetch: unknown }).fetch = fetchMock;
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    URL.createObjectURL = jest.fn(() => 'blob:x');
    URL.revokeObjectURL = jest.fn();
    render(<MemberRecordScreen userId={2} now={NOW} />);
    expect(await screen.findByText('办结心愿 2 件 · 评价 1 件，其中满意或基本满意 1 件')).toBeTruthy();
    expect(screen.getByText('工作单位：市教育局')).toBeTruthy();
    expect(screen.getByText(/到期自动确认（无评价）/)).toBeTruthy();
    expect(calls[0].query).toEqual({ month: '2026-11' });
    fireEvent.click(screen.getByText('2026年10月'));
    await waitFor(() => expect(calls.at(-1)!.query).toEqual({ month: '2026-10' }));
    fireEvent.click(await screen.findByText('导出服务记录（Excel）'));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(String((fetchMock.mock.calls[0] as unknown[])[0])).toBe('https://api.test/api/members/2/records.xlsx?month=2026-10');
    expect(await screen.findByText('“党员.xlsx”已开始下载。')).toBeTruthy();
    click.mockRestore();
  });
});

describe('a member\'s own record', () => {
  it('is one tap from 我的认领 for a member, and not offered to residents', async () => {
    mockApi({ 'GET /wishes/claimed': { body: { items: [], nextCursor: null } } });
    session.set({ status: 'ready', me: person('member', { id: 2 }), error: null });
    const { unmount } = render(<MyClaims />);
    fireEvent.click(await screen.findByText('我的服务记录'));
    expect((Taro.navigateTo as jest.Mock).mock.calls.at(-1)[0].url).toBe('/subpackages/committee/pages/member-record/index?userId=2');
    unmount();
    session.set({ status: 'ready', me: person('resident'), error: null });
    render(<MyClaims />);
    await waitFor(() => expect((Taro.request as jest.Mock).mock.calls.length).toBeGreaterThan(0));
    expect(screen.queryByText('我的服务记录')).toBeNull();
  });
});

describe('desk helpers', () => {
  it('sorts loaded lines by a column, ties and missing deadlines last', () => {
    expect(sortLedger([A, B, C], DEFAULT_SORT).map((i) => i.id)).toEqual([9, 8, 7]);
    expect(sortLedger([A, B, C], { key: 'due', dir: 'asc' }).map((i) => i.id)).toEqual([9, 7, 8]);
    expect(sortLedger([A, B, C], { key: 'due', dir: 'desc' }).map((i) => i.id)).toEqual([9, 7, 8]);
    expect(sortLedger([A, B, C], { key: 'tier', dir: 'desc' }).map((i) => i.id)).toEqual([9, 7, 8]);
    expect(nextSort(DEFAULT_SORT, 'submitted')).toEqual({ key: 'submitted', dir: 'asc' });
    expect(nextSort(DEFAULT_SORT, 'title')).toEqual({ key: 'title', dir: 'asc' });
  });

  it('reads yuan typed as fen, and names months and filters', () => {
    expect(parseYuan('1,500.5', 10_000_000)).toBe(150_050);
    expect(parseYuan('0', 10_000_000)).toBe(0);
    expect(parseYuan('1.234', 10_000_000)).toBeNull();
    expect(parseYuan('-1', 10_000_000)).toBeNull();
    expect(parseYuan('100001', 10_000_000)).toBeNull();
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(previousMonth('2026-11')).toBe('2026-10');
    expect(filtersText({})).toBe('无（全部心愿）');
    expect(filtersText({ state: 'resolved', overdue: true, q: '楼道' })).toBe('状态：已办结；只看办理超期；检索：楼道');
  });
});
