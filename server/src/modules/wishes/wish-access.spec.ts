import type { Actor } from '../../common/auth/actor';
import { standing, type WishPlace } from './wish-access';

const wish: WishPlace = { communityId: 10, compoundId: 11, streetId: 5, districtId: 2, submitterId: 1, claimantId: null, state: 'open', tier: 1, sensitive: false };
const actor = (userId: number, grants: Actor['grants']): Actor => ({ userId, openid: 'x', nickname: null, consentVersion: null, grants });

describe('standing towards a wish', () => {
  it('makes a verified member of the community a tier-1 claimer who sees masked data', () => {
    const s = standing(actor(2, [{ role: 'member', orgId: 10 }]), wish);
    expect(s.capacities).toEqual(['tier_claimer']);
    expect(s.canView).toBe(true);
    expect(s.seesFull).toBe(false);
  });
  it('gives a member of another community nothing', () => {
    const s = standing(actor(2, [{ role: 'member', orgId: 99 }]), wish);
    expect(s.capacities).toEqual([]);
    expect(s.canView).toBe(false);
  });
  it('lets staff see in full, and the active claimant too', () => {
    expect(standing(actor(3, [{ role: 'community_admin', orgId: 10 }]), wish).seesFull).toBe(true);
    const claimed = { ...wish, state: 'claimed' as const, claimantId: 2 };
    const s = standing(actor(2, [{ role: 'member', orgId: 10 }]), claimed);
    expect(s.capacities).toContain('claimant');
    expect(s.seesFull).toBe(true);
    const former = standing(actor(2, [{ role: 'member', orgId: 10 }]), { ...claimed, state: 'resolved' });
    expect(former.seesFull).toBe(false);
  });
  it('keeps sensitive wishes away from members', () => {
    const s = standing(actor(2, [{ role: 'member', orgId: 10 }]), { ...wish, sensitive: true });
    expect(s.canView).toBe(false);
    expect(s.capacities).toEqual([]);
  });
  it('picks the claimers of each tier in scope', () => {
    expect(standing(actor(4, [{ role: 'branch_secretary', orgId: 11 }]), { ...wish, tier: 2 }).capacities).toEqual(['tier_claimer']);
    expect(standing(actor(4, [{ role: 'branch_secretary', orgId: 12 }]), { ...wish, tier: 2 }).capacities).toEqual([]);
    expect(standing(actor(5, [{ role: 'unit_admin', orgId: 50 }]), { ...wish, tier: 3 }, [50]).capacities).toEqual(['tier_claimer']);
    expect(standing(actor(5, [{ role: 'unit_admin', orgId: 50 }]), { ...wish, tier: 3 }, []).capacities).toEqual([]);
    expect(standing(actor(6, [{ role: 'street_handler', orgId: 5 }]), { ...wish, tier: 4 }).capacities).toEqual(['tier_claimer']);
    expect(standing(actor(2, [{ role: 'member', orgId: 10 }]), { ...wish, tier: 2 }).capacities).toEqual([]);
  });
});
