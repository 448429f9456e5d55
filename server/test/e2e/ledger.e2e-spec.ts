import * as ExcelJS from 'exceljs';
import { BREAKDOWN_LABELS, RATE_RULES } from '@xinyuan/shared';
import { FakeClock } from '../../src/common/clock';
import { LedgerRepository } from '../../src/modules/ledger/ledger.repository';
import { DispatchSweeper } from '../../src/modules/wishes/jobs/dispatch.sweeper';
import { RatesRollup } from '../../src/modules/ledger/rates-rollup';
import { createTestApp, type TestApp } from '../create-test-app';
import { parseCsv, bj } from '../support';
import { buildWorld, type World } from '../factories/world';
import { wishSteps } from '../factories/wish-steps';

/** Beijing wall time. */
const DAY = '2026-11-23';

describe('the ledger (台账), the three rates and the exports', () => {
  let t: TestApp;
  let w: World;
  const ids: Record<string, number> = {};
  const { tok, step, submit, move } = wishSteps(() => ({ t, w }));
  async function resolved(claimer: keyof World['users'], rating: string, over: Record<string, unknown> = {}, staff: keyof World['users'] = 'staff') {
    const id = await submit(over);
    await move(id, 'approve', staff);
    await move(id, 'claim', claimer);
    await move(id, 'complete', claimer, { note: '已办好' });
    await move(id, 'confirm', 'resident', { rating });
    return id;
  }
  const list = async (k: keyof World['users'], qs = '') => {
    const r = await t.http.get(`/api/ledger/wishes?limit=100${qs}`, tok(k));
    expect(r.status).toBe(200);
    return r.body.items as any[];
  };

  beforeAll(async () => {
    t = await createTestApp({}, { clock: new FakeClock(bj(`${DAY}T09:00`).getTime()) });
    w = await buildWorld(t.database, t.clock.now());
    ids.r1 = await resolved('member', 'satisfied');
    ids.r2 = await resolved('member2', 'unsatisfied');
    ids.cancelled = await submit();
    await move(ids.cancelled, 'approve', 'staff');
    await move(ids.cancelled, 'cancel', 'resident');
    ids.rB = await resolved('memberB', 'basically_satisfied', { communityId: w.communityB, compoundId: w.compoundB }, 'staffB');
    ids.pending = await submit();
    ids.open = await submit({ compoundId: undefined, category: 'daily_help' });
    await move(ids.open, 'approve', 'staff');
    ids.r3 = await resolved('member', 'satisfied', { title: '"换灯",=SUM(1)' });
    ids.claimed = await submit();
    await move(ids.claimed, 'approve', 'staff');
    await move(ids.claimed, 'claim', 'member2');
    step();
  });
  afterAll(() => t.close());

  const inA = () => [ids.claimed, ids.r3, ids.open, ids.pending, ids.cancelled, ids.r2, ids.r1];
  const all = () => [ids.claimed, ids.r3, ids.open, ids.pending, ids.rB, ids.cancelled, ids.r2, ids.r1];

  it('lists each actor exactly the wishes of their scope, newest first', async () => {
    // DOMAIN.md "Who sees and does what": the committee reads every wish of its community, the street and the
    // district theirs; a branch reads its compound's open tier-2 wishes and a unit its communities' open tier-3
    // ones (none here: all were claimed or are open at tier 1), and what they claimed.
    expect((await list('staff')).map((i) => i.id)).toEqual(inA());
    expect((await list('staffB')).map((i) => i.id)).toEqual([ids.rB]);
    expect((await list('secretary')).map((i) => i.id)).toEqual([]);
    expect((await list('unitAdmin')).map((i) => i.id)).toEqual([]);
    expect((await list('street')).map((i) => i.id)).toEqual(all());
    expect((await list('city')).map((i) => i.id)).toEqual(all());
    // A filter cannot widen the scope.
    expect((await list('staffB', `&communityId=${w.communityA}`)).map((i) => i.id)).toEqual([]);
    // Members, residents and grid workers keep no ledger.
    for (const k of ['member', 'resident', 'grid'] as const) {
      const r = await t.http.get('/api/ledger/wishes', tok(k));
      expect([r.status, r.body.code]).toEqual([403, 'FORBIDDEN']);
    }
  });

  it('never shows a wish outside the scope in detail either', async () => {
    expect((await t.http.get(`/api/ledger/wishes/${ids.rB}`, tok('staff'))).status).toBe(404);
    expect((await t.http.get(`/api/ledger/wishes/${ids.rB}`, tok('unitAdmin'))).status).toBe(404);
    expect((await t.http.get(`/api/ledger/wishes/${ids.open}`, tok('secretary'))).status).toBe(404);
    expect((await t.http.get(`/api/ledger/wishes/${ids.r1}`, tok('staffB'))).status).toBe(404);
    expect((await t.http.get(`/api/ledger/wishes/${ids.rB}`, tok('staffB'))).status).toBe(200);
    expect((await t.http.get(`/api/ledger/wishes/${ids.rB}`, tok('street'))).status).toBe(200);
    expect((await t.http.get(`/api/ledger/wishes/${ids.r1}`, tok('member'))).status).toBe(403);
  });

  it('gives a line per wish with the dates of each step, tiers, claimant and rating, and no personal information', async () => {
    const r1 = (await list('staff')).find((i) => i.id === ids.r1);
    expect(r1).toMatchObject({ state: 'resolved', tierReached: 1, claimTier: 1, claimant: { id: w.users.member, name: '党员张' }, rating: 'satisfied', autoConfirmed: false, overdue: false });
    expect(r1.no).toMatch(/^XY20261123\d{6}$/);
    const times = [r1.submittedAt, r1.publishedAt, r1.firstClaimedAt, r1.completedAt, r1.resolvedAt].map((s: string) => Date.parse(s));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[4] - times[0]).toBe(4 * 10 * 60_000);
    expect(r1.daysTaken).toBe(0);
    expect(JSON.stringify(r1)).not.toMatch(/王秀兰|13812341234|3号楼/);
    const open = (await list('staff')).find((i) => i.id === ids.open);
    expect(open).toMatchObject({ state: 'open', claimTier: null, claimant: null, firstClaimedAt: null, resolvedAt: null, daysTaken: null });
  });

  it('returns the full timeline from the events', async () => {
    const r = await t.http.get(`/api/ledger/wishes/${ids.r1}`, tok('staff'));
    expect(r.status).toBe(200);
    expect(r.body.timeline.map((e: any) => e.type)).toEqual(['submit', 'approve', 'claim', 'complete', 'confirm']);
    expect(r.body.timeline[2]).toMatchObject({ fromState: 'open', toState: 'claimed', actorName: '党员张', actorRole: 'member' });
  });

  it('filters by state, tiers, category, claimant, dates, overdue and supervised', async () => {
    const q = async (qs: string) => (await list('street', qs)).map((i) => i.id);
    expect(await q('&state=resolved')).toEqual([ids.r3, ids.rB, ids.r2, ids.r1]);
    expect(await q('&tierResolved=1')).toEqual([ids.r3, ids.rB, ids.r2, ids.r1]);
    expect(await q('&tierResolved=2')).toEqual([]);
    expect(await q('&tierReached=1')).toEqual(all());
    expect(await q('&category=daily_help')).toEqual([ids.open]);
    expect(await q(`&claimantId=${w.users.member}`)).toEqual([ids.r3, ids.r1]);
    expect(await q(`&communityId=${w.communityB}`)).toEqual([ids.rB]);
    expect(await q(`&streetId=${w.streetId}&districtId=${w.districtId}`)).toEqual(all());
    expect(await q(`&from=${DAY}&to=${DAY}`)).toEqual(all());
    expect(await q('&from=2026-11-24')).toEqual([]);
    expect(await q('&to=2026-11-22')).toEqual([]);
    expect(await q('&overdue=true')).toEqual([]);
    expect(await q('&overdue=false')).toEqual(all());
    expect(await q('&supervised=false')).toEqual(all());
    expect(await q('&supervised=true')).toEqual([]);
  });

  it('pages by id with an opaque cursor', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const r: any = await t.http.get(`/api/ledger/wishes?limit=3${cursor ? `&cursor=${cursor}` : ''}`, tok('street'));
      expect(r.status).toBe(200);
      seen.push(...r.body.items.map((i: any) => i.id));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all());
  });

  it('refuses unknown and malformed query fields', async () => {
    for (const qs of ['foo=1', 'state=nope', 'tierReached=5', 'from=2026-13-01', 'from=2026-02-30', 'overdue=yes', 'cursor=xyz', 'limit=0', 'from=2026-11-24&to=2026-11-23']) {
      const r = await t.http.get(`/api/ledger/wishes?${qs}`, tok('street'));
      expect([qs, r.status, r.body.code]).toEqual([qs, 400, 'VALIDATION_FAILED']);
    }
    const r = await t.http.get(`/api/ledger/rates?scope=street&orgId=${w.streetId}&from=${DAY}`, tok('street'));
    expect([r.status, r.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('computes the three rates with numerators and denominators, per community class', async () => {
    const r = await t.http.get(`/api/ledger/rates?scope=community&orgId=${w.communityA}&from=${DAY}&to=${DAY}`, tok('staff'));
    expect(r.status).toBe(200);
    // Published in A: r1 r2 cancelled open r3 claimed (pending never published). DOMAIN.md "The three rates":
    // decided = claimed at least once (r1 r2 r3 claimed), all in time; the resident's withdrawal before any claim
    // and the open wish still inside its window are out of the denominator and reported apart.
    expect(r.body).toMatchObject({
      scope: 'community',
      orgId: w.communityA,
      orgName: '北小街社区',
      published: 6,
      breakdown: { responded: 4, respondedLate: 0, excludedWithdrawn: 1, undecidedClaim: 1, resolved: 3, resolutionExcluded: 1, undecidedOpen: 1, undecidedHandling: 1 },
      closures: { withdrawn: 1, duplicate: 0, spam: 0, uncoded: 0 },
      response: { rate: 1, numerator: 4, denominator: 4 },
      resolution: { rate: 1, numerator: 3, denominator: 3 },
      satisfaction: { rate: 0.6667, numerator: 2, denominator: 3 },
      silentConfirmations: 0,
      awaitingClaim: 1,
      withinFulfilmentWindow: 1,
      overdue: 0,
      supervised: 0,
    });
    expect(r.body.tierShares[0]).toEqual({ tier: 1, resolved: 3, share: 1 });
    expect(r.body.timeToClaim).toEqual({ count: 4, medianHours: expect.any(Number), p90Hours: expect.any(Number) });
    expect(r.body.byClass.map((c: any) => c.communityClass)).toEqual(['B']);

    const s = await t.http.get(`/api/ledger/rates?scope=street&orgId=${w.streetId}&from=${DAY}&to=${DAY}`, tok('street'));
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ published: 7, response: { numerator: 5, denominator: 5 }, resolution: { numerator: 4, denominator: 4 }, satisfaction: { numerator: 3, denominator: 4 } });
    expect(s.body.byClass.map((c: any) => [c.communityClass, c.published, c.satisfaction.numerator, c.satisfaction.denominator])).toEqual([
      ['A', 1, 1, 1],
      ['B', 6, 2, 3],
    ]);
    // The city admin may ask for the city without naming it; a day with no publications gives null rates.
    const c = await t.http.get(`/api/ledger/rates?scope=city&from=${DAY}&to=${DAY}`, tok('city'));
    expect([c.status, c.body.orgId, c.body.published]).toEqual([200, w.cityId, 7]);
    const empty = await t.http.get(`/api/ledger/rates?scope=city&from=2026-11-24&to=2026-11-30`, tok('city'));
    expect([empty.body.published, empty.body.response.rate]).toEqual([0, null]);
  });

  it('lets each actor ask only for rates of a scope they may see whole', async () => {
    const ask = async (k: keyof World['users'], scope: string, orgId: number) => (await t.http.get(`/api/ledger/rates?scope=${scope}&orgId=${orgId}&from=${DAY}&to=${DAY}`, tok(k))).status;
    expect(await ask('staff', 'community', w.communityA)).toBe(200);
    expect(await ask('unitAdmin', 'community', w.communityA)).toBe(403); // a unit reads its queue and its claims, not the community's rates
    expect(await ask('grid', 'community', w.communityA)).toBe(403);
    expect(await ask('street', 'community', w.communityB)).toBe(200);
    expect(await ask('city', 'district', w.districtId)).toBe(200);
    expect(await ask('staff', 'community', w.communityB)).toBe(403);
    expect(await ask('staff', 'street', w.streetId)).toBe(403);
    expect(await ask('unitAdmin', 'community', w.communityB)).toBe(403);
    expect(await ask('secretary', 'community', w.communityA)).toBe(403);
    expect(await ask('street', 'district', w.districtId)).toBe(403);
    expect(await ask('street', 'city', w.cityId)).toBe(403);
    expect(await ask('city', 'street', w.communityA)).toBe(404); // not a street
    expect(await ask('member', 'community', w.communityA)).toBe(403);
  });

  it('ranks members by wishes resolved, never by mere claims', async () => {
    const r = await t.http.get(`/api/ledger/ranking?scope=street&orgId=${w.streetId}&from=${DAY}&to=${DAY}`, tok('street'));
    expect(r.status).toBe(200);
    // member2 also holds a claim that is not resolved: it does not count.
    expect(r.body.items).toEqual([
      { rank: 1, userId: w.users.member, name: '党员张', resolved: 2 },
      { rank: 2, userId: w.users.member2, name: '党员刘', resolved: 1 },
      { rank: 2, userId: w.users.memberB, name: '党员赵', resolved: 1 },
    ]);
    const a = await t.http.get(`/api/ledger/ranking?scope=community&orgId=${w.communityA}&from=${DAY}&to=${DAY}`, tok('staff'));
    expect(a.body.items.map((i: any) => i.userId)).toEqual([w.users.member, w.users.member2]);
    expect((await t.http.get(`/api/ledger/ranking?scope=street&orgId=${w.streetId}&from=${DAY}&to=${DAY}`, tok('staff'))).status).toBe(403);
  });

  it('exports the ledger as CSV with a BOM and Chinese headers, matching the API', async () => {
    const res = await fetch(`${t.baseUrl}/api/ledger/export.csv?state=resolved`, { headers: { authorization: `Bearer ${tok('city')}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="ledger-\d{8}\.csv"/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.toString('utf8').slice(1));
    expect(rows[0]).toEqual(['编号', '标题', '社区', '类别', '状态', '提交时间', '发布时间', '认领时间', '办结时间', '到达层级', '办结层级', '认领人', '评价', '代为评价(同意方式)', '结案类别', '费用(元)', '用时(天)', '催办(次)']);
    const api = await list('city', '&state=resolved');
    expect(rows.slice(1).map((r) => r[0])).toEqual(api.map((i) => i.no));
    const r3 = rows.find((r) => r[0] === api.find((i) => i.id === ids.r3).no)!;
    // Quotes and commas survive; a leading formula sign would not, but this title starts with a quote.
    expect(r3[1]).toBe('"换灯",=SUM(1)');
    expect(r3.slice(2, 5)).toEqual(['北小街社区', '维修改造', '已办结']);
    // The city exports names masked (DOMAIN: city admins export masked); the community's committee in full.
    expect(r3.slice(9, 17)).toEqual(['1级 在职党员尽力办', '1级 在职党员尽力办', '党**', '满意', '', '', '', '0']);
    // 催办: nobody urged this one.
    expect(r3[17]).toBe('0');
    // A closure's code is on its line (the resident withdrew this one).
    const cancelled = parseCsv((await (await fetch(`${t.baseUrl}/api/ledger/export.csv?state=cancelled`, { headers: { authorization: `Bearer ${tok('city')}` } })).text()).slice(1));
    expect(cancelled.slice(1).map((r) => [r[4], r[14]])).toEqual([['已取消', '居民撤回']]);
    expect(r3[8]).toMatch(/^2026-11-23 \d\d:\d\d$/);
    const own = parseCsv((await (await fetch(`${t.baseUrl}/api/ledger/export.csv?state=resolved&communityId=${w.communityA}`, { headers: { authorization: `Bearer ${tok('staff')}` } })).text()).slice(1));
    expect(own.find((r) => r[0] === r3[0])![11]).toBe('党员张');

    // Export is the committee's and the city's: not a member's, a grid worker's, a unit's or the street desk's.
    for (const k of ['member', 'grid', 'unitAdmin', 'street'] as const) {
      const refused = await fetch(`${t.baseUrl}/api/ledger/export.csv`, { headers: { authorization: `Bearer ${tok(k)}` } });
      expect(refused.status).toBe(403);
    }
    // Out-of-scope rows are not exported.
    const b = parseCsv((await (await fetch(`${t.baseUrl}/api/ledger/export.csv`, { headers: { authorization: `Bearer ${tok('staffB')}` } })).text()).slice(1));
    expect(b.length).toBe(2);
  });

  it('exports the ledger as xlsx with a rates sheet, matching the API', async () => {
    const res = await fetch(`${t.baseUrl}/api/ledger/export.xlsx?from=${DAY}&to=${DAY}`, { headers: { authorization: `Bearer ${tok('city')}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.arrayBuffer()) as any);
    const ledger = wb.getWorksheet('台账')!;
    const values = (r: ExcelJS.Row) => (r.values as unknown[]).slice(1);
    const rows: unknown[][] = [];
    ledger.eachRow((r) => rows.push(values(r)));
    expect(rows[0][0]).toBe('编号');
    const api = await list('city');
    expect(rows.slice(1).map((r) => r[0])).toEqual(api.map((i) => i.no));
    expect(rows.slice(1).map((r) => r[11] ?? '')).toEqual(api.map((i) => i.claimant?.name ?? ''));

    const rates = (await t.http.get(`/api/ledger/rates?scope=street&orgId=${w.streetId}&from=${DAY}&to=${DAY}`, tok('street'))).body;
    const sheet = wb.getWorksheet('三率')!;
    const byName = new Map<string, unknown[]>();
    sheet.eachRow((r) => byName.set(String(values(r)[0]), values(r)));
    // Published on the day in the street: r1 r2 cancelled rB open r3 claimed. Decided 5 (claimed ones), all in time;
    // resolved 4 of 4 failed-or-resolved; ratings: 满意 不满意 基本满意 满意.
    expect(byName.get('响应率')).toEqual(['响应率', '100.00%', 5, 5, RATE_RULES.response.rule]);
    expect(byName.get('解决率')).toEqual(['解决率', '100.00%', 4, 4, RATE_RULES.resolution.rule]);
    expect(byName.get('满意率')).toEqual(['满意率', '75.00%', 3, 4, RATE_RULES.satisfaction.rule]);
    expect([rates.response.numerator, rates.response.denominator]).toEqual([5, 5]);
    // Every category beside its rate, and closures by code.
    expect(byName.get(`  ${BREAKDOWN_LABELS.excludedWithdrawn}`)).toEqual([`  ${BREAKDOWN_LABELS.excludedWithdrawn}`, '不计入', 1]);
    expect(byName.get(`  ${BREAKDOWN_LABELS.undecidedClaim}`)).toEqual([`  ${BREAKDOWN_LABELS.undecidedClaim}`, '暂不计入（尚无结论）', 1]);
    expect(byName.get('居民撤回')).toEqual(['居民撤回', 1]);

    // The 经费 sheet: each community of the street for the export's year, as GET /api/funds gives it, in yuan.
    const funds = (await t.http.get('/api/funds?year=2026', tok('city'))).body as any[];
    const fundRows: unknown[][] = [];
    wb.getWorksheet('经费')!.eachRow((r) => fundRows.push(values(r)));
    expect(fundRows[0]).toEqual(['社区', '类别', '年度', '预算(元)', '已支出(元)', '待审批(元)', '结余(元)']);
    expect(funds.length).toBe(2);
    expect(fundRows.slice(1)).toEqual(funds.map((f) => [f.communityName, f.communityClass, 2026, f.budgetFen / 100, f.spentFen / 100, f.pendingFen / 100, f.remainingFen / 100]));

    // Narrowed to one community by the export's filter. (Every exporter reads funds: the committee and the city.)
    const one = new ExcelJS.Workbook();
    await one.xlsx.load((await (await fetch(`${t.baseUrl}/api/ledger/export.xlsx?from=${DAY}&to=${DAY}&communityId=${w.communityA}`, { headers: { authorization: `Bearer ${tok('city')}` } })).arrayBuffer()) as any);
    const oneRows: unknown[][] = [];
    one.getWorksheet('经费')!.eachRow((r) => oneRows.push(values(r)));
    expect(oneRows.slice(1).map((r) => r[0])).toEqual([funds.find((f) => f.communityId === w.communityA).communityName]);
    expect((await fetch(`${t.baseUrl}/api/ledger/export.xlsx?from=${DAY}&to=${DAY}`, { headers: { authorization: `Bearer ${tok('unitAdmin')}` } })).status).toBe(403);
  });
});

describe('the three rates on a fake clock: supervision, silence, disputes and lapsed windows', () => {
  let t: TestApp;
  let w: World;
  let sweeper: DispatchSweeper;
  const tok = (k: keyof World['users']) => t.tokenFor(w.users[k]);
  const at = (s: string) => t.clock.set(bj(s));
  const ids: Record<string, number> = {};

  async function move(id: number, action: string, by: keyof World['users'], body: Record<string, unknown> = {}) {
    const r = await t.http.post(`/api/wishes/${id}/${action}`, body, tok(by));
    expect([action, r.status, r.body?.code]).toEqual([action, 200, undefined]);
  }
  async function publish(hhmm: string) {
    at(`${DAY}T${hhmm}`);
    const r = await t.http.post(
      '/api/wishes',
      { communityId: w.communityA, compoundId: w.compoundA, category: 'repair', title: '楼道灯坏了', description: '请帮忙修一下', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼501', forSelf: true },
      tok('resident'),
    );
    expect(r.status).toBe(201);
    await move(r.body.id, 'approve', 'staff');
    return r.body.id as number;
  }
  const items = async (qs: string) => (await t.http.get(`/api/ledger/wishes?limit=100${qs}`, tok('staff'))).body.items as any[];

  beforeAll(async () => {
    t = await createTestApp({}, { clock: new FakeClock(bj(`${DAY}T09:00`).getTime()) });
    w = await buildWorld(t.database, t.clock.now());
    sweeper = t.app.get(DispatchSweeper);
    // S1 goes unclaimed through all four tiers and is supervised, then claimed late by the street desk.
    ids.late = await publish('10:00');
    // S2 is completed and then confirmed by silence.
    ids.silent = await publish('10:00');
    at(`${DAY}T10:10`);
    await move(ids.silent, 'claim', 'member');
    await move(ids.silent, 'complete', 'member', { note: '已修好' });
    // S3 is completed, disputed, and then lets its fresh fulfilment window lapse.
    ids.disputed = await publish('10:00');
    at(`${DAY}T10:20`);
    await move(ids.disputed, 'claim', 'member2');
    await move(ids.disputed, 'complete', 'member2', { note: '已修好' });
    await move(ids.disputed, 'dispute', 'resident', { reason: '灯还是不亮' });
    // S4 is claimed and left alone past its window.
    ids.lapsed = await publish('10:00');
    at(`${DAY}T10:30`);
    await move(ids.lapsed, 'claim', 'member');

    at('2026-11-26T16:00');
    await sweeper.sweepOnce();
    at('2026-11-27T09:00');
    await move(ids.late, 'claim', 'street');
    await move(ids.late, 'complete', 'street', { note: '马上办已处理' });
    await move(ids.late, 'confirm', 'resident', { rating: 'satisfied' });
    // Past S2's 7 silent days and past the 5-working-day windows of S3 and S4 (not past their 48 h grace).
    at('2026-11-30T12:00');
    await sweeper.sweepOnce();
  });
  afterAll(() => t.close());

  it('records what happened as the ledger shows it', async () => {
    const line = async (id: number) => (await t.http.get(`/api/ledger/wishes/${id}`, tok('staff'))).body;
    const late = await line(ids.late);
    expect(late).toMatchObject({ state: 'resolved', tierReached: 4, claimTier: 4, claimant: { id: w.users.street }, rating: 'satisfied' });
    expect(late.supervisedAt).toBeTruthy();
    expect(late.timeline.map((e: any) => e.type)).toEqual(['submit', 'approve', 'escalate', 'escalate', 'escalate', 'supervise', 'claim', 'complete', 'confirm']);
    expect(await line(ids.silent)).toMatchObject({ state: 'resolved', rating: null, autoConfirmed: true, claimTier: 1 });
    const disputed = await line(ids.disputed);
    expect(disputed).toMatchObject({ state: 'claimed', overdue: true });
    expect(disputed.timeline.map((e: any) => e.type)).toEqual(['submit', 'approve', 'claim', 'complete', 'dispute', 'overdue']);
    expect(await line(ids.lapsed)).toMatchObject({ state: 'claimed', overdue: true });
  });

  it('counts a claim after the tier-4 window as no response, silence apart from satisfaction, lapsed windows against resolution', async () => {
    const r = await t.http.get(`/api/ledger/rates?scope=community&orgId=${w.communityA}&from=${DAY}&to=${DAY}`, tok('staff'));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      published: 4,
      response: { rate: 0.75, numerator: 3, denominator: 4 },
      resolution: { rate: 0.5, numerator: 2, denominator: 4 },
      satisfaction: { rate: 1, numerator: 1, denominator: 1 },
      silentConfirmations: 1,
      withinFulfilmentWindow: 0,
      overdue: 2,
      supervised: 1,
    });
    expect(r.body.tierShares.map((s: any) => [s.tier, s.resolved, s.share])).toEqual([
      [1, 1, 0.5],
      [2, 0, 0],
      [3, 0, 0],
      [4, 1, 0.5],
    ]);
    // To claim: 10, 20, 30 minutes and 11-23 10:00 → 11-27 09:00 (95 h): median 25 min, p90 95 h.
    expect(r.body.timeToClaim).toEqual({ count: 4, medianHours: 0.42, p90Hours: 95 });
  });

  it('filters on overdue, supervised and the tier reached or resolved at', async () => {
    const q = async (qs: string) => (await items(qs)).map((i) => i.id).sort((a, b) => a - b);
    expect(await q('&overdue=true')).toEqual([ids.disputed, ids.lapsed]);
    expect(await q('&supervised=true')).toEqual([ids.late]);
    expect(await q('&tierReached=4')).toEqual([ids.late]);
    expect(await q('&tierResolved=4')).toEqual([ids.late]);
    expect(await q('&tierResolved=1')).toEqual([ids.silent]);
  });

  it('keeps the rollups its moves wrote (people and the sweeper) equal to a rebuild from the rows', async () => {
    const q = (sql: string) => t.database.dataSource.query(sql) as Promise<Record<string, unknown>[]>;
    const snapshot = async () => ({
      rates: await q('SELECT * FROM rates_rollup ORDER BY community_id, day'),
      // A bar that went back to 0 stays as a row; a rebuild writes none.
      bars: await q('SELECT * FROM bars_rollup WHERE n <> 0 ORDER BY community_id, month, state, tier, published'),
      durations: await q('SELECT * FROM duration_rollup ORDER BY kind, community_id, month, bucket'),
      rows: await q('SELECT id, claim_ms, resolve_ms FROM wish ORDER BY id'),
    });
    const written = await snapshot();
    // Every kind of entry is there: terminal wishes (a sweeper auto-confirmation among them), both durations.
    expect(written.rates.length).toBeGreaterThan(0);
    expect(written.bars.length).toBeGreaterThan(0);
    expect(new Set(written.durations.map((d) => d.kind))).toEqual(new Set(['claim', 'resolve']));
    expect(written.rows.some((r) => r.id === ids.silent && r.resolve_ms !== null)).toBe(true);
    await RatesRollup.rebuild((sql, params) => t.database.dataSource.query(sql, params), t.database.isSqlite);
    expect(await snapshot()).toEqual(written);
  });

  it('streams more rows than one batch in id order', async () => {
    const repo = t.app.get(LedgerRepository);
    const batches: number[][] = [];
    for await (const rows of repo.stream(repo.targetWhere([w.communityA]), {}, t.clock.now(), 3)) batches.push(rows.map((r) => r.id));
    expect(batches.map((b) => b.length)).toEqual([3, 1]);
    expect(batches.flat()).toEqual([ids.lapsed, ids.disputed, ids.silent, ids.late]);
  });
});
