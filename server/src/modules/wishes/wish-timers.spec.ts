// The pure timer functions (DOMAIN.md "The four tiers", "Windows"), on the real rules: DispatchRules with
// the default policy (default-policy.ts) and its real WorkingCalendar, working hours 09:00–18:00 Beijing,
// 48 h grace, 7 days to confirm (the config's defaults). Every expected instant is worked by hand on the
// 2026 calendar; B's windows (one working day = 540 min): claim 1 day at tiers 1–3, ½ day at tier 4;
// fulfil 5 days at tiers 1–3, 3 days at tier 4. A's tier 1 claim window is 2 days.
import type { AppConfig } from '../../config/config';
import { DispatchRules } from '../dispatch/dispatch-rules.service';
import type { NoticeInsert } from '../outbox/outbox';
import { dueSteps, noticesFor, timersAfterMove, type DueStep } from './wish-timers';
import type { Wish } from './wish.entity';
import { localMinute } from '../../common/time';

const bj = (s: string) => new Date(`${s}:00+08:00`);
const fmt = (d: Date | null | undefined) => (d ? localMinute(d) : d);

const config = { dispatch: { workStartMinute: 540, workEndMinute: 1080, utcOffsetMinutes: 480, overdueGraceHours: 48, autoConfirmDays: 7 } } as AppConfig;
const rules = new DispatchRules(config, {} as never, {} as never, { warn: () => undefined } as never, {} as never);

function wish(p: Partial<Wish>): Wish {
  return {
    id: 1, districtId: 10, communityId: 20, submitterId: 30, state: 'open', tier: 1, urgent: false,
    claimantId: null, claimantRole: null, claimedAt: null, assigneeId: null, claimLeftMinutes: null,
    windowEndsAt: null, dueAt: null, remindedAt: null, supervisedAt: null, nextDueAt: null, resolvedAt: null,
    ...p,
  } as Wish;
}
const stepLine = (s: DueStep) => `${s.action}@${fmt(s.at)} ${s.from.state}/${s.from.tier}→${s.to.state}/${s.to.tier}`;

describe('dueSteps', () => {
  it('moves a wish that waited out every window during downtime through each tier at the time it should have, then flags it', () => {
    // Published Mon 2026-11-23 10:00 in a class-B community; nobody swept until Dec 10.
    const w = wish({ windowEndsAt: bj('2026-11-24T10:00'), nextDueAt: bj('2026-11-24T10:00') });
    const seen: string[] = [];
    const steps = dueSteps(rules, w, 'B', bj('2026-12-10T09:00'), (s, after) => seen.push(`${after.tier}:${fmt(after.windowEndsAt)}`));
    expect(steps.map(stepLine)).toEqual([
      'escalate@2026-11-24 10:00 open/1→open/2',
      'escalate@2026-11-25 10:00 open/2→open/3',
      'escalate@2026-11-26 10:00 open/3→open/4',
      'supervise@2026-11-26 14:30 open/4→open/4',
    ]);
    // Each step's window starts when the previous one ended, not at the sweep.
    expect(seen).toEqual(['2:2026-11-25 10:00', '3:2026-11-26 10:00', '4:2026-11-26 14:30', '4:2026-11-26 14:30']);
    expect([w.state, w.tier, w.nextDueAt, fmt(w.supervisedAt)]).toEqual(['open', 4, null, '2026-11-26 14:30']);
    // Nothing is due any more.
    expect(dueSteps(rules, w, 'B', bj('2027-06-01T09:00'))).toEqual([]);
  });

  it('counts the next tier across the weekend and stops at `now`', () => {
    // Tier-1 window ends Fri 2026-11-27 17:00; tier 2 (one working day) ends Mon 11-30 17:00.
    const w = wish({ windowEndsAt: bj('2026-11-27T17:00'), nextDueAt: bj('2026-11-27T17:00') });
    expect(dueSteps(rules, w, 'B', bj('2026-11-30T16:59')).map(stepLine)).toEqual(['escalate@2026-11-27 17:00 open/1→open/2']);
    expect([w.tier, fmt(w.windowEndsAt), fmt(w.nextDueAt)]).toEqual([2, '2026-11-30 17:00', '2026-11-30 17:00']);
  });

  it('does nothing before the timer is due', () => {
    const w = wish({ windowEndsAt: bj('2026-11-24T10:00'), nextDueAt: bj('2026-11-24T10:00') });
    expect(dueSteps(rules, w, 'B', bj('2026-11-24T09:59'))).toEqual([]);
    expect(w.tier).toBe(1);
  });

  it('flags an unclaimed tier-4 wish for supervision once and keeps it at tier 4', () => {
    const w = wish({ tier: 4, windowEndsAt: bj('2026-11-26T14:30'), nextDueAt: bj('2026-11-26T14:30') });
    const steps = dueSteps(rules, w, 'B', bj('2026-11-27T09:00'));
    expect(steps.map(stepLine)).toEqual(['supervise@2026-11-26 14:30 open/4→open/4']);
    expect([w.tier, w.nextDueAt, fmt(w.supervisedAt)]).toEqual([4, null, '2026-11-26 14:30']);
  });

  it('reminds an overdue claimant at the end of the fulfilment window, returns the claim after the 48 h grace with the time that was left', () => {
    // Claimed Mon 11-23 11:00 of a window ending Tue 10:00 (480 working minutes left); due Mon 11-30 11:00.
    const claimed = () =>
      wish({ state: 'claimed', claimantId: 5, claimantRole: 'member', claimedAt: bj('2026-11-23T11:00'), claimLeftMinutes: 480, dueAt: bj('2026-11-30T11:00'), nextDueAt: bj('2026-11-30T11:00') });
    const a = claimed();
    expect(dueSteps(rules, a, 'B', bj('2026-12-02T10:59')).map(stepLine)).toEqual(['overdue@2026-11-30 11:00 claimed/1→claimed/1']);
    expect([fmt(a.remindedAt), fmt(a.nextDueAt), a.claimantId]).toEqual(['2026-11-30 11:00', '2026-12-02 11:00', 5]);
    // The same wish swept late: both moves, each at its own time.
    const b = claimed();
    expect(dueSteps(rules, b, 'B', bj('2026-12-03T09:00')).map(stepLine)).toEqual([
      'overdue@2026-11-30 11:00 claimed/1→claimed/1',
      'expire_claim@2026-12-02 11:00 claimed/1→open/1',
    ]);
    // Wed 11:00 + 480 working minutes: 420 to 18:00, 60 on Thursday. Not a fresh day (which would end Thu 11:00).
    expect([b.state, b.tier, b.claimantId, b.claimantRole, b.claimedAt, b.assigneeId, b.dueAt, b.remindedAt]).toEqual(['open', 1, null, null, null, null, null, null]);
    expect([fmt(b.windowEndsAt), fmt(b.nextDueAt)]).toEqual(['2026-12-03 10:00', '2026-12-03 10:00']);
    // And then it waits at tier 1 until that window ends.
    expect(dueSteps(rules, b, 'B', bj('2026-12-03T10:00')).map(stepLine)).toEqual(['escalate@2026-12-03 10:00 open/1→open/2']);
  });

  it('gives an expired claim at least one working hour, across a weekend', () => {
    // Grace ends Fri 12-04 17:00 and 20 minutes were left: one working hour, Friday 17:00–18:00.
    const a = wish({ state: 'claimed', claimantId: 5, claimLeftMinutes: 20, dueAt: bj('2026-12-02T17:00'), remindedAt: bj('2026-12-02T17:00'), nextDueAt: bj('2026-12-04T17:00') });
    dueSteps(rules, a, 'B', bj('2026-12-04T17:00'));
    expect(fmt(a.windowEndsAt)).toBe('2026-12-04 18:00');
    // 120 left: 60 on Friday, 60 on Monday 12-07.
    const b = wish({ state: 'claimed', claimantId: 5, claimLeftMinutes: 120, dueAt: bj('2026-12-02T17:00'), remindedAt: bj('2026-12-02T17:00'), nextDueAt: bj('2026-12-04T17:00') });
    dueSteps(rules, b, 'B', bj('2026-12-04T17:00'));
    expect(fmt(b.windowEndsAt)).toBe('2026-12-07 10:00');
  });

  it('counts an urgent wish’s returned window in clock time', () => {
    const w = wish({ tier: 4, urgent: true, state: 'claimed', claimantId: 9, claimLeftMinutes: 90, dueAt: bj('2026-11-25T04:00'), remindedAt: bj('2026-11-25T04:00'), nextDueAt: bj('2026-11-27T04:00') });
    expect(dueSteps(rules, w, 'B', bj('2026-11-27T04:00')).map(stepLine)).toEqual(['expire_claim@2026-11-27 04:00 claimed/4→open/4']);
    expect(fmt(w.windowEndsAt)).toBe('2026-11-27 05:30');
  });

  it('gives a claim made before the time left was recorded the tier’s full window when it expires', () => {
    const w = wish({ state: 'claimed', claimantId: 5, claimLeftMinutes: null, dueAt: bj('2026-11-30T11:00'), remindedAt: bj('2026-11-30T11:00'), nextDueAt: bj('2026-12-02T11:00') });
    dueSteps(rules, w, 'B', bj('2026-12-02T11:00'));
    expect(fmt(w.windowEndsAt)).toBe('2026-12-03 11:00');
  });

  it('confirms for a silent resident when the confirmation period ends', () => {
    const w = wish({ state: 'awaiting_confirmation', claimantId: 5, nextDueAt: bj('2026-11-30T12:00') });
    expect(dueSteps(rules, w, 'B', bj('2026-12-01T09:00')).map(stepLine)).toEqual(['auto_confirm@2026-11-30 12:00 awaiting_confirmation/1→resolved/1']);
    expect([w.state, fmt(w.resolvedAt), w.nextDueAt, w.windowEndsAt]).toEqual(['resolved', '2026-11-30 12:00', null, null]);
  });

  it('clears a timer left on a wish that no longer needs one, without an event', () => {
    for (const state of ['resolved', 'cancelled', 'rejected', 'pending_review'] as const) {
      const w = wish({ state, nextDueAt: bj('2026-11-24T10:00') });
      const onStep = jest.fn();
      expect(dueSteps(rules, w, 'B', bj('2026-11-25T10:00'), onStep)).toEqual([]);
      expect(onStep).not.toHaveBeenCalled();
      expect([w.state, w.nextDueAt]).toEqual([state, null]);
    }
  });

  it('stops after maxSteps', () => {
    const w = wish({ windowEndsAt: bj('2026-11-24T10:00'), nextDueAt: bj('2026-11-24T10:00') });
    expect(dueSteps(rules, w, 'B', bj('2026-12-10T09:00'), undefined, 2).map((s) => s.action)).toEqual(['escalate', 'escalate']);
    expect([w.tier, fmt(w.nextDueAt)]).toEqual([3, '2026-11-26 10:00']);
  });
});

describe('timersAfterMove', () => {
  const open = (p: Partial<Wish> = {}) => wish({ windowEndsAt: bj('2026-11-24T10:00'), nextDueAt: bj('2026-11-24T10:00'), ...p });

  it('opens a fresh claim window on approval (A tier 1: two working days) and on marking urgent (B tier 4: 270 clock minutes)', () => {
    expect(timersAfterMove(rules, 'approve', wish({ state: 'open' }), 'A', bj('2026-11-23T10:00'))).toEqual({
      windowEndsAt: bj('2026-11-25T10:00'), nextDueAt: bj('2026-11-25T10:00'), dueAt: null, remindedAt: null,
    });
    expect(timersAfterMove(rules, 'mark_urgent', wish({ state: 'open', tier: 4, urgent: true }), 'B', bj('2026-11-23T22:00'))).toEqual({
      windowEndsAt: bj('2026-11-24T02:30'), nextDueAt: bj('2026-11-24T02:30'), dueAt: null, remindedAt: null,
    });
  });

  it('stops the clock on a claim, records the claim window time left, and starts the fulfilment window', () => {
    // Mon 14:00 of a window ending Tue 10:00: 240 + 60 working minutes; due five working days later.
    expect(timersAfterMove(rules, 'claim', open({ state: 'claimed' }), 'B', bj('2026-11-23T14:00'))).toEqual({
      claimLeftMinutes: 300, windowEndsAt: null, dueAt: bj('2026-11-30T14:00'), nextDueAt: bj('2026-11-30T14:00'), remindedAt: null,
    });
    // Claimed on a Saturday: only Monday's hour is left.
    expect(timersAfterMove(rules, 'claim', open({ state: 'claimed', windowEndsAt: bj('2026-11-30T10:00') }), 'B', bj('2026-11-28T12:00')).claimLeftMinutes).toBe(60);
    // Claimed after the window ended, before the sweeper ran: nothing left.
    expect(timersAfterMove(rules, 'claim', open({ state: 'claimed' }), 'B', bj('2026-11-24T11:00')).claimLeftMinutes).toBe(0);
    // Urgent: clock minutes left (01:00 → 02:30), and 3 × 540 clock minutes to fulfil.
    expect(timersAfterMove(rules, 'claim', open({ state: 'claimed', tier: 4, urgent: true, windowEndsAt: bj('2026-11-24T02:30') }), 'B', bj('2026-11-24T01:00'))).toEqual({
      claimLeftMinutes: 90, windowEndsAt: null, dueAt: bj('2026-11-25T04:00'), nextDueAt: bj('2026-11-25T04:00'), remindedAt: null,
    });
  });

  it('gives a released wish the time that was left (at least one working hour), never a fresh window', () => {
    const released = (left: number | null, urgent = false) => wish({ state: 'open', claimLeftMinutes: left, urgent, tier: urgent ? 4 : 1, dueAt: bj('2026-11-30T14:00') });
    // Mon 15:00 + 300: 180 on Monday, 120 on Tuesday.
    expect(timersAfterMove(rules, 'release', released(300), 'B', bj('2026-11-23T15:00'))).toEqual({
      windowEndsAt: bj('2026-11-24T11:00'), nextDueAt: bj('2026-11-24T11:00'), dueAt: null, remindedAt: null,
    });
    expect(timersAfterMove(rules, 'release', released(0), 'B', bj('2026-11-23T17:30')).windowEndsAt).toEqual(bj('2026-11-24T09:30'));
    // Fri 17:00 + 180: 60 on Friday, 120 on Monday.
    expect(timersAfterMove(rules, 'release', released(180), 'B', bj('2026-11-27T17:00')).windowEndsAt).toEqual(bj('2026-11-30T11:00'));
    // Urgent: clock time, the floor is one clock hour.
    expect(timersAfterMove(rules, 'release', released(90, true), 'B', bj('2026-11-24T03:00')).windowEndsAt).toEqual(bj('2026-11-24T04:30'));
    expect(timersAfterMove(rules, 'release', released(20, true), 'B', bj('2026-11-24T04:20')).windowEndsAt).toEqual(bj('2026-11-24T05:20'));
    // Claimed before the time left was recorded: the tier's full window (one working day).
    expect(timersAfterMove(rules, 'release', released(null), 'B', bj('2026-11-23T15:00')).windowEndsAt).toEqual(bj('2026-11-24T15:00'));
  });

  it('restarts the fulfilment window on a dispute, keeping the recorded time left', () => {
    expect(timersAfterMove(rules, 'dispute', wish({ state: 'claimed', tier: 2, claimLeftMinutes: 120 }), 'B', bj('2026-11-30T12:00'))).toEqual({
      windowEndsAt: null, dueAt: bj('2026-12-07T12:00'), nextDueAt: bj('2026-12-07T12:00'), remindedAt: null,
    });
  });

  it('waits seven days for the resident after completion, and stops every timer at the end', () => {
    expect(timersAfterMove(rules, 'complete', wish({ state: 'awaiting_confirmation' }), 'B', bj('2026-11-23T12:00'))).toEqual({ nextDueAt: bj('2026-11-30T12:00') });
    for (const a of ['confirm', 'cancel', 'reject'] as const) expect(timersAfterMove(rules, a, wish({}), 'B', bj('2026-11-23T12:00'))).toEqual({ nextDueAt: null, windowEndsAt: null });
    for (const a of ['assign', 'submit'] as const) expect(timersAfterMove(rules, a, wish({}), 'B', bj('2026-11-23T12:00'))).toEqual({});
  });
});

describe('noticesFor (issue 15: a notice for every step someone waits on)', () => {
  const at = bj('2026-11-23T12:00');
  const w = wish({ id: 7, tier: 2, submitterId: 30, districtId: 10, claimantId: 5, assigneeId: 6 });
  const n = (kind: NoticeInsert['kind'], audience: NoticeInsert['audience'], note: string | null = null, tier = 2): NoticeInsert => ({ wishId: 7, kind, audience, tier, note, createdAt: at });
  const user = (userId: number) => ({ type: 'user' as const, userId });

  it('approve: the submitter hears it was approved (and by when a claim is expected), the tier-1 claimers that it waits', () => {
    const open = wish({ id: 7, tier: 1, submitterId: 30, windowEndsAt: bj('2026-11-24T18:00') });
    expect(noticesFor('approve', open, null, at, { actorId: 2 })).toEqual([n('approved', user(30), '预计2026-11-24 18:00前有人认领', 1), n('escalated', { type: 'tier_claimers' }, null, 1)]);
  });
  it("escalate and mark_urgent: the new tier's claimers, and the submitter worded for a resident with the new expected time", () => {
    const up = wish({ id: 7, tier: 3, submitterId: 30, windowEndsAt: bj('2026-11-25T09:30') });
    for (const a of ['escalate', 'mark_urgent'] as const)
      expect(noticesFor(a, up, null, at)).toEqual([n('escalated', { type: 'tier_claimers' }, null, 3), n('transferred', user(30), '预计2026-11-25 09:30前有人认领', 3)]);
  });
  it('reject: the submitter, with the closure and the reason', () => {
    expect(noticesFor('reject', wish({ id: 7, tier: 2, submitterId: 30, closureCode: 'not_a_wish' }), null, at, { actorId: 2, reason: '属于物业报修' })).toEqual([n('rejected', user(30), '不属于微心愿：属于物业报修')]);
  });
  it('cancel: the submitter and the claimant it had, with the closure; not the person who cancelled', () => {
    const c = wish({ id: 7, tier: 2, submitterId: 30, claimantId: null, closureCode: 'duplicate' });
    expect(noticesFor('cancel', c, 5, at, { actorId: 2, reason: '与XY1重复' })).toEqual([n('cancelled', user(30), '重复心愿：与XY1重复'), n('cancelled', user(5), '重复心愿：与XY1重复')]);
    expect(noticesFor('cancel', wish({ id: 7, tier: 2, submitterId: 30, closureCode: 'withdrawn' }), null, at, { actorId: 30 })).toEqual([]);
  });
  it("release: the tier's claimers learn it waits again; expire_claim also tells the claimant who lost it", () => {
    expect(noticesFor('release', w, 5, at, { actorId: 5 })).toEqual([n('waiting', { type: 'tier_claimers' })]);
    expect(noticesFor('expire_claim', wish({ id: 7, tier: 2, submitterId: 30 }), 5, at)).toEqual([n('waiting', { type: 'tier_claimers' }), n('returned', user(5))]);
  });
  it('tells the submitter of a claim and of a completion', () => {
    expect(noticesFor('claim', w, null, at, { actorId: 5 })).toEqual([n('claimed', user(30))]);
    expect(noticesFor('complete', w, 5, at, { actorId: 5 })).toEqual([n('completed', user(30))]);
  });
  it("dispute: the claimant and its assignee, without the resident's words (erased with their account; read on the wish)", () => {
    expect(noticesFor('dispute', w, 5, at, { actorId: 30, reason: '灯还是不亮' })).toEqual([n('disputed', user(5)), n('disputed', user(6))]);
  });
  it('reminds the assignee and the claimant of an overdue claim, each once', () => {
    expect(noticesFor('overdue', w, 5, at)).toEqual([n('overdue', user(6)), n('overdue', user(5))]);
    expect(noticesFor('overdue', wish({ id: 7, tier: 2, assigneeId: 5 }), 5, at)).toEqual([n('overdue', user(5))]);
    expect(noticesFor('overdue', wish({ id: 7, tier: 2, assigneeId: null }), 5, at)).toEqual([n('overdue', user(5))]);
  });
  it('tells the district of a supervision flag', () => {
    expect(noticesFor('supervise', w, null, at)).toEqual([n('supervised', { type: 'district', districtId: 10 })]);
  });
  it('tells nobody of the other moves', () => {
    for (const a of ['submit', 'confirm', 'assign', 'auto_confirm'] as const) expect(noticesFor(a, w, 5, at)).toEqual([]);
  });
});
