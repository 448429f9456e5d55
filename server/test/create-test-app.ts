// Starts the real app on a real port against a fresh database:
// SQLite in a temp dir by default, or a fresh MariaDB database when TEST_DB=mariadb.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type AppConfig } from '../src/config/config';
import { createApp, type AppHandle } from '../src/create-app';
import { Clock, FakeClock } from '../src/common/clock';
import { createRootLogger } from '../src/common/logging/logger';
import { TokenService } from '../src/common/auth/token.service';
import { HttpClient } from './http';

export const TEST_DB = (process.env.TEST_DB ?? 'sqlite') as 'sqlite' | 'mariadb';

/** The keys of personal information in the tests (fixed, so a test can read the database as an attacker would not). */
export const TEST_PRIVACY_ENV = { PII_KEYS: `test1:${Buffer.alloc(32, 0x11).toString('base64')}`, PII_HASH_KEY: Buffer.alloc(32, 0x22).toString('base64') };
/** What the tests run with unless they say otherwise: week-long tokens (tests move the clock), no rate limits, large quotas, no background jobs. */
export const TEST_ENV = { ...TEST_PRIVACY_ENV, JWT_TTL_SECONDS: String(7 * 24 * 3600), RATE_LIMIT_ENABLED: 'false', QUOTA_PENDING_WISHES: '100000', QUOTA_UNATTACHED_UPLOADS: '100000', PRIVACY_JOBS_ENABLED: 'false', MEDIA_CHECK_JOB_ENABLED: 'false', IDEMPOTENCY_PURGE_ENABLED: 'false', CLOCK_SKEW_MAX_MS: '0' };
export const MARIADB_ROOT_URL = process.env.TEST_MARIADB_URL ?? 'mariadb://root@127.0.0.1:3306';

export interface TestApp extends AppHandle {
  http: HttpClient;
  baseUrl: string;
  dataDir: string;
  clock: FakeClock;
  /** A bearer token for the user, under token version `version` (0 until the user logs out or is deactivated). */
  tokenFor(userId: number, version?: number): string;
}

/** A fresh, empty MariaDB database; returns its URL and a drop function. */
export async function freshMariaDb(): Promise<{ url: string; drop: () => Promise<void> }> {
  const mysql = await import('mysql2/promise');
  const root = new URL(MARIADB_ROOT_URL);
  const name = `xy_test_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const conn = await mysql.createConnection({ host: root.hostname, port: Number(root.port || 3306), user: decodeURIComponent(root.username || 'root'), password: decodeURIComponent(root.password) });
  await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await conn.end();
  return {
    url: `${root.protocol}//${root.username ? root.username + (root.password ? ':' + root.password : '') + '@' : ''}${root.host}/${name}`,
    drop: async () => {
      const c = await mysql.createConnection({ host: root.hostname, port: Number(root.port || 3306), user: decodeURIComponent(root.username || 'root'), password: decodeURIComponent(root.password) });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

export async function createTestApp(env: Record<string, string> = {}, opts: { clock?: FakeClock } = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'xinyuan-test-'));
  let dropDb: (() => Promise<void>) | null = null;
  const dbEnv: Record<string, string> = {};
  if (TEST_DB === 'mariadb') {
    const db = await freshMariaDb();
    dbEnv.DATABASE_URL = db.url;
    dropDb = db.drop;
  }
  const config: AppConfig = loadConfig(
    { ...TEST_ENV, JWT_SECRET: 'test-secret-test-secret-test-secret-0123', DATA_DIR: dataDir, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', PORT: '0', HOST: '127.0.0.1', DISPATCH_ENABLED: 'false', NOTIFY_ENABLED: 'false', ...dbEnv, ...env },
    {},
  );
  const clock = opts.clock ?? new FakeClock(Date.now());
  const handle = await createApp(config, { clock: clock as Clock, logger: createRootLogger(config.logLevel) });
  await handle.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = handle.app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${addr.port}`;
  const tokens = handle.app.get(TokenService);
  return {
    ...handle,
    clock,
    dataDir,
    baseUrl,
    http: new HttpClient(baseUrl),
    tokenFor: (userId: number, version = 0) => tokens.issue(userId, version).token,
    async close() {
      await handle.close();
      if (dropDb) await dropDb();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
