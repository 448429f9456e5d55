// What each kind of notice says: the inbox line and the WeChat subscribe-message fields.
import { TIER_LABELS, noticePage, type Tier } from '@xinyuan/shared';
import type { NoticeKind } from '../../config/config';
import type { NoticePayload } from './outbox';
import { cutField, type FieldType } from './subscribe-fields';

/** Column sizes of message.title and message.body. */
export const INBOX_TITLE_MAX = 100;
export const INBOX_BODY_MAX = 400;

const TIER_NUMERALS: Record<Tier, string> = { 1: '一', 2: '二', 3: '三', 4: '四' };

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

const INBOX: Record<NoticeKind, (p: NoticePayload) => { title: string; body: string }> = {
  escalated: (p) => {
    const tier = tierOf(p);
    const where = tier ? `第${p.tier}级（${TIER_LABELS[tier]}）` : `第${p.tier}级`;
    // Nothing escalates to tier 1: there the notice means a wish newly published (or back in the pool).
    if (tier === 1) return { title: '心愿待认领', body: `心愿「${p.title}」（编号${p.wishNo}）在${where}等待认领，请及时认领。` };
    return { title: '心愿升级', body: `心愿「${p.title}」（编号${p.wishNo}）已转至${where}，请及时认领。` };
  },
  claimed: (p) => ({ title: '心愿已被认领', body: `您的心愿「${p.title}」已被认领，办理人会尽快与您联系。` }),
  completed: (p) => ({ title: '心愿已办结', body: `您的心愿「${p.title}」已办结，请确认并评价。` }),
  overdue: (p) => ({ title: '心愿办理超时', body: `您认领的心愿「${p.title}」（编号${p.wishNo}）已超过办理时限，请尽快办结。` }),
  supervised: (p) => ({ title: '心愿列入督办', body: `心愿「${p.title}」（编号${p.wishNo}）到第4级仍无人认领，已列入督办。` }),
};

/** The inbox title and body for a notice, cut to the columns' sizes. */
export function inboxText(kind: NoticeKind, payload: NoticePayload): { title: string; body: string } {
  const { title, body } = INBOX[kind](payload);
  const note = payload.note?.trim();
  return { title: clip(title, INBOX_TITLE_MAX), body: clip(note ? `${body}说明：${note}` : body, INBOX_BODY_MAX) };
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
