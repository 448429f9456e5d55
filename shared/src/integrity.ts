// Integrity flags (诚信预警) on the committee's and the street's dashboards: patterns in a
// community's ledger that the rates cannot show and a committee should look at. Each flag
// counts wishes published in the period (the rates' rule: a wish belongs to the period it was
// published in), judged on everything that happened to them up to now, and links to the wishes
// behind it (GET /ledger/integrity/wishes, the ledger's list shape).
import type { LedgerPeriodHeader, LedgerRatesQuery, LedgerWishItem } from './api';
import type { ConsentMethod } from './domain';

export const INTEGRITY_FLAGS = ['silent_confirmation', 'rating_on_behalf', 'beneficiary_claim', 'claim_cycles', 'quick_completion', 'self_approval'] as const;
export type IntegrityFlagCode = (typeof INTEGRITY_FLAGS)[number];

/** Claim–release cycles from this many on flag a wish. */
export const CLAIM_CYCLES_FLAGGED = 2;
/** A completion less than this long after the claim it completes is flagged. */
export const QUICK_COMPLETION_MS = 10 * 60_000;

/** What each flag counts, in the words the desk shows beside it. */
export const INTEGRITY_FLAG_TEXT: Record<IntegrityFlagCode, { label: string; rule: string; of: string }> = {
  silent_confirmation: { label: '超时默认办结', rule: '办结后居民7天未确认、由系统自动办结（未评价）的心愿', of: '已办结心愿' },
  rating_on_behalf: { label: '代为评价', rule: '由网格员或社区工作人员代居民录入的评价（按居民同意方式分列）', of: '全部评价' },
  beneficiary_claim: { label: '认领人即受益人', rule: '认领人本人的手机号（双报到登记或账号）与心愿受益人手机号相同的认领', of: '曾被认领的心愿' },
  claim_cycles: { label: '反复认领放弃', rule: '认领后放弃、被收回或超期退回累计2次及以上的心愿（括号内为次数）', of: '曾被认领的心愿' },
  quick_completion: { label: '认领后10分钟内办结', rule: '提交办结凭证距其认领不足10分钟的心愿', of: '提交过办结的心愿' },
  self_approval: { label: '审核本人提交的心愿', rule: '提交人本人审核通过（或标记紧急直接发布）的心愿；规则禁止，应为0', of: '发布的心愿' },
};

export interface IntegrityConsentCount {
  /** null: recorded on behalf without a consent method (older data). */
  method: ConsentMethod | null;
  count: number;
}

export interface IntegrityFlag {
  code: IntegrityFlagCode;
  /** Wishes flagged. */
  count: number;
  /** The wishes it is a share of (INTEGRITY_FLAG_TEXT.of). */
  denominator: number;
  /** count ÷ denominator, 4 decimals; null when the denominator is 0. */
  share: number | null;
  /** claim_cycles: the cycles of the flagged wishes, summed; null for the other flags. */
  cycles: number | null;
  /** rating_on_behalf: the ratings on behalf by consent method; null for the other flags. */
  byConsent: IntegrityConsentCount[] | null;
  /** Shown in red: a flag that should be zero is not (self_approval). */
  alarm: boolean;
}

export type IntegrityQuery = LedgerRatesQuery;

export interface IntegrityReport extends LedgerPeriodHeader {
  /** Wishes published in the period (the cohort every flag is counted in). */
  published: number;
  flags: IntegrityFlag[];
}

export interface IntegrityWishQuery extends LedgerRatesQuery {
  flag: IntegrityFlagCode;
  cursor?: string;
  limit?: number;
}

/** A ledger line behind a flag (the ledger list's shape, plus what was measured). */
export interface IntegrityWishItem extends LedgerWishItem {
  /** claim_cycles: the wish's cycles; quick_completion: minutes from the claim to its fastest completion; else null. */
  measure: number | null;
}
