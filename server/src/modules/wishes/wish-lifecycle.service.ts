import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { findTransition, TRANSITIONS, type Role, type Tier, type WishAction, type WishState } from '@xinyuan/shared';
import { Clock } from '../../common/clock';
import type { Actor } from '../../common/auth/actor';
import { Database } from '../../database/database';
import { OrganisationsRepository } from '../organisations/organisations.repository';
import { assertConsented } from '../users/users.service';
import { standing, type Standing } from './wish-access';
import { DispatchRules } from '../dispatch/dispatch-rules.service';
import { enqueueNotices } from '../notifications/outbox';
import { noticesFor, timersAfterMove } from './wish-timers';
import { WishEventsRepository } from './wish-events.repository';
import { newDurations, RatesRollup } from './rates-rollup';
import { WishException } from './wishes.exception';
import { WishesRepository } from './wishes.repository';
import type { Wish } from './wish.entity';

export interface MoveOptions {
  reason?: string;
  /** Extra columns the move sets (claimant, proof, rating, ...). */
  patch?: (w: Wish, now: Date, role: Role) => Partial<Wish>;
  /** Work inside the move's transaction before the guarded write (limits, photos). */
  inTx?: (m: EntityManager, w: Wish, now: Date) => Promise<void>;
  payload?: Record<string, unknown>;
}

/**
 * The one place a person moves a wish: checks the shared transitions table
 * against the actor's standing, then in one transaction makes the guarded
 * write and appends its event (and what it adds to the rates' rollups). A move
 * without its event cannot happen here.
 */
@Injectable()
export class WishLifecycle {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly wishes: WishesRepository,
    private readonly events: WishEventsRepository,
    private readonly orgs: OrganisationsRepository,
    private readonly rules: DispatchRules,
    private readonly rollup: RatesRollup,
  ) {}

  /** The actor's standing towards a wish; looks up paired units only when tier 3 needs them. */
  async standingOf(actor: Actor, w: Wish): Promise<Standing> {
    const paired = w.tier === 3 && actor.grants.some((g) => g.role === 'unit_admin') ? await this.orgs.unitsPairedOn(w.communityId, this.beijingDay()) : [];
    return standing(actor, w, paired);
  }

  async load(actor: Actor, wishId: number): Promise<{ wish: Wish; standing: Standing }> {
    const wish = await this.wishes.findById(wishId);
    if (!wish) throw new WishException('WISH_NOT_FOUND');
    const st = await this.standingOf(actor, wish);
    if (!st.canView) throw new WishException('WISH_NOT_FOUND');
    return { wish, standing: st };
  }

  async move(actor: Actor, wishId: number, action: WishAction, opts: MoveOptions = {}): Promise<Wish> {
    const { wish, standing: st } = await this.load(actor, wishId);
    const t = findTransition(action, wish.state, st.entries);
    if (!t) throw this.refusal(actor, wish, action);
    if (t.needsReason && !opts.reason) throw new WishException('REASON_REQUIRED');
    if (t.needsConsent) assertConsented(actor);
    const role = st.roleFor[t.capacity] ?? 'resident';

    const [cls] = [...(await this.orgs.classesOf([wish.communityId])).values()];
    await this.rules.ensureFresh();
    const now = this.clock.now();
    await this.db.tx(async (m) => {
      if (opts.inTx) await opts.inTx(m, wish, now);
      const own = { ...(opts.patch?.(wish, now, role) ?? {}), ...factsOf(action, wish, actor, now), state: t.to, updatedAt: now };
      const timed = { ...own, ...timersAfterMove(this.rules, action, { ...wish, ...own } as Wish, cls ?? 'B', now) };
      const patch = { ...timed, ...newDurations(wish, { ...wish, ...timed } as Wish) };
      const ok = await this.wishes.guardedUpdate(m, wish.id, { state: wish.state, version: wish.version }, patch);
      if (!ok) {
        const current = await this.wishes.findById(wish.id, m);
        throw new WishException(action === 'claim' && current && current.state !== 'open' && current.claimantId !== null ? 'WISH_ALREADY_CLAIMED' : 'WISH_STATE_CHANGED');
      }
      await this.events.append(m, {
        wishId: wish.id,
        type: action,
        fromState: wish.state,
        toState: t.to,
        fromTier: wish.tier,
        toTier: (patch.tier ?? wish.tier) as Tier,
        actorId: actor.userId,
        actorRole: role,
        reason: opts.reason || null,
        payload: opts.payload ?? null,
        createdAt: now,
      });
      await this.rollup.record(m, [{ before: wish, after: { ...wish, ...patch } as Wish }]);
      await enqueueNotices(m, noticesFor(action, { ...wish, ...patch } as Wish, wish.claimantId, now), (d) => this.db.time(d));
    });
    return (await this.wishes.findById(wish.id))!;
  }

  /** Why a move not in the table (for this actor, from this state) is refused, most useful reason first. */
  private refusal(actor: Actor, w: Wish, action: WishAction): WishException {
    const fromHere = TRANSITIONS.filter((t) => t.action === action && t.from?.includes(w.state as WishState));
    if (action === 'claim' && w.state !== 'open' && w.claimantId !== null && w.claimantId !== actor.userId) return new WishException('WISH_ALREADY_CLAIMED');
    if (fromHere.length === 0) return new WishException('TRANSITION_NOT_ALLOWED');
    return new WishException('WISH_NOT_IN_SCOPE');
  }

  beijingDay(): string {
    return new Date(this.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  }
}

/** What the rates keep on the row about a move (written with its event). */
function factsOf(action: WishAction, w: Wish, actor: Actor, now: Date): Partial<Wish> {
  if (action === 'claim' && !w.firstClaimedAt) return { firstClaimedAt: now };
  if (action === 'cancel' && actor.userId === w.submitterId) return { cancelledBySubmitter: true };
  return {};
}
