// The committee's desk: review queue, member registrations, the ledger, the
// dashboard and export links. Used only by subpackages/committee, so it ships
// in that subpackage (Taro moves modules only a subpackage uses out of the main one).
import type {
  AssigneeView,
  CalendarDayView,
  CalendarStatus,
  NoticeParseResult,
  ParseNoticeRequest,
  SaveNoticeRequest,
  SaveNoticeResult,
  AssignWishRequest,
  CancelWishRequest,
  DeactivateMemberRequest,
  FundSpendView,
  FundSpendsQuery,
  FundView,
  LedgerPage,
  LedgerRanking,
  LedgerVerifyQuery,
  LedgerVerifyReport,
  MemberRecord,
  RefuseFundSpendRequest,
  SetFundBudgetRequest,
  IntegrityQuery,
  IntegrityReport,
  IntegrityWishItem,
  IntegrityWishQuery,
  LedgerDashboard,
  LedgerDashboardQuery,
  LedgerExportLink,
  LedgerExportLinkRequest,
  LedgerRatesExplained,
  LedgerRatesQuery,
  LedgerRatesReport,
  LedgerWishDetail,
  LedgerWishItem,
  LedgerWishQuery,
  MarkUrgentRequest,
  MemberRegistrationView,
  OrgView,
  Page,
  ReasonRequest,
  RegistrationStatus,
  RejectWishRequest,
  WishDetail,
  WishSummary,
} from '@xinyuan/shared';
import { request } from './request';

export interface ReviewQueueQuery {
  communityId?: number;
  cursor?: string;
  limit?: number;
}

const post = <T>(path: string, body: object = {}) => request<T>(path, { method: 'POST', data: body });

export const deskApi = {
  // ---- review (the review_queue ability) and the desk's moves ----
  reviewQueue: (q: ReviewQueueQuery = {}) => request<Page<WishSummary>>('/wishes/review', { query: { ...q } }),
  wish: (id: number) => request<WishDetail>(`/wishes/${id}`),
  approve: (id: number) => post<WishDetail>(`/wishes/${id}/approve`),
  /** A closure code and a reason (CLOSURE_CODE_REQUIRED without the code). */
  reject: (id: number, body: RejectWishRequest) => post<WishDetail>(`/wishes/${id}/reject`, body),
  markUrgent: (id: number, body: MarkUrgentRequest) => post<WishDetail>(`/wishes/${id}/urgent`, body),
  /** The committee's: a closure code (with duplicateOf / channel where it asks); a submitter's own: no code. */
  cancel: (id: number, body: CancelWishRequest) => post<WishDetail>(`/wishes/${id}/cancel`, body),
  /** The people of the claim's organisation the active claimant may hand the work to. */
  assignees: (id: number) => request<AssigneeView[]>(`/wishes/${id}/assignees`),
  assign: (id: number, body: AssignWishRequest) => post<WishDetail>(`/wishes/${id}/assign`, body),
  /** Staff take a claim back (reason required); the wish returns to its tier's pool. */
  release: (id: number, body: ReasonRequest) => post<WishDetail>(`/wishes/${id}/release`, body),

  // ---- member registrations (双报到; the registrations ability: the community committee) ----
  registrations: (communityId: number, status?: RegistrationStatus) => request<MemberRegistrationView[]>('/members/registrations', { query: { communityId, status } }),
  verify: (id: number) => post<MemberRegistrationView>(`/members/registrations/${id}/verify`),
  refuse: (id: number, body: ReasonRequest) => post<MemberRegistrationView>(`/members/registrations/${id}/refuse`, body),
  /** The answer also lists the wishes the member held that went back to the pool (releasedWishIds). */
  deactivate: (id: number, body: DeactivateMemberRequest) => post<MemberRegistrationView & { releasedWishIds?: number[] }>(`/members/registrations/${id}/deactivate`, body),

  // ---- ledger (台账) ----
  /** A ledger page; the first one carries the total (q: a wish number, a phone or a part of the title). */
  ledger: (q: LedgerWishQuery = {}) => request<LedgerPage>('/ledger/wishes', { query: { ...q } }),
  /** Members by wishes fulfilled (resolved) in the period. */
  ranking: (q: LedgerRatesQuery) => request<LedgerRanking>('/ledger/ranking', { query: { ...q } }),
  /** The day's check code (台账校验码) of an organisation's ledger, for the print view. */
  ledgerCheck: (q: LedgerVerifyQuery) => request<LedgerVerifyReport>('/ledger/verify', { query: { ...q } }),
  ledgerWish: (id: number) => request<LedgerWishDetail>(`/ledger/wishes/${id}`),
  rates: (q: LedgerRatesQuery) => request<LedgerRatesReport>('/ledger/rates', { query: { ...q } }),
  /** The rates with their rules in plain Chinese and every category's count (三率口径与明细). */
  ratesExplained: (q: LedgerRatesQuery) => request<LedgerRatesExplained>('/ledger/rates/explained', { query: { ...q } }),
  dashboard: (q: LedgerDashboardQuery) => request<LedgerDashboard>('/ledger/dashboard', { query: { ...q } }),
  exportLink: (body: LedgerExportLinkRequest) => post<LedgerExportLink>('/ledger/export-links', body),
  funds: (year?: number) => request<FundView[]>('/funds', { query: { year } }),
  fundSpends: (q: FundSpendsQuery = {}) => request<FundSpendView[]>('/funds/spends', { query: { ...q } }),
  approveSpend: (id: number) => post<FundSpendView>(`/funds/spends/${id}/approve`),
  refuseSpend: (id: number, body: RefuseFundSpendRequest) => post<FundSpendView>(`/funds/spends/${id}/refuse`, body),
  /** City admins: a community's budget for a year. */
  setBudget: (communityId: number, year: number, body: SetFundBudgetRequest) => request<FundView>(`/funds/${communityId}/${year}`, { method: 'PUT', data: body }),

  // ---- members' service records (双报到) ----
  memberRecord: (userId: number, month: string) => request<MemberRecord>(`/members/${userId}/records`, { query: { month } }),
  /** Integrity flags (诚信预警) of an organisation and period, and the wishes behind one flag (ledger lines). */
  integrity: (q: IntegrityQuery) => request<IntegrityReport>('/ledger/integrity', { query: { ...q } }),
  integrityWishes: (q: IntegrityWishQuery) => request<Page<IntegrityWishItem>>('/ledger/integrity/wishes', { query: { ...q } }),

  // ---- the working calendar (reading: everyone; the notice import: city admins, dispatch_policy) ----
  calendar: (year: number) => request<CalendarDayView[]>('/dispatch/calendar', { query: { year } }),
  calendarStatus: () => request<CalendarStatus>('/dispatch/calendar/status'),
  /** Reads a pasted notice; saves nothing. */
  parseNotice: (body: ParseNoticeRequest) => post<NoticeParseResult>('/dispatch/calendar/notice/parse', body),
  /** Saves the reviewed days as city admins' entries. */
  saveNotice: (body: SaveNoticeRequest) => post<SaveNoticeResult>('/dispatch/calendar/notice', body),

  /** Every organisation (public names), to work out the communities under a street or district grant. */
  orgs: () => request<OrgView[]>('/orgs'),
};
