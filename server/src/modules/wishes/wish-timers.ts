// What each move does to a wish's timers (DOMAIN.md, "The four tiers"), and the
// notices it causes. Pure functions over the rules, shared by the people's moves
// (WishLifecycle) and the sweeper's (jobs/dispatch.sweeper.ts).
import { CLOSURE_LABELS, type CommunityClass, type Tier, type WishAction } from '@xinyuan/shared';
import { localMinute } from '../../common/time';
import type { DispatchRules } from '../dispatch/dispatch-rules.service';
import type { NoticeInsert } from '../outbox/outbox';
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

/** What a move's notices may say beyond the wish itself. */
export interface NoticeFacts {
  /** Who moved it (null: the timer). A person is not told of their own move. */
  actorId?: number | null;
  /** The move's reason (a rejection's, a cancellation's, a dispute's). */
  reason?: string | null;
}

/** A closure's words for the resident: the code's label, then the free text. */
function closureNote(w: Wish, reason: string | null | undefined): string | null {
  const parts = [w.closureCode ? CLOSURE_LABELS[w.closureCode] : null, reason?.trim() || null].filter((x): x is string => !!x);
  return parts.length ? parts.join('：') : null;
}

/**
 * Who hears about a move (DOMAIN.md; issue 15 "A notice for every step"). The table, by move:
 *
 * | move                    | kind        | to                                   |
 * | ----------------------- | ----------- | ------------------------------------ |
 * | approve                 | approved    | submitter (note: claim expected by)  |
 * |                         | escalated   | tier-1 claimers ("待认领")            |
 * | reject                  | rejected    | submitter (note: closure + reason)   |
 * | cancel                  | cancelled   | submitter unless they cancelled it; the claimant it had (note: closure + reason) |
 * | escalate, mark_urgent   | escalated   | the new tier's claimers              |
 * |                         | transferred | submitter ("已转交…办理", note: claim expected by) |
 * | claim                   | claimed     | submitter                            |
 * | complete                | completed   | submitter                            |
 * | dispute                 | disputed    | claimant (and its assignee); the reason stays on the wish |
 * | overdue                 | overdue     | claimant and assignee                |
 * | expire_claim            | returned    | the claimant who lost it             |
 * | expire_claim, release   | waiting     | the tier's claimers                  |
 * | supervise               | supervised  | the district                         |
 *
 * The review backlog (backlog) and 催办 (urged) are written by their own code (jobs/review-backlog.ts, the urge).
 */
export function noticesFor(action: WishAction, w: Wish, claimantBefore: number | null, at: Date, facts: NoticeFacts = {}): NoticeInsert[] {
  const notice = (kind: NoticeInsert['kind'], audience: NoticeInsert['audience'], note: string | null = null): NoticeInsert => ({ wishId: w.id, kind, audience, tier: w.tier, note, createdAt: at });
  const toUser = (kind: NoticeInsert['kind'], ids: (number | null | undefined)[], note: string | null = null): NoticeInsert[] =>
    ids
      .filter((id, i, all): id is number => id !== null && id !== undefined && id !== facts.actorId && all.indexOf(id) === i)
      .map((userId) => notice(kind, { type: 'user', userId }, note));
  const expect = w.windowEndsAt ? `预计${localMinute(w.windowEndsAt)}前有人认领` : null;
  switch (action) {
    case 'approve':
      return [...toUser('approved', [w.submitterId], expect), notice('escalated', { type: 'tier_claimers' })];
    case 'reject':
      return toUser('rejected', [w.submitterId], closureNote(w, facts.reason));
    case 'cancel':
      return toUser('cancelled', [w.submitterId, claimantBefore], closureNote(w, facts.reason));
    case 'mark_urgent':
    case 'escalate':
      return [notice('escalated', { type: 'tier_claimers' }), ...toUser('transferred', [w.submitterId], expect)];
    case 'release':
      return [notice('waiting', { type: 'tier_claimers' })];
    case 'expire_claim':
      return [notice('waiting', { type: 'tier_claimers' }), ...toUser('returned', [claimantBefore])];
    case 'claim':
      return toUser('claimed', [w.submitterId]);
    case 'complete':
      return toUser('completed', [w.submitterId]);
    case 'dispute':
      // Not the resident's words: they are theirs to erase with their account (the event's reason is); the claimant reads them on the wish.
      return toUser('disputed', [w.claimantId, w.assigneeId]);
    case 'overdue':
      return toUser('overdue', [w.assigneeId, claimantBefore]);
    case 'supervise':
      return [notice('supervised', { type: 'district', districtId: w.districtId })];
    default:
      return [];
  }
}
