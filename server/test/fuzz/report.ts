// Groups what the fuzz run saw into short, readable reports.
import { errorCodeOf, errorShapeProblem, isSuccess, type Outcome, type WriteFault } from './runner';

const cut = (s: string, n: number) => {
  const one = s.replace(/\s+/g, ' ');
  return one.length > n ? `${one.slice(0, n)}… (${s.length} chars)` : one;
};

/** What the server logged (warn and above) while handling a request, by request id. */
export type ServerLog = Map<string, { cause: string; line: string }>;

/** One short name for why a request failed: the server's error, else the status and error code. */
export function causeOf(o: Outcome, log: ServerLog): string {
  if (o.failure) return o.failure;
  const logged = o.requestId ? log.get(o.requestId) : undefined;
  if (logged) return `${o.status} ${logged.cause}`;
  return `${o.status} ${errorCodeOf(o.text) || cut(o.text, 60)}`;
}

function example(o: Outcome, log: ServerLog): string[] {
  const ct = o.req.headers['content-type'];
  const lines = [
    `        e.g. ${o.req.method} ${cut(o.req.url, 150)}  (as ${o.req.who}${ct ? `, content-type ${cut(ct, 60)}` : ''})`,
    `             body ${o.req.excerpt}`,
    `             → ${o.failure ?? o.status} ${cut(o.text, 200)}`,
  ];
  const logged = o.requestId ? log.get(o.requestId) : undefined;
  if (logged) lines.push(`             server: ${cut(logged.line, 300)}`);
  return lines;
}

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return m;
}

/**
 * Outcomes grouped by route, then by cause; each cause lists the input classes
 * that provoked it (how many of each) and shows one request in full.
 */
export function groupedReport(title: string, outs: Outcome[], log: ServerLog, why: (o: Outcome) => string = (o) => causeOf(o, log)): string {
  if (!outs.length) return '';
  const byOp = groupBy(outs, (o) => o.req.op);
  const lines = [`${title}: ${outs.length} request(s) on ${byOp.size} route(s)`];
  for (const [op, os] of byOp) {
    lines.push(`  ${op}`);
    for (const [cause, cs] of groupBy(os, why)) {
      const classes = [...groupBy(cs, (o) => o.req.cls)].map(([cls, xs]) => `${cut(cls, 90)}${xs.length > 1 ? ` (${xs.length}×)` : ''}`);
      lines.push(`    ${cut(cause, 200)} — ${cs.length} request(s)`);
      lines.push(`      inputs: ${classes.slice(0, 8).join('; ')}${classes.length > 8 ? `; … ${classes.length - 8} more` : ''}`);
      lines.push(...example(cs[0], log));
    }
  }
  return lines.join('\n');
}

/** The distinct causes across all routes, one line each (for the assertion message). */
export function causeLines(outs: Outcome[], why: (o: Outcome) => string): string[] {
  return [...groupBy(outs, why)].map(([cause, os]) => {
    const ops = [...groupBy(os, (o) => o.req.op).keys()];
    const kinds = [...new Set(os.map((o) => o.req.cls.split(' + ').find((c) => !c.startsWith('auth:')) ?? o.req.cls).map((c) => c.replace(/^body\.[\w.]+: /, 'field: ')))];
    return `${cut(cause, 160)} | ${os.length}× on ${ops.length} route(s): ${ops.slice(0, 4).join(', ')}${ops.length > 4 ? ', …' : ''} | inputs: ${kinds.slice(0, 4).join('; ')}${kinds.length > 4 ? '; …' : ''}`;
  });
}

export function writeReport(faults: WriteFault[], batches: { reqs: Outcome[]; diff: string }[]): string {
  if (!faults.length && !batches.length) return '';
  const lines = [`Refused requests that wrote rows: ${faults.length} request(s), ${batches.length} batch(es) not pinned on one request`];
  for (const f of faults) {
    lines.push(`  ${f.req.op} [${f.req.cls}] as ${f.req.who} → ${f.status}: ${f.diff}`);
    lines.push(`      ${f.req.method} ${cut(f.req.url, 160)} body ${f.req.excerpt}`);
    lines.push(`      → ${cut(f.text, 200)}`);
  }
  for (const b of batches) {
    lines.push(`  a batch of ${b.reqs.length} refused requests: ${b.diff}`);
    for (const o of b.reqs.slice(0, 5)) lines.push(`      ${o.req.op} [${o.req.cls}] → ${o.status}`);
  }
  return lines.join('\n');
}

export function summary(outs: Outcome[], elapsedMs: number, tables: number): string {
  const count = (os: Outcome[]) =>
    [...groupBy(os, (o) => (o.failure ? 'none' : String(o.status)))]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}:${v.length}`)
      .join(' ');
  const byOp = groupBy(outs, (o) => o.req.op);
  return [
    `fuzz: ${outs.length} requests to ${byOp.size} routes in ${(elapsedMs / 1000).toFixed(1)} s (row counts of ${tables} tables compared around every batch of refused requests)`,
    `by status: ${count(outs)}`,
    'by route:',
    ...[...byOp].map(([op, os]) => `  ${op.padEnd(50)} ${String(os.length).padStart(4)}  ${count(os)}`),
  ].join('\n');
}

export const serverErrors = (outs: Outcome[]) => outs.filter((o) => o.status >= 500 || o.failure);
export const shapeProblems = (outs: Outcome[]) => outs.filter((o) => errorShapeProblem(o) !== null);
/** Requests no correct server accepts that were answered 2xx (for reading, not failing: the contract may be lenient on purpose). */
export const acceptedRefusals = (outs: Outcome[]) => outs.filter((o) => o.req.refused && isSuccess(o.status));
