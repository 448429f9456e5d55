// The resident's rights under PIPL (Arts. 45, 47): download one's data, delete one's
// account, and (for members) withdraw a registration. Also the token endpoints.
import type { AccessLogEntryView, IsoTime, MemberRegistrationView, MessageView, RoleGrantView, SubscriptionCreditView, WishDetail } from './api';
import type { ReportView } from './reports';

/** GET /api/me/data (JSON) and GET /api/me/data.xlsx: everything the service keeps about the caller. */
export interface MyDataExport {
  generatedAt: IsoTime;
  profile: {
    id: number;
    nickname: string | null;
    /** In full: it is the caller's own. */
    phone: string | null;
    createdAt: IsoTime;
    roles: RoleGrantView[];
  };
  /** Every consent to the privacy notice, oldest first. */
  consents: { noticeVersion: string; consentedAt: IsoTime }[];
  /** Wishes the caller submitted, with full contact, description, photos, timeline and rating. */
  wishes: WishDetail[];
  /** Member registrations (双报到) the caller made, in full. */
  registrations: MemberRegistrationView[];
  messages: MessageView[];
  /** Reports (举报) and complaints (投诉) the caller filed, with the replies (as GET /api/me/reports shows them). */
  reports: ReportView[];
  subscriptions: SubscriptionCreditView[];
  /** Who read the caller's personal information (as GET /api/me/access-log shows it). */
  accessLog: AccessLogEntryView[];
}

/**
 * What stands where personal information was erased (account deletion, the retention job, a
 * withdrawn registration). A wish whose contact was erased has `contactErased: true`; its
 * beneficiary reads { name: ERASED_NAME_DELETED_ACCOUNT or ERASED_NAME, phone: '', address:
 * '<compound> ' + ERASED_ADDRESS }. People named in timelines and ledgers read DELETED_USER_NAME.
 */
export const DELETED_USER_NAME = '已注销用户';
/** The beneficiary of a wish whose submitter deleted their account (the wish was for themselves). */
export const ERASED_NAME_DELETED_ACCOUNT = DELETED_USER_NAME;
/** Any other erased name (a wish filed for someone else, the retention job, a withdrawn registration). */
export const ERASED_NAME = '已删除';
/** What an erased address shows after the compound (which is the organisation's, not the person's). */
export const ERASED_ADDRESS = '详细地址已删除';
/** An erased description (and free text the person typed: rating comments, reasons). */
export const ERASED_TEXT = '（内容已删除）';
/** The reason written on the events of an account deletion: the withdrawal of unclaimed wishes, the release of held claims. */
export const ACCOUNT_DELETION_REASON = '居民注销账号';
/** The reason written on the release of claims a member held when withdrawing their registration. */
export const REGISTRATION_WITHDRAWAL_REASON = '党员撤回报到';

/** DELETE /api/me. The client asks the person to confirm first; the body says they did. */
export interface DeleteAccountRequest {
  confirm: true;
}

/** What the deletion did, for the confirmation screen. */
export interface DeleteAccountResult {
  deletedAt: IsoTime;
  /** Wishes nobody had claimed yet: withdrawn (cancelled by the resident; in no rate). */
  withdrawnWishes: number;
  /** Wishes being handled (claimed, awaiting confirmation): they go on without the resident's contact details. */
  continuingWishes: number;
  /** Wishes whose contact details and description were erased (all of the caller's). */
  erasedWishes: number;
  erasedPhotos: number;
  erasedMessages: number;
  /** Reports and complaints whose text the person wrote was erased (the reports and replies stay, without it). */
  erasedReports: number;
  withdrawnRegistrations: number;
  /** Wishes the person held as claimant (a member, or staff claiming for their organisation): back in their tier's pool. */
  releasedClaims: number;
}

/** POST /api/auth/refresh answers a LoginResponse; POST /api/auth/logout answers 204 and revokes every token of the user. */
export const TOKEN_RENEW_BEFORE_SECONDS = 30 * 60;

/**
 * GET /api/privacy/notice (public): what the privacy notice must name that only the deployment
 * knows (PIPL Art. 17): who handles the information and how to reach them, and how long it is kept.
 */
export interface PrivacyNoticeView {
  /** The notice version consent is recorded against (PRIVACY_NOTICE_VERSION). */
  version: string;
  /** The personal-information handler (OPERATOR_NAME, OPERATOR_CONTACT); null where the deployment has not set them. */
  operator: { name: string | null; contact: string | null };
  retention: {
    /** Contact details and sensitive descriptions of a closed wish are erased this many days after it closed (RETENTION_DAYS). */
    closedWishDays: number;
    /** Name, phone and work unit of an ended member registration, the same number of days after it ended. */
    endedRegistrationDays: number;
    /** Photos never attached to a wish are deleted after this many hours (UPLOAD_ORPHAN_HOURS). */
    unattachedUploadHours: number;
  };
}
