import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex, type TableColumnOptions } from 'typeorm';

const id = (): TableColumnOptions => ({ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' });
const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'int', isNullable: nullable });
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const text = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
const time = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', precision: 3, isNullable: nullable });

/** Four-level dispatch: timers on the wish row, policy, calendar, outbox, inbox, subscribe credits. */
export class Dispatch1764288000000 implements MigrationInterface {
  name = 'Dispatch1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('wish', [
      // The one timer a wish carries: when the sweeper must look at it next (null: none).
      new TableColumn(time('next_due_at', true)),
      // When the claim window at the current tier ends (open wishes).
      new TableColumn(time('window_ends_at', true)),
      // When the fulfilment window of the current claim ends (claimed wishes).
      new TableColumn(time('due_at', true)),
      new TableColumn(time('reminded_at', true)),
      new TableColumn(time('supervised_at', true)),
      new TableColumn(int('assignee_id', true)),
    ]);
    await q.createIndex('wish', new TableIndex({ name: 'idx_wish_next_due', columnNames: ['next_due_at'] }));

    await q.createTable(
      new Table({
        name: 'dispatch_policy',
        columns: [id(), str('community_class', 1), int('tier'), int('claim_minutes'), int('fulfil_minutes'), time('effective_from'), int('created_by', true), time('created_at')],
        indices: [new TableIndex({ columnNames: ['community_class', 'tier', 'effective_from'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'calendar_day',
        columns: [{ name: 'day', type: 'varchar', length: '10', isPrimary: true }, str('kind', 16), str('note', 100, true), int('updated_by', true), time('updated_at')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'outbox',
        columns: [
          id(), int('wish_id', true), str('kind', 32), text('audience'), text('payload', true),
          str('status', 16), { name: 'attempts', type: 'int', default: 0 }, time('next_attempt_at'), str('last_error', 400, true), time('created_at'), time('processed_at', true),
        ],
        indices: [new TableIndex({ name: 'idx_outbox_due', columnNames: ['status', 'next_attempt_at'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'message',
        columns: [
          id(), int('user_id'), int('outbox_id'), int('wish_id', true), str('kind', 32), str('title', 100), str('body', 400),
          str('wx_status', 16), { name: 'wx_attempts', type: 'int', default: 0 }, str('wx_error', 200, true), time('wx_next_at', true),
          time('created_at'), time('read_at', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_message_outbox_user', columnNames: ['outbox_id', 'user_id'], isUnique: true }),
          new TableIndex({ name: 'idx_message_user', columnNames: ['user_id', 'id'] }),
          new TableIndex({ name: 'idx_message_wx', columnNames: ['wx_status', 'wx_next_at'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'subscription_credit',
        columns: [{ name: 'user_id', type: 'int', isPrimary: true }, { name: 'template_key', type: 'varchar', length: '64', isPrimary: true }, int('credits'), time('updated_at')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['subscription_credit', 'message', 'outbox', 'calendar_day', 'dispatch_policy']) await q.dropTable(t);
    await q.dropIndex('wish', 'idx_wish_next_due');
    for (const c of ['assignee_id', 'supervised_at', 'reminded_at', 'due_at', 'window_ends_at', 'next_due_at']) await q.dropColumn('wish', c);
  }
}
