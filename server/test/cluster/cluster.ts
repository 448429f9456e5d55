// Helpers of the cluster suites: the three Galera nodes of scripts/galera.sh, a fresh database on
// them, and one app (its own DataSource and pool) per node.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Connection } from 'mysql2/promise';
import { FakeClock } from '../../src/common/clock';
import { createTestApp, type TestApp } from '../create-test-app';

export const BASE_PORT = Number(process.env.GALERA_BASE_PORT ?? 3311);
export const NODES = [1, 2, 3] as const;
export type Node = (typeof NODES)[number];
export const portOf = (node: Node) => BASE_PORT + node - 1;
export const urlOf = (node: Node, db = '') => `mariadb://root@127.0.0.1:${portOf(node)}/${db}`;
export const GALERA_SH = join(__dirname, '..', '..', 'scripts', 'galera.sh');

export async function connect(node: Node, db?: string): Promise<Connection> {
  const mysql = await import('mysql2/promise');
  return mysql.createConnection({ host: '127.0.0.1', port: portOf(node), user: 'root', password: '', database: db, supportBigNumbers: true });
}

/** A query on one node that first waits until that node has applied everything committed anywhere before (wsrep_sync_wait). */
export async function syncedQuery<T = any>(node: Node, db: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = await connect(node, db);
  try {
    await c.query('SET SESSION wsrep_sync_wait = 1');
    const [rows] = await c.query(sql, params);
    return rows as T[];
  } finally {
    await c.end();
  }
}

/** A status variable of a node (wsrep_local_cert_failures, wsrep_local_bf_aborts, ...). */
export async function statusOf(node: Node, name: string): Promise<number> {
  const c = await connect(node);
  try {
    const [rows] = await c.query('SHOW GLOBAL STATUS LIKE ?', [name]);
    return Number((rows as { Value: string }[])[0]?.Value ?? NaN);
  } finally {
    await c.end();
  }
}

/** The sum of a status variable over the three nodes. */
export async function clusterStatus(name: string): Promise<number> {
  let n = 0;
  for (const node of NODES) n += await statusOf(node, name);
  return n;
}

/** A fresh, empty database on the cluster (made on node 1, seen by all); drop() removes it. */
export async function freshClusterDb(): Promise<{ name: string; drop: () => Promise<void> }> {
  const name = `xy_cluster_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const c = await connect(1);
  await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await c.end();
  for (const node of NODES) await syncedQuery(node, name, 'SELECT 1');
  return {
    name,
    drop: async () => {
      const d = await connect(1);
      await d.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await d.end();
    },
  };
}

/**
 * One app per node on database `db`, each on its own port. Node 1's app runs the migrations; the
 * others start once their node has applied them.
 */
export async function appsOnNodes(db: string, nodes: readonly Node[], env: Record<string, string> = {}, clock?: () => FakeClock): Promise<TestApp[]> {
  const apps: TestApp[] = [];
  for (const node of nodes) {
    if (apps.length) for (const n of NODES) await syncedQuery(n, db, 'SELECT COUNT(*) AS n FROM schema_migration');
    apps.push(await createTestApp({ DATABASE_URL: urlOf(node, db), DB_POOL_SIZE: '10', ...env }, clock ? { clock: clock() } : {}));
  }
  return apps;
}

/** galera.sh status (the three nodes' states), for messages. */
export function galeraStatus(): string {
  try {
    return execFileSync('bash', [GALERA_SH, 'status'], { encoding: 'utf8' });
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? e);
  }
}
