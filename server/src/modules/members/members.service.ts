import { Injectable } from '@nestjs/common';
import type { MemberRegistrationView, RegistrationStatus } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { AccessPolicy } from '../../access/policy';
import { AccessLogWriter } from '../access-log/access-log.writer';
import type { VisibilityCheck } from '../../access/sees.guard';
import { Clock } from '../../common/clock';
import { Database } from '../../database/database';
import { OrganisationsRepository } from '../organisations/organisations.repository';
import { UsersRepository } from '../users/users.repository';
import { assertConsented } from '../users/users.service';
import type { MemberRegistration } from './member-registration.entity';
import { MembersException } from './members.exception';
import { MembersRepository } from './members.repository';
import type { MemberRegistrationDto } from './members.dto';
import { RELEASED, WishLifecycle } from '../wishes/wish-lifecycle.service';
import { WishException } from '../wishes/wishes.exception';
import { WishesRepository } from '../wishes/wishes.repository';

export type MemberDeactivation = MemberRegistrationView & { releasedWishIds: number[] };

/**
 * Member registration at a community (双报到) and its verification by the community's
 * committee. A registration (real name, phone, work unit) is seen by the registrant and
 * by the committee of its community (ability `registrations`); anyone else is told it does not exist.
 */
@Injectable()
export class MembersService implements VisibilityCheck {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly registrations: MembersRepository,
    private readonly orgs: OrganisationsRepository,
    private readonly users: UsersRepository,
    private readonly wishes: WishesRepository,
    private readonly lifecycle: WishLifecycle,
    private readonly policy: AccessPolicy,
    private readonly accessLog: AccessLogWriter,
  ) {}

  async register(actor: Actor, dto: MemberRegistrationDto): Promise<MemberRegistrationView> {
    assertConsented(actor);
    const community = await this.orgs.findById(dto.communityId);
    if (!community || community.kind !== 'community') throw new MembersException('ORG_NOT_FOUND');
    if (await this.registrations.findStanding(actor.userId, dto.communityId)) throw new MembersException('REGISTRATION_EXISTS');
    // One standing registration per phone and community (found by its keyed hash: the phone itself is sealed).
    const phoneHash = this.db.pii.phoneHash(dto.phone);
    if (phoneHash && (await this.registrations.standingWithPhone(phoneHash, dto.communityId))) throw new MembersException('REGISTRATION_EXISTS', '该手机号已在本社区报到');
    const now = this.clock.now();
    const id = await this.db.tx(async (m) => {
      // Checked again under the person's row lock, so simultaneous submissions make one registration.
      await this.users.lockForUpdate(m, actor.userId);
      if (await this.registrations.findStanding(actor.userId, dto.communityId, m)) throw new MembersException('REGISTRATION_EXISTS');
      return this.registrations.insert(m, {
        userId: actor.userId,
        communityId: dto.communityId,
        realName: this.db.pii.seal(dto.realName, 'member_registration.real_name'),
        phone: this.db.pii.seal(dto.phone, 'member_registration.phone'),
        phoneHash,
        workUnit: dto.workUnit,
        status: 'pending',
        refuseReason: null,
        reviewedBy: null,
        reviewedAt: null,
        revokeReason: null,
        revokedBy: null,
        revokedAt: null,
        erasedAt: null,
        createdAt: now,
      });
    });
    return this.view(actor, (await this.registrations.findById(id))!);
  }

  async mine(actor: Actor): Promise<MemberRegistrationView[]> {
    return this.views(actor, await this.registrations.byUser(actor.userId));
  }

  async forCommunity(actor: Actor, communityId: number, status?: RegistrationStatus): Promise<MemberRegistrationView[]> {
    if (!this.decides(actor, communityId)) throw new MembersException('FORBIDDEN').because('registrations: not the committee of the community');
    return this.views(actor, await this.registrations.byCommunity(communityId, status));
  }

  async verify(actor: Actor, id: number): Promise<MemberRegistrationView> {
    const reg = await this.pendingInScope(actor, id);
    const now = this.clock.now();
    await this.db.tx(async (m) => {
      if (!(await this.registrations.decide(m, reg.id, 'verified', actor.userId, now, null))) throw new MembersException('REGISTRATION_NOT_PENDING');
      await this.users.grant(m, reg.userId, 'member', reg.communityId, actor.userId);
    });
    return this.view(actor, (await this.registrations.findById(id))!);
  }

  async refuse(actor: Actor, id: number, reason: string): Promise<MemberRegistrationView> {
    const reg = await this.pendingInScope(actor, id);
    await this.db.tx(async (m) => {
      if (!(await this.registrations.decide(m, reg.id, 'refused', actor.userId, this.clock.now(), reason.trim()))) throw new MembersException('REGISTRATION_NOT_PENDING');
    });
    return this.view(actor, (await this.registrations.findById(id))!);
  }

  /**
   * Deactivates a verified member: the registration is revoked with the reason, the
   * member grant ends (so the person can no longer claim here), and the wishes they
   * hold in the community go back to their tier's pool, each with a staff `release`
   * event carrying the reason.
   */
  async deactivate(actor: Actor, id: number, reason: string): Promise<MemberDeactivation> {
    const reg = await this.decidable(actor, id);
    if (reg.status !== 'verified') throw new MembersException('REGISTRATION_NOT_VERIFIED');
    const now = this.clock.now();
    const why = reason.trim();
    await this.db.tx(async (m) => {
      if (!(await this.registrations.revoke(m, reg.id, actor.userId, now, why))) throw new MembersException('REGISTRATION_NOT_VERIFIED');
      await this.users.revokeGrant(m, reg.userId, 'member', reg.communityId, now);
    });
    const released: number[] = [];
    for (const wishId of await this.wishes.heldBy(reg.userId, reg.communityId)) {
      try {
        await this.lifecycle.move(actor, wishId, 'release', { reason: `党员已停用：${why}`, patch: () => RELEASED });
        released.push(wishId);
      } catch (e) {
        // Moved on meanwhile (completed, released): nothing to take back.
        if (!(e instanceof WishException)) throw e;
      }
    }
    return { ...(await this.view(actor, (await this.registrations.findById(id))!)), releasedWishIds: released };
  }

  /** For @Sees(MembersService): the registrant and the community's committee see a registration; anyone else gets 404. */
  async assertVisible(actor: Actor, id: number): Promise<void> {
    await this.visible(actor, id);
  }

  private async visible(actor: Actor, id: number): Promise<MemberRegistration> {
    const reg = await this.registrations.findById(id);
    if (!reg || (reg.userId !== actor.userId && !this.decides(actor, reg.communityId))) throw new MembersException('REGISTRATION_NOT_FOUND').because('registration: neither the registrant nor the committee');
    return reg;
  }

  /** A registration the actor sees and may decide (the committee of its community; never the registrant's own). */
  private async decidable(actor: Actor, id: number): Promise<MemberRegistration> {
    const reg = await this.visible(actor, id);
    if (reg.userId === actor.userId || !this.decides(actor, reg.communityId)) throw new MembersException('FORBIDDEN').because('registrations: the registrant does not decide their own');
    return reg;
  }

  private async pendingInScope(actor: Actor, id: number): Promise<MemberRegistration> {
    const reg = await this.decidable(actor, id);
    if (reg.status !== 'pending') throw new MembersException('REGISTRATION_NOT_PENDING');
    return reg;
  }

  private decides(actor: Actor, communityId: number): boolean {
    return this.policy.grantsFor(actor, 'registrations').some((g) => g.orgId === communityId);
  }

  /** Registrations as shown; the committee's reads of someone else's name and phone are logged first (and refused when they cannot be). */
  private async views(actor: Actor, rows: MemberRegistration[]): Promise<MemberRegistrationView[]> {
    const communities = [...new Set(rows.map((r) => r.communityId))];
    const others = rows.filter((r) => r.userId !== actor.userId);
    if (others.length) {
      const districts = new Map<number, number | null>();
      for (const c of communities) districts.set(c, (await this.orgs.pathOf(c))?.byKind.district ?? null);
      const grant = this.policy.grantsFor(actor, 'registrations')[0];
      const now = this.clock.now();
      await this.accessLog.record(
        others.map((r) => ({ at: now, actorId: actor.userId, actorRole: grant?.role ?? null, actorOrgId: grant?.orgId ?? null, subjectUserId: r.userId, wishId: null, registrationId: r.id, districtId: districts.get(r.communityId) ?? null, purpose: 'registration' as const, fields: ['real_name', 'phone'], filter: null, rowCount: null })),
      );
    }
    const orgs = new Map((await this.orgs.findByIds(communities)).map((o) => [o.id, o.name]));
    return rows.map((r) => this.toView(r, orgs.get(r.communityId) ?? ''));
  }

  private async view(actor: Actor, r: MemberRegistration): Promise<MemberRegistrationView> {
    return (await this.views(actor, [r]))[0];
  }

  private toView(r: MemberRegistration, communityName: string): MemberRegistrationView {
    return {
      id: r.id,
      userId: r.userId,
      communityId: r.communityId,
      communityName,
      realName: this.db.pii.open(r.realName, 'member_registration.real_name'),
      phone: this.db.pii.open(r.phone, 'member_registration.phone'),
      workUnit: r.workUnit,
      status: r.status,
      createdAt: r.createdAt.toISOString(),
      reviewedAt: r.reviewedAt ? r.reviewedAt.toISOString() : null,
      refuseReason: r.refuseReason,
      revokeReason: r.revokeReason,
      revokedAt: r.revokedAt ? r.revokedAt.toISOString() : null,
    };
  }
}
