// Chains events written without a seal, in order (per wish, by id), and sets each wish's head:
// the Chain migration's backfill and the bulk loaders' pass (bench data). Only wishes whose chain
// has not started (chain_seq = 0) are touched, so running it never re-seals a chain that exists,
// and an event slipped into a live chain stays an inserted row for the verifier.
import { seal, type ChainHead } from './event-chain';

export type Query = (sql: string, params?: unknown[]) => Promise<any>;
export type Dialect = 'sqlite' | 'mariadb' | 'mysql';

export interface ChainStats {
  wishes: number;
  events: number;
}

const EVENT_COLS = 'id, wish_id, type, from_state, to_state, from_tier, to_tier, actor_id, actor_role, actor_org_id, reason, payload, created_at';

/** A time read by a raw query: a Date from mysql2, UTC text from SQLite. */
export const readTime = (v: string | Date): Date => (v instanceof Date ? v : new Date(String(v).replace(' ', 'T') + 'Z'));
export const readPayload = (v: unknown): Record<string, unknown> | null => (v === null || v === undefined || v === '' ? null : typeof v === 'string' ? JSON.parse(v) : (v as Record<string, unknown>));
const intOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** An event row of a raw query as the chain reads it. */
export function eventOfRow(r: Record<string, unknown>) {
  return {
    id: Number(r.id),
    wishId: Number(r.wish_id),
    type: String(r.type),
    fromState: (r.from_state as string | null) ?? null,
    toState: String(r.to_state),
    fromTier: intOrNull(r.from_tier),
    toTier: intOrNull(r.to_tier),
    actorId: intOrNull(r.actor_id),
    actorRole: (r.actor_role as string | null) ?? null,
    actorOrgId: intOrNull(r.actor_org_id),
    reason: (r.reason as string | null) ?? null,
    payload: readPayload(r.payload),
    createdAt: readTime(r.created_at as string | Date),
  };
}

export async function chainUnsealed(query: Query, dialect: Dialect, opts: { wishBatch?: number } = {}): Promise<ChainStats> {
  const batch = opts.wishBatch ?? 500;
  const stats: ChainStats = { wishes: 0, events: 0 };
  let after = 0;
  for (;;) {
    const wishes: { id: number }[] = await query(`SELECT id FROM wish WHERE id > ? AND chain_seq = 0 ORDER BY id LIMIT ${Number(batch)}`, [after]);
    if (wishes.length === 0) return stats;
    const ids = wishes.map((w) => Number(w.id));
    after = ids[ids.length - 1];
    const rows: Record<string, unknown>[] = await query(
      `SELECT ${EVENT_COLS} FROM wish_event WHERE wish_id IN (${ids.map(() => '?').join(', ')}) AND chain_hash IS NULL ORDER BY wish_id, id`,
      ids,
    );
    const sealed: unknown[][] = [];
    const heads = new Map<number, ChainHead>();
    for (const r of rows) {
      const e = eventOfRow(r);
      const head = heads.get(e.wishId) ?? { seq: 0, hash: null };
      const s = seal(e, head);
      sealed.push([e.id, s.seq, s.textDigest, s.chainHash]);
      heads.set(e.wishId, { seq: s.seq, hash: s.chainHash });
    }
    for (let i = 0; i < sealed.length; i += 1000) await setRows(query, dialect, 'wish_event', ['seq', 'text_digest', 'chain_hash'], sealed.slice(i, i + 1000));
    const headRows = [...heads].map(([id, h]) => [id, h.seq, h.hash]);
    for (let i = 0; i < headRows.length; i += 1000) await setRows(query, dialect, 'wish', ['chain_seq', 'chain_head'], headRows.slice(i, i + 1000));
    stats.wishes += heads.size;
    stats.events += sealed.length;
  }
}

/** UPDATE table SET cols = the row's values WHERE id = the row's first value, for many rows in one statement. */
async function setRows(query: Query, dialect: Dialect, table: string, cols: string[], rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const row = `(${['?', ...cols.map(() => '?')].join(', ')})`;
  const values = rows.map(() => row).join(', ');
  const params = rows.flat();
  if (dialect === 'sqlite') {
    // SQLite names the columns of a VALUES table column1, column2, ...
    const sets = cols.map((c, k) => `${c} = v.column${k + 2}`).join(', ');
    await query(`UPDATE ${table} SET ${sets} FROM (VALUES ${values}) AS v WHERE ${table}.id = v.column1`, params);
  } else if (dialect === 'mariadb') {
    // A first SELECT names the columns of the VALUES that follow (no row has id 0).
    const head = `SELECT 0 AS id, ${cols.map((c) => `NULL AS ${c}`).join(', ')}`;
    const sets = cols.map((c) => `t.${c} = v.${c}`).join(', ');
    await query(`UPDATE ${table} t JOIN (${head} UNION ALL VALUES ${values}) v ON v.id = t.id SET ${sets}`, params);
  } else {
    for (const r of rows) await query(`UPDATE ${table} SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [...r.slice(1), r[0]]);
  }
}
