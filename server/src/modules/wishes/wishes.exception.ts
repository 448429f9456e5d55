import { AppException } from '../../common/errors/app.exception';

export type WishErrorCode =
  | 'WISH_NOT_FOUND'
  | 'WISH_NOT_IN_SCOPE'
  | 'TRANSITION_NOT_ALLOWED'
  | 'WISH_ALREADY_CLAIMED'
  | 'WISH_STATE_CHANGED'
  | 'CLAIM_LIMIT_REACHED'
  | 'MEMBER_NOT_VERIFIED'
  | 'REASON_REQUIRED'
  | 'COMPOUND_NOT_IN_COMMUNITY'
  | 'DUPLICATE_TARGET_INVALID'
  | 'ORG_NOT_FOUND'
  | 'FORBIDDEN'
  | 'VALIDATION_FAILED';

export class WishException extends AppException<WishErrorCode> {}
