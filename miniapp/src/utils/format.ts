import {
  ACTION_LABELS,
  CONSENT_METHOD_LABELS,
  RATING_LABELS,
  ROLE_LABELS,
  STATE_LABELS,
  TIER_LABELS,
  WISH_CATEGORIES,
  type Tier,
  type WishCategoryCode,
  type WishEventView,
} from '@xinyuan/shared';

const CN_NUM = ['零', '一', '二', '三', '四'];

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** "11月27日 10:05", with the year when it is not this year. */
export function formatTime(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const day = `${d.getMonth() + 1}月${d.getDate()}日 ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return d.getFullYear() === now.getFullYear() ? day : `${d.getFullYear()}年${day}`;
}

export function categoryLabel(code: WishCategoryCode | string): string {
  return WISH_CATEGORIES.find((c) => c.code === code)?.label ?? '其他';
}

/** "第一级 · 在职党员尽力办" */
export function tierText(tier: Tier): string {
  return `第${CN_NUM[tier]}级 · ${TIER_LABELS[tier]}`;
}

/** Short badge text: "一级" */
export function tierShort(tier: Tier): string {
  return `${CN_NUM[tier]}级`;
}

export function whoDid(e: Pick<WishEventView, 'actorName' | 'actorRole'>): string {
  if (e.actorRole === 'system') return '系统';
  const role = e.actorRole ? ROLE_LABELS[e.actorRole] : null;
  if (e.actorName && role) return `${e.actorName}（${role}）`;
  return e.actorName ?? role ?? '系统';
}

/** One line of a wish's timeline, in plain Chinese. */
export function describeEvent(e: WishEventView): { who: string; what: string; tier: string | null; reason: string | null } {
  let what: string = ACTION_LABELS[e.type];
  if (e.type === 'escalate' && e.toTier) what = `超过认领时限无人认领，升级到${tierText(e.toTier)}`;
  else if (e.type === 'approve') what = '审核通过，心愿已发布';
  else if (e.type === 'submit') what = '提交了心愿';
  else if (e.type === 'claim') what = '认领了心愿';
  else if (e.type === 'complete') what = '办理完成，等待确认';
  else if (e.type === 'confirm') what = '确认办结并评价';
  else if (e.type === 'dispute') what = '有异议，退回继续办理';
  else if (e.type === 'release') what = '放弃认领，心愿回到待认领';
  else if (e.type === 'cancel') what = '取消了心愿';
  const tier = e.toTier && e.type !== 'escalate' && e.toState !== 'pending_review' ? tierText(e.toTier) : null;
  return { who: whoDid(e), what, tier, reason: e.reason };
}

export function stateText(s: keyof typeof STATE_LABELS): string {
  return STATE_LABELS[s];
}

export { RATING_LABELS, CONSENT_METHOD_LABELS };
