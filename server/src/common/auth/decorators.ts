import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Actor } from './actor';

export const IS_PUBLIC = 'xinyuan:isPublic';
/** Swagger extension naming a public operation until buildOpenApi turns it into `security: []`. */
export const PUBLIC_EXTENSION = 'x-xinyuan-public';
/** Marks a route that needs no bearer token; its OpenAPI operation says so (security: []). */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(PUBLIC_EXTENSION, true));

/** The authenticated user (the guard has put it on the request). */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  return ctx.switchToHttp().getRequest<{ actor: Actor }>().actor;
});
