#!/usr/bin/env node
// pnpm build:h5:if-stale — for `pnpm start`: builds the H5 version only when
// dist/h5 is missing or older than its sources (a build takes 30–80 s).
const path = require('node:path');
const { stale, quietly, MINIAPP, H5_INPUTS } = require('./stale');

if (stale(path.join(MINIAPP, 'dist/h5/index.html'), H5_INPUTS)) {
  const taro = require.resolve('@tarojs/cli/bin/taro', { paths: [MINIAPP] });
  console.log('Building the H5 version of the mini-program (miniapp/dist/h5)…');
  console.log(`H5 built in ${quietly([taro, 'build', '--type', 'h5'], MINIAPP)} s`);
} else {
  console.log('miniapp/dist/h5 is up to date');
}
