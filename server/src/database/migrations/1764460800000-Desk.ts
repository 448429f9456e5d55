import { MigrationInterface, QueryRunner, TableColumn, TableIndex, type TableColumnOptions } from 'typeorm';

const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'int', isNullable: nullable });
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const time = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', precision: 3, isNullable: nullable });
const flag = (name: string): TableColumnOptions => ({ name, type: 'boolean', isNullable: false, default: false });

/**
 * The committee's desk: the content check of each wish, duplicates, and the facts
 * the three rates need kept on the wish row (written with the event that makes
 * them, in the same transaction) so the rates are one indexed aggregate, not a
 * scan of the event log.
 */
export class Desk1764460800000 implements MigrationInterface {
  name = 'Desk1764460800000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('wish', [
      // The first `claim` event's time, whoever made it and whatever became of the claim.
      new TableColumn(time('first_claimed_at', true)),
      // Cancelled by its submitter (the resident withdrew it).
      new TableColumn(flag('cancelled_by_submitter')),
      // Cancelled by staff as a duplicate of this wish.
      new TableColumn(int('duplicate_of', true)),
      // msgSecCheck v2: pass | review | risky | unchecked, WeChat's label, when.
      new TableColumn(str('content_check', 16, true)),
      new TableColumn(int('content_label', true)),
      new TableColumn(time('content_checked_at', true)),
    ]);
    // Backfill from the event log (the facts were derived from it until now).
    await q.query(`UPDATE wish SET first_claimed_at = (SELECT MIN(e.created_at) FROM wish_event e WHERE e.wish_id = wish.id AND e.type = 'claim')`);
    await q.query(`UPDATE wish SET cancelled_by_submitter = 1 WHERE EXISTS (SELECT 1 FROM wish_event e WHERE e.wish_id = wish.id AND e.type = 'cancel' AND e.actor_id = wish.submitter_id)`);
    // The ledger and the rates read one organisation's wishes newest first (keyset on id):
    // without these the optimiser walks the whole primary key backwards to serve ORDER BY id.
    await q.createIndex('wish', new TableIndex({ name: 'idx_wish_community_id', columnNames: ['community_id', 'id'] }));
    await q.createIndex('wish', new TableIndex({ name: 'idx_wish_street_id', columnNames: ['street_id', 'id'] }));
    await q.createIndex('wish', new TableIndex({ name: 'idx_wish_district_id', columnNames: ['district_id', 'id'] }));

    await q.addColumns('member_registration', [new TableColumn(str('revoke_reason', 400, true)), new TableColumn(int('revoked_by', true)), new TableColumn(time('revoked_at', true))]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumns('member_registration', ['revoke_reason', 'revoked_by', 'revoked_at']);
    for (const i of ['idx_wish_community_id', 'idx_wish_street_id', 'idx_wish_district_id']) await q.dropIndex('wish', i);
    await q.dropColumns('wish', ['first_claimed_at', 'cancelled_by_submitter', 'duplicate_of', 'content_check', 'content_label', 'content_checked_at']);
  }
}
