import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { AppConfig, DbDriver } from '../config/config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

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

/** mysql:// URLs may point at MariaDB; TypeORM must know which (TOOLCHAIN.md). */
export async function detectMysqlFlavour(url: string): Promise<'mysql' | 'mariadb'> {
  const mysql = await import('mysql2/promise');
  const p = parseMysqlUrl(url);
  const conn = await mysql.createConnection({ host: p.host, port: p.port, user: p.username, password: p.password, database: p.database, connectTimeout: 5000 });
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
  const driver = db.driver === 'detect' ? await detectMysqlFlavour(db.url) : db.driver;
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
      // trace off: mysql2 otherwise captures a stack per query (~5% of the API's CPU).
      extra: { connectionLimit: db.poolSize, supportBigNumbers: true, bigNumberStrings: false, trace: false },
    },
  };
}

export async function openDataSource(db: AppConfig['database'], runMigrations = true): Promise<{ dataSource: DataSource; driver: DbDriver }> {
  const { options, driver } = await buildDataSourceOptions(db);
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  if (runMigrations) await dataSource.runMigrations({ transaction: 'each' });
  // SQLite makes its -wal and -shm files as it goes: readable by the server only too.
  if (db.driver === 'sqlite') for (const f of [db.file, `${db.file}-wal`, `${db.file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
  return { dataSource, driver };
}
