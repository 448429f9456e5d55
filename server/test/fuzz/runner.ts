// Sends the fuzz requests (a few at a time, each with a deadline), snapshots the
// row count of every table around each batch of requests that must be refused,
// and keeps what it saw for the report.
import { ERROR_CODES } from '@xinyuan/shared';
import type { Database } from '../../src/database/database';
import type { FuzzRequest } from './generate';

export interface Outcome {
  req: FuzzRequest;
  /** HTTP status, or 0 when no answer came (see `failure`). */
  status: number;
  text: string;
  ms: number;
  failure?: string;
  requestId?: string;
}

export interface WriteFault {
  req: FuzzRequest;
  status: number;
  text: string;
  diff: string;
}

export type Counts = Record<string, number>;

const ERROR_CODE_SET = new Set<string>(ERROR_CODES);

export interface RunnerOptions {
  concurrency: number;
  /** A request unanswered after this long is a failure of its own. */
  timeoutMs: number;
  /** Requests per row-count snapshot. */
  batchSize: number;
}

export class FuzzRunner {
  readonly outcomes: Outcome[] = [];
  readonly writeFaults: WriteFault[] = [];
  /** Batches of refused requests whose writes could not be pinned on one request. */
  readonly batchFaults: { reqs: Outcome[]; diff: string }[] = [];
  private tables: string[] = [];

  constructor(
    private readonly baseUrl: string,
    private readonly db: Database,
    private readonly opts: RunnerOptions,
  ) {}

  async init(): Promise<void> {
    const rows: { name: string }[] = this.db.isSqlite
      ? await this.db.dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      : await this.db.dataSource.query(`SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`);
    this.tables = rows.map((r) => r.name);
    if (this.tables.length < 5) throw new Error(`fuzz: found only ${this.tables.length} tables (${this.tables.join(', ')})`);
  }

  get tableNames(): string[] {
    return this.tables;
  }

  async counts(): Promise<Counts> {
    const sql = this.tables.map((t) => `SELECT '${t}' AS t, COUNT(*) AS n FROM \`${t}\``).join(' UNION ALL ');
    const rows: { t: string; n: number | string }[] = await this.db.dataSource.query(sql);
    return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
  }

  static diff(a: Counts, b: Counts): string {
    return Object.keys({ ...a, ...b })
      .filter((t) => a[t] !== b[t])
      .map((t) => `${t} ${a[t]} → ${b[t]}`)
      .join(', ');
  }

  async send(req: FuzzRequest): Promise<Outcome> {
    const started = Date.now();
    let out: Outcome;
    try {
      const res = await fetch(this.baseUrl + req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body === null ? undefined : new Uint8Array(req.body),
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      const text = await res.text();
      out = { req, status: res.status, text, ms: Date.now() - started };
      try {
        const id = (JSON.parse(text) as { requestId?: unknown }).requestId;
        if (typeof id === 'string') out.requestId = id;
      } catch {
        /* not JSON */
      }
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      if (err.name === 'TimeoutError' || err.name === 'AbortError') out = { req, status: 0, text: '', ms: Date.now() - started, failure: `no answer within ${this.opts.timeoutMs / 1000} s` };
      else if (err.message === 'fetch failed') out = { req, status: 0, text: '', ms: Date.now() - started, failure: `connection failed: ${err.cause?.code ?? ''} ${err.cause?.message ?? ''}`.trim() };
      // Anything else is the suite building a request fetch will not send: a bug here, not in the server.
      else throw new Error(`fuzz: could not send ${req.method} ${req.url.slice(0, 120)} (${req.cls}): ${err.message}`);
    }
    this.outcomes.push(out);
    return out;
  }

  async pool(reqs: FuzzRequest[]): Promise<Outcome[]> {
    const results: Outcome[] = new Array(reqs.length);
    let next = 0;
    const worker = async () => {
      while (next < reqs.length) {
        const i = next++;
        results[i] = await this.send(reqs[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency, reqs.length) }, worker));
    return results;
  }

  /**
   * Requests that must all be refused, in batches: the row counts of every table
   * are the same after a batch as before it. When they are not, the batch is sent
   * again one request at a time to find the one that wrote.
   */
  async runRefused(reqs: FuzzRequest[]): Promise<void> {
    for (let i = 0; i < reqs.length; i += this.opts.batchSize) {
      const batch = reqs.slice(i, i + this.opts.batchSize);
      const before = await this.counts();
      const outs = await this.pool(batch);
      const after = await this.counts();
      const diff = FuzzRunner.diff(before, after);
      if (!diff) continue;
      let found = false;
      for (const o of outs) {
        const b = await this.counts();
        const again = await this.send(o.req);
        const d = FuzzRunner.diff(b, await this.counts());
        if (d && !isSuccess(again.status)) {
          this.writeFaults.push({ req: o.req, status: again.status, text: again.text, diff: d });
          found = true;
        } else if (d) found = true; // accepted (2xx) on replay: not a refused request
      }
      // A write no single request repeats: blame the batch if every request in it was refused.
      if (!found && outs.every((o) => !isSuccess(o.status))) this.batchFaults.push({ reqs: outs, diff });
    }
  }

  async runMaySucceed(reqs: FuzzRequest[]): Promise<Outcome[]> {
    return this.pool(reqs);
  }
}

export const isSuccess = (status: number) => status >= 200 && status < 300;

/** The `code` of a JSON error body, or null when the body is not JSON. */
export function errorCodeOf(text: string): string | null {
  try {
    return String((JSON.parse(text) as { code?: unknown })?.code ?? '');
  } catch {
    return null;
  }
}

/** Why a 4xx body is not {code, message} with a known code, or null when it is. */
export function errorShapeProblem(o: Outcome): string | null {
  if (o.status < 400 || o.status >= 500) return null;
  let body: unknown;
  try {
    body = JSON.parse(o.text);
  } catch {
    return 'not JSON';
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'not an object';
  const { code, message } = body as { code?: unknown; message?: unknown };
  if (typeof code !== 'string') return 'no string code';
  if (!ERROR_CODE_SET.has(code)) return `unknown code ${JSON.stringify(code)}`;
  if (typeof message !== 'string') return 'no string message';
  return null;
}
