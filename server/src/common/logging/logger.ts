// Structured JSON logs. Every line written while a request is being handled
// carries that request's id (reqId), through AsyncLocalStorage.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

export const requestContext = new AsyncLocalStorage<{ reqId: string }>();

/**
 * Query parameters that carry a secret: signed photo and download links (sig, token),
 * WeChat codes and tickets, anything called key or secret. Their values never reach a log.
 */
const SECRET_PARAMS = /([?&](?:sig|signature|token|access_token|refresh_token|code|ticket|secret|key|password|session_key)=)[^&#]*/gi;

/** A URL as it may be logged: secret query values replaced by "[REDACTED]". */
export function redactUrl(url: string | undefined): string | undefined {
  return url === undefined ? url : url.replace(SECRET_PARAMS, '$1[REDACTED]');
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  headers?: Record<string, unknown>;
  socket?: { remotePort?: number };
}

export function createRootLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'xinyuan-server' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Fastify's request loggers already bind reqId; every other line written
      // while a request is handled gets it from the async context.
      mixin(_obj: object, _level: number, logger: Logger) {
        const ctx = requestContext.getStore();
        if (!ctx || 'reqId' in (logger.bindings?.() ?? {})) return {};
        return { reqId: ctx.reqId };
      },
      redact: { paths: ['req.headers.authorization', 'session_key', '*.session_key'], remove: true },
      // Fastify's request serializer, with the URL's secrets taken out (Fastify uses a logger's own serializers over its defaults).
      serializers: {
        req: (req: LoggedRequest) => ({
          method: req.method,
          url: redactUrl(req.url),
          version: req.headers?.['accept-version'],
          host: req.host,
          remoteAddress: req.ip,
          remotePort: req.socket?.remotePort,
        }),
      },
    },
    destination,
  );
}

/** Nest's logger interface over pino, so framework lines are JSON too. */
/** Nest's start-up chatter: a line per module and per route (80-odd lines). */
const STARTUP_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

export class PinoNestLogger implements LoggerService {
  /** quietStartup: Nest's start-up lines go to debug (the demo start, so its URL banner is what one sees). */
  constructor(
    private readonly logger: Logger,
    private readonly quietStartup = false,
  ) {}
  log(message: unknown, context?: string) {
    if (this.quietStartup && context && STARTUP_CONTEXTS.has(context)) this.logger.debug({ context }, String(message));
    else this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}

export const ROOT_LOGGER = Symbol('ROOT_LOGGER');
