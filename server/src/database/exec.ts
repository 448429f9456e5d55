import type { EntityManager } from 'typeorm';

/**
 * Runs a write in the caller's transaction and returns the number of rows it matched (the same
 * figure on both drivers: TOOLCHAIN.md).
 */
export async function exec(m: EntityManager, sql: string, params: unknown[]): Promise<number> {
  if (!m.queryRunner) throw new Error('exec() must run inside a transaction');
  const r = await m.queryRunner.query(sql, params, true);
  return Number(r.affected ?? 0);
}
