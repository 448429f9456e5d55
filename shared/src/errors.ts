// Stable error codes of the API. Every error body is {code, message}; clients
// branch on the code and show ERROR_MESSAGES_ZH[code] to people.

export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'FORBIDDEN',
  'NOT_FOUND',
  'ROUTE_NOT_FOUND',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'INTERNAL',
  'PII_UNAVAILABLE',
  'ACCESS_LOG_UNAVAILABLE',
  // auth
  'DEV_LOGIN_DISABLED',
  'WECHAT_CODE_INVALID',
  'WECHAT_RATE_LIMITED',
  'WECHAT_USER_BLOCKED',
  'WECHAT_UNAVAILABLE',
  'CONSENT_REQUIRED',
  'CONSENT_VERSION_MISMATCH',
  // organisations and members
  'ORG_NOT_FOUND',
  'REGISTRATION_EXISTS',
  'REGISTRATION_NOT_FOUND',
  'REGISTRATION_NOT_PENDING',
  'REGISTRATION_NOT_VERIFIED',
  // wishes
  'WISH_NOT_FOUND',
  'WISH_NOT_IN_SCOPE',
  'TRANSITION_NOT_ALLOWED',
  'WISH_ALREADY_CLAIMED',
  'WISH_STATE_CHANGED',
  'CLAIM_LIMIT_REACHED',
  'MEMBER_NOT_VERIFIED',
  'REASON_REQUIRED',
  'COMPOUND_NOT_IN_COMMUNITY',
  'DUPLICATE_TARGET_INVALID',
  'OWN_SUBMISSION',
  'OWN_HANDLING',
  'SUBMIT_NOT_ALLOWED',
  'BENEFICIARY_CONSENT_REQUIRED',
  'CONSENT_METHOD_REQUIRED',
  'ASSIGNEE_INVALID',
  // photos
  'PHOTO_TOO_LARGE',
  'PHOTO_TYPE_UNSUPPORTED',
  'PHOTO_MISSING',
  'PHOTO_NOT_FOUND',
  'PHOTO_ALREADY_USED',
  'TOO_MANY_PHOTOS',
  // notifications
  'MESSAGE_NOT_FOUND',
  // funds
  'FUND_SPEND_NOT_FOUND',
  'FUND_SPEND_NOT_PENDING',
  // ledger
  'EXPORT_LINK_INVALID',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Field-level details for VALIDATION_FAILED. */
  details?: string[];
  requestId?: string;
}

export const ERROR_MESSAGES_ZH: Record<ErrorCode, string> = {
  VALIDATION_FAILED: '填写的内容有误，请检查后再试',
  UNAUTHENTICATED: '请先登录',
  TOKEN_EXPIRED: '登录已过期，请重新登录',
  FORBIDDEN: '您没有权限进行此操作',
  NOT_FOUND: '内容不存在',
  ROUTE_NOT_FOUND: '请求的地址不存在',
  PAYLOAD_TOO_LARGE: '提交的内容太大',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  INTERNAL: '服务暂时出了点问题，请稍后再试',
  PII_UNAVAILABLE: '个人信息暂时无法读取，请联系管理员',
  ACCESS_LOG_UNAVAILABLE: '暂时无法记录查阅日志，个人信息暂不可查看，请稍后再试',
  DEV_LOGIN_DISABLED: '开发登录未开启',
  WECHAT_CODE_INVALID: '微信登录凭证无效，请重新进入小程序',
  WECHAT_RATE_LIMITED: '登录太频繁，请稍后再试',
  WECHAT_USER_BLOCKED: '该微信账号已被限制登录',
  WECHAT_UNAVAILABLE: '微信服务繁忙，请稍后再试',
  CONSENT_REQUIRED: '请先阅读并同意隐私保护指引',
  CONSENT_VERSION_MISMATCH: '隐私保护指引已更新，请重新阅读并同意',
  ORG_NOT_FOUND: '社区或组织不存在',
  REGISTRATION_EXISTS: '您已提交过该社区的报到申请',
  REGISTRATION_NOT_FOUND: '报到申请不存在',
  REGISTRATION_NOT_PENDING: '该报到申请已处理',
  REGISTRATION_NOT_VERIFIED: '只能停用已通过审核的党员',
  WISH_NOT_FOUND: '心愿不存在',
  WISH_NOT_IN_SCOPE: '该心愿不在您的服务范围内',
  TRANSITION_NOT_ALLOWED: '当前状态下不能进行此操作',
  WISH_ALREADY_CLAIMED: '手慢了，该心愿已被他人认领',
  WISH_STATE_CHANGED: '心愿状态已变化，请刷新后再试',
  CLAIM_LIMIT_REACHED: '您认领的心愿已达上限，请先办结手头的心愿',
  MEMBER_NOT_VERIFIED: '您的党员报到尚未通过社区审核',
  REASON_REQUIRED: '请填写原因',
  COMPOUND_NOT_IN_COMMUNITY: '所选小区不属于该社区',
  DUPLICATE_TARGET_INVALID: '重复心愿须指向本社区另一条有效的心愿',
  OWN_SUBMISSION: '不能审核、认领或审批自己提交的心愿',
  OWN_HANDLING: '不能为自己办理的心愿确认、评价或审批经费',
  SUBMIT_NOT_ALLOWED: '单位、街道和组织部门的工作账号不能提交心愿，请用个人账号提交',
  BENEFICIARY_CONSENT_REQUIRED: '为他人提交心愿，请先征得本人同意并选择同意方式',
  CONSENT_METHOD_REQUIRED: '代居民确认，请选择居民的同意方式',
  ASSIGNEE_INVALID: '只能指派给本单位（本社区）的人员',
  PHOTO_TOO_LARGE: '照片太大，请压缩后再上传',
  PHOTO_TYPE_UNSUPPORTED: '只支持 JPG、PNG、WebP 格式的照片',
  PHOTO_MISSING: '请选择要上传的照片',
  PHOTO_NOT_FOUND: '照片不存在或已失效，请重新上传',
  PHOTO_ALREADY_USED: '照片已被使用，请重新上传',
  TOO_MANY_PHOTOS: '照片数量超过上限',
  MESSAGE_NOT_FOUND: '消息不存在',
  FUND_SPEND_NOT_FOUND: '经费支出记录不存在',
  FUND_SPEND_NOT_PENDING: '该经费支出已处理',
  EXPORT_LINK_INVALID: '下载链接无效或已过期，请重新导出',
};
