// The rates as the database sums them (LedgerRepository.rateCounts and durations,
// behind GET /api/ledger/rates and /dashboard) against rates.ts summarise() over
// the same wishes read row by row: equal on a generated ledger full of ties and
// edge cases, on SQLite and on MariaDB (TEST_DB=mariadb).
import { CLOSURE_CODES, CONSENT_METHODS, RATINGS, WISH_STATES, type ClosureCode, type ConsentMethod, type Rating, type Tier, type WishState } from '@xinyuan/shared';
import { FakeClock } from '../../src/common/clock';
import { toFact } from '../../src/modules/ledger/ledger.mapper';
import { LedgerRepository, type LedgerRow } from '../../src/modules/ledger/ledger.repository';
import { LEDGER_TUNING } from '../../src/modules/ledger/ledger.service';
import { summarise, type WishFact } from '../../src/modules/ledger/rates';
import { RatesRollup } from '../../src/modules/ledger/rates-rollup';
import { Wish } from '../../src/modules/wishes/wish.entity';
import { createTestApp, type TestApp } from '../create-test-app';
import { rng } from '../support';
import { buildWorld, type World } from '../factories/world';

const HOUR = 3_600_000;
/** "Now" of the generated ledger: 2026-11-23 12:00 Beijing. */
const NOW = new Date('2026-11-23T04:00:00Z');

describe('the three rates in SQL equal rates.ts on a generated ledger', () => {
  let t: TestApp;
  let w: World;
  let repo: LedgerRepository;
  const r = rng(20261127);
  let rows: Partial<Wish>[] = [];

  beforeAll(async () => {
    t = await createTestApp({}, { clock: new FakeClock(NOW.getTime()) });
    w = await buildWorld(t.database, NOW);
    repo = t.app.get(LedgerRepository);
    // Times on an hour grid around NOW, so equal times (due = now, completed = due, first claim = supervision) are common.
    const at = (lo: number, hi: number) => new Date(NOW.getTime() + (lo + r.int(hi - lo + 1)) * HOUR);
    rows = [];
    for (let i = 0; i < 700; i++) {
      const communityId = r.chance(0.6) ? w.communityA : w.communityB;
      const state = r.pick<WishState>(WISH_STATES);
      const created = at(-24 * 60, -1);
      // Mostly published (a few without, as if still pending review or rejected before publication).
      const published = state === 'pending_review' || r.chance(0.05) ? null : new Date(created.getTime() + r.int(3) * HOUR);
      const base = published ?? created;
      const after = (maxH: number) => new Date(base.getTime() + r.int(maxH) * HOUR);
      const firstClaim = r.chance(0.6) ? after(400) : null;
      const supervised = r.chance(0.2) ? (firstClaim && r.chance(0.3) ? firstClaim : after(400)) : null;
      const due = r.chance(0.6) ? (r.chance(0.15) ? NOW : at(-200, 200)) : null;
      const completed = r.chance(0.4) ? (due && r.chance(0.3) ? due : at(-300, 0)) : null;
      rows.push({
        districtId: w.districtId,
        streetId: w.streetId,
        communityId,
        compoundId: null,
        category: 'repair',
        sensitive: false,
        title: `心愿${i}`,
        description: '生成的心愿',
        beneficiaryName: '王秀兰',
        beneficiaryPhone: '13812341234',
        address: '3号楼',
        submitterId: w.users.resident,
        onBehalf: false,
        consentMethod: null,
        state,
        tier: (1 + r.int(4)) as Tier,
        urgent: false,
        claimantId: null,
        claimantRole: null,
        claimedAt: null,
        completedAt: completed,
        // A rating is given at the confirmation that resolves the wish (and only then).
        rating: state === 'resolved' && r.chance(0.7) ? r.pick<Rating>(RATINGS) : null,
        ratingConsent: state === 'resolved' && r.chance(0.3) ? r.pick<ConsentMethod>(CONSENT_METHODS) : null,
        closureCode: r.chance(0.7) ? r.pick<ClosureCode>(CLOSURE_CODES) : null,
        closedAt: state === 'cancelled' || state === 'rejected' ? after(300) : null,
        fulfilMissedAt: r.chance(0.25) ? (due && r.chance(0.5) ? due : at(-300, 0)) : null,
        resolvedAt: r.chance(0.9) ? (state === 'resolved' || r.chance(0.1) ? after(600) : null) : null,
        publishedAt: published,
        dueAt: due,
        supervisedAt: supervised,
        firstClaimedAt: firstClaim,
        cancelledBySubmitter: r.chance(0.5),
        claimMs: null,
        resolveMs: null,
        version: 0,
        createdAt: created,
        updatedAt: created,
      });
    }
    for (let i = 0; i < rows.length; i += 100) await t.database.manager.getRepository(Wish).insert(rows.slice(i, i + 100) as Wish[]);
    // Written directly, not moved: the rollups are computed from the rows, as after a bulk load.
    await RatesRollup.rebuild((sql, params) => t.database.dataSource.query(sql, params), t.database.isSqlite);
  });
  afterAll(() => t?.close());

  /** The facts of the wishes published in the period, read row by row (the ledger's own reader). */
  async function factsOf(communityIds: number[], from?: Date, to?: Date): Promise<WishFact[]> {
    const facts: WishFact[] = [];
    for await (const rows of repo.stream(repo.targetWhere(communityIds), { publishedFrom: from, publishedTo: to }, NOW, 200))
      for (const row of rows) if (row.publishedAt) facts.push(toFact(row as LedgerRow & { publishedAt: Date }));
    return facts;
  }
  const day = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 10);
  const strip = (o: any) => {
    const { scope, orgId, orgName, from, to, asOf, byClass, closuresBeforePublication, ...rest } = o;
    return rest;
  };

  const periods: (readonly [string, Date, Date])[] = [
    ['two years', new Date('2024-12-31T16:00:00Z'), new Date('2026-12-31T16:00:00Z')],
    ['the last 30 days', new Date(NOW.getTime() - 30 * 24 * HOUR), new Date(NOW.getTime() + 1)],
    ['a closed 20-day period', new Date(NOW.getTime() - 40 * 24 * HOUR), new Date(NOW.getTime() - 20 * 24 * HOUR)],
    ['a whole month with days on both sides', new Date('2026-09-19T16:00:00Z'), new Date('2026-11-10T16:00:00Z')],
    ['whole months only', new Date('2026-08-31T16:00:00Z'), new Date('2026-11-30T16:00:00Z')],
  ];

  const paths: [string, number][] = [
    ['durations read directly', 1e9],
    ['durations ranked through the rollup', 0],
  ];
  afterEach(() => void (LEDGER_TUNING.directDurations = 30_000));

  it.each(paths.flatMap(([p, limit]) => periods.map(([name, from, to]) => [`${name}, ${p}`, from, to, limit] as const)))('community, street, district and city over %s', async (_name, from, to, limit) => {
    LEDGER_TUNING.directDurations = limit;
    // Beijing days that cover [from, to): the API takes whole days.
    const qs = `&from=${day(from)}&to=${day(new Date(to.getTime() - 1))}`;
    const dayFrom = new Date(`${day(from)}T00:00:00+08:00`);
    const dayTo = new Date(new Date(`${day(new Date(to.getTime() - 1))}T00:00:00+08:00`).getTime() + 24 * HOUR);
    for (const [scope, orgId, communities] of [
      ['community', w.communityA, [w.communityA]],
      ['community', w.communityB, [w.communityB]],
      ['street', w.streetId, [w.communityA, w.communityB]],
      ['district', w.districtId, [w.communityA, w.communityB]],
      ['city', w.cityId, [w.communityA, w.communityB]],
    ] as const) {
      const res = await t.http.get(`/api/ledger/rates?scope=${scope}&orgId=${orgId}${qs}`, t.tokenFor(w.users.city));
      expect(res.status).toBe(200);
      const facts = await factsOf([...communities], dayFrom, dayTo);
      expect(facts.length).toBeGreaterThan(20);
      expect(strip(res.body)).toEqual(summarise(facts, NOW));
      // Closures of never-published wishes, by the day they were closed, counted from the rows as written.
      const closed: Record<string, number> = { duplicate: 0, withdrawn: 0, redirected: 0, not_a_wish: 0, cannot_be_done: 0, spam: 0, uncoded: 0 };
      for (const x of rows)
        if (!x.publishedAt && x.closedAt && (communities as readonly number[]).includes(x.communityId!) && x.closedAt >= dayFrom && x.closedAt < dayTo) closed[x.closureCode ?? 'uncoded']++;
      expect(res.body.closuresBeforePublication).toEqual(closed);
      // Per class: community A is class B, community B class A.
      for (const c of res.body.byClass) {
        const { communityClass, ...s } = c;
        const ids = communityClass === 'B' ? [w.communityA] : [w.communityB];
        expect(s).toEqual(summarise(await factsOf(ids.filter((id) => (communities as readonly number[]).includes(id)), dayFrom, dayTo), NOW));
      }
    }
  });

  it.each(paths)('gives the dashboard the same rates, and monthly rates that add up (%s)', async (_p, limit) => {
    LEDGER_TUNING.directDurations = limit;
    const res = await t.http.get(`/api/ledger/dashboard?scope=city&orgId=${w.cityId}&year=2026`, t.tokenFor(w.users.city));
    expect(res.status).toBe(200);
    const facts = await factsOf([w.communityA, w.communityB], new Date('2025-12-31T16:00:00Z'), new Date('2026-12-31T16:00:00Z'));
    expect(res.body.rates).toEqual(summarise(facts, NOW));
    for (const m of res.body.monthly) {
      const inMonth = facts.filter((f) => new Date(f.publishedAt.getTime() + 8 * HOUR).toISOString().slice(0, 7) === m.month);
      const s = summarise(inMonth, NOW);
      expect(m).toEqual({ month: m.month, published: s.published, response: s.response, resolution: s.resolution, satisfaction: s.satisfaction });
    }
    expect(res.body.monthly.reduce((a: number, m: any) => a + m.published, 0)).toBe(facts.length);
    // The bars count every wish submitted in the year, by state.
    const submitted = res.body.byState.reduce((a: number, s: any) => a + s.count, 0);
    expect(submitted).toBe(700);
  });
});
