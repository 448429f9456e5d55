import { EventSubscriber, type EntitySubscriberInterface } from 'typeorm';
import type { AfterQueryEvent } from 'typeorm/subscriber/event/QueryEvent';

/**
 * Whether an error means "the database cannot serve now" (answered 503 DB_UNAVAILABLE with
 * Retry-After) rather than a bug (500). Returns a short reason for the log, or null.
 *
 * Shapes seen by killing and stopping a real mariadbd (test/support/own-mariadb.ts), as TypeORM
 * 1.1 with mysql2 3.24 throws them:
 * - server killed: new connections `Error code ECONNREFUSED`; queries in flight
 *   PROTOCOL_CONNECTION_LOST or ECONNRESET (QueryFailedError, driverError.code);
 * - server stopped (SIGSTOP) or the network stalled: a query `PROTOCOL_SEQUENCE_TIMEOUT`
 *   (the per-query timeout, DB_QUERY_TIMEOUT_MS), a new connection `ETIMEDOUT` (DB_CONNECT_TIMEOUT_MS);
 * - the pool closed under a request (a failover swap): "Pool is closed." or TypeORM's
 *   "Connection is not established";
 * - server errors by errno: 1213 deadlock / Galera certification failure and 1205 lock wait
 *   timeout (after Database.tx's retries), 1047 WSREP not ready ("Unknown command"), 1053 server
 *   shutdown, 1040 too many connections, 1180/1927 connection killed, 4031 idle disconnect,
 *   1290 read-only (a node being taken out), 3024/1969 statement time exceeded;
 * - SQLite: SQLITE_BUSY (another process holds the write lock beyond busy_timeout).
 */
export function dbUnavailableReason(e: unknown): string | null {
  if (!e || typeof e !== 'object') return null;
  const err = e as { code?: unknown; errno?: unknown; message?: unknown; driverError?: unknown };
  const d = (err.driverError && typeof err.driverError === 'object' ? err.driverError : err) as { code?: unknown; errno?: unknown; message?: unknown };
  const code = typeof d.code === 'string' ? d.code : typeof err.code === 'string' ? err.code : '';
  if (NETWORK_CODES.has(code)) return code;
  if (code === NODE_NOT_WRITABLE) return code;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return code;
  const errno = typeof d.errno === 'number' ? d.errno : typeof err.errno === 'number' ? err.errno : null;
  if (errno !== null && SERVER_ERRNOS[errno]) return SERVER_ERRNOS[errno];
  const message = String(d.message ?? err.message ?? '');
  if (/^Pool is closed|Connection is not established|Can't add new command when connection is in closed state|Can't write in closed state/.test(message)) return 'POOL_CLOSED';
  return null;
}

/** The code of Database.tx's refusal while its Galera node is not Synced in the Primary component. */
export const NODE_NOT_WRITABLE = 'NODE_NOT_WRITABLE';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'ER_CON_COUNT_ERROR',
]);

const SERVER_ERRNOS: Record<number, string> = {
  1040: 'ER_CON_COUNT_ERROR',
  1047: 'WSREP_NOT_READY',
  1053: 'ER_SERVER_SHUTDOWN',
  1180: 'ER_ERROR_DURING_COMMIT',
  1205: 'ER_LOCK_WAIT_TIMEOUT',
  1213: 'ER_LOCK_DEADLOCK',
  1290: 'ER_OPTION_PREVENTS_STATEMENT',
  1927: 'ER_CONNECTION_KILLED',
  1969: 'ER_STATEMENT_TIMEOUT',
  3024: 'ER_QUERY_TIMEOUT',
  4031: 'ER_CLIENT_INTERACTION_TIMEOUT',
};

/**
 * mysql2's per-query timeout answers the caller but leaves the connection waiting for the
 * server, with the rest of its work (a transaction's ROLLBACK) queued behind and no timer:
 * a stalled server would then hang the request for good. So a timed-out query's connection is
 * destroyed at once; the next command on it fails fast and the pool opens a fresh one.
 */
@EventSubscriber()
export class DropTimedOutConnections implements EntitySubscriberInterface {
  afterQuery(event: AfterQueryEvent): void {
    const code = (event.error as { driverError?: { code?: string }; code?: string } | undefined)?.driverError?.code ?? (event.error as { code?: string } | undefined)?.code;
    if (code !== 'PROTOCOL_SEQUENCE_TIMEOUT') return;
    const conn = (event.queryRunner as unknown as { databaseConnection?: { destroy(): void; stream?: { destroy(): void } } }).databaseConnection;
    conn?.destroy();
    conn?.stream?.destroy();
  }
}
