import type { OrgKind, Role } from '@xinyuan/shared';

export interface Grant {
  role: Role;
  orgId: number;
  orgKind: OrgKind;
}

/**
 * The authenticated user making a request, with the role grants the access policy
 * honours (server/src/access/grants.ts): not revoked, on an organisation that exists,
 * is active and is of the kind the role is held at.
 */
export interface Actor {
  userId: number;
  openid: string;
  nickname: string | null;
  grants: Grant[];
  /** Version of the privacy notice the user last consented to, if any. */
  consentVersion: string | null;
  /** app_user.token_version: a token issued under another version is revoked. */
  tokenVersion: number;
  /** The account was deleted (no token of it is accepted). */
  deleted: boolean;
}
