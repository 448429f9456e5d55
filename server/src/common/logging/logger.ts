// Structured JSON logs. Every line written while a request is being handled
// carries that request's id (reqId), through AsyncLocalStorage.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';

export const requestContext = new AsyncLocalStorage<{ reqId: string }>();

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
    },
    destination,
  );
}

/** Nest's logger interface over pino, so framework lines are JSON too. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
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
