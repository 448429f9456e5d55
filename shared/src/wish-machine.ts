// The wish lifecycle as data (DOMAIN.md, "A wish's life"). The server refuses any
// move not in TRANSITIONS; the mini-program shows only the moves listed here.
import type { Role, Tier } from './domain';
import { CLAIMERS_BY_TIER, COMMUNITY_STAFF_ROLES } from './domain';

export const WISH_STATES = [
  'pending_review',
  'open',
  'claimed',
  'awaiting_confirmation',
  'resolved',
  'rejected',
  'cancelled',
] as const;
export type WishState = (typeof WISH_STATES)[number];
export const TERMINAL_STATES: readonly WishState[] = ['resolved', 'rejected', 'cancelled'];
export const STATE_LABELS: Record<WishState, string> = {
  pending_review: '待审核',
  open: '待认领',
  claimed: '办理中',
  awaiting_confirmation: '待确认',
  resolved: '已办结',
  rejected: '未通过',
  cancelled: '已取消',
};
export function stateLabel(s: WishState): string {
  return STATE_LABELS[s];
}

export const WISH_ACTIONS = [
  'submit',
  'approve',
  'reject',
  'claim',
  'release',
  'complete',
  'confirm',
  'dispute',
  'cancel',
  'mark_urgent',
  'assign',
  'escalate',
  'supervise',
  'overdue',
  'expire_claim',
  'auto_confirm',
] as const;
export type WishAction = (typeof WISH_ACTIONS)[number];
export const ACTION_LABELS: Record<WishAction, string> = {
  submit: '提交心愿',
  approve: '审核通过',
  reject: '审核未通过',
  claim: '认领',
  release: '放弃认领',
  complete: '办理完成',
  confirm: '确认并评价',
  dispute: '有异议，退回办理',
  cancel: '取消',
  mark_urgent: '标记为紧急，直达马上办',
  assign: '指派办理人',
  escalate: '逾期未认领，升级',
  supervise: '逾期未认领，列入督办',
  overdue: '办理超时提醒',
  expire_claim: '办理超期，退回待认领',
  auto_confirm: '超时自动确认',
};

/**
 * In what capacity the actor stands to this wish. The server works these out
 * from the actor's role grants and the wish (scope included; see access.ts);
 * the table says which capacity may make which move.
 * - submitter: the person who submitted it (the resident, or staff filing for them)
 * - staff: community staff (community_admin, grid_worker) of the wish's community
 * - tier_claimer: may claim at the wish's current tier (CLAIMERS_BY_TIER, in scope)
 * - claimant: the wish's active claimant, still holding the role they claimed in
 * - assignee: the person a claimant handed the work to, still holding a role there
 * - system: the server's own timers
 */
export const CAPACITIES = ['submitter', 'staff', 'tier_claimer', 'claimant', 'assignee', 'system'] as const;
export type Capacity = (typeof CAPACITIES)[number];

/**
 * Four eyes: who may never make a move, whatever their capacity.
 * - submitter: the wish's submitter (nobody approves, publishes or claims their own wish)
 * - handler: the wish's claimant or assignee (nobody confirms or rates their own work)
 */
export const CONFLICTS = ['submitter', 'handler'] as const;
export type Conflict = (typeof CONFLICTS)[number];

export interface Transition {
  action: WishAction;
  /** null: the move creates the wish. */
  from: readonly WishState[] | null;
  to: WishState;
  /** Roles that may make the move (system moves list none). */
  roles: readonly Role[];
  capacity: Capacity;
  /** The move must carry a reason (shown to the resident / written in the ledger). */
  needsReason?: boolean;
  /** The actor must have consented to the current privacy notice. */
  needsConsent?: boolean;
  /** Refused to these people even when capacity and role fit (four eyes). */
  notBy?: readonly Conflict[];
}

/** Roles that claim at some tier. */
// concat, not Array.prototype.flat (ES2019): old WeChat base libraries lack it.
export const CLAIMER_ROLES = Array.from(new Set(([] as Role[]).concat(...Object.values(CLAIMERS_BY_TIER)))) as Role[];
/** Roles a claimant may hand the work to (each checked against the claim's organisation). */
export const ASSIGNEE_ROLES: readonly Role[] = ['member', 'grid_worker', 'community_admin', 'branch_secretary', 'unit_admin', 'street_handler'];
/** Who submits: a resident for themselves (or for someone who consented), community staff for a resident. */
const SUBMITTERS: readonly Role[] = ['resident', ...COMMUNITY_STAFF_ROLES];

export const TRANSITIONS: readonly Transition[] = [
  { action: 'submit', from: null, to: 'pending_review', roles: SUBMITTERS, capacity: 'submitter', needsConsent: true },
  { action: 'approve', from: ['pending_review'], to: 'open', roles: COMMUNITY_STAFF_ROLES, capacity: 'staff', notBy: ['submitter'] },
  { action: 'reject', from: ['pending_review'], to: 'rejected', roles: COMMUNITY_STAFF_ROLES, capacity: 'staff', needsReason: true, notBy: ['submitter'] },
  { action: 'claim', from: ['open'], to: 'claimed', roles: CLAIMER_ROLES, capacity: 'tier_claimer', needsConsent: true, notBy: ['submitter'] },
  { action: 'release', from: ['claimed'], to: 'open', roles: CLAIMER_ROLES, capacity: 'claimant' },
  // The committee takes a claim back (e.g. the member was deactivated); the wish returns to its tier's pool.
  { action: 'release', from: ['claimed'], to: 'open', roles: ['community_admin'], capacity: 'staff', needsReason: true },
  { action: 'complete', from: ['claimed'], to: 'awaiting_confirmation', roles: CLAIMER_ROLES, capacity: 'claimant' },
  { action: 'complete', from: ['claimed'], to: 'awaiting_confirmation', roles: ASSIGNEE_ROLES, capacity: 'assignee' },
  { action: 'confirm', from: ['awaiting_confirmation'], to: 'resolved', roles: SUBMITTERS, capacity: 'submitter', notBy: ['handler'] },
  { action: 'dispute', from: ['awaiting_confirmation'], to: 'claimed', roles: SUBMITTERS, capacity: 'submitter', needsReason: true, notBy: ['handler'] },
  { action: 'cancel', from: ['pending_review', 'open'], to: 'cancelled', roles: SUBMITTERS, capacity: 'submitter' },
  { action: 'cancel', from: ['pending_review', 'open', 'claimed'], to: 'cancelled', roles: ['community_admin'], capacity: 'staff', needsReason: true },
  { action: 'mark_urgent', from: ['pending_review', 'open'], to: 'open', roles: ['community_admin'], capacity: 'staff', needsReason: true, notBy: ['submitter'] },
  { action: 'assign', from: ['claimed'], to: 'claimed', roles: ['community_admin', 'branch_secretary', 'unit_admin', 'street_handler'], capacity: 'claimant' },
  { action: 'escalate', from: ['open'], to: 'open', roles: [], capacity: 'system' },
  { action: 'supervise', from: ['open'], to: 'open', roles: [], capacity: 'system' },
  { action: 'overdue', from: ['claimed'], to: 'claimed', roles: [], capacity: 'system' },
  { action: 'expire_claim', from: ['claimed'], to: 'open', roles: [], capacity: 'system' },
  { action: 'auto_confirm', from: ['awaiting_confirmation'], to: 'resolved', roles: [], capacity: 'system' },
];

/**
 * How the actor stands to a wish: each capacity with the role held in it.
 * A bare capacity (no role) matches any role the table lists — for tooling and
 * tests; the server always passes roles.
 */
export type Standing = readonly (Capacity | { capacity: Capacity; role: Role | 'system' })[];

/** What the four-eyes rules look at: is the actor the wish's submitter, its claimant or assignee. */
export interface StandingFacts {
  submitter: boolean;
  handler: boolean;
}

function allows(t: Transition, standing: Standing): boolean {
  return standing.some((s) =>
    typeof s === 'string' ? s === t.capacity : s.capacity === t.capacity && (t.capacity === 'system' || t.roles.includes(s.role as Role)),
  );
}

/** The four-eyes rule that refuses this move to this actor, if any. */
export function conflictOf(t: Transition, facts: StandingFacts | undefined): Conflict | null {
  if (!facts || !t.notBy) return null;
  return t.notBy.find((c) => facts[c]) ?? null;
}

/** The move the table allows for this action, from this state, for this standing (four eyes aside: see conflictOf). */
export function findTransition(action: WishAction, from: WishState | null, standing: Standing): Transition | undefined {
  return TRANSITIONS.find((t) => t.action === action && (from === null ? t.from === null : t.from !== null && t.from.includes(from)) && allows(t, standing));
}

/** Every action the table allows from this state for this standing, four eyes included when facts are given (what a UI may offer). */
export function availableActions(from: WishState, standing: Standing, facts?: StandingFacts): WishAction[] {
  const out: WishAction[] = [];
  for (const t of TRANSITIONS) {
    if (t.from && t.from.includes(from) && t.capacity !== 'system' && allows(t, standing) && !conflictOf(t, facts) && !out.includes(t.action)) out.push(t.action);
  }
  return out;
}

/**
 * Of the actions offered, those this reader must give a reason for: the move the server will
 * make is the first row of TRANSITIONS that fits (findTransition), and its needsReason decides.
 * The same action may need one from one person and not from another (a claimant releasing
 * their own claim gives none; the committee taking a claim back must say why).
 */
export function reasonRequiredActions(actions: readonly WishAction[], from: WishState, standing: Standing): WishAction[] {
  return actions.filter((a) => findTransition(a, from, standing)?.needsReason === true);
}

export function isTerminal(s: WishState): boolean {
  return TERMINAL_STATES.includes(s);
}

export function canClaimAtTier(tier: Tier, roles: readonly Role[]): boolean {
  return CLAIMERS_BY_TIER[tier].some((r) => roles.includes(r));
}
