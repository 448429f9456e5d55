import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ErrorBody, ErrorCode } from '@xinyuan/shared';
import { ERROR_MESSAGES_ZH, IDEMPOTENT_REPLAYED_HEADER } from '@xinyuan/shared';
import { AppException } from '../errors/app.exception';
import { PiiKeyMissing } from '../crypto/pii';
import { IdempotentReplay } from '../idempotency/idempotency.exception';
import { redactUrl, ROOT_LOGGER } from '../logging/logger';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Database } from '../../database/database';
import { dbUnavailableReason } from '../../database/db-errors';

/** Maps every error to one JSON shape {code, message}; never leaks internals. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Database,
  ) {}

  catch(exception: unknown, host: ArgumentsHost) {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const req = ctx.getRequest<FastifyRequest>();
    // A kept first answer, sent again as it was (common/idempotency).
    if (exception instanceof IdempotentReplay) {
      void reply.status(exception.status).header(IDEMPOTENT_REPLAYED_HEADER, 'true');
      if (exception.body === '') return void reply.send();
      return void reply.header('content-type', 'application/json; charset=utf-8').send(exception.body);
    }
    const { status, body } = errorResponse(exception);
    body.requestId = String(req.id);
    const dbReason = body.code === 'DB_UNAVAILABLE' ? dbUnavailableReason(exception) : null;
    // Failures we raise on purpose (a WeChat outage answered as 503) are warnings; anything else is a bug.
    if (dbReason) {
      // The database cannot serve now (down, stalled, not in the cluster, a lock storm): a warning without a stack, and
      // the failover list (if any) looks for a better node at once.
      this.logger.warn({ code: body.code, reason: dbReason, url: redactUrl(req.url) }, 'database unavailable');
      this.db.suspect();
    } else if (exception instanceof AppException) {
      if (status >= 500) this.logger.warn({ code: exception.code, url: redactUrl(req.url) }, exception.message);
      // An access denial says which rule refused here, not to the client.
      else if (exception.rule) this.logger.info({ code: exception.code, rule: exception.rule, url: req.url.split('?')[0] }, 'access denied');
    } else if (exception instanceof PiiKeyMissing) {
      this.logger.error({ keyId: exception.keyId, url: req.url.split('?')[0] }, exception.message);
    } else if (status >= 500) {
      this.logger.error({ err: exception, url: redactUrl(req.url) }, 'request failed');
    }
    // Every 503 says when to come back.
    if (status === 503) void reply.header('retry-after', String(this.config.resilience.retryAfterSeconds));
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}

/** The status and {code, message} body for any error: ours, Nest's, Fastify's own, or an unexpected one (500). */
export function errorResponse(exception: unknown): { status: number; body: ErrorBody } {
  if (exception instanceof AppException) {
    return { status: exception.status, body: { code: exception.code, message: exception.message, details: exception.details } };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code: ErrorCode =
      status === 404 ? 'ROUTE_NOT_FOUND' : status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : status === 413 ? 'PAYLOAD_TOO_LARGE' : status < 500 ? 'VALIDATION_FAILED' : 'INTERNAL';
    return { status: status < 500 ? status : 500, body: { code, message: ERROR_MESSAGES_ZH[code] } };
  }
  // A sealed value whose key is no longer configured: the server's fault, said plainly (the key id is in the log).
  if (exception instanceof PiiKeyMissing) return { status: 503, body: { code: 'PII_UNAVAILABLE', message: ERROR_MESSAGES_ZH.PII_UNAVAILABLE } };
  // The database cannot serve now: 503, come back later (never a 500 for an outage).
  if (dbUnavailableReason(exception)) return { status: 503, body: { code: 'DB_UNAVAILABLE', message: ERROR_MESSAGES_ZH.DB_UNAVAILABLE } };
  // Errors raised by Fastify itself (body parsing, size limits, content types).
  const fst = exception as { code?: string; statusCode?: number; message?: string };
  if (typeof fst?.code === 'string' && fst.code.startsWith('FST_') && fst.statusCode && fst.statusCode < 500) {
    const code: ErrorCode = fst.statusCode === 413 ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED';
    return { status: fst.statusCode, body: { code, message: ERROR_MESSAGES_ZH[code], details: fst.message ? [fst.message] : undefined } };
  }
  return { status: 500, body: { code: 'INTERNAL', message: ERROR_MESSAGES_ZH.INTERNAL } };
}
