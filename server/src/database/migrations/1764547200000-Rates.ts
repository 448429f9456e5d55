import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex, type TableColumnOptions } from 'typeorm';

/** The rates_rollup columns of this migration (frozen: RatesRules1765065600000 replaces them and rebuilds every rollup). */
const TERMINAL_COLUMNS = ['published', 'cancelled_before_claim', 'responded', 'resolved1', 'resolved2', 'resolved3', 'resolved4', 'satisfied', 'rated', 'silent', 'supervised'];

const int = (name: string): TableColumnOptions => ({ name, type: 'int', isNullable: false, default: 0 });
const key = (name: string, length: number): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: false, isPrimary: true });

/**
 * The three rates exact and fast at city scale (see modules/ledger/rates-rollup.ts):
 * the durations on the row, indexed for the medians; terminal wishes summed by
 * community and day (rates) and by community and month (the dashboard's bars);
 * durations counted by bucket. Backfilled from the wish rows.
 */
export class Rates1764547200000 implements MigrationInterface {
  name = 'Rates1764547200000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('wish', [
      new TableColumn({ name: 'claim_ms', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'resolve_ms', type: 'bigint', isNullable: true }),
    ]);
    // A median is read inside one bucket of one of these, filtered on the index alone.
    await q.createIndex('wish', new TableIndex({ name: 'idx_wish_claim_ms', columnNames: ['claim_ms', 'community_id', 'published_at'] }));
    await q.createIndex('wish', new TableIndex({ name: 'idx_wish_resolve_ms', columnNames: ['resolve_ms', 'community_id', 'published_at'] }));
    // A community's (or a street's) durations read in one short range, for its medians.
    await q.createIndex('wish', new TableIndex({ name: 'idx_wish_durations', columnNames: ['community_id', 'published_at', 'claim_ms', 'resolve_ms'] }));
    // Wishes not yet terminal are counted live: everything those counts read, so the few of them (a few percent
    // of a city's year) are read from this index alone, not row by row. No column an escalation changes (tier,
    // timers): a tier here cost the 1M-wish sweep 13 s (every escalation rewrote its entry).
    await q.createIndex(
      'wish',
      new TableIndex({ name: 'idx_wish_live', columnNames: ['state', 'community_id', 'published_at', 'first_claimed_at', 'supervised_at', 'due_at', 'completed_at', 'rating'] }),
    );
    await q.createTable(
      new Table({
        name: 'rates_rollup',
        columns: [{ name: 'community_id', type: 'int', isPrimary: true }, key('day', 10), ...TERMINAL_COLUMNS.map(int)],
      }),
    );
    await q.createTable(
      new Table({
        name: 'bars_rollup',
        columns: [
          { name: 'community_id', type: 'int', isPrimary: true },
          key('month', 7),
          key('state', 32),
          { name: 'tier', type: 'int', isPrimary: true },
          { name: 'published', type: 'int', isPrimary: true },
          int('n'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'duration_rollup',
        columns: [key('kind', 8), { name: 'community_id', type: 'int', isPrimary: true }, key('month', 7), { name: 'bucket', type: 'int', isPrimary: true }, int('n')],
      }),
    );
    // The rollups are filled by RatesRules1765065600000's rebuild (whose counters read columns added after this one).
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['duration_rollup', 'bars_rollup', 'rates_rollup']) await q.dropTable(t);
    await q.dropIndex('wish', 'idx_wish_live');
    await q.dropIndex('wish', 'idx_wish_durations');
    await q.dropIndex('wish', 'idx_wish_resolve_ms');
    await q.dropIndex('wish', 'idx_wish_claim_ms');
    await q.dropColumns('wish', ['claim_ms', 'resolve_ms']);
  }
}
