import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { wishNo } from '../../modules/wishes/wishes.mapper';

/**
 * The outbox row as plain columns instead of two JSON texts. A notice is its
 * wish, its kind, its audience (type and, for a person or a district, an id), the
 * tier it speaks of and an optional note; the wish's number and title are read
 * from the wish when the notice is delivered. The dispatch sweeper writes one row
 * per escalation, so the row's size is the engine's cost: the JSON texts were half
 * the time of a sweep batch's outbox INSERT (see server/bench/SWEEP.md).
 *
 * It drops the JSON columns, which servers of the version before write: stop every
 * instance before starting one of this version (README, "Upgrading").
 */
export class OutboxColumns1764633600000 implements MigrationInterface {
  name = 'OutboxColumns1764633600000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('outbox', [
      new TableColumn({ name: 'audience_type', type: 'varchar', length: '16', isNullable: false, default: "'user'" }),
      new TableColumn({ name: 'audience_id', type: 'int', isNullable: true }),
      new TableColumn({ name: 'tier', type: 'int', isNullable: true }),
      new TableColumn({ name: 'note', type: 'varchar', length: '400', isNullable: true }),
    ]);
    const sqlite = q.connection.options.type === 'better-sqlite3';
    // SQLite's json_extract gives SQL values (JSON null is NULL); MySQL's gives JSON, so only numbers and strings are taken.
    const num = (col: string, path: string) =>
      sqlite ? `json_extract(${col}, '${path}')` : `CASE WHEN JSON_TYPE(JSON_EXTRACT(${col}, '${path}')) IN ('INTEGER', 'UNSIGNED INTEGER', 'DOUBLE', 'DECIMAL') THEN JSON_EXTRACT(${col}, '${path}') END`;
    const str = (col: string, path: string) =>
      sqlite ? `json_extract(${col}, '${path}')` : `CASE WHEN JSON_TYPE(JSON_EXTRACT(${col}, '${path}')) = 'STRING' THEN JSON_UNQUOTE(JSON_EXTRACT(${col}, '${path}')) END`;
    const valid = (col: string) => (sqlite ? `json_valid(${col})` : `JSON_VALID(${col})`);
    await q.query(
      `UPDATE outbox SET
         audience_type = COALESCE(CASE WHEN ${valid('audience')} THEN ${str('audience', '$.type')} END, 'user'),
         audience_id = CASE WHEN ${valid('audience')} THEN COALESCE(${num('audience', '$.userId')}, ${num('audience', '$.districtId')}) END,
         tier = CASE WHEN ${valid('audience')} AND ${num('audience', '$.tier')} IS NOT NULL THEN ${num('audience', '$.tier')}
                     WHEN ${valid('payload')} THEN ${num('payload', '$.tier')} END,
         note = CASE WHEN ${valid('payload')} THEN ${str('payload', '$.note')} END`,
    );
    await q.dropColumns('outbox', ['audience', 'payload']);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.addColumns('outbox', [
      new TableColumn({ name: 'audience', type: 'text', isNullable: true }),
      new TableColumn({ name: 'payload', type: 'text', isNullable: true }),
    ]);
    // The old payload also held the wish's number and title, which the sender of that version needs.
    // Page by page (the outbox keeps every notice ever sent), one UPDATE per page.
    for (let after = 0; ; ) {
      const rows: Record<string, unknown>[] = await q.query(
        `SELECT o.id, o.wish_id, o.audience_type, o.audience_id, o.tier, o.note, w.title, w.created_at FROM outbox o LEFT JOIN wish w ON w.id = o.wish_id WHERE o.id > ? ORDER BY o.id LIMIT ${DOWN_PAGE}`,
        [after],
      );
      if (rows.length === 0) break;
      const audiences: unknown[] = [];
      const payloads: unknown[] = [];
      for (const r of rows) {
        const id = r.audience_id === null ? null : Number(r.audience_id);
        const tier = r.tier === null ? null : Number(r.tier);
        const audience =
          r.audience_type === 'tier_claimers' ? { type: 'tier_claimers', wishId: Number(r.wish_id), tier } : r.audience_type === 'district' ? { type: 'district', districtId: id } : { type: 'user', userId: id };
        // No wish, no payload: the old sender retries such a notice and gives it up, as it should.
        const created = r.title === null || r.title === undefined ? null : r.created_at instanceof Date ? r.created_at : new Date(String(r.created_at).replace(' ', 'T') + 'Z');
        const payload = created ? { wishNo: wishNo({ id: Number(r.wish_id), createdAt: created }), title: String(r.title), tier, note: r.note ?? null } : null;
        audiences.push(r.id, JSON.stringify(audience));
        payloads.push(r.id, payload && JSON.stringify(payload));
      }
      const cases = rows.map(() => 'WHEN ? THEN ?').join(' ');
      await q.query(`UPDATE outbox SET audience = CASE id ${cases} END, payload = CASE id ${cases} END WHERE id IN (${rows.map(() => '?').join(', ')})`, [
        ...audiences,
        ...payloads,
        ...rows.map((r) => r.id),
      ]);
      after = Number(rows[rows.length - 1].id);
    }
    await q.changeColumn('outbox', 'audience', new TableColumn({ name: 'audience', type: 'text', isNullable: false }));
    await q.dropColumns('outbox', ['audience_type', 'audience_id', 'tier', 'note']);
  }
}

/** Rows per UPDATE when down() writes the JSON back. */
const DOWN_PAGE = 1000;
