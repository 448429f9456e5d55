// Command line: `node dist/cli.js migrate` runs pending migrations on the configured
// database; `node dist/cli.js openapi [--check]` writes (or checks) server/openapi.json;
// `node dist/cli.js org deactivate|activate <id>` switches an organisation off (every grant
// on it then counts for nothing; its wishes stay in the ledger) or on again.
import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig, throwawayPrivacyEnv } from './config/config';
import { openDataSource } from './database/data-source';
import { createApp } from './create-app';
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
  process.stderr.write('usage: cli.js migrate | openapi [--check] | org deactivate|activate <id>\n');
  process.exit(2);
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(e instanceof ConfigError ? `${e.message}\n` : `${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
