import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import type { DbDriver } from '../config/config';
import type { Pii } from '../common/crypto/pii';

/**
 * Work a request wants done inside every write transaction it runs, before that transaction
 * commits (the idempotency key's "a write happened under this key", common/idempotency).
 * Set by AsyncLocalStorage for the duration of one handler; throwing rolls the write back.
 */
export interface TxStamp {
  stamp(m: EntityManager): Promise<void>;
}
export const txStamps = new AsyncLocalStorage<TxStamp>();

/**
 * The database handle services use for transactions.
 * - MySQL/MariaDB: READ COMMITTED (guarded writes re-read the latest row;
 *   SKIP LOCKED sweeps do not deadlock), retried on deadlock 1213.
 * - SQLite: TypeORM shares one connection, so write transactions are queued
 *   in-process (two overlapping ones would fail).
 */
export class Database {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dataSource: DataSource,
    readonly driver: DbDriver,
    /** Seals and opens the personal columns (the key ring of this app's configuration). */
    readonly pii: Pii,
  ) {}

  get isSqlite(): boolean {
    return this.driver === 'sqlite';
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  async tx<T>(work0: (m: EntityManager) => Promise<T>): Promise<T> {
    const stamp = txStamps.getStore();
    const work = stamp
      ? async (m: EntityManager) => {
          const r = await work0(m);
          await stamp.stamp(m);
          return r;
        }
      : work0;
    if (this.isSqlite) {
      const run = this.queue.then(() => this.dataSource.transaction(work));
      this.queue = run.catch(() => undefined);
      return run;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction('READ COMMITTED', work);
      } catch (e) {
        const errno = (e as { errno?: number; driverError?: { errno?: number } }).driverError?.errno ?? (e as { errno?: number }).errno;
        if ((errno === 1213 || errno === 1205) && attempt < 5) {
          await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 10));
          continue;
        }
        throw e;
      }
    }
  }

  /** Row lock for the rest of a MySQL transaction; a no-op on SQLite, whose writers are already serialised. */
  forUpdate(): string {
    return this.isSqlite ? '' : ' FOR UPDATE';
  }

  /**
   * A time as a query parameter. TypeORM stores SQLite datetimes as UTC text
   * "YYYY-MM-DD HH:MM:SS.SSS", which compares correctly as text; mysql2 takes a
   * Date (the connection runs in UTC).
   */
  time(d: Date): Date | string {
    return this.isSqlite ? d.toISOString().replace('T', ' ').replace('Z', '') : d;
  }

  /** A time read by a raw query: a Date from mysql2, UTC text from SQLite. */
  readTime(v: string | Date | null): Date | null {
    if (v === null || v === undefined) return null;
    return v instanceof Date ? v : new Date(v.replace(' ', 'T') + 'Z');
  }

  async ping(): Promise<number> {
    const t = process.hrtime.bigint();
    await this.dataSource.query('SELECT 1');
    return Number(process.hrtime.bigint() - t) / 1e6;
  }
}
