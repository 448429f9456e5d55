// Request limits on the routes people can abuse (@fastify/rate-limit's counters, our own
// keys and answer). A route opts in with @Limit('submit'); each of its requests counts
// against its address and, when it carries a valid token, against its user:
//   per user:     RATE_LIMIT_<KIND>_PER_MIN requests a minute;
//   per address:  ADDRESS_FACTOR times that (a community centre or a grid worker's office
//                 puts many people behind one address), and the only key before login.
// Over a limit: 429 RATE_LIMITED with Retry-After (seconds) and the usual {code, message},
// before the body is read or parsed, so a flood costs the server as little as possible.
//
// Counters live in this process (an LRU map). With several instances behind a load balancer
// each counts on its own, so a client spread over N instances gets up to N times the limit;
// the README says so. The daily quotas (pending wishes, unattached uploads) are counted in
// the database and hold across instances.
import { applyDecorators } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_MESSAGES_ZH } from '@xinyuan/shared';
import type { AppConfig } from '../../config/config';

export const LIMIT_KINDS = ['login', 'submit', 'upload', 'registration', 'export'] as const;
export type LimitKind = (typeof LIMIT_KINDS)[number];

/** An address may send this many times a user's limit. */
export const ADDRESS_FACTOR = 5;
/** Keys each counter keeps (least recently used go first). */
const COUNTER_KEYS = 50_000;
const WINDOW_MS = 60_000;

/** Puts a route under the per-minute limit of its kind. */
export const Limit = (kind: LimitKind, tooMany = 'RATE_LIMITED: over the per-minute limit of the user or the address (Retry-After: seconds)') =>
  applyDecorators(RouteConfig({ limit: kind }), ApiTooManyRequestsResponse({ description: tooMany }));

type Counter = (req: FastifyRequest) => Promise<{ isAllowed: true } | { isAllowed: false; isExceeded: boolean; ttlInSeconds: number }>;

/**
 * Registers the counters and the hook that applies them. `userOf` reads the user id of a
 * bearer token (null when there is none or it is not valid: the address alone counts then,
 * and the guard answers 401 later).
 */
/** What this needs of the Fastify instance (the adapter's and the server's fastify types differ by a patch version). */
interface Server {
  register(plugin: never, opts: object): PromiseLike<unknown>;
  addHook(name: 'onRequest', hook: (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => void): unknown;
}

export async function registerRateLimits(fastify: Server, config: AppConfig, userOf: (authorization: string | undefined) => number | null): Promise<void> {
  if (!config.limits.rateLimits) return;
  await fastify.register(rateLimit as never, { global: false, cache: COUNTER_KEYS });
  const create = (fastify as unknown as { createRateLimit(o: object): Counter }).createRateLimit.bind(fastify);
  const keys = new WeakMap<FastifyRequest, string>();
  const counter = (max: number): Counter => create({ max, timeWindow: WINDOW_MS, keyGenerator: (req: FastifyRequest) => keys.get(req)! });
  const counters = Object.fromEntries(
    LIMIT_KINDS.map((kind) => {
      const perUser = config.limits.perMinute[kind];
      // Logging in has no user yet: its limit is the address's own.
      return [kind, { address: counter(kind === 'login' ? perUser : perUser * ADDRESS_FACTOR), user: kind === 'login' ? null : counter(perUser) }];
    }),
  ) as Record<LimitKind, { address: Counter; user: Counter | null }>;

  /** What to answer when the request is over a limit (null: let it through). */
  const check = async (req: FastifyRequest, kind: LimitKind): Promise<number | null> => {
    const c = counters[kind];
    keys.set(req, `${kind}:a:${req.ip}`);
    let wait = exceeded(await c.address(req));
    if (wait === null && c.user) {
      const user = userOf(req.headers.authorization);
      if (user !== null) {
        keys.set(req, `${kind}:u:${user}`);
        wait = exceeded(await c.user(req));
      }
    }
    return wait;
  };
  // A callback hook: the routes without a limit (most) pay one property read, no promise.
  fastify.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    const kind = (req.routeOptions.config as { limit?: LimitKind } | undefined)?.limit;
    if (!kind) return done();
    check(req, kind).then((wait) => {
      if (wait === null) return done();
      void reply
        .code(429)
        .header('retry-after', String(wait))
        .header('content-type', 'application/json; charset=utf-8')
        .send({ code: 'RATE_LIMITED', message: ERROR_MESSAGES_ZH.RATE_LIMITED, details: [`at most ${kind === 'login' ? config.limits.perMinute[kind] : `${config.limits.perMinute[kind]} per user`} a minute; retry in ${wait} s`], requestId: String(req.id) });
    }, done);
  });
}

/** Seconds to wait when a counter is over its limit, else null. */
function exceeded(r: Awaited<ReturnType<Counter>>): number | null {
  return !r.isAllowed && r.isExceeded ? Math.max(1, r.ttlInSeconds) : null;
}
