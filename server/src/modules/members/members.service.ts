import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ERASED_NAME, REGISTRATION_WITHDRAWAL_REASON, type MemberRegistrationView, type RegistrationStatus } from '@xinyuan/shared';
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
import { erasedRegistrationColumns, MembersRepository, STANDING_STATUSES } from './members.repository';
import type { MemberRegistrationDto } from './members.dto';
import { RELEASED, WishLifecycle } from '../wishes/wish-lifecycle.service';
import { WishException } from '../wishes/wishes.exception';
import { WishesRepository } from '../wishes/wishes.repository';

export type MemberDeactivation = MemberRegistrationView & { releasedWishIds: number[] };
/** A withdrawal answers like a deactivation: the registration as it now is, and the claims that went back to the pool. */
export type MemberWithdrawal = MemberDeactivation;

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
      // Deactivation revokes at once: the member's tokens stop working (the app signs in again, without the grant).
      await this.users.bumpTokenVersion(m, reg.userId);
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

  /**
   * The registrant withdraws their own registration (pending or verified): status withdrawn, their
   * name, phone and work unit erased; a verified member's grant ends and the wishes they hold as a member of
   * the community go back to their tier's pool, each with a `release` event (as a deactivation
   * does), all in one transaction. The committee, who reads it, may not withdraw it for them (403:
   * they deactivate); anyone else is told it does not exist (the guard's 404).
   */
  async withdraw(actor: Actor, id: number): Promise<MemberWithdrawal> {
    const reg = await this.visible(actor, id);
    if (reg.userId !== actor.userId) throw new MembersException('FORBIDDEN').because('withdraw: only the registrant withdraws a registration');
    if (!STANDING_STATUSES.includes(reg.status)) throw new MembersException('REGISTRATION_CLOSED');
    const released = await this.db.tx((m) => this.withdrawIn(m, actor, reg.id, this.clock.now(), REGISTRATION_WITHDRAWAL_REASON));
    return { ...(await this.view(actor, (await this.registrations.findById(id))!)), releasedWishIds: released };
  }

  /**
   * Withdraws a standing registration of the actor inside the caller's transaction (the
   * withdrawal above; account deletion). Returns the wishes released; REGISTRATION_CLOSED when
   * it no longer stands.
   */
  async withdrawIn(m: EntityManager, actor: Actor, id: number, now: Date, reason: string): Promise<number[]> {
    // Read under its lock: a committee deciding it at the same moment waits, then finds it withdrawn.
    const reg = await this.registrations.lockById(m, id);
    if (!reg || reg.userId !== actor.userId || !STANDING_STATUSES.includes(reg.status)) throw new MembersException('REGISTRATION_CLOSED');
    if (!(await this.registrations.withdraw(m, reg.id, now, erasedRegistrationColumns(this.db.pii)))) throw new MembersException('REGISTRATION_CLOSED');
    if (reg.status !== 'verified') return [];
    await this.users.revokeGrant(m, reg.userId, 'member', reg.communityId, now);
    const released: number[] = [];
    for (const wishId of await this.registrations.heldAsMember(m, reg.userId, reg.communityId)) {
      try {
        // The member gives the claim back themselves (capacity claimant): the same release, event and notices as a deactivation's.
        await this.lifecycle.moveIn(m, actor, wishId, 'release', { reason, patch: () => RELEASED });
        released.push(wishId);
      } catch (e) {
        // A claim the policy no longer lets them hold (an organisation switched off): the committee takes it back.
        if (!(e instanceof WishException)) throw e;
      }
    }
    return released;
  }

  /**
   * Account deletion, inside its transaction: every registration of the actor that stands is
   * withdrawn (as above); the name, phone and work unit of the others (refused, revoked) are erased too.
   */
  async withdrawAllIn(m: EntityManager, actor: Actor, now: Date, reason: string): Promise<{ withdrawn: number; released: number[] }> {
    let withdrawn = 0;
    const released: number[] = [];
    for (const reg of await this.registrations.lockByUser(m, actor.userId)) {
      if (STANDING_STATUSES.includes(reg.status)) {
        released.push(...(await this.withdrawIn(m, actor, reg.id, now, reason)));
        withdrawn++;
      } else {
        await this.registrations.erase(m, reg.id, now, erasedRegistrationColumns(this.db.pii));
      }
    }
    return { withdrawn, released };
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
    // An erased registration shows no name or phone: nothing to log.
    const others = rows.filter((r) => r.userId !== actor.userId && !r.erasedAt);
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
      // Erased (withdrawn, the account deleted, or past retention): placeholders, nothing opened.
      realName: r.erasedAt ? ERASED_NAME : this.db.pii.open(r.realName, 'member_registration.real_name'),
      phone: r.erasedAt ? '' : this.db.pii.open(r.phone, 'member_registration.phone'),
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
