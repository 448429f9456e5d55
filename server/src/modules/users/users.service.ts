import { Injectable } from '@nestjs/common';
import { ABILITIES, PRIVACY_NOTICE_VERSION, type Ability, type AbilityView, type MeResponse } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { ActorLoader } from '../../common/auth/actor-loader';
import { AccessPolicy } from '../../access/policy';
import { AppException } from '../../common/errors/app.exception';
import { OrganisationsRepository } from '../organisations/organisations.repository';
import { UsersRepository } from './users.repository';

export class UsersException extends AppException<'CONSENT_VERSION_MISMATCH' | 'CONSENT_REQUIRED' | 'UNAUTHENTICATED'> {}

/** Refuses an action that needs consent to the current privacy notice. */
export function assertConsented(actor: Actor): void {
  if (actor.consentVersion !== PRIVACY_NOTICE_VERSION) throw new UsersException('CONSENT_REQUIRED');
}

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly orgs: OrganisationsRepository,
    private readonly actors: ActorLoader,
    private readonly policy: AccessPolicy,
  ) {}

  /** Who the person is, the grants the policy honours and what it lets them do. */
  async me(userId: number): Promise<MeResponse> {
    const [user, actor, consent] = await Promise.all([this.users.findById(userId), this.actors.load(userId), this.users.latestConsent(userId)]);
    if (!user || !actor) throw new UsersException('UNAUTHENTICATED');
    const names = new Map((await this.orgs.findByIds([...new Set(actor.grants.map((g) => g.orgId))])).map((o) => [o.id, o.name]));
    const abilities = {} as Record<Ability, AbilityView>;
    for (const a of ABILITIES) {
      const allowed = this.policy.can(actor, a);
      const orgs = allowed ? this.policy.grantsFor(actor, a).filter((g, i, all) => all.findIndex((x) => x.orgId === g.orgId) === i) : [];
      abilities[a] = { allowed, orgs: a === 'submit' ? [] : orgs.map((g) => ({ orgId: g.orgId, orgName: names.get(g.orgId) ?? '', orgKind: g.orgKind })) };
    }
    return {
      id: user.id,
      nickname: user.nickname,
      roles: actor.grants.map((g) => ({ role: g.role, orgId: g.orgId, orgName: names.get(g.orgId) ?? '', orgKind: g.orgKind })),
      abilities,
      consent: consent ? { version: consent.noticeVersion, consentedAt: consent.consentedAt.toISOString() } : null,
      consentRequired: consent?.noticeVersion !== PRIVACY_NOTICE_VERSION,
      privacyNoticeVersion: PRIVACY_NOTICE_VERSION,
    };
  }

  async consent(actor: Actor, version: string): Promise<MeResponse> {
    if (version !== PRIVACY_NOTICE_VERSION) throw new UsersException('CONSENT_VERSION_MISMATCH');
    await this.users.recordConsent(actor.userId, version);
    return this.me(actor.userId);
  }
}
