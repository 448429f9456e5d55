import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AdvancedConsoleLogger, DataSource, type DataSourceOptions } from 'typeorm';
import type { AppConfig, DbDriver } from '../config/config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { DropTimedOutConnections } from './db-errors';
import { describeNode, nodeUrls, parseMysqlUrl, probeNode, redactDbUrl } from './node-state';

export { parseMysqlUrl, type MysqlUrlParts } from './node-state';

type MysqlDb = Extract<AppConfig['database'], { url: string }>;

/** TypeORM's console logger, without its "query is slow" lines: a query past DB_QUERY_TIMEOUT_MS is a timed-out one, logged by the error filter. */
class QuietSlowLogger extends AdvancedConsoleLogger {
  override logQuerySlow(): void {}
}

/** mysql:// URLs may point at MariaDB; TypeORM must know which (TOOLCHAIN.md). */
export async function detectMysqlFlavour(url: string, connectTimeoutMs = 5000): Promise<'mysql' | 'mariadb'> {
  const mysql = await import('mysql2/promise');
  const p = parseMysqlUrl(url);
  const conn = await mysql.createConnection({ host: p.host, port: p.port, user: p.username, password: p.password, database: p.database, connectTimeout: connectTimeoutMs });
  try {
    const [rows] = await conn.query('SELECT VERSION() AS v');
    return /mariadb/i.test(String((rows as { v: string }[])[0].v)) ? 'mariadb' : 'mysql';
  } finally {
    await conn.end();
  }
}

export async function buildDataSourceOptions(db: AppConfig['database']): Promise<{ options: DataSourceOptions; driver: DbDriver }> {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, migrationsTableName: 'schema_migration', synchronize: false, logging: false } as const;
  if (db.driver === 'sqlite') {
    // The data directory and the database file are the server's alone (PIPL: personal information at rest).
    mkdirSync(dirname(db.file), { recursive: true, mode: 0o700 });
    return {
      driver: 'sqlite',
      options: {
        ...common,
        type: 'better-sqlite3',
        database: db.file,
        prepareDatabase: (raw: { pragma(s: string): unknown }) => {
          for (const f of [db.file, `${db.file}-wal`, `${db.file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
          raw.pragma('journal_mode = WAL');
          raw.pragma('busy_timeout = 5000');
          raw.pragma('synchronous = NORMAL');
        },
      },
    };
  }
  const driver = db.driver === 'detect' ? await detectMysqlFlavour(db.url, db.connectTimeoutMs) : db.driver;
  const p = parseMysqlUrl(db.url);
  return {
    driver,
    options: {
      ...common,
      type: driver,
      host: p.host,
      port: p.port,
      username: p.username,
      password: p.password,
      database: p.database,
      timezone: 'Z',
      charset: 'utf8mb4_unicode_ci',
      poolSize: db.poolSize,
      // No hang on a stalled server: a handshake or a query past its time fails (503), and the
      // timed-out query's connection is dropped (DropTimedOutConnections, db-errors.ts).
      connectTimeout: db.connectTimeoutMs,
      enableQueryTimeout: true,
      maxQueryExecutionTime: db.queryTimeoutMs,
      subscribers: [DropTimedOutConnections],
      logger: new QuietSlowLogger(false),
      // trace off: mysql2 otherwise captures a stack per query (~5% of the API's CPU).
      extra: { connectionLimit: db.poolSize, supportBigNumbers: true, bigNumberStrings: false, trace: false },
    },
  };
}

/**
 * Opens the database. With DATABASE_FAILOVER_URLS, the first node of DATABASE_URL and the list
 * that answers and is ready (a Galera node Synced in the Primary component) is used: `node` says which.
 */
export async function openDataSource(db: AppConfig['database'], runMigrations = true): Promise<{ dataSource: DataSource; driver: DbDriver; node: number }> {
  if (db.driver === 'sqlite' || db.failoverUrls.length === 0) return { ...(await openOne(db, runMigrations)), node: 0 };
  const urls = nodeUrls(db);
  const seen: string[] = [];
  for (let i = 0; i < urls.length; i++) {
    const state = await probeNode(urls[i], db.connectTimeoutMs, db.queryTimeoutMs);
    if (!state.ready) {
      seen.push(`${redactDbUrl(urls[i])}: ${describeNode(state)}`);
      continue;
    }
    return { ...(await openOne({ ...db, url: urls[i] }, runMigrations)), node: i };
  }
  throw new Error(`no database node is ready:\n  ${seen.join('\n  ')}`);
}

/** Opens one node; migrations only where asked (the first open of the process, never a failover swap). */
export async function openOne(db: AppConfig['database'], runMigrations: boolean): Promise<{ dataSource: DataSource; driver: DbDriver }> {
  const { options, driver } = await buildDataSourceOptions(db);
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  if (runMigrations) await dataSource.runMigrations({ transaction: 'each' });
  // SQLite makes its -wal and -shm files as it goes: readable by the server only too.
  if (db.driver === 'sqlite') for (const f of [db.file, `${db.file}-wal`, `${db.file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
  return { dataSource, driver };
}
