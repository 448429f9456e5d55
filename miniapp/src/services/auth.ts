import type { AuthOptions, ConsentRequest, DevLoginRequest, LoginResponse, MeResponse, WechatLoginRequest } from '@xinyuan/shared';
import { request } from './request';

export const authApi = {
  /** Which ways in this server offers (dev login, WeChat). */
  options: () => request<AuthOptions>('/auth/options', { auth: false }),
  wechat: (body: WechatLoginRequest) => request<LoginResponse>('/auth/wechat', { method: 'POST', data: body, auth: false }),
  devLogin: (body: DevLoginRequest) => request<LoginResponse>('/auth/dev-login', { method: 'POST', data: body, auth: false }),
  /** A fresh token for the current one (sent as it is: this call is the renewal). */
  refresh: () => request<LoginResponse>('/auth/refresh', { method: 'POST', renew: false }),
  /** Revokes every token of the person (204). */
  logout: () => request<null>('/auth/logout', { method: 'POST', renew: false }),
  me: () => request<MeResponse>('/me'),
  consent: (body: ConsentRequest) => request<MeResponse>('/me/consent', { method: 'POST', data: body }),
};
