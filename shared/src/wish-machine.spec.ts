// The transitions table against cases written by hand from DOMAIN.md, "A wish's life" (the diagram) and
// "Who sees and does what" (who may do what), plus "Funds" for four eyes ("Nobody approves a wish they
// submitted") and the role table's "never their own" / "never on a wish they handled". Nothing here derives
// an expectation from TRANSITIONS: each case says, for one actor standing to a wish in one capacity with one
// role, whether the move is allowed, where it goes, whether it needs a reason or the privacy consent, and
// which four-eyes rule refuses it.
import { CAPACITIES, WISH_ACTIONS, conflictOf, findTransition, availableActions, reasonRequiredActions, type Capacity, type WishAction, type WishState } from './wish-machine';
import { ROLES, type Role } from './domain';

type Actor = { capacity: Capacity; role: Role | 'system' };
const as = (capacity: Capacity, role: Role | 'system'): Actor => ({ capacity, role });

/** What the table must answer; `null` = refused (not in the table for this actor). */
interface Allowed {
  to: WishState;
  /** Must carry a reason. */
  reason?: true;
  /** Needs the actor's consent to the privacy notice. */
  consent?: true;
  /** The four-eyes rule that refuses it: to its submitter, or to its handler (claimant / assignee). */
  notBy?: 'submitter' | 'handler';
}
type Case = [action: WishAction, from: WishState | null, who: Actor, expected: Allowed | null];

const SUBMITTER_ONLY = { submitter: true, handler: false };
const HANDLER_ONLY = { submitter: false, handler: true };

const CASES: Case[] = [
  // ---- submit: a resident for themselves, community staff for a resident (on behalf); consent recorded ----
  ['submit', null, as('submitter', 'resident'), { to: 'pending_review', consent: true }],
  ['submit', null, as('submitter', 'grid_worker'), { to: 'pending_review', consent: true }],
  ['submit', null, as('submitter', 'community_admin'), { to: 'pending_review', consent: true }],
  ['submit', null, as('submitter', 'street_handler'), null],
  ['submit', null, as('staff', 'grid_worker'), null],
  ['submit', 'pending_review', as('submitter', 'resident'), null],

  // ---- review: staff approve or reject others' submissions, never their own ----
  ['approve', 'pending_review', as('staff', 'grid_worker'), { to: 'open', notBy: 'submitter' }],
  ['approve', 'pending_review', as('staff', 'community_admin'), { to: 'open', notBy: 'submitter' }],
  ['approve', 'pending_review', as('staff', 'member'), null],
  ['approve', 'pending_review', as('submitter', 'resident'), null],
  ['approve', 'pending_review', as('tier_claimer', 'community_admin'), null],
  ['approve', 'open', as('staff', 'community_admin'), null],
  ['reject', 'pending_review', as('staff', 'grid_worker'), { to: 'rejected', reason: true, notBy: 'submitter' }],
  ['reject', 'pending_review', as('staff', 'community_admin'), { to: 'rejected', reason: true, notBy: 'submitter' }],
  ['reject', 'pending_review', as('submitter', 'resident'), null],
  ['reject', 'open', as('staff', 'community_admin'), null],

  // ---- claim: each tier's claimers, from the pool only, never one's own wish; sees contact details, so consent ----
  ['claim', 'open', as('tier_claimer', 'member'), { to: 'claimed', consent: true, notBy: 'submitter' }],
  ['claim', 'open', as('tier_claimer', 'community_admin'), { to: 'claimed', consent: true, notBy: 'submitter' }],
  ['claim', 'open', as('tier_claimer', 'branch_secretary'), { to: 'claimed', consent: true, notBy: 'submitter' }],
  ['claim', 'open', as('tier_claimer', 'unit_admin'), { to: 'claimed', consent: true, notBy: 'submitter' }],
  ['claim', 'open', as('tier_claimer', 'street_handler'), { to: 'claimed', consent: true, notBy: 'submitter' }],
  ['claim', 'open', as('tier_claimer', 'grid_worker'), null],
  ['claim', 'open', as('tier_claimer', 'resident'), null],
  ['claim', 'open', as('tier_claimer', 'city_admin'), null],
  ['claim', 'open', as('staff', 'community_admin'), null],
  ['claim', 'pending_review', as('tier_claimer', 'member'), null],
  ['claim', 'claimed', as('tier_claimer', 'member'), null],

  // ---- release: the claimant gives it back (no reason needed); the committee takes it back with a reason ----
  ['release', 'claimed', as('claimant', 'member'), { to: 'open' }],
  ['release', 'claimed', as('claimant', 'community_admin'), { to: 'open' }],
  ['release', 'claimed', as('claimant', 'branch_secretary'), { to: 'open' }],
  ['release', 'claimed', as('claimant', 'unit_admin'), { to: 'open' }],
  ['release', 'claimed', as('claimant', 'street_handler'), { to: 'open' }],
  ['release', 'claimed', as('staff', 'community_admin'), { to: 'open', reason: true }],
  ['release', 'claimed', as('staff', 'grid_worker'), null],
  ['release', 'claimed', as('assignee', 'member'), null],
  ['release', 'claimed', as('submitter', 'resident'), null],
  ['release', 'open', as('claimant', 'member'), null],
  ['release', 'awaiting_confirmation', as('claimant', 'member'), null],
  ['release', 'awaiting_confirmation', as('staff', 'community_admin'), null],

  // ---- complete: the claimant, or the person the claim was assigned to ----
  ['complete', 'claimed', as('claimant', 'member'), { to: 'awaiting_confirmation' }],
  ['complete', 'claimed', as('claimant', 'community_admin'), { to: 'awaiting_confirmation' }],
  ['complete', 'claimed', as('claimant', 'branch_secretary'), { to: 'awaiting_confirmation' }],
  ['complete', 'claimed', as('claimant', 'unit_admin'), { to: 'awaiting_confirmation' }],
  ['complete', 'claimed', as('claimant', 'street_handler'), { to: 'awaiting_confirmation' }],
  ['complete', 'claimed', as('assignee', 'member'), { to: 'awaiting_confirmation' }],
  ['complete', 'claimed', as('assignee', 'grid_worker'), { to: 'awaiting_confirmation' }],
  ['complete', 'claimed', as('assignee', 'community_admin'), { to: 'awaiting_confirmation' }],
  ['complete', 'claimed', as('assignee', 'branch_secretary'), { to: 'awaiting_confirmation' }],
  ['complete', 'claimed', as('assignee', 'unit_admin'), { to: 'awaiting_confirmation' }],
  ['complete', 'claimed', as('assignee', 'street_handler'), { to: 'awaiting_confirmation' }],
  ['complete', 'claimed', as('assignee', 'resident'), null],
  ['complete', 'claimed', as('staff', 'community_admin'), null],
  ['complete', 'open', as('claimant', 'member'), null],
  ['complete', 'awaiting_confirmation', as('claimant', 'member'), null],

  // ---- confirm / dispute: the submitter (a grid worker on the resident's behalf), never the wish's handler ----
  ['confirm', 'awaiting_confirmation', as('submitter', 'resident'), { to: 'resolved', notBy: 'handler' }],
  ['confirm', 'awaiting_confirmation', as('submitter', 'grid_worker'), { to: 'resolved', notBy: 'handler' }],
  ['confirm', 'awaiting_confirmation', as('submitter', 'community_admin'), { to: 'resolved', notBy: 'handler' }],
  ['confirm', 'awaiting_confirmation', as('staff', 'grid_worker'), null],
  ['confirm', 'awaiting_confirmation', as('claimant', 'member'), null],
  ['confirm', 'claimed', as('submitter', 'resident'), null],
  ['dispute', 'awaiting_confirmation', as('submitter', 'resident'), { to: 'claimed', reason: true, notBy: 'handler' }],
  ['dispute', 'awaiting_confirmation', as('submitter', 'grid_worker'), { to: 'claimed', reason: true, notBy: 'handler' }],
  ['dispute', 'awaiting_confirmation', as('submitter', 'community_admin'), { to: 'claimed', reason: true, notBy: 'handler' }],
  ['dispute', 'awaiting_confirmation', as('staff', 'community_admin'), null],
  ['dispute', 'resolved', as('submitter', 'resident'), null],

  // ---- cancel: the resident before a claim (no reason); the committee also after, with a code and reason ----
  ['cancel', 'pending_review', as('submitter', 'resident'), { to: 'cancelled' }],
  ['cancel', 'open', as('submitter', 'resident'), { to: 'cancelled' }],
  ['cancel', 'open', as('submitter', 'grid_worker'), { to: 'cancelled' }],
  ['cancel', 'open', as('submitter', 'community_admin'), { to: 'cancelled' }],
  ['cancel', 'claimed', as('submitter', 'resident'), null],
  ['cancel', 'awaiting_confirmation', as('submitter', 'resident'), null],
  ['cancel', 'pending_review', as('staff', 'community_admin'), { to: 'cancelled', reason: true }],
  ['cancel', 'open', as('staff', 'community_admin'), { to: 'cancelled', reason: true }],
  ['cancel', 'claimed', as('staff', 'community_admin'), { to: 'cancelled', reason: true }],
  ['cancel', 'awaiting_confirmation', as('staff', 'community_admin'), null],
  ['cancel', 'open', as('staff', 'grid_worker'), null],
  ['cancel', 'claimed', as('claimant', 'member'), null],
  ['cancel', 'open', as('tier_claimer', 'street_handler'), null],

  // ---- urgent: the committee, with a reason, before a claim; it publishes, so never on its own submission ----
  ['mark_urgent', 'pending_review', as('staff', 'community_admin'), { to: 'open', reason: true, notBy: 'submitter' }],
  ['mark_urgent', 'open', as('staff', 'community_admin'), { to: 'open', reason: true, notBy: 'submitter' }],
  ['mark_urgent', 'claimed', as('staff', 'community_admin'), null],
  ['mark_urgent', 'open', as('staff', 'grid_worker'), null],
  ['mark_urgent', 'open', as('submitter', 'resident'), null],

  // ---- assign: an organisation that claimed (committee, branch, unit, street desk), not a member ----
  ['assign', 'claimed', as('claimant', 'community_admin'), { to: 'claimed' }],
  ['assign', 'claimed', as('claimant', 'branch_secretary'), { to: 'claimed' }],
  ['assign', 'claimed', as('claimant', 'unit_admin'), { to: 'claimed' }],
  ['assign', 'claimed', as('claimant', 'street_handler'), { to: 'claimed' }],
  ['assign', 'claimed', as('claimant', 'member'), null],
  ['assign', 'claimed', as('staff', 'community_admin'), null],
  ['assign', 'claimed', as('assignee', 'community_admin'), null],
  ['assign', 'open', as('claimant', 'community_admin'), null],

  // ---- the system's timers (the diagram's escalate / stale / 7 days silent; "The four tiers") ----
  ['escalate', 'open', as('system', 'system'), { to: 'open' }],
  ['supervise', 'open', as('system', 'system'), { to: 'open' }],
  ['overdue', 'claimed', as('system', 'system'), { to: 'claimed' }],
  ['expire_claim', 'claimed', as('system', 'system'), { to: 'open' }],
  ['auto_confirm', 'awaiting_confirmation', as('system', 'system'), { to: 'resolved' }],
  ['escalate', 'claimed', as('system', 'system'), null],
  ['escalate', 'pending_review', as('system', 'system'), null],
  ['supervise', 'claimed', as('system', 'system'), null],
  ['overdue', 'open', as('system', 'system'), null],
  ['overdue', 'awaiting_confirmation', as('system', 'system'), null],
  ['expire_claim', 'open', as('system', 'system'), null],
  ['expire_claim', 'awaiting_confirmation', as('system', 'system'), null],
  ['auto_confirm', 'claimed', as('system', 'system'), null],
  ['auto_confirm', 'open', as('system', 'system'), null],
  // No person's move is a system move.
  ['approve', 'pending_review', as('system', 'system'), null],
  ['claim', 'open', as('system', 'system'), null],
  ['release', 'claimed', as('system', 'system'), null],
  ['confirm', 'awaiting_confirmation', as('system', 'system'), null],
  ['cancel', 'open', as('system', 'system'), null],
];

/**
 * Who may make each move, from which states (DOMAIN.md): every (action, capacity) pair not listed is
 * refused to everyone. Submitters: a resident for themselves, or community staff (grid worker, committee)
 * on a resident's behalf. Claimers: the four tiers' (member; committee and branch; unit; street desk).
 */
const SUBMITTER_ROLES: Role[] = ['resident', 'grid_worker', 'community_admin'];
const CLAIMERS: Role[] = ['member', 'community_admin', 'branch_secretary', 'unit_admin', 'street_handler'];
const WHO: Record<string, { from: (WishState | null)[]; roles: Role[] }> = {
  'submit/submitter': { from: [null], roles: SUBMITTER_ROLES },
  'approve/staff': { from: ['pending_review'], roles: ['grid_worker', 'community_admin'] },
  'reject/staff': { from: ['pending_review'], roles: ['grid_worker', 'community_admin'] },
  'claim/tier_claimer': { from: ['open'], roles: CLAIMERS },
  'release/claimant': { from: ['claimed'], roles: CLAIMERS },
  'release/staff': { from: ['claimed'], roles: ['community_admin'] },
  'complete/claimant': { from: ['claimed'], roles: CLAIMERS },
  'complete/assignee': { from: ['claimed'], roles: ['member', 'grid_worker', 'community_admin', 'branch_secretary', 'unit_admin', 'street_handler'] },
  'confirm/submitter': { from: ['awaiting_confirmation'], roles: SUBMITTER_ROLES },
  'dispute/submitter': { from: ['awaiting_confirmation'], roles: SUBMITTER_ROLES },
  'cancel/submitter': { from: ['pending_review', 'open'], roles: SUBMITTER_ROLES },
  'cancel/staff': { from: ['pending_review', 'open', 'claimed'], roles: ['community_admin'] },
  'mark_urgent/staff': { from: ['pending_review', 'open'], roles: ['community_admin'] },
  'assign/claimant': { from: ['claimed'], roles: ['community_admin', 'branch_secretary', 'unit_admin', 'street_handler'] },
  'escalate/system': { from: ['open'], roles: [] },
  'supervise/system': { from: ['open'], roles: [] },
  'overdue/system': { from: ['claimed'], roles: [] },
  'expire_claim/system': { from: ['claimed'], roles: [] },
  'auto_confirm/system': { from: ['awaiting_confirmation'], roles: [] },
};

const label = ([action, from, who]: Case) => `${action} from ${from ?? '(new)'} by ${who.capacity} as ${who.role}`;

describe('wish transitions table, case by case (DOMAIN.md)', () => {
  it.each(CASES.map((c) => [label(c), c] as const))('%s', (_, [action, from, who, expected]) => {
    const t = findTransition(action, from, [who]);
    if (expected === null) {
      expect(t).toBeUndefined();
      return;
    }
    expect(t).toBeDefined();
    expect({
      to: t!.to,
      reason: !!t!.needsReason,
      consent: !!t!.needsConsent,
      // Which of the two four-eyes rules refuse this move (each tried alone).
      notBy: [conflictOf(t!, SUBMITTER_ONLY), conflictOf(t!, HANDLER_ONLY)].filter((c) => c !== null),
    }).toEqual({ to: expected.to, reason: !!expected.reason, consent: !!expected.consent, notBy: expected.notBy ? [expected.notBy] : [] });
    // A four-eyes rule never refuses an actor who is neither submitter nor handler.
    expect(conflictOf(t!, { submitter: false, handler: false })).toBeNull();
  });

  it('allows each move from exactly the states, and to exactly the roles, that DOMAIN names, and nothing else to anyone', () => {
    const wrong: string[] = [];
    for (const action of WISH_ACTIONS) {
      for (const capacity of CAPACITIES) {
        const hand = WHO[`${action}/${capacity}`];
        for (const from of [null, 'pending_review', 'open', 'claimed', 'awaiting_confirmation'] as const) {
          for (const role of capacity === 'system' ? (['system'] as const) : ROLES) {
            const expected = !!hand && hand.from.includes(from) && (capacity === 'system' || hand.roles.includes(role as Role));
            if (!!findTransition(action, from, [as(capacity, role)]) !== expected) wrong.push(`${action} from ${from} by ${capacity} as ${role}: expected ${expected ? 'allowed' : 'refused'}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('gives the system’s moves to nobody: they name no role', () => {
    for (const a of ['escalate', 'supervise', 'overdue', 'expire_claim', 'auto_confirm'] as const) expect(findTransition(a, a === 'auto_confirm' ? 'awaiting_confirmation' : a === 'overdue' || a === 'expire_claim' ? 'claimed' : 'open', ['system'])?.roles).toEqual([]);
  });

  it('keeps resolved, rejected and cancelled final: no move of anyone, in any capacity', () => {
    for (const s of ['resolved', 'rejected', 'cancelled'] as const) {
      for (const a of WISH_ACTIONS) expect(findTransition(a, s, CAPACITIES)).toBeUndefined();
      expect(availableActions(s, CAPACITIES)).toEqual([]);
    }
  });

  it('never lets a person make a system move, whatever the capacity', () => {
    const people = CAPACITIES.filter((c) => c !== 'system');
    for (const a of ['escalate', 'supervise', 'overdue', 'expire_claim', 'auto_confirm'] as const) {
      for (const s of ['pending_review', 'open', 'claimed', 'awaiting_confirmation'] as const) expect(findTransition(a, s, people)).toBeUndefined();
    }
  });

  it('matches a bare capacity (tooling) to any role the table lists', () => {
    expect(findTransition('approve', 'pending_review', ['staff'])?.to).toBe('open');
    expect(findTransition('submit', null, ['submitter'])?.to).toBe('pending_review');
    expect(findTransition('submit', 'open', ['submitter'])).toBeUndefined();
    expect(findTransition('claim', 'open', ['staff', 'submitter'])).toBeUndefined();
  });

  it('reports no four-eyes conflict without facts, or for a move that has no such rule', () => {
    expect(conflictOf(findTransition('approve', 'pending_review', [as('staff', 'grid_worker')])!, undefined)).toBeNull();
    expect(conflictOf(findTransition('complete', 'claimed', [as('claimant', 'member')])!, { submitter: true, handler: true })).toBeNull();
    // Both facts true: the table's rule is the answer.
    expect(conflictOf(findTransition('confirm', 'awaiting_confirmation', [as('submitter', 'resident')])!, { submitter: true, handler: true })).toBe('handler');
  });
});

describe('the moves a UI may offer (availableActions), per DOMAIN.md "Who sees and does what"', () => {
  const sorted = (xs: string[]) => [...xs].sort();
  const nobody = { submitter: false, handler: false };

  it('a resident: cancel before a claim; confirm or dispute when asked; nothing while it is handled or after', () => {
    const me = [as('submitter', 'resident')];
    expect(availableActions('pending_review', me, SUBMITTER_ONLY)).toEqual(['cancel']);
    expect(availableActions('open', me, SUBMITTER_ONLY)).toEqual(['cancel']);
    expect(availableActions('claimed', me, SUBMITTER_ONLY)).toEqual([]);
    expect(sorted(availableActions('awaiting_confirmation', me, SUBMITTER_ONLY))).toEqual(['confirm', 'dispute']);
    expect(availableActions('resolved', me, SUBMITTER_ONLY)).toEqual([]);
  });

  it('a member: claim at tier 1 (never their own wish); release or complete their claim; complete what they were assigned', () => {
    expect(availableActions('open', [as('tier_claimer', 'member')], nobody)).toEqual(['claim']);
    expect(availableActions('open', [as('tier_claimer', 'member'), as('submitter', 'resident')], SUBMITTER_ONLY)).toEqual(['cancel']);
    expect(sorted(availableActions('claimed', [as('claimant', 'member')], HANDLER_ONLY))).toEqual(['complete', 'release']);
    expect(availableActions('claimed', [as('assignee', 'member')], HANDLER_ONLY)).toEqual(['complete']);
    expect(availableActions('awaiting_confirmation', [as('claimant', 'member')], HANDLER_ONLY)).toEqual([]);
  });

  it('a grid worker: approve or reject others’ submissions only; cancel, confirm or dispute what they filed, never on a wish they handled', () => {
    const grid = [as('staff', 'grid_worker')];
    expect(sorted(availableActions('pending_review', grid, nobody))).toEqual(['approve', 'reject']);
    expect(availableActions('open', grid, nobody)).toEqual([]);
    expect(availableActions('claimed', grid, nobody)).toEqual([]);
    const filed = [as('staff', 'grid_worker'), as('submitter', 'grid_worker')];
    expect(availableActions('pending_review', filed, SUBMITTER_ONLY)).toEqual(['cancel']);
    expect(sorted(availableActions('awaiting_confirmation', filed, SUBMITTER_ONLY))).toEqual(['confirm', 'dispute']);
    // Filed it and was assigned the work: may record no confirmation.
    expect(availableActions('awaiting_confirmation', [...filed, as('assignee', 'grid_worker')], { submitter: true, handler: true })).toEqual([]);
  });

  it('the community committee: review, urgent, cancel; claim tier 2, assign, complete; take a claim back', () => {
    const admin = [as('staff', 'community_admin')];
    expect(sorted(availableActions('pending_review', admin, nobody))).toEqual(['approve', 'cancel', 'mark_urgent', 'reject']);
    expect(sorted(availableActions('open', [...admin, as('tier_claimer', 'community_admin')], nobody))).toEqual(['cancel', 'claim', 'mark_urgent']);
    expect(sorted(availableActions('claimed', admin, nobody))).toEqual(['cancel', 'release']);
    expect(sorted(availableActions('claimed', [...admin, as('claimant', 'community_admin')], HANDLER_ONLY))).toEqual(['assign', 'cancel', 'complete', 'release']);
    expect(availableActions('awaiting_confirmation', admin, nobody)).toEqual([]);
    // Its own submission: neither published nor marked urgent by itself.
    expect(sorted(availableActions('pending_review', [...admin, as('submitter', 'community_admin')], SUBMITTER_ONLY))).toEqual(['cancel']);
  });

  it('a paired unit and the street desk: claim their tier, assign, complete, release', () => {
    for (const role of ['unit_admin', 'street_handler', 'branch_secretary'] as const) {
      expect(availableActions('open', [as('tier_claimer', role)], nobody)).toEqual(['claim']);
      expect(sorted(availableActions('claimed', [as('claimant', role)], HANDLER_ONLY))).toEqual(['assign', 'complete', 'release']);
    }
  });

  it('a city admin has no move; the system’s moves are never offered', () => {
    expect(availableActions('open', [as('tier_claimer', 'city_admin'), as('staff', 'city_admin')], nobody)).toEqual([]);
    for (const s of ['open', 'claimed', 'awaiting_confirmation'] as const) expect(availableActions(s, [as('system', 'system')])).toEqual([]);
  });
});

// Which offered moves must carry a reason, for the person offered them. From DOMAIN.md: a rejection
// and the committee's cancellation carry a closure reason the resident is shown; a dispute says what
// is not done; an urgent mark says why; the committee taking a claim back says why (the claimant is
// told). A resident withdrawing their own wish, or a claimant giving up their own claim, need none.
describe('the moves that need a reason from this reader (reasonRequiredActions)', () => {
  const nobody = { submitter: false, handler: false };
  const offered = (from: WishState, standing: Actor[], facts = nobody) => reasonRequiredActions(availableActions(from, standing, facts), from, standing).sort();

  it('the committee: reject, cancel, mark urgent and taking a claim back all need one', () => {
    const admin = [as('staff', 'community_admin')];
    expect(offered('pending_review', admin)).toEqual(['cancel', 'mark_urgent', 'reject']);
    expect(offered('claimed', admin)).toEqual(['cancel', 'release']);
  });

  it('a claimant giving up their own claim needs none, even when they sit on the committee', () => {
    expect(offered('claimed', [as('claimant', 'member')], HANDLER_ONLY)).toEqual([]);
    expect(offered('claimed', [as('staff', 'community_admin'), as('claimant', 'community_admin')], HANDLER_ONLY)).toEqual(['cancel']);
  });

  it('a resident: withdrawing needs none; a dispute needs one', () => {
    const me = [as('submitter', 'resident')];
    expect(offered('open', me, SUBMITTER_ONLY)).toEqual([]);
    expect(offered('awaiting_confirmation', me, SUBMITTER_ONLY)).toEqual(['dispute']);
  });

  it('the committee withdrawing its own filing (submitter first) needs none', () => {
    expect(offered('pending_review', [as('staff', 'community_admin'), as('submitter', 'community_admin')], SUBMITTER_ONLY)).toEqual([]);
  });
});
