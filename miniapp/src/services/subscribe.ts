// WeChat subscribe messages: ask the person which notices they want, then tell
// the server what they granted (one credit per accepted template). H5 has no
// such thing, so there it does nothing.
import Taro from '@tarojs/taro';
import { SUBSCRIBE_RESULTS, type SubscribeReportRequest, type SubscribeResult, type SubscriptionsView } from '@xinyuan/shared';
import { SUBSCRIBE_TEMPLATE_IDS } from '../config';
import { isWeapp } from '../utils/platform';
import { request } from './request';

export const subscriptionsApi = {
  list: () => request<SubscriptionsView>('/me/subscriptions'),
  report: (body: SubscribeReportRequest) => request<SubscriptionsView>('/me/subscriptions', { method: 'POST', data: body }),
};

/** WeChat shows at most 3 templates in one prompt. */
const MAX_PER_PROMPT = 3;

/** Template ids to ask for: the build's setting, else what the server is configured with. */
export async function loadTemplateIds(): Promise<string[]> {
  if (!isWeapp()) return [];
  if (SUBSCRIBE_TEMPLATE_IDS.length) return SUBSCRIBE_TEMPLATE_IDS.slice(0, MAX_PER_PROMPT);
  const view = await subscriptionsApi.list();
  return Array.from(new Set(view.items.map((i) => i.templateId))).slice(0, MAX_PER_PROMPT);
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

export type SubscribeOutcome = { asked: false } | { asked: true; results: Record<string, SubscribeResult> };

/**
 * Must run straight from a tap (WeChat refuses the prompt otherwise), so the
 * template ids are loaded beforehand with loadTemplateIds().
 */
export async function askSubscribe(templateIds: string[]): Promise<SubscribeOutcome> {
  if (!isWeapp() || templateIds.length === 0) return { asked: false };
  const answer = (await Taro.requestSubscribeMessage({ tmplIds: templateIds } as never)) as unknown as Record<string, unknown>;
  const results = pickResults(answer, templateIds);
  if (Object.keys(results).length) await subscriptionsApi.report({ results });
  return { asked: true, results };
}
