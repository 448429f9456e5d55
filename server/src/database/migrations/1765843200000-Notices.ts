import { MigrationInterface, QueryRunner, Table, TableIndex, type TableColumnOptions } from 'typeorm';

const int = (name: string, nullable = true): TableColumnOptions => ({ name, type: 'int', isNullable: nullable });
const str = (name: string, length: number, nullable = true): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });

/**
 * Notices for every step (issue 15):
 * - `notice_once`: a notice that may go out once per Beijing day per scope (a staff member's
 *   daily digest, 'digest:<user id>'; a community's review backlog, 'backlog:<community id>').
 *   The primary key is the guard: a second sender (or a retry) finds the day taken.
 * - `wish_urge`: 催办, one per wish per Beijing day (the unique key is the guard), kept
 *   apart from the wish's event chain so the ledger's hashes are untouched.
 */
export class Notices1765843200000 implements MigrationInterface {
  name = 'Notices1765843200000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'notice_once',
        columns: [
          { ...str('scope', 32, false), isPrimary: true },
          { ...str('day', 10, false), isPrimary: true },
          { name: 'created_at', type: 'datetime', precision: 3, isNullable: false },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'wish_urge',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          int('wish_id', false),
          int('user_id', false),
          str('day', 10, false),
          str('state', 32, false),
          int('tier', false),
          { name: 'created_at', type: 'datetime', precision: 3, isNullable: false },
        ],
        indices: [new TableIndex({ name: 'uq_wish_urge_day', columnNames: ['wish_id', 'day'], isUnique: true })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('wish_urge');
    await q.dropTable('notice_once');
  }
}
