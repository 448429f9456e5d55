import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RegistrationStatus } from '@xinyuan/shared';
import { Database } from '../../database/database';
import { MemberRegistration } from './member-registration.entity';

@Injectable()
export class MembersRepository {
  constructor(private readonly db: Database) {}

  findById(id: number): Promise<MemberRegistration | null> {
    return this.db.manager.findOne(MemberRegistration, { where: { id } });
  }

  /** A registration of the user at the community that still stands (pending or verified). */
  findStanding(userId: number, communityId: number, m: EntityManager = this.db.manager): Promise<MemberRegistration | null> {
    return m
      .createQueryBuilder(MemberRegistration, 'r')
      .where('r.user_id = :userId AND r.community_id = :communityId AND r.status IN (:...s)', { userId, communityId, s: ['pending', 'verified'] })
      .getOne();
  }

  /** A standing (pending or verified) registration at the community with this phone (keyed hash). */
  standingWithPhone(phoneHash: string, communityId: number): Promise<MemberRegistration | null> {
    return this.db.manager
      .createQueryBuilder(MemberRegistration, 'r')
      .where('r.community_id = :communityId AND r.phone_hash = :phoneHash AND r.status IN (:...s)', { communityId, phoneHash, s: ['pending', 'verified'] })
      .getOne();
  }

  async insert(m: EntityManager, r: Omit<MemberRegistration, 'id'>): Promise<number> {
    const res = await m.createQueryBuilder().insert().into(MemberRegistration).values(r).execute();
    return Number(res.identifiers[0]?.id ?? res.raw?.insertId);
  }

  /** Decides a pending registration; false when someone else decided it first. */
  async decide(m: EntityManager, id: number, status: RegistrationStatus, reviewerId: number, at: Date, reason: string | null): Promise<boolean> {
    const r = await m
      .createQueryBuilder()
      .update(MemberRegistration)
      .set({ status, reviewedBy: reviewerId, reviewedAt: at, refuseReason: reason })
      .where('id = :id AND status = :pending', { id, pending: 'pending' })
      .execute();
    return r.affected === 1;
  }

  /** Deactivates a verified registration; false when it is no longer verified. */
  async revoke(m: EntityManager, id: number, by: number, at: Date, reason: string): Promise<boolean> {
    const r = await m
      .createQueryBuilder()
      .update(MemberRegistration)
      .set({ status: 'revoked', revokedBy: by, revokedAt: at, revokeReason: reason })
      .where('id = :id AND status = :verified', { id, verified: 'verified' })
      .execute();
    return r.affected === 1;
  }

  byUser(userId: number): Promise<MemberRegistration[]> {
    return this.db.manager.find(MemberRegistration, { where: { userId }, order: { id: 'DESC' } });
  }

  byCommunity(communityId: number, status?: RegistrationStatus): Promise<MemberRegistration[]> {
    const qb = this.db.manager.createQueryBuilder(MemberRegistration, 'r').where('r.community_id = :communityId', { communityId }).orderBy('r.id', 'DESC').limit(200);
    if (status) qb.andWhere('r.status = :status', { status });
    return qb.getMany();
  }
}
