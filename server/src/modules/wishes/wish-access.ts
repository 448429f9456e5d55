// Who stands in what capacity to a wish (the transitions table's "capacity"),
// worked out from the actor's grants and the wish's place. Pure: the caller
// supplies the units paired with the wish's community when it matters.
import { CLAIMERS_BY_TIER, COMMUNITY_STAFF_ROLES, type Capacity, type Role, type Tier } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import type { Wish } from './wish.entity';

export type WishPlace = Pick<Wish, 'communityId' | 'compoundId' | 'streetId' | 'districtId' | 'submitterId' | 'claimantId' | 'state' | 'tier' | 'sensitive'> & Partial<Pick<Wish, 'assigneeId' | 'claimantRole'>>;

export interface Standing {
  capacities: Capacity[];
  /** Each capacity with the role held in it, as the transitions table checks them. */
  entries: { capacity: Capacity; role: Role }[];
  /** The role the actor acts in for each capacity (written in the event). */
  roleFor: Partial<Record<Capacity, Role>>;
  /** May read the wish at all. */
  canView: boolean;
  /** May read the beneficiary's name, phone and address in full. */
  seesFull: boolean;
}

/** Roles that may claim at this tier, held by the actor in the wish's scope. */
export function claimRoleAt(actor: Actor, w: WishPlace, tier: Tier, pairedUnitIds: readonly number[]): Role | null {
  for (const g of actor.grants) {
    if (!CLAIMERS_BY_TIER[tier].includes(g.role)) continue;
    switch (g.role) {
      case 'member':
      case 'community_admin':
      case 'grid_worker':
        if (g.orgId === w.communityId) return g.role;
        break;
      case 'branch_secretary':
        if (w.compoundId !== null && g.orgId === w.compoundId) return g.role;
        break;
      case 'unit_admin':
        if (pairedUnitIds.includes(g.orgId)) return g.role;
        break;
      case 'street_handler':
        if (g.orgId === w.streetId) return g.role;
        break;
    }
  }
  return null;
}

export function standing(actor: Actor, w: WishPlace, pairedUnitIds: readonly number[] = []): Standing {
  const caps: Capacity[] = [];
  const roleFor: Standing['roleFor'] = {};
  const staffGrant = actor.grants.find((g) => (COMMUNITY_STAFF_ROLES as readonly Role[]).includes(g.role) && g.orgId === w.communityId);
  const isSubmitter = w.submitterId === actor.userId;
  // The person a tier-2 claim was assigned to does the work as the claimant does.
  const isClaimant = (w.claimantId !== null && w.claimantId === actor.userId) || (!!w.assigneeId && w.assigneeId === actor.userId);

  if (isSubmitter) {
    caps.push('submitter');
    roleFor.submitter = staffGrant?.role === 'grid_worker' ? 'grid_worker' : 'resident';
  }
  if (staffGrant) {
    caps.push('staff');
    roleFor.staff = staffGrant.role;
  }
  if (isClaimant && (w.state === 'claimed' || w.state === 'awaiting_confirmation')) {
    caps.push('claimant');
    // The claimant acts in the role they claimed in; an assignee in their own role in the community.
    roleFor.claimant =
      w.claimantId === actor.userId && w.claimantRole
        ? w.claimantRole
        : (actor.grants.find((g) => ['member', 'community_admin', 'grid_worker'].includes(g.role) && g.orgId === w.communityId)?.role ?? 'member');
  }
  // Claimers of a tier stand to a wish only while it waits in their pool.
  const claimRole = w.state === 'open' ? claimRoleAt(actor, w, w.tier, pairedUnitIds) : null;
  if (claimRole && !(w.sensitive && claimRole === 'member')) {
    caps.push('tier_claimer');
    roleFor.tier_claimer = claimRole;
  }
  // The wall is open to the community's verified members, masked; residents see only their own wishes.
  const isMemberHere = actor.grants.some((g) => g.role === 'member' && g.orgId === w.communityId);
  const isCity = actor.grants.some((g) => g.role === 'city_admin');
  const isStreet = actor.grants.some((g) => g.role === 'street_handler' && g.orgId === w.streetId);
  const canView =
    isSubmitter || !!staffGrant || isClaimant || isCity || isStreet || caps.includes('tier_claimer') || (isMemberHere && !w.sensitive && w.state !== 'pending_review' && w.state !== 'rejected');
  const entries = caps.map((capacity) => ({ capacity, role: roleFor[capacity] as Role }));
  return { capacities: caps, entries, roleFor, canView, seesFull: isSubmitter || !!staffGrant || (isClaimant && caps.includes('claimant')) };
}
