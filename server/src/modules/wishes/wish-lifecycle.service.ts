import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { conflictOf, findTransition, TRANSITIONS, type CommunityClass, type Role, type Tier, type Transition, type WishAction, type WishState } from '@xinyuan/shared';
import { Clock } from '../../common/clock';
import type { Actor } from '../../common/auth/actor';
import { Database } from '../../database/database';
import { AccessPolicy, type WishAccess } from '../../access/policy';
import type { VisibilityCheck } from '../../access/sees.guard';
import { OrganisationsRepository } from '../organisations/organisations.repository';
import { assertConsented } from '../users/users.service';
import { DispatchRules } from '../dispatch/dispatch-rules.service';
import { enqueueNotices } from '../outbox/outbox';
import { noticesFor, timersAfterMove } from './wish-timers';
import { headColumns, WishEventsRepository } from './wish-events.repository';
import { newDurations, RatesRollup } from '../ledger/rates-rollup';
import { ContentChecker, type TextScene } from '../wechat/content-check';
import { WishException } from './wishes.exception';
import { WishesRepository } from './wishes.repository';
import type { Wish } from './wish.entity';

export interface MoveOptions {
  reason?: string;
  /** Extra columns the move sets (claimant, proof, rating, ...). */
  patch?: (w: Wish, now: Date, role: Role, access: WishAccess) => Partial<Wish>;
  /** Checks of the move's own input, once the policy has allowed it and before anything is written (an assignee, a consent method). */
  check?: (w: Wish, access: WishAccess, t: Transition) => Promise<void> | void;
  /** Work inside the move's transaction before the guarded write (limits, photos). */
  inTx?: (m: EntityManager, w: Wish, now: Date) => Promise<void>;
  /** The event's payload (a function: worked out once the checks have run). */
  payload?: Record<string, unknown> | (() => Record<string, unknown>);
  /**
   * Free text the move carries that others read (a reason, a proof note, a comment): checked
   * by WeChat (msgSecCheck) once the policy has allowed the move and before the transaction.
   * `risky` refuses the move (CONTENT_RISKY, nothing written); `review` and `unchecked` go
   * through, recorded in the event's payload as `textCheck`. Only move() screens: moveIn()
   * runs inside someone else's transaction and carries no text a person typed.
   */
  screen?: { text: string | undefined | null; scene: TextScene };
}

/** What a release (or a claim returned to the pool) clears. */
export const RELEASED: Partial<Wish> = { claimantId: null, claimantRole: null, claimantOrgId: null, claimedAt: null, assigneeId: null };

export interface Loaded {
  wish: Wish;
  access: WishAccess;
}

/**
 * The one place a person moves a wish: asks the access policy how the actor stands
 * to the wish (404 when they may not read it), checks the shared transitions table
 * and its four-eyes rules, then in one transaction makes the guarded write and
 * appends its event (and what it adds to the rates' rollups). A move without its
 * event cannot happen here.
 */
@Injectable()
export class WishLifecycle implements VisibilityCheck {
  /** Wishes the SeesGuard loaded for this request, taken (once) by the service that handles it. */
  private readonly preloaded = new WeakMap<Actor, Map<number, Loaded>>();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly wishes: WishesRepository,
    private readonly events: WishEventsRepository,
    private readonly orgs: OrganisationsRepository,
    private readonly rules: DispatchRules,
    private readonly rollup: RatesRollup,
    private readonly policy: AccessPolicy,
    private readonly content: ContentChecker,
  ) {}

  async accessOf(actor: Actor, w: Wish): Promise<WishAccess> {
    return this.policy.wish(await this.policy.reach(actor), w);
  }

  /**
   * The wish and how the actor stands to it; WISH_NOT_FOUND when it does not exist or the actor
   * may not read it (also for a member who lost the race for a wish to another member: someone
   * else's claim is not theirs to see; the mini-program words that 404 for a claim).
   */
  async load(actor: Actor, wishId: number): Promise<Loaded> {
    const pre = this.preloaded.get(actor)?.get(wishId);
    if (pre) {
      this.preloaded.get(actor)!.delete(wishId);
      return pre;
    }
    const wish = await this.wishes.findById(wishId);
    if (!wish) throw new WishException('WISH_NOT_FOUND');
    const access = await this.accessOf(actor, wish);
    if (!access.readable) throw new WishException('WISH_NOT_FOUND').because('no row of WISH_READS holds');
    return { wish, access };
  }

  /** For @Sees(WishLifecycle): refuses an unreadable wish before the body is looked at, and keeps what it read for the handler. */
  async assertVisible(actor: Actor, wishId: number): Promise<void> {
    const loaded = await this.load(actor, wishId);
    let m = this.preloaded.get(actor);
    if (!m) this.preloaded.set(actor, (m = new Map()));
    m.set(wishId, loaded);
  }

  /** Moves the wish; returns it as it is now, and how the actor stood to it before the move. */
  async move(actor: Actor, wishId: number, action: WishAction, opts: MoveOptions = {}): Promise<{ wish: Wish; before: WishAccess }> {
    const { wish, access } = await this.load(actor, wishId);
    const ready = await this.prepare(actor, wish, access, action, opts);
    const screened = opts.screen?.text ? await this.screenText(actor, opts.screen.text, opts.screen.scene) : null;
    const withCheck: MoveOptions = screened ? { ...opts, payload: () => ({ ...((typeof opts.payload === 'function' ? opts.payload() : opts.payload) ?? {}), textCheck: screened }) } : opts;
    await this.db.tx((m) => this.write(m, actor, wish, access, action, withCheck, ready));
    return { wish: (await this.wishes.findById(wish.id))!, before: access };
  }

  /**
   * The same move inside the caller's transaction, for moves that must commit together with
   * other writes (a registration withdrawn with the claims it held released; an account deleted
   * with its unclaimed wishes withdrawn). The wish is read in that transaction; returns it as
   * the move left it. Refuses exactly as move() does.
   */
  async moveIn(m: EntityManager, actor: Actor, wishId: number, action: WishAction, opts: MoveOptions = {}): Promise<Wish> {
    const wish = await this.wishes.findById(wishId, m);
    if (!wish) throw new WishException('WISH_NOT_FOUND');
    const access = await this.accessOf(actor, wish);
    if (!access.readable) throw new WishException('WISH_NOT_FOUND').because('no row of WISH_READS holds');
    const ready = await this.prepare(actor, wish, access, action, opts);
    return this.write(m, actor, wish, access, action, opts, ready);
  }

  /** The table's and the policy's checks of a move, before anything is written. */
  private async prepare(actor: Actor, wish: Wish, access: WishAccess, action: WishAction, opts: MoveOptions): Promise<{ t: Transition; role: Role; cls: CommunityClass }> {
    const t = findTransition(action, wish.state, access.standing);
    if (!t) throw this.refusal(actor, wish, action, access.facts);
    const conflict = conflictOf(t, access.facts);
    if (conflict) throw new WishException(conflict === 'submitter' ? 'OWN_SUBMISSION' : 'OWN_HANDLING').because(`${action}: notBy ${conflict}`);
    if (t.needsReason && !opts.reason) throw new WishException('REASON_REQUIRED');
    if (t.needsConsent) assertConsented(actor);
    if (opts.check) await opts.check(wish, access, t);
    const role = access.roleFor[t.capacity] ?? 'resident';
    const [cls] = [...(await this.orgs.classesOf([wish.communityId])).values()];
    await this.rules.ensureFresh();
    return { t, role, cls: cls ?? 'B' };
  }

  /** The guarded write, its event, its rollups and notices, in the transaction `m`; returns the wish as written. */
  private async write(m: EntityManager, actor: Actor, wish: Wish, access: WishAccess, action: WishAction, opts: MoveOptions, ready: { t: Transition; role: Role; cls: CommunityClass }): Promise<Wish> {
    const { t, role, cls } = ready;
    const now = this.clock.now();
    if (opts.inTx) await opts.inTx(m, wish, now);
    const own = { ...(opts.patch?.(wish, now, role, access) ?? {}), ...factsOf(action, wish, actor, now), state: t.to, updatedAt: now };
    const timed = { ...own, ...timersAfterMove(this.rules, action, { ...wish, ...own } as Wish, cls, now) };
    const patch = { ...timed, ...newDurations(wish, { ...wish, ...timed } as Wish) };
    const event = this.events.seal(
      {
        wishId: wish.id,
        type: action,
        fromState: wish.state,
        toState: t.to,
        fromTier: wish.tier,
        toTier: (patch.tier ?? wish.tier) as Tier,
        actorId: actor.userId,
        actorRole: role,
        actorOrgId: access.orgFor[t.capacity] ?? null,
        reason: opts.reason || null,
        payload: (typeof opts.payload === 'function' ? opts.payload() : opts.payload) ?? null,
        createdAt: now,
      },
      wish,
    );
    // The chain's head goes in the same guarded write: a move that lost the race seals nothing.
    const ok = await this.wishes.guardedUpdate(m, wish.id, { state: wish.state, version: wish.version }, { ...patch, ...headColumns(event) });
    if (!ok) {
      const current = await this.wishes.findById(wish.id, m);
      throw new WishException(action === 'claim' && current && current.state !== 'open' && current.claimantId !== null ? 'WISH_ALREADY_CLAIMED' : 'WISH_STATE_CHANGED');
    }
    await this.events.append(m, event);
    const after = { ...wish, ...patch, version: wish.version + 1 } as Wish;
    await this.rollup.record(m, [{ before: wish, after }]);
    await enqueueNotices(m, noticesFor(action, after, wish.claimantId, now, { actorId: actor.userId, reason: opts.reason }), (d) => this.db.time(d));
    return after;
  }

  /** CONTENT_RISKY for text WeChat calls risky; what to record for review/unchecked; null for a clean pass. */
  private async screenText(actor: Actor, text: string, scene: TextScene): Promise<{ result: 'review' | 'unchecked'; label: number | null } | null> {
    const v = await this.content.checkText(actor.openid, text, scene);
    if (v.result === 'risky') throw new WishException('CONTENT_RISKY').because(`text check: risky (label ${v.label ?? 'none'})`);
    return v.result === 'pass' ? null : { result: v.result, label: v.label };
  }

  /** Why a move not in the table (for this actor, from this state) is refused, most useful reason first. */
  private refusal(actor: Actor, w: Wish, action: WishAction, facts: WishAccess['facts']): WishException {
    const fromHere = TRANSITIONS.filter((t) => t.action === action && t.from?.includes(w.state as WishState));
    if (action === 'claim' && w.state !== 'open' && w.claimantId !== null && w.claimantId !== actor.userId) return new WishException('WISH_ALREADY_CLAIMED');
    if (fromHere.length === 0) return new WishException('TRANSITION_NOT_ALLOWED');
    // A four-eyes rule that would refuse the move anyway says more than "not in scope" (a claimant confirming their own work).
    const conflict = fromHere.map((t) => conflictOf(t, facts)).find((c) => c !== null);
    if (conflict) return new WishException(conflict === 'submitter' ? 'OWN_SUBMISSION' : 'OWN_HANDLING').because(`${action}: notBy ${conflict}`);
    return new WishException('WISH_NOT_IN_SCOPE').because(`${action} from ${w.state}: no capacity of the actor is allowed`);
  }
}

/**
 * What the rates keep on the row about a move (written with its event). Each fact is
 * written once, the first time it happens, and never overwritten (DOMAIN.md "The three
 * rates"): the first claim, the first end of a fulfilment window without completion (a move
 * made on a claim past its due time records it, as the sweeper's overdue step does), the
 * first completion. The first supervision is the sweeper's (wish-timers.ts dueSteps).
 */
export function factsOf(action: WishAction, w: Wish, actor: Actor, now: Date): Partial<Wish> {
  const out: Partial<Wish> = {};
  if (action === 'claim' && !w.firstClaimedAt) out.firstClaimedAt = now;
  // A completion at the very instant the window ends met it; any other move then finds it ended.
  const ended = w.dueAt && (action === 'complete' ? w.dueAt.getTime() < now.getTime() : w.dueAt.getTime() <= now.getTime());
  if (w.state === 'claimed' && ended && !w.fulfilMissedAt) out.fulfilMissedAt = w.dueAt;
  if (action === 'complete' && !w.firstCompletedAt) out.firstCompletedAt = now;
  if (action === 'cancel' && actor.userId === w.submitterId) out.cancelledBySubmitter = true;
  return out;
}
