import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex, type TableColumnOptions } from 'typeorm';
import { RatesRollup, TERMINAL_COUNTERS } from '../../modules/ledger/rates-rollup';

const int = (name: string): TableColumnOptions => ({ name, type: 'int', isNullable: false, default: 0 });

/** The rates_rollup columns before this migration (frozen: the old counters, for down()). */
const OLD_TERMINAL: [string, string][] = [
  ['published', `1 = 1`],
  ['cancelled_before_claim', `w.state = 'cancelled' AND w.first_claimed_at IS NULL AND w.cancelled_by_submitter = 1`],
  ['responded', `w.first_claimed_at IS NOT NULL AND (w.supervised_at IS NULL OR w.first_claimed_at < w.supervised_at)`],
  ['resolved1', `w.state = 'resolved' AND w.resolved_at IS NOT NULL AND w.tier = 1`],
  ['resolved2', `w.state = 'resolved' AND w.resolved_at IS NOT NULL AND w.tier = 2`],
  ['resolved3', `w.state = 'resolved' AND w.resolved_at IS NOT NULL AND w.tier = 3`],
  ['resolved4', `w.state = 'resolved' AND w.resolved_at IS NOT NULL AND w.tier = 4`],
  ['satisfied', `w.rating IN ('very_satisfied', 'satisfied', 'basically_satisfied')`],
  ['rated', `w.rating IS NOT NULL`],
  ['silent', `w.state = 'resolved' AND w.rating IS NULL`],
  ['supervised', `w.supervised_at IS NOT NULL`],
];

/**
 * The rates' rules of DOMAIN.md (issue 13) and closure codes:
 * - wish.closure_code, closure_channel, closed_at: why and when a wish was rejected or
 *   cancelled. Backfilled from what is known for sure: `withdrawn` for a cancellation by the
 *   submitter, `duplicate` where duplicate_of is set; every other old closure stays uncoded
 *   (counted apart, and as a failure where the rules say so), never guessed from free text.
 *   closed_at is the reject/cancel event's time.
 * - wish.fulfil_missed_at: the first end of a fulfilment window without completion, from
 *   the first `overdue` event, or the due time of a claim completed after it.
 * - wish.first_completed_at: the first `complete` event.
 * - wish.supervised_at becomes the FIRST supervision: it was overwritten by a second one
 *   (a wish supervised, claimed late, returned to the pool and supervised again), which
 *   counted it as responded. Recomputed from the first `supervise` event.
 * - rates_rollup gets the new counters (rebuilt from the rows), idx_wish_live the new fact,
 *   and idx_wish_closed serves the closures of never-published wishes by the day closed.
 *
 * Note for later migrations: this one rebuilds the rollups with the code's counters of
 * today; a migration that adds a counter must freeze this one's list, as done for Rates.
 */
export class RatesRules1765065600000 implements MigrationInterface {
  name = 'RatesRules1765065600000';

  async up(q: QueryRunner): Promise<void> {
    const sqlite = q.connection.options.type === 'better-sqlite3';
    await q.addColumns('wish', [
      new TableColumn({ name: 'closure_code', type: 'varchar', length: '16', isNullable: true }),
      new TableColumn({ name: 'closure_channel', type: 'varchar', length: '200', isNullable: true }),
      new TableColumn({ name: 'closed_at', type: 'datetime', isNullable: true }),
      new TableColumn({ name: 'fulfil_missed_at', type: 'datetime', isNullable: true }),
      new TableColumn({ name: 'first_completed_at', type: 'datetime', isNullable: true }),
    ]);
    const first = (type: string) => `(SELECT MIN(e.created_at) FROM wish_event e WHERE e.wish_id = wish.id AND e.type = '${type}')`;
    await q.query(`UPDATE wish SET closure_code = 'withdrawn' WHERE state = 'cancelled' AND cancelled_by_submitter = 1`);
    await q.query(`UPDATE wish SET closure_code = 'duplicate' WHERE state = 'cancelled' AND closure_code IS NULL AND duplicate_of IS NOT NULL`);
    await q.query(
      `UPDATE wish SET closed_at = COALESCE((SELECT MAX(e.created_at) FROM wish_event e WHERE e.wish_id = wish.id AND e.type IN ('reject', 'cancel')), updated_at) WHERE state IN ('rejected', 'cancelled')`,
    );
    await q.query(`UPDATE wish SET supervised_at = ${first('supervise')} WHERE supervised_at IS NOT NULL AND ${first('supervise')} IS NOT NULL`);
    await q.query(`UPDATE wish SET fulfil_missed_at = ${first('overdue')} WHERE ${first('overdue')} IS NOT NULL`);
    await q.query(`UPDATE wish SET fulfil_missed_at = due_at WHERE fulfil_missed_at IS NULL AND completed_at IS NOT NULL AND due_at IS NOT NULL AND completed_at > due_at`);
    await q.query(`UPDATE wish SET first_completed_at = ${first('complete')} WHERE completed_at IS NOT NULL OR state = 'resolved'`);

    await q.dropIndex('wish', 'idx_wish_live');
    await q.createIndex(
      'wish',
      new TableIndex({ name: 'idx_wish_live', columnNames: ['state', 'community_id', 'published_at', 'first_claimed_at', 'supervised_at', 'fulfil_missed_at', 'due_at', 'completed_at'] }),
    );
    await q.createIndex('wish', new TableIndex({ name: 'idx_wish_closed', columnNames: ['community_id', 'closed_at', 'published_at', 'closure_code'] }));

    await q.dropTable('rates_rollup');
    await q.createTable(
      new Table({ name: 'rates_rollup', columns: [{ name: 'community_id', type: 'int', isPrimary: true }, { name: 'day', type: 'varchar', length: '10', isPrimary: true }, ...TERMINAL_COUNTERS.map((k) => int(k.col))] }),
    );
    await RatesRollup.rebuild((sql, params) => q.query(sql, params), sqlite);
  }

  async down(q: QueryRunner): Promise<void> {
    const sqlite = q.connection.options.type === 'better-sqlite3';
    await q.dropTable('rates_rollup');
    await q.createTable(new Table({ name: 'rates_rollup', columns: [{ name: 'community_id', type: 'int', isPrimary: true }, { name: 'day', type: 'varchar', length: '10', isPrimary: true }, ...OLD_TERMINAL.map(([c]) => int(c))] }));
    const day = sqlite ? `strftime('%Y-%m-%d', w.published_at, '+8 hours')` : `DATE_FORMAT(DATE_ADD(w.published_at, INTERVAL 8 HOUR), '%Y-%m-%d')`;
    await q.query(
      `INSERT INTO rates_rollup (community_id, day, ${OLD_TERMINAL.map(([c]) => c).join(', ')})
       SELECT w.community_id, ${day}, ${OLD_TERMINAL.map(([, sql]) => `SUM(CASE WHEN ${sql} THEN 1 ELSE 0 END)`).join(', ')}
         FROM wish w WHERE w.state IN ('resolved', 'rejected', 'cancelled') AND w.published_at IS NOT NULL GROUP BY w.community_id, ${day}`,
    );
    await q.dropIndex('wish', 'idx_wish_closed');
    await q.dropIndex('wish', 'idx_wish_live');
    await q.createIndex(
      'wish',
      new TableIndex({ name: 'idx_wish_live', columnNames: ['state', 'community_id', 'published_at', 'first_claimed_at', 'supervised_at', 'due_at', 'completed_at', 'rating'] }),
    );
    // supervised_at stays the first supervision: the old code overwrote it, but the first is the truer value.
    await q.dropColumns('wish', ['closure_code', 'closure_channel', 'closed_at', 'fulfil_missed_at', 'first_completed_at']);
  }
}
