// What each move does to a wish's timers (DOMAIN.md, "The four tiers"), and the
// notices it causes. Pure functions over the rules, shared by the people's moves
// (WishLifecycle) and the sweeper's (jobs/dispatch.sweeper.ts).
import type { CommunityClass, Tier, WishAction } from '@xinyuan/shared';
import type { DispatchRules } from '../dispatch/dispatch-rules.service';
import type { NoticeInsert } from '../notifications/outbox';
import type { Wish } from './wish.entity';

export type TimerFields = Pick<Wish, 'nextDueAt' | 'windowEndsAt' | 'dueAt' | 'remindedAt' | 'supervisedAt' | 'fulfilMissedAt'>;
type Rules = Pick<DispatchRules, 'claimWindowEnd' | 'fulfilDue' | 'graceEnd' | 'autoConfirmAt'>;

/** A wish (re)entering the pool at a tier: a fresh claim window from `at`. */
function openAt(rules: Rules, cls: CommunityClass, tier: Tier, urgent: boolean, at: Date): Partial<Wish> {
  const end = rules.claimWindowEnd(cls, tier, urgent, at);
  return { windowEndsAt: end, nextDueAt: end, dueAt: null, remindedAt: null };
}

/** A claim (or a dispute that hands the work back): a fresh fulfilment window from `at`. */
function claimedAt(rules: Rules, cls: CommunityClass, tier: Tier, urgent: boolean, at: Date): Partial<Wish> {
  const due = rules.fulfilDue(cls, tier, urgent, at);
  return { windowEndsAt: null, dueAt: due, nextDueAt: due, remindedAt: null };
}

/** The rules with what a claim window given back needs (DOMAIN.md "Windows"). */
type ReturnRules = Rules & Pick<DispatchRules, 'claimWindowLeft' | 'windowEndAfter'>;

/** The least a claim window given back holds: one working hour (one clock hour if urgent). */
export const MIN_RETURNED_MINUTES = 60;

/**
 * A claim given back (release, expire_claim): DOMAIN.md "Windows": the wish returns to its tier with
 * the claim window time that was left when it was claimed, at least one working hour, never a fresh
 * window. A wish claimed before that time was recorded (claimLeftMinutes null) gets the tier's full
 * window, as it did before.
 */
function returnedAt(rules: ReturnRules, cls: CommunityClass, w: Wish, at: Date): Partial<Wish> {
  if (w.claimLeftMinutes === null || w.claimLeftMinutes === undefined) return openAt(rules, cls, w.tier, w.urgent, at);
  const end = rules.windowEndAfter(w.urgent, at, Math.max(w.claimLeftMinutes, MIN_RETURNED_MINUTES));
  return { windowEndsAt: end, nextDueAt: end, dueAt: null, remindedAt: null };
}

/** What a claim records: the claim window time left at `at` (null if the wish had no window end). */
function leftAt(rules: ReturnRules, w: Wish, at: Date): Partial<Wish> {
  return { claimLeftMinutes: w.windowEndsAt ? rules.claimWindowLeft(w.urgent, at, w.windowEndsAt) : null };
}

const STOPPED: Partial<Wish> = { nextDueAt: null, windowEndsAt: null };

/** Timer columns after a person's move; `after` is the wish with the move's own patch applied. */
export function timersAfterMove(rules: ReturnRules, action: WishAction, after: Wish, cls: CommunityClass, now: Date): Partial<Wish> {
  switch (action) {
    case 'approve':
    case 'mark_urgent':
      return openAt(rules, cls, after.tier, after.urgent, now);
    case 'release':
      return returnedAt(rules, cls, after, now);
    case 'claim':
      return { ...leftAt(rules, after, now), ...claimedAt(rules, cls, after.tier, after.urgent, now) };
    case 'dispute':
      // A dispute hands the work back to the same claimant with a fresh fulfilment window.
      return claimedAt(rules, cls, after.tier, after.urgent, now);
    case 'complete':
      return { nextDueAt: rules.autoConfirmAt(now) };
    case 'confirm':
    case 'cancel':
    case 'reject':
      return STOPPED;
    default:
      return {};
  }
}

export interface DueStep {
  action: Extract<WishAction, 'escalate' | 'supervise' | 'overdue' | 'expire_claim' | 'auto_confirm'>;
  at: Date;
  from: { state: Wish['state']; tier: Tier };
  to: { state: Wish['state']; tier: Tier };
}

/**
 * The timer moves due on a wish by `now`, in order, each at the time it should
 * have happened (so a wish that waited out several windows during downtime moves
 * through each tier it should have). Mutates `w` to its final values; `onStep`
 * sees the wish as each step left it.
 */
export function dueSteps(rules: ReturnRules, w: Wish, cls: CommunityClass, now: Date, onStep?: (step: DueStep, after: Wish) => void, maxSteps = 16): DueStep[] {
  const steps: DueStep[] = [];
  while (w.nextDueAt && w.nextDueAt.getTime() <= now.getTime() && steps.length < maxSteps) {
    const at = w.nextDueAt;
    const from = { state: w.state, tier: w.tier };
    let action: DueStep['action'];
    if (w.state === 'open' && w.tier < 4) {
      action = 'escalate';
      w.tier = (w.tier + 1) as Tier;
      Object.assign(w, openAt(rules, cls, w.tier, w.urgent, at));
    } else if (w.state === 'open') {
      action = 'supervise';
      // The first supervision is a fact of the response rate: a later one (after a late claim returned to the pool) never moves it.
      Object.assign(w, { supervisedAt: w.supervisedAt ?? at, nextDueAt: null });
    } else if (w.state === 'claimed' && !w.remindedAt) {
      action = 'overdue';
      // The fulfilment window ended without completion: the resolution rate's fact, written once.
      Object.assign(w, { remindedAt: at, fulfilMissedAt: w.fulfilMissedAt ?? at, nextDueAt: rules.graceEnd(w.dueAt ?? at) });
    } else if (w.state === 'claimed') {
      action = 'expire_claim';
      Object.assign(w, { state: 'open', claimantId: null, claimantRole: null, claimedAt: null, assigneeId: null });
      Object.assign(w, returnedAt(rules, cls, w, at));
    } else if (w.state === 'awaiting_confirmation') {
      action = 'auto_confirm';
      Object.assign(w, { state: 'resolved', resolvedAt: at }, STOPPED);
    } else {
      // A timer left on a wish that no longer needs one: clear it, no event.
      w.nextDueAt = null;
      break;
    }
    const step: DueStep = { action, at, from, to: { state: w.state, tier: w.tier } };
    steps.push(step);
    // The wish as this step left it (the next step changes it again).
    onStep?.(step, w);
  }
  return steps;
}

/** Who hears about a move (DOMAIN.md: next tier's claimers, the resident, the claimant, the district). */
export function noticesFor(action: WishAction, w: Wish, claimantBefore: number | null, at: Date): NoticeInsert[] {
  const notice = (kind: NoticeInsert['kind'], audience: NoticeInsert['audience']): NoticeInsert => ({ wishId: w.id, kind, audience, tier: w.tier, createdAt: at });
  switch (action) {
    case 'approve':
    case 'mark_urgent':
    case 'escalate':
    case 'release':
    case 'expire_claim':
      return [notice('escalated', { type: 'tier_claimers' })];
    case 'claim':
      return [notice('claimed', { type: 'user', userId: w.submitterId })];
    case 'complete':
      return [notice('completed', { type: 'user', userId: w.submitterId })];
    case 'overdue':
      return [w.assigneeId, claimantBefore]
        .filter((id, i, all): id is number => id !== null && all.indexOf(id) === i)
        .map((userId) => notice('overdue', { type: 'user', userId }));
    case 'supervise':
      return [notice('supervised', { type: 'district', districtId: w.districtId })];
    default:
      return [];
  }
}
