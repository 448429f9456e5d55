import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex, type TableColumnOptions } from 'typeorm';

const str = (name: string, length: number): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: true });
const sqlite = (q: QueryRunner) => q.connection.options.type === 'better-sqlite3';

/**
 * Personal information sealed at rest (server/src/common/crypto/pii.ts):
 * - the columns that hold sealed values get room for them (a sealed value is about 4/3 of its
 *   UTF-8 bytes plus 60 characters; SQLite does not enforce lengths);
 * - the masked forms beside them (name, phone, the address's building), so lists never open a
 *   value, and keyed hashes of phone numbers for equality lookups, indexed;
 * - WeChat's session_key is not kept at all: nothing needs it (the table goes).
 *
 * Rows written before stay readable as they are; `node dist/cli.js pii reencrypt` seals them and
 * fills their masked forms and hashes (see the README, "Upgrading").
 */
export class PiiAtRest1764806400000 implements MigrationInterface {
  name = 'PiiAtRest1764806400000';

  async up(q: QueryRunner): Promise<void> {
    if (!sqlite(q)) {
      await q.query(`ALTER TABLE wish MODIFY beneficiary_name VARCHAR(255) NOT NULL, MODIFY beneficiary_phone VARCHAR(255) NOT NULL, MODIFY address VARCHAR(1000) NOT NULL`);
      await q.query(`ALTER TABLE member_registration MODIFY real_name VARCHAR(255) NOT NULL, MODIFY phone VARCHAR(255) NOT NULL`);
      await q.query(`ALTER TABLE app_user MODIFY phone VARCHAR(255) NULL`);
    }
    await q.addColumns('wish', [
      new TableColumn(str('beneficiary_name_masked', 40)),
      new TableColumn(str('beneficiary_phone_masked', 20)),
      new TableColumn(str('address_building', 40)),
      new TableColumn(str('beneficiary_phone_hash', 64)),
    ]);
    await q.createIndex('wish', new TableIndex({ name: 'idx_wish_phone_hash', columnNames: ['beneficiary_phone_hash'] }));
    await q.addColumn('member_registration', new TableColumn(str('phone_hash', 64)));
    await q.createIndex('member_registration', new TableIndex({ name: 'idx_registration_phone_hash', columnNames: ['community_id', 'phone_hash'] }));
    await q.addColumn('app_user', new TableColumn(str('phone_hash', 64)));
    await q.createIndex('app_user', new TableIndex({ name: 'idx_user_phone_hash', columnNames: ['phone_hash'] }));
    await q.dropTable('wechat_session');
  }

  async down(q: QueryRunner): Promise<void> {
    // The session keys are gone for good; the table comes back empty. Sealed values stay sealed
    // (the code before this migration cannot read them): step back only before anything was sealed.
    await q.createTable(
      new Table({
        name: 'wechat_session',
        columns: [
          { name: 'user_id', type: 'int', isPrimary: true },
          { name: 'session_key', type: 'varchar', length: '64' },
          { name: 'updated_at', type: 'datetime', precision: 3 },
        ],
      }),
    );
    await q.dropIndex('app_user', 'idx_user_phone_hash');
    await q.dropColumn('app_user', 'phone_hash');
    await q.dropIndex('member_registration', 'idx_registration_phone_hash');
    await q.dropColumn('member_registration', 'phone_hash');
    await q.dropIndex('wish', 'idx_wish_phone_hash');
    await q.dropColumns('wish', ['beneficiary_name_masked', 'beneficiary_phone_masked', 'address_building', 'beneficiary_phone_hash']);
  }
}
