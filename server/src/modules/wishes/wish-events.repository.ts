import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Database } from '../../database/database';
import { seal, type ChainHead } from './event-chain';
import { Wish, WishEvent } from './wish.entity';

/** An event before it is sealed onto its wish's chain. */
export type NewWishEvent = Omit<WishEvent, 'id' | 'seq' | 'textDigest' | 'chainHash'>;
/** An event sealed onto its wish's chain: what append() writes. */
export type SealedWishEvent = Omit<WishEvent, 'id'>;

/** The wish row's columns that keep its chain's head, for the event just sealed. */
export const headColumns = (e: SealedWishEvent): Pick<Wish, 'chainSeq' | 'chainHead'> => ({ chainSeq: e.seq!, chainHead: e.chainHash });
export const headOf = (w: Pick<Wish, 'chainSeq' | 'chainHead'>): ChainHead => ({ seq: Number(w.chainSeq ?? 0), hash: w.chainHead ?? null });

/** The ledger. Append and read only: events are never edited or deleted. */
@Injectable()
export class WishEventsRepository {
  constructor(private readonly db: Database) {}

  /** Seals an event onto the chain of a wish whose row (as read for the guarded write) is `w` (pure). */
  seal(e: NewWishEvent, w: Pick<Wish, 'chainSeq' | 'chainHead'>): SealedWishEvent {
    return { ...e, ...seal(e, headOf(w)) };
  }

  /** Inserts a sealed event; the caller's guarded UPDATE of the wish writes its head (headColumns) in the same transaction. */
  async append(m: EntityManager, e: SealedWishEvent): Promise<void> {
    await m.createQueryBuilder().insert().into(WishEvent).values(e as QueryDeepPartialEntity<WishEvent>).execute();
  }

  /** A new wish's first event: sealed, inserted, and the head written on the wish row (the submit's transaction). */
  async appendFirst(m: EntityManager, e: NewWishEvent): Promise<void> {
    const sealed = this.seal(e, { chainSeq: 0, chainHead: null });
    await this.append(m, sealed);
    await m.createQueryBuilder().update(Wish).set(headColumns(sealed)).where('id = :id AND chain_seq = 0', { id: e.wishId }).execute();
  }

  listForWish(wishId: number): Promise<WishEvent[]> {
    return this.db.manager.createQueryBuilder(WishEvent, 'e').where('e.wish_id = :wishId', { wishId }).orderBy('e.id', 'ASC').getMany();
  }
}
