// "Is this build output older than its sources?" for the scripts here.
const fs = require('node:fs');
const path = require('node:path');

function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const e of fs.readdirSync(p)) if (e !== 'node_modules' && e !== 'dist') t = Math.max(t, newest(path.join(p, e)));
  return t;
}

/** True when output is missing, older than any input, or REBUILD=1. */
function stale(output, inputs) {
  const out = fs.existsSync(output) ? fs.statSync(output).mtimeMs : 0;
  return process.env.REBUILD === '1' || out === 0 || inputs.some((i) => newest(i) > out);
}

const MINIAPP = path.resolve(__dirname, '..');
const ROOT = path.resolve(MINIAPP, '..');
/** What the H5 build is made from. */
const H5_INPUTS = [path.join(MINIAPP, 'src'), path.join(MINIAPP, 'config'), path.join(MINIAPP, 'package.json'), path.join(ROOT, 'shared/dist')];

module.exports = { stale, newest, MINIAPP, ROOT, H5_INPUTS };

/** Runs a build quietly (Taro draws progress bars on stderr); shows its output only when it fails. */
function quietly(args, cwd) {
  const { execFileSync } = require('node:child_process');
  const t = Date.now();
  try {
    execFileSync(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const out = `${e.stdout ?? ''}\n${e.stderr ?? ''}`.split('\n').filter((l) => !/█/.test(l));
    process.stderr.write(out.slice(-80).join('\n') + '\n');
    throw e;
  }
  return ((Date.now() - t) / 1000).toFixed(1);
}

module.exports.quietly = quietly;
