// Reports and complaints (举报/投诉, issue 14). WeChat's operating rules ask content apps
// for a report entry, and residents expect a government service to take complaints.
//
// - A report (举报) is about a wish or a photo someone else wrote or took, that the
//   reporter can see; a complaint (投诉与建议) is about the service itself.
// - Each reaches the desk of the community it belongs to (the wish's community; for a
//   complaint, the one the reporter names or their own) with a state and, once handled,
//   a reply that reaches the reporter in the inbox.
// - States: received → handled. No "in progress": the reporter sees 已受理 from the
//   moment it is sent, and the one reply closes it; a middle state would add a click on
//   the desk without telling the reporter anything. Handled is final (a second reply
//   answers REPORT_ALREADY_HANDLED); a reporter with more to say files again.
// - A report does not hide anything by itself: the committee decides, with the actions
//   it already has on the wish (cancel with a closure code, e.g. spam / not_a_wish).
import type { IsoTime } from './api';

export const REPORT_KINDS = ['wish', 'photo', 'complaint'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** Why something is reported (举报): the categories WeChat's own report sheet uses, narrowed to what a wish can be. */
export const REPORT_REASONS = ['false_info', 'illegal', 'vulgar', 'privacy', 'harassment', 'other'] as const;
/** What a complaint is about (投诉与建议). */
export const COMPLAINT_TOPICS = ['attitude', 'quality', 'overdue', 'suggestion', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];
export type ComplaintTopic = (typeof COMPLAINT_TOPICS)[number];
export type ReportCategory = ReportReason | ComplaintTopic;
export const REPORT_CATEGORIES = [...new Set<ReportCategory>([...REPORT_REASONS, ...COMPLAINT_TOPICS])] as readonly ReportCategory[];

export const REPORT_CATEGORY_LABELS: Record<ReportCategory, string> = {
  false_info: '虚假信息',
  illegal: '违法违规',
  vulgar: '色情低俗',
  privacy: '侵犯隐私',
  harassment: '骚扰辱骂',
  attitude: '服务态度',
  quality: '办理质量',
  overdue: '办理超时',
  suggestion: '意见建议',
  other: '其他',
};

/** The categories a kind takes: a report's reasons, or a complaint's topics. */
export function categoriesOf(kind: ReportKind): readonly ReportCategory[] {
  return kind === 'complaint' ? COMPLAINT_TOPICS : REPORT_REASONS;
}

export const REPORT_STATES = ['received', 'handled'] as const;
export type ReportState = (typeof REPORT_STATES)[number];
export const REPORT_STATE_LABELS: Record<ReportState, string> = { received: '已受理', handled: '已答复' };

export const REPORT_KIND_LABELS: Record<ReportKind, string> = { wish: '举报心愿', photo: '举报照片', complaint: '投诉与建议' };

export const REPORT_LIMITS = {
  textMax: 500,
  replyMax: 500,
  /** A person's reports and complaints still waiting for a reply; one more is 429 QUOTA_EXCEEDED. */
  openPerUser: 20,
} as const;

export interface CreateReportRequest {
  kind: ReportKind;
  /** One of categoriesOf(kind). */
  category: ReportCategory;
  /** What happened, in the reporter's words (optional for a report, required for a complaint, at most textMax). */
  text?: string;
  /** kind 'wish': the wish reported. */
  wishId?: number;
  /** kind 'photo': the photo reported (as PhotoView.id). */
  photoId?: string;
  /** kind 'complaint': the community complained to; the reporter's own when left out. */
  communityId?: number;
}

export interface ReportView {
  id: number;
  kind: ReportKind;
  category: ReportCategory;
  /** The reporter's words (opened for the reporter and the desk only). */
  text: string | null;
  wishId: number | null;
  /** The wish's number and title as they are now (null for a complaint). */
  wishNo: string | null;
  wishTitle: string | null;
  photoId: string | null;
  communityId: number;
  communityName: string;
  state: ReportState;
  reply: string | null;
  handledAt: IsoTime | null;
  createdAt: IsoTime;
  /** Desk only: who reported (name or 居民), who handled; null for the reporter. */
  reporterName?: string | null;
  handledByName?: string | null;
  /** What this reader may do now. */
  actions: 'handle'[];
}

export interface ReportsQuery {
  state?: ReportState;
  kind?: ReportKind;
  communityId?: number;
  /** Keyset cursor (nextCursor of the previous page). */
  cursor?: string;
  limit?: number;
}

export interface HandleReportRequest {
  /** The reply the reporter reads (1..replyMax). */
  reply: string;
}
