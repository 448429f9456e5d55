import { AppException } from '../../common/errors/app.exception';

/** Every way the WeChat module refuses a request; the global filter maps each code to its status. */
export type WechatErrorCode = 'WECHAT_PUSH_SIGNATURE_INVALID' | 'NOT_FOUND' | 'VALIDATION_FAILED' | 'PHONE_CODE_INVALID' | 'WECHAT_UNAVAILABLE' | 'WECHAT_RATE_LIMITED';

export class WechatException extends AppException<WechatErrorCode> {}
