#!/usr/bin/env node
// pnpm size — sizes of the WeChat build (dist/weapp): the main package and each
// subpackage, as WeChat counts them (every file under the root, minus what it
// does not upload). Fails when the main package is over 1 MB (WeChat's limit is
// 2 MB; ours is 1 MB, so a resident on a weak network starts quickly).
const fs = require('node:fs');
const path = require('node:path');

const DIST = path.resolve(__dirname, '..', 'dist', 'weapp');
const MAIN_LIMIT = 1024 * 1024;
const SUB_LIMIT = 2 * 1024 * 1024;
// Not uploaded: licence notes, source maps, the DevTools project file.
const IGNORED = /(\.LICENSE\.txt|\.map)$|^project(\.private)?\.config\.json$/;

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

const app = path.join(DIST, 'app.json');
if (!fs.existsSync(app)) {
  console.error('size: dist/weapp/app.json is missing; run `pnpm build:weapp` first');
  process.exit(1);
}
const roots = (JSON.parse(fs.readFileSync(app, 'utf8')).subPackages ?? []).map((s) => s.root.replace(/\/$/, ''));
const sizes = { main: 0 };
for (const r of roots) sizes[r] = 0;
for (const f of files(DIST)) {
  const rel = path.relative(DIST, f).split(path.sep).join('/');
  if (IGNORED.test(path.basename(rel))) continue;
  const owner = roots.find((r) => rel === r || rel.startsWith(`${r}/`)) ?? 'main';
  sizes[owner] += fs.statSync(f).size;
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const total = Object.values(sizes).reduce((a, b) => a + b, 0);
console.log('WeChat package sizes (dist/weapp):');
console.log(`  main package            ${kb(sizes.main).padStart(10)}  (limit ${kb(MAIN_LIMIT)})`);
for (const r of roots) console.log(`  ${r.padEnd(22)}  ${kb(sizes[r]).padStart(10)}`);
console.log(`  total                   ${kb(total).padStart(10)}`);
if (process.env.SIZE_JSON) fs.writeFileSync(process.env.SIZE_JSON, JSON.stringify(sizes, null, 2) + '\n');

let failed = false;
if (sizes.main > MAIN_LIMIT) {
  console.error(`size: the main package is ${kb(sizes.main)}, over the ${kb(MAIN_LIMIT)} limit`);
  failed = true;
}
for (const r of roots) {
  if (sizes[r] > SUB_LIMIT) {
    console.error(`size: subpackage ${r} is ${kb(sizes[r])}, over WeChat's ${kb(SUB_LIMIT)} limit`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
