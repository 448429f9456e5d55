// Which wishes an actor's ledger covers, from their grants (the ledger's read
// scope; claim and review rights are wish-access.ts's business).
import type { Actor } from '../../common/auth/actor';

export interface LedgerScope {
  /** community_admin, grid_worker: their community. */
  communityIds: number[];
  /** branch_secretary: their compound. */
  compoundIds: number[];
  /** street_handler: their street. */
  streetIds: number[];
  /** city_admin granted at a district. */
  districtIds: number[];
  /** city_admin granted at the city: every district under it. */
  cityIds: number[];
  /** The districts of those cities, looked up once per request (the query then names them). */
  cityDistrictIds: number[];
  /** unit_admin: communities the unit is or was paired with. */
  unitIds: number[];
}

/** Grants of city_admin name a city or a district; the caller says which ids are cities. */
export function ledgerScope(actor: Actor, cityOrgIds: ReadonlySet<number>, districtsOfCities: readonly number[] = []): LedgerScope {
  const s: LedgerScope = { communityIds: [], compoundIds: [], streetIds: [], districtIds: [], cityIds: [], cityDistrictIds: [], unitIds: [] };
  for (const g of actor.grants) {
    switch (g.role) {
      case 'community_admin':
      case 'grid_worker':
        s.communityIds.push(g.orgId);
        break;
      case 'branch_secretary':
        s.compoundIds.push(g.orgId);
        break;
      case 'street_handler':
        s.streetIds.push(g.orgId);
        break;
      case 'unit_admin':
        s.unitIds.push(g.orgId);
        break;
      case 'city_admin':
        (cityOrgIds.has(g.orgId) ? s.cityIds : s.districtIds).push(g.orgId);
        break;
      default:
        break;
    }
  }
  if (s.cityIds.length) s.cityDistrictIds.push(...districtsOfCities);
  return s;
}

export function isEmptyScope(s: LedgerScope): boolean {
  return [s.communityIds, s.compoundIds, s.streetIds, s.districtIds, s.cityIds, s.unitIds].every((ids) => ids.length === 0);
}

/** A whole organisation whose rates are asked for, with its ancestors. */
export interface RatesTarget {
  kind: 'community' | 'street' | 'district' | 'city';
  id: number;
  streetId?: number;
  districtId?: number;
  cityId?: number;
  /** Units paired with the community (community targets only). */
  pairedUnitIds?: number[];
}

/** May the actor see every wish of the target? (Rates over part of it are not offered.) */
export function coversTarget(s: LedgerScope, t: RatesTarget): boolean {
  const inCity = t.cityId !== undefined && s.cityIds.includes(t.cityId);
  const inDistrict = t.districtId !== undefined && s.districtIds.includes(t.districtId);
  switch (t.kind) {
    case 'city':
      return s.cityIds.includes(t.id);
    case 'district':
      return inCity || s.districtIds.includes(t.id);
    case 'street':
      return inCity || inDistrict || s.streetIds.includes(t.id);
    case 'community':
      return inCity || inDistrict || (t.streetId !== undefined && s.streetIds.includes(t.streetId)) || s.communityIds.includes(t.id) || (t.pairedUnitIds ?? []).some((u) => s.unitIds.includes(u));
  }
}
