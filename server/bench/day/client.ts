// The HTTP side of bench:day: undici with one connection pool per target (round-robin), an
// Idempotency-Key on every write, retries of 503s, 409 IDEMPOTENCY_KEY_IN_USE and connection
// errors with the same key (honouring Retry-After), per-route latency (hdr-histogram-js) and
// errors by status and code, and the log of acknowledged writes (--ack-log).
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import * as hdr from 'hdr-histogram-js';
import { Agent, FormData } from 'undici';
import { assertLoopback } from './deployment';

export interface Reply {
  status: number;
  body: any;
  headers: Record<string, string | string[] | undefined>;
}

export interface Seen {
  t: number;
  route: string;
  status: number | 'conn' | 'timeout';
  code: string | null;
  ms: number;
  /** The Retry-After header of the answer, when it had one. */
  retryAfter: string | null;
}

export class RouteStats {
  readonly hist = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
  ok = 0;
  readonly errors = new Map<string, number>();
  record(us: number, outcome: string | null): void {
    this.hist.recordValue(Math.max(1, Math.round(us)));
    if (outcome === null) this.ok++;
    else this.errors.set(outcome, (this.errors.get(outcome) ?? 0) + 1);
  }
}

export interface AckRecord {
  kind: string;
  key: string;
  userId: number;
  wishId?: number;
  wishNo?: string;
  photoId?: string;
  regId?: number;
  t: string;
  replayed: boolean;
}

export interface ClientOptions {
  bases: string[];
  connections: number;
  /** Client-side timeout of one attempt (headers and body). */
  timeoutMs: number;
  /** Give up retrying one write after this long. */
  retryForMs: number;
  ackLog?: string;
}

export class DayClient {
  private readonly agent: Agent;
  private rr = 0;
  private seq = 0;
  private readonly run = randomBytes(4).toString('hex');
  readonly stats = new Map<string, RouteStats>();
  private ack: WriteStream | null = null;
  acks = 0;
  /** Listeners told of every attempt's outcome (the fault scripts count statuses in the outage window). */
  readonly listeners: ((s: Seen) => void)[] = [];
  inFlight = 0;

  constructor(readonly opts: ClientOptions) {
    for (const b of opts.bases) assertLoopback(b);
    this.agent = new Agent({ connections: opts.connections, headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs, connectTimeout: 5000, keepAliveTimeout: 10_000 });
    if (opts.ackLog) this.ack = createWriteStream(opts.ackLog, { flags: 'a' });
  }

  newKey(kind: string): string {
    return `day-${this.run}-${kind}-${++this.seq}`;
  }

  statsFor(route: string): RouteStats {
    let s = this.stats.get(route);
    if (!s) this.stats.set(route, (s = new RouteStats()));
    return s;
  }

  /** One attempt against the next target. */
  private async attempt(method: string, path: string, token: string | null, body: unknown, key: string | null): Promise<Reply> {
    const base = this.opts.bases[this.rr++ % this.opts.bases.length];
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (key) headers['idempotency-key'] = key;
    let payload: string | FormData | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await this.agent.request({ origin: base, path: `/api${path}`, method: method as 'GET', headers, body: payload });
    const text = await res.body.text();
    let parsed: any = text;
    if (String(res.headers['content-type'] ?? '').includes('json')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        /* keep the text */
      }
    }
    return { status: res.statusCode, body: parsed, headers: res.headers };
  }

  /**
   * A request as a client makes it: writes carry an Idempotency-Key and are retried with it
   * on 503, 409 IDEMPOTENCY_KEY_IN_USE and connection errors (after Retry-After, else a short
   * backoff) until retryForMs; reads are retried on the same conditions. The route label
   * collects every attempt's latency and outcome. Returns the last reply, or null when no
   * attempt got an answer.
   */
  async call(route: string, method: string, path: string, token: string | null, body?: unknown | (() => unknown), opts: { key?: string } = {}): Promise<Reply | null> {
    const write = method !== 'GET';
    const key = write && token ? (opts.key ?? this.newKey(route.split(' ')[1]?.split('/').pop() ?? 'w')) : null;
    const started = Date.now();
    let backoff = 200;
    this.inFlight++;
    try {
      for (;;) {
        const t0 = process.hrtime.bigint();
        let reply: Reply | null = null;
        let outcome: Seen['status'];
        let code: string | null = null;
        try {
          reply = await this.attempt(method, path, token, typeof body === 'function' ? (body as () => unknown)() : body, key);
          outcome = reply.status;
          code = reply.body && typeof reply.body === 'object' && typeof reply.body.code === 'string' ? reply.body.code : null;
        } catch (e) {
          const name = (e as { code?: string }).code ?? '';
          outcome = /TIMEOUT/.test(name) ? 'timeout' : 'conn';
          code = name || (e as Error).message;
        }
        const us = Number(process.hrtime.bigint() - t0) / 1000;
        const ok = typeof outcome === 'number' && outcome < 400;
        this.statsFor(route).record(us, ok ? null : `${outcome}${code ? ` ${code}` : ''}`);
        const ra0 = reply?.headers['retry-after'];
        const seen: Seen = { t: Date.now(), route, status: outcome, code, ms: us / 1000, retryAfter: ra0 === undefined ? null : String(ra0) };
        for (const l of this.listeners) l(seen);
        const retryable = outcome === 'conn' || outcome === 'timeout' || outcome === 503 || (outcome === 409 && code === 'IDEMPOTENCY_KEY_IN_USE');
        if (!retryable || Date.now() - started > this.opts.retryForMs) return reply;
        const ra = Number(reply?.headers['retry-after']);
        const wait = Number.isFinite(ra) && ra > 0 ? ra * 1000 : backoff;
        backoff = Math.min(backoff * 2, 2000);
        await new Promise((r) => setTimeout(r, wait));
      }
    } finally {
      this.inFlight--;
    }
  }

  logAck(a: Omit<AckRecord, 't'>): void {
    this.acks++;
    this.ack?.write(JSON.stringify({ ...a, t: new Date().toISOString() }) + '\n');
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => (this.ack ? this.ack.end(r) : r()));
    await this.agent.close();
  }
}

export { FormData };
