import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../../database/database';
import { Photo, type PhotoPurpose } from './photo.entity';

@Injectable()
export class PhotosRepository {
  constructor(private readonly db: Database) {}

  findById(id: string): Promise<Photo | null> {
    return this.db.manager.findOne(Photo, { where: { id } });
  }

  /** Writes go through a transaction: on SQLite that queues them behind any open one. */
  async insert(photo: Photo): Promise<void> {
    await this.db.tx((m) => m.insert(Photo, photo));
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
