// What the server logs (warn and above) while it handles each fuzz request, kept by
// request id so a 5xx in the report comes with the first line of its error.
import type { Logger } from 'pino';
import { requestContext, ROOT_LOGGER } from '../../src/common/logging/logger';
import type { TestApp } from '../create-test-app';
import type { ServerLog } from './report';

/** Keeps what the server logs at warn or above for each request id (the first thing only). */
export function captureServerLog(t: TestApp, log: ServerLog): void {
  const logger = t.app.get<symbol, Logger>(ROOT_LOGGER) as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const level of ['warn', 'error', 'fatal']) {
    const orig = logger[level].bind(logger);
    logger[level] = (obj: unknown, msg?: unknown, ...rest: unknown[]) => {
      const reqId = requestContext.getStore()?.reqId;
      if (reqId && !log.has(reqId)) log.set(reqId, describeLog(obj, msg));
      return orig(obj, msg, ...rest);
    };
  }
}

function describeLog(obj: unknown, msg: unknown): { cause: string; line: string } {
  const err = (obj as { err?: unknown })?.err;
  if (err instanceof Error) {
    const stack = (err.stack ?? '').split('\n').slice(1);
    const frame = (stack.find((l) => l.includes('/server/src/')) ?? stack.find((l) => l.includes('node_modules')) ?? stack[0] ?? '').trim().replace(/\(.*node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?/, '(');
    const where = /at ([\w.<>]+)/.exec(frame)?.[1] ?? '';
    return { cause: `${err.name}: ${err.message.split('\n')[0].slice(0, 120)}${where ? ` (${where})` : ''}`, line: `${String(msg ?? '')}: ${err.name}: ${err.message.split('\n')[0]} ${frame}` };
  }
  const text = typeof obj === 'string' ? obj : `${String(msg ?? '')} ${JSON.stringify(obj)}`;
  return { cause: text.slice(0, 120), line: text };
}
