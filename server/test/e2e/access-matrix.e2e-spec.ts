// The access matrix: every route of server/openapi.json, and for each the answer each
// kind of person gets, typed by hand from DOMAIN.md ("Who sees and does what") and the
// decisions written down with the policy rewrite. Nothing here asks the policy what
// to expect. A route of openapi.json without its block here fails, so a new endpoint
// cannot ship unexamined; a block for a route that is not in openapi.json fails too.
//
// Reading a block: c(who, subject, status, code) is one request. A subject is a wish,
// spend, registration or message of the world (W('wOpen1')), or one made for that
// request alone (fr.open1) where the request is expected to succeed. everyone(allowed)
// is one request per person: the allowed ones get 200, the others 403, no token 401.
// Every 404 on an object (WISH_/REGISTRATION_/FUND_SPEND_/MESSAGE_NOT_FOUND) is sent a
// second time with an invalid body and must answer the same 404.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVACY_NOTICE_VERSION } from '@xinyuan/shared';
import type { TestApp } from '../create-test-app';
import type { HttpResult } from '../http';
import {
  ACCESS_PUSH_TOKEN,
  ACTORS,
  INVALID_BODY,
  NO_ORG,
  ORG_NAMES,
  PEOPLE,
  PLAIN_TEXT,
  WISH_KEYS,
  YEAR,
  buildAccessWorld,
  createAccessApp,
  idOfWishNo,
  parseCsv,
  photoForm,
  type AccessWorld,
  type Actor,
  type OrgKey,
  type RegKey,
  type SpendKey,
  type Who,
  type WishKey,
} from '../factories/access-world';
import { mp3OfSeconds } from '../factories/audio';

/** A five-second recording, as WeChat's recorder sends it. */
function voiceForm(): FormData {
  const form = new FormData();
  form.append('file', new Blob([mp3OfSeconds(5)], { type: 'audio/mpeg' }), 'voice.mp3');
  return form;
}

// Some checks send a few thousand requests; MariaDB on two cores needs more than the default 5 s.
jest.setTimeout(180_000);

// ---- the routes ----

const OPENAPI = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const OPENAPI_ROUTES: string[] = Object.entries(OPENAPI.paths).flatMap(([path, ops]) =>
  Object.keys(ops)
    .filter((m) => METHODS.includes(m))
    .map((m) => `${m.toUpperCase()} ${path}`),
);

// ---- cells ----

interface Ref {
  label: string;
  get: () => number | string | Promise<number | string>;
}
interface CellCtx {
  id: number | string | undefined;
  who: Who;
  path: string;
}
interface Cell {
  who: Who;
  /** Fills the route's {id} (or its only path parameter). */
  at?: Ref;
  /** Other path parameters. */
  params?: Record<string, string | number>;
  query?: string;
  body?: unknown | ((who: Who) => unknown);
  raw?: () => RequestInit['body'];
  /** The whole URL, for signed links. */
  url?: () => string | Promise<string>;
  status: number;
  /** The error code the rules fix (one of several where the rules allow either). */
  code?: string | readonly string[] | null;
  why?: string;
  /** A further check of the answer: what is wrong, or null. */
  check?: (res: HttpResult, ctx: CellCtx) => string | null | Promise<string | null>;
  /** Send as this person instead (made for the cell: deleting an account, withdrawing one's registration); `who` names the role they stand for. */
  asUser?: Ref;
}

const NOT_FOUND_CODES = ['WISH_NOT_FOUND', 'REGISTRATION_NOT_FOUND', 'FUND_SPEND_NOT_FOUND', 'MESSAGE_NOT_FOUND', 'REPORT_NOT_FOUND'];
const NO_ID = 99_999_999;

function c(who: Who, at: Ref | null, status: number, code?: string | readonly string[] | null, more: Partial<Cell> = {}): Cell {
  return { who, at: at ?? undefined, status, code: who === 'anon' && status === 401 ? 'UNAUTHENTICATED' : code, ...more };
}
/** One request per person: `allowed` get `ok`, the others `deny`; no token: 401. */
function everyone(allowed: readonly Actor[] | 'all', more: Partial<Cell> = {}, opts: { ok?: number; deny?: number; denyCode?: string; skip?: readonly Actor[]; okCheck?: Cell['check'] } = {}): Cell[] {
  const cells: Cell[] = [c('anon', more.at ?? null, 401, 'UNAUTHENTICATED', { ...more, check: undefined })];
  for (const a of ACTORS) {
    if (opts.skip?.includes(a)) continue;
    const yes = allowed === 'all' || allowed.includes(a);
    cells.push(c(a, more.at ?? null, yes ? (opts.ok ?? 200) : (opts.deny ?? 403), yes ? null : opts.denyCode, { ...more, check: yes ? (opts.okCheck ?? more.check) : undefined }));
  }
  return cells;
}

// ---- who holds what (typed from the rules) ----

/** Desk accounts (unit, street, city): they do not file wishes. */
const DESKS: readonly Actor[] = ['unitU1', 'unitU1b', 'unitU2', 'unitU3', 'unitU4', 'streetS1', 'streetS1b', 'streetS2', 'cityD1', 'cityC'];
/** A ledger: community_admin, branch_secretary, unit_admin, street_handler, city_admin (with a grant that counts). */
const LEDGER: readonly Actor[] = ['adminA', 'adminB', 'adminE', 'multi', 'secA1', 'unitU1', 'unitU1b', 'unitU2', 'unitU3', 'unitU4', 'streetS1', 'streetS1b', 'streetS2', 'cityD1', 'cityC'];
/** Export: community_admin and city_admin only (the street has no export). */
const EXPORTERS: readonly Actor[] = ['adminA', 'adminB', 'adminE', 'multi', 'cityD1', 'cityC'];
/** Funds: community_admin, street_handler, city_admin. */
const FUNDS: readonly Actor[] = ['adminA', 'adminB', 'adminE', 'multi', 'streetS1', 'streetS1b', 'streetS2', 'cityD1', 'cityC'];
/** The reports desk (举报/投诉): community_admin, and the street_handler and city_admin above it. */
const REPORT_DESK: readonly Actor[] = ['adminA', 'adminB', 'adminE', 'multi', 'streetS1', 'streetS1b', 'streetS2', 'cityD1', 'cityC'];
/** The red list: street_handler and city_admin. */
const RED_LIST: readonly Actor[] = ['streetS1', 'streetS1b', 'streetS2', 'cityD1', 'cityC'];
/** The unit desk: every unit_admin, paired today or not (U2's pairing ended: an empty queue, its history). */
const UNIT_DESK: readonly Actor[] = ['unitU1', 'unitU1b', 'unitU2', 'unitU3', 'unitU4'];
/** The street desk: street_handler. */
const STREET_DESK: readonly Actor[] = ['streetS1', 'streetS1b', 'streetS2'];
/** The community office phone: community_admin with a grant that counts (F is deactivated). */
const OFFICE_PHONE: readonly Actor[] = ['adminA', 'adminB', 'adminE', 'multi'];
/** The review queue: community_admin and grid_worker. */
const REVIEWERS: readonly Actor[] = ['adminA', 'adminB', 'adminE', 'gridA', 'gridB', 'multi'];
/** The wall of their one community: members and community_admins (multi has two communities: asked with communityId). */
const WALL: readonly Actor[] = ['memberA', 'memberA2', 'memberW', 'memberB', 'adminA', 'adminB', 'adminE'];

/** Rates, ranking, dashboard: a target wholly inside the grant. */
const RATE_TARGETS: [scope: string, org: OrgKey, allowed: readonly Actor[]][] = [
  ['community', 'A', ['adminA', 'streetS1', 'streetS1b', 'cityD1', 'cityC']],
  ['community', 'B', ['adminB', 'multi', 'streetS1', 'streetS1b', 'cityD1', 'cityC']],
  ['community', 'E', ['adminE', 'streetS2', 'cityC']],
  ['street', 'S1', ['streetS1', 'streetS1b', 'cityD1', 'cityC']],
  ['street', 'S2', ['streetS2', 'cityC']],
  ['district', 'D1', ['cityD1', 'cityC']],
  ['district', 'D2', ['cityC']],
  ['city', 'city', ['cityC']],
];

// ---- who reads which wish, and how (GET /api/wishes/:id) ----

type Contact = 'full' | 'masked';
const F = 'full' as const;
const M = 'masked' as const;
/** Street S1 (A, B, F), its district and the city: every wish, masked. */
const OVER_S1 = { streetS1: M, streetS1b: M, cityD1: M, cityC: M };
/** A's wall: open, not sensitive, any tier, masked. */
const WALL_A = { memberA: M, memberA2: M, memberW: M, multi: M };
/** Everyone not listed for a wish: 404 WISH_NOT_FOUND. */
const READ: Record<WishKey, Partial<Record<Actor, Contact>>> = {
  // U2's claim ended (resolved): readable after the pairing, masked.
  wU2: { R1: F, adminA: F, unitU2: M, ...OVER_S1 },
  // Decision: the street, district and city above a deactivated community still read its wishes (ledger facts); its admin reads nothing.
  wF: { R2: F, ...OVER_S1 },
  wPending: { R1: F, gridA: F, adminA: F, ...OVER_S1 },
  wPendingGrid: { gridA: F, adminA: F, ...OVER_S1 },
  wPendingAdmin: { adminA: F, gridA: F, ...OVER_S1 },
  wOpen1: { R1: F, adminA: F, ...WALL_A, ...OVER_S1 },
  wOpen1a2: { R1: F, adminA: F, ...WALL_A, ...OVER_S1 },
  wOpen2: { R1: F, adminA: F, ...WALL_A, secA1: M, ...OVER_S1 },
  wOpen2a2: { R1: F, adminA: F, ...WALL_A, ...OVER_S1 },
  // U4's pairing ends today (inclusive); U2's ended yesterday; U3 is paired with E.
  wOpen3: { R1: F, adminA: F, ...WALL_A, unitU1: M, unitU1b: M, unitU4: M, ...OVER_S1 },
  wOpen4: { R1: F, adminA: F, ...WALL_A, ...OVER_S1 },
  wSupervised: { R1: F, adminA: F, ...WALL_A, ...OVER_S1 },
  // Sensitive: never on the wall.
  wSensitive: { R1: F, adminA: F, ...OVER_S1 },
  // The compound's tier-2 queue is not the wall: the branch secretary reads it (masked, no description).
  wSensitive2: { R1: F, adminA: F, secA1: M, ...OVER_S1 },
  wSensitiveSec: { R1: F, adminA: F, secA1: F, ...OVER_S1 },
  wClaimed1: { R1: F, adminA: F, memberA: F, ...OVER_S1 },
  wClaimedAdmin: { R1: F, adminA: F, gridA: F, ...OVER_S1 },
  wClaimedSec: { R1: F, adminA: F, secA1: F, memberA2: F, ...OVER_S1 },
  // The unit's claim: every admin of the unit handles it.
  wClaimedU1: { R1: F, adminA: F, unitU1: F, unitU1b: F, ...OVER_S1 },
  wClaimedS1: { R1: F, adminA: F, ...OVER_S1, streetS1: F, streetS1b: F },
  wAwaiting: { R1: F, adminA: F, memberA2: F, ...OVER_S1 },
  wResolved: { R1: F, adminA: F, memberA: M, ...OVER_S1 },
  wRejected: { R1: F, adminA: F, ...OVER_S1 },
  wCancelled: { R1: F, adminA: F, ...OVER_S1 },
  wBehalf: { gridA: F, adminA: F, memberA: F, ...OVER_S1 },
  wBehalfGrid: { gridA: F, adminA: F, ...OVER_S1 },
  // Deactivated: their finished claim masked at once; the claim taken back is gone with the wall.
  wDeactAwait: { R1: F, adminA: F, memberDeact: M, ...OVER_S1 },
  wDeactReleased: { R1: F, adminA: F, ...WALL_A, ...OVER_S1 },
  wOwnMember: { adminA: F, ...WALL_A, memberA: F, ...OVER_S1 },
  // Approved by gridA, who lost it then.
  wOwnAdmin2: { adminA: F, ...WALL_A, secA1: M, ...OVER_S1 },
  wSpend1: { R1: F, adminA: F, memberW: F, ...OVER_S1 },
  wSpendOwnSub: { adminA: F, memberW: F, ...OVER_S1 },
  wSpendOwnHandling: { R1: F, adminA: F, ...OVER_S1 },
  wSpendApproved: { R1: F, adminA: F, memberW: F, ...OVER_S1 },
  wSpendStreet: { R1: F, adminA: F, memberW: F, ...OVER_S1 },
  wSpendStreetOwn: { R1: F, adminA: F, ...OVER_S1, streetS1: F, streetS1b: F },
  wB1: { R2: F, adminB: F, multi: F, memberB: M, ...OVER_S1 },
  wBPending: { R2: F, adminB: F, multi: F, gridB: F, ...OVER_S1 },
  wBResolved: { R2: F, adminB: F, multi: F, memberB: M, ...OVER_S1 },
  // E is in district D2: not cityD1's.
  wE1: { R2: F, adminE: F, streetS2: M, cityC: M },
  wE3: { R2: F, adminE: F, unitU3: M, streetS2: M, cityC: M },
};

/** Lists: the wish must be there, with this contact (or absent). */
const LISTS: [path: string, who: Actor, wish: WishKey, expect: Contact | 'absent'][] = [
  ['/api/wishes/wall', 'memberA', 'wOpen1', M],
  ['/api/wishes/wall', 'memberA', 'wOpen3', M],
  ['/api/wishes/wall', 'memberA', 'wSupervised', M],
  ['/api/wishes/wall', 'memberA', 'wSensitive', 'absent'],
  ['/api/wishes/wall', 'memberA', 'wClaimed1', 'absent'],
  ['/api/wishes/wall', 'memberA', 'wPending', 'absent'],
  ['/api/wishes/wall', 'adminA', 'wOpen1', F],
  ['/api/wishes/wall', 'memberB', 'wB1', M],
  ['/api/wishes/wall?communityId={A}', 'multi', 'wOpen1', M],
  ['/api/wishes/wall?communityId={B}', 'multi', 'wB1', F],
  ['/api/wishes/mine', 'R1', 'wPending', F],
  ['/api/wishes/mine', 'R1', 'wResolved', F],
  ['/api/wishes/mine', 'R1', 'wRejected', F],
  ['/api/wishes/mine', 'gridA', 'wPendingGrid', F],
  ['/api/wishes/mine', 'gridA', 'wBehalf', F],
  ['/api/wishes/mine', 'adminA', 'wPendingAdmin', F],
  ['/api/wishes/mine', 'memberA', 'wOwnMember', F],
  ['/api/wishes/mine', 'R2', 'wPending', 'absent'],
  ['/api/wishes/claimed', 'memberA', 'wClaimed1', F],
  ['/api/wishes/claimed', 'memberA', 'wBehalf', F],
  ['/api/wishes/claimed', 'memberA', 'wResolved', M],
  ['/api/wishes/claimed', 'memberA2', 'wAwaiting', F],
  ['/api/wishes/claimed', 'memberDeact', 'wDeactAwait', M],
  ['/api/wishes/claimed', 'memberDeact', 'wDeactReleased', 'absent'],
  ['/api/wishes/claimed', 'unitU2', 'wU2', M],
  ['/api/wishes/claimed', 'unitU1', 'wClaimedU1', F],
  ['/api/wishes/claimed', 'streetS1', 'wClaimedS1', F],
  ['/api/wishes/claimed', 'secA1', 'wClaimedSec', F],
  ['/api/wishes/claimed', 'adminA', 'wClaimedAdmin', F],
  ['/api/wishes/review', 'gridA', 'wPending', F],
  ['/api/wishes/review', 'gridA', 'wPendingAdmin', F],
  ['/api/wishes/review', 'adminA', 'wPending', F],
  ['/api/wishes/review', 'adminA', 'wBPending', 'absent'],
  ['/api/wishes/review', 'multi', 'wBPending', F],
  ['/api/wishes/review', 'gridB', 'wBPending', F],
  ['/api/wishes/supervised', 'streetS1', 'wSupervised', M],
  ['/api/wishes/supervised', 'cityD1', 'wSupervised', M],
  ['/api/wishes/supervised', 'cityC', 'wSupervised', M],
  ['/api/wishes/supervised', 'streetS2', 'wSupervised', 'absent'],
  // The unit desk's queue: open tier-3 wishes of communities paired today (U4's pairing ends today, inclusive; U2's ended yesterday).
  ['/api/wishes/desk/queue?desk=unit', 'unitU1', 'wOpen3', M],
  ['/api/wishes/desk/queue?desk=unit', 'unitU1b', 'wOpen3', M],
  ['/api/wishes/desk/queue?desk=unit', 'unitU4', 'wOpen3', M],
  ['/api/wishes/desk/queue?desk=unit', 'unitU2', 'wOpen3', 'absent'],
  ['/api/wishes/desk/queue?desk=unit', 'unitU3', 'wOpen3', 'absent'],
  ['/api/wishes/desk/queue?desk=unit', 'unitU1', 'wOpen1', 'absent'],
  ['/api/wishes/desk/queue?desk=unit', 'unitU1', 'wClaimedU1', 'absent'],
  // The street desk's queue: the street's open tier-4 wishes (urgent or escalated, supervised ones too).
  ['/api/wishes/desk/queue?desk=street', 'streetS1', 'wOpen4', M],
  ['/api/wishes/desk/queue?desk=street', 'streetS1', 'wSupervised', M],
  ['/api/wishes/desk/queue?desk=street', 'streetS1b', 'wOpen4', M],
  ['/api/wishes/desk/queue?desk=street', 'streetS1', 'wOpen3', 'absent'],
  ['/api/wishes/desk/queue?desk=street', 'streetS1', 'wClaimedS1', 'absent'],
  ['/api/wishes/desk/queue?desk=street', 'streetS2', 'wOpen4', 'absent'],
  // What the desk's organisation claimed: every admin of the unit, every handler of the street; full while active, masked after.
  ['/api/wishes/desk/handled?desk=unit', 'unitU1', 'wClaimedU1', F],
  ['/api/wishes/desk/handled?desk=unit', 'unitU1b', 'wClaimedU1', F],
  ['/api/wishes/desk/handled?desk=unit', 'unitU2', 'wU2', M],
  ['/api/wishes/desk/handled?desk=unit', 'unitU4', 'wClaimedU1', 'absent'],
  ['/api/wishes/desk/handled?desk=unit', 'unitU1', 'wOpen3', 'absent'],
  ['/api/wishes/desk/handled?desk=street', 'streetS1', 'wClaimedS1', F],
  ['/api/wishes/desk/handled?desk=street', 'streetS1b', 'wClaimedS1', F],
  ['/api/wishes/desk/handled?desk=street', 'streetS1', 'wClaimed1', 'absent'],
  ['/api/wishes/desk/handled?desk=street', 'streetS2', 'wClaimedS1', 'absent'],
];

/** Timeline: 'names' — the people are named; 'roles' — every actorName is null, a role and an organisation instead. */
const TIMELINE: [WishKey, Actor, 'names' | 'roles'][] = [
  ['wClaimed1', 'R1', 'names'],
  ['wClaimed1', 'adminA', 'names'],
  ['wClaimed1', 'memberA', 'roles'],
  ['wClaimed1', 'streetS1', 'roles'],
  ['wClaimed1', 'cityD1', 'roles'],
  ['wClaimed1', 'cityC', 'roles'],
  ['wPending', 'R1', 'names'],
  ['wPending', 'gridA', 'names'],
  ['wPending', 'streetS1', 'roles'],
  ['wOpen1', 'memberA', 'roles'],
  ['wOpen2', 'secA1', 'roles'],
  ['wOpen3', 'unitU1', 'roles'],
  ['wOpen3', 'unitU4', 'roles'],
  ['wClaimedAdmin', 'gridA', 'names'],
  ['wClaimedU1', 'unitU1', 'roles'],
  ['wClaimedU1', 'adminA', 'names'],
  ['wClaimedSec', 'memberA2', 'roles'],
  ['wClaimedS1', 'streetS1', 'roles'],
  ['wResolved', 'memberA', 'roles'],
  ['wU2', 'unitU2', 'roles'],
  ['wBehalf', 'gridA', 'names'],
  ['wBehalf', 'memberA', 'roles'],
  ['wB1', 'multi', 'names'],
  ['wB1', 'memberB', 'roles'],
  ['wE3', 'unitU3', 'roles'],
  ['wE3', 'adminE', 'names'],
];
/** The organisation a claim is made for, as the timeline names it. */
const CLAIM_ORG: Partial<Record<Actor, [role: string, org: OrgKey]>> = {
  memberA: ['member', 'A'],
  memberA2: ['member', 'A'],
  adminA: ['community_admin', 'A'],
  secA1: ['branch_secretary', 'a1'],
  unitU1: ['unit_admin', 'U1'],
  unitU2: ['unit_admin', 'U2'],
  streetS1: ['street_handler', 'S1'],
};

/** Sensitive descriptions: the text for the submitter, the community's staff and the active claimant; null for the others. */
const DESCRIPTION: [WishKey, Actor, 'text' | null][] = [
  ['wSensitive', 'R1', 'text'],
  ['wSensitive', 'adminA', 'text'],
  ['wSensitive', 'streetS1', null],
  ['wSensitive', 'cityD1', null],
  ['wSensitive', 'cityC', null],
  ['wSensitive2', 'adminA', 'text'],
  ['wSensitive2', 'secA1', null],
  ['wSensitiveSec', 'R1', 'text'],
  ['wSensitiveSec', 'adminA', 'text'],
  ['wSensitiveSec', 'secA1', 'text'],
  ['wSensitiveSec', 'streetS1', null],
  ['wSensitiveSec', 'cityC', null],
  // Not sensitive: every reader gets the text.
  ['wOpen1', 'memberA', 'text'],
  ['wOpen3', 'unitU1', 'text'],
  ['wOpen1', 'cityC', 'text'],
];

/** WishDetail.claimant.name: full for the submitter, the community's staff and the claimant; masked for the others. */
const CLAIMANT_NAME: [WishKey, Actor, Contact][] = [
  ['wClaimed1', 'R1', F],
  ['wClaimed1', 'adminA', F],
  ['wClaimed1', 'memberA', F],
  ['wClaimed1', 'streetS1', M],
  ['wClaimed1', 'cityD1', M],
  ['wClaimed1', 'cityC', M],
  ['wClaimedU1', 'R1', F],
  ['wClaimedU1', 'adminA', F],
  ['wClaimedU1', 'unitU1', F],
  // Reading: a colleague of the unit is not "the claimant".
  ['wClaimedU1', 'unitU1b', M],
  ['wClaimedU1', 'streetS1', M],
  ['wClaimedSec', 'R1', F],
  ['wClaimedSec', 'secA1', F],
  ['wClaimedSec', 'streetS1', M],
  ['wClaimedAdmin', 'gridA', F],
  ['wClaimedAdmin', 'cityC', M],
  ['wResolved', 'memberA', F],
  ['wResolved', 'streetS1', M],
  ['wU2', 'R1', F],
  ['wU2', 'unitU2', F],
  ['wU2', 'cityC', M],
];

// ---- checks of a wish as read ----

function contactProblem(body: any, want: Contact, info: { beneficiaryName: string; beneficiaryPhone: string | null }): string | null {
  const b = body?.beneficiary;
  if (!b) return 'no beneficiary in the answer';
  if (want === 'full') {
    if (body.masked !== false) return `masked=${body.masked}, expected full contact`;
    if (b.name !== info.beneficiaryName) return `beneficiary name ${b.name}, expected ${info.beneficiaryName}`;
    if (info.beneficiaryPhone && b.phone !== info.beneficiaryPhone) return `beneficiary phone ${b.phone}, expected ${info.beneficiaryPhone}`;
    return null;
  }
  if (body.masked !== true) return `masked=${body.masked}, expected masked contact`;
  if (b.name === info.beneficiaryName || !String(b.name).includes('*')) return `beneficiary name ${b.name} is not masked`;
  if (info.beneficiaryPhone && JSON.stringify(body).includes(info.beneficiaryPhone)) return `the full phone ${info.beneficiaryPhone} is in the answer`;
  return null;
}
const isMaskedName = (shown: unknown, full: string) => typeof shown === 'string' && shown !== full && shown.startsWith(full[0]) && shown.includes('*');

// ---- the blocks, one per route ----

interface Ctx {
  w: AccessWorld;
  /** A wish of the world. */
  W: (k: WishKey) => Ref;
  S: (k: SpendKey) => Ref;
  R: (k: RegKey) => Ref;
  lit: (v: number | string) => Ref;
  /** Subjects made for one request each. */
  fr: Record<string, Ref>;
  u: Record<Actor, number>;
  o: Record<OrgKey, number>;
  policy: () => unknown;
}

const submitBody = (x: Ctx, who: Who, over: Record<string, unknown> = {}) => ({
  communityId: x.o.A,
  compoundId: x.o.a1,
  category: 'repair',
  title: `矩阵提交-${who}`,
  description: PLAIN_TEXT,
  address: '5号楼1单元302',
  forSelf: true,
  beneficiaryName: who === 'anon' ? '无名氏' : PEOPLE[who].name,
  beneficiaryPhone: who === 'anon' ? '13000000000' : PEOPLE[who].phone,
  ...over,
});
const forNeighbour = { forSelf: undefined, consentMethod: 'verbal', beneficiaryName: '马桂英', beneficiaryPhone: '13812349876' };
const forPhoneless = { forSelf: undefined, consentMethod: 'verbal', beneficiaryName: '马桂英', beneficiaryPhone: undefined };

const rateQuery = (x: Ctx, scope: string, org: OrgKey) => `?scope=${scope}&orgId=${x.o[org]}&from=${YEAR}-01-01&to=${YEAR}-12-31`;
const dashQuery = (x: Ctx, scope: string, org: OrgKey) => `?scope=${scope}&orgId=${x.o[org]}&year=${YEAR}`;
/** The chain's verification: whoever reads the organisation's whole ledger and rates (the rates ability). */
const verifyQuery = (x: Ctx, scope: string, org: OrgKey) => `?scope=${scope}&orgId=${x.o[org]}&day=${YEAR}-06-01`;
function rateCells(x: Ctx, query: (x: Ctx, scope: string, org: OrgKey) => string, cityWithout: string): Cell[] {
  return [
    ...RATE_TARGETS.flatMap(([scope, org, allowed]) => everyone(allowed, { query: query(x, scope, org) })),
    // The city may be asked for without naming it (by its admin; for the others the target is named above).
    c('cityC', null, 200, null, { query: cityWithout }),
    // A deactivated community's admin: no grant, nothing.
    c('adminF', null, 403, null, { query: query(x, 'community', 'F') }),
  ];
}

/** A grid worker's approval or rejection: 200 with the wish as they saw it, no actions; then it is out of their sight. */
const outOfSight = (w: AccessWorld) => async (res: HttpResult, ctx: CellCtx) => {
  if (!Array.isArray(res.body?.actions) || res.body.actions.length !== 0) return `actions ${JSON.stringify(res.body?.actions)}, expected []`;
  const again = await w.send('GET', `/api/wishes/${ctx.id}`, ctx.who);
  return again.status === 404 ? null : `a later GET answered ${again.status}, expected 404`;
};

/** After DELETE /api/me: the person's token answers 401 ACCOUNT_DELETED. */
const deletedCheck = (x: Ctx, user: Ref) => async (res: HttpResult) => {
  if (typeof res.body?.deletedAt !== 'string') return `no deletedAt in ${JSON.stringify(res.body)}`;
  const after = await x.w.sendAsUser('GET', '/api/me', Number(await user.get()));
  return after.status === 401 && after.body?.code === 'ACCOUNT_DELETED' ? null : `GET /api/me afterwards: ${after.status} ${after.body?.code}`;
};

const BLOCKS: Record<string, (x: Ctx) => Cell[]> = {
  // ---- public ----
  'GET /api/health': () => [c('anon', null, 200), c('R1', null, 200)],
  // Public: what a load balancer checks (liveness never asks the database; readiness does).
  'GET /api/health/live': () => [c('anon', null, 200), c('R1', null, 200)],
  'GET /api/health/ready': () => [c('anon', null, 200), c('R1', null, 200)],
  'GET /api/auth/options': () => [c('anon', null, 200), c('R1', null, 200)],
  // Public: the privacy notice is read before anyone logs in or agrees (PIPL Art. 17 facts, no personal information).
  'GET /api/privacy/notice': () => [c('anon', null, 200), c('R1', null, 200)],
  // Public; WeChat is not configured in the test app.
  'POST /api/auth/wechat': () => [c('anon', null, 503, 'WECHAT_UNAVAILABLE', { body: { code: 'wx-login-code' } })],
  // Public (dev login is on in this app).
  'POST /api/auth/dev-login': (x) => [c('anon', null, 200, null, { body: { openid: 'aw-R1' }, check: (r) => (r.body?.user?.id === x.u.R1 ? null : `user ${r.body?.user?.id}`) })],

  // ---- everyone signed in ----
  // Anyone signed in renews their own token; logging out revokes all of theirs (the check puts the version back for the cells after).
  'POST /api/auth/refresh': (x) => everyone('all', {}, { okCheck: (r, ctx) => (r.body?.user?.id === x.u[ctx.who as Actor] ? null : `renewed user ${r.body?.user?.id}`) }),
  'POST /api/auth/logout': (x) =>
    everyone('all', {}, {
      ok: 204,
      okCheck: async (_r, ctx) => {
        const who = ctx.who as Actor;
        const [{ v }] = await x.w.q(`SELECT token_version AS v FROM app_user WHERE id = ?`, [x.u[who]]);
        const was = x.w.versions[who] ?? 0;
        await x.w.q(`UPDATE app_user SET token_version = ? WHERE id = ?`, [was, x.u[who]]);
        return Number(v) === was + 1 ? null : `token_version ${v} after logout, expected ${was + 1}`;
      },
    }),
  'GET /api/me': (x) => [
    ...everyone('all'),
    // Only grants that count: not revoked, on an organisation that exists, is active and of the role's kind.
    ...(
      [
        ['R1', []],
        ['badGrant', []],
        ['adminF', []],
        ['revoked', []],
        ['memberDeact', []],
        ['cityD1', [['city_admin', 'D1']]],
        ['multi', [['community_admin', 'B'], ['member', 'A']]],
        ['secA1', [['branch_secretary', 'a1']]],
      ] as [Actor, [string, OrgKey][]][]
    ).map(([who, roles]) =>
      c(who, null, 200, null, {
        check: (r) => {
          const got = (r.body?.roles ?? []).map((g: any) => `${g.role}@${g.orgId}`).sort();
          const want = roles.map(([role, org]) => `${role}@${x.o[org]}`).sort();
          return JSON.stringify(got) === JSON.stringify(want) ? null : `roles ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`;
        },
      }),
    ),
  ],
  // noConsent is left out: consenting would change who they are for the submit block.
  'POST /api/me/consent': () => everyone('all', { body: { version: PRIVACY_NOTICE_VERSION } }, { skip: ['noConsent'] }),
  'GET /api/orgs': () => everyone('all'),
  'GET /api/dispatch/policy': () => everyone('all'),
  'GET /api/dispatch/calendar': () => everyone('all', { query: `?year=${YEAR}` }),
  // Reading follows GET /dispatch/calendar: everyone signed in.
  'GET /api/dispatch/calendar/status': () => everyone('all'),
  'POST /api/photos': () => everyone('all', { raw: photoForm }, { ok: 201 }),
  // DOMAIN.md: a resident (anyone, for themselves) submits, and a voice note goes with a submission: any signed-in person may upload one, as a photo.
  'POST /api/voice-notes': () => everyone('all', { raw: voiceForm }, { ok: 201 }),
  'GET /api/photos/{id}/content': (x) => [
    // The signed URL is the permission: no token needed.
    c('anon', null, 200, null, { url: () => photoUrl(x) }),
    c('anon', null, 404, null, { url: async () => (await photoUrl(x)).replace(/sig=([0-9a-f])/, (_, d) => `sig=${d === '0' ? '1' : '0'}`) }),
  ],
  // WeChat's message push: public (WeChat sends no token); the signature is the permission,
  // whoever sends it. sha1 of the sorted [Token, timestamp, nonce] (WeChat's documentation).
  'GET /api/wechat/push': (x) => [
    c('anon', null, 200, null, { url: () => pushUrl(x, true, '&echostr=matrix-echo'), check: (r) => (r.body === 'matrix-echo' ? null : `answered ${JSON.stringify(r.body)}`) }),
    c('R1', null, 200, null, { url: () => pushUrl(x, true, '&echostr=matrix-echo') }),
    unsigned('anon', { url: () => pushUrl(x, false, '&echostr=matrix-echo') }),
    unsigned('adminA', { url: () => pushUrl(x, false, '&echostr=matrix-echo') }),
    unsigned('anon', { query: '?echostr=matrix-echo' }),
  ],
  'POST /api/wechat/push': (x) => [
    // An event nobody handles, signed: accepted and ignored.
    c('anon', null, 200, null, { url: () => pushUrl(x, true), body: { MsgType: 'event', Event: 'matrix_event' }, check: (r) => (r.body === 'success' ? null : `answered ${JSON.stringify(r.body)}`) }),
    unsigned('anon', { url: () => pushUrl(x, false), body: { MsgType: 'event', Event: 'wxa_media_check', trace_id: 'x' } }),
    unsigned('R1', { body: { MsgType: 'event', Event: 'wxa_media_check', trace_id: 'x' } }),
  ],
  // Anyone signed in asks for their own number; WeChat is not configured in this app.
  'POST /api/me/phone': () => everyone('all', { body: { code: 'phone-13800000000' } }, { ok: 503, okCheck: (r) => (r.body?.code === 'WECHAT_UNAVAILABLE' ? null : `code ${r.body?.code}`) }),
  'GET /api/me/messages': (x) => [
    ...everyone('all'),
    c('R1', null, 200, null, {
      check: (r) => {
        const ids = (r.body?.items ?? []).map((m: any) => m.id);
        return ids.includes(x.w.messages.R1) && !ids.includes(x.w.messages.R2) ? null : `inbox ${JSON.stringify(ids)}`;
      },
    }),
  ],
  'GET /api/me/messages/unread-count': () => everyone('all'),
  'POST /api/me/messages/read-all': () => everyone('all'),
  'POST /api/me/messages/{id}/read': (x) => [
    c('anon', x.lit(x.w.messages.R1), 401),
    c('R1', x.lit(x.w.messages.R1), 200),
    c('R2', x.lit(x.w.messages.R1), 404, 'MESSAGE_NOT_FOUND', { why: "another person's message" }),
    c('adminA', x.lit(x.w.messages.R1), 404, 'MESSAGE_NOT_FOUND'),
    c('memberA', x.lit(x.w.messages.R1), 404, 'MESSAGE_NOT_FOUND'),
    c('cityC', x.lit(x.w.messages.R1), 404, 'MESSAGE_NOT_FOUND'),
    c('stranger', x.lit(x.w.messages.R2), 404, 'MESSAGE_NOT_FOUND'),
    c('R1', x.lit(NO_ID), 404, 'MESSAGE_NOT_FOUND'),
  ],
  'GET /api/me/subscriptions': () => everyone('all'),
  'POST /api/me/subscriptions': () => everyone('all', { body: { results: { 'tmpl-claimed-0001': 'accept' } } }),

  // ---- member registrations (双报到) ----
  // Anyone may register at a community (here E, where nobody is registered). noConsent is left out: the rules do not say whether consent is needed first.
  'POST /api/members/registrations': (x) =>
    // Each person with their own phone (one standing registration per phone and community).
    everyone('all', { body: (who: Who) => ({ communityId: x.o.E, realName: who === 'anon' ? '无名氏' : PEOPLE[who].name, phone: `1318888${String(Object.keys(PEOPLE).indexOf(who) + 1).padStart(4, '0')}`, workUnit: '市财政局' }) }, { ok: 201, skip: ['noConsent'] }),
  'GET /api/members/registrations': (x) => [
    ...everyone(['adminA'], { query: `?communityId=${x.o.A}` }, { okCheck: (r) => (Array.isArray(r.body) && r.body.some((g: any) => g.id === x.w.regs.regPA) ? null : 'regPA not listed') }),
    ...everyone(['adminB', 'multi'], { query: `?communityId=${x.o.B}` }),
    c('adminF', null, 403, null, { query: `?communityId=${x.o.F}` }),
  ],
  // A member's service record: the member, and the committee of a community they registered at (DOMAIN: community_admin
  // reads its members' registrations); anyone else is told the member does not exist.
  'GET /api/members/{userId}/records': (x) => [
    ...everyone(['memberA', 'adminA'], { at: x.lit(x.u.memberA), query: `?month=${YEAR}-11` }, { deny: 404, denyCode: 'MEMBER_NOT_FOUND' }),
    ...everyone(['memberB', 'adminB', 'multi'], { at: x.lit(x.u.memberB), query: `?month=${YEAR}-11` }, { deny: 404, denyCode: 'MEMBER_NOT_FOUND' }),
    c('multi', x.lit(x.u.multi), 200, null, { query: `?month=${YEAR}-11`, why: 'their own' }),
    c('adminA', x.lit(x.u.memberA), 400, 'VALIDATION_FAILED', { query: `?month=${YEAR}-13` }),
  ],
  'GET /api/members/{userId}/records.csv': (x) => [
    ...everyone(['memberA', 'adminA'], { at: x.lit(x.u.memberA), query: `?month=${YEAR}-11` }, { deny: 404, denyCode: 'MEMBER_NOT_FOUND' }),
    c('adminB', x.lit(x.u.memberB), 200, null, { query: `?month=${YEAR}-11` }),
  ],
  'GET /api/members/{userId}/records.xlsx': (x) => [
    ...everyone(['memberA', 'adminA'], { at: x.lit(x.u.memberA), query: `?month=${YEAR}-11` }, { deny: 404, denyCode: 'MEMBER_NOT_FOUND' }),
  ],
  'GET /api/members/registrations/mine': (x) => [
    ...everyone('all'),
    c('regUser1', null, 200, null, { check: (r) => (Array.isArray(r.body) && r.body.map((g: any) => g.id).join() === String(x.w.regs.regPA) ? null : `mine ${JSON.stringify(r.body)}`) }),
  ],
  'POST /api/members/registrations/{id}/verify': (x) => [
    c('anon', x.R('regPA'), 401),
    c('adminA', x.fr.regPendingA, 200),
    c('multi', x.fr.regPendingB, 200, null, { why: 'community_admin of B' }),
    c('regUser1', x.R('regPA'), 403, null, { why: 'the registrant acting on their own' }),
    ...(['adminB', 'multi', 'gridA', 'gridB', 'memberA', 'R1', 'stranger', 'secA1', 'unitU1', 'streetS1', 'cityD1', 'cityC', 'adminF', 'badGrant', 'revoked', 'regUser2'] as const).map((a) =>
      c(a, x.R('regPA'), 404, 'REGISTRATION_NOT_FOUND'),
    ),
    c('adminA', x.R('regPB'), 404, 'REGISTRATION_NOT_FOUND'),
    c('adminA', x.lit(NO_ID), 404, 'REGISTRATION_NOT_FOUND'),
    c('adminA', x.R('regMemberA'), 409, 'REGISTRATION_NOT_PENDING'),
  ],
  'POST /api/members/registrations/{id}/refuse': (x) => [
    c('anon', x.R('regPA'), 401),
    c('adminA', x.fr.regPendingA, 200, null, { body: { reason: '未在本社区居住' } }),
    c('adminA', x.fr.regPendingA, 400, null, { body: {} }),
    c('regUser1', x.R('regPA'), 403, null, { body: { reason: '撤回' } }),
    ...(['adminB', 'multi', 'gridA', 'memberA', 'R1', 'stranger', 'streetS1', 'cityD1', 'cityC', 'adminF', 'badGrant', 'revoked'] as const).map((a) =>
      c(a, x.R('regPA'), 404, 'REGISTRATION_NOT_FOUND', { body: { reason: '不符合条件' } }),
    ),
    c('adminA', x.R('regPB'), 404, 'REGISTRATION_NOT_FOUND', { body: { reason: '不符合条件' } }),
    c('adminA', x.lit(NO_ID), 404, 'REGISTRATION_NOT_FOUND', { body: { reason: '不符合条件' } }),
  ],
  'POST /api/members/registrations/{id}/deactivate': (x) => [
    c('anon', x.R('regMemberA'), 401),
    c('adminA', x.fr.memberRegA, 200, null, { body: { reason: '工作调离' } }),
    c('memberA', x.R('regMemberA'), 403, null, { body: { reason: '本人申请' }, why: 'the registrant acting on their own' }),
    ...(['adminB', 'multi', 'gridA', 'memberA2', 'R1', 'streetS1', 'cityD1', 'cityC', 'adminF', 'badGrant', 'revoked'] as const).map((a) =>
      c(a, x.R('regMemberA'), 404, 'REGISTRATION_NOT_FOUND', { body: { reason: '工作调离' } }),
    ),
    c('adminA', x.lit(NO_ID), 404, 'REGISTRATION_NOT_FOUND', { body: { reason: '工作调离' } }),
    c('adminA', x.R('regPA'), 409, 'REGISTRATION_NOT_VERIFIED', { body: { reason: '工作调离' } }),
  ],

  // The registrant withdraws their own (pending or verified); the committee, who reads it, may not (403: it deactivates); anyone else: 404.
  'POST /api/members/registrations/{id}/withdraw': (x) => [
    c('anon', x.R('regPA'), 401),
    c('R1', x.fr.wdPendingReg, 200, null, { asUser: x.fr.wdPendingUser, why: 'its registrant, pending', check: (r) => (r.body?.status === 'withdrawn' ? null : `status ${r.body?.status}`) }),
    c('memberA', x.fr.wdMemberReg, 200, null, { asUser: x.fr.wdMemberUser, why: 'its registrant, verified', check: (r) => (r.body?.status === 'withdrawn' ? null : `status ${r.body?.status}`) }),
    c('memberDeact', x.R('regDeact'), 409, 'REGISTRATION_CLOSED', { why: 'deactivated by the committee already' }),
    c('adminA', x.R('regPA'), 403, 'FORBIDDEN'),
    c('adminA', x.R('regMemberA'), 403, 'FORBIDDEN'),
    c('adminB', x.R('regPB'), 403, 'FORBIDDEN'),
    c('multi', x.R('regPB'), 403, 'FORBIDDEN'),
    ...(['adminB', 'multi', 'gridA', 'memberA', 'memberA2', 'R1', 'stranger', 'secA1', 'unitU1', 'streetS1', 'cityD1', 'cityC', 'adminF', 'badGrant', 'revoked', 'regUser2'] as const).map((a) =>
      c(a, x.R('regPA'), 404, 'REGISTRATION_NOT_FOUND'),
    ),
    c('regUser1', x.lit(NO_ID), 404, 'REGISTRATION_NOT_FOUND'),
  ],

  // ---- dispatch policy and calendar: the city only ----
  'PUT /api/dispatch/policy': (x) => everyone(['cityC'], { body: () => x.policy() }),
  'PUT /api/dispatch/calendar/{day}': () => everyone(['cityC'], { params: { day: '2027-02-06' }, body: { kind: 'workday', note: '调休上班' } }),
  // The notice import: a city admin with a grant on the city only (a district's city_admin is refused).
  'POST /api/dispatch/calendar/notice/parse': () => everyone(['cityC'], { body: { text: '国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。' } }),
  'POST /api/dispatch/calendar/notice': () => everyone(['cityC'], { body: { year: 2027, days: [{ day: '2027-01-01', kind: 'holiday', holiday: '元旦' }] } }),
  'DELETE /api/dispatch/calendar/{day}': (x) => [...everyone([], { params: { day: '2027-02-06' } }, { skip: ['cityC'] }), c('cityC', x.fr.calendarDay, 200)],

  // ---- submitting ----
  'POST /api/wishes': (x) => [
    ...everyone(
      ACTORS.filter((a) => !DESKS.includes(a) && a !== 'noConsent'),
      { body: (who: Who) => submitBody(x, who) },
      { ok: 201, skip: [...DESKS, 'noConsent'] },
    ),
    // Desk accounts (unit, street, city) do not file wishes — whatever grant of theirs is at stake.
    ...DESKS.map((a) => c(a, null, 403, 'SUBMIT_NOT_ALLOWED', { body: submitBody(x, a) })),
    c('noConsent', null, 403, 'CONSENT_REQUIRED', { body: submitBody(x, 'noConsent') }),
    // Neither for oneself nor with the beneficiary's consent.
    c('R1', null, 400, 'BENEFICIARY_CONSENT_REQUIRED', { body: submitBody(x, 'R1', { forSelf: undefined }) }),
    c('memberA', null, 400, 'BENEFICIARY_CONSENT_REQUIRED', { body: submitBody(x, 'memberA', { forSelf: undefined }) }),
    // For a neighbour with their consent: the phone is required of a resident, optional for the community's staff.
    c('R1', null, 201, null, { body: submitBody(x, 'R1', forNeighbour) }),
    c('R1', null, 400, null, { body: submitBody(x, 'R1', forPhoneless) }),
    c('gridA', null, 201, null, { body: submitBody(x, 'gridA', forPhoneless) }),
    c('adminA', null, 201, null, { body: submitBody(x, 'adminA', forPhoneless) }),
    c('gridA', null, 400, null, { body: submitBody(x, 'gridA', { ...forPhoneless, communityId: x.o.B, compoundId: x.o.b1 }), why: 'staff of A, not of B' }),
    c('memberA', null, 400, null, { body: submitBody(x, 'memberA', forPhoneless), why: 'a member is not staff' }),
  ],

  // ---- wish lists ----
  'GET /api/wishes/mine': () => everyone('all'),
  'GET /api/wishes/claimed': () => everyone('all'),
  'GET /api/wishes/wall': (x) => [
    ...everyone(WALL, {}, { skip: ['multi'] }),
    c('multi', null, 200, null, { query: `?communityId=${x.o.A}`, why: 'member of A' }),
    c('multi', null, 200, null, { query: `?communityId=${x.o.B}`, why: 'community_admin of B' }),
    c('adminA', null, 200, null, { query: `?communityId=${x.o.A}` }),
    c('memberA', null, 403, null, { query: `?communityId=${x.o.B}` }),
    c('adminA', null, 403, null, { query: `?communityId=${x.o.B}` }),
    c('memberB', null, 403, null, { query: `?communityId=${x.o.A}` }),
    c('gridA', null, 403, null, { query: `?communityId=${x.o.A}` }),
    c('memberDeact', null, 403, null, { query: `?communityId=${x.o.A}` }),
    c('revoked', null, 403, null, { query: `?communityId=${x.o.A}` }),
    c('badGrant', null, 403, null, { query: `?communityId=${x.o.A}` }),
    c('adminF', null, 403, null, { query: `?communityId=${x.o.F}` }),
  ],
  'GET /api/wishes/review': (x) => [
    ...everyone(REVIEWERS),
    c('adminA', null, 403, null, { query: `?communityId=${x.o.B}` }),
    c('gridA', null, 403, null, { query: `?communityId=${x.o.B}` }),
    c('multi', null, 403, null, { query: `?communityId=${x.o.A}`, why: 'a member of A, not staff' }),
    c('multi', null, 200, null, { query: `?communityId=${x.o.B}` }),
    c('adminF', null, 403, null, { query: `?communityId=${x.o.F}` }),
  ],
  'GET /api/wishes/supervised': () => everyone(RED_LIST),
  // The desks of paired units and of the street: their holders only; a desk named wrongly or not at all is 400.
  'GET /api/wishes/desk/queue': () => [
    ...everyone(UNIT_DESK, { query: '?desk=unit' }),
    ...everyone(STREET_DESK, { query: '?desk=street' }),
    c('unitU1', null, 403, 'FORBIDDEN', { query: '?desk=street', why: 'a unit is not the street' }),
    c('unitU1', null, 400, 'VALIDATION_FAILED', { query: '' }),
    c('unitU1', null, 400, 'VALIDATION_FAILED', { query: '?desk=branch' }),
    c('unitU1', null, 400, 'VALIDATION_FAILED', { query: '?desk=unit&state=open', why: 'the queue is open wishes only' }),
  ],
  'GET /api/wishes/desk/handled': () => [
    ...everyone(UNIT_DESK, { query: '?desk=unit' }),
    ...everyone(STREET_DESK, { query: '?desk=street&state=claimed' }),
    c('streetS1', null, 403, 'FORBIDDEN', { query: '?desk=unit' }),
    c('streetS1', null, 400, 'VALIDATION_FAILED', { query: '?desk=street&state=nonsense' }),
  ],
  // Anyone signed in: the desks they hold (none for most).
  'GET /api/wishes/desk/counts': () =>
    everyone('all', {}, {
      okCheck: (r, ctx) => {
        const want = UNIT_DESK.includes(ctx.who as Actor) ? ['unit'] : STREET_DESK.includes(ctx.who as Actor) ? ['street'] : [];
        const got = (Array.isArray(r.body) ? r.body : []).map((d: any) => d.desk);
        return JSON.stringify(got) === JSON.stringify(want) ? null : `desks ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`;
      },
    }),
  // The community office phone: its committee sets it; nobody else.
  'GET /api/orgs/office-phones': () => everyone(OFFICE_PHONE),
  'PUT /api/orgs/{id}/office-phone': (x) => [
    ...everyone(['adminA'], { params: { id: x.o.A }, body: { officePhone: '0971-6123456' } }),
    c('multi', null, 200, null, { params: { id: x.o.B }, body: { officePhone: null }, why: 'community_admin of B clears it' }),
    c('adminA', null, 404, 'ORG_NOT_FOUND', { params: { id: NO_ORG }, body: { officePhone: '0971-6123456' } }),
    c('adminA', null, 404, 'ORG_NOT_FOUND', { params: { id: x.o.a1 }, body: { officePhone: '0971-6123456' }, why: 'a compound has no office phone' }),
    c('adminA', null, 400, 'VALIDATION_FAILED', { params: { id: x.o.A }, body: { officePhone: '12345' } }),
    c('adminA', null, 400, 'VALIDATION_FAILED', { params: { id: x.o.A }, body: {} }),
    c('adminF', null, 403, 'FORBIDDEN', { params: { id: x.o.F }, body: { officePhone: '0971-6123456' }, why: 'F is deactivated' }),
  ],

  // ---- who read personal information (PIPL) ----
  // Anyone may ask who read their own details; searching the log is the city and district departments' (access_log).
  'GET /api/me/access-log': () => everyone('all'),
  // The resident's rights: anyone signed in downloads their own data (each download is logged) and may delete their account.
  'GET /api/me/data': (x) => everyone('all', {}, { okCheck: (r, ctx) => (r.body?.profile?.id === x.u[ctx.who as Actor] ? null : `profile ${r.body?.profile?.id}`) }),
  'GET /api/me/data.xlsx': () => everyone('all'),
  // Deleting is tried by everyone with a body that does not confirm (400, nothing changes), and done by people made for it.
  'DELETE /api/me': (x) => [
    ...everyone('all', { body: { confirm: false } }, { ok: 400 }).map((cell) => (cell.who === 'anon' ? cell : { ...cell, code: 'VALIDATION_FAILED' })),
    c('R1', null, 400, 'VALIDATION_FAILED', { body: {} }),
    c('R1', null, 200, null, { body: { confirm: true }, asUser: x.fr.delResident, why: 'a new resident', check: deletedCheck(x, x.fr.delResident) }),
    c('memberA', null, 200, null, { body: { confirm: true }, asUser: x.fr.delMember, why: 'a new member', check: deletedCheck(x, x.fr.delMember) }),
  ],
  'GET /api/access-log': () => everyone(['cityD1', 'cityC']),

  // ---- one wish ----
  'GET /api/wishes/{id}': (x) => [
    c('anon', x.W('wOpen1'), 401),
    c('R1', x.lit(NO_ID), 404, 'WISH_NOT_FOUND'),
    // Wishes the world could not build are reported once, by 'was built as the world describes'.
    ...WISH_KEYS.filter((k) => x.w.wishes[k] !== undefined).flatMap((k) =>
      ACTORS.map((a) => {
        const want = READ[k][a];
        if (!want) return c(a, x.W(k), 404, 'WISH_NOT_FOUND');
        return c(a, x.W(k), 200, null, { check: (r, ctx) => contactProblem(r.body, want, x.w.info.get(Number(ctx.id))!) });
      }),
    ),
  ],
  'POST /api/wishes/{id}/approve': (x) => [
    c('anon', x.W('wPending'), 401),
    c('adminA', x.fr.pendingA, 200),
    c('gridA', x.fr.pendingA, 200, null, { check: outOfSight(x.w) }),
    c('adminB', x.fr.pendingB, 200),
    c('gridB', x.fr.pendingB, 200, null, { check: outOfSight(x.w) }),
    c('multi', x.fr.pendingB, 200, null, { why: 'community_admin of B' }),
    c('gridA', x.W('wPendingGrid'), 403, 'OWN_SUBMISSION'),
    c('adminA', x.W('wPendingAdmin'), 403, 'OWN_SUBMISSION'),
    c('R1', x.W('wPending'), 403, null, { why: 'reads her own wish; only staff approve' }),
    c('streetS1', x.W('wPending'), 403),
    c('cityD1', x.W('wPending'), 403),
    c('cityC', x.W('wPending'), 403),
    c('adminA', x.W('wOpen1'), 409, 'TRANSITION_NOT_ALLOWED'),
    c('adminA', x.lit(NO_ID), 404, 'WISH_NOT_FOUND'),
    c('gridB', x.W('wPending'), 404, 'WISH_NOT_FOUND'),
    c('memberA', x.W('wPending'), 404, 'WISH_NOT_FOUND', { why: 'a member reads the wall only' }),
    c('revoked', x.W('wPending'), 404, 'WISH_NOT_FOUND'),
    c('badGrant', x.W('wPending'), 404, 'WISH_NOT_FOUND'),
  ],
  'POST /api/wishes/{id}/reject': (x) => [
    c('anon', x.W('wPending'), 401),
    c('adminA', x.fr.pendingA, 200, null, { body: { code: 'not_a_wish', reason: '不属于本社区服务范围' } }),
    c('gridA', x.fr.pendingA, 200, null, { body: { code: 'redirected', channel: '12345', reason: '请拨打12345' }, check: outOfSight(x.w) }),
    c('adminA', x.fr.pendingA, 400, null, { body: {}, why: 'a reason is required' }),
    c('adminA', x.fr.pendingA, 400, 'CLOSURE_CODE_REQUIRED', { body: { reason: '不属于本社区服务范围' }, why: 'DOMAIN "Closure": rejecting takes a code' }),
    c('gridA', x.fr.pendingA, 400, 'CLOSURE_CODE_INVALID', { body: { code: 'redirected', reason: '请拨打12345' }, why: 'a redirection names its channel' }),
    c('gridA', x.W('wPendingGrid'), 403, 'OWN_SUBMISSION', { body: { reason: '重复' } }),
    c('adminA', x.W('wPendingAdmin'), 403, 'OWN_SUBMISSION', { body: { reason: '重复' } }),
    c('R1', x.W('wPending'), 403, null, { body: { reason: '重复' } }),
    c('streetS1', x.W('wPending'), 403, null, { body: { reason: '重复' } }),
    c('cityC', x.W('wPending'), 403, null, { body: { reason: '重复' } }),
    c('adminA', x.W('wOpen1'), 409, 'TRANSITION_NOT_ALLOWED', { body: { reason: '重复' } }),
    c('gridB', x.W('wPending'), 404, 'WISH_NOT_FOUND', { body: { reason: '重复' } }),
  ],
  'POST /api/wishes/{id}/claim': (x) => [
    c('anon', x.W('wOpen1'), 401),
    c('memberA', x.fr.open1, 200, null, { check: (r, ctx) => contactProblem(r.body, F, x.w.info.get(Number(ctx.id))!) }),
    c('multi', x.fr.open1, 200, null, { why: 'member of A' }),
    c('adminA', x.fr.open2, 200),
    c('secA1', x.fr.open2, 200),
    c('unitU1', x.fr.open3, 200),
    c('unitU4', x.fr.open3, 200, null, { why: 'paired until today, inclusive (Beijing date)' }),
    c('streetS1', x.fr.open4, 200),
    c('memberA', x.W('wOwnMember'), 403, 'OWN_SUBMISSION'),
    c('adminA', x.W('wOwnAdmin2'), 403, 'OWN_SUBMISSION'),
    c('R1', x.W('wOpen1'), 403, null, { why: 'reads her own wish, is no member' }),
    c('adminA', x.W('wOpen1'), 403, null, { why: 'tier 1 is for members' }),
    c('adminA', x.W('wOpen3'), 403),
    c('adminA', x.W('wOpen4'), 403),
    c('memberA', x.W('wOpen2'), 403, null, { why: 'on the wall, but tier 2 is not for members' }),
    c('memberA', x.W('wOpen3'), 403),
    c('multi', x.W('wOpen2'), 403, null, { why: 'community_admin of B, not of A' }),
    c('secA1', x.fr.sensitive2, 200, null, { why: 'a sensitive tier-2 wish of the compound' }),
    c('streetS1', x.W('wOpen1'), 403),
    c('cityD1', x.W('wOpen4'), 403),
    c('cityC', x.W('wOpen4'), 403),
    c('adminA', x.W('wClaimedSec'), 409, ['TRANSITION_NOT_ALLOWED', 'WISH_ALREADY_CLAIMED']),
    c('unitU2', x.W('wOpen3'), 404, 'WISH_NOT_FOUND', { why: 'the pairing ended yesterday' }),
    c('unitU3', x.W('wOpen3'), 404, 'WISH_NOT_FOUND', { why: 'paired with E only' }),
    c('secA1', x.W('wOpen2a2'), 404, 'WISH_NOT_FOUND', { why: 'another compound' }),
    c('gridA', x.W('wOpen2'), 404, 'WISH_NOT_FOUND', { why: 'grid workers claim at no tier and do not read the pool' }),
    c('gridA', x.fr.gridFiledOpen2, 403, null, { why: 'reads what they filed; grid workers claim at no tier' }),
    c('memberB', x.W('wOpen1'), 404, 'WISH_NOT_FOUND'),
    c('memberA2', x.W('wClaimed1'), 404, 'WISH_NOT_FOUND', { why: "another member's claim" }),
    c('memberDeact', x.W('wDeactReleased'), 404, 'WISH_NOT_FOUND', { why: 'deactivated: no wall' }),
    c('memberA', x.W('wSensitive'), 404, 'WISH_NOT_FOUND', { why: 'sensitive: not on the wall' }),
    c('streetS2', x.W('wOpen4'), 404, 'WISH_NOT_FOUND'),
    c('adminF', x.W('wF'), 404, 'WISH_NOT_FOUND'),
  ],
  'POST /api/wishes/{id}/urgent': (x) => [
    c('anon', x.W('wOpen1'), 401),
    c('adminA', x.fr.open1, 200, null, { body: { reason: '独居老人' } }),
    c('adminA', x.fr.pendingA, 200, null, { body: { reason: '独居老人' } }),
    c('adminA', x.fr.open1, 400, null, { body: {}, why: 'a reason is required' }),
    c('adminA', x.W('wPendingAdmin'), 403, 'OWN_SUBMISSION', { body: { reason: '紧急' } }),
    c('adminA', x.W('wOwnAdmin2'), 403, 'OWN_SUBMISSION', { body: { reason: '紧急' } }),
    c('gridA', x.W('wPending'), 403, null, { body: { reason: '紧急' }, why: 'community_admin only' }),
    c('memberA', x.W('wOpen1'), 403, null, { body: { reason: '紧急' } }),
    c('R1', x.W('wOpen1'), 403, null, { body: { reason: '紧急' } }),
    c('streetS1', x.W('wOpen1'), 403, null, { body: { reason: '紧急' } }),
    c('cityC', x.W('wOpen1'), 403, null, { body: { reason: '紧急' } }),
    c('adminA', x.W('wClaimed1'), 409, 'TRANSITION_NOT_ALLOWED', { body: { reason: '紧急' } }),
    c('adminB', x.W('wOpen1'), 404, 'WISH_NOT_FOUND', { body: { reason: '紧急' } }),
    c('gridA', x.W('wOpen1'), 404, 'WISH_NOT_FOUND', { body: { reason: '紧急' } }),
  ],
  'POST /api/wishes/{id}/assign': (x) => [
    c('anon', x.W('wClaimedAdmin'), 401),
    // The active claimant (committee, branch, unit, street desk) to one of the claim organisation's people.
    c('adminA', x.fr.claimedAdminBare, 200, null, { body: { userId: x.u.memberA } }),
    c('adminA', x.fr.claimedAdminBare, 200, null, { body: { userId: x.u.gridA } }),
    c('secA1', x.fr.claimedSec, 200, null, { body: { userId: x.u.memberA } }),
    c('secA1', x.fr.claimedSec, 200, null, { body: { userId: x.u.secA1 }, why: 'branch: a member of the community or the branch secretary' }),
    c('unitU1', x.fr.claimedU1, 200, null, { body: { userId: x.u.unitU1b } }),
    c('streetS1', x.fr.claimedS1, 200, null, { body: { userId: x.u.streetS1b } }),
    ...(['memberB', 'gridB', 'secA1', 'unitU1', 'streetS1', 'memberDeact', 'revoked', 'stranger'] as const).map((a) =>
      c('adminA', x.W('wClaimedAdmin'), 400, 'ASSIGNEE_INVALID', { body: { userId: x.u[a] }, why: `${a} is not one of A's people` }),
    ),
    c('adminA', x.W('wClaimedAdmin'), 400, 'ASSIGNEE_INVALID', { body: { userId: NO_ID }, why: 'no such user: no difference' }),
    c('secA1', x.W('wClaimedSec'), 400, 'ASSIGNEE_INVALID', { body: { userId: x.u.gridA } }),
    c('secA1', x.W('wClaimedSec'), 400, 'ASSIGNEE_INVALID', { body: { userId: x.u.adminA } }),
    c('secA1', x.W('wClaimedSec'), 400, 'ASSIGNEE_INVALID', { body: { userId: x.u.memberB } }),
    c('unitU1', x.W('wClaimedU1'), 400, 'ASSIGNEE_INVALID', { body: { userId: x.u.unitU4 } }),
    c('unitU1', x.W('wClaimedU1'), 400, 'ASSIGNEE_INVALID', { body: { userId: x.u.memberA } }),
    c('streetS1', x.W('wClaimedS1'), 400, 'ASSIGNEE_INVALID', { body: { userId: x.u.streetS2 } }),
    c('streetS1', x.W('wClaimedS1'), 400, 'ASSIGNEE_INVALID', { body: { userId: x.u.adminA } }),
    c('memberA', x.W('wClaimed1'), 403, null, { body: { userId: x.u.memberA2 }, why: 'a member claimant does not assign' }),
    c('adminA', x.W('wClaimedSec'), 403, null, { body: { userId: x.u.memberA }, why: 'not the claimant' }),
    c('gridA', x.W('wClaimedAdmin'), 403, null, { body: { userId: x.u.memberA }, why: 'the assignee, not the claimant' }),
    c('memberA2', x.W('wClaimedSec'), 403, null, { body: { userId: x.u.memberA } }),
    c('R1', x.W('wClaimedAdmin'), 403, null, { body: { userId: x.u.memberA } }),
    c('streetS1', x.W('wClaimedAdmin'), 403, null, { body: { userId: x.u.memberA } }),
    c('cityC', x.W('wClaimedAdmin'), 403, null, { body: { userId: x.u.memberA } }),
    c('stranger', x.W('wClaimedAdmin'), 404, 'WISH_NOT_FOUND', { body: { userId: x.u.memberA } }),
    c('stranger', x.W('wClaimedAdmin'), 404, 'WISH_NOT_FOUND', { body: { userId: NO_ID } }),
    c('unitU4', x.W('wClaimedU1'), 404, 'WISH_NOT_FOUND', { body: { userId: x.u.unitU4 } }),
  ],
  'GET /api/wishes/{id}/assignees': (x) => {
    const people = (want: readonly Actor[], not: readonly Actor[]) => (r: HttpResult) => {
      const ids: number[] = Array.isArray(r.body) ? r.body.map((p: any) => p.userId) : [];
      const missing = want.filter((a) => !ids.includes(x.u[a]));
      const extra = not.filter((a) => ids.includes(x.u[a]));
      return missing.length || extra.length ? `missing ${missing.join(',') || '-'}; should not list ${extra.join(',') || '-'}` : null;
    };
    return [
      c('anon', x.W('wClaimedAdmin'), 401),
      // The claim organisation's people, as the rules list them — the claimant is one of them:
      // community claim: member/grid_worker/community_admin of the community; branch: member of the community or the branch secretary;
      // unit: unit_admin of that unit; street: street_handler of that street.
      c('adminA', x.W('wClaimedAdmin'), 200, null, { check: people(['memberA', 'memberA2', 'memberW', 'multi', 'gridA', 'adminA'], ['memberB', 'gridB', 'adminB', 'memberDeact', 'secA1', 'unitU1', 'streetS1', 'revoked', 'badGrant', 'R1']) }),
      c('secA1', x.W('wClaimedSec'), 200, null, { check: people(['memberA', 'memberA2', 'memberW', 'multi', 'secA1'], ['gridA', 'adminA', 'memberB', 'memberDeact', 'R1']) }),
      c('unitU1', x.W('wClaimedU1'), 200, null, { check: people(['unitU1', 'unitU1b'], ['unitU4', 'unitU2', 'memberA', 'adminA']) }),
      c('streetS1', x.W('wClaimedS1'), 200, null, { check: people(['streetS1', 'streetS1b'], ['streetS2', 'adminA', 'memberA']) }),
      c('memberA', x.W('wClaimed1'), 403, null, { why: 'a member claimant does not assign' }),
      c('adminA', x.W('wClaimedSec'), 403, null, { why: 'not the claimant' }),
      c('gridA', x.W('wClaimedAdmin'), 403),
      c('R1', x.W('wClaimedAdmin'), 403),
      c('streetS1', x.W('wClaimedAdmin'), 403),
      c('cityC', x.W('wClaimedAdmin'), 403),
      c('stranger', x.W('wClaimedAdmin'), 404, 'WISH_NOT_FOUND'),
      c('unitU4', x.W('wClaimedU1'), 404, 'WISH_NOT_FOUND'),
    ];
  },
  'POST /api/wishes/{id}/release': (x) => [
    c('anon', x.W('wClaimed1'), 401),
    c('memberA', x.fr.claimed1, 200, null, { body: {} }),
    c('secA1', x.fr.claimedSec, 200, null, { body: {} }),
    c('unitU1', x.fr.claimedU1, 200, null, { body: {} }),
    c('streetS1', x.fr.claimedS1, 200, null, { body: {} }),
    // The committee takes a claim back, with a reason.
    c('adminA', x.fr.claimed1, 200, null, { body: { reason: '党员临时出差' } }),
    c('adminA', x.fr.claimedU1, 200, null, { body: { reason: '联点单位无法办理' } }),
    c('adminA', x.W('wClaimed1'), 400, null, { body: {}, why: 'taking back needs a reason' }),
    c('gridA', x.W('wClaimedAdmin'), 403, null, { body: { reason: '退回' }, why: 'the assignee does not release' }),
    c('memberA2', x.W('wClaimedSec'), 403, null, { body: { reason: '退回' } }),
    c('R1', x.W('wClaimed1'), 403, null, { body: { reason: '退回' } }),
    c('streetS1', x.W('wClaimed1'), 403, null, { body: { reason: '退回' } }),
    c('cityD1', x.W('wClaimed1'), 403, null, { body: { reason: '退回' } }),
    c('cityC', x.W('wClaimed1'), 403, null, { body: { reason: '退回' } }),
    c('memberA2', x.W('wAwaiting'), 409, 'TRANSITION_NOT_ALLOWED', { body: {} }),
    c('adminA', x.W('wResolved'), 409, 'TRANSITION_NOT_ALLOWED', { body: { reason: '退回' } }),
    c('memberA2', x.W('wClaimed1'), 404, 'WISH_NOT_FOUND', { body: {} }),
    c('gridA', x.W('wClaimed1'), 404, 'WISH_NOT_FOUND', { body: { reason: '退回' } }),
    c('unitU1b', x.W('wClaimedS1'), 404, 'WISH_NOT_FOUND', { body: {} }),
  ],
  'POST /api/wishes/{id}/complete': (x) => [
    c('anon', x.W('wClaimed1'), 401),
    c('memberA', x.fr.claimed1, 200, null, { body: { note: '已修好' } }),
    c('adminA', x.fr.claimedAdmin, 200, null, { body: { note: '已修好' }, why: 'the claimant' }),
    c('gridA', x.fr.claimedAdmin, 200, null, { body: { note: '已修好' }, why: 'the assignee' }),
    c('secA1', x.fr.claimedSec, 200, null, { body: { note: '已修好' } }),
    c('memberA2', x.fr.claimedSec, 200, null, { body: { note: '已修好' }, why: 'the assignee' }),
    c('unitU1', x.fr.claimedU1, 200, null, { body: { note: '已修好', costFen: 500 } }),
    c('streetS1', x.fr.claimedS1, 200, null, { body: { note: '已修好' } }),
    c('secA1', x.W('wClaimedSec'), 400, null, { body: {}, why: 'a note is required' }),
    c('adminA', x.W('wClaimed1'), 403, null, { body: { note: '已修好' }, why: 'neither claimant nor assignee' }),
    c('R1', x.W('wClaimed1'), 403, null, { body: { note: '已修好' } }),
    c('streetS1', x.W('wClaimed1'), 403, null, { body: { note: '已修好' } }),
    c('cityC', x.W('wClaimed1'), 403, null, { body: { note: '已修好' } }),
    c('memberA2', x.W('wAwaiting'), 409, 'TRANSITION_NOT_ALLOWED', { body: { note: '再次完成' } }),
    c('memberA2', x.W('wClaimed1'), 404, 'WISH_NOT_FOUND', { body: { note: '已修好' } }),
    c('unitU4', x.W('wClaimedU1'), 404, 'WISH_NOT_FOUND', { body: { note: '已修好' } }),
  ],
  'POST /api/wishes/{id}/confirm': (x) => [
    c('anon', x.W('wAwaiting'), 401),
    c('R1', x.fr.awaiting, 200, null, { body: { rating: 'satisfied', comment: '谢谢' } }),
    c('gridA', x.fr.behalfAwaiting, 200, null, {
      body: { rating: 'basically_satisfied', consentMethod: 'written' },
      why: 'recorded for the resident, with how they consented',
      check: (r) => (r.body?.ratingOnBehalf?.consentMethod === 'written' ? null : `ratingOnBehalf ${JSON.stringify(r.body?.ratingOnBehalf)}`),
    }),
    c('gridA', x.W('wBehalf'), 400, 'CONSENT_METHOD_REQUIRED', { body: { rating: 'satisfied' } }),
    c('gridA', x.W('wBehalfGrid'), 403, 'OWN_HANDLING', { body: { rating: 'satisfied', consentMethod: 'verbal' }, why: 'filed it and did the work' }),
    // Four eyes, as the rules put it: a confirmation is never made by the wish's claimant or assignee (403 OWN_HANDLING).
    c('memberA2', x.W('wAwaiting'), 403, 'OWN_HANDLING', { body: { rating: 'satisfied' } }),
    c('memberA', x.W('wBehalf'), 403, 'OWN_HANDLING', { body: { rating: 'satisfied', consentMethod: 'verbal' } }),
    c('adminA', x.W('wAwaiting'), 403, null, { body: { rating: 'satisfied' }, why: 'not the submitter' }),
    c('streetS1', x.W('wAwaiting'), 403, null, { body: { rating: 'satisfied' } }),
    c('cityC', x.W('wAwaiting'), 403, null, { body: { rating: 'satisfied' } }),
    c('R1', x.W('wAwaiting'), 400, null, { body: { rating: 'great' } }),
    c('R1', x.W('wClaimed1'), 409, 'TRANSITION_NOT_ALLOWED', { body: { rating: 'satisfied' } }),
    c('memberA', x.W('wAwaiting'), 404, 'WISH_NOT_FOUND', { body: { rating: 'satisfied' } }),
    c('R2', x.W('wAwaiting'), 404, 'WISH_NOT_FOUND', { body: { rating: 'satisfied' } }),
  ],
  'POST /api/wishes/{id}/dispute': (x) => [
    c('anon', x.W('wAwaiting'), 401),
    c('R1', x.fr.awaiting, 200, null, { body: { reason: '灯还是不亮' } }),
    c('R1', x.W('wAwaiting'), 400, null, { body: {}, why: 'a reason is required' }),
    c('memberA2', x.W('wAwaiting'), 403, 'OWN_HANDLING', { body: { reason: '灯还是不亮' } }),
    c('gridA', x.W('wBehalfGrid'), 403, 'OWN_HANDLING', { body: { reason: '灯还是不亮' } }),
    c('adminA', x.W('wAwaiting'), 403, null, { body: { reason: '灯还是不亮' } }),
    c('streetS1', x.W('wAwaiting'), 403, null, { body: { reason: '灯还是不亮' } }),
    c('R1', x.W('wClaimed1'), 409, 'TRANSITION_NOT_ALLOWED', { body: { reason: '灯还是不亮' } }),
    c('stranger', x.W('wAwaiting'), 404, 'WISH_NOT_FOUND', { body: { reason: '灯还是不亮' } }),
  ],
  // 催办 (DOMAIN.md: the resident's own right; issue 15): only the submitter, once the step's expected time
  // passed (a wish moved up a tier has outlived the time first given; a fresh tier-1 one and a claim in
  // its window have not); everyone else who reads the wish 403, who cannot 404.
  'POST /api/wishes/{id}/urge': (x) => [
    c('anon', x.W('wOpen2'), 401),
    c('R1', x.fr.open2, 200, null, { body: {} }),
    c('R1', x.fr.open1, 409, 'URGE_TOO_EARLY', { body: {} }),
    c('R1', x.W('wClaimed1'), 409, 'URGE_TOO_EARLY', { body: {} }),
    c('R1', x.W('wResolved'), 409, 'URGE_NOT_APPLICABLE', { body: {} }),
    c('adminA', x.W('wOpen2'), 403, null, { body: {} }),
    c('memberA', x.W('wOpen2'), 403, null, { body: {} }),
    c('secA1', x.W('wOpen2'), 403, null, { body: {} }),
    c('memberA', x.W('wClaimed1'), 403, null, { body: {}, why: 'the claimant is urged, never urges' }),
    c('streetS1', x.W('wOpen2'), 403, null, { body: {} }),
    c('cityD1', x.W('wOpen2'), 403, null, { body: {} }),
    c('R2', x.W('wOpen2'), 404, 'WISH_NOT_FOUND', { body: {} }),
    c('adminB', x.W('wOpen2'), 404, 'WISH_NOT_FOUND', { body: {} }),
    c('unitU1', x.W('wOpen2'), 404, 'WISH_NOT_FOUND', { body: {} }),
    c('stranger', x.W('wOpen2'), 404, 'WISH_NOT_FOUND', { body: {} }),
  ],
  'POST /api/wishes/{id}/cancel': (x) => [
    c('anon', x.W('wOpen1'), 401),
    c('R1', x.fr.pendingA, 200, null, { body: {} }),
    c('R1', x.fr.open1, 200, null, { body: {} }),
    c('gridA', x.fr.pendingGrid, 200, null, { body: {}, why: 'the submitter' }),
    c('adminA', x.fr.open1, 200, null, { body: { code: 'withdrawn', reason: '居民电话告知已自行解决' } }),
    c('adminA', x.fr.claimed1, 200, null, { body: { code: 'cannot_be_done', reason: '需专业资质，社区无法办理' } }),
    c('adminA', x.fr.open1, 400, null, { body: {}, why: 'staff cancel with a reason' }),
    c('adminA', x.fr.open1, 400, 'CLOSURE_CODE_REQUIRED', { body: { reason: '居民已自行解决' }, why: 'DOMAIN "Closure": cancelling takes a code' }),
    c('R1', x.fr.open1, 400, 'CLOSURE_CODE_INVALID', { body: { code: 'spam' }, why: "a submitter's own cancellation is a withdrawal" }),
    c('R1', x.W('wClaimed1'), 403, null, { body: {}, why: 'the resident cancels before a claim' }),
    c('memberA', x.W('wClaimed1'), 403, null, { body: {} }),
    c('gridA', x.W('wPending'), 403, null, { body: { reason: '重复' }, why: 'cancelling is the committee’s' }),
    c('memberA', x.W('wOpen1'), 403, null, { body: {} }),
    c('multi', x.W('wOpen1'), 403, null, { body: { reason: '重复' } }),
    c('secA1', x.W('wOpen2'), 403, null, { body: { reason: '重复' } }),
    c('unitU1', x.W('wOpen3'), 403, null, { body: { reason: '重复' } }),
    c('streetS1', x.W('wOpen1'), 403, null, { body: { reason: '重复' } }),
    c('cityD1', x.W('wOpen1'), 403, null, { body: { reason: '重复' } }),
    c('cityC', x.W('wOpen1'), 403, null, { body: { reason: '重复' } }),
    c('adminA', x.W('wResolved'), 409, 'TRANSITION_NOT_ALLOWED', { body: { reason: '重复' } }),
    c('R1', x.W('wResolved'), 409, 'TRANSITION_NOT_ALLOWED', { body: {} }),
    c('adminB', x.W('wOpen1'), 404, 'WISH_NOT_FOUND', { body: { reason: '重复' } }),
    c('R2', x.W('wOpen1'), 404, 'WISH_NOT_FOUND', { body: {} }),
  ],

  // ---- reports and complaints (举报/投诉) ----
  // Anyone consented files a complaint to a community; a report only on a wish they read (READ), never their own.
  'POST /api/reports': (x) => [
    ...everyone('all', { body: { kind: 'complaint', category: 'suggestion', text: '建议增加夜间服务', communityId: x.o.A } }, { ok: 201, skip: ['noConsent'] }),
    c('noConsent', null, 403, 'CONSENT_REQUIRED', { body: { kind: 'complaint', category: 'suggestion', text: '建议增加夜间服务', communityId: x.o.A } }),
    c('memberA2', null, 201, null, { body: () => ({ kind: 'wish', category: 'false_info', wishId: x.w.wishId('wOpen1') }), why: "on A's wall" }),
    c('streetS1', null, 201, null, { body: () => ({ kind: 'wish', category: 'false_info', wishId: x.w.wishId('wOpen1') }), why: 'the street reads its wishes' }),
    c('memberB', null, 404, 'REPORT_TARGET_NOT_FOUND', { body: () => ({ kind: 'wish', category: 'false_info', wishId: x.w.wishId('wOpen1') }), why: "not B's wall" }),
    c('memberA', null, 404, 'REPORT_TARGET_NOT_FOUND', { body: () => ({ kind: 'wish', category: 'false_info', wishId: x.w.wishId('wSensitive') }), why: 'sensitive: never on the wall' }),
    c('streetS2', null, 404, 'REPORT_TARGET_NOT_FOUND', { body: () => ({ kind: 'wish', category: 'false_info', wishId: x.w.wishId('wOpen1') }), why: "another street's wish" }),
    c('R1', null, 400, 'REPORT_OWN_CONTENT', { body: () => ({ kind: 'wish', category: 'false_info', wishId: x.w.wishId('wOpen1') }), why: 'her own wish' }),
  ],
  'GET /api/me/reports': () => everyone('all'),
  // The desk of the communities under the grant; a deactivated community's admin has none.
  'GET /api/reports': (x) => [
    ...everyone(REPORT_DESK),
    c('adminA', null, 200, null, { query: `?communityId=${x.o.A}` }),
    c('adminA', null, 403, 'FORBIDDEN', { query: `?communityId=${x.o.B}`, why: "B is not A's committee's" }),
    c('streetS2', null, 403, 'FORBIDDEN', { query: `?communityId=${x.o.A}`, why: 'A is in S1' }),
    c('cityD1', null, 403, 'FORBIDDEN', { query: `?communityId=${x.o.E}`, why: 'E is in D2' }),
    c('cityC', null, 200, null, { query: `?communityId=${x.o.E}` }),
  ],
  // A complaint by R1 to A: answered by A's committee, S1's desk, D1 and the city; 404 to anyone else but its reporter (403).
  'POST /api/reports/{id}/handle': (x) => [
    c('anon', x.fr.reportOpen, 401, 'UNAUTHENTICATED', { body: { reply: '已处理' } }),
    c('adminA', x.fr.reportA, 200, null, { body: { reply: '已处理' }, check: (r) => (r.body?.state === 'handled' ? null : `state ${r.body?.state}`) }),
    c('adminA', x.fr.reportOpen, 400, 'VALIDATION_FAILED', { body: {}, why: 'a reply is required' }),
    c('streetS1', x.fr.reportA, 200, null, { body: { reply: '已处理' } }),
    c('streetS1b', x.fr.reportA, 200, null, { body: { reply: '已处理' } }),
    c('cityD1', x.fr.reportA, 200, null, { body: { reply: '已处理' } }),
    c('cityC', x.fr.reportA, 200, null, { body: { reply: '已处理' } }),
    c('R1', x.fr.reportOpen, 403, 'FORBIDDEN', { body: { reply: '已处理' }, why: 'the reporter reads it, does not answer it' }),
    ...(['R2', 'stranger', 'memberA', 'gridA', 'adminB', 'adminE', 'adminF', 'secA1', 'unitU1', 'streetS2', 'multi', 'revoked', 'badGrant'] as const).map((who) =>
      c(who, x.fr.reportOpen, 404, 'REPORT_NOT_FOUND', { body: { reply: '已处理' } }),
    ),
    c('adminA', x.lit(NO_ID), 404, 'REPORT_NOT_FOUND', { body: { reply: '已处理' } }),
    c('adminA', x.fr.reportHandled, 409, 'REPORT_ALREADY_HANDLED', { body: { reply: '再次答复' } }),
  ],

  // ---- funds ----
  'GET /api/funds': (x) => {
    const communities = (want: readonly OrgKey[]) => (r: HttpResult) => {
      const got = (Array.isArray(r.body) ? r.body.map((f: any) => f.communityId) : []).sort((a: number, b: number) => a - b);
      const exp = want.map((k) => x.o[k]).sort((a, b) => a - b);
      return JSON.stringify(got) === JSON.stringify(exp) ? null : `communities ${JSON.stringify(got)}, expected ${JSON.stringify(exp)} (${want.join(',')})`;
    };
    return [
      ...everyone(FUNDS, { query: `?year=${YEAR}` }),
      c('adminA', null, 200, null, { query: `?year=${YEAR}`, check: communities(['A']) }),
      c('streetS2', null, 200, null, { query: `?year=${YEAR}`, check: communities(['E']) }),
      c('adminA', null, 403, null, { query: `?communityId=${x.o.B}` }),
      c('multi', null, 403, null, { query: `?communityId=${x.o.A}`, why: 'a member of A has no funds' }),
      c('streetS1', null, 403, null, { query: `?communityId=${x.o.E}` }),
      c('cityD1', null, 403, null, { query: `?communityId=${x.o.E}` }),
      c('cityC', null, 200, null, { query: `?communityId=${x.o.E}` }),
    ];
  },
  'GET /api/funds/spends': (x) => [
    ...everyone(FUNDS),
    c('adminA', null, 200, null, { check: (r) => (Array.isArray(r.body) && r.body.some((s: any) => s.id === x.w.spends.pending) ? null : 'the pending spend of A is not listed') }),
    c('streetS2', null, 200, null, { check: (r) => (Array.isArray(r.body) && r.body.length === 0 ? null : `S2 sees ${JSON.stringify(r.body?.map?.((s: any) => s.id))}`) }),
    c('adminA', null, 403, null, { query: `?communityId=${x.o.B}` }),
    c('streetS1', null, 403, null, { query: `?communityId=${x.o.E}` }),
  ],
  'PUT /api/funds/{communityId}/{year}': (x) => everyone(['cityC'], { params: { communityId: x.o.B, year: YEAR }, body: { budgetFen: 30_000_000 } }),
  'POST /api/funds/spends/{id}/approve': (x) => [
    c('anon', x.S('pending'), 401),
    c('adminA', x.fr.spendCommunity, 200),
    c('streetS1', x.fr.spendStreet, 200, null, { why: 'above the budget: the street decides' }),
    c('adminA', x.S('ownSub'), 403, 'OWN_SUBMISSION', { why: 'adminA submitted the wish' }),
    c('adminA', x.S('ownHandling'), 403, 'OWN_HANDLING', { why: 'adminA reported the cost' }),
    c('streetS1', x.S('streetOwn'), 403, 'OWN_HANDLING', { why: 'streetS1 reported the cost' }),
    c('adminA', x.S('street'), 403, null, { why: "the street's stage" }),
    c('streetS1', x.S('pending'), 403, null, { why: "the committee's stage" }),
    c('streetS1b', x.S('pending'), 403),
    c('cityD1', x.S('pending'), 403, null, { why: 'reads the funds, decides nothing' }),
    c('cityC', x.S('street'), 403),
    c('adminA', x.S('approved'), 409, 'FUND_SPEND_NOT_PENDING'),
    ...(['adminB', 'adminE', 'multi', 'gridA', 'memberW', 'R1', 'secA1', 'unitU1', 'stranger', 'badGrant', 'adminF', 'revoked', 'streetS2'] as const).map((a) =>
      c(a, x.S('pending'), 404, 'FUND_SPEND_NOT_FOUND'),
    ),
    c('streetS2', x.S('street'), 404, 'FUND_SPEND_NOT_FOUND'),
    c('adminA', x.lit(NO_ID), 404, 'FUND_SPEND_NOT_FOUND'),
  ],
  'POST /api/funds/spends/{id}/refuse': (x) => [
    c('anon', x.S('pending'), 401),
    c('adminA', x.fr.spendCommunity, 200, null, { body: { reason: '票据不全' } }),
    c('streetS1', x.fr.spendStreet, 200, null, { body: { reason: '超出年度预算' } }),
    c('adminA', x.fr.spendCommunity, 400, null, { body: {}, why: 'a reason is required' }),
    c('adminA', x.S('street'), 403, null, { body: { reason: '超支' } }),
    c('streetS1', x.S('pending'), 403, null, { body: { reason: '超支' } }),
    c('cityD1', x.S('pending'), 403, null, { body: { reason: '超支' } }),
    c('cityC', x.S('street'), 403, null, { body: { reason: '超支' } }),
    c('adminA', x.S('approved'), 409, 'FUND_SPEND_NOT_PENDING', { body: { reason: '超支' } }),
    ...(['adminB', 'multi', 'gridA', 'memberW', 'R1', 'secA1', 'unitU1', 'stranger', 'badGrant', 'streetS2'] as const).map((a) =>
      c(a, x.S('pending'), 404, 'FUND_SPEND_NOT_FOUND', { body: { reason: '超支' } }),
    ),
    c('adminA', x.lit(NO_ID), 404, 'FUND_SPEND_NOT_FOUND', { body: { reason: '超支' } }),
  ],

  // ---- the ledger (台账) ----
  'GET /api/ledger/wishes': () => everyone(LEDGER, {}, { denyCode: 'FORBIDDEN' }),
  'GET /api/ledger/wishes/{id}': (x) => [
    c('anon', x.W('wPending'), 401),
    ...(
      [
        ['adminA', 'wPending', 200],
        ['adminA', 'wResolved', 200],
        ['adminA', 'wU2', 200],
        ['adminA', 'wB1', 404],
        ['adminA', 'wE1', 404],
        ['adminB', 'wB1', 200],
        ['adminB', 'wOpen1', 404],
        ['multi', 'wB1', 200],
        ['multi', 'wOpen1', 404], // the wall is not a ledger
        ['adminE', 'wE3', 200],
        ['adminE', 'wOpen3', 404],
        ['secA1', 'wOpen2', 200],
        ['secA1', 'wClaimedSec', 200],
        ['secA1', 'wSensitiveSec', 200],
        ['secA1', 'wOpen1', 404],
        ['secA1', 'wOpen2a2', 404],
        ['secA1', 'wPending', 404],
        ['secA1', 'wClaimedAdmin', 404],
        ['unitU1', 'wOpen3', 200],
        ['unitU1', 'wClaimedU1', 200],
        ['unitU1', 'wU2', 404],
        ['unitU1', 'wOpen1', 404],
        ['unitU1', 'wE3', 404],
        ['unitU1b', 'wClaimedU1', 200],
        ['unitU2', 'wU2', 200],
        ['unitU2', 'wOpen3', 404],
        ['unitU3', 'wE3', 200],
        ['unitU3', 'wOpen3', 404],
        ['unitU4', 'wOpen3', 200],
        ['unitU4', 'wClaimedU1', 404],
        ['streetS1', 'wPending', 200],
        ['streetS1', 'wB1', 200],
        ['streetS1', 'wF', 200],
        ['streetS1', 'wE3', 404],
        ['streetS2', 'wE3', 200],
        ['streetS2', 'wOpen1', 404],
        ['cityD1', 'wB1', 200],
        ['cityD1', 'wE1', 404],
        ['cityC', 'wE1', 200],
        ['cityC', 'wOpen1', 200],
      ] as [Actor, WishKey, number][]
    ).map(([a, k, s]) => c(a, x.W(k), s, s === 404 ? 'WISH_NOT_FOUND' : null)),
    c('adminA', x.lit(NO_ID), 404, 'WISH_NOT_FOUND'),
    // No ledger at all: 403 FORBIDDEN, even on one's own wish.
    ...(['R1', 'R2', 'stranger', 'noConsent', 'memberA', 'memberA2', 'memberW', 'memberB', 'memberDeact', 'gridA', 'gridB', 'adminF', 'badGrant', 'revoked', 'regUser1', 'regUser2'] as const).map((a) =>
      c(a, x.W('wPending'), 403, 'FORBIDDEN'),
    ),
    c('R1', x.W('wOpen1'), 403, 'FORBIDDEN', { why: 'her own wish, but a resident has no ledger' }),
  ],
  'GET /api/ledger/rates': (x) => rateCells(x, rateQuery, `?scope=city&from=${YEAR}-01-01&to=${YEAR}-12-31`),
  // The same figures as /rates, with their rules: the same readers (DOMAIN: who reads a scope's rates).
  'GET /api/ledger/rates/explained': (x) => rateCells(x, rateQuery, `?scope=city&from=${YEAR}-01-01&to=${YEAR}-12-31`),
  'GET /api/ledger/ranking': (x) => rateCells(x, rateQuery, `?scope=city&from=${YEAR}-01-01&to=${YEAR}-12-31`),
  'GET /api/ledger/dashboard': (x) => rateCells(x, dashQuery, `?scope=city&year=${YEAR}`),
  'GET /api/ledger/verify': (x) => rateCells(x, verifyQuery, `?scope=city&day=${YEAR}-06-01`),
  // Integrity flags and the wishes behind them: whoever reads that organisation's rates (DOMAIN: the committee its community, the street its communities, the district and city theirs).
  'GET /api/ledger/integrity': (x) => rateCells(x, rateQuery, `?scope=city&from=${YEAR}-01-01&to=${YEAR}-12-31`),
  'GET /api/ledger/integrity/wishes': (x) => rateCells(x, (x, scope, org) => `${rateQuery(x, scope, org)}&flag=silent_confirmation`, `?scope=city&from=${YEAR}-01-01&to=${YEAR}-12-31&flag=silent_confirmation`),
  'POST /api/ledger/export-links': () => everyone(EXPORTERS, { body: { format: 'csv' } }),
  'GET /api/ledger/export.csv': () => everyone(EXPORTERS),
  'GET /api/ledger/export.xlsx': () => everyone(EXPORTERS),
  // Public: the token in the query is the permission.
  'GET /api/ledger/download': (x) => [
    c('anon', null, 200, null, { url: async () => (await x.w.ok('POST', '/api/ledger/export-links', 'adminA', { format: 'csv' })).url }),
    c('anon', null, 410, 'EXPORT_LINK_INVALID', { url: () => '/api/ledger/download?token=not-a-link' }),
  ],
};

let photoUrlCache: string | null = null;
/** A push request whose signature does not hold: 401 WECHAT_PUSH_SIGNATURE_INVALID, with or without a bearer token. */
function unsigned(who: Who, more: Partial<Cell>): Cell {
  return { ...c(who, null, 401), code: 'WECHAT_PUSH_SIGNATURE_INVALID', ...more };
}

/** /api/wechat/push signed as WeChat signs it (good) or with one digit changed, at the app's time. */
function pushUrl(x: Ctx, good: boolean, extra = ''): string {
  const timestamp = String(Math.floor(x.w.t.clock.now().getTime() / 1000));
  const nonce = '271828';
  const sig = createHash('sha1').update([ACCESS_PUSH_TOKEN, timestamp, nonce].sort().join('')).digest('hex');
  const signature = good ? sig : (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1);
  return `/api/wechat/push?signature=${signature}&timestamp=${timestamp}&nonce=${nonce}${extra}`;
}

async function photoUrl(x: Ctx): Promise<string> {
  if (!photoUrlCache) {
    const r = await x.w.send('POST', '/api/photos', 'R1', undefined, photoForm());
    if (r.status !== 201) throw new Error(`photo upload answered ${r.status}`);
    photoUrlCache = r.body.url as string;
  }
  return photoUrlCache;
}

// ---- running ----

const method = (route: string) => route.split(' ')[0];
const template = (route: string) => route.split(' ')[1];
const isWishRoute = (route: string) => template(route).startsWith('/api/wishes/{id}');
const codeOk = (want: Cell['code'], got: unknown) => !want || (Array.isArray(want) ? want.includes(got as string) : want === got);
const fmtWant = (status: number, code: Cell['code']) => `${status}${code ? ` ${Array.isArray(code) ? code.join('|') : code}` : ''}`;

interface Stats {
  cells: number;
  requests: number;
  pairs: Set<string>;
}

async function runCell(w: AccessWorld, route: string, cell: Cell, stats: Stats): Promise<string[]> {
  const m = method(route);
  const label = `${cell.who} ${route}${cell.at ? ` [${cell.at.label}]` : ''}${cell.query ?? ''}`;
  stats.cells++;
  stats.pairs.add(`${route}|${cell.who}`);
  let id: number | string | undefined;
  try {
    id = cell.at ? await cell.at.get() : undefined;
  } catch (e) {
    return [`${label}: the subject could not be made: ${(e as Error).message}`];
  }
  let path: string;
  try {
    path = cell.url ? await cell.url() : template(route).replace(/\{(\w+)\}/g, (_, name: string) => String(cell.params?.[name] ?? id ?? `{${name}}`)) + (cell.query ?? '');
  } catch (e) {
    return [`${label}: the URL could not be made: ${(e as Error).message}`];
  }
  const body = typeof cell.body === 'function' ? await (cell.body as (who: Who) => unknown)(cell.who) : cell.body;
  const asUser = cell.asUser ? Number(await cell.asUser.get()) : null;
  // GET carries no body; DELETE only the one a cell gives (DELETE /api/me takes {confirm: true}).
  const payload = (b: unknown) => (cell.raw ? undefined : m === 'GET' ? undefined : m === 'DELETE' ? b : (b ?? {}));
  const send = (b: unknown) => (asUser !== null ? w.sendAsUser(m, path, asUser, payload(b)) : w.send(m, path, cell.who, payload(b), cell.raw?.()));
  const res = await send(body);
  stats.requests++;
  const why = cell.why ? ` (${cell.why})` : '';
  const out: string[] = [];
  if (res.status !== cell.status || !codeOk(cell.code, res.body?.code)) {
    out.push(`${label}: expected ${fmtWant(cell.status, cell.code)}, got ${res.status} ${res.body?.code ?? ''}${why}`);
    return out;
  }
  if (cell.status === 404 && NOT_FOUND_CODES.includes(String(cell.code)) && m !== 'GET' && m !== 'DELETE') {
    const again = await send(INVALID_BODY);
    stats.requests++;
    if (again.status !== 404 || again.body?.code !== cell.code) out.push(`${label}: with an invalid body expected 404 ${cell.code}, got ${again.status} ${again.body?.code ?? ''}`);
  }
  if (cell.check) {
    const p = await cell.check(res, { id, who: cell.who, path });
    if (p) out.push(`${label}: ${p}${why}`);
  }
  return out;
}

/** Runs work items `n` at a time. */
async function pool<T>(items: T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

describe('the access matrix', () => {
  let t: TestApp;
  let w: AccessWorld;
  let x: Ctx;
  const stats: Stats = { cells: 0, requests: 0, pairs: new Set() };

  beforeAll(async () => {
    t = await createAccessApp();
    w = await buildAccessWorld(t);
    const ref = (label: string, get: () => number | string | Promise<number | string>): Ref => ({ label, get });
    /** A subject made on first use and the same one after. */
    const once = (label: string, make: () => Promise<number>): Ref => {
      let made: Promise<number> | undefined;
      return ref(label, () => (made ??= make()));
    };
    /** `${key}Reg` and `${key}User`: a registration and its registrant, made once. */
    const pair = (key: string, label: string, make: () => Promise<{ regId: number; userId: number }>): Record<string, Ref> => {
      let made: Promise<{ regId: number; userId: number }> | undefined;
      const get = () => (made ??= make());
      return { [`${key}Reg`]: ref(label, async () => (await get()).regId), [`${key}User`]: ref(`its registrant`, async () => (await get()).userId) };
    };
    let policyBody: unknown = null;
    x = {
      w,
      W: (k) => ref(k, () => w.wishId(k)),
      S: (k) => ref(`spend ${k}`, () => w.spendId(k)),
      R: (k) => ref(k, () => w.regId(k)),
      lit: (v) => ref(String(v), () => v),
      u: w.users,
      o: w.org,
      policy: () => policyBody,
      fr: {
        pendingA: ref('new pending wish of A', () => w.submit({ label: 'fresh' })),
        pendingB: ref('new pending wish of B', () => w.submit({ label: 'fresh', community: 'B' })),
        pendingGrid: ref('new wish filed by gridA', () => w.submit({ label: 'fresh', by: 'gridA', behalf: true })),
        open1: ref('new open tier-1 wish of A', () => w.open({ label: 'fresh' })),
        open2: ref('new open tier-2 wish of A/a1', () => w.open({ label: 'fresh', tier: 2 })),
        open3: ref('new open tier-3 wish of A', () => w.open({ label: 'fresh', tier: 3 })),
        open4: ref('new open tier-4 wish of A', () => w.open({ label: 'fresh', urgent: true })),
        gridFiledOpen2: ref('new open tier-2 wish filed by gridA', () => w.open({ label: 'fresh', by: 'gridA', behalf: true, tier: 2 })),
        sensitive2: ref('new sensitive open tier-2 wish of A/a1', () => w.open({ label: 'fresh', tier: 2, category: 'health' })),
        claimed1: ref('new wish claimed by memberA', () => w.claimed({ label: 'fresh', claimer: 'memberA' })),
        claimedAdmin: ref('new wish claimed by adminA, assigned to gridA', () => w.claimed({ label: 'fresh', tier: 2, claimer: 'adminA', assignee: 'gridA' })),
        claimedAdminBare: ref('new wish claimed by adminA', () => w.claimed({ label: 'fresh', tier: 2, claimer: 'adminA' })),
        claimedSec: ref('new wish claimed by secA1, assigned to memberA2', () => w.claimed({ label: 'fresh', tier: 2, claimer: 'secA1', assignee: 'memberA2' })),
        claimedU1: ref('new wish claimed by unitU1', () => w.claimed({ label: 'fresh', tier: 3, claimer: 'unitU1' })),
        claimedS1: ref('new wish claimed by streetS1', () => w.claimed({ label: 'fresh', urgent: true, claimer: 'streetS1' })),
        awaiting: ref('new wish completed by memberA2', () => w.awaiting({ label: 'fresh', claimer: 'memberA2' })),
        behalfAwaiting: ref('new wish filed by gridA, completed by memberA', () => w.awaiting({ label: 'fresh', by: 'gridA', behalf: true, claimer: 'memberA' })),
        spendCommunity: ref('new spend pending the committee', () => w.spendPendingCommunity()),
        spendStreet: ref('new spend pending the street', () => w.spendPendingStreet()),
        regPendingA: ref('new pending registration at A', async () => (await w.pendingRegistration('A')).regId),
        regPendingB: ref('new pending registration at B', async () => (await w.pendingRegistration('B')).regId),
        memberRegA: ref('new verified member of A', async () => (await w.verifiedMember('A')).regId),
        // Pairs made once: the subject and the person acting on it.
        ...pair('wdPending', 'new pending registration at A', () => w.pendingRegistration('A')),
        ...pair('wdMember', 'new verified member of A', () => w.verifiedMember('A')),
        delResident: once('a new resident', () => w.freshPerson()),
        delMember: once('a new verified member of A', async () => (await w.verifiedMember('A')).userId),
        reportA: ref("new complaint by R1 to A", async () => (await w.ok('POST', '/api/reports', 'R1', { kind: 'complaint', category: 'attitude', text: '窗口工作人员态度生硬', communityId: w.org.A })).id),
        reportOpen: once('a complaint by R1 to A, left open', async () => (await w.ok('POST', '/api/reports', 'R1', { kind: 'complaint', category: 'overdue', text: '报修两周没人来', communityId: w.org.A })).id),
        reportHandled: once('a complaint by R1 to A, answered', async () => {
          const r = await w.ok('POST', '/api/reports', 'R1', { kind: 'complaint', category: 'quality', text: '维修后又坏了', communityId: w.org.A });
          await w.ok('POST', `/api/reports/${r.id}/handle`, 'adminA', { reply: '已安排复修' });
          return r.id;
        }),
        calendarDay: ref('a day cityC entered', async () => {
          await w.ok('PUT', '/api/dispatch/calendar/2027-03-07', 'cityC', { kind: 'workday', note: '调休上班' });
          return '2027-03-07';
        }),
      },
    };
    const p = await w.send('GET', '/api/dispatch/policy', 'cityC');
    policyBody = { windows: p.body?.windows ?? [] };
  }, 300_000);
  afterAll(async () => {
    // eslint-disable-next-line no-console
    console.log(`access matrix: ${stats.pairs.size} route × person pairs, ${stats.cells} cells, ${stats.requests} requests`);
    await t?.close();
  });

  it('was built as the world describes (nothing failed to build)', () => {
    expect(w.problems).toEqual([]);
  });

  it('has a block for every route of openapi.json, and no block for a route that is not there', () => {
    const missing = OPENAPI_ROUTES.filter((r) => !BLOCKS[r]);
    const stale = Object.keys(BLOCKS).filter((r) => !OPENAPI_ROUTES.includes(r));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  describe('fields, by reader', () => {
    it('lists: each wish there (or not) with the contact the reader gets', async () => {
      const fails: string[] = [];
      for (const [path0, who, k, want] of LISTS) {
        const path = path0.replace(/\{(\w+)\}/g, (_, o: OrgKey) => String(w.org[o]));
        let id: number;
        try {
          id = w.wishId(k);
        } catch (e) {
          fails.push(`${who} ${path} ${k}: ${(e as Error).message}`);
          continue;
        }
        const list = await w.pages(path, who);
        if (list.status !== 200) {
          fails.push(`${who} ${path}: answered ${list.status} ${list.body?.code ?? ''}`);
          continue;
        }
        const item = list.items.find((i) => i.id === id);
        if (want === 'absent') {
          if (item) fails.push(`${who} ${path}: lists ${k}, which it should not`);
          continue;
        }
        if (!item) {
          fails.push(`${who} ${path}: ${k} is not listed`);
          continue;
        }
        const p = contactProblem(item, want, w.info.get(id)!);
        if (p) fails.push(`${who} ${path} ${k}: ${p}`);
      }
      expect(fails).toEqual([]);
    });

    it('timeline: names for the submitter and the community staff; a role and an organisation for the others', async () => {
      const fails: string[] = [];
      for (const [k, who, want] of TIMELINE) {
        const id = w.wishes[k];
        const info = id === undefined ? undefined : w.info.get(id);
        if (!info) {
          fails.push(`${k}: not built`);
          continue;
        }
        const r = await w.send('GET', `/api/wishes/${id}`, who);
        if (r.status !== 200) {
          fails.push(`${who} ${k}: answered ${r.status}`);
          continue;
        }
        const events: any[] = r.body.timeline ?? [];
        const submit = events.find((e) => e.type === 'submit');
        const approve = events.find((e) => e.type === 'approve');
        const claim = events.find((e) => e.type === 'claim');
        if (want === 'names') {
          if (submit?.actorName !== PEOPLE[info.submitter].name) fails.push(`${who} ${k}: submit actorName ${submit?.actorName}, expected ${PEOPLE[info.submitter].name}`);
          if (approve && info.approver && approve.actorName !== PEOPLE[info.approver].name) fails.push(`${who} ${k}: approve actorName ${approve.actorName}, expected ${PEOPLE[info.approver].name}`);
        } else {
          const named = events.filter((e) => e.actorName !== null);
          if (named.length) fails.push(`${who} ${k}: names shown: ${named.map((e) => `${e.type}=${e.actorName}`).join(', ')}`);
          if (!submit?.actorRole) fails.push(`${who} ${k}: submit event without actorRole`);
          if (approve && info.approver?.startsWith('admin') && (approve.actorRole !== 'community_admin' || approve.actorOrg !== ORG_NAMES[info.community]))
            fails.push(`${who} ${k}: approve event ${approve.actorRole}/${approve.actorOrg}, expected community_admin/${ORG_NAMES[info.community]}`);
          const co = info.claimer ? CLAIM_ORG[info.claimer] : undefined;
          if (claim && co && (claim.actorRole !== co[0] || claim.actorOrg !== ORG_NAMES[co[1]])) fails.push(`${who} ${k}: claim event ${claim.actorRole}/${claim.actorOrg}, expected ${co[0]}/${ORG_NAMES[co[1]]}`);
        }
      }
      expect(fails).toEqual([]);
    });

    it("sensitive descriptions: the text for the submitter, the community's staff and the active claimant only", async () => {
      const fails: string[] = [];
      for (const [k, who, want] of DESCRIPTION) {
        const id = w.wishes[k];
        if (id === undefined) {
          fails.push(`${k}: not built`);
          continue;
        }
        const r = await w.send('GET', `/api/wishes/${id}`, who);
        const exp = want === 'text' ? w.info.get(id)!.description : null;
        if (r.status !== 200) fails.push(`${who} ${k}: answered ${r.status}`);
        else if (r.body.description !== exp) fails.push(`${who} ${k}: description ${JSON.stringify(r.body.description)}, expected ${JSON.stringify(exp)}`);
      }
      expect(fails).toEqual([]);
    });

    it("the claimant's name: full for the submitter, the community's staff and the claimant; masked for the others", async () => {
      const fails: string[] = [];
      for (const [k, who, want] of CLAIMANT_NAME) {
        const id = w.wishes[k];
        const claimer = id === undefined ? null : w.info.get(id)!.claimer;
        if (!claimer) {
          fails.push(`${k}: not built`);
          continue;
        }
        const full = PEOPLE[claimer].name;
        const r = await w.send('GET', `/api/wishes/${id}`, who);
        const name = r.body?.claimant?.name;
        if (r.status !== 200) fails.push(`${who} ${k}: answered ${r.status}`);
        else if (want === 'full' ? name !== full : !isMaskedName(name, full)) fails.push(`${who} ${k}: claimant ${JSON.stringify(name)}, expected ${want} (${full})`);
      }
      expect(fails).toEqual([]);
    });

    it("the ledger names the claimant in full to the community's admin, masked to the street and the city (list, line, CSV)", async () => {
      const fails: string[] = [];
      const id = w.wishId('wClaimed1');
      const full = PEOPLE.memberA.name;
      const want: [Who, Contact][] = [
        ['adminA', F],
        ['streetS1', M],
        ['cityD1', M],
        ['cityC', M],
      ];
      for (const [who, exp] of want) {
        const list = await w.pages('/api/ledger/wishes', who, 100);
        const row = list.items.find((i) => i.id === id);
        const line = await w.send('GET', `/api/ledger/wishes/${id}`, who);
        for (const [where, name] of [
          ['list', row?.claimant?.name],
          ['line', line.body?.claimant?.name],
        ] as const) {
          if (exp === 'full' ? name !== full : !isMaskedName(name, full)) fails.push(`${who} ledger ${where}: claimant ${JSON.stringify(name)}, expected ${exp}`);
        }
      }
      // The export: the community's admin and the city admins (the street has no export).
      for (const [who, exp] of [
        ['adminA', F],
        ['cityD1', M],
        ['cityC', M],
      ] as [Who, Contact][]) {
        const res = await w.send('GET', '/api/ledger/export.csv', who);
        if (res.status !== 200) {
          fails.push(`${who} export.csv: answered ${res.status}`);
          continue;
        }
        const rows = parseCsv(String(res.body));
        const col = rows[0].indexOf('认领人');
        const noCol = rows[0].indexOf('编号');
        const row = rows.slice(1).find((r) => idOfWishNo(r[noCol]) === id);
        if (col < 0 || noCol < 0 || !row) {
          fails.push(`${who} export.csv: no 认领人/编号 column or no row for wClaimed1`);
          continue;
        }
        if (exp === 'full' ? row[col] !== full : !isMaskedName(row[col], full)) fails.push(`${who} export.csv 认领人 ${JSON.stringify(row[col])}, expected ${exp}`);
      }
      expect(fails).toEqual([]);
    });
  });

  describe('routes', () => {
    // Reads first, so the world's subjects are as built when they are read; moves after.
    // A block whose route is not (yet) in openapi.json runs too: the server is asked all the same.
    const order = [...OPENAPI_ROUTES, ...Object.keys(BLOCKS).filter((r) => !OPENAPI_ROUTES.includes(r))].sort((a, b) => Number(method(a) !== 'GET') - Number(method(b) !== 'GET'));
    for (const route of order) {
      it(route, async () => {
        const block = BLOCKS[route];
        if (!block) throw new Error(`${route} is in openapi.json but has no block in the access matrix: add its row of expectations`);
        const fails: string[] = [];
        for (const cell of block(x)) fails.push(...(await runCell(w, route, cell, stats)));
        expect(fails).toEqual([]);
      });
    }
  });

  describe('wishes out of sight answer 404 WISH_NOT_FOUND on every /api/wishes/{id} route, whatever the body', () => {
    // Every person × every wish of the world they may not read (READ), on each route of a wish but the detail (its block has them all).
    const routes = [...new Set([...OPENAPI_ROUTES, ...Object.keys(BLOCKS)])].filter((r) => isWishRoute(r) && r !== 'GET /api/wishes/{id}');
    for (const route of routes) {
      it(route, async () => {
        const fails: string[] = [];
        const cells: Cell[] = [];
        for (const k of WISH_KEYS.filter((k) => w.wishes[k] !== undefined)) for (const a of ACTORS) if (!READ[k][a]) cells.push(c(a, x.W(k), 404, 'WISH_NOT_FOUND', { body: INVALID_BODY }));
        await pool(cells, 8, async (cell) => {
          fails.push(...(await runCell(w, route, cell, stats)));
        });
        expect(fails.sort()).toEqual([]);
      });
    }
  });
});
