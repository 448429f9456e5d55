// Command line: `node dist/cli.js migrate` runs pending migrations on the configured
// database; `node dist/cli.js openapi [--check]` writes (or checks) server/openapi.json;
// `node dist/cli.js org deactivate|activate <id>` switches an organisation off (every grant
// on it then counts for nothing; its wishes stay in the ledger) or on again;
// `node dist/cli.js pii status|reencrypt [--batch=500]` counts the personal values per key, or
// seals every value not under the active key again (resumable: run it again after a stop);
// `node dist/cli.js privacy retention [--batch=200]` erases, once, the personal information kept
// past RETENTION_DAYS (contact details of closed wishes, names and phones of ended registrations);
// `node dist/cli.js ledger verify [--wish=N] [--org=ID] [--day=YYYY-MM-DD [--digest=HEX] [--up-to=N]]` walks
// the ledger's hash chains and prints the first broken link, and a day's digest (台账校验码);
// `node dist/cli.js user list [--recent=N] | user grant|revoke --user=ID --role=ROLE --org=ID` lists the
// newest accounts, or gives (ends) a role at an organisation (committee accounts, the reviewer's test accounts).
import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig, throwawayPrivacyEnv } from './config/config';
import { openDataSource } from './database/data-source';
import { Database } from './database/database';
import { Pii } from './common/crypto/pii';
import { reencryptAll, sealStatus } from './common/crypto/pii-rotation';
import { createApp } from './create-app';
import { SystemClock } from './common/clock';
import { createRootLogger } from './common/logging/logger';
import { PrivacyRepository } from './modules/privacy/privacy.repository';
import { RetentionSweeper } from './modules/privacy/jobs/retention.sweeper';
import { JobLeases } from './common/jobs/job-lease';
import { runLedgerVerify } from './modules/ledger/ledger-verify.cli';
import { runUserCommand } from './modules/users/user-grants.cli';
import { buildOpenApi, openApiText } from './openapi';

export const OPENAPI_FILE = resolve(__dirname, '..', 'openapi.json');

async function migrate(): Promise<void> {
  // Migrations need only the database settings.
  const config = loadConfig({ ...throwawayPrivacyEnv(), ...process.env, JWT_SECRET: process.env.JWT_SECRET ?? 'x'.repeat(32), NODE_ENV: undefined, AUTH_DEV_LOGIN: undefined });
  const { dataSource, driver } = await openDataSource(config.database, false);
  try {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    process.stdout.write(`${driver}: ${ran.length ? ran.map((m) => `applied ${m.name}`).join('\n') : 'schema is up to date'}\n`);
  } finally {
    await dataSource.destroy();
  }
}

/** Deactivates (or activates again) an organisation; returns whether it exists. */
export async function setOrganisationActive(query: (sql: string, params: unknown[]) => Promise<unknown>, id: number, active: boolean, at: Date | string): Promise<boolean> {
  const rows = (await query(`SELECT id FROM organisation WHERE id = ?`, [id])) as unknown[];
  if (rows.length === 0) return false;
  await query(`UPDATE organisation SET deactivated_at = ? WHERE id = ?`, [active ? null : at, id]);
  return true;
}

async function org(action: string | undefined, idText: string | undefined): Promise<void> {
  const id = Number(idText);
  if ((action !== 'deactivate' && action !== 'activate') || !Number.isSafeInteger(id) || id <= 0) {
    process.stderr.write('usage: cli.js org deactivate|activate <organisation id>\n');
    process.exit(2);
  }
  const config = loadConfig({ ...throwawayPrivacyEnv(), ...process.env, JWT_SECRET: process.env.JWT_SECRET ?? 'x'.repeat(32), NODE_ENV: undefined, AUTH_DEV_LOGIN: undefined });
  const { dataSource, driver } = await openDataSource(config.database, false);
  try {
    const now = driver === 'sqlite' ? new Date().toISOString().replace('T', ' ').replace('Z', '') : new Date();
    if (!(await setOrganisationActive((sql, params) => dataSource.query(sql, params), id, action === 'activate', now))) {
      process.stderr.write(`organisation ${id} does not exist\n`);
      process.exit(1);
    }
    process.stdout.write(`organisation ${id} ${action}d\n`);
  } finally {
    await dataSource.destroy();
  }
}

async function pii(action: string | undefined, args: string[]): Promise<void> {
  if (action !== 'status' && action !== 'reencrypt') {
    process.stderr.write('usage: cli.js pii status | pii reencrypt [--batch=500]\n');
    process.exit(2);
  }
  const batchArg = args.find((a) => a.startsWith('--batch='));
  const batch = batchArg ? Number(batchArg.slice(8)) : 500;
  if (!Number.isSafeInteger(batch) || batch < 1 || batch > 10_000) {
    process.stderr.write('--batch must be an integer from 1 to 10000\n');
    process.exit(2);
  }
  // The real key ring: nothing here may run on throwaway keys.
  const config = loadConfig({ ...process.env, JWT_SECRET: process.env.JWT_SECRET ?? 'x'.repeat(32), NODE_ENV: undefined, AUTH_DEV_LOGIN: undefined });
  const { dataSource, driver } = await openDataSource(config.database, false);
  const db = new Database(dataSource, driver, new Pii(config.privacy));
  try {
    if (action === 'status') {
      for (const s of await sealStatus(db)) process.stdout.write(`${s.column}: ${Object.entries(s.byKey).map(([k, n]) => `${k} ${n}`).join(', ') || 'empty'}\n`);
      process.stdout.write(`active key: ${db.pii.activeKeyId}\n`);
      return;
    }
    const done = await reencryptAll(db, { batch, onBatch: (p) => process.stdout.write(`  ${p.table}: ${p.scanned} rows read, ${p.resealed} sealed again, ${p.skipped} changed meanwhile (next run)\n`) });
    for (const p of done) process.stdout.write(`${p.table}: ${p.scanned} rows read, ${p.resealed} sealed again with key ${db.pii.activeKeyId}, ${p.skipped} left for the next run\n`);
  } finally {
    await dataSource.destroy();
  }
}

async function privacy(action: string | undefined, args: string[]): Promise<void> {
  const batchArg = args.find((a) => a.startsWith('--batch='));
  const batch = batchArg ? Number(batchArg.slice(8)) : 200;
  if (action !== 'retention' || !Number.isSafeInteger(batch) || batch < 1 || batch > 10_000) {
    process.stderr.write('usage: cli.js privacy retention [--batch=200]  (batch: 1 to 10000)\n');
    process.exit(2);
  }
  // The real key ring: the placeholders it writes are sealed like every other value.
  const config = loadConfig({ ...process.env, JWT_SECRET: process.env.JWT_SECRET ?? 'x'.repeat(32), NODE_ENV: undefined, AUTH_DEV_LOGIN: undefined });
  const { dataSource, driver } = await openDataSource(config.database, false);
  const db = new Database(dataSource, driver, new Pii(config.privacy));
  try {
    const logger = createRootLogger(config.logLevel);
    const sweeper = new RetentionSweeper(config, db, new SystemClock(), new PrivacyRepository(db), logger, new JobLeases(config, db, logger, new SystemClock()));
    const s = await sweeper.sweepOnce(undefined, batch);
    process.stdout.write(`erased past ${config.privacy.retentionDays} days: ${s.wishes} wishes (contact details), ${s.registrations} registrations (name, phone, work unit), in ${s.batches} batches\n`);
  } finally {
    await dataSource.destroy();
  }
}

async function ledger(action: string | undefined, args: string[]): Promise<void> {
  if (action !== 'verify') {
    process.stderr.write('usage: cli.js ledger verify [--wish=N] [--org=ID] [--day=YYYY-MM-DD [--digest=HEX] [--up-to=N]]\n');
    process.exit(2);
  }
  // Reads only the ledger's columns: no personal information is opened.
  const config = loadConfig({ ...throwawayPrivacyEnv(), ...process.env, JWT_SECRET: process.env.JWT_SECRET ?? 'x'.repeat(32), NODE_ENV: undefined, AUTH_DEV_LOGIN: undefined });
  const { dataSource, driver } = await openDataSource(config.database, false);
  const db = new Database(dataSource, driver, new Pii(config.privacy));
  let code = 0;
  try {
    code = await runLedgerVerify(db, args, (s) => process.stdout.write(s));
  } finally {
    await dataSource.destroy();
  }
  process.exitCode = code;
}

async function user(action: string | undefined, args: string[]): Promise<void> {
  // Reads and writes grants only: no personal information is opened.
  const config = loadConfig({ ...throwawayPrivacyEnv(), ...process.env, JWT_SECRET: process.env.JWT_SECRET ?? 'x'.repeat(32), NODE_ENV: undefined, AUTH_DEV_LOGIN: undefined });
  const { dataSource, driver } = await openDataSource(config.database, false);
  const db = new Database(dataSource, driver, new Pii(config.privacy));
  try {
    process.exitCode = await runUserCommand(db, action, args, (s) => process.stdout.write(s));
  } finally {
    await dataSource.destroy();
  }
}

/** The OpenAPI document of the current code, built on a throwaway SQLite database. */
export async function currentOpenApiText(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'xinyuan-openapi-'));
  try {
    const handle = await createApp(loadConfig({ ...throwawayPrivacyEnv(), JWT_SECRET: 'x'.repeat(32), DATA_DIR: dir, LOG_LEVEL: 'silent', API_DOCS: 'true' }));
    try {
      return openApiText(buildOpenApi(handle.app));
    } finally {
      await handle.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function openapi(check: boolean): Promise<void> {
  const text = await currentOpenApiText();
  if (check) {
    const onDisk = readFileSync(OPENAPI_FILE, 'utf8');
    if (onDisk !== text) {
      process.stderr.write(`${OPENAPI_FILE} is stale: run \`pnpm --filter @xinyuan/server openapi\` and commit it.\n`);
      process.exit(1);
    }
    process.stdout.write('openapi.json is up to date\n');
    return;
  }
  writeFileSync(OPENAPI_FILE, text);
  process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
}

async function main(): Promise<void> {
  const [cmd, ...rest] = process.argv.slice(2);
  if (cmd === 'migrate') return migrate();
  if (cmd === 'openapi') return openapi(rest.includes('--check'));
  if (cmd === 'org') return org(rest[0], rest[1]);
  if (cmd === 'pii') return pii(rest[0], rest.slice(1));
  if (cmd === 'privacy') return privacy(rest[0], rest.slice(1));
  if (cmd === 'ledger') return ledger(rest[0], rest.slice(1));
  if (cmd === 'user') return user(rest[0], rest.slice(1));
  process.stderr.write('usage: cli.js migrate | openapi [--check] | org deactivate|activate <id> | pii status|reencrypt [--batch=N] | privacy retention [--batch=N] | ledger verify [--wish=N] [--org=ID] [--day=D] | user list|grant|revoke\n');
  process.exit(2);
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(e instanceof ConfigError ? `${e.message}\n` : `${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
