// The world of the authorisation tests (access-matrix, list-detail): a city with two
// districts, a deactivated community, four paired units (paired today, in the past
// only, elsewhere, and until today), one person for each role and scope relation,
// and wishes in every state. Organisations and people are made with the demo
// fixtures; wishes are moved through the real API. Only what the server's timers
// would do (escalation, supervision) and what has no API (a deactivated
// organisation, a revoked grant, an inbox message) is written directly.
//
// Time: the world is built on 2026-06-10 (Beijing) for one wish handled by U2 while
// it was paired, then on 2026-11-24 from 07:00 Beijing. At 07:00 Beijing it is still
// 2026-11-23 in UTC, so a "today" taken in UTC instead of Beijing shows: U2's pairing
// ended on 2026-11-23, U4's ends on 2026-11-24 (today, inclusive).
import type { Role } from '@xinyuan/shared';
import { FakeClock } from '../../src/common/clock';
import { makeOrg, makePerson, pairUnit } from '../../src/modules/demo/fixtures';
import { RatesRollup } from '../../src/modules/ledger/rates-rollup';
import { createTestApp, type TestApp } from '../create-test-app';
import type { HttpResult } from '../http';

export { bj } from '../support';
import { bj } from '../support';
export const TODAY = '2026-11-24';
export const YESTERDAY = '2026-11-23';
export const START = bj(`${TODAY}T07:00:00`);
/** When U2 was still paired with A (and U1, U4 too). */
export const PAST = bj('2026-06-10T10:00:00');
export const YEAR = 2026;

/** A body no route accepts; an object the actor may not see answers 404 with it all the same. */
export const INVALID_BODY = { reason: 123, x: {} };

// ---- organisations ----

export const ORG_KEYS = ['city', 'D1', 'D2', 'S1', 'S2', 'A', 'a1', 'a2', 'B', 'b1', 'E', 'e1', 'F', 'U1', 'U2', 'U3', 'U4'] as const;
export type OrgKey = (typeof ORG_KEYS)[number];
export type CommunityKey = 'A' | 'B' | 'E' | 'F';
export const ORG_NAMES: Record<OrgKey, string> = {
  city: '西宁市',
  D1: '城中区',
  D2: '城东区',
  S1: '人民街街道',
  S2: '东关街道',
  A: '北小街社区',
  a1: '康乐小区',
  a2: '阳光小区',
  B: '礼让街社区',
  b1: '礼让小区',
  E: '东关社区',
  e1: '清真巷小区',
  F: '南山社区',
  U1: '市供电公司',
  U2: '市水务集团',
  U3: '市燃气公司',
  U4: '市邮政分公司',
};
/** The community each compound belongs to, and each community's street. */
export const COMPOUND_OF: Record<'a1' | 'a2' | 'b1' | 'e1', CommunityKey> = { a1: 'A', a2: 'A', b1: 'B', e1: 'E' };
export const STREET_OF: Record<CommunityKey, 'S1' | 'S2'> = { A: 'S1', B: 'S1', E: 'S2', F: 'S1' };
export const DISTRICT_OF: Record<'S1' | 'S2', 'D1' | 'D2'> = { S1: 'D1', S2: 'D2' };

// ---- people ----

export const ACTORS = [
  'R1', // resident, submits most of A's wishes for herself
  'R2', // resident, submits the wishes of B, E and F
  'stranger', // no grants, submitted nothing
  'noConsent', // no grants, never consented to the privacy notice
  'memberA', // verified member of A
  'memberA2', // verified member of A
  'memberW', // verified member of A who reports costs (the spends)
  'memberB', // verified member of B
  'memberDeact', // was a verified member of A, deactivated while holding claims
  'gridA', // grid worker of A
  'gridB', // grid worker of B
  'adminA', // community_admin of A
  'adminB', // community_admin of B
  'adminE', // community_admin of E (district D2)
  'adminF', // community_admin of F, a deactivated community
  'secA1', // branch_secretary of compound a1
  'unitU1', // unit_admin of U1 (paired with A today)
  'unitU1b', // a second unit_admin of U1
  'unitU2', // unit_admin of U2 (paired with A until yesterday)
  'unitU3', // unit_admin of U3 (paired with E only)
  'unitU4', // unit_admin of U4 (paired with A until today)
  'streetS1', // street_handler of S1 (A, B, F)
  'streetS1b', // a second street_handler of S1
  'streetS2', // street_handler of S2 (E)
  'cityD1', // city_admin granted at district D1
  'cityC', // city_admin granted at the city
  'multi', // member of A and community_admin of B
  'badGrant', // grants of the wrong kind or on no organisation: they give nothing
  'revoked', // a revoked community_admin grant at A
  'regUser1', // registered as a member at A, pending
  'regUser2', // registered as a member at B, pending
] as const;
export type Actor = (typeof ACTORS)[number];
export type Who = Actor | 'anon';

/** An organisation id that does not exist. */
export const NO_ORG = 987_654;

interface PersonSpec {
  name: string;
  phone: string;
  grants: [Role, OrgKey | typeof NO_ORG][];
  /** The community of the verified registration behind the member grant. */
  member?: CommunityKey;
  consented?: boolean;
}
/** Names of three characters, so a masked name (张**) never equals the full one. Members' real names are their nicknames. */
export const PEOPLE: Record<Actor, PersonSpec> = {
  R1: { name: '王秀兰', phone: '13812341234', grants: [] },
  R2: { name: '李建华', phone: '13912345678', grants: [] },
  stranger: { name: '路人甲', phone: '13700000001', grants: [] },
  noConsent: { name: '新用户', phone: '13700000002', grants: [], consented: false },
  memberA: { name: '张伟民', phone: '13600000001', grants: [['member', 'A']], member: 'A' },
  memberA2: { name: '刘洋洋', phone: '13600000002', grants: [['member', 'A']], member: 'A' },
  memberW: { name: '周志强', phone: '13600000003', grants: [['member', 'A']], member: 'A' },
  memberB: { name: '赵敏敏', phone: '13600000004', grants: [['member', 'B']], member: 'B' },
  memberDeact: { name: '孙建国', phone: '13600000005', grants: [['member', 'A']], member: 'A' },
  gridA: { name: '陈小红', phone: '13500000001', grants: [['grid_worker', 'A']] },
  gridB: { name: '林小芳', phone: '13500000002', grants: [['grid_worker', 'B']] },
  adminA: { name: '马明远', phone: '13500000003', grants: [['community_admin', 'A']] },
  adminB: { name: '韩立新', phone: '13500000004', grants: [['community_admin', 'B']] },
  adminE: { name: '冯德胜', phone: '13500000005', grants: [['community_admin', 'E']] },
  adminF: { name: '郭振华', phone: '13500000006', grants: [['community_admin', 'F']] },
  secA1: { name: '何志刚', phone: '13500000007', grants: [['branch_secretary', 'a1']] },
  unitU1: { name: '吴海涛', phone: '13400000001', grants: [['unit_admin', 'U1']] },
  unitU1b: { name: '郑春生', phone: '13400000002', grants: [['unit_admin', 'U1']] },
  unitU2: { name: '黄建军', phone: '13400000003', grants: [['unit_admin', 'U2']] },
  unitU3: { name: '许国庆', phone: '13400000004', grants: [['unit_admin', 'U3']] },
  unitU4: { name: '邓文博', phone: '13400000005', grants: [['unit_admin', 'U4']] },
  streetS1: { name: '谢明辉', phone: '13300000001', grants: [['street_handler', 'S1']] },
  streetS1b: { name: '唐志远', phone: '13300000002', grants: [['street_handler', 'S1']] },
  streetS2: { name: '曹德华', phone: '13300000003', grants: [['street_handler', 'S2']] },
  cityD1: { name: '彭立平', phone: '13300000004', grants: [['city_admin', 'D1']] },
  cityC: { name: '蒋国栋', phone: '13300000005', grants: [['city_admin', 'city']] },
  multi: { name: '杨双全', phone: '13300000006', grants: [['member', 'A'], ['community_admin', 'B']], member: 'A' },
  badGrant: {
    name: '钱错配',
    phone: '13300000007',
    // Each grant's organisation is of a kind its role is not held at, or does not exist.
    grants: [['street_handler', 'A'], ['community_admin', 'a1'], ['unit_admin', 'A'], ['member', 'S1'], ['branch_secretary', 'A'], ['city_admin', 'S1'], ['city_admin', NO_ORG], ['community_admin', NO_ORG]],
  },
  revoked: { name: '卢卸任', phone: '13300000008', grants: [['community_admin', 'A']] },
  regUser1: { name: '申报甲', phone: '13200000001', grants: [] },
  regUser2: { name: '申报乙', phone: '13200000002', grants: [] },
};

/** The beneficiary of wishes staff file for a resident without a phone. */
export const BEHALF = { name: '马桂英' };
export const PLAIN_TEXT = '3号楼2单元楼道灯不亮，老人晚上上下楼不方便。';
export const SENSITIVE_TEXT = '需要每周两次陪同去医院做透析，家里没有人能陪。';
const SENSITIVE = new Set(['health', 'hardship']);
const ADMIN_OF: Record<CommunityKey, Actor> = { A: 'adminA', B: 'adminB', E: 'adminE', F: 'adminF' };
const RESIDENT_OF: Record<CommunityKey, Actor> = { A: 'R1', B: 'R2', E: 'R2', F: 'R2' };
const COMPOUND_DEFAULT: Record<CommunityKey, 'a1' | 'b1' | 'e1' | null> = { A: 'a1', B: 'b1', E: 'e1', F: null };

// ---- wishes ----

export const WISH_KEYS = [
  'wU2', // A, tier 3, claimed and resolved by U2 in June while it was paired
  'wF', // F, open tier 1, published before F was deactivated
  'wPending', // A, pending review, R1
  'wPendingGrid', // A, pending review, filed by gridA for a resident without a phone
  'wPendingAdmin', // A, pending review, submitted by adminA for herself
  'wOpen1', // A/a1, open tier 1
  'wOpen1a2', // A/a2, open tier 1
  'wOpen2', // A/a1, open tier 2
  'wOpen2a2', // A/a2, open tier 2
  'wOpen3', // A/a1, open tier 3
  'wOpen4', // A/a1, open tier 4 (marked urgent)
  'wSupervised', // A/a1, open tier 4, supervised (督办)
  'wSensitive', // A/a1, open tier 1, category health
  'wSensitive2', // A/a1, open tier 2, category health
  'wSensitiveSec', // A/a1, category health, claimed at tier 2 by secA1
  'wClaimed1', // A/a1, claimed at tier 1 by memberA
  'wClaimedAdmin', // A/a1, claimed at tier 2 by adminA, assigned to gridA
  'wClaimedSec', // A/a1, claimed at tier 2 by secA1 for the compound, assigned to memberA2
  'wClaimedU1', // A/a1, claimed at tier 3 by unitU1
  'wClaimedS1', // A/a1, claimed at tier 4 by streetS1
  'wAwaiting', // A/a1, completed by memberA2, awaiting confirmation
  'wResolved', // A/a1, handled by memberA, confirmed by R1
  'wRejected', // A/a1, rejected by adminA
  'wCancelled', // A/a1, published, then cancelled by R1
  'wBehalf', // A/a1, filed by gridA for a resident, completed by memberA, awaiting confirmation
  'wBehalfGrid', // A/a1, filed by gridA, claimed at tier 2 by adminA, assigned to and completed by gridA
  'wDeactAwait', // A/a1, completed by memberDeact before the deactivation
  'wDeactReleased', // A/a1, claimed by memberDeact, back in the pool (tier 1) by the deactivation
  'wOwnMember', // A/a1, open tier 1, submitted by memberA
  'wOwnAdmin2', // A/a1, open tier 2, submitted by adminA (approved by gridA)
  'wSpend1', // A, completed by memberW with a cost: spend pending the committee
  'wSpendOwnSub', // A, submitted by adminA, completed by memberW with a cost: spend pending the committee
  'wSpendOwnHandling', // A, claimed at tier 2 and completed by adminA with a cost: spend pending the committee
  'wSpendApproved', // A, completed by memberW with a cost the committee approved
  'wSpendStreet', // A, completed by memberW with a cost above the budget, approved by the committee: pending the street
  'wSpendStreetOwn', // A, claimed at tier 4 and completed by streetS1 with a cost above the budget: pending the street
  'wB1', // B/b1, open tier 1
  'wBPending', // B/b1, pending review
  'wBResolved', // B/b1, handled by memberB, confirmed by R2
  'wE1', // E/e1, open tier 1
  'wE3', // E/e1, open tier 3
] as const;
export type WishKey = (typeof WISH_KEYS)[number];
export const SPEND_KEYS = ['pending', 'ownSub', 'ownHandling', 'approved', 'street', 'streetOwn'] as const;
export type SpendKey = (typeof SPEND_KEYS)[number];
export type RegKey = 'regPA' | 'regPB' | 'regMemberA' | 'regDeact';

/** What the test knows of each wish it made: who, where, and the beneficiary's full contact. */
export interface WishInfo {
  key: string;
  community: CommunityKey;
  submitter: Actor;
  approver: Actor | null;
  claimer: Actor | null;
  beneficiaryName: string;
  beneficiaryPhone: string | null;
  sensitive: boolean;
  description: string;
}

export interface WishSpec {
  label?: string;
  community?: CommunityKey;
  compound?: 'a1' | 'a2' | 'b1' | 'e1' | null;
  /** The submitter (default: R1 in A, R2 elsewhere). */
  by?: Actor;
  category?: string;
  /** Filed for a resident without a phone, consent recorded (staff only). */
  behalf?: boolean;
  tier?: 1 | 2 | 3 | 4;
  /** Marked urgent by the community's admin (tier 4) instead of escalated. */
  urgent?: boolean;
  approver?: Actor;
  claimer?: Actor;
  assignee?: Actor;
  /** Who completes (default: the claimer). */
  completer?: Actor;
  costFen?: number;
}

export class AccessWorld {
  readonly org = {} as Record<OrgKey, number>;
  readonly users = {} as Record<Actor, number>;
  /** Each actor's token version (a deactivated member's moved on): their tokens are issued under it. */
  readonly versions = {} as Record<Actor, number>;
  readonly wishes = {} as Record<WishKey, number>;
  readonly info = new Map<number, WishInfo>();
  readonly spends = {} as Record<SpendKey, number>;
  readonly regs = {} as Record<RegKey, number>;
  readonly messages = {} as Record<'R1' | 'R2', number>;
  /** What could not be built (the matrix reports it; the cells that need it fail). */
  readonly problems: string[] = [];
  private seq = 0;

  constructor(readonly t: TestApp) {}

  // ---- HTTP ----

  token(who: Who): string | undefined {
    return who === 'anon' ? undefined : this.t.tokenFor(this.users[who], this.versions[who] ?? 0);
  }
  send(method: string, path: string, who: Who, body?: unknown, raw?: RequestInit['body']): Promise<HttpResult> {
    return this.t.http.request(method, path, { token: this.token(who), body, raw });
  }
  /** Reads every actor's token version (a deactivation moves it on; so does a logout). */
  async syncVersions(): Promise<void> {
    for (const [who, id] of Object.entries(this.users) as [Actor, number][]) {
      const [row] = await this.q(`SELECT token_version AS v FROM app_user WHERE id = ?`, [id]);
      this.versions[who] = Number(row.v);
    }
  }
  /** As a person made for one request (not one of the world's actors). */
  sendAsUser(method: string, path: string, userId: number, body?: unknown): Promise<HttpResult> {
    return this.t.http.request(method, path, { token: this.t.tokenFor(userId), body });
  }
  /** A call the world needs to succeed. */
  async ok(method: string, path: string, who: Who, body?: unknown): Promise<any> {
    const r = await this.send(method, path, who, body);
    if (r.status < 200 || r.status >= 300) throw new Error(`${method} ${path} as ${who} answered ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    return r.body;
  }
  /** All items of a keyset-paged list. */
  async pages(path: string, who: Who, limit = 50): Promise<{ status: number; items: any[]; body: any }> {
    const items: any[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 200; i++) {
      const sep = path.includes('?') ? '&' : '?';
      const r: HttpResult = await this.send('GET', `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, who);
      if (r.status !== 200) return { status: r.status, items, body: r.body };
      items.push(...r.body.items);
      cursor = r.body.nextCursor;
      if (!cursor) return { status: 200, items, body: r.body };
    }
    throw new Error(`${path}: more than 200 pages`);
  }
  step(): void {
    this.t.clock.advance(1000);
  }
  q(sql: string, params: unknown[] = []): Promise<any[]> {
    return this.t.database.dataSource.query(sql, params);
  }
  now(): Date | string {
    return this.t.database.time(this.t.clock.now());
  }

  wishId(k: WishKey): number {
    const id = this.wishes[k];
    if (id === undefined) throw new Error(`wish ${k} was not built (${this.problems.filter((p) => p.startsWith(k)).join('; ') || 'see problems'})`);
    return id;
  }
  spendId(k: SpendKey): number {
    const id = this.spends[k];
    if (id === undefined) throw new Error(`spend ${k} was not built (${this.problems.filter((p) => p.startsWith(`spend ${k}`)).join('; ') || 'see problems'})`);
    return id;
  }
  regId(k: RegKey): number {
    const id = this.regs[k];
    if (id === undefined) throw new Error(`registration ${k} was not built`);
    return id;
  }

  /** Builds a part of the world; a failure is recorded, and what needs it fails later with the reason. */
  async part(label: string, make: () => Promise<void>): Promise<void> {
    try {
      await make();
    } catch (e) {
      this.problems.push(`${label}: ${(e as Error).message}`);
    }
  }
  async wish(k: WishKey, make: () => Promise<number>): Promise<void> {
    await this.part(k, async () => {
      const id = await make();
      this.wishes[k] = id;
      this.info.get(id)!.key = k;
    });
  }

  // ---- wishes through the API ----

  async submit(s: WishSpec = {}): Promise<number> {
    const community = s.community ?? 'A';
    const by = s.by ?? RESIDENT_OF[community];
    const compound = s.compound === undefined ? COMPOUND_DEFAULT[community] : s.compound;
    const category = s.category ?? 'repair';
    const sensitive = SENSITIVE.has(category);
    const description = sensitive ? SENSITIVE_TEXT : PLAIN_TEXT;
    const body: Record<string, unknown> = {
      communityId: this.org[community],
      category,
      title: `${s.label ?? '心愿'}-${++this.seq}`.slice(0, 40),
      description,
      address: '3号楼2单元501',
    };
    if (compound) body.compoundId = this.org[compound];
    let name: string;
    let phone: string | null;
    if (s.behalf) {
      body.beneficiaryName = name = BEHALF.name;
      body.consentMethod = 'verbal';
      phone = null;
    } else {
      body.forSelf = true;
      body.beneficiaryName = name = PEOPLE[by].name;
      body.beneficiaryPhone = phone = PEOPLE[by].phone;
    }
    // Sensitive categories carry the separate consent of PIPL Art. 29.
    if (sensitive) body.sensitiveConsent = true;
    this.step();
    const r = await this.ok('POST', '/api/wishes', by, body);
    this.info.set(r.id, { key: String(body.title), community, submitter: by, approver: null, claimer: null, beneficiaryName: name, beneficiaryPhone: phone, sensitive, description });
    return r.id as number;
  }
  async move(id: number, action: string, by: Actor, body: Record<string, unknown> = {}): Promise<any> {
    this.step();
    return this.ok('POST', `/api/wishes/${id}/${action}`, by, body);
  }
  /** What the dispatch timer does when a claim window ends unclaimed: the next tier, with its event. */
  async escalate(id: number, to: 2 | 3 | 4): Promise<void> {
    const [row] = await this.q(`SELECT tier, state FROM wish WHERE id = ?`, [id]);
    if (row.state !== 'open') throw new Error(`escalate: wish ${id} is ${row.state}`);
    for (let from = Number(row.tier); from < to; from++) {
      this.step();
      await this.q(
        `INSERT INTO wish_event (wish_id, type, from_state, to_state, from_tier, to_tier, actor_id, actor_role, reason, payload, created_at) VALUES (?, 'escalate', 'open', 'open', ?, ?, NULL, 'system', NULL, NULL, ?)`,
        [id, from, from + 1, this.now()],
      );
    }
    await this.q(`UPDATE wish SET tier = ?, version = version + 1, updated_at = ? WHERE id = ?`, [to, this.now(), id]);
  }
  /** What the dispatch timer does at the end of tier 4 unclaimed: the supervision flag (督办), with its event. */
  async supervise(id: number): Promise<void> {
    this.step();
    await this.q(
      `INSERT INTO wish_event (wish_id, type, from_state, to_state, from_tier, to_tier, actor_id, actor_role, reason, payload, created_at) VALUES (?, 'supervise', 'open', 'open', 4, 4, NULL, 'system', NULL, NULL, ?)`,
      [id, this.now()],
    );
    await this.q(`UPDATE wish SET supervised_at = ?, version = version + 1, updated_at = ? WHERE id = ?`, [this.now(), this.now(), id]);
  }

  async open(s: WishSpec = {}): Promise<number> {
    const id = await this.submit(s);
    const community = s.community ?? 'A';
    const approver = s.approver ?? ADMIN_OF[community];
    await this.move(id, 'approve', approver);
    this.info.get(id)!.approver = approver;
    if (s.urgent) await this.move(id, 'urgent', ADMIN_OF[community], { reason: '独居老人，情况紧急' });
    else if (s.tier && s.tier > 1) await this.escalate(id, s.tier as 2 | 3 | 4);
    return id;
  }
  async claimed(s: WishSpec & { claimer: Actor }): Promise<number> {
    const id = await this.open(s);
    await this.move(id, 'claim', s.claimer);
    this.info.get(id)!.claimer = s.claimer;
    if (s.assignee) await this.move(id, 'assign', s.claimer, { userId: this.users[s.assignee] });
    return id;
  }
  async awaiting(s: WishSpec & { claimer: Actor }): Promise<number> {
    const id = await this.claimed(s);
    await this.move(id, 'complete', s.completer ?? s.claimer, { note: '已办好，请确认', ...(s.costFen !== undefined ? { costFen: s.costFen } : {}) });
    return id;
  }
  async resolved(s: WishSpec & { claimer: Actor }): Promise<number> {
    const id = await this.awaiting(s);
    const submitter = this.info.get(id)!.submitter;
    await this.move(id, 'confirm', submitter, { rating: 'satisfied', ...(s.behalf ? { consentMethod: 'verbal' } : {}) });
    return id;
  }

  // ---- spends, registrations ----

  async spendOf(wishId: number): Promise<{ id: number; status: string }> {
    const rows = await this.q(`SELECT id, status FROM fund_spend WHERE wish_id = ? ORDER BY id DESC`, [wishId]);
    if (!rows.length) throw new Error(`no spend recorded for wish ${wishId}`);
    return { id: Number(rows[0].id), status: rows[0].status };
  }
  /** A cost memberW reported on a wish of A: waits for the committee. */
  async spendPendingCommunity(costFen = 1_000, s: WishSpec = {}): Promise<number> {
    const wishId = await this.awaiting({ claimer: 'memberW', ...s, costFen });
    const spend = await this.spendOf(wishId);
    if (spend.status !== 'pending_community') throw new Error(`spend ${spend.id} is ${spend.status}, not pending_community`);
    return spend.id;
  }
  /** A cost above A's remaining budget that the committee approved: waits for the street. */
  async spendPendingStreet(s: WishSpec = {}): Promise<number> {
    const wishId = await this.awaiting({ claimer: 'memberW', ...s, costFen: 500_000 });
    const { id } = await this.spendOf(wishId);
    this.step();
    const r = await this.ok('POST', `/api/funds/spends/${id}/approve`, 'adminA', {});
    if (r.status !== 'pending_street') throw new Error(`spend ${id} approved by the committee is ${r.status}, not pending_street`);
    return id;
  }
  /** A new person's pending registration at a community. */
  async pendingRegistration(community: CommunityKey = 'A'): Promise<{ regId: number; userId: number }> {
    const n = ++this.seq;
    const u = await this.t.database.tx((m) => makePerson(m, this.t.clock.now(), { openid: `aw-reg-${n}`, nickname: `申请人${n}`, grants: [] }));
    this.step();
    const r = await this.t.http.post('/api/members/registrations', { communityId: this.org[community], realName: `申请人${n}`, phone: `1310000${String(n).padStart(4, '0')}`, workUnit: '市财政局' }, this.t.tokenFor(u.id));
    if (r.status !== 201) throw new Error(`registration answered ${r.status} ${JSON.stringify(r.body)}`);
    return { regId: r.body.id, userId: u.id };
  }
  /** A new person with no role (a resident), for a request that changes who they are (deleting the account). */
  async freshPerson(): Promise<number> {
    const n = ++this.seq;
    return (await this.t.database.tx((m) => makePerson(m, this.t.clock.now(), { openid: `aw-person-${n}`, nickname: `居民${n}号`, grants: [] }))).id;
  }
  /** A new verified member of a community (registration and grant), for a deactivation. */
  async verifiedMember(community: CommunityKey = 'A'): Promise<{ regId: number; userId: number }> {
    const n = ++this.seq;
    const u = await this.t.database.tx((m) =>
      makePerson(m, this.t.clock.now(), { openid: `aw-member-${n}`, nickname: `党员${n}号`, phone: `1320000${String(n).padStart(4, '0')}`, grants: [{ role: 'member', orgId: this.org[community] }], registration: { communityId: this.org[community], realName: `党员${n}号`, workUnit: '市教育局' } }),
    );
    const [row] = await this.q(`SELECT id FROM member_registration WHERE user_id = ?`, [u.id]);
    return { regId: Number(row.id), userId: u.id };
  }
  async insertMessage(userId: number, wishId: number | null): Promise<number> {
    const outboxId = 900_000 + ++this.seq;
    await this.q(
      `INSERT INTO message (user_id, outbox_id, wish_id, kind, title, body, wx_status, wx_attempts, created_at) VALUES (?, ?, ?, 'claimed', '您的心愿已被认领', '党员已认领您的心愿', 'none', 0, ?)`,
      [userId, outboxId, wishId, this.now()],
    );
    return Number((await this.q(`SELECT id FROM message WHERE outbox_id = ?`, [outboxId]))[0].id);
  }

  /** Ids of every wish in the database (the subjects and anything a test made since). */
  async allWishIds(): Promise<number[]> {
    return (await this.q(`SELECT id FROM wish ORDER BY id`)).map((r: any) => Number(r.id));
  }
}

/** The message-push Token of the access app. */
export const ACCESS_PUSH_TOKEN = 'accessPushToken';

export async function createAccessApp(): Promise<TestApp> {
  // Members here hold more than the default three claims; dev login is on to check it is public; one
  // subscribe-message template, for POST /api/me/subscriptions; a message-push Token, for /api/wechat/push.
  return createTestApp({ MAX_ACTIVE_CLAIMS: '100', AUTH_DEV_LOGIN: 'true', WECHAT_TEMPLATE_CLAIMED: 'tmpl-claimed-0001', WECHAT_PUSH_TOKEN: ACCESS_PUSH_TOKEN }, { clock: new FakeClock(PAST.getTime()) });
}

export async function buildAccessWorld(t: TestApp): Promise<AccessWorld> {
  const w = new AccessWorld(t);
  t.clock.set(PAST);
  await t.database.tx(async (m) => {
    const now = t.clock.now();
    const org = async (k: OrgKey, kind: 'city' | 'district' | 'street' | 'community' | 'compound' | 'unit', parent: OrgKey | null, cls?: 'A' | 'B' | 'C' | 'D') => {
      w.org[k] = (await makeOrg(m, now, kind, ORG_NAMES[k], parent === null ? null : w.org[parent], cls)).id;
    };
    await org('city', 'city', null);
    await org('D1', 'district', 'city');
    await org('D2', 'district', 'city');
    await org('S1', 'street', 'D1');
    await org('S2', 'street', 'D2');
    await org('A', 'community', 'S1', 'B');
    await org('a1', 'compound', 'A');
    await org('a2', 'compound', 'A');
    await org('B', 'community', 'S1', 'A');
    await org('b1', 'compound', 'B');
    await org('E', 'community', 'S2', 'C');
    await org('e1', 'compound', 'E');
    await org('F', 'community', 'S1', 'D');
    for (const u of ['U1', 'U2', 'U3', 'U4'] as const) await org(u, 'unit', null);
    await pairUnit(m, now, w.org.U1, w.org.A, '2026-01-01', '2027-12-31');
    await pairUnit(m, now, w.org.U2, w.org.A, '2026-01-01', YESTERDAY);
    await pairUnit(m, now, w.org.U3, w.org.E, '2026-01-01', '2027-12-31');
    await pairUnit(m, now, w.org.U4, w.org.A, '2026-01-01', TODAY);
    for (const k of ACTORS) {
      const p = PEOPLE[k];
      const u = await makePerson(m, now, {
        openid: `aw-${k}`,
        nickname: p.name,
        phone: p.phone,
        grants: p.grants.map(([role, o]) => ({ role, orgId: o === NO_ORG ? NO_ORG : w.org[o] })),
        consented: p.consented,
        registration: p.member ? { communityId: w.org[p.member], realName: p.name, workUnit: '市教育局' } : undefined,
      });
      w.users[k] = u.id;
    }
  });
  await w.q(`UPDATE role_grant SET revoked_at = ? WHERE user_id = ?`, [w.now(), w.users.revoked]);

  // June: U2, paired with A then, claims a tier-3 wish and resolves it.
  await w.wish('wU2', () => w.resolved({ label: 'wU2', tier: 3, claimer: 'unitU2' }));

  t.clock.set(START);
  await w.wish('wF', () => w.open({ label: 'wF', community: 'F' }));
  await w.wish('wPending', () => w.submit({ label: 'wPending' }));
  await w.wish('wPendingGrid', () => w.submit({ label: 'wPendingGrid', by: 'gridA', behalf: true }));
  await w.wish('wPendingAdmin', () => w.submit({ label: 'wPendingAdmin', by: 'adminA' }));
  await w.wish('wOpen1', () => w.open({ label: 'wOpen1' }));
  await w.wish('wOpen1a2', () => w.open({ label: 'wOpen1a2', compound: 'a2' }));
  await w.wish('wOpen2', () => w.open({ label: 'wOpen2', tier: 2 }));
  await w.wish('wOpen2a2', () => w.open({ label: 'wOpen2a2', tier: 2, compound: 'a2' }));
  await w.wish('wOpen3', () => w.open({ label: 'wOpen3', tier: 3 }));
  await w.wish('wOpen4', () => w.open({ label: 'wOpen4', urgent: true }));
  await w.wish('wSupervised', async () => {
    const id = await w.open({ label: 'wSupervised', tier: 4 });
    await w.supervise(id);
    return id;
  });
  await w.wish('wSensitive', () => w.open({ label: 'wSensitive', category: 'health' }));
  await w.wish('wSensitive2', () => w.open({ label: 'wSensitive2', category: 'health', tier: 2 }));
  await w.wish('wSensitiveSec', () => w.claimed({ label: 'wSensitiveSec', category: 'health', tier: 2, claimer: 'secA1' }));
  await w.wish('wClaimed1', () => w.claimed({ label: 'wClaimed1', claimer: 'memberA' }));
  await w.wish('wClaimedAdmin', () => w.claimed({ label: 'wClaimedAdmin', tier: 2, claimer: 'adminA', assignee: 'gridA' }));
  await w.wish('wClaimedSec', () => w.claimed({ label: 'wClaimedSec', tier: 2, claimer: 'secA1', assignee: 'memberA2' }));
  await w.wish('wClaimedU1', () => w.claimed({ label: 'wClaimedU1', tier: 3, claimer: 'unitU1' }));
  await w.wish('wClaimedS1', () => w.claimed({ label: 'wClaimedS1', urgent: true, claimer: 'streetS1' }));
  await w.wish('wAwaiting', () => w.awaiting({ label: 'wAwaiting', claimer: 'memberA2' }));
  await w.wish('wResolved', () => w.resolved({ label: 'wResolved', claimer: 'memberA' }));
  await w.wish('wRejected', async () => {
    const id = await w.submit({ label: 'wRejected' });
    await w.move(id, 'reject', 'adminA', { code: 'not_a_wish', reason: '不属于本社区服务范围' });
    return id;
  });
  await w.wish('wCancelled', async () => {
    const id = await w.open({ label: 'wCancelled' });
    await w.move(id, 'cancel', 'R1', {});
    return id;
  });
  await w.wish('wBehalf', () => w.awaiting({ label: 'wBehalf', by: 'gridA', behalf: true, claimer: 'memberA' }));
  await w.wish('wBehalfGrid', () => w.awaiting({ label: 'wBehalfGrid', by: 'gridA', behalf: true, tier: 2, claimer: 'adminA', assignee: 'gridA', completer: 'gridA' }));
  await w.wish('wOwnMember', () => w.open({ label: 'wOwnMember', by: 'memberA' }));
  await w.wish('wOwnAdmin2', () => w.open({ label: 'wOwnAdmin2', by: 'adminA', approver: 'gridA', tier: 2 }));

  // memberDeact completes one wish and holds another; then the committee deactivates them.
  await w.wish('wDeactAwait', () => w.awaiting({ label: 'wDeactAwait', claimer: 'memberDeact' }));
  await w.wish('wDeactReleased', () => w.claimed({ label: 'wDeactReleased', claimer: 'memberDeact' }));
  await w.part('deactivate memberDeact', async () => {
    const [reg] = await w.q(`SELECT id FROM member_registration WHERE user_id = ?`, [w.users.memberDeact]);
    w.regs.regDeact = Number(reg.id);
    w.step();
    const r = await w.ok('POST', `/api/members/registrations/${reg.id}/deactivate`, 'adminA', { reason: '工作调离本市' });
    if (!(r.releasedWishIds ?? []).includes(w.wishes.wDeactReleased)) throw new Error(`releasedWishIds ${JSON.stringify(r.releasedWishIds)} lacks wDeactReleased`);
  });

  // Funds: A's budget for the year is ¥1,000, so a ¥5,000 cost goes on to the street.
  await w.part('budget of A', async () => {
    await w.ok('PUT', `/api/funds/${w.org.A}/${YEAR}`, 'cityC', { budgetFen: 100_000 });
  });
  const spend = async (key: SpendKey, wish: WishKey, spec: WishSpec & { claimer: Actor }, then?: 'approve', expectStatus = 'pending_community') => {
    await w.wish(wish, () => w.awaiting({ label: wish, ...spec }));
    await w.part(`spend ${key}`, async () => {
      const s = await w.spendOf(w.wishId(wish));
      let status = s.status;
      if (then) {
        w.step();
        status = (await w.ok('POST', `/api/funds/spends/${s.id}/approve`, 'adminA', {})).status;
      }
      if (status !== expectStatus) throw new Error(`spend ${s.id} is ${status}, not ${expectStatus}`);
      w.spends[key] = s.id;
    });
  };
  await spend('pending', 'wSpend1', { claimer: 'memberW', costFen: 1_000 });
  await spend('ownSub', 'wSpendOwnSub', { by: 'adminA', approver: 'gridA', claimer: 'memberW', costFen: 1_000 });
  await spend('ownHandling', 'wSpendOwnHandling', { tier: 2, claimer: 'adminA', costFen: 1_000 });
  await spend('approved', 'wSpendApproved', { claimer: 'memberW', costFen: 1_000 }, 'approve', 'approved');
  await spend('street', 'wSpendStreet', { claimer: 'memberW', costFen: 500_000 }, 'approve', 'pending_street');
  await spend('streetOwn', 'wSpendStreetOwn', { urgent: true, claimer: 'streetS1', costFen: 500_000 }, 'approve', 'pending_street');

  // B and E.
  await w.wish('wB1', () => w.open({ label: 'wB1', community: 'B' }));
  await w.wish('wBPending', () => w.submit({ label: 'wBPending', community: 'B' }));
  await w.wish('wBResolved', () => w.resolved({ label: 'wBResolved', community: 'B', claimer: 'memberB' }));
  await w.wish('wE1', () => w.open({ label: 'wE1', community: 'E' }));
  await w.wish('wE3', () => w.open({ label: 'wE3', community: 'E', tier: 3 }));

  // Registrations: two pending, memberA's verified one.
  await w.part('registrations', async () => {
    w.step();
    w.regs.regPA = (await w.ok('POST', '/api/members/registrations', 'regUser1', { communityId: w.org.A, realName: PEOPLE.regUser1.name, phone: PEOPLE.regUser1.phone, workUnit: '市财政局' })).id;
    w.regs.regPB = (await w.ok('POST', '/api/members/registrations', 'regUser2', { communityId: w.org.B, realName: PEOPLE.regUser2.name, phone: PEOPLE.regUser2.phone, workUnit: '市财政局' })).id;
    w.regs.regMemberA = Number((await w.q(`SELECT id FROM member_registration WHERE user_id = ?`, [w.users.memberA]))[0].id);
  });
  await w.part('messages', async () => {
    w.messages.R1 = await w.insertMessage(w.users.R1, w.wishes.wClaimed1 ?? null);
    w.messages.R2 = await w.insertMessage(w.users.R2, w.wishes.wB1 ?? null);
  });

  // Last: F is deactivated (its wish was published while it was active).
  await w.part('deactivate F (organisation.deactivated_at)', async () => {
    await w.q(`UPDATE organisation SET deactivated_at = ? WHERE id = ?`, [w.now(), w.org.F]);
  });
  // Escalation and supervision were written directly: rebuild the rollups the rates read.
  await w.part('rates rollup', () => RatesRollup.rebuild((sql, params) => t.database.dataSource.query(sql, params), t.database.isSqlite));
  await w.syncVersions();
  return w;
}

export { parseCsv } from '../support';

/** The wish id in a ledger number: XY + Beijing date YYYYMMDD + 6-digit id. */
export function idOfWishNo(no: string): number | null {
  const m = /^XY(\d{8})(\d{6})$/.exec(no);
  return m ? Number(m[2]) : null;
}

/** A small real JPEG (8×8): uploads are decoded and re-encoded, so it must be an image, not just its signature. */
export const JPEG = Buffer.from(
  '/9j/2wBDAA0JCgsKCA0LCgsODg0PEyAVExISEyccHhcgLikxMC4pLSwzOko+MzZGNywtQFdBRkxOUlNSMj5aYVpQYEpRUk//2wBDAQ4ODhMREyYVFSZPNS01T09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT0//wAARCAAIAAgDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAX/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABAb/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCYAAq3/9k=',
  'base64',
);
export function photoForm(): FormData {
  const form = new FormData();
  form.append('file', new Blob([JPEG], { type: 'image/jpeg' }), 'photo.jpg');
  return form;
}
