#!/usr/bin/env node
// pnpm test:e2e — builds what is missing or stale (shared, server, the H5
// build), then drives Debian's Chromium through the journey (e2e/*.e2e.js).
// Screenshots land in e2e/screenshots/.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { stale, quietly, MINIAPP, ROOT, H5_INPUTS } = require('./stale');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const tsc = require.resolve('typescript/bin/tsc', { paths: [MINIAPP] });
if (stale(path.join(ROOT, 'shared/dist/index.js'), [path.join(ROOT, 'shared/src')])) {
  console.log(`e2e: built shared in ${quietly([tsc, '-p', 'tsconfig.json'], path.join(ROOT, 'shared'))} s`);
}
if (stale(path.join(ROOT, 'server/dist/main.js'), [path.join(ROOT, 'server/src'), path.join(ROOT, 'shared/dist')])) {
  console.log(`e2e: built server in ${quietly([tsc, '-p', 'tsconfig.build.json'], path.join(ROOT, 'server'))} s`);
}
if (stale(path.join(MINIAPP, 'dist/h5/index.html'), H5_INPUTS)) {
  const taro = require.resolve('@tarojs/cli/bin/taro', { paths: [MINIAPP] });
  console.log(`e2e: built H5 in ${quietly([taro, 'build', '--type', 'h5'], MINIAPP)} s`);
}
if (!fs.existsSync(CHROMIUM)) {
  console.error(`e2e: no Chromium at ${CHROMIUM}. Install Debian's: apt-get install -y chromium fonts-noto-cjk (never "playwright install").`);
  process.exit(1);
}
const jest = require.resolve('jest/bin/jest', { paths: [MINIAPP] });
try {
  execFileSync(process.execPath, [jest, '-c', 'jest.e2e.config.js', ...process.argv.slice(2)], { cwd: MINIAPP, stdio: 'inherit' });
} catch (e) {
  process.exit(e.status ?? 1);
}
