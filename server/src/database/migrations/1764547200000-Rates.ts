import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The three rates as one aggregate read from an index alone. The rates and the
 * dashboard take a target's wishes as community_id IN (its communities), so
 * these two indexes serve a community, a street, a district and the city alike:
 * - idx_wish_rates: every column the rates' counters and durations read, after
 *   (community_id, published_at) for the period;
 * - idx_wish_created: the dashboard's wishes-by-state-and-tier bars over the
 *   submission date.
 */
export class Rates1764547200000 implements MigrationInterface {
  name = 'Rates1764547200000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex(
      'wish',
      new TableIndex({
        name: 'idx_wish_rates',
        columnNames: ['community_id', 'published_at', 'state', 'tier', 'first_claimed_at', 'supervised_at', 'cancelled_by_submitter', 'rating', 'due_at', 'completed_at', 'resolved_at'],
      }),
    );
    await q.createIndex('wish', new TableIndex({ name: 'idx_wish_created', columnNames: ['community_id', 'created_at', 'state', 'tier', 'published_at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('wish', 'idx_wish_created');
    await q.dropIndex('wish', 'idx_wish_rates');
  }
}
