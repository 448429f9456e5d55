import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { chainUnsealed, type Dialect } from '../../modules/wishes/event-chain.backfill';

/**
 * The ledger's hash chain (issue 13; README "A ledger that shows tampering"):
 * - wish_event.seq, text_digest, chain_hash: the event's place in its wish's chain, the digest
 *   of its free text, and sha256 of its content and the previous event's hash;
 * - wish.chain_seq, chain_head: the chain's head, written with every move;
 * - idx_wish_event_time: the events of a day, for the day's digest (台账校验码).
 * Every existing event is chained in order (per wish, by id) and each wish's head set; from then
 * on the verifier cannot tell events written before the chain from later ones. The count is
 * written to stdout.
 */
export class Chain1765238400000 implements MigrationInterface {
  name = 'Chain1765238400000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('wish_event', new TableColumn({ name: 'seq', type: 'int', isNullable: true }));
    await q.addColumn('wish_event', new TableColumn({ name: 'text_digest', type: 'varchar', length: '64', isNullable: true }));
    await q.addColumn('wish_event', new TableColumn({ name: 'chain_hash', type: 'varchar', length: '64', isNullable: true }));
    await q.addColumn('wish', new TableColumn({ name: 'chain_seq', type: 'int', isNullable: false, default: 0 }));
    await q.addColumn('wish', new TableColumn({ name: 'chain_head', type: 'varchar', length: '64', isNullable: true }));
    await q.createIndex('wish_event', new TableIndex({ name: 'idx_wish_event_time', columnNames: ['created_at'] }));
    const type = q.connection.options.type;
    const dialect: Dialect = type === 'better-sqlite3' ? 'sqlite' : type === 'mariadb' ? 'mariadb' : 'mysql';
    const t0 = Date.now();
    const s = await chainUnsealed((sql, params) => q.query(sql, params), dialect);
    if (process.env.NODE_ENV !== 'test' && !process.env.JEST_WORKER_ID) {
      process.stdout.write(`Chain: chained ${s.events} events of ${s.wishes} wishes in ${Date.now() - t0} ms\n`);
    }
    Chain1765238400000.lastRun = s;
  }

  /** What the last up() chained (the migration's test reads it; the log line says the same). */
  static lastRun: { events: number; wishes: number } | null = null;

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('wish_event', 'idx_wish_event_time');
    await q.dropColumn('wish', 'chain_head');
    await q.dropColumn('wish', 'chain_seq');
    await q.dropColumn('wish_event', 'chain_hash');
    await q.dropColumn('wish_event', 'text_digest');
    await q.dropColumn('wish_event', 'seq');
  }
}
