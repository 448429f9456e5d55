import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex, type TableColumnOptions } from 'typeorm';

const int = (name: string, nullable = true): TableColumnOptions => ({ name, type: 'int', isNullable: nullable });
const str = (name: string, length: number, nullable = true): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });

/**
 * Reports and complaints (举报/投诉, shared/src/reports.ts): one row each, on the desk of the
 * community it belongs to (street and district kept beside it, so a street's or a district's
 * desk is one indexed condition, as the wish rows do). The reporter's text is sealed
 * (`report.text`, common/crypto/pii.ts): people write names, phones and addresses into it.
 * The desk's reply reaches the reporter as an inbox line that points at the report
 * (`message.report_id`).
 */
export class Reports1765670400000 implements MigrationInterface {
  name = 'Reports1765670400000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'report',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          int('reporter_id', false),
          str('kind', 16, false),
          str('category', 16, false),
          { name: 'text', type: 'text', isNullable: true },
          int('wish_id'),
          str('photo_id', 36),
          int('community_id', false),
          int('street_id', false),
          int('district_id', false),
          str('state', 16, false),
          str('reply', 500),
          int('handled_by'),
          { name: 'handled_at', type: 'datetime', precision: 3, isNullable: true },
          { name: 'created_at', type: 'datetime', precision: 3, isNullable: false },
        ],
        indices: [
          new TableIndex({ name: 'idx_report_reporter', columnNames: ['reporter_id', 'state'] }),
          new TableIndex({ name: 'idx_report_community', columnNames: ['community_id', 'state', 'id'] }),
          new TableIndex({ name: 'idx_report_street', columnNames: ['street_id', 'state', 'id'] }),
          new TableIndex({ name: 'idx_report_district', columnNames: ['district_id', 'state', 'id'] }),
        ],
      }),
    );
    await q.addColumn('message', new TableColumn(int('report_id')));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('message', 'report_id');
    await q.dropTable('report');
  }
}
