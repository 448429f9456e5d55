// Which grants count (access.ts, GRANT_AT): a grant is honoured while it is not
// revoked, its organisation exists and is active, and the organisation is of the
// kind its role is held at. Anything else is ignored (and logged once by the loader).
import { GRANT_AT, ROLES, type OrgKind, type Role } from '@xinyuan/shared';

export interface StoredGrant {
  role: string;
  orgId: number;
  orgKind: string | null;
  orgDeactivated: boolean;
}

/** Why a stored grant is not honoured, or null when it is. */
export function grantRefusal(g: StoredGrant): string | null {
  if (!(ROLES as readonly string[]).includes(g.role)) return `unknown role ${g.role}`;
  if (g.orgKind === null) return `organisation ${g.orgId} does not exist`;
  if (g.orgDeactivated) return `organisation ${g.orgId} is deactivated`;
  const kinds = GRANT_AT[g.role as Role];
  // A resident grant names a community for convenience only; anyone is a resident for themselves.
  if (kinds.length && !kinds.includes(g.orgKind as OrgKind)) return `${g.role} is not held at a ${g.orgKind}`;
  return null;
}
