// The three rates' rules (DOMAIN.md "The three rates" and "Closure") as the committee
// reads them: one plain-Chinese text per rate and one label per counted category, shown
// beside the figures by the desk and printed on the exports. The counting itself is
// server/src/modules/ledger/rates.ts; these texts must say what it does.
import type { RatesBreakdown } from './api';
import type { ConsentMethod } from './domain';

/** Closure codes: rejecting at review and cancelling take one (DOMAIN.md "Closure"). */
export const CLOSURE_CODES = ['duplicate', 'withdrawn', 'redirected', 'not_a_wish', 'cannot_be_done', 'spam'] as const;
export type ClosureCode = (typeof CLOSURE_CODES)[number];
export const CLOSURE_LABELS: Record<ClosureCode, string> = {
  duplicate: '重复心愿',
  withdrawn: '居民撤回',
  redirected: '转其他渠道办理',
  not_a_wish: '不属于微心愿',
  cannot_be_done: '无法办理',
  spam: '无效信息',
};
/** What each code asks for beside the free text (shown as the form's hint). */
export const CLOSURE_HINTS: Record<ClosureCode, string> = {
  duplicate: '选择与之重复的心愿',
  withdrawn: '注明居民如何提出撤回（电话、当面等）',
  redirected: '注明转往的渠道，如 12345 热线',
  not_a_wish: '说明原因',
  cannot_be_done: '说明无法办理的原因',
  spam: '说明原因',
};
/** Closures of wishes from before the codes (2026-12): counted apart, never guessed. */
export const UNCODED_LABEL = '未分类（历史数据）';
/** Closures a resolution rate does not count as failures: the wish lives on elsewhere, or the resident asked. */
export const NON_FAILING_CLOSURES: readonly ClosureCode[] = ['duplicate', 'withdrawn'];

export type RateKey = 'response' | 'resolution' | 'satisfaction';

export const RATE_RULES: Record<RateKey, { label: string; rule: string }> = {
  response: {
    label: '响应率',
    rule:
      '在统计期内发布（审核通过）的心愿中，在第四级“马上办”认领时限首次届满之前（即首次列入督办之前）被首次认领的心愿数 ÷ 已有结论的心愿数。' +
      '已有结论：至少被认领过一次，或第四级认领时限已届满，或在任何认领之前被社区以“重复心愿”“居民撤回”以外的原因取消。' +
      '不计入分母：认领前由居民本人（或代为提交的网格员）取消的、作为重复心愿或居民撤回取消的心愿，以及仍在认领时限内的心愿（另行列出）。' +
      '已有结论之后的撤回或重复仍计入分母。',
  },
  resolution: {
    label: '解决率',
    rule:
      '已解决的心愿数（居民确认，或超时未确认自动确认）÷（已解决数 + 未解决且已失败的心愿数）。' +
      '失败：办理时限届满而未完成（含异议后重新开始的办理时限），或第四级认领时限届满仍无人认领，或发布后被社区以“重复心愿”“居民撤回”以外的原因取消。' +
      '失败的心愿一旦解决即计为已解决。待居民确认、仍在时限内的心愿暂不计入，另行列出；居民本人撤回和重复心愿既不算解决也不算失败。',
  },
  satisfaction: {
    label: '满意率',
    rule:
      '评价为“满意”或“基本满意”的心愿数 ÷ 全部评价数。网格员经居民同意代为记录的评价计入，并按同意方式另行列出；' +
      '超时自动确认的心愿没有评价，不计入，另行列出。',
  },
};

/** Labels of the categories a report counts beside each rate (RatesBreakdown's keys). */
export const BREAKDOWN_LABELS = {
  responded: '按时响应',
  respondedLate: '已有结论但未按时响应',
  excludedWithdrawn: '认领前撤回（不计入）',
  excludedDuplicate: '认领前作为重复心愿取消（不计入）',
  undecidedClaim: '仍在认领时限内（暂不计入）',
  resolved: '已解决',
  failedMissed: '办理超时未完成（失败）',
  failedUnclaimed: '第四级时限届满无人认领（失败）',
  failedCancelled: '发布后被取消（失败）',
  resolutionExcluded: '居民撤回或重复心愿（不计入）',
  undecidedOpen: '待认领、仍在时限内（暂不计入）',
  undecidedHandling: '办理中或待确认、仍在时限内（暂不计入）',
  satisfied: '满意或基本满意',
  unsatisfied: '不满意',
  ratedByResident: '居民本人评价',
  ratedOnBehalf: '代为记录的评价',
  silent: '超时自动确认、无评价（不计入）',
} as const;
export type BreakdownKey = keyof typeof BREAKDOWN_LABELS;


/** How a category stands to its rate. */
/**
 * How a category stands to its rate. The numerator rows add up to the numerator, the numerator
 * and denominator rows to the denominator; `of_which` rows are a part of those, shown apart.
 */
export type CategoryRole = 'numerator' | 'denominator' | 'of_which' | 'excluded' | 'undecided';
export const CATEGORY_ROLE_LABELS: Record<CategoryRole, string> = {
  numerator: '计入分子和分母',
  denominator: '计入分母',
  of_which: '其中（已含在上列）',
  excluded: '不计入',
  undecided: '暂不计入（尚无结论）',
};

/** The figures explainRates() reads: a RatesSummary's breakdown. */
interface ExplainInput {
  breakdown: RatesBreakdown;
}

export interface ExplainedCategory {
  key: BreakdownKey;
  label: string;
  role: CategoryRole;
  count: number;
}
export interface ExplainedRate {
  key: RateKey;
  label: string;
  rule: string;
  categories: ExplainedCategory[];
}

/**
 * Each rate's rule beside the count of every category it includes or leaves out, in the
 * order a committee reads them. Pure, so the desk can show it for any report it holds.
 */
export function explainRates(s: ExplainInput, consentLabels: Record<ConsentMethod, string>): ExplainedRate[] {
  const b = s.breakdown;
  const cat = (key: BreakdownKey, role: CategoryRole, count: number, label: string = BREAKDOWN_LABELS[key]): ExplainedCategory => ({ key, label, role, count });
  const consent = (Object.keys(b.onBehalfByConsent) as ConsentMethod[])
    .filter((m) => b.onBehalfByConsent[m] > 0)
    .map((m) => `${consentLabels[m]} ${b.onBehalfByConsent[m]}`)
    .join('、');
  return [
    {
      key: 'response',
      ...RATE_RULES.response,
      categories: [
        cat('responded', 'numerator', b.responded),
        cat('respondedLate', 'denominator', b.respondedLate),
        cat('excludedWithdrawn', 'excluded', b.excludedWithdrawn),
        cat('excludedDuplicate', 'excluded', b.excludedDuplicate),
        cat('undecidedClaim', 'undecided', b.undecidedClaim),
      ],
    },
    {
      key: 'resolution',
      ...RATE_RULES.resolution,
      categories: [
        cat('resolved', 'numerator', b.resolved),
        cat('failedMissed', 'denominator', b.failedMissed),
        cat('failedUnclaimed', 'denominator', b.failedUnclaimed),
        cat('failedCancelled', 'denominator', b.failedCancelled),
        cat('resolutionExcluded', 'excluded', b.resolutionExcluded),
        cat('undecidedOpen', 'undecided', b.undecidedOpen),
        cat('undecidedHandling', 'undecided', b.undecidedHandling),
      ],
    },
    {
      key: 'satisfaction',
      ...RATE_RULES.satisfaction,
      categories: [
        cat('satisfied', 'numerator', b.satisfied),
        cat('unsatisfied', 'denominator', b.ratedByResident + b.ratedOnBehalf - b.satisfied),
        cat('ratedOnBehalf', 'of_which', b.ratedOnBehalf, consent ? `${BREAKDOWN_LABELS.ratedOnBehalf}（${consent}；其中满意或基本满意 ${b.satisfiedOnBehalf}）` : BREAKDOWN_LABELS.ratedOnBehalf),
        cat('silent', 'excluded', b.silent),
      ],
    },
  ];
}
