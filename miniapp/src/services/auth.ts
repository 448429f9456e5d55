import type { ConsentRequest, DevLoginRequest, LoginResponse, MeResponse, WechatLoginRequest } from '@xinyuan/shared';
import { request } from './request';

export const authApi = {
  wechat: (body: WechatLoginRequest) => request<LoginResponse>('/auth/wechat', { method: 'POST', data: body, auth: false }),
  devLogin: (body: DevLoginRequest) => request<LoginResponse>('/auth/dev-login', { method: 'POST', data: body, auth: false }),
  me: () => request<MeResponse>('/me'),
  consent: (body: ConsentRequest) => request<MeResponse>('/me/consent', { method: 'POST', data: body }),
};
