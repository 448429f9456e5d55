import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { WishCategoryCode, WishState } from '@xinyuan/shared';
import { Database } from '../../database/database';
import { Wish } from './wish.entity';

export interface KeysetPage {
  limit: number;
  /** Decoded cursor: rows strictly after this (time, id) in descending order. */
  after?: { time: Date | null; id: number };
}

@Injectable()
export class WishesRepository {
  constructor(private readonly db: Database) {}

  findById(id: number, m: EntityManager = this.db.manager): Promise<Wish | null> {
    return m.findOne(Wish, { where: { id } });
  }

  async insert(m: EntityManager, w: Omit<Wish, 'id'>): Promise<number> {
    const r = await m.createQueryBuilder().insert().into(Wish).values(w).execute();
    return Number(r.identifiers[0]?.id ?? r.raw?.insertId);
  }

  /**
   * The guarded write behind every move: changes the row only if it is still in
   * the state and version that were read. Returns whether it did.
   */
  async guardedUpdate(m: EntityManager, id: number, expected: { state: WishState; version: number }, patch: Partial<Wish>): Promise<boolean> {
    const r = await m
      .createQueryBuilder()
      .update(Wish)
      .set({ ...patch, version: expected.version + 1 })
      .where('id = :id AND state = :state AND version = :version', { id, state: expected.state, version: expected.version })
      .execute();
    return r.affected === 1;
  }

  /** Ids of the wishes a user holds as claimant in a community right now. */
  async heldBy(userId: number, communityId: number): Promise<number[]> {
    const rows: { id: number }[] = await this.db.dataSource.query(`SELECT id FROM wish WHERE claimant_id = ? AND community_id = ? AND state = 'claimed' ORDER BY id`, [userId, communityId]);
    return rows.map((r) => Number(r.id));
  }

  /** Wishes a user holds as claimant right now. */
  async countActiveClaims(m: EntityManager, userId: number): Promise<number> {
    const rows: { n: number | string }[] = await m.query(`SELECT COUNT(*) AS n FROM wish WHERE claimant_id = ? AND state = 'claimed'`, [userId]);
    return Number(rows[0].n);
  }

  /** Open, non-sensitive wishes of a community, newest published first (keyset on published_at, id). */
  wall(communityId: number, category: WishCategoryCode | undefined, page: KeysetPage): Promise<Wish[]> {
    const qb = this.db.manager
      .createQueryBuilder(Wish, 'w')
      .where('w.community_id = :communityId AND w.state = :state AND w.sensitive = :sensitive', { communityId, state: 'open', sensitive: false })
      .orderBy('w.published_at', 'DESC')
      .addOrderBy('w.id', 'DESC')
      .limit(page.limit);
    if (category) qb.andWhere('w.category = :category', { category });
    if (page.after?.time) {
      qb.andWhere('(w.published_at < :t OR (w.published_at = :t AND w.id < :id))', { t: this.db.time(page.after.time), id: page.after.id });
    }
    return qb.getMany();
  }

  /** New wishes waiting for review in some communities, oldest first (keyset on id). */
  pendingReview(communityIds: number[], page: KeysetPage): Promise<Wish[]> {
    const qb = this.db.manager
      .createQueryBuilder(Wish, 'w')
      .where('w.state = :state AND w.community_id IN (:...communityIds)', { state: 'pending_review', communityIds })
      .orderBy('w.id', 'ASC')
      .limit(page.limit);
    if (page.after) qb.andWhere('w.id > :id', { id: page.after.id });
    return qb.getMany();
  }

  /** The red list: open wishes that went unclaimed through tier 4 (督办), in the given districts or streets. */
  supervised(scope: { districtIds: number[]; streetIds: number[]; all: boolean }, page: KeysetPage): Promise<Wish[]> {
    const qb = this.db.manager.createQueryBuilder(Wish, 'w').where('w.supervised_at IS NOT NULL AND w.state = :state', { state: 'open' }).orderBy('w.id', 'DESC').limit(page.limit);
    if (!scope.all) {
      qb.andWhere('(w.district_id IN (:...d) OR w.street_id IN (:...s))', { d: [0, ...scope.districtIds], s: [0, ...scope.streetIds] });
    }
    if (page.after) qb.andWhere('w.id < :id', { id: page.after.id });
    return qb.getMany();
  }

  /** A user's wishes as submitter or as claimant, newest first (keyset on id). */
  byPerson(userId: number, as: 'submitter' | 'claimant', state: WishState | undefined, page: KeysetPage): Promise<Wish[]> {
    const col = as === 'submitter' ? 'w.submitter_id' : 'w.claimant_id';
    const qb = this.db.manager.createQueryBuilder(Wish, 'w').where(`${col} = :userId`, { userId }).orderBy('w.id', 'DESC').limit(page.limit);
    if (state) qb.andWhere('w.state = :state', { state });
    if (page.after) qb.andWhere('w.id < :id', { id: page.after.id });
    return qb.getMany();
  }
}
