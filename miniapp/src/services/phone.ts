import { request } from './request';

/**
 * WeChat's phone-number button gives a one-time code that only the server can
 * exchange (phonenumber.getPhoneNumber). The server has no such endpoint yet,
 * so the button stays off (WECHAT_PHONE_ENABLED) and people type the number.
 */
export const phoneApi = {
  fromWechatCode: (code: string) => request<{ phone: string }>('/me/phone', { method: 'POST', data: { code } }),
};
