import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The integrity flags (server/src/modules/ledger/integrity.repository.ts) ask of each wish in a
 * community and period (idx_wish_integrity, below) whether certain events exist (a silent confirmation, releases, a completion
 * soon after its claim, an approval by the submitter, a claim by the beneficiary). This index answers
 * each such question from the index alone, a few entries per wish, without reading the event rows
 * (idx_wish_event_wish is (wish_id, id): every event of the wish, each read from the table).
 *
 * The phone comparison needs no new column: app_user.phone_hash and member_registration.phone_hash
 * (PiiAtRest) are the same keyed hash as wish.beneficiary_phone_hash (Pii.phoneHash).
 */
/**
 * The wish facts the flags read, along (community, published_at): a community's or a street's cohort is one
 * short range of this index, read without touching the rows (a street's wishes are spread over the whole table).
 */
export const INTEGRITY_COLUMNS = ['community_id', 'published_at', 'state', 'rating', 'rating_by', 'rating_consent', 'first_claimed_at', 'claimed_at', 'completed_at', 'submitter_id', 'beneficiary_phone_hash'];

export class IntegrityFlags1765411200000 implements MigrationInterface {
  name = 'IntegrityFlags1765411200000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('wish_event', new TableIndex({ name: 'idx_wish_event_flags', columnNames: ['wish_id', 'type', 'created_at', 'actor_id'] }));
    await q.createIndex('wish', new TableIndex({ name: 'idx_wish_integrity', columnNames: INTEGRITY_COLUMNS }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('wish', 'idx_wish_integrity');
    await q.dropIndex('wish_event', 'idx_wish_event_flags');
  }
}
