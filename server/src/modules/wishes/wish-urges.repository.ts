import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../../database/database';
import { exec } from '../../database/exec';

/** 催办 rows (wish_urge): kept apart from the event chain, one per wish per Beijing day. */
@Injectable()
export class WishUrgesRepository {
  constructor(private readonly db: Database) {}

  /** Records an urge; false when the wish was urged that day already (the unique key decides, also under races). */
  async insert(m: EntityManager, u: { wishId: number; userId: number; day: string; state: string; tier: number; at: Date }): Promise<boolean> {
    const verb = this.db.isSqlite ? 'INSERT OR IGNORE' : 'INSERT IGNORE';
    return (await exec(m, `${verb} INTO wish_urge (wish_id, user_id, day, state, tier, created_at) VALUES (?, ?, ?, ?, ?, ?)`, [u.wishId, u.userId, u.day, u.state, u.tier, this.db.time(u.at)])) === 1;
  }

  /** A wish's urges, oldest first. */
  async timesFor(wishId: number): Promise<Date[]> {
    const rows: { created_at: string | Date }[] = await this.db.manager.query(`SELECT created_at FROM wish_urge WHERE wish_id = ? ORDER BY id`, [wishId]);
    return rows.map((r) => this.db.readTime(r.created_at)!);
  }

  /** How many urges each wish has, and the last one's time (ledger rows). */
  async summaries(wishIds: readonly number[]): Promise<Map<number, { count: number; lastAt: Date }>> {
    if (wishIds.length === 0) return new Map();
    const rows: { wish_id: unknown; n: unknown; last_at: string | Date }[] = await this.db.manager.query(
      `SELECT wish_id, COUNT(*) AS n, MAX(created_at) AS last_at FROM wish_urge WHERE wish_id IN (${wishIds.map(() => '?').join(', ')}) GROUP BY wish_id`,
      [...wishIds],
    );
    return new Map(rows.map((r) => [Number(r.wish_id), { count: Number(r.n), lastAt: this.db.readTime(r.last_at)! }]));
  }
}
