// Request and response shapes of the HTTP API. Server DTO classes implement
// these, so a change here that the server does not follow fails to compile.
import type { Ability, Desk } from './access';
import type { CommunityClass, ConsentMethod, OrgKind, Rating, Role, Tier, WishCategoryCode } from './domain';
import type { WishAction, WishState } from './wish-machine';
import type { ClosureCode, ExplainedRate } from './rates-rules';

/** ISO-8601 timestamp string. */
export type IsoTime = string;

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page; null on the last page. */
  nextCursor: string | null;
}

// ---- auth and me ----
export interface WechatLoginRequest {
  code: string;
}
/** POST /me/phone: the code of the mini-program's getPhoneNumber button. */
export interface PhoneCodeRequest {
  code: string;
}
/** The caller's own phone number, to fill their own form; the server stores nothing. */
export interface PhoneCodeResponse {
  phone: string;
}
export interface DevLoginRequest {
  openid: string;
}
export interface RoleGrantView {
  role: Role;
  orgId: number;
  orgName: string;
  orgKind: OrgKind;
}
/** An organisation an ability comes from (the grant's; it reaches everything under it). */
export interface AbilityScope {
  orgId: number;
  orgName: string;
  orgKind: OrgKind;
}
/** What the access policy lets this person do, and through which grants (none: an empty list). */
export interface AbilityView {
  allowed: boolean;
  orgs: AbilityScope[];
}
export interface MeResponse {
  id: number;
  nickname: string | null;
  /** The grants the policy honours (not revoked, on an active organisation of the right kind). */
  roles: RoleGrantView[];
  /** Derived from the access policy's tables (access.ts); the mini-program offers exactly these. */
  abilities: Record<Ability, AbilityView>;
  consent: { version: string; consentedAt: IsoTime } | null;
  /** True when the user has not consented to the current privacy notice. */
  consentRequired: boolean;
  privacyNoticeVersion: string;
}
export interface LoginResponse {
  token: string;
  expiresAt: IsoTime;
  user: MeResponse;
}
export interface AuthOptions {
  devLogin: boolean;
  wechat: boolean;
}
export interface ConsentRequest {
  version: string;
}

// ---- organisations ----
export interface OrgView {
  id: number;
  kind: OrgKind;
  name: string;
  parentId: number | null;
  communityClass: CommunityClass | null;
}

// ---- member registration (双报到) ----
/** withdrawn: the member withdrew it themselves (or deleted their account). */
export const REGISTRATION_STATUSES = ['pending', 'verified', 'refused', 'revoked', 'withdrawn'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];
export interface MemberRegistrationRequest {
  communityId: number;
  realName: string;
  phone: string;
  workUnit: string;
}
export interface MemberRegistrationView {
  id: number;
  userId: number;
  communityId: number;
  communityName: string;
  realName: string;
  phone: string;
  workUnit: string;
  status: RegistrationStatus;
  createdAt: IsoTime;
  reviewedAt: IsoTime | null;
  refuseReason: string | null;
  /** Deactivated by community staff (status revoked): why and when. */
  revokeReason: string | null;
  revokedAt: IsoTime | null;
}
export interface RefuseRegistrationRequest {
  reason: string;
}

// ---- photos ----
export interface PhotoView {
  id: string;
  mime: string;
  size: number;
  url: string;
  /**
   * WeChat's media check of the photo, for its uploader and the community's staff only:
   * pending (not shown to others until it passes), passed, review (shown; WeChat asks a
   * person to look), unchecked (shown; the check did not run). Absent for other readers.
   */
  checkState?: PhotoCheckState;
}
/**
 * A voice note (语音留言) for residents who cannot type: recorded in WeChat (mp3 or aac), at most
 * VOICE_NOTE_MAX_SECONDS, stored, checked and served like a photo (same signed URLs, same
 * readers). durationMs is read from the file by the server.
 */
export interface VoiceNoteView extends PhotoView {
  durationMs: number;
}
export const VOICE_NOTE_MAX_SECONDS = 60;
/** Largest voice-note file: a minute of speech at WeChat's recorder settings is far below it. */
export const VOICE_NOTE_MAX_BYTES = 2 * 1024 * 1024;
export const PHOTO_CHECK_STATES = ['pending', 'passed', 'review', 'failed', 'unchecked'] as const;
export type PhotoCheckState = (typeof PHOTO_CHECK_STATES)[number];

// ---- wishes ----
export interface SubmitWishRequest {
  communityId: number;
  compoundId?: number;
  category: WishCategoryCode;
  title: string;
  description: string;
  beneficiaryName: string;
  /** Required, except when community staff file for a resident (who may have no phone). */
  beneficiaryPhone?: string;
  /** Building and room inside the compound, e.g. "3号楼2单元501". */
  address: string;
  photoIds?: string[];
  /** One voice note uploaded by the submitter (POST /voice-notes). */
  voiceNoteId?: string;
  /** The submitter is the beneficiary. Either this or consentMethod must be given. */
  forSelf?: boolean;
  /** The beneficiary is someone else: how that person consented (a resident for a neighbour or parent; staff for a resident without a phone). */
  consentMethod?: ConsentMethod;
  /**
   * Separate consent to processing sensitive personal information (PIPL Art. 29), required for a
   * sensitive category (isSensitiveCategory: health, hardship): the resident's own for themselves;
   * for someone else, the submitter confirms that person's (staff: given in person).
   */
  sensitiveConsent?: boolean;
  /**
   * The beneficiary is a child under fourteen (PIPL Art. 28, 31): the wish is then sensitive
   * whatever its category, and sensitiveConsent means the guardian's separate consent.
   */
  beneficiaryMinor?: boolean;
}
export interface Beneficiary {
  name: string;
  phone: string;
  address: string;
}
export interface WishSummary {
  id: number;
  no: string;
  title: string;
  category: WishCategoryCode;
  state: WishState;
  tier: Tier;
  urgent: boolean;
  communityId: number;
  communityName: string;
  compoundName: string | null;
  beneficiary: Beneficiary;
  /** True when the beneficiary fields above are masked for this reader. */
  masked: boolean;
  /**
   * The beneficiary's contact details were erased (the resident deleted their account, or the
   * retention period of a closed wish ended): `beneficiary` then holds placeholders (privacy.ts
   * ERASED_*), never a real value, and there is nobody to call.
   */
  contactErased: boolean;
  onBehalf: boolean;
  photoCount: number;
  createdAt: IsoTime;
  publishedAt: IsoTime | null;
  /** WeChat's content check of title and description; only community staff see it (null for others). */
  contentCheck: ContentCheckView | null;
  /** Moves this reader may make now (from the shared transitions table and the access policy). */
  actions: WishAction[];
  /** Of `actions`, those this reader must give a reason for (reasonRequiredActions): the page asks for one before sending. */
  reasonRequired: WishAction[];
}
// ---- content check (msgSecCheck v2) ----
/** pass: nothing found; review: WeChat is unsure; risky: WeChat flags it; unchecked: the check could not run. */
export const CONTENT_CHECK_RESULTS = ['pass', 'review', 'risky', 'unchecked'] as const;
export type ContentCheckResult = (typeof CONTENT_CHECK_RESULTS)[number];
export interface ContentCheckView {
  result: ContentCheckResult;
  /** WeChat's label as text (e.g. 涉政, 色情, 辱骂, 广告), null when it names none. */
  label: string | null;
  checkedAt: IsoTime | null;
}
export interface WishEventView {
  id: number;
  type: WishAction;
  fromState: WishState | null;
  toState: WishState;
  fromTier: Tier | null;
  toTier: Tier | null;
  /** Shown to the submitter and the community's staff only; others see the role and the organisation. */
  actorName: string | null;
  actorRole: Role | 'system' | null;
  /** The organisation the actor acted for (e.g. 北小街社区, 市供电公司); null for the system and older events. */
  actorOrg: string | null;
  reason: string | null;
  /** How the resident consented, when the move was made on their behalf (filing, confirmation). */
  consentMethod: ConsentMethod | null;
  /**
   * WeChat's check of the free text the move carried (reason, proof note, comment), when it
   * was not a clean pass: `review` (WeChat asks a person to look) or `unchecked` (the check
   * could not run). Shown to the community's staff only; absent or null otherwise.
   */
  textCheck?: ContentCheckView | null;
  at: IsoTime;
}
export interface WishTimers {
  /** When the claim window at the current tier ends (open wishes). */
  windowEndsAt: IsoTime | null;
  /** When the current claim's fulfilment window ends (claimed wishes). */
  dueAt: IsoTime | null;
  /** Set when the wish went unclaimed through tier 4 (督办). */
  supervisedAt: IsoTime | null;
  overdue: boolean;
}
export interface WishDetail extends WishSummary, WishTimers {
  /** The reader may report (举报) this wish: they are not its submitter (reports.ts). */
  reportable: boolean;
  /** Null when this reader may not read it (a sensitive category; see access.ts WISH_FIELDS). */
  description: string | null;
  consentMethod: ConsentMethod | null;
  photos: PhotoView[];
  /** The wish's voice note, for whoever reads its photos (absent from older servers' answers). */
  voiceNote?: VoiceNoteView | null;
  /** The name is masked for readers other than the submitter, the community's staff and the claimant. */
  claimant: { id: number; name: string } | null;
  claimedAt: IsoTime | null;
  proof: { note: string; photos: PhotoView[]; completedAt: IsoTime } | null;
  rating: Rating | null;
  ratingComment: string | null;
  /** The rating was recorded on the resident's behalf: how they consented, and by whom (null where names are not shown). */
  ratingOnBehalf: { consentMethod: ConsentMethod; recordedBy: string | null } | null;
  resolvedAt: IsoTime | null;
  timeline: WishEventView[];
  assignee: { id: number; name: string } | null;
  /** Cancelled as a duplicate of this wish. */
  duplicateOf: { id: number; no: string } | null;
  /** Why it was closed (rejected or cancelled): code, and the channel for a redirection; null while it stands. */
  closure: { code: ClosureCode; channel: string | null } | null;
  /** The wish's community office phone (set by its committee; null when none): 联系社区. */
  officePhone: string | null;
  /** The reader is the active claimant (or its organisation's desk, or the assignee) and reads the beneficiary's phone in full: 联系心愿人. */
  callBeneficiary: boolean;
  /** Open and not of a sensitive category: may be shared as a card (masked, as the wall shows it). */
  shareable: boolean;
  /** What comes next and by when (issue 15: the resident sees the expected time of the next step); null once it is closed. */
  nextStep: NextStepView | null;
  /** 催办 so far: how many, when (oldest first); shown beside the timeline. */
  urges: UrgesView;
}
/**
 * The step a wish waits for: review (no set time), a claim at its tier until its claim window
 * ends, fulfilment until the claim's due time, the resident's confirmation until it is
 * confirmed by silence.
 */
export const NEXT_STEPS = ['review', 'claim', 'fulfil', 'confirm'] as const;
export type NextStep = (typeof NEXT_STEPS)[number];
export interface NextStepView {
  step: NextStep;
  /** The tier it waits at (claim) or was claimed at (fulfil, confirm). */
  tier: Tier;
  /** When the step is expected by (null: no set time, e.g. review). */
  by: IsoTime | null;
  /** For the submitter: whether they may urge now, and from when they may (null: not for this step or not theirs). */
  urge: { allowed: boolean; from: IsoTime | null; urgedToday: boolean } | null;
}
export interface UrgesView {
  count: number;
  lastAt: IsoTime | null;
  times: IsoTime[];
}
export interface MarkUrgentRequest {
  reason: string;
}
export interface AssignWishRequest {
  userId: number;
}
/** A person a claimant may hand the work to (people of the claim's organisation). */
export interface AssigneeView {
  userId: number;
  name: string;
  role: Role;
}

// ---- dispatch policy and calendar ----
export interface PolicyWindow {
  communityClass: CommunityClass;
  tier: Tier;
  /** Claim window, in working minutes (clock minutes for urgent wishes). */
  claimMinutes: number;
  /** Fulfilment window once claimed, in working minutes (clock minutes for urgent wishes). */
  fulfilMinutes: number;
}
export interface PolicyView {
  windows: PolicyWindow[];
  /** When the current values took effect (null: built-in defaults). */
  effectiveFrom: IsoTime | null;
}
export interface UpdatePolicyRequest {
  windows: PolicyWindow[];
}
export const CALENDAR_DAY_KINDS = ['workday', 'holiday'] as const;
export type CalendarDayKind = (typeof CALENDAR_DAY_KINDS)[number];
export interface CalendarDayView {
  day: string;
  kind: CalendarDayKind;
  note: string | null;
  /**
   * Where the day's answer came from, in precedence order: 'admin' (a city admin's
   * entry, e.g. an imported notice), 'package' (the calendar package, for the years it
   * has), 'law' (a statutory holiday by the 全国年节及纪念日放假办法, computed for any
   * year), 'weekday' (outside the package's years: Saturday and Sunday off, no make-up days).
   */
  source: CalendarDaySource;
}
export const CALENDAR_DAY_SOURCES = ['admin', 'package', 'law', 'weekday'] as const;
export type CalendarDaySource = (typeof CALENDAR_DAY_SOURCES)[number];
export interface SetCalendarDayRequest {
  kind: CalendarDayKind;
  note?: string;
}
/** PUT /dispatch/calendar/:day: the day as it now counts, and what contradicts the law (allowed, shown). */
export interface SetCalendarDayResponse extends CalendarDayView {
  warnings: string[];
}
export interface WallQuery {
  communityId?: number;
  category?: WishCategoryCode;
  cursor?: string;
  limit?: number;
}
// ---- the desks of paired units and the street (access.ts DESK_QUEUES) ----
/** A wish on a desk's list: with its claim window (open) or fulfilment deadline (claimed). */
export interface DeskWishSummary extends WishSummary, WishTimers {}
export interface DeskListQuery {
  desk: Desk;
  /** handled only: one state. */
  state?: WishState;
  cursor?: string;
  limit?: number;
}
/** One desk the actor holds, with the counts its home tile shows. */
export interface DeskCounts {
  desk: Desk;
  /** Open wishes waiting at the desk's tier. */
  waiting: number;
  /** Wishes the desk's organisation holds now (claimed, awaiting confirmation). */
  active: number;
  /** The street: open wishes on the red list (督办); null for other desks. */
  supervised: number | null;
}
/** The community's office phone (联系社区), as its committee set it. */
export interface OfficePhoneView {
  communityId: number;
  communityName: string;
  officePhone: string | null;
}
export interface SetOfficePhoneRequest {
  /** A mobile number or a landline with area code (PHONE_PATTERN); null clears it. */
  officePhone: string | null;
}
export interface MyWishesQuery {
  state?: WishState;
  cursor?: string;
  limit?: number;
}
export interface ReasonRequest {
  reason: string;
}
/**
 * What closes a wish (DOMAIN.md "Closure"): a code from CLOSURE_CODES and free text.
 * `duplicate` names the wish it duplicates (duplicateOf), `redirected` the channel it went to.
 */
export interface ClosureRequest {
  /** Required of staff; a submitter's own cancellation is `withdrawn`. */
  code?: ClosureCode;
  reason?: string;
  /** With `duplicate`: the wish (same community, not itself cancelled or rejected) this one duplicates. */
  duplicateOf?: number;
  /** With `redirected`: where it went, e.g. 12345. */
  channel?: string;
}
/** A rejection at review: the code is required (CLOSURE_CODE_REQUIRED), and so is the reason. */
export interface RejectWishRequest extends ClosureRequest {
  reason: string;
}
export type CancelWishRequest = ClosureRequest;
export interface CompleteWishRequest {
  note: string;
  photoIds?: string[];
  /** What the wish cost the community's service fund, in fen (0–10,000,000); recorded as a fund spend. */
  costFen?: number;
}
export interface ConfirmWishRequest {
  rating: Rating;
  comment?: string;
  /** Required when the wish was filed for someone else: how that person gave this confirmation and rating. */
  consentMethod?: ConsentMethod;
}

// ---- health ----
export interface HealthResponse {
  status: 'ok' | 'degraded';
  database: { driver: 'sqlite' | 'mysql' | 'mariadb'; ok: boolean; latencyMs: number | null };
  version: string;
}

// ---- notifications (inbox and WeChat subscribe messages) ----
/**
 * Kinds of notice about a wish: the one list the server's outbox, its config (WECHAT_TEMPLATE_<KIND>),
 * its DTOs and the mini-program use. Who receives each, and which spend a subscribe credit, is the
 * table in server/src/modules/outbox/notice-kinds.ts.
 */
export const NOTICE_KINDS = [
  'escalated',
  'claimed',
  'completed',
  'overdue',
  'supervised',
  'approved',
  'rejected',
  'cancelled',
  'transferred',
  'disputed',
  'returned',
  'waiting',
  'backlog',
  'urged',
  'digest',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/**
 * What an inbox line can be: a notice of a wish (NOTICE_KINDS), or, in-app only with no template,
 * the desk's reply to a report or complaint (report_reply) or a photo that did not pass WeChat's
 * media check (photo_rejected).
 */
export const INBOX_KINDS = [...NOTICE_KINDS, 'report_reply', 'photo_rejected'] as const;
export type InboxKind = (typeof INBOX_KINDS)[number];
/** What each kind of inbox line is called (the data export's column, the inbox's tag). */
export const INBOX_KIND_LABELS: Record<InboxKind, string> = {
  escalated: '待认领提醒',
  claimed: '心愿已被认领',
  completed: '心愿已办理完成',
  overdue: '办理超时提醒',
  supervised: '督办提醒',
  approved: '心愿已通过审核',
  rejected: '心愿未通过审核',
  cancelled: '心愿已撤销',
  transferred: '心愿已转交',
  disputed: '居民有异议',
  returned: '认领已收回',
  waiting: '重新待认领提醒',
  backlog: '审核积压提醒',
  urged: '居民催办',
  digest: '每日待办汇总',
  report_reply: '投诉举报答复',
  photo_rejected: '照片未通过内容安全检测',
};
export interface MessageView {
  id: number;
  kind: InboxKind;
  title: string;
  body: string;
  /** The wish the message is about (opens pages/wish/detail/index?id=..., see noticePage in pages.ts). */
  wishId: number | null;
  /** The report or complaint a reply answers (open subpackages/me/pages/reports/index). */
  reportId: number | null;
  read: boolean;
  readAt: IsoTime | null;
  createdAt: IsoTime;
}
export interface MessagesQuery {
  cursor?: string;
  limit?: number;
  /** Only unread messages. */
  unread?: boolean;
}
export interface UnreadCountView {
  unread: number;
}
export interface ReadAllResponse {
  /** Messages marked read by this call. */
  marked: number;
}
/** What wx.requestSubscribeMessage answered for each template id. */
export const SUBSCRIBE_RESULTS = ['accept', 'reject', 'ban', 'filter'] as const;
export type SubscribeResult = (typeof SUBSCRIBE_RESULTS)[number];
export interface SubscribeReportRequest {
  /** Template id → result; an "errMsg" entry (as wx returns it) is ignored. */
  results: Record<string, SubscribeResult>;
}
export interface SubscriptionCreditView {
  kind: NoticeKind;
  templateId: string;
  /** Subscribe messages the server may still send with this template. */
  credits: number;
}
export interface SubscriptionsView {
  /** One entry per kind that has a template configured; request these ids with wx.requestSubscribeMessage. */
  items: SubscriptionCreditView[];
}

// ---- ledger (台账) and the three rates ----
export interface LedgerWishQuery {
  communityId?: number;
  streetId?: number;
  districtId?: number;
  state?: WishState;
  /** The tier the wish has reached (its current tier; tiers only go up). */
  tierReached?: Tier;
  /** Resolved wishes whose (last) claim was made at this tier. */
  tierResolved?: Tier;
  category?: WishCategoryCode;
  /** Submission date range, Beijing days YYYY-MM-DD, both inclusive. */
  from?: string;
  to?: string;
  claimantId?: number;
  overdue?: boolean;
  supervised?: boolean;
  /**
   * Search (检索): a wish number (XY20261130000042), the beneficiary's phone (7 digits or more;
   * matched on its keyed hash, never read), or else a part of the title.
   */
  q?: string;
  cursor?: string;
  limit?: number;
}
/** A ledger page; the first page (no cursor) carries the count of every matching line. */
export interface LedgerPage extends Page<LedgerWishItem> {
  /** Lines matching the filters in the reader's scope; null on pages after the first, or when counting them took too long (MariaDB: over 250 ms). */
  total: number | null;
}
export type LedgerExportQuery = Omit<LedgerWishQuery, 'cursor' | 'limit'>;
export interface LedgerPersonRef {
  id: number;
  name: string;
}
/** One ledger line. Carries no beneficiary personal information; the claimant's name is masked outside the community's staff. */
export interface LedgerWishItem {
  id: number;
  no: string;
  title: string;
  category: WishCategoryCode;
  state: WishState;
  urgent: boolean;
  communityId: number;
  communityName: string;
  tierReached: Tier;
  /** Tier of the current or resolving claim; null while unclaimed. */
  claimTier: Tier | null;
  claimant: LedgerPersonRef | null;
  rating: Rating | null;
  /** Resolved by 7 days' silence (no rating). */
  autoConfirmed: boolean;
  submittedAt: IsoTime;
  publishedAt: IsoTime | null;
  firstClaimedAt: IsoTime | null;
  claimedAt: IsoTime | null;
  completedAt: IsoTime | null;
  resolvedAt: IsoTime | null;
  supervisedAt: IsoTime | null;
  dueAt: IsoTime | null;
  overdue: boolean;
  /** Days from submission to resolution, one decimal; null while unresolved. */
  daysTaken: number | null;
  /** What the wish spent from the community fund (recorded and approved spends), fen; null when nothing. */
  costFen: number | null;
  /** Cancelled as a duplicate of this wish. */
  duplicateOfId: number | null;
  /** Why it was closed (rejected or cancelled); null while it stands, and for closures from before the codes. */
  closureCode: ClosureCode | null;
  /** Rated on the resident's behalf (the consent method given then); null for the resident's own rating or none. */
  ratingConsent: ConsentMethod | null;
  /** 催办: how many times the submitter urged it, and the last time (null: never). */
  urgeCount: number;
  lastUrgedAt: IsoTime | null;
}
export interface LedgerWishDetail extends LedgerWishItem {
  timeline: WishEventView[];
}
export const LEDGER_SCOPES = ['community', 'street', 'district', 'city'] as const;
export type LedgerScopeKind = (typeof LEDGER_SCOPES)[number];
export interface LedgerRatesQuery {
  scope: LedgerScopeKind;
  /** The community, street, district or city; may be left out for the city. */
  orgId?: number;
  /** Period on published_at, Beijing days YYYY-MM-DD, both inclusive. */
  from: string;
  to: string;
}
export interface RateView {
  /** numerator ÷ denominator, 4 decimals; null when the denominator is 0. */
  rate: number | null;
  numerator: number;
  denominator: number;
}
export interface DurationStats {
  count: number;
  medianHours: number | null;
  p90Hours: number | null;
}
export interface TierShare {
  tier: Tier;
  resolved: number;
  share: number | null;
}
/**
 * Every category counted beside the three rates (DOMAIN.md "The three rates"; labels in
 * BREAKDOWN_LABELS, rules in RATE_RULES). Within each rate the categories do not overlap and
 * together cover every wish published in the period.
 */
export interface RatesBreakdown {
  /** Response: responded + respondedLate = the denominator (decided). */
  responded: number;
  respondedLate: number;
  excludedWithdrawn: number;
  excludedDuplicate: number;
  /** Unclaimed, tier-4 claim window not ended (undecided). */
  undecidedClaim: number;
  /** Resolution: resolved + the three failed = the denominator. */
  resolved: number;
  failedMissed: number;
  failedUnclaimed: number;
  failedCancelled: number;
  resolutionExcluded: number;
  undecidedOpen: number;
  undecidedHandling: number;
  /** Satisfaction: ratedByResident + ratedOnBehalf = the denominator. */
  satisfied: number;
  ratedByResident: number;
  ratedOnBehalf: number;
  satisfiedOnBehalf: number;
  /** Ratings recorded on someone's behalf, by the consent method given at that confirmation. */
  onBehalfByConsent: Record<ConsentMethod, number>;
  silent: number;
}
/** Closures by code (uncoded: closed before the codes existed). */
export type ClosureCounts = Record<ClosureCode | 'uncoded', number>;
export interface RatesSummary {
  published: number;
  response: RateView;
  resolution: RateView;
  satisfaction: RateView;
  breakdown: RatesBreakdown;
  /** Published wishes cancelled, by closure code. */
  closures: ClosureCounts;
  /** Resolved by silence, unrated: reported apart from the satisfaction rate. */
  silentConfirmations: number;
  /** Published, unclaimed, tier-4 window not ended yet. */
  awaitingClaim: number;
  /** Claimed or awaiting confirmation, no window missed yet (out of the resolution denominator until decided). */
  withinFulfilmentWindow: number;
  tierShares: TierShare[];
  timeToClaim: DurationStats;
  timeToResolve: DurationStats;
  overdue: number;
  supervised: number;
}
/** What every report on a period of the ledger starts with: whose figures, for which days, computed when. */
export interface LedgerPeriodHeader {
  scope: LedgerScopeKind;
  orgId: number;
  orgName: string;
  from: string;
  to: string;
  asOf: IsoTime;
}
export interface LedgerRatesReport extends RatesSummary, LedgerPeriodHeader {
  byClass: (RatesSummary & { communityClass: CommunityClass })[];
  /** Wishes closed without ever being published (rejected at review, cancelled before it), by code, counted by the day they were closed. */
  closuresBeforePublication: ClosureCounts;
}
/** The rates with their rules and every category's count (GET /ledger/rates/explained): what a committee signs under. */
export interface LedgerRatesExplained extends LedgerPeriodHeader {
  published: number;
  rates: (ExplainedRate & { value: RateView })[];
  /** Closures by code: of wishes published in the period, and of never-published ones closed in it. */
  closures: { code: ClosureCode | 'uncoded'; label: string; published: number; beforePublication: number }[];
  tierShares: TierShare[];
}
export interface LedgerDashboardQuery {
  scope: LedgerScopeKind;
  orgId?: number;
  /** Beijing calendar year; the current one when left out. */
  year?: number;
}
/** One month of the dashboard's rates-over-time chart (wishes published that month). */
export interface MonthlyRates {
  /** YYYY-MM */
  month: string;
  published: number;
  response: RateView;
  resolution: RateView;
  satisfaction: RateView;
}
export interface LedgerDashboard {
  scope: LedgerScopeKind;
  orgId: number;
  orgName: string;
  year: number;
  asOf: IsoTime;
  /** The year's figures (wishes published in the year). */
  rates: RatesSummary;
  byClass: (RatesSummary & { communityClass: CommunityClass })[];
  monthly: MonthlyRates[];
  /** Wishes submitted in the year, by current state. */
  byState: { state: WishState; count: number }[];
  /** Wishes submitted in the year by the tier they reached, and resolved ones by the tier that resolved them. */
  byTier: { tier: Tier; reached: number; resolved: number }[];
  /** The fund of every community in the scope, summed, for the year; null when the reader may not read its funds. */
  funds: { budgetFen: number; spentFen: number; pendingFen: number; remainingFen: number; communities: number } | null;
  /** Yesterday's (the last whole Beijing day's) digest of the scope's events: the 台账校验码 a printed ledger carries. */
  dayDigest: LedgerDayDigest;
}
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** Asks for a short-lived download link (a browser or WeChat's downloadFile cannot send the bearer token). */
export interface LedgerExportLinkRequest extends LedgerExportQuery {
  format: ExportFormat;
}
export interface LedgerExportLink {
  /** Path under the API origin, e.g. /api/ledger/download?token=<token>; needs no Authorization header. */
  url: string;
  fileName: string;
  expiresAt: IsoTime;
}
export interface DeactivateMemberRequest {
  reason: string;
}
export interface LedgerRankingEntry {
  rank: number;
  userId: number;
  name: string;
  resolved: number;
}
/** One wish a member fulfilled (resolved as the claimant) in the month of a service record. */
export interface MemberRecordItem {
  wishId: number;
  no: string;
  title: string;
  communityName: string;
  claimedAt: IsoTime | null;
  completedAt: IsoTime | null;
  resolvedAt: IsoTime;
  /** The resident's rating; null when confirmed by silence. */
  rating: Rating | null;
}
/**
 * A member's service record for one Beijing month (双报到 closure: sent to the member's own work
 * unit). Read by the member and by the committee of a community where the member is registered
 * (only that community's wishes). Service hours are not recorded at completion, so none are given.
 */
export interface MemberRecord {
  userId: number;
  name: string;
  month: string;
  /** The work unit of the member's registration at the reader's community (or the member's own, latest). */
  workUnit: string | null;
  fulfilled: number;
  /** Ratings given (silent confirmations have none). */
  rated: number;
  satisfied: number;
  items: MemberRecordItem[];
}
export interface MemberRecordQuery {
  /** A Beijing month, YYYY-MM. */
  month: string;
}

export interface LedgerRanking {
  scope: LedgerScopeKind;
  orgId: number;
  from: string;
  to: string;
  items: LedgerRankingEntry[];
}

// ---- who read personal information (PIPL Arts. 44, 51, 54) ----
export const ACCESS_PURPOSES = ['wish', 'registration', 'export', 'my_data'] as const;
/** wish: a wish's contact details read in full; registration: a member registration's name and phone; export: a ledger file; my_data: a person's own download. */
export type AccessPurpose = (typeof ACCESS_PURPOSES)[number];
/** One read, as the person whose data it was sees it: by role and organisation, never by the reader's name. */
export interface AccessLogEntryView {
  id: number;
  at: IsoTime;
  purpose: AccessPurpose;
  /** Which parts were read: name, phone, address, description, real_name. */
  fields: string[];
  role: Role | null;
  orgName: string | null;
  wishId: number | null;
  wishNo: string | null;
}
/** One read, as a city or district department searches the log. */
export interface AccessLogRecordView extends AccessLogEntryView {
  actorId: number | null;
  actorName: string | null;
  subjectUserId: number | null;
  registrationId: number | null;
  requestId: string | null;
  /** Exports: the filter given, and the rows written. */
  filter: Record<string, unknown> | null;
  rowCount: number | null;
}
export interface AccessLogQuery {
  actorId?: number;
  subjectUserId?: number;
  wishId?: number;
  purpose?: AccessPurpose;
  /** Beijing days, inclusive. */
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

// ---- service fund (服务群众专项经费) ----
/**
 * pending_community: reported by the claimant, waits for the community committee.
 * pending_street: approved by the committee but above the remaining budget, waits for the street.
 * approved: counts as spent. refused: by the committee or the street.
 * recorded: counted as spent without approval (spends recorded before approvals were required).
 */
export const FUND_SPEND_STATUSES = ['pending_community', 'pending_street', 'approved', 'refused', 'recorded'] as const;
export type FundSpendStatus = (typeof FUND_SPEND_STATUSES)[number];
/** The largest cost one completion may record, in fen (¥100,000). */
export const FUND_SPEND_MAX_FEN = 10_000_000;
/** The largest yearly budget a city admin may set, in fen (¥10,000,000). */
export const FUND_BUDGET_MAX_FEN = 1_000_000_000;
export interface FundsQuery {
  communityId?: number;
  /** Beijing calendar year; the current one when left out. */
  year?: number;
}
export interface FundView {
  communityId: number;
  communityName: string;
  communityClass: CommunityClass;
  year: number;
  budgetFen: number;
  /** class_default: no budget was set for the year, the class's yearly fund applies. */
  budgetSource: 'class_default' | 'set';
  /** Recorded and approved spends. */
  spentFen: number;
  /** Spends waiting for approval (the committee's or the street's). */
  pendingFen: number;
  /** budget − spent (negative when approved spends overdraw it). */
  remainingFen: number;
  updatedBy: number | null;
  updatedAt: IsoTime | null;
}
export interface SetFundBudgetRequest {
  budgetFen: number;
}
export interface FundSpendsQuery {
  communityId?: number;
  /** All years when left out. */
  year?: number;
  status?: FundSpendStatus;
}
export interface FundSpendView {
  id: number;
  wishId: number;
  wishTitle: string;
  communityId: number;
  year: number;
  amountFen: number;
  status: FundSpendStatus;
  createdBy: number;
  createdAt: IsoTime;
  /** The committee's approval that sent it on to the street (pending_street, or approved by the street). */
  reviewedBy: number | null;
  reviewedAt: IsoTime | null;
  decidedBy: number | null;
  decidedAt: IsoTime | null;
  /** Why it was refused. */
  reason: string | null;
  /** What this reader may do with it now. */
  actions: ('approve' | 'refuse')[];
}
export interface RefuseFundSpendRequest {
  reason: string;
}

// ---- the ledger's hash chain (GET /ledger/verify; README "A ledger that shows tampering") ----

/** The day's digest (台账校验码) of an organisation: sha256 over the hashes of that Beijing day's events of its wishes, in id order. */
export interface LedgerDayDigest {
  scope: LedgerScopeKind;
  orgId: number;
  /** Beijing day YYYY-MM-DD. */
  day: string;
  /** Events of the day covered. */
  events: number;
  /** The last of them (printed as 截至事件 #N: a digest is recomputed over events up to it, so events written later do not change it). */
  lastEventId: number | null;
  digest: string;
  /** Whether the chains of the wishes with events that day verify. */
  chainsOk: boolean;
}
export type ChainBreakKind = 'edited' | 'missing' | 'inserted';
/** The first broken link of a chain. */
export interface ChainBreakView {
  wishId: number;
  /** null: at the head kept on the wish row (the last events are missing, or events follow the head). */
  eventId: number | null;
  seq: number | null;
  kind: ChainBreakKind;
  expected: string;
  found: string;
  detail: string;
}
export interface LedgerVerifyQuery {
  scope: LedgerScopeKind;
  orgId?: number;
  /** Only the chains of wishes with events that Beijing day, and that day's digest. */
  day?: string;
  /** A printed digest to compare with the day's (needs day). */
  digest?: string;
  /** The printed 截至事件 #N: the day's digest over events up to this id. */
  upTo?: number;
}
export interface LedgerVerifyReport {
  scope: LedgerScopeKind;
  orgId: number;
  ok: boolean;
  wishes: number;
  events: number;
  /** Events whose free text was erased under PIPL (account deletion): valid, counted apart. */
  erased: number;
  /** Wishes whose chain has at least one broken link. */
  brokenWishes: number;
  firstBreak: ChainBreakView | null;
  day: LedgerDayDigest | null;
  /** With a printed digest: whether it is the day's; null without one. */
  digestMatches: boolean | null;
  tookMs: number;
}

// ---- the working calendar: the State Council's yearly notice, next year's status ----
/** A day of a notice: a holiday (放假) or a make-up working day (调休上班), with the holiday it belongs to. */
export interface NoticeDay {
  day: string;
  kind: CalendarDayKind;
  /** 元旦, 春节, 国庆节、中秋节 ... as the notice names it. */
  holiday: string;
}
/** POST /dispatch/calendar/notice/parse: the notice's text as pasted (and, optionally, the year it is for). */
export interface ParseNoticeRequest {
  text: string;
  year?: number;
}
/** What was understood of a notice; nothing is saved. */
export interface NoticeParseResult {
  year: number;
  days: NoticeDay[];
  /** Sentences with dates that could not be understood, as pasted. */
  unparsed: string[];
  /** Contradictions with the law, weekdays that do not match their dates, day counts that do not add up ... */
  warnings: string[];
}
/** POST /dispatch/calendar/notice: the reviewed days, saved as city admins' entries. */
export interface SaveNoticeRequest {
  year: number;
  days: NoticeDay[];
}
export interface SaveNoticeResult {
  year: number;
  saved: number;
  warnings: string[];
  /** The year's calendar after saving (as GET /dispatch/calendar?year=). */
  calendar: CalendarDayView[];
}
/**
 * GET /dispatch/calendar/status: whether next year's arrangement (调休) is known.
 * From 1 November (Beijing date) `warning` is set while next year has neither
 * package data nor any city admin's entry.
 */
export interface CalendarStatus {
  /** Beijing date today. */
  today: string;
  nextYear: number;
  /** Where next year's arrangement comes from: the package, city admins' entries, or nothing yet (the law's holidays only). */
  nextYearArrangement: 'package' | 'admin' | null;
  /** The years the calendar package has. */
  packageYears: { min: number; max: number };
  /** Set from 1 November while next year has no arrangement. */
  warning: string | null;
}
