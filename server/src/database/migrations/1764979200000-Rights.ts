import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * The resident's rights and revocable tokens (issue 12):
 * - app_user.token_version: every token carries it (`ver`); logout, account deletion and a
 *   member's deactivation bump it, so older tokens stop working at once.
 * - app_user.deleted_at: the account was deleted; the row stays, without openid, name or
 *   phone, so the ledger's facts keep a stable anonymous placeholder.
 * - wish.contact_erased_at: the beneficiary's contact details (and a sensitive description)
 *   were erased, by account deletion or by the retention job; indexed for that job.
 * - member_registration.erased_at: the registrant's name and phone were erased.
 * - export_link_use: export links are single-use; a link's id is written on first use.
 */
export class Rights1764979200000 implements MigrationInterface {
  name = 'Rights1764979200000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('app_user', new TableColumn({ name: 'token_version', type: 'int', isNullable: false, default: 0 }));
    await q.addColumn('app_user', new TableColumn({ name: 'deleted_at', type: 'datetime', isNullable: true }));
    await q.addColumn('wish', new TableColumn({ name: 'contact_erased_at', type: 'datetime', isNullable: true }));
    await q.createIndex('wish', new TableIndex({ name: 'idx_wish_retention', columnNames: ['contact_erased_at', 'state', 'updated_at'] }));
    await q.addColumn('member_registration', new TableColumn({ name: 'erased_at', type: 'datetime', isNullable: true }));
    await q.createTable(
      new Table({
        name: 'export_link_use',
        columns: [
          { name: 'jti', type: 'varchar', length: '64', isPrimary: true },
          { name: 'user_id', type: 'int', isNullable: false },
          { name: 'used_at', type: 'datetime', isNullable: false },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('export_link_use');
    await q.dropColumn('member_registration', 'erased_at');
    await q.dropIndex('wish', 'idx_wish_retention');
    await q.dropColumn('wish', 'contact_erased_at');
    await q.dropColumn('app_user', 'deleted_at');
    await q.dropColumn('app_user', 'token_version');
  }
}
