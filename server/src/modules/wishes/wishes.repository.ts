import { Injectable } from '@nestjs/common';
import { Brackets, type EntityManager } from 'typeorm';
import type { Sql } from '../../access/relations';
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

  /** Wishes a person submitted that nobody has taken up yet (waiting for review, or open). */
  async countPendingOf(m: EntityManager, userId: number): Promise<number> {
    const rows: { n: number | string }[] = await m.query(`SELECT COUNT(*) AS n FROM wish WHERE submitter_id = ? AND state IN ('pending_review', 'open')`, [userId]);
    return Number(rows[0].n);
  }

  /** Wishes a user holds as claimant right now. */
  async countActiveClaims(m: EntityManager, userId: number): Promise<number> {
    const rows: { n: number | string }[] = await m.query(`SELECT COUNT(*) AS n FROM wish WHERE claimant_id = ? AND state = 'claimed'`, [userId]);
    return Number(rows[0].n);
  }

  /** How many wishes match a condition from the access policy (a desk's counts). */
  async count(where: Sql): Promise<number> {
    return this.db.manager.createQueryBuilder(Wish, 'w').where(named(where, 'p')).getCount();
  }

  /**
   * One keyset page of the wishes matching a condition from the access policy (a list's rows are
   * the rows its readers may open), newest published first ('published': the wall) or by id.
   */
  list(where: Sql, order: 'published' | 'newest' | 'oldest', page: KeysetPage, extra: { category?: WishCategoryCode; state?: WishState } = {}): Promise<Wish[]> {
    const qb = this.db.manager.createQueryBuilder(Wish, 'w').where(named(where, 'p')).limit(page.limit);
    if (extra.category) qb.andWhere('w.category = :category', { category: extra.category });
    if (extra.state) qb.andWhere('w.state = :state', { state: extra.state });
    if (order === 'published') {
      qb.orderBy('w.published_at', 'DESC').addOrderBy('w.id', 'DESC');
      if (page.after?.time) qb.andWhere('(w.published_at < :t OR (w.published_at = :t AND w.id < :id))', { t: this.db.time(page.after.time), id: page.after.id });
    } else {
      qb.orderBy('w.id', order === 'newest' ? 'DESC' : 'ASC');
      if (page.after) qb.andWhere(order === 'newest' ? 'w.id < :id' : 'w.id > :id', { id: page.after.id });
    }
    return qb.getMany();
  }
}

/** A positional condition as a TypeORM Brackets with named parameters (prefix_0, prefix_1, ...). */
function named(where: Sql, prefix: string): Brackets {
  let i = 0;
  const params: Record<string, unknown> = {};
  const sql = where.sql.replace(/\?/g, () => {
    const key = `${prefix}_${i++}`;
    params[key] = where.params[i - 1];
    return `:${key}`;
  });
  return new Brackets((qb) => qb.where(sql, params));
}
