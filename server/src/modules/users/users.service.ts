import { Injectable } from '@nestjs/common';
import { PRIVACY_NOTICE_VERSION, type MeResponse } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
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
  ) {}

  async me(userId: number): Promise<MeResponse> {
    const user = await this.users.findById(userId);
    if (!user) throw new UsersException('UNAUTHENTICATED');
    const [grants, consent] = await Promise.all([this.users.activeGrants(userId), this.users.latestConsent(userId)]);
    const orgs = new Map((await this.orgs.findByIds([...new Set(grants.map((g) => g.orgId))])).map((o) => [o.id, o]));
    return {
      id: user.id,
      nickname: user.nickname,
      roles: grants.map((g) => ({ role: g.role, orgId: g.orgId, orgName: orgs.get(g.orgId)?.name ?? '', orgKind: orgs.get(g.orgId)?.kind ?? 'community' })),
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
