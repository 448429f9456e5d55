// The relations of access.ts (WISH_READS), each written twice side by side: as a
// test on one wish and as a condition on `wish w` for lists. relations.spec.ts
// holds the two forms equal on generated wishes, so a list never shows a wish its
// detail would refuse, and never hides one the reader may open.
import { WISH_READS, type ReaderClass, type Role, type Tier, type WishReadRule, type WishRelation, type WishState } from '@xinyuan/shared';

/** What the rules read of a wish (the Wish entity and a ledger row both have it). */
export interface WishFacts {
  communityId: number;
  compoundId: number | null;
  streetId: number;
  districtId: number;
  submitterId: number;
  claimantId: number | null;
  claimantRole: Role | null;
  claimantOrgId: number | null;
  assigneeId: number | null;
  state: WishState;
  tier: Tier;
  sensitive: boolean;
}

/** Where the actor's honoured grants reach (server/src/access/policy.ts resolves it once per request). */
export interface Reach {
  userId: number;
  /** Communities where the actor is a verified, active member. */
  member: number[];
  grid: number[];
  admin: number[];
  /** branch_secretary: compounds. */
  compounds: number[];
  units: number[];
  streets: number[];
  /** city_admin: each district granted, and every district of a city granted. */
  districts: number[];
  /** city_admin granted at a city. */
  cities: number[];
  /** The districts of those cities. */
  cityDistricts: { id: number; cityId: number }[];
  /** Communities paired today (Beijing date, ends inclusive) with one of the actor's units → that unit. */
  pairedUnitOf: Map<number, number>;
}

/** A condition on `wish w`; `index`: the (org, id) index that serves it newest first when one organisation bounds it. */
export type Sql = { sql: string; params: unknown[]; index?: string };

const ACTIVE: readonly WishState[] = ['claimed', 'awaiting_confirmation'];
export const isActiveClaim = (state: WishState): boolean => ACTIVE.includes(state);

const marks = (ids: readonly unknown[]) => ids.map(() => '?').join(', ');
const inList = (col: string, ids: readonly number[]): Sql | null => (ids.length ? { sql: `${col} IN (${marks(ids)})`, params: [...ids] } : null);
const and = (...parts: (Sql | null)[]): Sql | null =>
  parts.some((p) => p === null) ? null : { sql: parts.map((p) => p!.sql).join(' AND '), params: parts.flatMap((p) => p!.params) };

/** The organisations a desk role claims for: a branch its compound, a unit itself, a street desk its street. */
export function claimOrgsOf(r: Reach, role: Role): number[] {
  return role === 'branch_secretary' ? r.compounds : role === 'unit_admin' ? r.units : role === 'street_handler' ? r.streets : [];
}

/** Does the actor hold `role` at all (the rows of WISH_READS name roles)? */
export function holdsRole(r: Reach, role: Role): boolean {
  switch (role) {
    case 'member':
      return r.member.length > 0;
    case 'grid_worker':
      return r.grid.length > 0;
    case 'community_admin':
      return r.admin.length > 0;
    case 'branch_secretary':
      return r.compounds.length > 0;
    case 'unit_admin':
      return r.units.length > 0;
    case 'street_handler':
      return r.streets.length > 0;
    case 'city_admin':
      return r.districts.length > 0 || r.cities.length > 0;
    default:
      return false;
  }
}

/** One row of WISH_READS on one wish. */
export function rowHolds(rule: WishReadRule, w: WishFacts, r: Reach): boolean {
  const role = rule.role;
  switch (rule.relation) {
    case 'own_submission':
      return w.submitterId === r.userId;
    case 'own_claim':
      return (w.claimantId === r.userId || w.assigneeId === r.userId) && (role !== 'grid_worker' || r.grid.includes(w.communityId));
    case 'wall':
      return r.member.includes(w.communityId) && w.state === 'open' && !w.sensitive;
    case 'review_queue':
      return r.grid.includes(w.communityId) && w.state === 'pending_review';
    case 'community':
      return r.admin.includes(w.communityId);
    case 'compound_queue':
      return w.compoundId !== null && r.compounds.includes(w.compoundId) && w.state === 'open' && w.tier === 2;
    case 'unit_queue':
      return r.pairedUnitOf.has(w.communityId) && w.state === 'open' && w.tier === 3;
    case 'org_claim':
      return role !== 'anyone' && w.claimantRole === role && w.claimantOrgId !== null && claimOrgsOf(r, role).includes(w.claimantOrgId);
    case 'street':
      return r.streets.includes(w.streetId);
    case 'district':
      return r.districts.includes(w.districtId);
  }
}

/** The same row as a condition on `wish w`; null when it can hold for no wish (the actor lacks the role). */
export function rowSql(rule: WishReadRule, r: Reach): Sql | null {
  const role = rule.role;
  switch (rule.relation) {
    case 'own_submission':
      return { sql: 'w.submitter_id = ?', params: [r.userId] };
    case 'own_claim': {
      const mine: Sql = { sql: '(w.claimant_id = ? OR w.assignee_id = ?)', params: [r.userId, r.userId] };
      return role === 'grid_worker' ? and(mine, inList('w.community_id', r.grid)) : mine;
    }
    case 'wall':
      return and(inList('w.community_id', r.member), { sql: `w.state = 'open' AND w.sensitive = 0`, params: [] });
    case 'review_queue':
      return and(inList('w.community_id', r.grid), { sql: `w.state = 'pending_review'`, params: [] });
    case 'community':
      return withIndex(inList('w.community_id', r.admin), 'idx_wish_community_id');
    case 'compound_queue':
      return and(inList('w.compound_id', r.compounds), { sql: `w.state = 'open' AND w.tier = 2`, params: [] });
    case 'unit_queue':
      return and(inList('w.community_id', [...r.pairedUnitOf.keys()]), { sql: `w.state = 'open' AND w.tier = 3`, params: [] });
    case 'org_claim':
      return role === 'anyone' ? null : and(inList('w.claimant_org_id', claimOrgsOf(r, role)), { sql: 'w.claimant_role = ?', params: [role] });
    case 'street':
      return withIndex(inList('w.street_id', r.streets), 'idx_wish_street_id');
    case 'district':
      return withIndex(inList('w.district_id', r.districts), 'idx_wish_district_id');
  }
}

/** One organisation's rows read its (org, id) index newest first (the ledger's keyset pages). */
const withIndex = (s: Sql | null, index: string): Sql | null => (s && s.params.length === 1 ? { ...s, index } : s);

/** Rows of WISH_READS, chosen by relation and whether they are ledger rows. */
export function readRules(opts: { relations?: readonly WishRelation[]; ledger?: boolean; roles?: readonly Role[] } = {}): WishReadRule[] {
  return WISH_READS.filter(
    (rule) =>
      (opts.relations === undefined || opts.relations.includes(rule.relation)) &&
      (opts.ledger === undefined || rule.ledger === opts.ledger) &&
      (opts.roles === undefined || (rule.role !== 'anyone' && opts.roles.includes(rule.role))),
  );
}

/**
 * The rows' conditions OR-ed: the wishes an actor reads through them ('1 = 0' when none can hold).
 * A row that lies within another row of the list (`within`: the street desk's own claims are its
 * street's wishes) is left out, so one organisation's list stays one index range.
 */
export function rowsSql(rules: readonly WishReadRule[], r: Reach): Sql {
  const covered = (rule: WishReadRule) => rule.within !== undefined && rules.some((o) => o.relation === rule.within && o.role === rule.role && rowSql(o, r) !== null);
  const parts = rules.filter((rule) => !covered(rule)).map((rule) => rowSql(rule, r)).filter((p): p is Sql => p !== null);
  if (parts.length === 0) return { sql: '1 = 0', params: [] };
  if (parts.length === 1) return { ...parts[0], sql: `(${parts[0].sql})` };
  return { sql: `(${parts.map((p) => `(${p.sql})`).join(' OR ')})`, params: parts.flatMap((p) => p.params) };
}

/**
 * Does the actor still hold, for this wish, the role a claim (or an assignment) was made in?
 * A deactivated member, a unit admin moved elsewhere: the claim is theirs no longer.
 */
export function holdsClaimRole(w: WishFacts, r: Reach, role: Role | null): boolean {
  switch (role) {
    case 'member':
      return r.member.includes(w.communityId);
    case 'grid_worker':
      return r.grid.includes(w.communityId);
    case 'community_admin':
      return r.admin.includes(w.communityId);
    case 'branch_secretary':
      return w.claimantOrgId !== null && r.compounds.includes(w.claimantOrgId);
    case 'unit_admin':
      return w.claimantOrgId !== null && r.units.includes(w.claimantOrgId);
    case 'street_handler':
      return w.claimantOrgId !== null && r.streets.includes(w.claimantOrgId);
    default:
      return false;
  }
}

/** The class a holding row gives: a handler row is `handler` only while the claim is active and the role still held. */
export function classOf(rule: WishReadRule, w: WishFacts, r: Reach, handlerRoleHeld: boolean): ReaderClass {
  if (rule.as !== 'handler') return rule.as;
  return isActiveClaim(w.state) && handlerRoleHeld ? 'handler' : 'past_handler';
}
