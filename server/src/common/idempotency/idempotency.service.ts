import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Clock } from '../clock';
import { Database, type TxStamp } from '../../database/database';
import { Pii } from '../crypto/pii';
import { IdempotencyException, IdempotentReplay } from './idempotency.exception';
import { IdempotencyRepository } from './idempotency.repository';

/** One attempt that holds a key: its row, and whether it is still inside its handler. */
export class Attempt implements TxStamp {
  active = true;

  constructor(
    readonly id: number,
    readonly owner: string,
    private readonly repo: IdempotencyRepository,
    private readonly clock: Clock,
  ) {}

  /** Inside each write transaction of the handler, before it commits: the key's row says a write happened. */
  async stamp(m: EntityManager): Promise<void> {
    // Work the handler left running after its answer (nothing does today) is not the key's.
    if (!this.active) return;
    // Another attempt took the key over (this one outlived its lease): this write must not commit.
    if (!(await this.repo.stampCommitted(m, this.id, this.owner, this.clock.now()))) throw inUse(1);
  }
}

/**
 * The rules of a kept key (the interceptor applies them to every create and move):
 * - the first request with a key runs, and its answer is stored: 2xx and 4xx alike (a 4xx
 *   changed nothing, and sending the same again would be refused the same way; a new attempt
 *   needs a new key, as the mini-program makes after a refusal);
 * - the same key, user and request again: that answer, unchanged, and nothing runs;
 * - the same key with another route or body: 422 IDEMPOTENCY_KEY_REUSED;
 * - while the first is still running: 409 IDEMPOTENCY_KEY_IN_USE with Retry-After;
 * - a 5xx of an attempt that wrote nothing frees the key (the next request runs afresh);
 *   an attempt that died (a crash) frees it once its lease has passed, if it wrote nothing;
 * - whether an attempt wrote is known for sure: every write transaction inside the handler
 *   stamps the key's row before it commits (Database.tx, txStamps), so the write and that
 *   fact commit together. The answer itself is stored right after the handler returns (it is
 *   made after the transaction); if the process dies in between, or a 5xx follows a write,
 *   the key answers 409 IDEMPOTENCY_OUTCOME_UNKNOWN ("已处理，请刷新查看结果") and never runs twice.
 * Keys are per user: (user, key) is unique, and one user's key never reads another's row.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly repo: IdempotencyRepository,
    private readonly db: Database,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly pii: Pii,
  ) {}

  /** What a request is, for comparing a repeat with the first: method, URL and body. */
  fingerprint(method: string, url: string, body: unknown): string {
    return createHash('sha256').update(`${method} ${url}\n${stableJson(body)}`).digest('hex');
  }

  /** Takes the key for a new attempt, or throws: a stored answer (IdempotentReplay) or a refusal. */
  async begin(userId: number, key: string, route: string, fingerprint: string): Promise<Attempt> {
    const now = this.clock.now();
    const owner = randomUUID();
    const k = {
      userId,
      key,
      route: route.slice(0, 300),
      fingerprint,
      owner,
      leaseUntil: new Date(now.getTime() + this.config.idempotency.leaseSeconds * 1000),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.idempotency.ttlHours * 3_600_000),
    };
    const row = await this.db.tx(async (m) => {
      const r = await this.repo.reserve(m, k);
      if (r.owner === owner) return r;
      if (r.expiresAt.getTime() <= now.getTime()) {
        if (await this.repo.takeOver(m, r, k, true)) return { ...r, owner };
        throw inUse(1);
      }
      if (r.fingerprint !== fingerprint) throw new IdempotencyException('IDEMPOTENCY_KEY_REUSED');
      if (r.state === 'done') {
        if (r.status === null) throw new IdempotencyException('IDEMPOTENCY_OUTCOME_UNKNOWN');
        throw new IdempotentReplay(r.status, r.response ? this.pii.open(r.response, RESPONSE_FIELD) : '');
      }
      if (r.leaseUntil.getTime() > now.getTime()) throw inUse(Math.min(5, Math.ceil((r.leaseUntil.getTime() - now.getTime()) / 1000)));
      // The first attempt died. If it wrote, its stamp says so: never run twice.
      if (r.committedAt) throw new IdempotencyException('IDEMPOTENCY_OUTCOME_UNKNOWN');
      if (await this.repo.takeOver(m, r, k, false)) return { ...r, owner };
      throw inUse(1);
    });
    return new Attempt(row.id, owner, this.repo, this.clock);
  }

  /** The handler answered (2xx, or a 4xx refusal): stored as the key's answer. */
  async finish(a: Attempt, status: number, body: string): Promise<void> {
    a.active = false;
    // Sealed like every column with personal information: a wish's answer carries its contact details.
    await this.db.tx((m) => this.repo.finish(m, a.id, a.owner, status, body === '' ? '' : this.pii.seal(body, RESPONSE_FIELD)));
  }

  /** The handler failed with a 5xx: the key is free again if nothing was written; otherwise the outcome is unknown for good. */
  async fail(a: Attempt): Promise<void> {
    a.active = false;
    await this.db.tx(async (m) => {
      if (!(await this.repo.releaseUnwritten(m, a.id, a.owner))) await this.repo.finish(m, a.id, a.owner, null, null);
    });
  }

  /** Deletes keys past their day. */
  async purge(now: Date = this.clock.now()): Promise<number> {
    return this.db.tx((m) => this.repo.purge(m, now));
  }
}

const RESPONSE_FIELD = 'idempotency_key.response';

function inUse(retryAfterSeconds: number): IdempotencyException {
  const e = new IdempotencyException('IDEMPOTENCY_KEY_IN_USE');
  e.retryAfterSeconds = Math.max(1, retryAfterSeconds);
  return e;
}

/** JSON with object keys sorted, so {a,b} and {b,a} are the same request. */
export function stableJson(v: unknown): string {
  if (v === undefined) return '';
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
}
