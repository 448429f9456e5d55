// What each kind of notice says: the inbox line and the WeChat subscribe-message fields.
import { TIER_HANDLERS, TIER_LABELS, noticePage, type Tier } from '@xinyuan/shared';
import type { NoticeKind } from '../outbox/outbox';
import { wishNo as wishNumber } from '../../common/wish-no';
import { cutField, type FieldType } from './subscribe-fields';

/** Column sizes of message.title and message.body. */
export const INBOX_TITLE_MAX = 100;
export const INBOX_BODY_MAX = 400;

const TIER_NUMERALS: Record<Tier, string> = { 1: '一', 2: '二', 3: '三', 4: '四' };

/** What a notice says, put together at delivery from the outbox row and its wish. */
export interface NoticePayload {
  wishNo: string;
  title: string;
  tier: number | null;
  note?: string | null;
}

/** What a notice says: its wish's number and title as they are now, its own tier and note. Null when the wish is gone. */
export function noticePayload(wish: { id: number; title: string; createdAt: Date } | undefined, row: { tier: number | null; note: string | null }): NoticePayload | null {
  return wish ? { wishNo: wishNumber(wish), title: wish.title, tier: row.tier, note: row.note } : null;
}

export interface NoticeContext {
  kind: NoticeKind;
  payload: NoticePayload;
  /** When the event happened (the outbox row's created_at). */
  at: Date;
}

function tierOf(p: NoticePayload): Tier | null {
  return p.tier === 1 || p.tier === 2 || p.tier === 3 || p.tier === 4 ? p.tier : null;
}

/** Cuts to n code points, ending in '…' when something was cut. */
export function clip(text: string, n: number): string {
  const chars = Array.from(text);
  return chars.length <= n ? text : chars.slice(0, n - 1).join('') + '…';
}

/** Where a wish goes at each tier, worded for the resident (issue 15: "已转交社区党组织办理"). */
const TRANSFERRED_TO = TIER_HANDLERS;

/** Kinds whose note the line words itself (no "说明：" suffix). */
const OWN_NOTE: ReadonlySet<NoticeKind> = new Set(['approved', 'transferred', 'digest']);

const INBOX: Record<NoticeKind, (p: NoticePayload) => { title: string; body: string }> = {
  escalated: (p) => {
    const tier = tierOf(p);
    const where = tier ? `第${p.tier}级（${TIER_LABELS[tier]}）` : `第${p.tier}级`;
    // Nothing escalates to tier 1: there the notice means a wish newly published.
    if (tier === 1) return { title: '心愿待认领', body: `心愿「${p.title}」（编号${p.wishNo}）在${where}等待认领，请及时认领。` };
    return { title: '心愿升级', body: `心愿「${p.title}」（编号${p.wishNo}）已转至${where}，请及时认领。` };
  },
  waiting: (p) => {
    const tier = tierOf(p);
    const where = tier ? `第${p.tier}级（${TIER_LABELS[tier]}）` : `第${p.tier}级`;
    return { title: '心愿重新待认领', body: `心愿「${p.title}」（编号${p.wishNo}）回到${where}，重新等待认领，请及时认领。` };
  },
  approved: (p) => ({ title: '心愿已通过审核', body: `您的心愿「${p.title}」已通过审核，正在等待认领。${p.note ? `${p.note}。` : ''}` }),
  rejected: (p) => ({ title: '心愿未通过审核', body: `您的心愿「${p.title}」未通过审核。` }),
  cancelled: (p) => ({ title: '心愿已撤销', body: `心愿「${p.title}」（编号${p.wishNo}）已撤销。` }),
  transferred: (p) => {
    const tier = tierOf(p);
    return { title: '心愿已转交', body: `您的心愿「${p.title}」已转交${tier ? TRANSFERRED_TO[tier] : '上一级'}办理。${p.note ? `${p.note}。` : ''}` };
  },
  claimed: (p) => ({ title: '心愿已被认领', body: `您的心愿「${p.title}」已被认领，办理人会尽快与您联系。` }),
  completed: (p) => ({ title: '心愿已办结', body: `您的心愿「${p.title}」已办结，请确认并评价。` }),
  disputed: (p) => ({ title: '居民对办理结果有异议', body: `您办理的心愿「${p.title}」（编号${p.wishNo}）居民有异议，请查看办理经过并继续办理。` }),
  overdue: (p) => ({ title: '心愿办理超时', body: `您认领的心愿「${p.title}」（编号${p.wishNo}）已超过办理时限，请尽快办结。` }),
  returned: (p) => ({ title: '认领已收回', body: `您认领的心愿「${p.title}」（编号${p.wishNo}）超过办理时限太久，已退回待认领。` }),
  supervised: (p) => ({ title: '心愿列入督办', body: `心愿「${p.title}」（编号${p.wishNo}）到第4级仍无人认领，已列入督办。` }),
  backlog: (p) => ({ title: '心愿待审核积压', body: `社区有心愿等待审核已超过规定天数，最早的是「${p.title}」（编号${p.wishNo}），请尽快审核。` }),
  urged: (p) => ({ title: '居民催办', body: `心愿「${p.title}」（编号${p.wishNo}）已过预计时间，居民催办，请尽快办理。` }),
  // A digest is about no one wish: its title is the day's summary (written by the sender).
  digest: (p) => ({ title: '今日待办汇总', body: p.note ?? p.title }),
};

/** The inbox title and body for a notice, cut to the columns' sizes. */
export function inboxText(kind: NoticeKind, payload: NoticePayload): { title: string; body: string } {
  const { title, body } = INBOX[kind](payload);
  const note = payload.note?.trim();
  return { title: clip(title, INBOX_TITLE_MAX), body: clip(note && !OWN_NOTE.has(kind) ? `${body}说明：${note}` : body, INBOX_BODY_MAX) };
}

export interface SubscribeField {
  /** The template keyword's key, e.g. thing1: the template chosen in the WeChat console must have these keys. */
  key: string;
  type: FieldType;
  /** The keyword's name in the template, for whoever picks the template. */
  label: string;
  value: (c: NoticeContext) => string | Date;
}

const title = (n: number): SubscribeField => ({ key: `thing${n}`, type: 'thing', label: '心愿名称', value: (c) => c.payload.title });
const wishNo = (n: number): SubscribeField => ({ key: `character_string${n}`, type: 'character_string', label: '心愿编号', value: (c) => c.payload.wishNo });
const status = (n: number, text: (c: NoticeContext) => string): SubscribeField => ({ key: `phrase${n}`, type: 'phrase', label: '当前状态', value: text });
const hint = (n: number, text: (c: NoticeContext) => string): SubscribeField => ({ key: `thing${n}`, type: 'thing', label: '温馨提示', value: text });
const time = (n: number, label: string): SubscribeField => ({ key: `time${n}`, type: 'time', label, value: (c) => c.at });

/**
 * The keywords each kind's template must have, in order. Configure WECHAT_TEMPLATE_<KIND>
 * with a template whose keywords are these (same keys and types).
 */
export const SUBSCRIBE_LAYOUTS: Record<NoticeKind, readonly SubscribeField[]> = {
  escalated: [
    title(1),
    wishNo(2),
    status(3, (c) => (tierOf(c.payload) ? `第${TIER_NUMERALS[c.payload.tier as Tier]}级` : '已升级')),
    hint(4, (c) => {
      const tier = tierOf(c.payload);
      if (!tier) return '请及时认领';
      return tier === 1 ? `${TIER_LABELS[tier]}，请及时认领` : `已转至${TIER_LABELS[tier]}，请及时认领`;
    }),
    time(5, '升级时间'),
  ],
  claimed: [title(1), wishNo(2), status(3, () => '已认领'), time(4, '认领时间')],
  completed: [title(1), wishNo(2), status(3, () => '待评价'), hint(4, () => '已办结，请确认并评价'), time(5, '办结时间')],
  overdue: [title(1), wishNo(2), status(3, () => '已超时'), hint(4, () => '已超过办理时限，请尽快办结'), time(5, '提醒时间')],
  supervised: [title(1), wishNo(2), status(3, () => '督办'), hint(4, (c) => c.payload.note?.trim() || '第四级仍无人认领'), time(5, '督办时间')],
  approved: [title(1), wishNo(2), status(3, () => '待认领'), hint(4, () => '已通过审核，等待认领'), time(5, '审核时间')],
  rejected: [title(1), wishNo(2), status(3, () => '未通过'), hint(4, (c) => c.payload.note?.trim() || '未通过审核'), time(5, '审核时间')],
  cancelled: [title(1), wishNo(2), status(3, () => '已撤销'), hint(4, (c) => c.payload.note?.trim() || '心愿已撤销'), time(5, '撤销时间')],
  transferred: [title(1), wishNo(2), status(3, () => '已转交'), hint(4, (c) => `已转交${tierOf(c.payload) ? TRANSFERRED_TO[tierOf(c.payload)!] : '上一级'}办理`), time(5, '转交时间')],
  disputed: [title(1), wishNo(2), status(3, () => '有异议'), hint(4, () => '居民有异议，请继续办理'), time(5, '提出时间')],
  returned: [title(1), wishNo(2), status(3, () => '已收回'), hint(4, () => '超时未办结，已退回待认领'), time(5, '收回时间')],
  waiting: [title(1), wishNo(2), status(3, () => '待认领'), hint(4, () => '重新等待认领'), time(5, '提醒时间')],
  backlog: [title(1), wishNo(2), status(3, () => '待审核'), hint(4, () => '等待审核已超过规定天数'), time(5, '提醒时间')],
  urged: [title(1), wishNo(2), status(3, () => '催办'), hint(4, () => '居民催办，请尽快办理'), time(5, '催办时间')],
  // The staff's daily digest: the day's summary, and when it was put together.
  digest: [{ key: 'thing1', type: 'thing', label: '待办事项', value: (c) => c.payload.note ?? c.payload.title }, time(2, '汇总时间')],
};

/** The data object of subscribeMessage.send for a notice, every value cut to WeChat's limits. */
export function subscribeData(c: NoticeContext): Record<string, { value: string }> {
  const out: Record<string, { value: string }> = {};
  for (const f of SUBSCRIBE_LAYOUTS[c.kind]) out[f.key] = { value: cutField(f.type, f.value(c)) };
  return out;
}

/**
 * The mini-program page a subscribe message opens (none: the mini-program's home page).
 * The path comes from @xinyuan/shared's page list, which the mini-program's app.config uses too.
 */
export function wishPage(wishId: number | null): string | undefined {
  return noticePage(wishId);
}
