import type { MemberRegistrationRequest, MemberRegistrationView } from '@xinyuan/shared';
import { request } from './request';

/**
 * What POST …/withdraw answers: the registration as it now is, and (the server adds it;
 * not yet in shared) the wishes the member held that went back to the pool.
 */
export type MemberWithdrawalView = MemberRegistrationView & { releasedWishIds?: number[] };

export const membersApi = {
  register: (body: MemberRegistrationRequest) => request<MemberRegistrationView>('/members/registrations', { method: 'POST', data: body }),
  mine: () => request<MemberRegistrationView[]>('/members/registrations/mine'),
  /** 撤回报到: the member ends their own registration (status withdrawn); claims they held go back to the pool. */
  withdraw: (id: number) => request<MemberWithdrawalView>(`/members/registrations/${id}/withdraw`, { method: 'POST' }),
};
