import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Actor } from './actor';

export const IS_PUBLIC = 'xinyuan:isPublic';
/** The route needs no token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The authenticated user (the guard has put it on the request). */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  return ctx.switchToHttp().getRequest<{ actor: Actor }>().actor;
});
