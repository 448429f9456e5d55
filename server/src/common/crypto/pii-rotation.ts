// Re-encryption of personal columns to the active key, in batches, resumable: every value not
// sealed with the active key (an older key, or written before sealing began) is opened and
// sealed again, with its masked forms and keyed hash filled in where the row keeps them. Each
// batch is one transaction of guarded writes (a row changed meanwhile is left for the next run),
// so stopping halfway loses nothing and running again finishes the work.
import { addressBuilding, maskName, maskPhone } from '@xinyuan/shared';
import type { Database } from '../../database/database';
import { Pii, type PiiField } from './pii';

interface Column {
  field: PiiField;
  name: string;
  /** Columns derived from the plain value, filled when empty. */
  derived?: (plain: string, pii: Pii) => Record<string, string | null>;
}

interface TablePlan {
  table: string;
  columns: Column[];
  /** Only rows this condition holds for (a wish's description is sealed for sensitive categories). */
  where?: Record<string, string>;
}

/** Every sealed column, table by table (common/crypto/pii.ts PII_FIELDS). */
export const SEALED_COLUMNS: TablePlan[] = [
  {
    table: 'wish',
    columns: [
      { field: 'wish.beneficiary_name', name: 'beneficiary_name', derived: (v) => ({ beneficiary_name_masked: maskName(v) }) },
      { field: 'wish.beneficiary_phone', name: 'beneficiary_phone', derived: (v, pii) => ({ beneficiary_phone_masked: maskPhone(v), beneficiary_phone_hash: pii.phoneHash(v) }) },
      { field: 'wish.address', name: 'address', derived: (v) => ({ address_building: addressBuilding(v) }) },
    ],
  },
  { table: 'wish', columns: [{ field: 'wish.description', name: 'description' }], where: { sensitive: 'w.`sensitive` = 1' } },
  {
    table: 'member_registration',
    columns: [
      { field: 'member_registration.real_name', name: 'real_name' },
      { field: 'member_registration.phone', name: 'phone', derived: (v, pii) => ({ phone_hash: pii.phoneHash(v) }) },
    ],
  },
  { table: 'app_user', columns: [{ field: 'app_user.phone', name: 'phone', derived: (v, pii) => ({ phone_hash: pii.phoneHash(v) }) }] },
  { table: 'report', columns: [{ field: 'report.text', name: 'text' }] },
  { table: 'idempotency_key', columns: [{ field: 'idempotency_key.response', name: 'response' }] },
];

export interface RotationProgress {
  table: string;
  scanned: number;
  resealed: number;
  /** Rows changed by someone else between the read and the write: left for the next run. */
  skipped: number;
}

/**
 * Re-seals every value not under the active key, `batch` rows at a time. `stopAfter` (rows
 * re-sealed) lets a test interrupt it halfway. Returns what each table saw.
 */
export async function reencryptAll(db: Database, opts: { batch?: number; stopAfter?: number; onBatch?: (p: RotationProgress) => void } = {}): Promise<RotationProgress[]> {
  const batch = opts.batch ?? 500;
  const out: RotationProgress[] = [];
  let budget = opts.stopAfter ?? Infinity;
  const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params);
  for (const plan of SEALED_COLUMNS) {
    const p: RotationProgress = { table: plan.table, scanned: 0, resealed: 0, skipped: 0 };
    out.push(p);
    const names = plan.columns.map((c) => c.name);
    const derivedNames = [...new Set(plan.columns.flatMap((c) => (c.derived ? Object.keys(c.derived('', db.pii)) : [])))];
    const where = plan.where ? ` AND ${Object.values(plan.where).join(' AND ')}` : '';
    let lastId = 0;
    for (;;) {
      if (budget <= 0) return out;
      const rows: Record<string, unknown>[] = await q(
        `SELECT w.id, ${[...names, ...derivedNames].map((n) => `w.${n}`).join(', ')} FROM ${plan.table} w WHERE w.id > ?${where} ORDER BY w.id LIMIT ${batch}`,
        [lastId],
      );
      if (rows.length === 0) break;
      lastId = Number(rows[rows.length - 1].id);
      p.scanned += rows.length;
      const stale = rows.filter((r) => names.some((n) => !db.pii.isCurrent(r[n] as string | null)) || derivedNames.some((n) => r[n] === null && names.some((c) => r[c] !== null)));
      if (stale.length === 0) continue;
      await db.tx(async (m) => {
        for (const r of stale.slice(0, budget)) {
          const set: Record<string, unknown> = {};
          for (const c of plan.columns) {
            const stored = r[c.name] as string | null;
            if (stored === null) continue;
            const plain = db.pii.open(stored, c.field);
            if (!db.pii.isCurrent(stored)) set[c.name] = db.pii.seal(plain, c.field);
            for (const [k, v] of Object.entries(c.derived?.(plain, db.pii) ?? {})) if (r[k] === null) set[k] = v;
          }
          const keys = Object.keys(set);
          if (keys.length === 0) continue;
          // Guarded: only if the sealed columns are still what was read.
          const guard = names.map((n) => (r[n] === null ? `${n} IS NULL` : `${n} = ?`)).join(' AND ');
          const res = await m.queryRunner!.query(
            `UPDATE ${plan.table} SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ? AND ${guard}`,
            [...keys.map((k) => set[k]), r.id, ...names.filter((n) => r[n] !== null).map((n) => r[n])],
            true,
          );
          if (Number(res.affected ?? 0) === 1) p.resealed++;
          else p.skipped++;
          budget--;
        }
      });
      opts.onBatch?.(p);
    }
  }
  return out;
}

/** How many values each key seals, column by column ('plain': written before sealing began). */
export async function sealStatus(db: Database): Promise<{ column: string; byKey: Record<string, number> }[]> {
  const out: { column: string; byKey: Record<string, number> }[] = [];
  for (const plan of SEALED_COLUMNS) {
    for (const c of plan.columns) {
      const where = plan.where ? ` AND ${Object.values(plan.where).join(' AND ')}` : '';
      const byKey: Record<string, number> = {};
      for (let lastId = 0; ; ) {
        const rows: Record<string, unknown>[] = await db.dataSource.query(`SELECT w.id, w.${c.name} AS v FROM ${plan.table} w WHERE w.id > ?${where} ORDER BY w.id LIMIT 5000`, [lastId]);
        if (rows.length === 0) break;
        lastId = Number(rows[rows.length - 1].id);
        for (const r of rows) {
          if (r.v === null) continue;
          const k = Pii.keyOf(String(r.v)) ?? 'plain';
          byKey[k] = (byKey[k] ?? 0) + 1;
        }
      }
      out.push({ column: `${plan.table}.${c.name}`, byKey });
    }
  }
  return out;
}
