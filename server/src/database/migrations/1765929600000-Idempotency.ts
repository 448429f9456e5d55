import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Idempotency keys (issue 15, common/idempotency): one row per (user, key) while it is kept.
 *
 * route + fingerprint: what the first request was (method and path; a hash of its body), so the
 * same key with another body answers 422. state: `running` while the first attempt has not
 * answered, `done` once its answer (status + body) is stored. owner: the attempt that holds the
 * key; the write transaction of that attempt stamps `committed_at` on this row (guarded by the
 * owner), so a write and the fact that it happened commit together. lease_until: a running
 * attempt that has written nothing may be taken over after this (the process died). expires_at:
 * created + the configured hours; the purge job deletes past it.
 */
export class Idempotency1765929600000 implements MigrationInterface {
  name = 'Idempotency1765929600000';

  async up(q: QueryRunner): Promise<void> {
    const sqlite = q.connection.options.type === 'better-sqlite3';
    const time = (name: string, nullable: boolean) => ({ name, type: 'datetime', precision: 3, isNullable: nullable });
    await q.createTable(
      new Table({
        name: 'idempotency_key',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'user_id', type: 'int', isNullable: false },
          { name: 'idem_key', type: 'varchar', length: '100', isNullable: false },
          { name: 'route', type: 'varchar', length: '300', isNullable: false },
          { name: 'fingerprint', type: 'varchar', length: '64', isNullable: false },
          { name: 'state', type: 'varchar', length: '8', isNullable: false },
          { name: 'owner', type: 'varchar', length: '36', isNullable: false },
          time('lease_until', false),
          time('committed_at', true),
          { name: 'status', type: 'int', isNullable: true },
          // A wish's detail with its timeline fits in TEXT today; MEDIUMTEXT leaves room on MariaDB.
          { name: 'response', type: sqlite ? 'text' : 'mediumtext', isNullable: true },
          time('created_at', false),
          time('expires_at', false),
        ],
        indices: [
          new TableIndex({ name: 'uq_idempotency_user_key', columnNames: ['user_id', 'idem_key'], isUnique: true }),
          new TableIndex({ name: 'idx_idempotency_expires', columnNames: ['expires_at'] }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('idempotency_key');
  }
}
