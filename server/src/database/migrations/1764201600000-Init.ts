import { MigrationInterface, QueryRunner, Table, TableIndex, type TableColumnOptions } from 'typeorm';

// Column helpers: the same schema on SQLite and MySQL/MariaDB. Times are written
// by the application's clock, so no column relies on a driver-specific default.
const id = (): TableColumnOptions => ({ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' });
const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'int', isNullable: nullable });
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const text = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
const time = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', precision: 3, isNullable: nullable });
const bool = (name: string): TableColumnOptions => ({ name, type: 'boolean', default: false });
const date = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'date', isNullable: nullable });

export class Init1764201600000 implements MigrationInterface {
  name = 'Init1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'organisation',
        columns: [id(), str('kind', 16), str('name', 100), int('parent_id', true), str('community_class', 1, true), int('yearly_fund_fen', true), time('created_at')],
        indices: [new TableIndex({ columnNames: ['parent_id'] }), new TableIndex({ columnNames: ['kind'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'unit_pairing',
        columns: [id(), int('unit_id'), int('community_id'), date('starts_on'), date('ends_on', true), time('created_at')],
        indices: [new TableIndex({ columnNames: ['community_id'] }), new TableIndex({ columnNames: ['unit_id'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'app_user',
        columns: [id(), str('openid', 64), str('unionid', 64, true), str('nickname', 64, true), str('phone', 20, true), time('created_at'), time('updated_at')],
        indices: [new TableIndex({ columnNames: ['openid'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'wechat_session',
        columns: [{ name: 'user_id', type: 'int', isPrimary: true }, str('session_key', 64), time('updated_at')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'role_grant',
        columns: [id(), int('user_id'), str('role', 32), int('org_id'), int('granted_by', true), time('granted_at'), time('revoked_at', true)],
        indices: [new TableIndex({ columnNames: ['user_id'] }), new TableIndex({ columnNames: ['org_id', 'role'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'consent',
        columns: [id(), int('user_id'), str('notice_version', 32), time('consented_at')],
        indices: [new TableIndex({ columnNames: ['user_id', 'id'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'member_registration',
        columns: [
          id(), int('user_id'), int('community_id'), str('real_name', 40), str('phone', 20), str('work_unit', 100),
          str('status', 16), str('refuse_reason', 400, true), int('reviewed_by', true), time('reviewed_at', true), time('created_at'),
        ],
        indices: [new TableIndex({ columnNames: ['user_id', 'community_id'] }), new TableIndex({ columnNames: ['community_id', 'status'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'photo',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true }, int('owner_id'), str('mime', 32), int('size'),
          str('storage_key', 200), int('wish_id', true), str('purpose', 16, true), time('created_at'),
        ],
        indices: [new TableIndex({ columnNames: ['owner_id'] }), new TableIndex({ columnNames: ['wish_id'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'wish',
        columns: [
          id(), int('district_id'), int('street_id'), int('community_id'), int('compound_id', true),
          str('category', 32), bool('sensitive'), str('title', 80), text('description'),
          str('beneficiary_name', 40), str('beneficiary_phone', 20), str('address', 200),
          int('submitter_id'), bool('on_behalf'), str('consent_method', 16, true),
          str('state', 32), { name: 'tier', type: 'int', default: 1 }, bool('urgent'),
          int('claimant_id', true), str('claimant_role', 32, true), time('claimed_at', true),
          text('proof_note', true), time('completed_at', true),
          str('rating', 32, true), str('rating_comment', 600, true), time('resolved_at', true),
          time('published_at', true), { name: 'version', type: 'int', default: 0 }, time('created_at'), time('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'idx_wish_wall', columnNames: ['community_id', 'state', 'published_at', 'id'] }),
          new TableIndex({ name: 'idx_wish_submitter', columnNames: ['submitter_id', 'id'] }),
          new TableIndex({ name: 'idx_wish_claimant', columnNames: ['claimant_id', 'state'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'wish_event',
        columns: [
          id(), int('wish_id'), str('type', 32), str('from_state', 32, true), str('to_state', 32),
          int('from_tier', true), int('to_tier', true), int('actor_id', true), str('actor_role', 32, true),
          str('reason', 400, true), text('payload', true), time('created_at'),
        ],
        indices: [new TableIndex({ name: 'idx_wish_event_wish', columnNames: ['wish_id', 'id'] })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['wish_event', 'wish', 'photo', 'member_registration', 'consent', 'role_grant', 'wechat_session', 'app_user', 'unit_pairing', 'organisation']) {
      await q.dropTable(t);
    }
  }
}
