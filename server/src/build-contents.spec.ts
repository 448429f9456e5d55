import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

// The production build (tsconfig.build.json) compiles src/ without its specs: the benchmarks and
// the test helpers live beside it (bench/, test/) and nothing the product ships may reach them.
function productFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return productFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [p] : [];
  });
}

describe('what the production build ships', () => {
  const src = join(__dirname);
  const files = productFiles(src);

  it('builds src/ only, specs left out', () => {
    const build = JSON.parse(readFileSync(join(__dirname, '..', 'tsconfig.build.json'), 'utf8'));
    expect(build.include).toEqual(['src']);
    expect(build.exclude).toEqual(expect.arrayContaining(['src/**/*.spec.ts', 'test']));
  });

  it('has no benchmark under src/ and no product file imports the benchmarks or the test helpers', () => {
    expect(files.filter((f) => /(^|\/)bench(\/|\.)/.test(relative(src, f)))).toEqual([]);
    const reaching = files.filter((f) => /from '(\.\.\/)+(bench|test)\//.test(readFileSync(f, 'utf8')));
    expect(reaching.map((f) => relative(src, f))).toEqual([]);
  });
});
