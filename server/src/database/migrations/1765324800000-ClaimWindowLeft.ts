import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Windows that cannot be reset (issue 13, DOMAIN.md "Windows"):
 * - wish.claim_left_minutes: at each claim, the claim window time that was left (working
 *   minutes from the claim to window_ends_at on the working calendar; clock minutes for urgent
 *   wishes). A release, or the sweeper's expire_claim, reopens the wish at its tier with
 *   max(this, 60) minutes, never a fresh window. Null: claimed before this column existed (or
 *   never claimed); those wishes get the tier's full window on their next return, as before.
 */
export class ClaimWindowLeft1765324800000 implements MigrationInterface {
  name = 'ClaimWindowLeft1765324800000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('wish', new TableColumn({ name: 'claim_left_minutes', type: 'int', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('wish', 'claim_left_minutes');
  }
}
