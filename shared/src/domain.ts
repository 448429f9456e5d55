// Domain vocabulary shared by the server and the mini-program. See DOMAIN.md.

export const ROLES = [
  'resident',
  'member',
  'grid_worker',
  'community_admin',
  'branch_secretary',
  'unit_admin',
  'street_handler',
  'city_admin',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  resident: '居民',
  member: '在职党员',
  grid_worker: '网格员',
  community_admin: '社区党委',
  branch_secretary: '小区党支部书记',
  unit_admin: '联点单位',
  street_handler: '街道马上办',
  city_admin: '市委组织部',
};

/** The community's staff: its Party committee and its grid workers (review, filing on behalf). What each may do is in access.ts. */
export const COMMUNITY_STAFF_ROLES = ['community_admin', 'grid_worker'] as const satisfies readonly Role[];

export const ORG_KINDS = ['city', 'district', 'street', 'community', 'compound', 'unit'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const TIERS = [1, 2, 3, 4] as const;
export type Tier = (typeof TIERS)[number];
export const TIER_CODES = { 1: 'member', 2: 'grassroots', 3: 'linked_unit', 4: 'immediate' } as const satisfies Record<Tier, string>;
export type TierCode = (typeof TIER_CODES)[Tier];
export const TIER_LABELS: Record<Tier, string> = {
  1: '在职党员尽力办',
  2: '基层组织有效办',
  3: '联点单位精准办',
  4: '有诉必应马上办',
};
/** Which roles may claim a wish waiting at each tier (scope is checked by the server). */
/** Who handles a wish at each tier, worded for the resident ("已转交社区党组织办理", issue 15). */
export const TIER_HANDLERS: Record<Tier, string> = { 1: '在职党员', 2: '社区党组织', 3: '联点单位', 4: "街道'马上办'" };
export const CLAIMERS_BY_TIER: Record<Tier, readonly Role[]> = {
  1: ['member'],
  2: ['community_admin', 'branch_secretary'],
  3: ['unit_admin'],
  4: ['street_handler'],
};

export const COMMUNITY_CLASSES = ['A', 'B', 'C', 'D'] as const;
export type CommunityClass = (typeof COMMUNITY_CLASSES)[number];
export const COMMUNITY_CLASS_LABELS: Record<CommunityClass, string> = {
  A: '新建商品房小区',
  B: '老城区老旧小区',
  C: '城郊结合部',
  D: '农村社区',
};
/** Yearly service fund (服务群众专项经费) per class, in fen (1 yuan = 100 fen). */
export const DEFAULT_YEARLY_FUND_FEN: Record<CommunityClass, number> = {
  A: 150_000_00,
  B: 300_000_00,
  C: 150_000_00,
  D: 100_000_00,
};

export const RATINGS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
export type Rating = (typeof RATINGS)[number];
export const RATING_LABELS: Record<Rating, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
};
/** Ratings that count towards the satisfaction rate (满意率). */
export const SATISFIED_RATINGS: readonly Rating[] = ['satisfied', 'basically_satisfied'];

export interface WishCategory {
  code: string;
  label: string;
  /** Sensitive categories (health and the like) never appear on the public wall. */
  sensitive: boolean;
}
export const WISH_CATEGORIES = [
  { code: 'daily_help', label: '生活帮扶', sensitive: false },
  { code: 'repair', label: '维修改造', sensitive: false },
  { code: 'elderly_care', label: '助老服务', sensitive: false },
  { code: 'study', label: '学业辅导', sensitive: false },
  { code: 'transport', label: '出行陪护', sensitive: false },
  { code: 'environment', label: '环境整治', sensitive: false },
  { code: 'health', label: '医疗健康', sensitive: true },
  { code: 'hardship', label: '困难救助', sensitive: true },
  { code: 'other', label: '其他', sensitive: false },
] as const satisfies readonly WishCategory[];
export type WishCategoryCode = (typeof WISH_CATEGORIES)[number]['code'];
export const WISH_CATEGORY_CODES = WISH_CATEGORIES.map((c) => c.code) as WishCategoryCode[];
export const SENSITIVE_CATEGORY_CODES = WISH_CATEGORIES.filter((c) => c.sensitive).map((c) => c.code) as WishCategoryCode[];
export function isSensitiveCategory(code: string): boolean {
  return (SENSITIVE_CATEGORY_CODES as string[]).includes(code);
}
/**
 * Whether a wish holds sensitive personal information (PIPL Art. 28): a sensitive category
 * (health, hardship), or a beneficiary who is a child under fourteen, all of whose personal
 * information is sensitive. Such a wish needs separate consent (a guardian's for a child, Art. 31),
 * never reaches the wall, and its description is read only by the submitter, the community's
 * staff and the active claimant (DOMAIN.md "Who sees and does what").
 */
export function isSensitiveWish(w: { category: string; beneficiaryMinor?: boolean }): boolean {
  return isSensitiveCategory(w.category) || w.beneficiaryMinor === true;
}

/** How a person without a phone consented when a grid worker submits for them. */
export const CONSENT_METHODS = ['verbal', 'written', 'guardian'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];
export const CONSENT_METHOD_LABELS: Record<ConsentMethod, string> = {
  verbal: '口头同意',
  written: '书面签字',
  guardian: '监护人代为同意',
};

/** The privacy notice version the mini-program shows; consent is recorded against it. */
export const PRIVACY_NOTICE_VERSION = '2026-12-01';

export const LIMITS = {
  titleMax: 40,
  descriptionMax: 500,
  reasonMax: 200,
  /** A redirection's channel (12345热线...). */
  channelMax: 50,
  commentMax: 300,
  proofNoteMax: 500,
  photosPerWish: 6,
  /**
   * Photos a completion must carry. 0: optional. The proof is the claimant's note (required);
   * photos add to it where they fit, but a health or child wish, or help given by talking, has
   * nothing decent to photograph. The completion form's label and check and the server read this.
   */
  proofPhotosMin: 0,
  addressMax: 100,
  nameMax: 20,
} as const;

/**
 * Photos on the way up. The server refuses a file above its cap (UPLOAD_MAX_BYTES, default
 * below) with PHOTO_TOO_LARGE and stores at most `maxSide` pixels on the long side; the
 * mini-program compresses a picked photo to that side and under `targetBytes` before sending,
 * so an ordinary 6–7 MB phone photo goes through.
 */
export const PHOTO_UPLOAD = {
  maxBytes: 5 * 1024 * 1024,
  maxSide: 2048,
  targetBytes: 2 * 1024 * 1024,
} as const;

/** WeChat msgSecCheck labels as reviewers read them. */
export const CONTENT_LABELS: Readonly<Record<number, string>> = {
  100: '正常',
  10001: '广告',
  20001: '时政',
  20002: '色情',
  20003: '辱骂',
  20006: '违法犯罪',
  20008: '欺诈',
  20012: '低俗',
  20013: '版权',
  21000: '其他',
};

/** A phone number the server accepts (a beneficiary's, a community office's): a mobile number, or a landline with its area code. */
export const PHONE_PATTERN = /^(1\d{10}|0\d{2,3}-?\d{7,8})$/;
