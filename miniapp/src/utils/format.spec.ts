import type { WishEventView } from '@xinyuan/shared';
import { event } from '../../test/fixtures';
import { categoryLabel, describeEvent, formatTime, onBehalfText, tierText, whoDid } from './format';
import { checkPhone, checkText } from './validate';

const ev = (over: Partial<WishEventView>): WishEventView => event({ actorName: '张伟', actorRole: 'member', ...over });

describe('timeline in plain Chinese', () => {
  it('says who did what at which tier', () => {
    expect(describeEvent(ev({}))).toEqual({ who: '张伟（在职党员）', what: '认领了心愿', tier: '第一级 · 在职党员尽力办', reason: null, consent: null });
  });

  it('names the system for timer moves and the tier it moved to', () => {
    const d = describeEvent(ev({ type: 'escalate', fromState: 'open', toState: 'open', fromTier: 1, toTier: 2, actorName: null, actorRole: 'system' }));
    expect(d.who).toBe('系统');
    expect(d.what).toBe('超过认领时限无人认领，升级到第二级 · 基层组织有效办');
    expect(d.tier).toBeNull();
  });

  it('keeps the reason of a dispute, and no tier while a wish waits for review', () => {
    expect(describeEvent(ev({ type: 'dispute', actorName: '王秀兰', actorRole: 'resident', reason: '灯还是不亮' }))).toMatchObject({ who: '王秀兰（居民）', what: '有异议，退回继续办理', reason: '灯还是不亮' });
    expect(describeEvent(ev({ type: 'submit', fromState: null, toState: 'pending_review', actorRole: 'grid_worker', actorName: '陈静' })).tier).toBeNull();
  });
});

describe('who did it', () => {
  it('names people only when the server sends a name; otherwise the organisation and the role', () => {
    expect(whoDid({ actorName: '王秀兰', actorRole: 'resident', actorOrg: null })).toBe('王秀兰（居民）');
    expect(whoDid({ actorName: null, actorRole: 'community_admin', actorOrg: '北小街社区' })).toBe('北小街社区 · 社区党委');
    expect(whoDid({ actorName: null, actorRole: 'unit_admin', actorOrg: '市供电公司' })).toBe('市供电公司 · 联点单位');
    expect(whoDid({ actorName: null, actorRole: 'member', actorOrg: null })).toBe('在职党员');
    expect(whoDid({ actorName: null, actorRole: 'system', actorOrg: null })).toBe('系统');
    expect(whoDid({ actorName: null, actorRole: null, actorOrg: null })).toBe('系统');
  });

  it('says how the resident consented to a move made for them', () => {
    const filed = describeEvent(ev({ type: 'submit', fromState: null, toState: 'pending_review', actorName: null, actorRole: 'grid_worker', actorOrg: '北小街社区', consentMethod: 'verbal' }));
    expect(filed).toMatchObject({ who: '北小街社区 · 网格员', what: '代他人提交了心愿', consent: '受助人口头同意' });
    expect(describeEvent(ev({ type: 'confirm', fromState: 'awaiting_confirmation', toState: 'resolved', actorName: '陈静', actorRole: 'grid_worker', consentMethod: 'guardian' }))).toMatchObject({ what: '代为确认办结并评价', consent: '受助人监护人代为同意' });
    expect(onBehalfText({ consentMethod: 'verbal', recordedBy: '网格员陈静' })).toBe('由网格员陈静代为评价（口头同意）');
    expect(onBehalfText({ consentMethod: 'written', recordedBy: null })).toBe('代为评价（书面签字）');
  });
});

describe('formatting', () => {
  it('shows month, day and time, and the year only when it is not this year', () => {
    const now = new Date(2026, 10, 27);
    expect(formatTime(new Date(2026, 10, 20, 9, 5).toISOString(), now)).toBe('11月20日 09:05');
    expect(formatTime(new Date(2025, 0, 2, 18, 30).toISOString(), now)).toBe('2025年1月2日 18:30');
    expect(formatTime(null)).toBe('');
  });

  it('labels categories and tiers', () => {
    expect(categoryLabel('elderly_care')).toBe('助老服务');
    expect(tierText(4)).toBe('第四级 · 有诉必应马上办');
  });
});

describe('validation', () => {
  it('accepts mobile and landline numbers as the server does', () => {
    expect(checkPhone('13897001111')).toBeNull();
    expect(checkPhone('0971-8123456')).toBeNull();
    expect(checkPhone('1389700111')).toBe('请填写11位手机号，或带区号的固定电话');
    expect(checkPhone(' ')).toBe('请填写联系电话');
  });

  it('counts characters, not bytes', () => {
    expect(checkText('灯', '标题', 2, 40)).toBe('标题至少2个字');
    expect(checkText('灯坏', '标题', 2, 40)).toBeNull();
    expect(checkText('好'.repeat(41), '标题', 2, 40)).toBe('标题最多40个字');
  });
});
