import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { wishNo } from '../../modules/wishes/wishes.mapper';

/**
 * The outbox row as plain columns instead of two JSON texts. A notice is its
 * wish, its kind, its audience (type and, for a person or a district, an id), the
 * tier it speaks of and an optional note; the wish's number and title are read
 * from the wish when the notice is delivered. The dispatch sweeper writes one row
 * per escalation, so the row's size is the engine's cost: the JSON texts were half
 * the time of a sweep batch's outbox INSERT (see server/src/bench/SWEEP.md).
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
    // SQLite's json_extract gives SQL values (JSON null is NULL); MySQL's gives JSON, unquoted only for strings.
    const num = (col: string, path: string) => (sqlite ? `json_extract(${col}, '${path}')` : `JSON_EXTRACT(${col}, '${path}')`);
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
    // The old payload also held the wish's number and title; the sender of that version needs them.
    const rows: Record<string, unknown>[] = await q.query(
      `SELECT o.id, o.wish_id, o.audience_type, o.audience_id, o.tier, o.note, w.title, w.created_at FROM outbox o LEFT JOIN wish w ON w.id = o.wish_id`,
    );
    for (const r of rows) {
      const id = r.audience_id === null ? null : Number(r.audience_id);
      const tier = r.tier === null ? null : Number(r.tier);
      const audience =
        r.audience_type === 'tier_claimers' ? { type: 'tier_claimers', wishId: Number(r.wish_id), tier } : r.audience_type === 'district' ? { type: 'district', districtId: id } : { type: 'user', userId: id };
      const created = r.created_at ? new Date(r.created_at instanceof Date ? r.created_at : String(r.created_at).replace(' ', 'T') + 'Z') : null;
      const payload = { wishNo: created ? wishNo({ id: Number(r.wish_id), createdAt: created }) : '', title: r.title ?? '', tier, note: r.note ?? null };
      await q.query(`UPDATE outbox SET audience = ?, payload = ? WHERE id = ?`, [JSON.stringify(audience), JSON.stringify(payload), r.id]);
    }
    await q.dropColumns('outbox', ['audience_type', 'audience_id', 'tier', 'note']);
  }
}
