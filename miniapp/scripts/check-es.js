#!/usr/bin/env node
// pnpm check:es — the WeChat build (dist/weapp) must run on old base libraries (iOS 12's
// JavaScriptCore, old Android X5/V8): no ES2019+ built-ins that nothing polyfills, and no
// ES2020+ syntax (Babel lowers syntax for src and @xinyuan/shared, config/index.ts
// compile.include; built-ins are not polyfilled). A guarded `typeof globalThis` is allowed.
const fs = require('node:fs');
const path = require('node:path');

const DIST = path.resolve(__dirname, '..', 'dist', 'weapp');
const BANNED = [
  ['Object.fromEntries (ES2019)', /\bObject\.fromEntries\b/],
  ['Array.prototype.flat / flatMap (ES2019)', /\.flat(Map)?\(/],
  ['String.prototype.trimStart / trimEnd (ES2019)', /\.trim(Start|End)\(/],
  ['String.prototype.matchAll (ES2020)', /\.matchAll\(/],
  ['Promise.allSettled (ES2020)', /\bPromise\.allSettled\b/],
  ['String.prototype.replaceAll (ES2021)', /\.replaceAll\(/],
  ['Promise.any (ES2021)', /\bPromise\.any\(/],
  ['Array.prototype.at (ES2022)', /[\w)\]]\.at\(-?\d/],
  ['Object.hasOwn (ES2022)', /\bObject\.hasOwn\(/],
  ['findLast (ES2023)', /\.findLast(Index)?\(/],
  ['structuredClone', /\bstructuredClone\(/],
  ['?? (ES2020 syntax)', /\?\?/],
  ['?. (ES2020 syntax)', /\?\.[A-Za-z_$[(]/],
];

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

if (!fs.existsSync(DIST)) {
  console.error('check:es: dist/weapp is missing; run `pnpm build:weapp:local` first');
  process.exit(1);
}
const found = [];
for (const f of files(DIST).filter((x) => x.endsWith('.js'))) {
  // String and regex literals may hold these characters; strings are cut out first.
  const text = fs.readFileSync(f, 'utf8').replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""');
  for (const [name, re] of BANNED) {
    const m = re.exec(text);
    if (m) found.push(`${path.relative(DIST, f)}: ${name}: …${text.slice(Math.max(0, m.index - 40), m.index + 40)}…`);
  }
}
if (found.length) {
  console.error(`check:es: ${found.length} use(s) old WeChat base libraries lack:\n  ${found.join('\n  ')}`);
  process.exit(1);
}
console.log('check:es: no ES2019+ built-ins or ES2020+ syntax in dist/weapp');
