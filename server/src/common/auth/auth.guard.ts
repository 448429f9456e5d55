import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { CommonException } from '../errors/app.exception';
import { ActorLoader } from './actor-loader';
import { IS_PUBLIC } from './decorators';
import { TokenService } from './token.service';

/** Global guard: every route needs a valid bearer token unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly actors: ActorLoader,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { actor?: unknown }>();
    const header = req.headers.authorization;
    const m = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!m) throw new CommonException('UNAUTHENTICATED');
    const claims = this.tokens.verify(m[1]);
    // The user's grants, consent and token version come in the one query this guard always ran.
    const actor = await this.actors.load(claims.userId);
    if (!actor) throw new CommonException('UNAUTHENTICATED');
    if (actor.deleted) throw new CommonException('ACCOUNT_DELETED');
    if (actor.tokenVersion !== claims.version) throw new CommonException('TOKEN_REVOKED');
    req.actor = actor;
    return true;
  }
}
