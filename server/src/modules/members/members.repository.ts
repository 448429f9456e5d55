import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Rating, RegistrationStatus } from '@xinyuan/shared';

/** A wish a member fulfilled, as a service record lists it. */
export interface FulfilledRow {
  id: number;
  createdAt: Date;
  title: string;
  communityName: string;
  claimedAt: Date | null;
  completedAt: Date | null;
  resolvedAt: Date;
  rating: Rating | null;
}
import type { Pii } from '../../common/crypto/pii';
import { Database } from '../../database/database';
import { MemberRegistration } from './member-registration.entity';

/** A registration that still stands: the registrant may withdraw it. */
export const STANDING_STATUSES: readonly RegistrationStatus[] = ['pending', 'verified'];

export type ErasedRegistration = Pick<MemberRegistration, 'realName' | 'phone' | 'phoneHash' | 'workUnit'>;

/**
 * The registrant's details once erased: sealed empty values (current for `pii reencrypt`), no
 * phone hash left to look up, and no work unit (with the name gone it would only point at them).
 */
export function erasedRegistrationColumns(pii: Pii): ErasedRegistration {
  return { realName: pii.seal('', 'member_registration.real_name'), phone: pii.seal('', 'member_registration.phone'), phoneHash: null, workUnit: '' };
}

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

  /** The registration, locked for the rest of the caller's transaction on MySQL/MariaDB (a decision waits for it). */
  async lockById(m: EntityManager, id: number): Promise<MemberRegistration | null> {
    if (!this.db.isSqlite) await m.query(`SELECT id FROM member_registration WHERE id = ? FOR UPDATE`, [id]);
    return m.findOne(MemberRegistration, { where: { id } });
  }

  /** The user's registrations, oldest first, locked on MySQL/MariaDB (account deletion). */
  async lockByUser(m: EntityManager, userId: number): Promise<MemberRegistration[]> {
    if (!this.db.isSqlite) await m.query(`SELECT id FROM member_registration WHERE user_id = ? FOR UPDATE`, [userId]);
    return m.find(MemberRegistration, { where: { userId }, order: { id: 'ASC' } });
  }

  /**
   * The registrant withdraws a standing registration: status withdrawn, name, phone and work unit erased.
   * False when it no longer stands (decided meanwhile).
   */
  async withdraw(m: EntityManager, id: number, at: Date, erased: ErasedRegistration): Promise<boolean> {
    const r = await m
      .createQueryBuilder()
      .update(MemberRegistration)
      .set({ ...erased, status: 'withdrawn', erasedAt: at })
      .where('id = :id AND status IN (:...standing)', { id, standing: STANDING_STATUSES })
      .execute();
    return r.affected === 1;
  }

  /** Erases the name, phone and work unit of a registration that no longer stands (refused, revoked, withdrawn); its status and dates stay. False when erased already. */
  async erase(m: EntityManager, id: number, at: Date, erased: ErasedRegistration): Promise<boolean> {
    const r = await m.createQueryBuilder().update(MemberRegistration).set({ ...erased, erasedAt: at }).where('id = :id AND erased_at IS NULL', { id }).execute();
    return r.affected === 1;
  }

  /** Wishes the user holds as a member (claimant role member) in the community, locked on MySQL/MariaDB. */
  async heldAsMember(m: EntityManager, userId: number, communityId: number): Promise<number[]> {
    const rows: { id: number }[] = await m.query(
      `SELECT id FROM wish WHERE claimant_id = ? AND community_id = ? AND state = 'claimed' AND claimant_role = 'member' ORDER BY id${this.db.forUpdate()}`,
      [userId, communityId],
    );
    return rows.map((r) => Number(r.id));
  }

  /**
   * Wishes the user resolved as a member (the claimant at confirmation) in [from, to) on resolved_at,
   * in these communities (all when null), oldest first; read along idx_wish_claimant.
   */
  async fulfilled(userId: number, communityIds: readonly number[] | null, from: Date, to: Date): Promise<FulfilledRow[]> {
    if (communityIds && communityIds.length === 0) return [];
    const inCommunities = communityIds ? ` AND w.community_id IN (${communityIds.map(() => '?').join(', ')})` : '';
    const rows: Record<string, unknown>[] = await this.db.manager.query(
      `SELECT w.id, w.created_at, w.title, c.name AS community_name, w.claimed_at, w.completed_at, w.resolved_at, w.rating
         FROM wish w JOIN organisation c ON c.id = w.community_id
        WHERE w.claimant_id = ? AND w.state = 'resolved' AND w.claimant_role = 'member'${inCommunities}
          AND w.resolved_at >= ? AND w.resolved_at < ?
        ORDER BY w.resolved_at, w.id
        LIMIT 1000`,
      [userId, ...(communityIds ?? []), this.db.time(from), this.db.time(to)],
    );
    const t = (v: unknown) => this.db.readTime(v as string | Date | null);
    return rows.map((r) => ({
      id: Number(r.id),
      createdAt: t(r.created_at)!,
      title: String(r.title),
      communityName: String(r.community_name),
      claimedAt: t(r.claimed_at),
      completedAt: t(r.completed_at),
      resolvedAt: t(r.resolved_at)!,
      rating: (r.rating as Rating | null) ?? null,
    }));
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
