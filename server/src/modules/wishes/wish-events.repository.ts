import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Database } from '../../database/database';
import { WishEvent } from './wish.entity';

export type NewWishEvent = Omit<WishEvent, 'id'>;

/** The ledger. Append and read only: events are never edited or deleted. */
@Injectable()
export class WishEventsRepository {
  constructor(private readonly db: Database) {}

  async append(m: EntityManager, e: NewWishEvent): Promise<void> {
    await m.createQueryBuilder().insert().into(WishEvent).values(e as QueryDeepPartialEntity<WishEvent>).execute();
  }

  listForWish(wishId: number): Promise<WishEvent[]> {
    return this.db.manager.createQueryBuilder(WishEvent, 'e').where('e.wish_id = :wishId', { wishId }).orderBy('e.id', 'ASC').getMany();
  }
}
