import { request } from './request';

/**
 * WeChat's phone-number button (open-type getPhoneNumber) gives a one-time `code` in its
 * event's detail; only the server can exchange it (phonenumber.getPhoneNumber), through
 * POST /api/me/phone {code} → {phone}. Used only where people enter their own number.
 */
export const phoneApi = {
  fromWechatCode: (code: string) => request<{ phone: string }>('/me/phone', { method: 'POST', data: { code } }),
};
