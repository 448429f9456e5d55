// Request and response shapes of the HTTP API. Server DTO classes implement
// these, so a change here that the server does not follow fails to compile.
import type { CommunityClass, ConsentMethod, OrgKind, Rating, Role, Tier, WishCategoryCode } from './domain';
import type { WishAction, WishState } from './wish-machine';

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
export interface DevLoginRequest {
  openid: string;
}
export interface RoleGrantView {
  role: Role;
  orgId: number;
  orgName: string;
  orgKind: OrgKind;
}
export interface MeResponse {
  id: number;
  nickname: string | null;
  roles: RoleGrantView[];
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
export const REGISTRATION_STATUSES = ['pending', 'verified', 'refused', 'revoked'] as const;
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
}

// ---- wishes ----
export interface SubmitWishRequest {
  communityId: number;
  compoundId?: number;
  category: WishCategoryCode;
  title: string;
  description: string;
  beneficiaryName: string;
  beneficiaryPhone: string;
  /** Building and room inside the compound, e.g. "3号楼2单元501". */
  address: string;
  photoIds?: string[];
  /** Grid workers submitting for a person without a phone: how that person consented. */
  consentMethod?: ConsentMethod;
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
  onBehalf: boolean;
  photoCount: number;
  createdAt: IsoTime;
  publishedAt: IsoTime | null;
}
export interface WishEventView {
  id: number;
  type: WishAction;
  fromState: WishState | null;
  toState: WishState;
  fromTier: Tier | null;
  toTier: Tier | null;
  actorName: string | null;
  actorRole: Role | 'system' | null;
  reason: string | null;
  at: IsoTime;
}
export interface WishDetail extends WishSummary {
  description: string;
  consentMethod: ConsentMethod | null;
  photos: PhotoView[];
  claimant: { id: number; name: string } | null;
  claimedAt: IsoTime | null;
  proof: { note: string; photos: PhotoView[]; completedAt: IsoTime } | null;
  rating: Rating | null;
  ratingComment: string | null;
  resolvedAt: IsoTime | null;
  timeline: WishEventView[];
  /** Moves this reader may make now (from the shared transitions table). */
  actions: WishAction[];
}
export interface WallQuery {
  communityId?: number;
  category?: WishCategoryCode;
  cursor?: string;
  limit?: number;
}
export interface MyWishesQuery {
  state?: WishState;
  cursor?: string;
  limit?: number;
}
export interface ReasonRequest {
  reason: string;
}
export interface CancelWishRequest {
  reason?: string;
}
export interface CompleteWishRequest {
  note: string;
  photoIds?: string[];
}
export interface ConfirmWishRequest {
  rating: Rating;
  comment?: string;
}

// ---- health ----
export interface HealthResponse {
  status: 'ok' | 'degraded';
  database: { driver: 'sqlite' | 'mysql' | 'mariadb'; ok: boolean; latencyMs: number | null };
  version: string;
}
