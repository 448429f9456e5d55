import { fireEvent, render, screen } from '@testing-library/react';
import type { IntegrityReport, IntegrityWishItem } from '@xinyuan/shared';
import Taro from '../../../test/stubs/taro';
import { mockApi } from '../../../test/api-mock';
import { person } from '../../../test/fixtures';
import { session } from '../../stores/session';
import IntegrityFlags, { flagFigure } from './components/IntegrityFlags';
import { Dashboard } from './pages/dashboard/index';
import { FlagList, flagListParams } from './pages/flags/index';

const admin = () => person('communityAdmin', { id: 9, nickname: '北小街社区党委' });
beforeEach(() => session.set({ status: 'ready', me: admin(), error: null }));

const flag = (code: IntegrityReport['flags'][number]['code'], count: number, denominator: number, over: Partial<IntegrityReport['flags'][number]> = {}) => ({
  code, count, denominator, share: denominator ? Math.round((count / denominator) * 10000) / 10000 : null, cycles: null, byConsent: null, alarm: false, ...over,
});
const report = (over: Partial<IntegrityReport> = {}): IntegrityReport => ({
  scope: 'community', orgId: 5, orgName: '北小街社区', from: '2026-01-01', to: '2026-12-31', asOf: '2026-11-27T10:00:00.000Z', published: 40,
  flags: [
    flag('silent_confirmation', 3, 30),
    flag('rating_on_behalf', 2, 25, { byConsent: [{ method: 'verbal', count: 1 }, { method: 'written', count: 1 }, { method: 'guardian', count: 0 }] }),
    flag('beneficiary_claim', 0, 35),
    flag('claim_cycles', 1, 35, { cycles: 3 }),
    flag('quick_completion', 1, 32),
    flag('self_approval', 1, 40, { alarm: true }),
  ],
  ...over,
});

describe('integrity flags (诚信预警)', () => {
  it('shows count and share of each flag, by hand', () => {
    const r = report();
    expect(flagFigure(r.flags[0])).toBe('3 件 / 已办结心愿 30 件（10.0%）');
    expect(flagFigure(r.flags[1])).toBe('2 件 / 全部评价 25 件（8.0%）；口头同意 1，书面签字 1');
    expect(flagFigure(r.flags[3])).toBe('1 件 / 曾被认领的心愿 35 件（2.9%），共 3 次');
    expect(flagFigure(flag('silent_confirmation', 0, 0))).toBe('0 件 / 已办结心愿 0 件（—）');
  });

  it('paints the self-approvals red and opens the wishes behind a flag', () => {
    render(<IntegrityFlags r={report()} />);
    const row = (code: string) => document.querySelector(`[data-flag="${code}"]`)!;
    expect(row('self_approval').className).toContain('xy-integrity__row--alarm');
    expect(row('quick_completion').className).not.toContain('--alarm');
    fireEvent.click(row('quick_completion'));
    expect((Taro.navigateTo as jest.Mock).mock.calls.at(-1)![0]).toEqual({ url: '/subpackages/committee/pages/flags/index?scope=community&orgId=5&from=2026-01-01&to=2026-12-31&flag=quick_completion' });
  });

  it("asks for the dashboard's organisation and year", async () => {
    const calls = mockApi({ 'GET /ledger/dashboard': { status: 404, body: { code: 'ROUTE_NOT_FOUND', message: '' } }, 'GET /ledger/integrity': { body: report() } });
    render(<Dashboard me={admin()} now={new Date('2026-11-27T10:00:00Z')} />);
    await screen.findByText('诚信预警');
    expect(calls.find((c) => c.path === '/ledger/integrity')!.query).toEqual({ scope: 'community', orgId: '5', from: '2026-01-01', to: '2026-12-31' });
  });

  it('lists the wishes behind a flag with what was measured', async () => {
    const item = (id: number, measure: number): IntegrityWishItem => ({
      id, no: `XY-${id}`, title: `心愿${id}`, category: 'repair', state: 'awaiting_confirmation', urgent: false, communityId: 5, communityName: '北小街社区', tierReached: 1, claimTier: 1,
      claimant: { id: 3, name: '张*' }, rating: null, autoConfirmed: false, submittedAt: '2026-11-20T01:00:00.000Z', publishedAt: '2026-11-20T02:00:00.000Z', firstClaimedAt: null, claimedAt: null,
      completedAt: null, resolvedAt: null, supervisedAt: null, dueAt: null, overdue: false, daysTaken: null, costFen: null, duplicateOfId: null, closureCode: null, ratingConsent: null, urgeCount: 0, lastUrgedAt: null, measure,
    });
    const calls = mockApi({ 'GET /ledger/integrity/wishes': { body: { items: [item(12, 9), item(7, 4.5)], nextCursor: null } } });
    const p = flagListParams({ scope: 'street', orgId: '3', from: '2026-01-01', to: '2026-12-31', flag: 'quick_completion' })!;
    render(<FlagList p={p} />);
    expect(await screen.findByText('认领后 9 分钟提交办结')).toBeTruthy();
    expect(screen.getByText('认领后 4.5 分钟提交办结')).toBeTruthy();
    expect(calls[0].query).toEqual({ scope: 'street', orgId: '3', from: '2026-01-01', to: '2026-12-31', flag: 'quick_completion', limit: '20' });
    fireEvent.click(document.querySelector('[data-wish-id="12"]')!);
    expect((Taro.navigateTo as jest.Mock).mock.calls.at(-1)![0]).toEqual({ url: '/subpackages/committee/pages/wish/index?id=12' });
    // A hand-typed link that does not parse asks for nothing.
    expect(flagListParams({ scope: 'street', orgId: '3', from: '2026-01-01', to: '2026-12-31', flag: 'everything' })).toBeNull();
    expect(flagListParams({ scope: 'planet', orgId: '3', from: '2026-01-01', to: '2026-12-31', flag: 'self_approval' })).toBeNull();
  });
});
