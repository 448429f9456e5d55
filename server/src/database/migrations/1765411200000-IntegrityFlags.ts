import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The integrity flags (server/src/modules/ledger/integrity.repository.ts) ask of each wish in a
 * community and period whether certain events exist (a silent confirmation, releases, a completion
 * soon after its claim, an approval by the submitter, a claim by the beneficiary). This index answers
 * each such question from the index alone, a few entries per wish, without reading the event rows
 * (idx_wish_event_wish is (wish_id, id): every event of the wish, each read from the table).
 *
 * The phone comparison needs no new column: app_user.phone_hash and member_registration.phone_hash
 * (PiiAtRest) are the same keyed hash as wish.beneficiary_phone_hash (Pii.phoneHash).
 */
export class IntegrityFlags1765411200000 implements MigrationInterface {
  name = 'IntegrityFlags1765411200000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('wish_event', new TableIndex({ name: 'idx_wish_event_flags', columnNames: ['wish_id', 'type', 'created_at', 'actor_id'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('wish_event', 'idx_wish_event_flags');
  }
}
