// Closure codes on the desk and the resident's page, and the rates' rules page
// (DOMAIN.md "Closure", "The three rates"). Expected bodies and figures are typed
// by hand from the rules, never computed by the code under test.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { LedgerRatesExplained, LedgerWishDetail, LedgerWishItem, RatesSummary } from '@xinyuan/shared';
import Taro from '../../../test/stubs/taro';
import { err, mockApi } from '../../../test/api-mock';
import { abilities, detail, me, ORGS, person, summary } from '../../../test/fixtures';
import { answerDialog } from '../../../test/dialog';
import { session } from '../../stores/session';
import { WishDetailView } from '../../pages/wish/detail/index';
import { closureBody, closureProblems } from './closure';
import { leftOut, RateCards } from './components/Charts';
import LedgerCard from './components/LedgerCard';
import { initialPick, ratesPeriod, RatesRules } from './pages/rates/index';
import { Review } from './pages/review/index';
import { DeskWish } from './pages/wish/index';

// The stand-in components have no Picker; a tap on this one picks 2026-11-01.
jest.mock('@tarojs/components', () => {
  const actual = jest.requireActual('../../../test/stubs/components');
  const { createElement } = jest.requireActual('react');
  return { ...actual, Picker: (p: { children: unknown; onChange: (e: { detail: { value: string } }) => void }) => createElement('div', { className: 'picker', onClick: () => p.onChange({ detail: { value: '2026-11-01' } }) }, p.children) };
});

const admin = () => person('communityAdmin', { id: 9, nickname: '北小街社区党委' });
const grid = () => person('gridWorker', { id: 4, nickname: '网格员陈静' });
const posts = (calls: { method: string; path: string; data: unknown }[]) => calls.filter((c) => c.method === 'POST').map((c) => [c.path, c.data]);
const NOW = new Date('2026-11-27T10:00:00Z');

beforeEach(() => session.set({ status: 'ready', me: admin(), error: null }));

describe('the closure fields, checked before anything is sent', () => {
  const none = { code: null, duplicateOf: '', channel: '' };
  it('asks for a code first', () => {
    expect(closureProblems(none, 7)).toEqual({ code: '请选择结案类别', duplicateOf: null, channel: null });
  });
  it('a duplicate names another wish by its number; a redirection names its channel', () => {
    expect(closureProblems({ ...none, code: 'duplicate' }, 7).duplicateOf).toBe('请填写或点选重复的心愿编号');
    expect(closureProblems({ ...none, code: 'duplicate', duplicateOf: 'abc' }, 7).duplicateOf).toBe('编号格式不对，应为 XY 开头的14位数字编号');
    expect(closureProblems({ ...none, code: 'duplicate', duplicateOf: 'XY20261120000007' }, 7).duplicateOf).toBe('不能选这条心愿本身');
    expect(closureProblems({ ...none, code: 'duplicate', duplicateOf: 'xy20261120000015' }, 7)).toEqual({ code: null, duplicateOf: null, channel: null });
    expect(closureProblems({ ...none, code: 'redirected', channel: '  ' }, 7).channel).toBe('请填写转往的渠道');
    expect(closureProblems({ ...none, code: 'redirected', channel: 'x'.repeat(51) }, 7).channel).toBe('转往的渠道最多50个字');
    expect(closureProblems({ ...none, code: 'not_a_wish' }, 7)).toEqual({ code: null, duplicateOf: null, channel: null });
  });
  it('sends the duplicate only with duplicate, the channel only with redirected', () => {
    // Leftovers from a code picked earlier are not sent (the server refuses them with another code).
    const typed = { duplicateOf: 'XY20261120000015', channel: '12345热线' };
    expect(closureBody({ ...typed, code: 'duplicate' }, '')).toEqual({ code: 'duplicate', duplicateOf: 15 });
    expect(closureBody({ ...typed, code: 'redirected' }, '已转12345')).toEqual({ code: 'redirected', reason: '已转12345', channel: '12345热线' });
    expect(closureBody({ ...typed, code: 'cannot_be_done' }, '超出社区能力')).toEqual({ code: 'cannot_be_done', reason: '超出社区能力' });
  });
});

describe('rejecting and cancelling on the desk', () => {
  const queue = [summary({ id: 22, no: 'XY20261127000022', title: '加装扶手', state: 'pending_review', masked: false, actions: ['approve', 'reject', 'mark_urgent', 'cancel'], reasonRequired: ['reject', 'mark_urgent', 'cancel'] })];
  const openReject = async () => {
    render(<Review me={admin()} />);
    const card = (await screen.findByText('加装扶手')).closest('.xy-review-card') as HTMLElement;
    fireEvent.click(await within(card).findByText('不通过'));
    return card;
  };

  it('sends nothing without a code, and shows each code\'s hint once picked', async () => {
    const calls = mockApi({ 'GET /wishes/review': { body: { items: queue, nextCursor: null } } });
    const card = await openReject();
    expect(Array.from(card.querySelectorAll('[data-closure-form] .xy-chip')).map((c) => c.textContent)).toEqual(['重复心愿', '居民撤回', '转其他渠道办理', '不属于微心愿', '无法办理', '无效信息']);
    fireEvent.change(card.querySelector('textarea')!, { target: { value: '不是心愿' } });
    fireEvent.click(within(card).getByText('确认不通过'));
    expect(within(card).getAllByText('请选择结案类别').length).toBeGreaterThan(0);
    fireEvent.click(within(card).getByText('居民撤回'));
    expect(card.querySelector('[data-closure-hint="withdrawn"]')!.textContent).toBe('注明居民如何提出撤回（电话、当面等）');
    expect(posts(calls)).toEqual([]);
  });

  it('a redirection without its channel is a form error; with it, code, reason and channel are sent', async () => {
    const calls = mockApi({ 'GET /wishes/review': { body: { items: queue, nextCursor: null } }, 'POST /wishes/22/reject': { body: detail({ id: 22, state: 'rejected' }) } });
    const card = await openReject();
    fireEvent.click(within(card).getByText('转其他渠道办理'));
    fireEvent.change(card.querySelector('textarea')!, { target: { value: '属于市政维修，已转热线' } });
    fireEvent.click(within(card).getByText('确认不通过'));
    expect(within(card).getByText('请填写转往的渠道')).toBeTruthy();
    expect(posts(calls)).toEqual([]);
    fireEvent.input(card.querySelector('input[name="channel"]')!, { target: { value: '12345 市民热线' } });
    fireEvent.click(within(card).getByText('确认不通过'));
    await waitFor(() => expect(screen.queryByText('加装扶手')).toBeNull());
    expect(posts(calls)).toEqual([['/wishes/22/reject', { code: 'redirected', reason: '属于市政维修，已转热线', channel: '12345 市民热线' }]]);
  });

  it('a duplicate without the wish it repeats is a form error', async () => {
    const calls = mockApi({ 'GET /wishes/review': { body: { items: queue, nextCursor: null } }, 'GET /ledger/wishes': { body: { items: [], nextCursor: null } } });
    const card = await openReject();
    fireEvent.click(within(card).getByText('重复心愿'));
    fireEvent.click(within(card).getByText('确认不通过'));
    expect(within(card).getByText('请填写或点选重复的心愿编号')).toBeTruthy();
    expect(posts(calls)).toEqual([]);
  });

  it('the server\'s refusals stay on the form, readable', async () => {
    const calls = mockApi({
      'GET /wishes/review': { body: { items: queue, nextCursor: null } },
      'POST /wishes/22/reject': (c) => ((c.data as { code: string }).code === 'spam' ? err(400, 'CLOSURE_CODE_REQUIRED') : err(400, 'CLOSURE_CODE_INVALID', '只有“重复心愿”可以指向另一条心愿')),
    });
    const card = await openReject();
    fireEvent.click(within(card).getByText('无效信息'));
    fireEvent.change(card.querySelector('textarea')!, { target: { value: '乱码' } });
    fireEvent.click(within(card).getByText('确认不通过'));
    // An English message from the server: the standard sentence for the code.
    expect(await within(card).findByText('请选择结案类别', { selector: '[role="alert"]' })).toBeTruthy();
    fireEvent.click(within(card).getByText('不属于微心愿'));
    fireEvent.click(within(card).getByText('确认不通过'));
    expect(await within(card).findByText('只有“重复心愿”可以指向另一条心愿')).toBeTruthy();
    expect(posts(calls).map((p) => (p[1] as { code: string }).code)).toEqual(['spam', 'not_a_wish']);
  });

  it('the committee cancels a claimed wish with a code; a grid worker withdraws their own filing with none', async () => {
    const calls = mockApi({
      'GET /ledger/wishes/7': err(404, 'WISH_NOT_FOUND'),
      'GET /wishes/7': { body: detail({ state: 'claimed', masked: false, actions: ['release', 'cancel'], reasonRequired: ['release', 'cancel'] }) },
      'POST /wishes/7/cancel': { body: detail({ state: 'cancelled', actions: [], closure: { code: 'cannot_be_done', channel: null } }) },
    });
    const { unmount } = render(<DeskWish me={admin()} id={7} />);
    fireEvent.click(await screen.findByText('取消心愿'));
    fireEvent.click(screen.getByText('无法办理'));
    fireEvent.change(document.querySelector('textarea')!, { target: { value: '需要产权单位同意，无法办理' } });
    fireEvent.click(screen.getByText('确认取消心愿'));
    expect(await screen.findByText('结案类别：无法办理')).toBeTruthy();
    expect(posts(calls)).toEqual([['/wishes/7/cancel', { code: 'cannot_be_done', reason: '需要产权单位同意，无法办理' }]]);
    unmount();

    const own = mockApi({
      'GET /wishes/8': { body: detail({ id: 8, state: 'pending_review', onBehalf: true, masked: false, actions: ['cancel'] }) },
      'POST /wishes/8/cancel': { body: detail({ id: 8, state: 'cancelled', actions: [], closure: { code: 'withdrawn', channel: null } }) },
    });
    render(<DeskWish me={grid()} id={8} />);
    fireEvent.click(await screen.findByText('取消心愿'));
    expect(document.querySelector('[data-closure-form]')).toBeNull();
    fireEvent.click(screen.getByText('确认取消心愿'));
    expect(await screen.findByText('结案类别：居民撤回')).toBeTruthy();
    expect(posts(own)).toEqual([['/wishes/8/cancel', {}]]);
  });
});

describe('the closure shown', () => {
  const ledgerLine = (over: Partial<LedgerWishItem> = {}): LedgerWishItem => ({
    id: 7, no: 'XY20261120000007', title: '路灯不亮', category: 'repair', state: 'rejected', urgent: false, communityId: 5, communityName: '北小街社区', tierReached: 1, claimTier: null, claimant: null, rating: null, autoConfirmed: false,
    submittedAt: '2026-11-20T02:00:00.000Z', publishedAt: null, firstClaimedAt: null, claimedAt: null, completedAt: null, resolvedAt: null, supervisedAt: null, dueAt: null, overdue: false, daysTaken: null, costFen: null, duplicateOfId: null,
    closureCode: 'redirected', ratingConsent: null, urgeCount: 0, lastUrgedAt: null, ...over,
  });

  it('the resident\'s page says why the wish closed, with the channel of a redirection', async () => {
    mockApi({ 'GET /wishes/7': { body: detail({ state: 'rejected', closure: { code: 'redirected', channel: '12345热线' } }) } });
    render(<WishDetailView id={7} />);
    expect((await screen.findByText('结案类别：转其他渠道办理（12345热线）')).getAttribute('data-closure')).toBe('redirected');
  });

  it('and the wish it duplicates; nothing while the wish stands', async () => {
    mockApi({ 'GET /wishes/7': { body: detail({ state: 'cancelled', closure: { code: 'duplicate', channel: null }, duplicateOf: { id: 15, no: 'XY20261120000015' } }) }, 'GET /wishes/8': { body: detail({ id: 8 }) } });
    const { unmount } = render(<WishDetailView id={7} />);
    expect(await screen.findByText('结案类别：重复心愿（与心愿 XY20261120000015 重复）')).toBeTruthy();
    unmount();
    render(<WishDetailView id={8} />);
    await screen.findByText('楼道灯不亮');
    expect(document.querySelector('.xy-detail__closure')).toBeNull();
  });

  it('on the resident\'s page a reviewer\'s rejection and the committee\'s cancel go to the desk\'s form; a submitter\'s own cancel sends no code', async () => {
    mockApi({ 'GET /wishes/7': { body: detail({ state: 'pending_review', actions: ['approve', 'reject', 'mark_urgent', 'cancel'], reasonRequired: ['reject', 'mark_urgent', 'cancel'] }) } });
    const { unmount } = render(<WishDetailView id={7} />);
    fireEvent.click(await screen.findByText('审核不通过'));
    fireEvent.click(screen.getByText('取消心愿'));
    expect((Taro.navigateTo as jest.Mock).mock.calls.map((c) => c[0].url)).toEqual(['/subpackages/committee/pages/wish/index?id=7', '/subpackages/committee/pages/wish/index?id=7']);
    unmount();

    const calls = mockApi({ 'GET /wishes/8': { body: detail({ id: 8, state: 'open', actions: ['cancel'] }) }, 'POST /wishes/8/cancel': { body: detail({ id: 8, state: 'cancelled', closure: { code: 'withdrawn', channel: null } }) } });
    render(<WishDetailView id={8} />);
    fireEvent.click(await screen.findByText('取消心愿'));
    await answerDialog('取消心愿', '确定取消');
    expect(await screen.findByText('结案类别：居民撤回')).toBeTruthy();
    expect(posts(calls)).toEqual([['/wishes/8/cancel', {}]]);
  });

  it('the desk shows the code of a ledger line (a paired unit reads no channel) and tags it in the list', async () => {
    const line: LedgerWishDetail = { ...ledgerLine(), timeline: detail().timeline };
    mockApi({ 'GET /ledger/wishes/7': { body: line }, 'GET /wishes/7': err(404, 'WISH_NOT_FOUND') });
    render(<DeskWish me={person('unitAdmin')} id={7} />);
    expect((await screen.findByText('结案类别：转其他渠道办理')).getAttribute('data-closure')).toBe('redirected');
    render(<LedgerCard item={ledgerLine({ id: 9, closureCode: 'spam' })} />);
    expect(document.querySelector('[data-wish-id="9"] .xy-closure-tag')!.textContent).toBe('无效信息');
  });
});

// ---- the rates' rules ----

const rate = (rate: number | null, numerator: number, denominator: number) => ({ rate, numerator, denominator });

/** A report as GET /ledger/rates/explained answers, typed by hand (the rule texts shortened: the page shows what it is given). */
const explained = (over: Partial<LedgerRatesExplained> = {}): LedgerRatesExplained => ({
  scope: 'community', orgId: 5, orgName: '北小街社区', from: '2026-01-01', to: '2026-12-31', asOf: '2026-11-27T10:00:00.000Z', published: 24,
  rates: [
    {
      key: 'response', label: '响应率', rule: '首次列入督办之前被首次认领的心愿数 ÷ 已有结论的心愿数。', value: rate(0.95, 19, 20),
      categories: [
        { key: 'responded', label: '按时响应', role: 'numerator', count: 19 },
        { key: 'respondedLate', label: '已有结论但未按时响应', role: 'denominator', count: 1 },
        { key: 'excludedWithdrawn', label: '认领前撤回（不计入）', role: 'excluded', count: 2 },
        { key: 'excludedDuplicate', label: '认领前作为重复心愿取消（不计入）', role: 'excluded', count: 1 },
        { key: 'undecidedClaim', label: '仍在认领时限内（暂不计入）', role: 'undecided', count: 1 },
      ],
    },
    {
      key: 'resolution', label: '解决率', rule: '已解决的心愿数 ÷（已解决数 + 未解决且已失败的心愿数）。', value: rate(0.9, 9, 10),
      categories: [
        { key: 'resolved', label: '已解决', role: 'numerator', count: 9 },
        { key: 'failedMissed', label: '办理超时未完成（失败）', role: 'denominator', count: 1 },
        { key: 'failedUnclaimed', label: '第四级时限届满无人认领（失败）', role: 'denominator', count: 0 },
        { key: 'failedCancelled', label: '发布后被取消（失败）', role: 'denominator', count: 0 },
        { key: 'resolutionExcluded', label: '居民撤回或重复心愿（不计入）', role: 'excluded', count: 3 },
        { key: 'undecidedOpen', label: '待认领、仍在时限内（暂不计入）', role: 'undecided', count: 1 },
        { key: 'undecidedHandling', label: '办理中或待确认、仍在时限内（暂不计入）', role: 'undecided', count: 10 },
      ],
    },
    {
      key: 'satisfaction', label: '满意率', rule: '评价为“满意”或“基本满意”的心愿数 ÷ 全部评价数。', value: rate(0.875, 7, 8),
      categories: [
        { key: 'satisfied', label: '满意或基本满意', role: 'numerator', count: 7 },
        { key: 'unsatisfied', label: '不满意', role: 'denominator', count: 1 },
        { key: 'ratedOnBehalf', label: '代为记录的评价（口头同意 2；其中满意或基本满意 2）', role: 'of_which', count: 2 },
        { key: 'silent', label: '超时自动确认、无评价（不计入）', role: 'excluded', count: 1 },
      ],
    },
  ],
  closures: [
    { code: 'duplicate', label: '重复心愿', published: 1, beforePublication: 2 },
    { code: 'withdrawn', label: '居民撤回', published: 2, beforePublication: 0 },
    { code: 'redirected', label: '转其他渠道办理', published: 0, beforePublication: 3 },
    { code: 'not_a_wish', label: '不属于微心愿', published: 0, beforePublication: 1 },
    { code: 'cannot_be_done', label: '无法办理', published: 0, beforePublication: 0 },
    { code: 'spam', label: '无效信息', published: 0, beforePublication: 4 },
    { code: 'uncoded', label: '未分类（历史数据）', published: 0, beforePublication: 0 },
  ],
  tierShares: [{ tier: 1, resolved: 6, share: 0.6667 }, { tier: 2, resolved: 3, share: 0.3333 }, { tier: 3, resolved: 0, share: 0 }, { tier: 4, resolved: 0, share: 0 }],
  ...over,
});

const text = (el: Element | null) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('三率口径与明细', () => {
  it('shows each rate with numerator and denominator, its rule, and every category with its role and count', async () => {
    const calls = mockApi({ 'GET /ledger/rates/explained': { body: explained() } });
    render(<RatesRules me={admin()} now={NOW} />);
    await screen.findByText('北小街社区 · 三率口径与明细');
    expect(calls[0].query).toEqual({ scope: 'community', orgId: '5', from: '2026-01-01', to: '2026-12-31' });
    expect(Array.from(document.querySelectorAll('[data-rule]')).map((e) => e.getAttribute('data-rule'))).toEqual(['response', 'resolution', 'satisfaction']);
    const response = document.querySelector('[data-rule="response"]')!;
    expect(text(response.querySelector('.xy-rule__value'))).toBe('95.0%');
    expect(text(response.querySelector('.xy-rule__parts'))).toBe('分子 19 ÷ 分母 20');
    expect(text(response.querySelector('.xy-rule__text'))).toBe('首次列入督办之前被首次认领的心愿数 ÷ 已有结论的心愿数。');
    const rows = (k: string) => Array.from(document.querySelectorAll(`[data-rule="${k}"] [data-category]`)).map((r) => [r.querySelector('.xy-rule__cat-label')!.textContent, r.querySelector('.xy-rule__role')!.textContent, r.querySelector('.xy-rule__count')!.textContent]);
    expect(rows('response')).toEqual([
      ['按时响应', '计入分子和分母', '19 件'],
      ['已有结论但未按时响应', '计入分母', '1 件'],
      ['认领前撤回（不计入）', '不计入', '2 件'],
      ['认领前作为重复心愿取消（不计入）', '不计入', '1 件'],
      ['仍在认领时限内（暂不计入）', '暂不计入（尚无结论）', '1 件'],
    ]);
    expect(rows('resolution')).toHaveLength(7);
    expect(rows('satisfaction')[2]).toEqual(['代为记录的评价（口头同意 2；其中满意或基本满意 2）', '其中（已含在上列）', '2 件']);
    expect(text(document.querySelector('[data-rule="satisfaction"] .xy-rule__value'))).toBe('87.5%');
  });

  it('lists closures by code (published in the period, never published) with totals, leaves out an empty uncoded row, and the tier shares', async () => {
    mockApi({ 'GET /ledger/rates/explained': { body: explained() } });
    render(<RatesRules me={admin()} now={NOW} />);
    await screen.findByText('北小街社区 · 三率口径与明细');
    const row = (code: string) => Array.from(document.querySelectorAll(`[data-closure="${code}"] .xy-closures__num`)).map((e) => e.textContent);
    expect(Array.from(document.querySelectorAll('.xy-closures [data-closure]')).map((e) => e.getAttribute('data-closure'))).toEqual(['duplicate', 'withdrawn', 'redirected', 'not_a_wish', 'cannot_be_done', 'spam', 'total']);
    expect(row('duplicate')).toEqual(['1', '2']);
    expect(row('spam')).toEqual(['0', '4']);
    expect(row('total')).toEqual(['3', '10']);
    expect(text(document.querySelector('[data-tier="1"] .xy-ledger-facts__name'))).toBe('一级 在职党员尽力办');
    expect(text(document.querySelector('[data-tier="1"] .xy-ledger-facts__value'))).toBe('6 件 · 66.7%');
  });

  it('an uncoded row appears when there are closures from before the codes', async () => {
    const x = explained();
    x.closures[6] = { code: 'uncoded', label: '未分类（历史数据）', published: 2, beforePublication: 0 };
    mockApi({ 'GET /ledger/rates/explained': { body: x } });
    render(<RatesRules me={admin()} now={NOW} />);
    expect(await screen.findByText('未分类（历史数据）')).toBeTruthy();
  });

  it('picks the period: this year by default, then this month, then a custom range only once both ends are chosen', async () => {
    const calls = mockApi({ 'GET /ledger/rates/explained': { body: explained() } });
    render(<RatesRules me={admin()} now={NOW} />);
    await screen.findByText('北小街社区 · 三率口径与明细');
    fireEvent.click(screen.getByText('本月'));
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1].query).toMatchObject({ from: '2026-11-01', to: '2026-11-27' });
    fireEvent.click(screen.getByText('自选日期'));
    expect(screen.getByText('请选择开始日期和结束日期')).toBeTruthy();
    fireEvent.click(screen.getByText('开始日期'));
    expect(calls).toHaveLength(2);
    fireEvent.click(screen.getByText('结束日期'));
    await waitFor(() => expect(calls).toHaveLength(3));
    expect(calls[2].query).toMatchObject({ from: '2026-11-01', to: '2026-11-01' });
  });

  it('opens on the organisation and year it was opened for; nothing without the rates ability', async () => {
    const m = me({ abilities: abilities({ ledger: [ORGS.street, ORGS.city], rates: [ORGS.street, ORGS.city] }) });
    const calls = mockApi({ 'GET /ledger/rates/explained': { body: explained({ scope: 'street', orgId: 3, orgName: '人民街街道' }) } });
    render(<RatesRules me={m} now={NOW} params={{ scope: 'street', orgId: '3', year: '2025' }} />);
    await screen.findByText('人民街街道 · 三率口径与明细');
    expect(calls[0].query).toEqual({ scope: 'street', orgId: '3', from: '2025-01-01', to: '2025-12-31' });
    const none = mockApi({});
    render(<RatesRules me={person('unitAdmin')} now={NOW} />);
    expect(screen.getByText('三率按社区、街道或区县统计，您的职责范围没有可看的三率')).toBeTruthy();
    expect(none).toHaveLength(0);
  });

  it('periods and the start, as Beijing days', () => {
    // 2026-12-31 20:00 UTC is already 2027-01-01 in Beijing.
    expect(ratesPeriod('year', new Date('2026-12-31T20:00:00Z'), { from: null, to: null })).toEqual({ from: '2027-01-01', to: '2027-12-31' });
    expect(ratesPeriod('lastYear', NOW, { from: null, to: null })).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(ratesPeriod('quarter', NOW, { from: null, to: null })).toEqual({ from: '2026-09-01', to: '2026-11-27' });
    expect(ratesPeriod('custom', NOW, { from: '2026-11-05', to: '2026-11-01' })).toEqual({ problem: '开始日期不能晚于结束日期' });
    const scopes = [{ scope: 'city' as const, orgId: 1 }, { scope: 'street' as const, orgId: 3 }];
    expect(initialPick({}, scopes, NOW)).toEqual({ pick: 0, period: 'year', from: null, to: null });
    expect(initialPick({ scope: 'street', orgId: '3', year: '2026' }, scopes, NOW)).toEqual({ pick: 1, period: 'year', from: null, to: null });
    expect(initialPick({ scope: 'street', orgId: '3', year: '2024' }, scopes, NOW)).toEqual({ pick: 1, period: 'custom', from: '2024-01-01', to: '2024-12-31' });
  });
});

describe('the rates cards', () => {
  const s = {
    published: 24, response: rate(0.95, 19, 20), resolution: rate(0.9, 9, 10), satisfaction: rate(0.875, 7, 8), silentConfirmations: 1, awaitingClaim: 1, withinFulfilmentWindow: 10,
    breakdown: {
      responded: 19, respondedLate: 1, excludedWithdrawn: 2, excludedDuplicate: 0, undecidedClaim: 1,
      resolved: 9, failedMissed: 1, failedUnclaimed: 0, failedCancelled: 0, resolutionExcluded: 2, undecidedOpen: 0, undecidedHandling: 12,
      satisfied: 7, ratedByResident: 8, ratedOnBehalf: 0, satisfiedOnBehalf: 0, onBehalfByConsent: { verbal: 0, written: 0, guardian: 0 }, silent: 0,
    },
    closures: { duplicate: 0, withdrawn: 2, redirected: 0, not_a_wish: 0, cannot_be_done: 0, spam: 0, uncoded: 0 },
    tierShares: [], timeToClaim: { count: 0, medianHours: null, p90Hours: null }, timeToResolve: { count: 0, medianHours: null, p90Hours: null }, overdue: 0, supervised: 0,
  } satisfies RatesSummary;

  it('say what each rate leaves out (the non-zero excluded and undecided counts)', () => {
    expect(leftOut(s)).toEqual({
      response: ['认领前撤回（不计入） 2 件', '仍在认领时限内（暂不计入） 1 件'],
      resolution: ['居民撤回或重复心愿（不计入） 2 件', '办理中或待确认、仍在时限内（暂不计入） 12 件'],
      satisfaction: [],
    });
  });

  it('open the rules page for the same organisation and year', () => {
    render(<RateCards s={s} rules={{ scope: 'community', orgId: 5, year: 2026 }} />);
    expect(text(document.querySelector('[data-rate="response"] .xy-rate__out'))).toBe('认领前撤回（不计入） 2 件；仍在认领时限内（暂不计入） 1 件');
    expect(document.querySelector('[data-rate="satisfaction"] .xy-rate__out')).toBeNull();
    fireEvent.click(document.querySelector('[data-link="rates-rules"]')!);
    fireEvent.click(document.querySelector('[data-rate="resolution"]')!);
    expect((Taro.navigateTo as jest.Mock).mock.calls.map((c) => c[0].url)).toEqual([
      '/subpackages/committee/pages/rates/index?scope=community&orgId=5&year=2026',
      '/subpackages/committee/pages/rates/index?scope=community&orgId=5&year=2026',
    ]);
  });
});
