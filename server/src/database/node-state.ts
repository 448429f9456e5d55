import type { AppConfig } from '../config/config';
import { dbUnavailableReason } from './db-errors';

export interface MysqlUrlParts {
  host: string;
  port: number;
  username: string;
  password: string;
  database: string;
}

export function parseMysqlUrl(url: string): MysqlUrlParts {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 3306,
    username: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')),
  };
}

/** DATABASE_URL, then DATABASE_FAILOVER_URLS, in order. */
export function nodeUrls(db: Extract<AppConfig['database'], { url: string }>): string[] {
  return [db.url, ...db.failoverUrls];
}

/** A node's URL for logs: no password. */
export function redactDbUrl(url: string): string {
  const p = parseMysqlUrl(url);
  return `${p.host}:${p.port}/${p.database}`;
}

export function describeNode(state: NodeState): string {
  return state.ready ? 'ready' : `${state.reason}${state.detail ? ` (${state.detail})` : ''}`;
}


/** Why a node cannot take the app's writes now (GET /api/health/ready's `reason`). */
export type NotReadyReason = 'DB_UNAVAILABLE' | 'NODE_NOT_PRIMARY' | 'NODE_NOT_SYNCED' | 'NODE_NOT_READY' | 'CLOCK_SKEW';

export interface GaleraState {
  /** wsrep_ready: ON when the node accepts queries. */
  ready: string;
  /** wsrep_local_state: 1 joining, 2 donor/desynced, 3 joined, 4 synced. */
  localState: number;
  /** wsrep_cluster_status: Primary, or non-Primary / Disconnected in a minority partition. */
  clusterStatus: string;
}

export type NodeState = { ready: true; galera: GaleraState | null } | { ready: false; reason: NotReadyReason; galera: GaleraState | null; detail?: string };

/** The local states Galera names (wsrep_local_state_comment). */
const LOCAL_STATES: Record<number, string> = { 1: 'Joining', 2: 'Donor/Desynced', 3: 'Joined', 4: 'Synced' };

/**
 * Whether a node may take the app's writes, from `@@global.wsrep_on` and the wsrep status
 * variables. A server that is not in a Galera cluster (wsrep_on OFF, or MySQL without it) is ready
 * when it answers; a Galera node must be in the Primary component, Synced (state 4) and wsrep_ready.
 */
export function judgeNode(wsrepOn: string | null, status: Record<string, string>): NodeState {
  if (!isOn(wsrepOn)) return { ready: true, galera: null };
  const galera: GaleraState = {
    ready: status.wsrep_ready ?? 'OFF',
    localState: Number(status.wsrep_local_state ?? 0),
    clusterStatus: status.wsrep_cluster_status ?? 'Disconnected',
  };
  if (galera.clusterStatus !== 'Primary') return { ready: false, reason: 'NODE_NOT_PRIMARY', galera, detail: `wsrep_cluster_status=${galera.clusterStatus}` };
  if (galera.localState !== 4) return { ready: false, reason: 'NODE_NOT_SYNCED', galera, detail: `wsrep_local_state=${galera.localState} (${LOCAL_STATES[galera.localState] ?? 'unknown'})` };
  if (galera.ready.toUpperCase() !== 'ON') return { ready: false, reason: 'NODE_NOT_READY', galera, detail: 'wsrep_ready=OFF' };
  return { ready: true, galera };
}

export type Query = (sql: string) => Promise<unknown>;

/** `@@global.wsrep_on` of a server: its value, or null where it has none (MySQL). */
async function readWsrepOn(query: Query): Promise<string | null> {
  const on = (await query(`SHOW GLOBAL VARIABLES LIKE 'wsrep_on'`)) as { Value: string }[];
  return on[0]?.Value ?? null;
}

const isOn = (v: string | null): boolean => v !== null && ['ON', '1'].includes(v.toUpperCase());

/** Whether a server is a Galera node (wsrep_on ON): the one test the job leases, the write guard and the read node use. */
export async function isGaleraNode(query: Query): Promise<boolean> {
  return isOn(await readWsrepOn(query));
}

/** A node that did not answer (or not in time), with what was seen. */
export function unavailableState(e: unknown): NodeState {
  return { ready: false, reason: 'DB_UNAVAILABLE', galera: null, detail: dbUnavailableReason(e) ?? String((e as { code?: string }).code ?? (e as Error).message).slice(0, 100) };
}

/** Reads a node's state through any query function (a pool's, or one connection's). */
export async function readNodeState(query: Query): Promise<NodeState> {
  const wsrepOn = await readWsrepOn(query);
  if (!isOn(wsrepOn)) return judgeNode(wsrepOn, {});
  const rows = (await query(`SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_ready', 'wsrep_local_state', 'wsrep_cluster_status')`)) as { Variable_name: string; Value: string }[];
  return judgeNode(wsrepOn, Object.fromEntries(rows.map((r) => [r.Variable_name.toLowerCase(), r.Value])));
}

/** Rejects after `ms` unless the promise settled first (the promise itself runs on). */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what}: no answer within ${ms} ms`), { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** The state of the node at `url`, on a connection of its own (nodes the app is not using now). */
export async function probeNode(url: string, connectTimeoutMs: number, timeoutMs: number): Promise<NodeState> {
  const mysql = await import('mysql2');
  const p = parseMysqlUrl(url);
  const conn = mysql.createConnection({ host: p.host, port: p.port, user: p.username, password: p.password, database: p.database, connectTimeout: connectTimeoutMs });
  conn.on('error', () => undefined);
  try {
    const q: Query = (sql) => conn.promise().query({ sql, timeout: timeoutMs }).then(([rows]) => rows);
    return await within(readNodeState(q), connectTimeoutMs + timeoutMs, `probe of ${p.host}:${p.port}`);
  } catch (e) {
    return unavailableState(e);
  } finally {
    conn.destroy();
  }
}
