// The one access policy. It answers three questions from the tables of
// shared/src/access.ts and shared/src/wish-machine.ts, and every controller and
// service asks it rather than deciding on its own:
//   1. may this actor do this (ability, or a move of a wish), and why not;
//   2. which rows of a list the actor reads, as a condition on `wish w`;
//   3. which fields of a wish the actor sees, and how.
import { Injectable } from '@nestjs/common';
import {
  ABILITY_RULES,
  ASSIGNABLE,
  CLAIMERS_BY_TIER,
  WISH_FIELDS,
  WISH_READS,
  type Ability,
  type AssigningRole,
  type Capacity,
  type OrgKind,
  type ReaderClass,
  type Role,
  type StandingFacts,
  type WishField,
  type WishRelation,
} from '@xinyuan/shared';
import type { Actor, Grant } from '../common/auth/actor';
import { Clock } from '../common/clock';
import { OrganisationsRepository, type OrgPath } from '../modules/organisations/organisations.repository';
import { localDay } from '../common/time';
import { classOf, holdsClaimRole, holdsRole, isActiveClaim, rowHolds, type Reach, type WishFacts } from './relations';

export interface WishAccess {
  /** May read the wish at all; when false every route answers 404. */
  readable: boolean;
  /** The rows of WISH_READS that hold (for the log and the tests). */
  relations: WishRelation[];
  classes: ReadonlySet<ReaderClass>;
  /** WISH_FIELDS evaluated for this wish (sensitive categories gate description, photos and proof). */
  sees: Record<WishField, boolean>;
  /** The actor is the wish's claimant or assignee (always sees their own name). */
  self: boolean;
  /** The role and organisation of the row that shows the contact in full (what the access log records); null when it is masked. */
  readAs: { role: Role; orgId: number | null } | null;
  /** Each capacity with the role held in it, as the transitions table checks them. */
  standing: { capacity: Capacity; role: Role }[];
  roleFor: Partial<Record<Capacity, Role>>;
  /** The organisation the actor acts for in each capacity (written in the event; a claim's organisation). */
  orgFor: Partial<Record<Capacity, number>>;
  facts: StandingFacts;
}

/** Organisations an ability covers, level by level (a grant reaches everything under its organisation). */
export interface Coverage {
  communities: number[];
  compounds: number[];
  units: number[];
  streets: number[];
  districts: number[];
  cities: number[];
}

const REACHES = new WeakMap<Actor, Promise<Reach>>();
const unique = (ids: number[]) => [...new Set(ids)];

@Injectable()
export class AccessPolicy {
  constructor(
    private readonly clock: Clock,
    private readonly orgs: OrganisationsRepository,
  ) {}

  // ---- where the grants reach ----

  /** Resolved once per request (the actor object is the request's): districts of a city grant, units' pairings today. */
  reach(actor: Actor): Promise<Reach> {
    let p = REACHES.get(actor);
    if (!p) REACHES.set(actor, (p = this.resolve(actor)));
    return p;
  }

  private async resolve(actor: Actor): Promise<Reach> {
    const cities = grantedAt(actor.grants, 'city_admin', 'city');
    const units = grantedAt(actor.grants, 'unit_admin');
    const today = localDay(this.clock.now());
    const [cityDistricts, pairings] = await Promise.all([
      cities.length ? this.orgs.childrenOf(cities, 'district') : Promise.resolve([]),
      units.length ? this.orgs.pairingsOn(units, today) : Promise.resolve([]),
    ]);
    return reachOf(actor.userId, actor.grants, cityDistricts, pairings);
  }

  // ---- one wish ----

  /** How the actor stands to one wish: may they read it, what they see of it, in which capacities they may move it. Pure. */
  wish(r: Reach, w: WishFacts & { onBehalf?: boolean }): WishAccess {
    const me = r.userId;
    const isClaimant = w.claimantId === me;
    const isAssignee = w.assigneeId !== null && w.assigneeId === me;
    const assigneeRole = isAssignee ? assigneeRoleOf(w, r) : null;
    const handlerHeld = (isClaimant && holdsClaimRole(w, r, w.claimantRole)) || assigneeRole !== null;

    const relations: WishRelation[] = [];
    const classes = new Set<ReaderClass>();
    let readAs: WishAccess['readAs'] = null;
    for (const rule of WISH_READS) {
      if (rule.role !== 'anyone' && !holdsRole(r, rule.role)) continue;
      if (!rowHolds(rule, w, r)) continue;
      relations.push(rule.relation);
      const cls = classOf(rule, w, r, rule.relation === 'org_claim' ? true : handlerHeld);
      classes.add(cls);
      if (!readAs && WISH_FIELDS.contact.includes(cls)) readAs = readerOf(rule.relation, rule.role, w, r, isClaimant ? w.claimantRole : assigneeRole);
    }
    const seen = (f: WishField) => WISH_FIELDS[f].some((c) => classes.has(c));
    const description = !w.sensitive || seen('description');
    const sees: Record<WishField, boolean> = {
      contact: seen('contact'),
      description,
      proof: seen('proof') && description,
      rating: seen('rating'),
      people: seen('people'),
      claimantName: seen('claimantName') || isClaimant || isAssignee,
      contentCheck: seen('contentCheck'),
    };

    const roleFor: WishAccess['roleFor'] = {};
    const orgFor: WishAccess['orgFor'] = {};
    const add = (c: Capacity, role: Role, org: number | null) => {
      roleFor[c] = role;
      if (org !== null) orgFor[c] = org;
    };
    const c = w.communityId;
    const staffRole: Role | null = r.admin.includes(c) ? 'community_admin' : r.grid.includes(c) ? 'grid_worker' : null;
    if (w.submitterId === me) add('submitter', w.onBehalf && staffRole ? staffRole : 'resident', w.onBehalf && staffRole ? c : null);
    if (staffRole) add('staff', staffRole, c);
    if (w.state === 'open') {
      const claim = claimerAt(w, r);
      if (claim) add('tier_claimer', claim.role, claim.orgId);
    }
    if (isClaimant && isActiveClaim(w.state) && w.claimantRole && holdsClaimRole(w, r, w.claimantRole)) add('claimant', w.claimantRole, w.claimantOrgId);
    if (assigneeRole && isActiveClaim(w.state)) add('assignee', assigneeRole, assigneeRole === 'member' || assigneeRole === 'grid_worker' || assigneeRole === 'community_admin' ? c : w.claimantOrgId);

    return {
      readable: relations.length > 0,
      relations,
      classes,
      sees,
      self: isClaimant || isAssignee,
      readAs,
      standing: (Object.keys(roleFor) as Capacity[]).map((capacity) => ({ capacity, role: roleFor[capacity]! })),
      roleFor,
      orgFor,
      facts: { submitter: w.submitterId === me, handler: isClaimant || isAssignee },
    };
  }

  // ---- abilities ----

  /** The grants that give an ability (for 'anyone' abilities: every grant; see can()). */
  grantsFor(actor: Actor, ability: Ability): Grant[] {
    const rule = ABILITY_RULES[ability];
    return actor.grants.filter((g) => (rule.roles === 'anyone' || rule.roles.includes(g.role)) && (!rule.at || rule.at.includes(g.orgKind)));
  }

  can(actor: Actor, ability: Ability): boolean {
    const rule = ABILITY_RULES[ability];
    if (rule.except && actor.grants.some((g) => rule.except!.includes(g.role))) return false;
    return rule.roles === 'anyone' || this.grantsFor(actor, ability).length > 0;
  }

  /** What an ability covers, level by level (districts of a city grant included). */
  async coverage(actor: Actor, ability: Ability): Promise<Coverage> {
    const grants = this.can(actor, ability) ? this.grantsFor(actor, ability) : [];
    const at = (kind: OrgKind) => unique(grants.filter((g) => g.orgKind === kind).map((g) => g.orgId));
    const cities = at('city');
    const cityDistricts = cities.length ? (await this.reach(actor)).cityDistricts.filter((d) => cities.includes(d.cityId)).map((d) => d.id) : [];
    return { communities: at('community'), compounds: at('compound'), units: at('unit'), streets: at('street'), districts: unique([...at('district'), ...cityDistricts]), cities };
  }

  /** Does the coverage reach this organisation (it or one of its ancestors is covered)? */
  covers(cov: Coverage, path: OrgPath): boolean {
    const k = path.byKind;
    return (
      (k.community !== undefined && cov.communities.includes(k.community)) ||
      (k.compound !== undefined && cov.compounds.includes(k.compound)) ||
      (k.unit !== undefined && cov.units.includes(k.unit)) ||
      (k.street !== undefined && cov.streets.includes(k.street)) ||
      (k.district !== undefined && cov.districts.includes(k.district)) ||
      (k.city !== undefined && cov.cities.includes(k.city))
    );
  }

  /** May the actor use the ability on this organisation (it lies under one of the ability's grants)? */
  async canAt(actor: Actor, ability: Ability, orgId: number): Promise<boolean> {
    if (!this.can(actor, ability)) return false;
    const path = await this.orgs.pathOf(orgId);
    return path !== null && this.covers(await this.coverage(actor, ability), path);
  }

  // ---- assigning ----

  /** May `grants` of a person make them an assignee of this claim (the claim organisation's people)? */
  assignable(claimantRole: Role | null, w: WishFacts, grants: readonly { role: Role; orgId: number }[]): Role | null {
    const rules = claimantRole && claimantRole in ASSIGNABLE ? ASSIGNABLE[claimantRole as AssigningRole] : [];
    for (const rule of rules) {
      const org = rule.at === 'community' ? w.communityId : w.claimantOrgId;
      if (grants.some((g) => g.role === rule.role && g.orgId === org)) return rule.role;
    }
    return null;
  }
}

const grantedAt = (grants: readonly Grant[], role: Role, kind?: OrgKind) => unique(grants.filter((g) => g.role === role && (!kind || g.orgKind === kind)).map((g) => g.orgId));

/** A reach from grants and what was looked up for them: the districts of city grants, the units' pairings on the day that matters. */
export function reachOf(userId: number, grants: readonly Grant[], cityDistricts: readonly { id: number; parentId: number }[], pairings: readonly { unitId: number; communityId: number }[]): Reach {
  const of = (role: Role, kind?: OrgKind) => grantedAt(grants, role, kind);
  const units = of('unit_admin');
  const pairedUnitOf = new Map<number, number>();
  for (const p of pairings) if (units.includes(p.unitId) && !pairedUnitOf.has(p.communityId)) pairedUnitOf.set(p.communityId, p.unitId);
  return {
    userId,
    member: of('member'),
    grid: of('grid_worker'),
    admin: of('community_admin'),
    compounds: of('branch_secretary'),
    units,
    streets: of('street_handler'),
    districts: unique([...of('city_admin', 'district'), ...cityDistricts.map((d) => d.id)]),
    cities: of('city_admin', 'city'),
    cityDistricts: cityDistricts.map((d) => ({ id: d.id, cityId: d.parentId })),
    pairedUnitOf,
  };
}

/** The role and organisation a holding row reads in (for the access log). */
function readerOf(relation: WishRelation, role: Role | 'anyone', w: WishFacts, r: Reach, ownClaimRole: Role | null): { role: Role; orgId: number | null } {
  switch (relation) {
    case 'own_submission':
      return { role: 'resident', orgId: null };
    case 'own_claim':
      return role === 'anyone' ? { role: ownClaimRole ?? 'member', orgId: w.claimantOrgId ?? w.communityId } : { role, orgId: w.communityId };
    case 'org_claim':
      return { role: role as Role, orgId: w.claimantOrgId };
    case 'compound_queue':
      return { role: role as Role, orgId: w.compoundId };
    case 'unit_queue':
      return { role: role as Role, orgId: r.pairedUnitOf.get(w.communityId) ?? null };
    case 'street':
      return { role: role as Role, orgId: w.streetId };
    case 'district':
      return { role: role as Role, orgId: w.districtId };
    default:
      return { role: role as Role, orgId: w.communityId };
  }
}

/** Who claims at a wish's tier (CLAIMERS_BY_TIER, in scope) and for which organisation; members never claim sensitive wishes. */
function claimerAt(w: WishFacts, r: Reach): { role: Role; orgId: number } | null {
  const roles = CLAIMERS_BY_TIER[w.tier];
  if (roles.includes('member') && r.member.includes(w.communityId) && !w.sensitive) return { role: 'member', orgId: w.communityId };
  if (roles.includes('community_admin') && r.admin.includes(w.communityId)) return { role: 'community_admin', orgId: w.communityId };
  if (roles.includes('branch_secretary') && w.compoundId !== null && r.compounds.includes(w.compoundId)) return { role: 'branch_secretary', orgId: w.compoundId };
  const unit = r.pairedUnitOf.get(w.communityId);
  if (roles.includes('unit_admin') && unit !== undefined) return { role: 'unit_admin', orgId: unit };
  if (roles.includes('street_handler') && r.streets.includes(w.streetId)) return { role: 'street_handler', orgId: w.streetId };
  return null;
}

/** The role in which the actor still stands as this wish's assignee (ASSIGNABLE for the claim), or null. */
function assigneeRoleOf(w: WishFacts, r: Reach): Role | null {
  const rules = w.claimantRole && w.claimantRole in ASSIGNABLE ? ASSIGNABLE[w.claimantRole as AssigningRole] : [];
  for (const rule of rules) {
    const org = rule.at === 'community' ? w.communityId : w.claimantOrgId;
    if (org === null) continue;
    const held =
      rule.role === 'member' ? r.member : rule.role === 'grid_worker' ? r.grid : rule.role === 'community_admin' ? r.admin : rule.role === 'branch_secretary' ? r.compounds : rule.role === 'unit_admin' ? r.units : rule.role === 'street_handler' ? r.streets : [];
    if (held.includes(org)) return rule.role;
  }
  return null;
}
