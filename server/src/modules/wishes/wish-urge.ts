// 催办 and the next step's expected time (issue 15): pure functions over the wish's timers.
import type { NextStepView, Tier } from '@xinyuan/shared';
import { localDay } from '../../common/time';
import type { NoticeInsert } from '../outbox/outbox';
import type { Wish } from './wish.entity';

/**
 * When the resident's expected time for the current step ends, after which the submitter may
 * urge: a claimed wish's fulfilment deadline; an open wish's claim window at its tier. An open
 * wish that has moved up from the tier it was published at has already outlived the time the
 * resident was first given (each tier's window starts afresh): `from` is null, it may be urged
 * now. Null when nothing is waited on that an urge could speed up (in review, awaiting the
 * resident, closed).
 */
export function urgeDueAt(w: Pick<Wish, 'state' | 'tier' | 'urgent' | 'windowEndsAt' | 'dueAt'>): { from: Date | null } | null {
  if (w.state === 'claimed') return w.dueAt ? { from: w.dueAt } : null;
  if (w.state !== 'open') return null;
  // Urgent wishes are published at tier 4; the others at tier 1.
  const moved = !w.urgent && w.tier > 1;
  return { from: moved ? null : (w.windowEndsAt ?? null) };
}

/** Whether the urge's time has come. */
export function urgeOpen(due: { from: Date | null }, now: Date): boolean {
  return due.from === null || now.getTime() >= due.from.getTime();
}

/** What comes next and by when; the urge part for the submitter only. */
export function nextStepOf(w: Wish, now: Date, urges: readonly Date[], submitter: boolean): NextStepView | null {
  const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
  const step = ((): Omit<NextStepView, 'urge'> | null => {
    switch (w.state) {
      case 'pending_review':
        return { step: 'review', tier: w.tier as Tier, by: null };
      case 'open':
        return { step: 'claim', tier: w.tier as Tier, by: iso(w.windowEndsAt) };
      case 'claimed':
        return { step: 'fulfil', tier: w.tier as Tier, by: iso(w.dueAt) };
      case 'awaiting_confirmation':
        return { step: 'confirm', tier: w.tier as Tier, by: iso(w.nextDueAt) };
      default:
        return null;
    }
  })();
  if (!step) return null;
  const due = urgeDueAt(w);
  if (!submitter || !due) return { ...step, urge: null };
  const today = localDay(now);
  const urgedToday = urges.some((u) => localDay(u) === today);
  return { ...step, urge: { allowed: urgeOpen(due, now) && !urgedToday, from: due.from ? due.from.toISOString() : null, urgedToday } };
}

/** Who an urge reaches: the current tier's claimers (open), or the active claimant and its assignee (claimed). */
export function urgeNotices(w: Wish, at: Date): NoticeInsert[] {
  const n = (audience: NoticeInsert['audience']): NoticeInsert => ({ wishId: w.id, kind: 'urged', audience, tier: w.tier, note: null, createdAt: at });
  if (w.state === 'open') return [n({ type: 'tier_claimers' })];
  return [w.claimantId, w.assigneeId].filter((id, i, all): id is number => id !== null && id !== undefined && all.indexOf(id) === i).map((userId) => n({ type: 'user', userId }));
}
