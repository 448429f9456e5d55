import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import type { AppConfig, DbDriver } from '../config/config';
import type { Pii } from '../common/crypto/pii';
import { dbUnavailableReason, NODE_NOT_WRITABLE } from './db-errors';
import { describeNode, isGaleraNode, nodeUrls, probeNode, readNodeState, redactDbUrl, unavailableState, within, type NodeState } from './node-state';

type MysqlDb = Extract<AppConfig['database'], { url: string }>;

/** Where a failover list and a read node are configured (Database.useNodes). */
interface Nodes {
  db: MysqlDb;
  /** Opens the node at a URL, without migrations (data-source.ts's openOne; passed in to keep imports acyclic). */
  open: (url: string) => Promise<DataSource>;
  logger: Logger;
  checkMs: number;
  readyTimeoutMs: number;
  timer: NodeJS.Timeout | null;
  checking: Promise<void> | null;
  lastCheck: number;
  /** Data sources replaced by a switch, destroyed once their requests had time to end. */
  retiring: Set<DataSource>;
  read: { url: string; ds: DataSource | null; galera: boolean; downUntil: number; opening: Promise<void> | null } | null;
}

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
  private current: DataSource;
  /** Which node of DATABASE_URL + DATABASE_FAILOVER_URLS is in use (0: DATABASE_URL). */
  private nodeIndex = 0;
  private nodes: Nodes | null = null;
  /**
   * Set while the node in use is a Galera node that answers but is not Synced in the Primary
   * component (a donor or desynced node, a joiner, a minority partition): write transactions are
   * refused (503) rather than taken by a node that may be behind or cut off. Reads still run.
   */
  private unwritable: NodeState | null = null;
  private writeGuard: { timer: NodeJS.Timeout | null; logger: Logger } | null = null;

  constructor(
    dataSource: DataSource,
    readonly driver: DbDriver,
    /** Seals and opens the personal columns (the key ring of this app's configuration). */
    readonly pii: Pii,
  ) {
    this.current = dataSource;
  }

  /** The data source of the node in use: read it at call time, a failover swaps it. */
  get dataSource(): DataSource {
    return this.current;
  }

  /** The node in use: 0 for DATABASE_URL, i for the i-th of DATABASE_FAILOVER_URLS. */
  get node(): number {
    return this.nodeIndex;
  }

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
    if (this.unwritable) {
      const s = this.unwritable;
      throw Object.assign(new Error(`the database node takes no writes now: ${describeNode(s)}`), { code: NODE_NOT_WRITABLE });
    }
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

  /**
   * Whether the app can write through its node now: the database answers within `timeoutMs`
   * and, on a Galera node, the node is Synced in the Primary component (node-state.ts).
   * A node found not ready makes the failover list (if any) look for a better one.
   */
  /**
   * How far the database's clock is ahead of `now` (ms; negative: behind), from one
   * `UTC_TIMESTAMP(3)` read, taken as at the middle of the round trip. Null on SQLite, whose
   * clock is this process's own.
   */
  async clockOffsetMs(now: () => number, timeoutMs: number): Promise<number | null> {
    if (this.isSqlite) return null;
    const before = now();
    const rows: { t: Date | string }[] = await within(this.dataSource.query('SELECT UTC_TIMESTAMP(3) AS t'), timeoutMs, 'clock');
    const after = now();
    const t = this.readTime(rows[0].t);
    return t === null ? null : t.getTime() - (before + after) / 2;
  }

  async readiness(timeoutMs: number): Promise<NodeState & { node: number }> {
    // The node this answer is about (a failover may switch nodes while the state is read).
    const node = this.nodeIndex;
    const ds = this.current;
    let state: NodeState;
    if (this.isSqlite) {
      try {
        await within(this.ping(), timeoutMs, 'ping');
        state = { ready: true, galera: null };
      } catch (e) {
        state = unavailableState(e);
      }
    } else state = await this.stateOfCurrent(timeoutMs, ds);
    // A switch meanwhile found a ready node: what was read of the old one no longer decides writes.
    if (ds === this.current) this.noteWritable(state);
    if (!state.ready) this.suspect();
    return { ...state, node };
  }

  /**
   * On a Galera node (wsrep_on), checks every `checkMs` whether the node in use may take writes
   * (readiness checks and failover checks note it too): while it is not Synced in the Primary
   * component, Database.tx refuses with 503 DB_UNAVAILABLE. Nothing to do elsewhere.
   */
  async guardWrites(opts: { logger: Logger; checkMs: number; readyTimeoutMs: number }): Promise<void> {
    if (this.isSqlite || this.writeGuard) return;
    if (!(await isGaleraNode((sql) => this.dataSource.query(sql)).catch(() => false))) return;
    const check = async () => this.noteWritable(await this.stateOfCurrent(opts.readyTimeoutMs));
    // With a failover list, its checks read the node's state every checkMs already (currentState notes it).
    const timer = this.nodes?.timer ? null : setInterval(() => void check().catch(() => undefined), opts.checkMs);
    timer?.unref();
    this.writeGuard = { timer, logger: opts.logger };
    await check();
  }

  /** Records whether the node in use takes writes, from a state just read of it. */
  private noteWritable(state: NodeState): void {
    // DB_UNAVAILABLE: the writes fail by themselves (and come back by themselves); only a node that
    // answers but is out of step is held back here.
    const blocked = !state.ready && state.reason !== 'DB_UNAVAILABLE' && state.reason !== 'CLOCK_SKEW' ? state : null;
    if (!!blocked !== !!this.unwritable) this.writeGuard?.logger.warn({ node: this.nodeIndex, state: describeNode(state) }, blocked ? 'database node takes no writes' : 'database node takes writes again');
    this.unwritable = blocked;
  }

  private async stateOfCurrent(timeoutMs: number, ds: DataSource = this.current): Promise<NodeState> {
    try {
      return await within(readNodeState((sql) => ds.query(sql)), timeoutMs, 'readiness');
    } catch (e) {
      return unavailableState(e);
    }
  }

  /**
   * Failover and the read node (MySQL/MariaDB only). With DATABASE_FAILOVER_URLS the nodes are
   * checked every `checkMs` (and at once after a request failed for want of the database):
   * the first ready node of the list is used, so the app moves off a dead or desynced node and
   * back to DATABASE_URL when it is ready again. Requests caught in a swap get 503, not 500.
   */
  async useNodes(db: AppConfig['database'], opts: { node: number; open: (url: string) => Promise<DataSource>; logger: Logger; checkMs: number; readyTimeoutMs: number }): Promise<void> {
    if (db.driver === 'sqlite' || (db.failoverUrls.length === 0 && !db.readUrl)) return;
    this.nodeIndex = opts.node;
    const n: Nodes = { db, open: opts.open, logger: opts.logger, checkMs: opts.checkMs, readyTimeoutMs: opts.readyTimeoutMs, timer: null, checking: null, lastCheck: 0, retiring: new Set(), read: null };
    this.nodes = n;
    if (db.readUrl) {
      n.read = { url: db.readUrl, ds: null, galera: false, downUntil: 0, opening: null };
      await this.openReadNode();
    }
    if (db.failoverUrls.length) {
      n.timer = setInterval(() => void this.checkNodes(), n.checkMs);
      n.timer.unref();
    }
  }

  /** A request failed for want of the database: check the nodes now (at most once a second). */
  suspect(): void {
    const n = this.nodes;
    if (!n || n.db.failoverUrls.length === 0 || n.checking || Date.now() - n.lastCheck < 1000) return;
    void this.checkNodes();
  }

  /** Runs one check of the nodes (tests await it); a check already running is joined. */
  checkNodes(): Promise<void> {
    const n = this.nodes;
    if (!n || n.db.failoverUrls.length === 0) return Promise.resolve();
    if (!n.checking) {
      n.checking = this.pickNode(n)
        .catch((e) => n.logger.warn({ err: e }, 'database node check failed'))
        .finally(() => {
          n.lastCheck = Date.now();
          n.checking = null;
        });
    }
    return n.checking;
  }

  private async pickNode(n: Nodes): Promise<void> {
    const urls = nodeUrls(n.db);
    const seen: string[] = [];
    for (let i = 0; i < urls.length; i++) {
      const state = i === this.nodeIndex ? await this.currentState(n) : await probeNode(urls[i], n.db.connectTimeoutMs, n.readyTimeoutMs);
      if (!state.ready) {
        seen.push(`${redactDbUrl(urls[i])}: ${describeNode(state)}`);
        continue;
      }
      if (i !== this.nodeIndex) await this.switchTo(n, i, seen);
      return;
    }
    n.logger.warn({ nodes: seen }, 'no database node is ready');
  }

  private async currentState(n: Nodes): Promise<NodeState> {
    const state = await this.stateOfCurrent(n.readyTimeoutMs);
    this.noteWritable(state);
    return state;
  }

  private async switchTo(n: Nodes, i: number, seen: string[]): Promise<void> {
    const urls = nodeUrls(n.db);
    const dataSource = await n.open(urls[i]);
    const old = this.current;
    const from = this.nodeIndex;
    this.current = dataSource;
    this.nodeIndex = i;
    // The new node was found ready just now.
    this.unwritable = null;
    n.logger.warn({ from: redactDbUrl(urls[from]), to: redactDbUrl(urls[i]), skipped: seen }, 'database node switched');
    // Requests still running on the old node finish (or fail with 503) before its pool closes.
    n.retiring.add(old);
    setTimeout(() => {
      n.retiring.delete(old);
      if (old.isInitialized) void old.destroy().catch(() => undefined);
    }, n.db.queryTimeoutMs + 1000).unref();
  }

  private async openReadNode(): Promise<void> {
    const r = this.nodes?.read;
    if (!r || r.ds || r.opening) return r?.opening ?? undefined;
    const n = this.nodes!;
    r.opening = (async () => {
      let dataSource: DataSource | null = null;
      try {
        dataSource = await n.open(r.url);
        const ds = dataSource;
        r.galera = await isGaleraNode((sql) => ds.query(sql));
        r.ds = dataSource;
      } catch (e) {
        if (dataSource?.isInitialized) void dataSource.destroy().catch(() => undefined);
        r.downUntil = Date.now() + n.checkMs;
        n.logger.warn({ node: redactDbUrl(r.url), reason: dbUnavailableReason(e) ?? String((e as Error).message).slice(0, 100) }, 'read node unavailable: long reads go to the primary');
      } finally {
        r.opening = null;
      }
    })();
    return r.opening;
  }

  /**
   * A long read (ledger pages, exports, dashboards): on DATABASE_READ_URL when configured and up,
   * else on the primary. A read node that fails for want of the database is left alone for
   * DB_FAILOVER_CHECK_MS and the read runs on the primary. On a Galera read node the read is
   * causal (wsrep_sync_wait=1): it waits until the node has applied every write committed in the
   * cluster before it began, so a page never misses a write the user has just made elsewhere.
   */
  async readQuery<T = any>(sql: string, params: unknown[] = []): Promise<T> {
    const n = this.nodes;
    const r = n?.read;
    if (n && r && Date.now() >= r.downUntil) {
      if (!r.ds) await this.openReadNode();
      if (r.ds) {
        try {
          return await r.ds.query(r.galera ? causal(sql) : sql, params);
        } catch (e) {
          const reason = dbUnavailableReason(e);
          if (!reason || !READ_NODE_DOWN.has(reason)) throw e;
          r.downUntil = Date.now() + n.checkMs;
          n.logger.warn({ node: redactDbUrl(r.url), reason }, 'read node failed: long reads go to the primary for now');
        }
      }
    }
    return this.dataSource.query(sql, params);
  }

  /** Stops the node checks and closes every data source this Database opened or was given. */
  async close(): Promise<void> {
    const n = this.nodes;
    // No check starts from here on; one under way (perhaps opening a node) is waited for.
    this.nodes = null;
    if (n?.timer) clearInterval(n.timer);
    if (this.writeGuard?.timer) clearInterval(this.writeGuard.timer);
    this.writeGuard = null;
    if (n?.checking) await n.checking;
    if (n?.read?.opening) await n.read.opening;
    const all = [this.current, ...(n ? [...n.retiring] : []), ...(n?.read?.ds ? [n.read.ds] : [])];
    await Promise.all(all.map((ds) => (ds.isInitialized ? ds.destroy().catch(() => undefined) : undefined)));
  }
}

/** Failures of the read node after which reads go to the primary (not a statement's own time limit). */
const READ_NODE_DOWN = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'POOL_CLOSED', 'WSREP_NOT_READY', 'ER_SERVER_SHUTDOWN', 'ER_CON_COUNT_ERROR', 'ER_CONNECTION_KILLED']);

/** The statement with wsrep_sync_wait=1 for itself alone (MariaDB's SET STATEMENT; joins one already there). */
export function causal(sql: string): string {
  const m = /^\s*SET STATEMENT /i.exec(sql);
  return m ? `SET STATEMENT wsrep_sync_wait = 1, ${sql.slice(m[0].length)}` : `SET STATEMENT wsrep_sync_wait = 1 FOR ${sql}`;
}
