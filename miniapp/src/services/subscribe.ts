// WeChat subscribe messages: ask the person which notices they want, then tell
// the server what they granted (one credit per accepted template). H5 has no
// such thing, so there it does nothing.
import Taro from '@tarojs/taro';
import { SUBSCRIBE_RESULTS, type NoticeKind, type SubscribeReportRequest, type SubscribeResult, type SubscriptionsView } from '@xinyuan/shared';
import { isWeapp } from '../utils/platform';
import { request } from './request';

export const subscriptionsApi = {
  list: () => request<SubscriptionsView>('/me/subscriptions'),
  report: (body: SubscribeReportRequest) => request<SubscriptionsView>('/me/subscriptions', { method: 'POST', data: body }),
};

/** WeChat shows at most 3 templates in one prompt (requestSubscribeMessage tmplIds). */
export const MAX_PER_PROMPT = 3;

/** The moments the app asks for reminders: a resident's (or grid worker's) submit, a claim, a staff desk. */
export type SubscribeMoment = 'submitted' | 'claimed' | 'desk';

/**
 * Which notices the person who just acted receives next, most useful first (WeChat takes at
 * most 3 per prompt, and each accepted template is one message: credits are scarce, see the
 * table in server/src/modules/notifications/notice-delivery.ts). After a submit the submitter
 * hears when the wish is completed (they confirm and rate), claimed, or rejected; approval,
 * transfer up a tier and cancellation follow when a template for them is set and the first
 * three are not. After a claim the claimant hears of an overdue claim, a dispute, a claim taken
 * back. Staff (the tier's claimers, the committee) get one daily digest instead of a message
 * per wish.
 */
export const MOMENT_KINDS: Record<SubscribeMoment, readonly NoticeKind[]> = {
  submitted: ['completed', 'claimed', 'rejected', 'approved', 'transferred', 'cancelled'],
  claimed: ['overdue', 'disputed', 'returned'],
  desk: ['digest'],
};

/** What the prompt names, per kind of notice. */
export const KIND_LABELS: Partial<Record<NoticeKind, string>> = {
  approved: '审核通过',
  rejected: '未通过审核',
  cancelled: '心愿撤销',
  transferred: '转交上一级办理',
  claimed: '有人认领',
  completed: '办结待您确认',
  overdue: '超过办理时限',
  disputed: '居民对办理结果有异议',
  returned: '认领被收回',
  digest: '每日待办汇总',
};

/** The templates to ask for at this moment, with their kinds: those the server has a template for, at most 3. */
export async function loadTemplates(moment: SubscribeMoment): Promise<{ kind: NoticeKind; templateId: string }[]> {
  if (!isWeapp()) return [];
  const view = await subscriptionsApi.list();
  const out: { kind: NoticeKind; templateId: string }[] = [];
  for (const kind of MOMENT_KINDS[moment]) {
    const item = view.items.find((i) => i.kind === kind);
    if (item && !out.some((o) => o.templateId === item.templateId)) out.push({ kind, templateId: item.templateId });
  }
  return out.slice(0, MAX_PER_PROMPT);
}

/** Keeps the template answers and drops errMsg and anything else wx adds. */
export function pickResults(answer: Record<string, unknown>, ids: string[]): Record<string, SubscribeResult> {
  const out: Record<string, SubscribeResult> = {};
  for (const id of ids) {
    const v = answer[id];
    if (typeof v === 'string' && (SUBSCRIBE_RESULTS as readonly string[]).includes(v)) out[id] = v as SubscribeResult;
  }
  return out;
}

export type SubscribeOutcome =
  | { asked: false }
  | { asked: true; results: Record<string, SubscribeResult> }
  /** WeChat refused to show the prompt: 20004 the person turned subscribe messages off, 20005 the mini-program is banned from sending. */
  | { asked: false; refused: 'switched_off' | 'banned' };

/** requestSubscribeMessage's fail errCodes that need the person to know (WeChat's documented codes). */
const REFUSALS: Record<number, 'switched_off' | 'banned'> = { 20004: 'switched_off', 20005: 'banned' };

/**
 * Must run straight from a tap (WeChat refuses the prompt otherwise), so the
 * templates are loaded beforehand with loadTemplates().
 */
export async function askSubscribe(templateIds: string[]): Promise<SubscribeOutcome> {
  if (!isWeapp() || templateIds.length === 0) return { asked: false };
  let answer: Record<string, unknown>;
  try {
    answer = (await Taro.requestSubscribeMessage({ tmplIds: templateIds } as never)) as unknown as Record<string, unknown>;
  } catch (e) {
    const refused = REFUSALS[Number((e as { errCode?: unknown } | null)?.errCode)];
    if (refused) return { asked: false, refused };
    throw e;
  }
  const results = pickResults(answer, templateIds);
  if (Object.keys(results).length) await subscriptionsApi.report({ results });
  return { asked: true, results };
}
