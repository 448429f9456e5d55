// "An object the actor may not read answers 404 whatever they send": routes on one
// object say which check finds it (@Sees(Checker)), and this guard runs it before
// the body is validated (Nest runs guards before pipes).
import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata, UseGuards, type Type } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { Actor } from '../common/auth/actor';

/** Throws the module's not-found error when the actor may not read object `id`. */
export interface VisibilityCheck {
  assertVisible(actor: Actor, id: number): Promise<void>;
}

const SEES = 'xinyuan:sees';
/** Path ids the IdPipe accepts; anything else is left to it (400). */
const ID = /^[1-9]\d{0,9}$/;

@Injectable()
export class SeesGuard implements CanActivate {
  /** The checks, resolved once (a lookup across modules on every request costs the hot paths). */
  private readonly checks = new Map<Type<VisibilityCheck>, VisibilityCheck>();

  constructor(
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const check = this.reflector.get<Type<VisibilityCheck> | undefined>(SEES, ctx.getHandler());
    const req = ctx.switchToHttp().getRequest<{ params?: Record<string, string>; actor?: Actor }>();
    const raw = req.params?.id;
    if (!check || !req.actor || typeof raw !== 'string' || !ID.test(raw) || Number(raw) > 2_147_483_647) return true;
    let checker = this.checks.get(check);
    if (!checker) {
      checker = this.moduleRef.get<VisibilityCheck>(check, { strict: false });
      this.checks.set(check, checker);
    }
    await checker.assertVisible(req.actor, Number(raw));
    return true;
  }
}

/** The route acts on object `:id`, which `check` must find visible to the actor before anything else is looked at. */
export const Sees = (check: Type<VisibilityCheck>) => applyDecorators(SetMetadata(SEES, check), UseGuards(SeesGuard));
