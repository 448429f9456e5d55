import type { MemberRegistrationRequest, MemberRegistrationView } from '@xinyuan/shared';
import { request } from './request';

export const membersApi = {
  register: (body: MemberRegistrationRequest) => request<MemberRegistrationView>('/members/registrations', { method: 'POST', data: body }),
  mine: () => request<MemberRegistrationView[]>('/members/registrations/mine'),
};
