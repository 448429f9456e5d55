import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_MESSAGES_ZH } from '@xinyuan/shared';
import type { Logger } from 'pino';
import type { AppConfig } from './config/config';
import { Clock, SystemClock } from './common/clock';
import { createRootLogger, PinoNestLogger, redactUrl, requestContext } from './common/logging/logger';
import { createValidationPipe } from './common/http/validation';
import { jsonShapeProblem, JsonShapeError } from './common/http/json-shape';
import { errorResponse } from './common/filters/error.filter';
import { cspDirectives, docsCspDirectives, securityHeaders } from './common/http/security-headers';
import { registerRateLimits } from './common/http/rate-limits';
import { TokenService } from './common/auth/token.service';
import { Database } from './database/database';
import { Pii } from './common/crypto/pii';
import { openDataSource, openOne } from './database/data-source';
import { AppModule } from './app.module';
import { setupOpenApi } from './openapi';
import { DemoSeeder } from './modules/demo/demo.seeder';

export interface CreateAppOptions {
  clock?: Clock;
  logger?: Logger;
  /** Use an already open database (tests share one per suite). */
  database?: Database;
  /** Nest's per-module and per-route start-up lines at debug level (the demo start). */
  quietStartup?: boolean;
}

export interface AppHandle {
  app: NestFastifyApplication;
  logger: Logger;
  database: Database;
  config: AppConfig;
  clock: Clock;
  close(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export async function createApp(config: AppConfig, opts: CreateAppOptions = {}): Promise<AppHandle> {
  const logger = opts.logger ?? createRootLogger(config.logLevel);
  const clock = opts.clock ?? new SystemClock();
  let database = opts.database;
  if (!database) {
    const { dataSource, driver, node } = await openDataSource(config.database);
    database = new Database(dataSource, driver, new Pii(config.privacy));
    const r = config.resilience;
    const open = async (url: string) => (await openOne({ ...config.database, url } as typeof config.database, false)).dataSource;
    await database.useNodes(config.database, { node, open, logger, checkMs: r.failoverCheckMs, readyTimeoutMs: r.readyTimeoutMs });
    await database.guardWrites({ logger, checkMs: r.failoverCheckMs, readyTimeoutMs: r.readyTimeoutMs });
  }

  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: 1024 * 1024,
    trustProxy: config.trustProxy,
    // Keep a caller's request id when it looks like one, so logs join up across services.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const h = req.headers['x-request-id'];
      return typeof h === 'string' && REQUEST_ID.test(h) ? h : randomUUID();
    },
    // Errors Fastify answers before any route runs (an undecodable URL, an over-long path
    // segment) and those of the HTTP parser (headers or URL over 16 KB) get our {code, message}.
    // (typed loosely: Fastify declares this generic over every request type, which no plain function matches)
    frameworkErrors: ((err: Error, req: { id: unknown }, reply: FastifyReply) => {
      const { status, body } = errorResponse(err);
      void reply.code(status).header('content-type', 'application/json; charset=utf-8').send({ ...body, requestId: String(req.id) });
    }) as never,
    clientErrorHandler: clientError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ config, database, clock, logger }), adapter, {
    logger: new PinoNestLogger(logger, opts.quietStartup),
    abortOnError: false,
    // The JSON parser is ours (below); no url-encoded bodies are accepted (415).
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // Per-minute limits on login, submission, uploads, registrations and exports (common/http/rate-limits.ts).
  const tokens = app.get(TokenService);
  await registerRateLimits(fastify as never, config, (authorization) => {
    const m = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
    if (!m) return null;
    try {
      return tokens.verify(m[1]).userId;
    } catch {
      return null;
    }
  });
  // JSON bodies: size and shape (depth, members) checked on the text, before parsing and validation.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: config.limits.jsonBodyBytes }, (req, body, done) => {
    // WeChat's request() sends a JSON content type on every POST, with no body on routes that take none.
    if ((body as string).trim() === '') return done(null, undefined);
    const problem = jsonShapeProblem(body as string, config.limits.jsonDepth);
    if (problem) return done(new JsonShapeError(problem), undefined);
    parseJson(req, body as string, done);
  });
  // Security headers on every response (helmet's: nosniff, frame and referrer policies,
  // HSTS...), with a CSP the H5 build works under; the docs UI gets its own. Worked out once.
  const headers = securityHeaders(cspDirectives(config.webDir));
  const docsHeaders = securityHeaders(docsCspDirectives());
  fastify.addHook('onRequest', (req, reply, done) => {
    requestContext.enterWith({ reqId: String(req.id) });
    void reply.headers(req.url.startsWith('/api/docs') ? docsHeaders : headers);
    void reply.header('x-request-id', String(req.id));
    done();
  });
  registerRequestTimeout(fastify as never, config, logger);
  if (existsSync(join(config.webDir, 'index.html'))) {
    // The H5 mini-program (hash router): static files at "/", the API under /api.
    // Built files carry content hashes and are cached for good; index.html never is.
    // The build writes .br and .gz beside each text file (miniapp/config/precompress.ts): the one
    // the browser accepts is sent with Content-Encoding and Vary: accept-encoding, else the file itself.
    await app.register(fastifyStatic as never, {
      root: config.webDir,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      decorateReply: false,
      cacheControl: false,
      preCompressed: true,
      // @fastify/static 10 hands over the reply, not the raw response; the path is the file sent (index.html.br...).
      setHeaders: (reply: { header(k: string, v: string): unknown }, path: string) =>
        reply.header('cache-control', /\.html(\.(br|gz))?$/.test(path) ? 'no-cache' : 'public, max-age=31536000, immutable'),
    });
  } else {
    logger.info({ webDir: config.webDir }, 'no H5 build to serve at / (run `pnpm --filter @xinyuan/miniapp build:h5`)');
  }
  await app.register(multipart as never, { limits: { fileSize: config.uploadMaxBytes, files: 1, fields: 5, parts: 6 } });
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  // The API documents only where configured (on in the demo; off by default in production).
  if (config.apiDocs) setupOpenApi(app);
  await app.init();
  if (config.seedDemo) await app.get(DemoSeeder).seed();

  const db = database;
  return {
    app,
    logger,
    database: db,
    config,
    clock,
    async close() {
      await app.close();
      if (!opts.database) await db.close();
    },
  };
}

/**
 * No API request hangs: one without an answer after REQUEST_TIMEOUT_MS (its database stalled, the
 * pool's queue full of stuck requests) gets 503 DB_UNAVAILABLE with Retry-After; whatever the
 * handler answers later is dropped. Uploads are left out: their body is the slow part, and every
 * query they make has its own timeout (DB_QUERY_TIMEOUT_MS).
 */
function registerRequestTimeout(fastify: { addHook(name: 'onRequest', fn: (req: FastifyRequest, reply: FastifyReply, done: () => void) => void): unknown }, config: AppConfig, logger: Logger): void {
  const { requestTimeoutMs, retryAfterSeconds } = config.resilience;
  fastify.addHook('onRequest', (req, reply, done) => {
    if (!req.url.startsWith('/api/') || String(req.headers['content-type'] ?? '').startsWith('multipart/')) return done();
    const timer = setTimeout(() => {
      if (reply.sent || reply.raw.headersSent) return;
      logger.warn({ code: 'DB_UNAVAILABLE', reason: 'REQUEST_TIMEOUT', ms: requestTimeoutMs, url: redactUrl(req.url), reqId: String(req.id) }, 'request timed out');
      void reply
        .code(503)
        .header('retry-after', String(retryAfterSeconds))
        .header('content-type', 'application/json; charset=utf-8')
        .send({ code: 'DB_UNAVAILABLE', message: ERROR_MESSAGES_ZH.DB_UNAVAILABLE, requestId: String(req.id) });
      // The handler's own answer, when it comes, has nobody to go to (Fastify would warn "Reply was already sent").
      reply.send = (() => reply) as typeof reply.send;
    }, requestTimeoutMs);
    reply.raw.once('close', () => clearTimeout(timer));
    done();
  });
}

/** A request the HTTP parser refused (oversized headers, a timeout, garbage): answered in our shape, then closed. */
function clientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, detail] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'the URL or headers are larger than 16 KB']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'the request was not received in time']
        : [400, 'Bad Request', 'the request could not be parsed'];
  const body = JSON.stringify({ code: 'VALIDATION_FAILED', message: ERROR_MESSAGES_ZH.VALIDATION_FAILED, details: [detail] });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
}
