import { MigrationInterface, QueryRunner, Table, TableIndex, type TableColumnOptions } from 'typeorm';

const int = (name: string, nullable = true): TableColumnOptions => ({ name, type: 'int', isNullable: nullable });
const str = (name: string, length: number, nullable = true): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });

/**
 * The log of who read personal information (PIPL Arts. 44, 51, 54): one row per full read
 * (a wish's contact details, a member registration, an export, a person's own download),
 * append-only. Indexed for the person it was about ("谁查看了我的信息"), for the district
 * whose department searches it, and for the reader.
 */
export class PiAccessLog1764892800000 implements MigrationInterface {
  name = 'PiAccessLog1764892800000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'pi_access',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'at', type: 'datetime', precision: 3 },
          int('actor_id'),
          str('actor_role', 32),
          int('actor_org_id'),
          int('subject_user_id'),
          int('wish_id'),
          int('registration_id'),
          int('district_id'),
          str('purpose', 16, false),
          str('fields', 100, false),
          str('request_id', 64),
          { name: 'filter', type: 'text', isNullable: true },
          int('row_count'),
        ],
        indices: [
          new TableIndex({ name: 'idx_pi_access_subject', columnNames: ['subject_user_id', 'id'] }),
          new TableIndex({ name: 'idx_pi_access_district', columnNames: ['district_id', 'id'] }),
          new TableIndex({ name: 'idx_pi_access_actor', columnNames: ['actor_id', 'id'] }),
          new TableIndex({ name: 'idx_pi_access_wish', columnNames: ['wish_id', 'id'] }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('pi_access');
  }
}
