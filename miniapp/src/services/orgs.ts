import type { OrgView } from '@xinyuan/shared';
import { request } from './request';

export const orgsApi = {
  communities: () => request<OrgView[]>('/orgs', { query: { kind: 'community' } }),
  compounds: (communityId: number) => request<OrgView[]>('/orgs', { query: { kind: 'compound', parentId: communityId } }),
};
