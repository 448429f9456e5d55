// The H5 build's precompression (config/precompress.ts): .gz and .br beside each text file, smaller, decoding to the original.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { precompressDir } from '../config/precompress';

describe('precompressDir', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xy-precompress-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes .gz and .br for text files worth it, and drops those of files that are gone', async () => {
    const js = `/* app */\n${'console.log("心愿");\n'.repeat(500)}`;
    mkdirSync(join(dir, 'js'));
    writeFileSync(join(dir, 'js', 'app.1234abcd.js'), js);
    writeFileSync(join(dir, 'tiny.css'), 'a{}');
    writeFileSync(join(dir, 'logo.png'), Buffer.alloc(4096, 1));
    writeFileSync(join(dir, 'js', 'old.9999.js.br'), 'stale');
    const sum = await precompressDir(dir);

    const br = readFileSync(join(dir, 'js', 'app.1234abcd.js.br'));
    const gz = readFileSync(join(dir, 'js', 'app.1234abcd.js.gz'));
    expect(brotliDecompressSync(br).toString()).toBe(js);
    expect(gunzipSync(gz).toString()).toBe(js);
    expect(br.length).toBeLessThan(Buffer.byteLength(js) / 10);
    // Under 1 KB, or not text: left alone. An earlier build's leftover: removed.
    expect(existsSync(join(dir, 'tiny.css.br'))).toBe(false);
    expect(existsSync(join(dir, 'logo.png.gz'))).toBe(false);
    expect(existsSync(join(dir, 'js', 'old.9999.js.br'))).toBe(false);
    expect(sum.files).toBe(2);
    expect(sum.brotli).toBeLessThan(sum.gzip);
  });
});
