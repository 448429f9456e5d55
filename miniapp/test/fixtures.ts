import type { MeResponse, WishDetail, WishSummary } from '@xinyuan/shared';

export function me(over: Partial<MeResponse> = {}): MeResponse {
  return {
    id: 1,
    nickname: '王秀兰',
    roles: [{ role: 'resident', orgId: 5, orgName: '北小街社区', orgKind: 'community' }],
    consent: { version: '2026-11-01', consentedAt: '2026-11-20T02:00:00.000Z' },
    consentRequired: false,
    privacyNoticeVersion: '2026-11-01',
    ...over,
  };
}

export function summary(over: Partial<WishSummary> = {}): WishSummary {
  return {
    id: 7,
    no: 'XY-0007',
    title: '楼道灯不亮',
    category: 'repair',
    state: 'open',
    tier: 1,
    urgent: false,
    communityId: 5,
    communityName: '北小街社区',
    compoundName: '康乐小区',
    beneficiary: { name: '王*', phone: '138****1111', address: '2号楼' },
    masked: true,
    onBehalf: false,
    photoCount: 1,
    createdAt: '2026-11-20T02:00:00.000Z',
    publishedAt: '2026-11-20T03:00:00.000Z',
    contentCheck: null,
    ...over,
  };
}

export function detail(over: Partial<WishDetail> = {}): WishDetail {
  return {
    ...summary(),
    description: '2号楼3单元楼道灯坏了半个月。',
    consentMethod: null,
    photos: [],
    claimant: null,
    claimedAt: null,
    proof: null,
    rating: null,
    ratingComment: null,
    resolvedAt: null,
    timeline: [
      { id: 1, type: 'submit', fromState: null, toState: 'pending_review', fromTier: null, toTier: 1, actorName: '王秀兰', actorRole: 'resident', reason: null, at: '2026-11-20T02:00:00.000Z' },
      { id: 2, type: 'approve', fromState: 'pending_review', toState: 'open', fromTier: 1, toTier: 1, actorName: '北小街社区党委', actorRole: 'community_admin', reason: null, at: '2026-11-20T03:00:00.000Z' },
    ],
    actions: [],
    assignee: null,
    windowEndsAt: null,
    dueAt: null,
    supervisedAt: null,
    overdue: false,
    duplicateOf: null,
    ...over,
  };
}
