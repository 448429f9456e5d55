// The outbox core exists so that the wish lifecycle and the notifications module need not
// import each other (issue 15, "Notifications with a home of their own"). This test reads the
// import statements of every source file and fails when either module reaches the other,
// directly or through other files, while the other reaches it back: an import cycle.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.spec.ts') ? [p] : [];
  });
}

/** Relative imports (and re-exports) of a file, resolved to files; type-only imports count too. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gs)) {
    const base = resolve(dirname(file), m[1]);
    for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
      try {
        if (statSync(candidate).isFile()) {
          out.push(candidate);
          break;
        }
      } catch {
        // not this one
      }
    }
  }
  return out;
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const moduleOf = (f: string) => relative(join(SRC, 'modules'), f).split('/')[0];

/** Every file reachable from the module's files. */
function reach(mod: string): Set<string> {
  const seen = new Set<string>();
  const todo = files.filter((f) => f.startsWith(join(SRC, 'modules', mod) + '/'));
  while (todo.length) {
    const f = todo.pop()!;
    for (const g of graph.get(f) ?? []) {
      if (!seen.has(g)) {
        seen.add(g);
        todo.push(g);
      }
    }
  }
  return seen;
}

function path(from: string, to: string): string[] | null {
  const prev = new Map<string, string | null>();
  const start = files.filter((f) => moduleOf(f) === from);
  for (const f of start) prev.set(f, null);
  const queue = [...start];
  while (queue.length) {
    const f = queue.shift()!;
    if (moduleOf(f) === to) {
      const chain: string[] = [];
      for (let c: string | null = f; c; c = prev.get(c) ?? null) chain.unshift(relative(SRC, c));
      return chain;
    }
    for (const g of graph.get(f) ?? []) {
      if (!prev.has(g)) {
        prev.set(g, f);
        queue.push(g);
      }
    }
  }
  return null;
}

describe('module import cycles', () => {
  it('finds the imports it checks (the scan works)', () => {
    expect([...reach('wishes')].some((f) => f.endsWith('outbox/outbox.ts'))).toBe(true);
  });

  it('no wishes file imports a notifications file directly (the lifecycle writes the outbox core)', () => {
    const direct = files.filter((f) => moduleOf(f) === 'wishes').flatMap((f) => (graph.get(f) ?? []).filter((g) => moduleOf(g) === 'notifications').map((g) => `${relative(SRC, f)} → ${relative(SRC, g)}`));
    expect(direct).toEqual([]);
  });

  it('the notifications module does not reach the wishes module (the sender reads wishes by SQL)', () => {
    expect(path('notifications', 'wishes')).toBeNull();
  });

  it('the outbox core imports neither wishes nor notifications', () => {
    expect(path('outbox', 'wishes')).toBeNull();
    expect(path('outbox', 'notifications')).toBeNull();
  });

  it('wishes and notifications do not import each other (no cycle either way)', () => {
    const there = path('wishes', 'notifications');
    const back = path('notifications', 'wishes');
    expect(there && back ? { there, back } : null).toBeNull();
  });
});
