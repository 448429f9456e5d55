import type { ErrorCode } from '@xinyuan/shared';
import { ERROR_MESSAGES_ZH } from '@xinyuan/shared';

/** HTTP status for every stable error code; the global filter reads it. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_REVOKED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  QUOTA_EXCEEDED: 429,
  INTERNAL: 500,
  PII_UNAVAILABLE: 503,
  ACCESS_LOG_UNAVAILABLE: 503,
  DEV_LOGIN_DISABLED: 404,
  WECHAT_CODE_INVALID: 400,
  WECHAT_RATE_LIMITED: 429,
  WECHAT_USER_BLOCKED: 403,
  WECHAT_UNAVAILABLE: 503,
  CONSENT_REQUIRED: 403,
  CONSENT_VERSION_MISMATCH: 409,
  ORG_NOT_FOUND: 404,
  REGISTRATION_EXISTS: 409,
  REGISTRATION_NOT_FOUND: 404,
  MEMBER_NOT_FOUND: 404,
  REGISTRATION_NOT_PENDING: 409,
  REGISTRATION_NOT_VERIFIED: 409,
  REGISTRATION_CLOSED: 409,
  ACCOUNT_DELETED: 401,
  WISH_NOT_FOUND: 404,
  WISH_NOT_IN_SCOPE: 403,
  TRANSITION_NOT_ALLOWED: 409,
  WISH_ALREADY_CLAIMED: 409,
  WISH_STATE_CHANGED: 409,
  CLAIM_LIMIT_REACHED: 409,
  MEMBER_NOT_VERIFIED: 403,
  REASON_REQUIRED: 400,
  COMPOUND_NOT_IN_COMMUNITY: 400,
  DUPLICATE_TARGET_INVALID: 400,
  CLOSURE_CODE_REQUIRED: 400,
  CLOSURE_CODE_INVALID: 400,
  OWN_SUBMISSION: 403,
  OWN_HANDLING: 403,
  SUBMIT_NOT_ALLOWED: 403,
  BENEFICIARY_CONSENT_REQUIRED: 400,
  SENSITIVE_CONSENT_REQUIRED: 400,
  CONSENT_METHOD_REQUIRED: 400,
  ASSIGNEE_INVALID: 400,
  PHOTO_TOO_LARGE: 413,
  PHOTO_TYPE_UNSUPPORTED: 415,
  PHOTO_MISSING: 400,
  PHOTO_NOT_FOUND: 400,
  PHOTO_ALREADY_USED: 409,
  TOO_MANY_PHOTOS: 400,
  PHOTO_REJECTED: 400,
  CONTENT_RISKY: 422,
  WECHAT_PUSH_SIGNATURE_INVALID: 401,
  PHONE_CODE_INVALID: 400,
  MESSAGE_NOT_FOUND: 404,
  FUND_SPEND_NOT_FOUND: 404,
  FUND_SPEND_NOT_PENDING: 409,
  EXPORT_LINK_INVALID: 410,
  EXPORT_LINK_USED: 410,
  CALENDAR_NOTICE_UNREADABLE: 422,
  CALENDAR_NOTICE_YEAR: 422,
  REPORT_NOT_FOUND: 404,
  REPORT_TARGET_NOT_FOUND: 404,
  REPORT_OWN_CONTENT: 400,
  REPORT_CATEGORY_INVALID: 400,
  REPORT_DUPLICATE: 409,
  REPORT_ALREADY_HANDLED: 409,
};

/**
 * The one exception type the API throws on purpose. Each module narrows it to
 * its own codes (WishException, AuthException, ...), so a module's failure
 * modes can be read from one enum-like union.
 */
export class AppException<C extends ErrorCode = ErrorCode> extends Error {
  /** Which rule refused (access denials): written to the log, never sent to the client. */
  rule?: string;

  constructor(
    public readonly code: C,
    message?: string,
    public readonly details?: string[],
  ) {
    super(message ?? ERROR_MESSAGES_ZH[code]);
    this.name = new.target.name;
  }

  /** Names the rule that refused, for the log. */
  because(rule: string): this {
    this.rule = rule;
    return this;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export class CommonException extends AppException<
  'VALIDATION_FAILED' | 'UNAUTHENTICATED' | 'TOKEN_EXPIRED' | 'TOKEN_REVOKED' | 'ACCOUNT_DELETED' | 'FORBIDDEN' | 'NOT_FOUND' | 'ROUTE_NOT_FOUND' | 'PAYLOAD_TOO_LARGE' | 'INTERNAL'
> {}
