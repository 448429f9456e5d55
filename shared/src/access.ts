// Who sees and does what (DOMAIN.md, "Who sees and does what"), as data: the
// rule book a reviewer reads in one screen. The server's access policy
// (server/src/access/) evaluates these tables and the transitions table
// (wish-machine.ts) and nothing else; the mini-program shows what the server
// derives from them (GET /me → abilities, WishDetail.actions).
//
// A grant's scope is its organisation and everything under it. A grant counts
// only while it is not revoked, its organisation exists and is not deactivated,
// and the organisation is of the kind its role is held at (GRANT_AT).
import type { OrgKind, Role } from './domain';

/** The organisation kind each role is granted at. A resident grant names nothing: anyone is a resident for themselves. */
export const GRANT_AT: Record<Role, readonly OrgKind[]> = {
  resident: [],
  member: ['community'],
  grid_worker: ['community'],
  community_admin: ['community'],
  branch_secretary: ['compound'],
  unit_admin: ['unit'],
  street_handler: ['street'],
  city_admin: ['district', 'city'],
};

// ---- reading wishes ----

/**
 * How a reader sees a wish. A reader holding several rows sees every field any
 * of their classes sees (WISH_FIELDS).
 * - owner: the submitter
 * - staff: the community's committee; a grid worker for what they filed, were assigned or review
 * - handler: the active claimant or assignee (or their organisation's desk), still holding the role
 * - past_handler: the same once the claim has ended, or the role was lost (deactivated)
 * - claimer: browsing the pool of a tier to claim from it (the wall, the tier-2 and tier-3 queues)
 * - oversight: the street, the district, the city
 */
export const READER_CLASSES = ['owner', 'staff', 'handler', 'past_handler', 'claimer', 'oversight'] as const;
export type ReaderClass = (typeof READER_CLASSES)[number];

/** The conditions a reader can stand in to a wish; each is written once as a test and once as SQL (server/src/access/relations.ts). */
export const WISH_RELATIONS = [
  'own_submission', // w.submitter = me
  'own_claim', // w.claimant = me or w.assignee = me (any state)
  'wall', // w in a community where I am a member, open, not sensitive
  'review_queue', // w in my community, pending review
  'community', // w in my community
  'compound_queue', // w in my compound, open at tier 2
  'unit_queue', // w open at tier 3 in a community paired with my unit today (Beijing date, end date inclusive)
  'org_claim', // w claimed (now or in the end) by my compound's branch / my unit / my street desk, in that role
  'street', // w in my street
  'district', // w in my district; a grant at the city reaches each of its districts
] as const;
export type WishRelation = (typeof WISH_RELATIONS)[number];

export interface WishReadRule {
  relation: WishRelation;
  /** 'anyone': every signed-in person for themselves; a role: held at a scope that covers the wish. */
  role: Role | 'anyone';
  /** handler: while the claim is active (claimed, awaiting confirmation) and the role is still held; past_handler after. */
  as: ReaderClass;
  /** The row is part of the role's ledger (台账): organisational, not personal. */
  ledger: boolean;
  /** Every wish of this row is also in this relation's row for the same role, so a list may leave it out of its OR (it still sets the class). */
  within?: WishRelation;
}

/** A wish is readable when any row holds. Anything else answers 404. */
export const WISH_READS: readonly WishReadRule[] = [
  { relation: 'own_submission', role: 'anyone', as: 'owner', ledger: false },
  { relation: 'own_claim', role: 'anyone', as: 'handler', ledger: false },
  { relation: 'own_claim', role: 'grid_worker', as: 'staff', ledger: false },
  { relation: 'wall', role: 'member', as: 'claimer', ledger: false },
  { relation: 'review_queue', role: 'grid_worker', as: 'staff', ledger: false },
  { relation: 'community', role: 'community_admin', as: 'staff', ledger: true },
  { relation: 'compound_queue', role: 'branch_secretary', as: 'claimer', ledger: true },
  { relation: 'org_claim', role: 'branch_secretary', as: 'handler', ledger: true },
  { relation: 'unit_queue', role: 'unit_admin', as: 'claimer', ledger: true },
  { relation: 'org_claim', role: 'unit_admin', as: 'handler', ledger: true },
  { relation: 'street', role: 'street_handler', as: 'oversight', ledger: true },
  { relation: 'org_claim', role: 'street_handler', as: 'handler', ledger: true, within: 'street' },
  { relation: 'district', role: 'city_admin', as: 'oversight', ledger: true },
];

export const WISH_FIELDS_LIST = ['contact', 'description', 'proof', 'rating', 'people', 'claimantName', 'contentCheck'] as const;
export type WishField = (typeof WISH_FIELDS_LIST)[number];

/**
 * Which classes see each part of a wish; the others see it masked or not at all.
 * - contact: the beneficiary's name, phone and address in full (others: 张*, 138****1234, compound and building)
 * - description: the description and photos of a sensitive category (health, hardship); others see the title only.
 *   Non-sensitive descriptions and photos are read by every reader.
 * - proof: the claimant's note and photos (for a sensitive wish, only where `description` is seen)
 * - rating: the rating and its comment
 * - people: names in the timeline (others see a role and an organisation)
 * - claimantName: the claimant's and assignee's names (others see them masked; the person always sees their own)
 * - contentCheck: WeChat's verdict on the text, for reviewers
 */
export const WISH_FIELDS: Record<WishField, readonly ReaderClass[]> = {
  contact: ['owner', 'staff', 'handler'],
  description: ['owner', 'staff', 'handler'],
  proof: ['owner', 'staff', 'handler', 'past_handler', 'oversight'],
  rating: ['owner', 'staff', 'handler', 'past_handler', 'oversight'],
  people: ['owner', 'staff'],
  claimantName: ['owner', 'staff'],
  contentCheck: ['staff'],
};

// ---- doing things other than moving a wish (moves: TRANSITIONS in wish-machine.ts) ----

export const ABILITIES = [
  'submit',
  'submit_on_behalf',
  'wall',
  'review_queue',
  'registrations',
  'ledger',
  'export',
  'rates',
  'funds',
  'red_list',
  'spend_community',
  'spend_street',
  'budget',
  'dispatch_policy',
  'access_log',
  'reports',
  'unit_desk',
  'street_desk',
  'office_phone',
] as const;
export type Ability = (typeof ABILITIES)[number];

export interface AbilityRule {
  /** 'anyone': every signed-in person. */
  roles: readonly Role[] | 'anyone';
  /** The grant must sit at one of these kinds (default: any kind the role is granted at); it reaches its organisation and everything under it. */
  at?: readonly OrgKind[];
  /** Refused to anyone holding one of these roles. */
  except?: readonly Role[];
  /** What it covers, in words (the README's table is made from these). */
  what: string;
}

/**
 * Organisational desks (a unit, the street, the city or a district) are accounts of the
 * organisation, not of a resident: they do not file wishes. Their holders do so as residents
 * from their own accounts.
 */
export const DESK_ROLES: readonly Role[] = ['unit_admin', 'street_handler', 'city_admin'];

export const ABILITY_RULES: Record<Ability, AbilityRule> = {
  submit: { roles: 'anyone', except: DESK_ROLES, what: 'submit a wish for oneself, or for someone whose consent is recorded' },
  submit_on_behalf: { roles: ['community_admin', 'grid_worker'], what: "file a wish for a resident of one's community (consent method recorded, phone optional)" },
  wall: { roles: ['member', 'community_admin'], what: "the community's open, non-sensitive wishes, masked" },
  review_queue: { roles: ['community_admin', 'grid_worker'], what: "the community's wishes waiting for review" },
  registrations: { roles: ['community_admin'], what: "member registrations of one's community (real names, phones): list, verify, refuse, deactivate" },
  ledger: { roles: ['community_admin', 'branch_secretary', 'unit_admin', 'street_handler', 'city_admin'], what: 'the ledger: the wishes of the ledger rows of WISH_READS' },
  export: { roles: ['community_admin', 'city_admin'], what: 'download the ledger (CSV, xlsx); names masked for the city' },
  rates: { roles: ['community_admin', 'street_handler', 'city_admin'], what: 'rates, ranking and dashboard of an organisation wholly inside the grant' },
  funds: { roles: ['community_admin', 'street_handler', 'city_admin'], what: "service funds and spends of the communities under the grant (the street: to decide spends above the budget)" },
  red_list: { roles: ['street_handler', 'city_admin'], what: 'the supervision list (督办) under the grant' },
  spend_community: { roles: ['community_admin'], what: "approve or refuse a cost a claimant reported (not one's own, not on a wish one submitted)" },
  spend_street: { roles: ['street_handler'], what: 'approve or refuse a spend above the remaining budget (not on a wish one submitted)' },
  budget: { roles: ['city_admin'], at: ['city'], what: "set a community's yearly budget" },
  dispatch_policy: { roles: ['city_admin'], at: ['city'], what: 'claim and fulfilment windows, the working calendar' },
  access_log: { roles: ['city_admin'], what: 'search the log of who read personal information, under the grant' },
  // Reports and complaints (shared/src/reports.ts): the community committee's desk, and the street and
  // district/city above it (a complaint about a committee must reach someone above it). Filing one is
  // anyone's: a report about what one can read (WISH_READS), a complaint to a community.
  reports: { roles: ['community_admin', 'street_handler', 'city_admin'], what: 'reports and complaints of the communities under the grant: list, handle with a reply (not one\'s own)' },
  // The desks of paired units and of the street (DESK_QUEUES): what waits at their tier, what they handled.
  unit_desk: { roles: ['unit_admin'], what: 'the unit desk: tier-3 wishes of communities paired with the unit today, and the wishes the unit handled' },
  street_desk: { roles: ['street_handler'], what: "the street desk: the street's open tier-4 wishes, the wishes the street desk handled, and the red list" },
  office_phone: { roles: ['community_admin'], what: "set the community's office phone (residents call it from their wish: 联系社区)" },
};

// ---- handing a claim to someone (assign) ----

export type AssigningRole = 'community_admin' | 'branch_secretary' | 'unit_admin' | 'street_handler';

/**
 * Who a claimant may hand the work to: the people of the claim's organisation. `at`: the
 * assignee's grant sits at the wish's community, or at the organisation the claim was made for.
 */
export const ASSIGNABLE: Record<AssigningRole, readonly { role: Role; at: 'community' | 'claim_org' }[]> = {
  community_admin: [
    { role: 'member', at: 'community' },
    { role: 'grid_worker', at: 'community' },
    { role: 'community_admin', at: 'community' },
  ],
  branch_secretary: [
    { role: 'member', at: 'community' },
    { role: 'branch_secretary', at: 'claim_org' },
  ],
  unit_admin: [{ role: 'unit_admin', at: 'claim_org' }],
  street_handler: [{ role: 'street_handler', at: 'claim_org' }],
};

// ---- the desks of organisations that claim (paired units, the street) ----

export const DESKS = ['unit', 'street'] as const;
export type Desk = (typeof DESKS)[number];

/**
 * Each desk: the role that holds it, the ability that opens it, the tier whose open wishes wait
 * for it, and the relation of WISH_READS that lists that queue (it must be one the role reads
 * by, so the list never shows a wish its detail would refuse). What the desk handled is the
 * role's `org_claim` row.
 */
export const DESK_QUEUES: Record<Desk, { role: Role; ability: Ability; tier: 3 | 4; queue: WishRelation }> = {
  unit: { role: 'unit_admin', ability: 'unit_desk', tier: 3, queue: 'unit_queue' },
  street: { role: 'street_handler', ability: 'street_desk', tier: 4, queue: 'street' },
};
