import type { Role } from '@xinyuan/shared';

export interface Grant {
  role: Role;
  orgId: number;
}

/** The authenticated user making a request, with their active role grants. */
export interface Actor {
  userId: number;
  openid: string;
  nickname: string | null;
  grants: Grant[];
  /** Version of the privacy notice the user last consented to, if any. */
  consentVersion: string | null;
}

export function hasRole(actor: Actor, role: Role, orgId?: number): boolean {
  return actor.grants.some((g) => g.role === role && (orgId === undefined || g.orgId === orgId));
}

export function orgsWithRole(actor: Actor, roles: readonly Role[]): number[] {
  return actor.grants.filter((g) => roles.includes(g.role)).map((g) => g.orgId);
}
