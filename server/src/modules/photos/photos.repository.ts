import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../../database/database';
import { Photo, type PhotoPurpose } from './photo.entity';

export interface OrphanPhoto {
  id: string;
  storageKey: string;
  size: number;
}

@Injectable()
export class PhotosRepository {
  constructor(private readonly db: Database) {}

  findById(id: string): Promise<Photo | null> {
    return this.db.manager.findOne(Photo, { where: { id } });
  }

  /** Writes go through a transaction: on SQLite that queues them behind any open one. */
  async insert(photo: Photo, m?: EntityManager): Promise<void> {
    if (m) await m.insert(Photo, photo);
    else await this.db.tx((tx) => tx.insert(Photo, photo));
  }

  /**
   * How many photos of one owner created after `since` are still unattached, and
   * when the oldest of them was made (null when none). Uses the owner_id index.
   */
  async unattachedSince(ownerId: number, since: Date, m: EntityManager = this.db.manager): Promise<{ count: number; oldest: Date | null }> {
    const rows: { n: number | string; oldest: string | Date | null }[] = await m.query(
      'SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM photo WHERE owner_id = ? AND wish_id IS NULL AND created_at > ?',
      [ownerId, this.db.time(since)],
    );
    return { count: Number(rows[0]?.n ?? 0), oldest: this.db.readTime(rows[0]?.oldest ?? null) };
  }

  /**
   * Up to `limit` unattached photos created before `before`, oldest first, locked
   * for the rest of the caller's transaction on MySQL/MariaDB (rows another
   * instance holds are skipped, as are rows a wish is taking right now).
   */
  async lockOrphans(m: EntityManager, before: Date, limit: number): Promise<OrphanPhoto[]> {
    const lock = this.db.isSqlite ? '' : ' FOR UPDATE SKIP LOCKED';
    const rows: { id: string; storage_key: string; size: number | string }[] = await m.query(
      `SELECT id, storage_key, size FROM photo WHERE wish_id IS NULL AND created_at < ? ORDER BY created_at, id LIMIT ${Number(limit)}${lock}`,
      [this.db.time(before)],
    );
    return rows.map((r) => ({ id: r.id, storageKey: r.storage_key, size: Number(r.size) }));
  }

  /**
   * Deletes these photos if they are still unattached: a photo a wish took in
   * the meantime stays. Returns how many rows went.
   */
  async deleteUnattached(m: EntityManager, ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const r = await m.createQueryBuilder().delete().from(Photo).where('id IN (:...ids)', { ids }).andWhere('wish_id IS NULL').execute();
    return r.affected ?? 0;
  }

  /** The photos with these ids, whoever owns them; m is the caller's transaction, if any. */
  findByIds(ids: string[], m: EntityManager = this.db.manager): Promise<Photo[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return m.createQueryBuilder(Photo, 'p').where('p.id IN (:...ids)', { ids }).getMany();
  }

  /**
   * Gives unused photos of one owner to a wish. Guarded, so a photo is taken once
   * even by two transactions at the same time: returns how many rows changed.
   */
  async attach(m: EntityManager, ownerId: number, ids: string[], wishId: number, purpose: PhotoPurpose): Promise<number> {
    const r = await m
      .createQueryBuilder()
      .update(Photo)
      .set({ wishId, purpose })
      .where('id IN (:...ids)', { ids })
      .andWhere('owner_id = :ownerId', { ownerId })
      .andWhere('wish_id IS NULL')
      .execute();
    return r.affected ?? 0;
  }

  /** Photos of many wishes in one query, oldest first. */
  listForWishes(wishIds: number[]): Promise<Photo[]> {
    if (wishIds.length === 0) return Promise.resolve([]);
    return this.db.manager
      .createQueryBuilder(Photo, 'p')
      .where('p.wish_id IN (:...wishIds)', { wishIds })
      .orderBy('p.createdAt', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .getMany();
  }

  // ---- WeChat's media check ----

  /** Pending photos whose check is due (never sent, sent too long ago, or a retry), oldest first. Uses idx_photo_check_due. */
  dueChecks(now: Date, limit: number): Promise<Photo[]> {
    return this.db.manager
      .createQueryBuilder(Photo, 'p')
      .where("p.check_state = 'pending'")
      .andWhere('p.check_next_at <= :now', { now: this.db.time(now) })
      .orderBy('p.check_next_at', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /**
   * Takes a pending photo for one submission attempt: counts it and moves check_next_at to
   * `retryAt` (when to look again if this attempt dies), guarded on the attempts seen, so two
   * runs (or instances) never submit the same photo at once. False when someone else took it.
   */
  takeCheck(id: string, attemptsSeen: number, retryAt: Date): Promise<boolean> {
    return this.db.tx(async (m) => {
      const r = await m
        .createQueryBuilder()
        .update(Photo)
        .set({ checkAttempts: () => 'check_attempts + 1', checkNextAt: retryAt })
        .where('id = :id', { id })
        .andWhere("check_state = 'pending'")
        .andWhere('check_attempts = :attemptsSeen', { attemptsSeen })
        .execute();
      return (r.affected ?? 0) === 1;
    });
  }

  /** WeChat took the photo: its trace id, and when to submit again if no result comes. */
  recordSubmission(id: string, traceId: string, at: Date, resubmitAt: Date): Promise<void> {
    return this.db.tx(async (m) => {
      await m
        .createQueryBuilder()
        .update(Photo)
        .set({ checkTraceId: traceId, checkSubmittedAt: at, checkNextAt: resubmitAt })
        .where('id = :id', { id })
        .andWhere("check_state = 'pending'")
        .execute();
    });
  }

  /** No result in time: the photo is shown, marked unchecked. A result arriving later still settles it. */
  async giveUpCheck(id: string): Promise<boolean> {
    return this.db.tx(async (m) => {
      const r = await m.createQueryBuilder().update(Photo).set({ checkState: 'unchecked', checkNextAt: null }).where('id = :id', { id }).andWhere("check_state = 'pending'").execute();
      return (r.affected ?? 0) === 1;
    });
  }

  /** The photo WeChat's trace id names (compared exactly in code: MariaDB's collation ignores case). */
  async findByTrace(traceId: string, m: EntityManager = this.db.manager): Promise<Photo | null> {
    const rows = await m.createQueryBuilder(Photo, 'p').where('p.check_trace_id = :traceId', { traceId }).getMany();
    return rows.find((p) => p.checkTraceId === traceId) ?? null;
  }

  /**
   * Settles a photo's check with WeChat's verdict, once: only from pending (or unchecked, when a
   * late result arrives after the job gave up). Returns whether this call changed it.
   */
  async settleCheck(m: EntityManager, id: string, to: 'passed' | 'review' | 'failed', label: number | null, at: Date): Promise<boolean> {
    const r = await m
      .createQueryBuilder()
      .update(Photo)
      .set({ checkState: to, checkLabel: label, checkedAt: at, checkNextAt: null })
      .where('id = :id', { id })
      .andWhere("check_state IN ('pending', 'unchecked')")
      .execute();
    return (r.affected ?? 0) === 1;
  }
}
