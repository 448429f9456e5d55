import type { OrgView } from '@xinyuan/shared';
import { abilities, me, ORGS, person } from '../../../test/fixtures';
import { deskParts } from '../../components/DeskEntry';
import { fundShares } from './components/Charts';
import {
  CALENDAR_SOURCE_LABELS,
  calendarDayText,
  dayWithWeekday,
  noticeSummary,
  activeFilterCount,
  barPercent,
  beijingToday,
  checkPeriod,
  communitiesInScope,
  contentWarning,
  deskSections,
  ledgerQuery,
  monthLabel,
  NO_FILTERS,
  parseWishRef,
  pct,
  periodRange,
  ratePercent,
  registrationCommunities,
  reportScopes,
  reviewCommunities,
  yuan,
} from './logic';

describe('who gets the desk and which parts of it (by hand from DOMAIN.md, "Who sees and does what")', () => {
  it('the home page names what the desk holds, and nothing for residents and members', () => {
    expect(deskParts(person('resident'))).toEqual([]);
    expect(deskParts(person('member'))).toEqual([]);
    expect(deskParts(person('gridWorker'))).toEqual(['审核心愿']);
    expect(deskParts(person('communityAdmin'))).toEqual(['审核心愿', '党员报到', '台账', '数据看板', '导出']);
    expect(deskParts(person('branchSecretary'))).toEqual(['台账']);
    expect(deskParts(person('unitAdmin'))).toEqual(['台账']);
    expect(deskParts(person('street'))).toEqual(['台账', '数据看板']);
    expect(deskParts(person('cityAdmin'))).toEqual(['台账', '数据看板', '导出']);
    expect(deskParts(person('districtAdmin'))).toEqual(['台账', '数据看板', '导出']);
    expect(deskParts(null)).toEqual([]);
  });

  it('sections per person', () => {
    const none = { review: false, members: false, ledger: false, export: false, dashboard: false, funds: false, tier2: false, calendar: false };
    expect(deskSections(person('resident'))).toEqual(none);
    expect(deskSections(person('member'))).toEqual(none);
    // Grid workers review; member registrations and the ledger are the committee's.
    expect(deskSections(person('gridWorker'))).toEqual({ ...none, review: true });
    expect(deskSections(person('communityAdmin'))).toEqual({ review: true, members: true, ledger: true, export: true, dashboard: true, funds: true, tier2: true, calendar: false });
    expect(deskSections(person('branchSecretary'))).toEqual({ ...none, ledger: true, tier2: true });
    expect(deskSections(person('unitAdmin'))).toEqual({ ...none, ledger: true });
    // The street reads rates and funds but does not export.
    expect(deskSections(person('street'))).toEqual({ ...none, ledger: true, dashboard: true, funds: true });
    // The city's working calendar and its notice import: city admins at the city only.
    expect(deskSections(person('cityAdmin'))).toEqual({ ...none, ledger: true, export: true, dashboard: true, funds: true, calendar: true });
    expect(deskSections(person('districtAdmin'))).toEqual({ ...none, ledger: true, export: true, dashboard: true, funds: true });
  });

  it('the working calendar as people read it', () => {
    // 2027-02-05 is a Friday, 2027-02-14 a Sunday (checked with GNU date).
    expect(dayWithWeekday('2027-02-05')).toBe('2027-02-05 周五');
    expect(dayWithWeekday('2027-02-14')).toBe('2027-02-14 周日');
    expect(calendarDayText({ kind: 'holiday', note: '春节' })).toBe('放假 · 春节');
    expect(calendarDayText({ kind: 'workday', note: null })).toBe('上班');
    expect(CALENDAR_SOURCE_LABELS).toEqual({ admin: '市级录入', package: '日历数据', law: '法定节假日', weekday: '按周末' });
    const d = (day: string, kind: 'holiday' | 'workday') => ({ day, kind, holiday: '春节' });
    expect(noticeSummary([d('2027-02-05', 'holiday'), d('2027-02-06', 'holiday'), d('2027-02-14', 'workday')])).toBe('放假 2 天，调休上班 1 天');
    expect(noticeSummary([d('2027-01-01', 'holiday')])).toBe('放假 1 天');
  });

  it('review and registration communities, and report scopes widest first', () => {
    expect(reviewCommunities(person('gridWorker'))).toEqual([{ id: 5, name: '北小街社区' }]);
    expect(registrationCommunities(person('gridWorker'))).toEqual([]);
    expect(registrationCommunities(person('communityAdmin'))).toEqual([{ id: 5, name: '北小街社区' }]);
    expect(reportScopes(person('gridWorker'))).toEqual([]);
    expect(reportScopes(person('unitAdmin'))).toEqual([]);
    expect(reportScopes(person('districtAdmin'))).toEqual([{ scope: 'district', orgId: 2, name: '城中区' }]);
    const several = me({ abilities: abilities({ rates: [ORGS.community, ORGS.street, ORGS.city, ORGS.district] }) });
    expect(reportScopes(several)).toEqual([
      { scope: 'city', orgId: 1, name: '西宁市' },
      { scope: 'district', orgId: 2, name: '城中区' },
      { scope: 'street', orgId: 3, name: '人民街街道' },
      { scope: 'community', orgId: 5, name: '北小街社区' },
    ]);
  });

  it('finds the communities under a street, district or city ledger, and none for a community, compound or unit ledger', () => {
    const orgs: OrgView[] = [
      { id: 1, kind: 'city', name: '西宁市', parentId: null, communityClass: null },
      { id: 2, kind: 'district', name: '城中区', parentId: 1, communityClass: null },
      { id: 3, kind: 'street', name: '人民街街道', parentId: 2, communityClass: null },
      { id: 4, kind: 'street', name: '南滩街道', parentId: 2, communityClass: null },
      { id: 5, kind: 'community', name: '北小街社区', parentId: 3, communityClass: 'B' },
      { id: 6, kind: 'community', name: '锦绣华庭社区', parentId: 3, communityClass: 'A' },
      { id: 7, kind: 'community', name: '南滩社区', parentId: 4, communityClass: 'C' },
      { id: 11, kind: 'compound', name: '康乐小区', parentId: 5, communityClass: null },
    ];
    expect(communitiesInScope(orgs, person('street')).map((c) => c.id)).toEqual([5, 6]);
    expect(communitiesInScope(orgs, person('districtAdmin')).map((c) => c.id)).toEqual([5, 6, 7]);
    expect(communitiesInScope(orgs, person('cityAdmin')).map((c) => c.id)).toEqual([5, 6, 7]);
    expect(communitiesInScope(orgs, person('communityAdmin'))).toEqual([]);
    expect(communitiesInScope(orgs, person('unitAdmin'))).toEqual([]);
    expect(communitiesInScope(orgs, person('branchSecretary'))).toEqual([]);
  });
});

describe('review helpers', () => {
  it('warns about every content check result but a pass', () => {
    expect(contentWarning(null)).toBeNull();
    expect(contentWarning({ result: 'pass', label: null, checkedAt: null })).toBeNull();
    expect(contentWarning({ result: 'risky', label: '广告', checkedAt: null })).toEqual({ text: '内容疑似违规（广告），请仔细核实', tone: 'risky' });
    expect(contentWarning({ result: 'review', label: null, checkedAt: null })).toEqual({ text: '内容待人工核实', tone: 'review' });
    expect(contentWarning({ result: 'unchecked', label: null, checkedAt: null })!.text).toBe('内容未经自动检测，请人工核实');
  });

  it('reads the duplicated wish from its number or its bare id', () => {
    expect(parseWishRef('XY20261127000042')).toBe(42);
    expect(parseWishRef(' xy20261127 001234 ')).toBe(1234);
    expect(parseWishRef('42')).toBe(42);
    expect(parseWishRef('XY2026112700004')).toBeNull();
    expect(parseWishRef('楼道灯')).toBeNull();
    expect(parseWishRef('0')).toBeNull();
    expect(parseWishRef('')).toBeNull();
  });
});

describe('ledger filters', () => {
  const now = new Date('2026-11-27T18:00:00Z'); // 28 Nov 02:00 in Beijing

  it('works in Beijing days', () => {
    expect(beijingToday(now)).toBe('2026-11-28');
    expect(periodRange('month', now)).toEqual({ from: '2026-11-01', to: '2026-11-28' });
    expect(periodRange('quarter', now)).toEqual({ from: '2026-09-01', to: '2026-11-28' });
    expect(periodRange('quarter', new Date('2026-02-10T00:00:00Z'))).toEqual({ from: '2025-12-01', to: '2026-02-10' });
    expect(periodRange('year', now)).toEqual({ from: '2026-01-01', to: '2026-11-28' });
    expect(periodRange('all', now)).toEqual({});
  });

  it('sends only what is set', () => {
    expect(ledgerQuery(NO_FILTERS, now)).toEqual({});
    const f = { ...NO_FILTERS, communityId: 5, state: 'resolved' as const, tierReached: 2 as const, tierResolved: 2 as const, category: 'repair' as const, period: 'custom' as const, from: '2026-10-01', to: null, overdue: true, supervised: false };
    expect(ledgerQuery(f, now)).toEqual({ communityId: 5, state: 'resolved', tierReached: 2, tierResolved: 2, category: 'repair', from: '2026-10-01', overdue: true });
    expect(activeFilterCount(f)).toBe(7);
    expect(activeFilterCount(NO_FILTERS)).toBe(0);
  });

  it('checks a custom period before it is sent', () => {
    expect(checkPeriod(null, null)).toBe('请选择开始或结束日期');
    expect(checkPeriod('2026-11-02', '2026-11-01')).toBe('开始日期不能晚于结束日期');
    expect(checkPeriod('2026-11-01', '2026-11-01')).toBeNull();
    expect(checkPeriod(null, '2026-11-01')).toBeNull();
  });
});

describe('numbers as people read them', () => {
  it('rates with one decimal, a dash when nothing to divide', () => {
    expect(pct(0.9773)).toBe('97.7%');
    expect(pct(1)).toBe('100.0%');
    expect(pct(null)).toBe('—');
    expect(ratePercent({ rate: 0.5, numerator: 1, denominator: 2 })).toBe(50);
    expect(ratePercent({ rate: null, numerator: 0, denominator: 0 })).toBe(0);
  });

  it('bars against the largest, a sliver for small non-zero counts', () => {
    expect(barPercent(5, 10)).toBe(50);
    expect(barPercent(1, 1000)).toBe(2);
    expect(barPercent(0, 10)).toBe(0);
    expect(barPercent(3, 0)).toBe(0);
  });

  it('yuan from fen', () => {
    expect(yuan(15_000_000)).toBe('150,000.00');
    expect(yuan(12_345)).toBe('123.45');
    expect(yuan(5)).toBe('0.05');
    expect(yuan(-250_000)).toBe('-2,500.00');
    expect(monthLabel('2026-03')).toBe('3月');
  });

  it('splits a fund bar into spent, pending and left, never past the whole', () => {
    expect(fundShares({ budgetFen: 1000, spentFen: 250, pendingFen: 100, remainingFen: 750, communities: 1 })).toEqual({ spent: 25, pending: 10, left: 65 });
    expect(fundShares({ budgetFen: 1000, spentFen: 1200, pendingFen: 100, remainingFen: -200, communities: 1 })).toEqual({ spent: 100, pending: 0, left: 0 });
    expect(fundShares({ budgetFen: 0, spentFen: 0, pendingFen: 0, remainingFen: 0, communities: 0 })).toEqual({ spent: 0, pending: 0, left: 0 });
  });
});
