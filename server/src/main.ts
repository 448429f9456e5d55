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
  // The demo start keeps Nest's 80-odd start-up lines out of sight, so a newcomer sees the URL banner.
  const handle = await createApp(config, { quietStartup: demo });
  await handle.app.listen({ port: config.port, host: config.host });
  // The banner comes after every log line written so far (Fastify logs each address it listens on
  // as that socket opens, the others after listen() has resolved: give them a moment).
  await new Promise((resolve) => setTimeout(resolve, 100));
  await new Promise<void>((resolve) => handle.logger.flush(() => resolve()));
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
