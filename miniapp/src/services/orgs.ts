import type { OfficePhoneView, OrgView, SetOfficePhoneRequest } from '@xinyuan/shared';
import { request } from './request';

export const orgsApi = {
  communities: () => request<OrgView[]>('/orgs', { query: { kind: 'community' } }),
  compounds: (communityId: number) => request<OrgView[]>('/orgs', { query: { kind: 'compound', parentId: communityId } }),
  /** The committee: the office phone (联系社区) of each community it runs. */
  officePhones: () => request<OfficePhoneView[]>('/orgs/office-phones'),
  setOfficePhone: (communityId: number, body: SetOfficePhoneRequest) => request<OfficePhoneView>(`/orgs/${communityId}/office-phone`, { method: 'PUT', data: body }),
};
