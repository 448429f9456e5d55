import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { IDEMPOTENCY_KEY_PATTERN } from '@xinyuan/shared';
import type { Actor } from '../auth/actor';
import { errorResponse } from '../filters/error.filter';
import { txStamps } from '../../database/database';
import { IdempotencyException } from './idempotency.exception';
import { IdempotencyService } from './idempotency.service';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Every signed-in write (POST, PUT, PATCH, DELETE) that carries an Idempotency-Key header runs
 * through IdempotencyService: the first request runs and its answer is kept; a repeat gets that
 * answer (Idempotent-Replayed: true) without running. Routes need nothing of their own: a route
 * added later is covered. Without the header nothing changes. Public routes (login) ignore it:
 * there is no user to keep it for.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly keys: IdempotencyService,
    private readonly reflector: Reflector,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { actor?: Actor }>();
    const raw = req.headers['idempotency-key'];
    if (raw === undefined || !WRITES.has(req.method) || !req.actor) return next.handle();
    if (typeof raw !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(raw)) {
      throw new IdempotencyException('IDEMPOTENCY_KEY_INVALID', undefined, ['Idempotency-Key: 8-100 characters of A-Z a-z 0-9 . _ : -']);
    }
    const reply = ctx.switchToHttp().getResponse<FastifyReply>();
    const status = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, ctx.getHandler()) ?? (req.method === 'POST' ? 201 : 200);
    return from(this.run(req, reply, req.actor.userId, raw, status, next));
  }

  private async run(req: FastifyRequest, reply: FastifyReply, userId: number, key: string, status: number, next: CallHandler): Promise<unknown> {
    // An upload's file is streamed to the handler, not held here: its fingerprint is the route alone.
    const body = req.isMultipart() ? '(multipart)' : req.body;
    let attempt;
    try {
      attempt = await this.keys.begin(userId, key, `${req.method} ${req.url}`, this.keys.fingerprint(req.method, req.url, body));
    } catch (e) {
      if (e instanceof IdempotencyException && e.retryAfterSeconds) void reply.header('retry-after', String(e.retryAfterSeconds));
      throw e;
    }
    let result: unknown;
    try {
      // next.handle() binds the handler to the context it is called in: inside, every Database.tx stamps the key.
      result = await txStamps.run(attempt, () => lastValueFrom(next.handle(), { defaultValue: undefined }));
    } catch (e) {
      const { status: s, body: b } = errorResponse(e);
      // Another attempt took the key over while this one ran: the row is not ours to write.
      if (e instanceof IdempotencyException && e.code === 'IDEMPOTENCY_KEY_IN_USE') throw e;
      if (s < 500) await this.keys.finish(attempt, s, JSON.stringify(b));
      else await this.keys.fail(attempt);
      throw e;
    }
    await this.keys.finish(attempt, status, result === undefined ? '' : JSON.stringify(result));
    return result;
  }
}
