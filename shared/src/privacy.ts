// The resident's rights under PIPL (Arts. 45, 47): download one's data, delete one's
// account, and (for members) withdraw a registration. Also the token endpoints.
import type { AccessLogEntryView, IsoTime, MemberRegistrationView, MessageView, RoleGrantView, SubscriptionCreditView, WishDetail } from './api';

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
  subscriptions: SubscriptionCreditView[];
  /** Who read the caller's personal information (as GET /api/me/access-log shows it). */
  accessLog: AccessLogEntryView[];
}

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
  withdrawnRegistrations: number;
}

/** POST /api/auth/refresh answers a LoginResponse; POST /api/auth/logout answers 204 and revokes every token of the user. */
export const TOKEN_RENEW_BEFORE_SECONDS = 30 * 60;
