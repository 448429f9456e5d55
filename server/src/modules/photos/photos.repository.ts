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
}
