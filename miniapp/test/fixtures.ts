import { ABILITIES, type Ability, type AbilityScope, type AbilityView, type MeResponse, type RoleGrantView, type WishDetail, type WishEventView, type WishSummary } from '@xinyuan/shared';

/** What GET /me says a person may do: `true` for an ability without organisations (submit), else the organisations it comes from. */
export function abilities(allowed: Partial<Record<Ability, true | AbilityScope[]>> = {}): Record<Ability, AbilityView> {
  const out = {} as Record<Ability, AbilityView>;
  for (const a of ABILITIES) {
    const v = allowed[a];
    out[a] = { allowed: v !== undefined, orgs: v === undefined || v === true ? [] : v };
  }
  return out;
}

// The demo city's organisations.
export const ORGS = {
  city: { orgId: 1, orgName: '西宁市', orgKind: 'city' },
  district: { orgId: 2, orgName: '城中区', orgKind: 'district' },
  street: { orgId: 3, orgName: '人民街街道', orgKind: 'street' },
  community: { orgId: 5, orgName: '北小街社区', orgKind: 'community' },
  compound: { orgId: 11, orgName: '康乐小区', orgKind: 'compound' },
  unit: { orgId: 40, orgName: '国网西宁供电公司', orgKind: 'unit' },
} as const satisfies Record<string, AbilityScope>;

const grant = (role: RoleGrantView['role'], org: AbilityScope): RoleGrantView => ({ role, ...org });

/**
 * Each kind of person as the server's GET /me answers for them, written out by hand
 * from DOMAIN.md ("Who sees and does what") and ABILITY_RULES, not computed.
 */
export const PEOPLE = {
  resident: { roles: [grant('resident', ORGS.community)], abilities: abilities({ submit: true }) },
  member: { roles: [grant('member', ORGS.community)], abilities: abilities({ submit: true, wall: [ORGS.community] }) },
  gridWorker: { roles: [grant('grid_worker', ORGS.community)], abilities: abilities({ submit: true, submit_on_behalf: [ORGS.community], review_queue: [ORGS.community] }) },
  communityAdmin: {
    roles: [grant('community_admin', ORGS.community)],
    abilities: abilities({
      submit: true,
      submit_on_behalf: [ORGS.community],
      wall: [ORGS.community],
      review_queue: [ORGS.community],
      registrations: [ORGS.community],
      ledger: [ORGS.community],
      export: [ORGS.community],
      rates: [ORGS.community],
      funds: [ORGS.community],
      spend_community: [ORGS.community],
      reports: [ORGS.community],
      office_phone: [ORGS.community],
    }),
  },
  branchSecretary: { roles: [grant('branch_secretary', ORGS.compound)], abilities: abilities({ submit: true, ledger: [ORGS.compound] }) },
  unitAdmin: { roles: [grant('unit_admin', ORGS.unit)], abilities: abilities({ ledger: [ORGS.unit], unit_desk: [ORGS.unit] }) },
  street: {
    roles: [grant('street_handler', ORGS.street)],
    abilities: abilities({ ledger: [ORGS.street], rates: [ORGS.street], funds: [ORGS.street], red_list: [ORGS.street], spend_street: [ORGS.street], reports: [ORGS.street], street_desk: [ORGS.street] }),
  },
  cityAdmin: {
    roles: [grant('city_admin', ORGS.city)],
    abilities: abilities({ ledger: [ORGS.city], export: [ORGS.city], rates: [ORGS.city], funds: [ORGS.city], red_list: [ORGS.city], budget: [ORGS.city], dispatch_policy: [ORGS.city], reports: [ORGS.city] }),
  },
  districtAdmin: {
    roles: [grant('city_admin', ORGS.district)],
    abilities: abilities({ ledger: [ORGS.district], export: [ORGS.district], rates: [ORGS.district], funds: [ORGS.district], red_list: [ORGS.district], reports: [ORGS.district] }),
  },
} satisfies Record<string, Pick<MeResponse, 'roles' | 'abilities'>>;

export type PersonKind = keyof typeof PEOPLE;

/** A person of this kind (a resident by default). */
export function person(kind: PersonKind, over: Partial<MeResponse> = {}): MeResponse {
  return me({ ...PEOPLE[kind], ...over });
}

export function event(over: Partial<WishEventView> = {}): WishEventView {
  return { id: 1, type: 'claim', fromState: 'open', toState: 'claimed', fromTier: 1, toTier: 1, actorName: null, actorRole: 'member', actorOrg: null, reason: null, consentMethod: null, at: '2026-11-20T02:05:00.000Z', ...over };
}

export function me(over: Partial<MeResponse> = {}): MeResponse {
  return {
    id: 1,
    nickname: '王秀兰',
    ...PEOPLE.resident,
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
    contactErased: false,
    onBehalf: false,
    photoCount: 1,
    createdAt: '2026-11-20T02:00:00.000Z',
    publishedAt: '2026-11-20T03:00:00.000Z',
    contentCheck: null,
    actions: [],
    reasonRequired: [],
    ...over,
  };
}

export function detail(over: Partial<WishDetail> = {}): WishDetail {
  return {
    ...summary(),
    nextStep: null,
    urges: { count: 0, lastAt: null, times: [] },
    reportable: false,
    description: '2号楼3单元楼道灯坏了半个月。',
    consentMethod: null,
    photos: [],
    claimant: null,
    claimedAt: null,
    proof: null,
    rating: null,
    ratingComment: null,
    ratingOnBehalf: null,
    resolvedAt: null,
    timeline: [
      event({ id: 1, type: 'submit', fromState: null, toState: 'pending_review', fromTier: null, toTier: 1, actorName: '王秀兰', actorRole: 'resident', at: '2026-11-20T02:00:00.000Z' }),
      event({ id: 2, type: 'approve', fromState: 'pending_review', toState: 'open', fromTier: 1, toTier: 1, actorName: '北小街社区党委', actorRole: 'community_admin', actorOrg: '北小街社区', at: '2026-11-20T03:00:00.000Z' }),
    ],
    actions: [],
    assignee: null,
    windowEndsAt: null,
    dueAt: null,
    supervisedAt: null,
    overdue: false,
    duplicateOf: null,
    closure: null,
    officePhone: null,
    callBeneficiary: false,
    shareable: false,
    ...over,
  };
}
