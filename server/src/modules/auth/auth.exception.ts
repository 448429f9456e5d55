import { AppException } from '../../common/errors/app.exception';

export type AuthErrorCode = 'DEV_LOGIN_DISABLED' | 'WECHAT_CODE_INVALID' | 'WECHAT_RATE_LIMITED' | 'WECHAT_USER_BLOCKED' | 'WECHAT_UNAVAILABLE';

/** Every way a login can fail on purpose. */
export class AuthException extends AppException<AuthErrorCode> {}
