// A list and a detail ask the same rules. For each person of the access world:
// every wish any list they may call gives them (the wall, mine, claimed, the review
// queue, the red list, every page of the ledger, the rows of the CSV export) opens
// on GET /api/wishes/:id, with the same contact; ledger rows open on the ledger's
// detail too, and no other wish does; and for every organisation whose rates or
// dashboard they may ask for, `published` is the number of that organisation's
// published wishes they can open. Nothing here is told which wishes a person
// should see: that is the matrix's business. This checks that the answers agree.
import type { TestApp } from '../create-test-app';
import {
  ACTORS,
  DISTRICT_OF,
  STREET_OF,
  YEAR,
  buildAccessWorld,
  createAccessApp,
  idOfWishNo,
  parseCsv,
  type AccessWorld,
  type Actor,
  type CommunityKey,
  type OrgKey,
} from '../factories/access-world';

// Some checks send a few thousand requests; MariaDB on two cores needs more than the default 5 s.
jest.setTimeout(180_000);

const COMMUNITIES: CommunityKey[] = ['A', 'B', 'E', 'F'];
/** The communities under each organisation a rate can be asked for. */
const UNDER: [scope: string, org: OrgKey, communities: CommunityKey[]][] = [
  ['community', 'A', ['A']],
  ['community', 'B', ['B']],
  ['community', 'E', ['E']],
  ['community', 'F', ['F']],
  ['street', 'S1', COMMUNITIES.filter((k) => STREET_OF[k] === 'S1')],
  ['street', 'S2', COMMUNITIES.filter((k) => STREET_OF[k] === 'S2')],
  ['district', 'D1', COMMUNITIES.filter((k) => DISTRICT_OF[STREET_OF[k]] === 'D1')],
  ['district', 'D2', COMMUNITIES.filter((k) => DISTRICT_OF[STREET_OF[k]] === 'D2')],
  ['city', 'city', COMMUNITIES],
];
/** The Beijing calendar year of an instant. */
const beijingYear = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).getUTCFullYear();

describe('lists and details agree, for every person', () => {
  /** What was compared, so an empty comparison cannot pass unseen. */
  const seen = { listItems: 0, ledgerRows: 0, csvRows: 0, targets: 0, published: 0 };
  let t: TestApp;
  let w: AccessWorld;
  let allIds: number[];

  beforeAll(async () => {
    t = await createAccessApp();
    w = await buildAccessWorld(t);
    allIds = await w.allWishIds();
  }, 300_000);
  afterAll(() => t?.close());

  it('was built as the world describes (nothing failed to build)', () => {
    expect(w.problems).toEqual([]);
    // Every community has wishes, so an empty list would show.
    expect(COMMUNITIES.every((k) => [...w.info.values()].some((i) => i.community === k))).toBe(true);
  });

  for (const who of ACTORS) {
    it(`${who}`, async () => {
      const fails: string[] = [];

      // What the detail lets them open.
      const readable = new Map<number, any>();
      for (const id of allIds) {
        const r = await w.send('GET', `/api/wishes/${id}`, who);
        if (r.status === 200) readable.set(id, r.body);
        else if (r.status !== 404) fails.push(`GET /api/wishes/${id}: ${r.status} ${r.body?.code ?? ''} (neither 200 nor 404)`);
      }

      // Each list they may call, every page.
      const lists: [name: string, path: string][] = [
        ['wall', '/api/wishes/wall'],
        ...COMMUNITIES.map((k): [string, string] => [`wall of ${k}`, `/api/wishes/wall?communityId=${w.org[k]}`]),
        ['mine', '/api/wishes/mine'],
        ['claimed', '/api/wishes/claimed'],
        ['review', '/api/wishes/review'],
        ...COMMUNITIES.map((k): [string, string] => [`review of ${k}`, `/api/wishes/review?communityId=${w.org[k]}`]),
        ['supervised', '/api/wishes/supervised'],
      ];
      for (const [name, path] of lists) {
        const page = await w.pages(path, who, 7);
        if (page.status !== 200) continue;
        seen.listItems += page.items.length;
        for (const item of page.items) {
          const detail = readable.get(item.id);
          if (!detail) fails.push(`${name} lists wish ${item.id}, whose detail answers 404`);
          else if (item.masked !== detail.masked || JSON.stringify(item.beneficiary) !== JSON.stringify(detail.beneficiary))
            fails.push(`${name}: wish ${item.id} is ${item.masked ? 'masked' : 'full'} in the list, ${detail.masked ? 'masked' : 'full'} on detail`);
        }
      }

      // The ledger: every page; each row opens on both details; no other wish opens on the ledger's detail.
      const ledger = await w.pages('/api/ledger/wishes', who, 7);
      const ledgerIds = new Set<number>(ledger.items.map((i) => i.id));
      seen.ledgerRows += ledgerIds.size;
      if (ledger.status === 200) {
        if (ledgerIds.size !== ledger.items.length) fails.push('the ledger pages repeat a row');
        for (const id of ledgerIds) if (!readable.has(id)) fails.push(`the ledger lists wish ${id}, whose detail answers 404`);
      }
      for (const id of allIds) {
        const r = await w.send('GET', `/api/ledger/wishes/${id}`, who);
        const want = ledger.status !== 200 ? ledger.status : ledgerIds.has(id) ? 200 : 404;
        if (r.status !== want) fails.push(`GET /api/ledger/wishes/${id}: ${r.status} ${r.body?.code ?? ''}, but the ledger list ${ledger.status === 200 ? (ledgerIds.has(id) ? 'has it' : 'has it not') : `answers ${ledger.status}`}`);
      }

      // The CSV export: its rows are the ledger's rows, each numbered XY + Beijing day + id as on detail.
      const csv = await w.send('GET', '/api/ledger/export.csv', who);
      if (csv.status === 200) {
        const rows = parseCsv(String(csv.body));
        const noCol = rows[0]?.indexOf('编号') ?? -1;
        if (noCol < 0) fails.push('export.csv has no 编号 column');
        const csvIds = new Set<number>();
        for (const row of rows.slice(1).filter((r) => r.length > 1)) {
          const no = row[noCol];
          const id = idOfWishNo(no);
          if (id === null) {
            fails.push(`export.csv: 编号 ${JSON.stringify(no)} is not XY + YYYYMMDD + 6 digits`);
            continue;
          }
          csvIds.add(id);
          seen.csvRows++;
          const detail = readable.get(id);
          if (!detail) fails.push(`export.csv has wish ${id} (${no}), whose detail answers 404`);
          else if (detail.no !== no) fails.push(`export.csv numbers wish ${id} ${no}, the detail ${detail.no}`);
        }
        if (ledger.status === 200) {
          const onlyCsv = [...csvIds].filter((id) => !ledgerIds.has(id));
          const onlyLedger = [...ledgerIds].filter((id) => !csvIds.has(id));
          if (onlyCsv.length || onlyLedger.length) fails.push(`export.csv and the ledger differ: only in the CSV ${JSON.stringify(onlyCsv)}, only in the ledger ${JSON.stringify(onlyLedger)}`);
        }
      }

      // Rates and dashboards they may ask for: published = the target's published wishes they can open.
      for (const [scope, org, communities] of UNDER) {
        const inTarget = new Set(communities.map((k) => w.org[k]));
        const published = [...readable.values()].filter((d) => inTarget.has(d.communityId) && d.publishedAt && beijingYear(d.publishedAt) === YEAR).length;
        const rates = await w.send('GET', `/api/ledger/rates?scope=${scope}&orgId=${w.org[org]}&from=${YEAR}-01-01&to=${YEAR}-12-31`, who);
        if (rates.status === 200) (seen.targets++, (seen.published += published));
        if (rates.status === 200 && rates.body.published !== published) fails.push(`rates of ${scope} ${org}: published ${rates.body.published}, but ${published} of its published wishes open on detail`);
        const dash = await w.send('GET', `/api/ledger/dashboard?scope=${scope}&orgId=${w.org[org]}&year=${YEAR}`, who);
        if (dash.status === 200 && dash.body.rates?.published !== published) fails.push(`dashboard of ${scope} ${org}: published ${dash.body.rates?.published}, but ${published} of its published wishes open on detail`);
      }

      expect(fails).toEqual([]);
    });
  }

  it('compared something: list items, ledger rows, CSV rows, rate targets', () => {
    // Persons × targets the rules give rates for (F left aside): adminA, adminB, multi, adminE 1 each; streetS1 and
    // streetS1b 3 each (A, B, S1); streetS2 2 (E, S2); cityD1 4 (A, B, S1, D1); cityC 8.
    expect(seen.targets).toBeGreaterThanOrEqual(24);
    expect(seen.published).toBeGreaterThan(0);
    expect(seen.listItems).toBeGreaterThan(0);
    expect(seen.ledgerRows).toBeGreaterThan(0);
    expect(seen.csvRows).toBeGreaterThan(0);
  });

  it('each person reads at least what the world gave them (the check above is not empty)', async () => {
    // Spot values, so a server that answers every list empty cannot pass the agreement checks.
    const count = async (who: Actor, path: string) => (await w.pages(path, who)).items.length;
    expect(await count('memberA', '/api/wishes/wall')).toBeGreaterThan(0);
    expect(await count('R1', '/api/wishes/mine')).toBeGreaterThan(0);
    expect(await count('adminA', '/api/ledger/wishes')).toBeGreaterThan(0);
    expect(await count('cityC', '/api/wishes/supervised')).toBeGreaterThan(0);
  });
});
