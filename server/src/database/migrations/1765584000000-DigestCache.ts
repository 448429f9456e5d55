import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * ledger_day_digest: the 台账校验码 of a closed day, per organisation, kept once computed.
 * Working one out walks the chains of every wish with events that day (a city's day at a
 * million wishes is seconds); the dashboard prints yesterday's on every load. A kept digest
 * is "the digest of that day's events up to event N", which stays true when a late event
 * (a sweeper catching up) is stamped into the day after it was kept; `GET /ledger/verify`
 * always recomputes.
 */
export class DigestCache1765584000000 implements MigrationInterface {
  name = 'DigestCache1765584000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'ledger_day_digest',
        columns: [
          { name: 'scope', type: 'varchar', length: '16', isPrimary: true },
          { name: 'org_id', type: 'int', isPrimary: true },
          { name: 'day', type: 'varchar', length: '10', isPrimary: true },
          { name: 'events', type: 'int', isNullable: false },
          { name: 'last_event_id', type: 'int', isNullable: true },
          { name: 'digest', type: 'varchar', length: '64', isNullable: false },
          { name: 'chains_ok', type: 'boolean', isNullable: false },
          { name: 'computed_at', type: 'datetime', isNullable: false },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('ledger_day_digest');
  }
}
