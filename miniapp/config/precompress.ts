// The H5 build, compressed once at build time: every text asset the build emits gets a .gz
// (gzip level 9) and a .br (brotli quality 11) beside it, written only when smaller. The
// server's static serving (server/src/create-app.ts, @fastify/static preCompressed) sends
// the one the browser accepts, with Content-Encoding and Vary. node:zlib only, no dependency.
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { existsSync, readdirSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

const gz = promisify(gzip);
const br = promisify(brotliCompress);

/** Worth compressing: text, at least 1 KB (below that the headers cost more than is saved). */
export const PRECOMPRESS = /\.(js|css|html|svg|json|txt|map)$/;
const MIN_BYTES = 1024;

/** Writes file.gz and file.br beside `file` when each is smaller than it; returns the bytes written. */
export async function precompressFile(file: string): Promise<{ raw: number; gzip: number | null; brotli: number | null }> {
  const raw = await readFile(file);
  const out = { raw: raw.length, gzip: null as number | null, brotli: null as number | null };
  if (raw.length < MIN_BYTES) return out;
  const [g, b] = await Promise.all([
    gz(raw, { level: 9 }),
    br(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } }),
  ]);
  if (g.length < raw.length) {
    await writeFile(`${file}.gz`, g);
    out.gzip = g.length;
  }
  if (b.length < raw.length) {
    await writeFile(`${file}.br`, b);
    out.brotli = b.length;
  }
  return out;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Compresses every text file under `dir` and drops .gz/.br files whose original is gone (an earlier build's). */
export async function precompressDir(dir: string): Promise<{ files: number; raw: number; gzip: number; brotli: number }> {
  const all = walk(dir);
  for (const f of all) if (/\.(gz|br)$/.test(f) && !existsSync(f.replace(/\.(gz|br)$/, ''))) await unlink(f);
  const sum = { files: 0, raw: 0, gzip: 0, brotli: 0 };
  for (const f of all.filter((x) => PRECOMPRESS.test(x) && !x.endsWith('.LICENSE.txt'))) {
    const r = await precompressFile(f);
    sum.files += 1;
    sum.raw += r.raw;
    sum.gzip += r.gzip ?? r.raw;
    sum.brotli += r.brotli ?? r.raw;
  }
  return sum;
}

/** A webpack plugin: after the H5 build is written, precompress its output folder. */
export class PrecompressPlugin {
  apply(compiler: { outputPath: string; hooks: { afterEmit: { tapPromise(name: string, fn: () => Promise<void>): void } } }): void {
    compiler.hooks.afterEmit.tapPromise('PrecompressPlugin', async () => {
      const t = Date.now();
      const s = await precompressDir(compiler.outputPath);
      const kb = (n: number) => `${Math.round(n / 1024)} KB`;
      console.log(`precompressed ${s.files} files in ${Date.now() - t} ms: ${kb(s.raw)} → gzip ${kb(s.gzip)}, brotli ${kb(s.brotli)}`);
    });
  }
}
