import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../../database/database';
import { IdempotencyKey } from './idempotency-key.entity';

export type NewKey = Omit<IdempotencyKey, 'id' | 'committedAt' | 'status' | 'response' | 'state'>;

/** The idempotency_key table. Every change is guarded by the attempt that owns the row. */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly db: Database) {}

  /** Inserts the key unless (user, key) is already there; then reads the row, locked until the transaction ends. */
  async reserve(m: EntityManager, k: NewKey): Promise<IdempotencyKey> {
    await m.createQueryBuilder().insert().into(IdempotencyKey).values({ ...k, state: 'running' }).orIgnore().execute();
    const rows = await m.query(`SELECT id FROM idempotency_key WHERE user_id = ? AND idem_key = ?${this.db.forUpdate()}`, [k.userId, k.key]);
    return m.findOneByOrFail(IdempotencyKey, { id: (rows as { id: number }[])[0].id });
  }

  /** Gives a row to a new attempt: an expired one (not yet purged), or one whose attempt died before writing. */
  async takeOver(m: EntityManager, row: IdempotencyKey, k: NewKey, expired: boolean): Promise<boolean> {
    const q = m
      .createQueryBuilder()
      .update(IdempotencyKey)
      .set({ ...k, state: 'running', committedAt: null, status: null, response: null })
      .where('id = :id AND owner = :owner', { id: row.id, owner: row.owner });
    if (!expired) q.andWhere('committed_at IS NULL');
    return ((await q.execute()).affected ?? 0) === 1;
  }

  /** In the write's own transaction: a write committed under this attempt. False: the attempt no longer owns the key. */
  async stampCommitted(m: EntityManager, id: number, owner: string, now: Date): Promise<boolean> {
    const r = await m.createQueryBuilder().update(IdempotencyKey).set({ committedAt: now }).where('id = :id AND owner = :owner', { id, owner }).execute();
    return (r.affected ?? 0) === 1;
  }

  /** The attempt's answer, final: replayed from now on (status null: the outcome is unknown). */
  async finish(m: EntityManager, id: number, owner: string, status: number | null, response: string | null): Promise<void> {
    await m.createQueryBuilder().update(IdempotencyKey).set({ state: 'done', status, response }).where('id = :id AND owner = :owner', { id, owner }).execute();
  }

  /** Frees the key of an attempt that wrote nothing (a 5xx): the next request with it runs afresh. False: something was written. */
  async releaseUnwritten(m: EntityManager, id: number, owner: string): Promise<boolean> {
    const r = await m.createQueryBuilder().delete().from(IdempotencyKey).where('id = :id AND owner = :owner AND committed_at IS NULL', { id, owner }).execute();
    return (r.affected ?? 0) === 1;
  }

  /** Deletes keys kept past their day; returns how many. */
  async purge(m: EntityManager, now: Date): Promise<number> {
    const r = await m.createQueryBuilder().delete().from(IdempotencyKey).where('expires_at <= :now', { now: this.db.time(now) }).execute();
    return r.affected ?? 0;
  }
}
