import { MigrationInterface, QueryRunner, Table, TableIndex, type TableColumnOptions } from 'typeorm';

const id = (): TableColumnOptions => ({ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' });
const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'int', isNullable: nullable });
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const time = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', precision: 3, isNullable: nullable });

/** Service funds (服务群众专项经费): a budget per community and year, its changes, and what wishes spent. */
export class Funds1764374400000 implements MigrationInterface {
  name = 'Funds1764374400000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'community_fund',
        columns: [
          { name: 'community_id', type: 'int', isPrimary: true },
          { name: 'year', type: 'int', isPrimary: true },
          // Null: no budget set for the year, the community class's yearly fund applies. The row also
          // exists to be locked: spends of one community and year are decided one at a time.
          int('budget_fen', true),
          int('updated_by', true),
          time('updated_at'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'fund_budget_change',
        columns: [id(), int('community_id'), int('year'), int('from_fen', true), int('to_fen'), int('changed_by'), time('changed_at')],
        indices: [new TableIndex({ name: 'idx_fund_budget_change', columnNames: ['community_id', 'year', 'id'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'fund_spend',
        columns: [
          id(), int('wish_id'), int('community_id'), int('year'), int('amount_fen'), str('status', 16),
          int('created_by'), time('created_at'), int('decided_by', true), time('decided_at', true), str('decision_reason', 400, true),
        ],
        indices: [
          new TableIndex({ name: 'idx_fund_spend_fund', columnNames: ['community_id', 'year', 'status'] }),
          new TableIndex({ name: 'idx_fund_spend_wish', columnNames: ['wish_id'] }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['fund_spend', 'fund_budget_change', 'community_fund']) await q.dropTable(t);
  }
}
