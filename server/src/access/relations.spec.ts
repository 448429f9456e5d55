// Each relation of WISH_READS is written twice (a test on one wish, a condition for lists).
// Here both forms judge the same generated wishes for generated readers, on a real SQLite
// database: a list may never show a wish its detail refuses, nor hide one it allows.
// (The MariaDB side is held by test/e2e/list-detail.e2e-spec.ts through the API.)
import Database from 'better-sqlite3';
import { ROLES, WISH_READS, WISH_STATES, type Role, type Tier, type WishState } from '@xinyuan/shared';
import { rng } from '../../test/support';
import { rowHolds, rowSql, rowsSql, readRules, type Reach, type WishFacts } from './relations';

// A small world of ids: communities 1..4, compounds 11..14, streets 21..22, districts 31..32, units 41..42, users 1..6.
const COMMUNITIES = [1, 2, 3, 4];
const COMPOUNDS = [11, 12, 13, 14];
const STREETS = [21, 22];
const DISTRICTS = [31, 32];
const UNITS = [41, 42];
const USERS = [1, 2, 3, 4, 5, 6];

function claimantOf(role: Role | null, c: number, r: ReturnType<typeof rng>): number | null {
  switch (role) {
    case null:
      return null;
    case 'branch_secretary':
      return COMPOUNDS[c - 1];
    case 'unit_admin':
      return r.pick(UNITS);
    case 'street_handler':
      return STREETS[c <= 2 ? 0 : 1];
    default:
      return c;
  }
}

function wishAt(r: ReturnType<typeof rng>): WishFacts {
  const c = r.pick(COMMUNITIES);
  const claimantRole = r.chance(0.5) ? r.pick(ROLES.filter((x) => x !== 'resident' && x !== 'city_admin')) : null;
  return {
    communityId: c,
    compoundId: r.chance(0.7) ? COMPOUNDS[c - 1] : null,
    streetId: STREETS[c <= 2 ? 0 : 1],
    districtId: DISTRICTS[c <= 2 ? 0 : 1],
    submitterId: r.pick(USERS),
    claimantId: claimantRole ? r.pick(USERS) : null,
    claimantRole,
    // The organisation a claim is made for follows from its role and the wish's place, as the policy sets it (claimerAt).
    claimantOrgId: claimantOf(claimantRole, c, r),
    assigneeId: r.chance(0.2) ? r.pick(USERS) : null,
    state: r.pick(WISH_STATES) as WishState,
    tier: (1 + r.int(4)) as Tier,
    sensitive: r.chance(0.3),
  };
}

function reachAt(r: ReturnType<typeof rng>): Reach {
  const some = (xs: readonly number[]) => xs.filter(() => r.chance(0.3));
  const units = some(UNITS);
  const pairedUnitOf = new Map<number, number>();
  for (const c of COMMUNITIES) if (units.length && r.chance(0.4)) pairedUnitOf.set(c, r.pick(units));
  return {
    userId: r.pick(USERS),
    member: some(COMMUNITIES),
    grid: some(COMMUNITIES),
    admin: some(COMMUNITIES),
    compounds: some(COMPOUNDS),
    units,
    streets: some(STREETS),
    districts: some(DISTRICTS),
    cities: [],
    cityDistricts: [],
    pairedUnitOf,
  };
}

const COLUMNS = `id INTEGER PRIMARY KEY, community_id INT, compound_id INT, street_id INT, district_id INT, submitter_id INT, claimant_id INT,
  claimant_role TEXT, claimant_org_id INT, assignee_id INT, state TEXT, tier INT, sensitive INT`;

describe('the relations of WISH_READS, as a test and as SQL', () => {
  const db = new Database(':memory:');
  const r = rng(20261201);
  const wishes = Array.from({ length: 1500 }, () => wishAt(r));
  beforeAll(() => {
    db.exec(`CREATE TABLE wish (${COLUMNS})`);
    const insert = db.prepare(`INSERT INTO wish VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    wishes.forEach((w, i) =>
      insert.run(i + 1, w.communityId, w.compoundId, w.streetId, w.districtId, w.submitterId, w.claimantId, w.claimantRole, w.claimantOrgId, w.assigneeId, w.state, w.tier, w.sensitive ? 1 : 0),
    );
  });
  afterAll(() => db.close());

  const sqlIds = (where: { sql: string; params: unknown[] }) => (db.prepare(`SELECT id FROM wish w WHERE ${where.sql} ORDER BY id`).all(...(where.params as number[])) as { id: number }[]).map((x) => x.id);
  const testIds = (holds: (w: WishFacts) => boolean) => wishes.flatMap((w, i) => (holds(w) ? [i + 1] : []));

  it('agree row by row for 200 generated readers', () => {
    let compared = 0;
    for (let n = 0; n < 200; n++) {
      const reach = reachAt(r);
      for (const rule of WISH_READS) {
        const where = rowSql(rule, reach);
        const expected = testIds((w) => rowHolds(rule, w, reach));
        expect([rule.relation, rule.role, where ? sqlIds(where) : []]).toEqual([rule.relation, rule.role, expected]);
        compared++;
      }
    }
    expect(compared).toBe(200 * WISH_READS.length);
  });

  it('agree for the union of rows (what a list OR-s together), ledger rows and all rows', () => {
    for (let n = 0; n < 100; n++) {
      const reach = reachAt(r);
      for (const rules of [readRules(), readRules({ ledger: true }), readRules({ relations: ['street', 'district'] }), readRules({ ledger: true, roles: ['community_admin', 'city_admin'] as Role[] })]) {
        const expected = testIds((w) => rules.some((rule) => rowHolds(rule, w, reach)));
        expect(sqlIds(rowsSql(rules, reach))).toEqual(expected);
      }
    }
  });

  it('name no organisation a reader does not hold (an empty reach reads only its own wishes)', () => {
    const nobody: Reach = { userId: 6, member: [], grid: [], admin: [], compounds: [], units: [], streets: [], districts: [], cities: [], cityDistricts: [], pairedUnitOf: new Map() };
    const expected = testIds((w) => w.submitterId === 6 || w.claimantId === 6 || w.assigneeId === 6);
    expect(sqlIds(rowsSql(readRules(), nobody))).toEqual(expected);
    expect(sqlIds(rowsSql(readRules({ ledger: true }), nobody))).toEqual([]);
  });
});
