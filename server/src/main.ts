import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/config';
import { createApp } from './create-app';

async function main() {
  const demo = process.argv.includes('--demo');
  let config;
  try {
    config = loadConfig(process.env, { demo });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\nSee README.md, "Configuration".\n`);
      process.exit(1);
    }
    throw e;
  }
  // Everything the server creates (the SQLite file, uploads, the demo's keys) is its own to read.
  process.umask(0o077);
  const handle = await createApp(config);
  await handle.app.listen({ port: config.port, host: config.host });
  const shown = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  const url = `http://${shown}:${config.port}`;
  process.stdout.write(
    `\nXinyuan is running on ${handle.database.driver} at ${url}\n` +
      (config.apiDocs ? `  API docs: ${url}/api/docs\n` : '') +
      (config.devLogin ? `  Dev login is on: POST ${url}/api/auth/dev-login {"openid":"demo-resident"}\n` : '') +
      '\n',
  );
}

main().catch((e) => {
  process.stderr.write(`Failed to start: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
