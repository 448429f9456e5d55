// A server that holds up under abuse: per-minute limits per user and per address answer
// 429 RATE_LIMITED with Retry-After before a body is even parsed, and store nothing; the
// pending-wish quota is counted in the database under the person's row lock.
// Limits as configured below (typed from the configuration, not read back from the code):
// submit 10 a minute per user and 50 (5×) per address; login 60 a minute per address.
import { makePerson } from '../../src/modules/demo/fixtures';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';

// Behind a proxy the tests play (TRUST_PROXY), so each test comes from an address of its own.
const LIMITS = { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_SUBMIT_PER_MIN: '10', RATE_LIMIT_LOGIN_PER_MIN: '60', AUTH_DEV_LOGIN: 'true', TRUST_PROXY: '127.0.0.1' };

describe('flood: rate limits and quotas', () => {
  let t: TestApp;
  let w: World;
  const wishCount = async () => Number((await t.database.dataSource.query(`SELECT COUNT(*) AS n FROM wish`))[0].n);
  const eventCount = async () => Number((await t.database.dataSource.query(`SELECT COUNT(*) AS n FROM wish_event`))[0].n);
  const wish = (i: number) => ({
    communityId: w.communityA,
    compoundId: w.compoundA,
    category: 'repair',
    title: `修灯 ${i}`,
    description: '楼道灯坏了',
    beneficiaryName: '王秀兰',
    beneficiaryPhone: '13812341234',
    address: '3号楼501',
    forSelf: true,
  });
  async function residents(n: number, tag: string): Promise<string[]> {
    const ids = await t.database.tx(async (m) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push((await makePerson(m, t.clock.now(), { openid: `flood-${tag}-${i}`, nickname: `居民${i}`, grants: [] })).id);
      return out;
    });
    return ids.map((id) => t.tokenFor(id));
  }
  const post = (token: string | null, path: string, body: unknown, from: string) =>
    fetch(t.baseUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    // The pending-wish quota is out of the way here (it has its own tests below).
    t = await createTestApp({ ...LIMITS, QUOTA_PENDING_WISHES: '1000' });
    w = await buildWorld(t.database, t.clock.now());
  });
  afterAll(() => t.close());

  it("one user's 100 submissions in a minute: the first 10 are stored, the 11th to the 100th get 429 with Retry-After and store nothing", async () => {
    const [token] = await residents(1, 'hundred');
    const before = await wishCount();
    const events = await eventCount();
    const statuses: number[] = [];
    const retryAfter: number[] = [];
    const codes = new Set<string>();
    // In order, as fast as the client can, a few at a time.
    for (let i = 0; i < 100; i += 5) {
      const answers = await Promise.all([0, 1, 2, 3, 4].map((k) => post(token, '/api/wishes', wish(i + k), '203.0.113.1')));
      for (const a of answers) {
        statuses.push(a.status);
        const body = (await a.json()) as { code?: string };
        if (a.status === 429) {
          codes.add(body.code!);
          retryAfter.push(Number(a.headers.get('retry-after')));
        }
      }
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(90);
    expect(statuses[99]).toBe(429);
    expect([...codes]).toEqual(['RATE_LIMITED']);
    for (const s of retryAfter) {
      expect(s).toBeGreaterThanOrEqual(1);
      expect(s).toBeLessThanOrEqual(60);
    }
    expect((await wishCount()) - before).toBe(10);
    // Each stored wish wrote its one "submitted" event; the refused ones wrote none.
    expect((await eventCount()) - events).toBe(10);
  });

  it('refuses over the limit before reading the body: a huge or deeply nested body gets the same 429', async () => {
    const [token] = await residents(1, 'body');
    for (let i = 0; i < 10; i++) expect((await post(token, '/api/wishes', wish(i), '203.0.113.2')).status).toBe(201);
    const r = await post(token, '/api/wishes', '['.repeat(50_000) + ']'.repeat(50_000), '203.0.113.2');
    expect(r.status).toBe(429);
    expect(((await r.json()) as { code: string }).code).toBe('RATE_LIMITED');
  });

  it('counts an address too: six people behind one address share 50 submissions a minute', async () => {
    const tokens = await residents(7, 'address');
    const before = await wishCount();
    const answers = await Promise.all(tokens.slice(0, 6).flatMap((tk, u) => Array.from({ length: 10 }, (_, i) => post(tk, '/api/wishes', wish(u * 10 + i), '203.0.113.3'))));
    const statuses = answers.map((a) => a.status);
    await Promise.all(answers.map((a) => a.arrayBuffer()));
    // Each within their own 10; together over the address's 50.
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    expect((await wishCount()) - before).toBe(50);
    // The same people from another address are still within their own limits only.
    expect((await post(tokens[6], '/api/wishes', wish(99), '203.0.113.4')).status).toBe(201);
  });

  it('limits logins per address, with no token at all', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 65; i++) {
      const r = await post(null, '/api/auth/dev-login', { openid: `flood-login-${i}` }, '203.0.113.5');
      statuses.push(r.status);
      await r.arrayBuffer();
    }
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(60)).toEqual([429, 429, 429, 429, 429]);
    // Another address logs in.
    expect((await post(null, '/api/auth/dev-login', { openid: 'flood-login-other' }, '203.0.113.6')).status).toBe(200);
  });

  it('leaves routes without a limit alone', async () => {
    const [token] = await residents(1, 'free');
    for (let i = 0; i < 120; i++) {
      const r = await fetch(t.baseUrl + '/api/wishes/mine', { headers: { authorization: `Bearer ${token}` } });
      expect(r.status).toBe(200);
      await r.arrayBuffer();
    }
  });
});

describe('the pending-wish quota', () => {
  let t: TestApp;
  let w: World;
  const submit = (token: string, i: number) =>
    t.http.post(
      '/api/wishes',
      { communityId: w.communityA, compoundId: w.compoundA, category: 'repair', title: `修灯 ${i}`, description: '楼道灯坏了', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼501', forSelf: true },
      token,
    );
  const pendingOf = async (userId: number) => Number((await t.database.dataSource.query(`SELECT COUNT(*) AS n FROM wish WHERE submitter_id = ? AND state IN ('pending_review', 'open')`, [userId]))[0].n);

  beforeAll(async () => {
    t = await createTestApp({ QUOTA_PENDING_WISHES: '3' });
    w = await buildWorld(t.database, t.clock.now());
  });
  afterAll(() => t.close());

  it('refuses the 4th wish waiting at once with 429 QUOTA_EXCEEDED, storing nothing; a cancelled one frees a place', async () => {
    const id = await t.database.tx(async (m) => (await makePerson(m, t.clock.now(), { openid: 'quota-1', nickname: '居民', grants: [] })).id);
    const token = t.tokenFor(id);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await submit(token, i);
      expect(r.status).toBe(201);
      ids.push(r.body.id);
    }
    // One approved (open) still counts: nobody has taken it up.
    expect((await t.http.post(`/api/wishes/${ids[0]}/approve`, {}, t.tokenFor(w.users.staff))).status).toBe(200);
    const refused = await submit(token, 3);
    expect([refused.status, refused.body.code]).toEqual([429, 'QUOTA_EXCEEDED']);
    expect(await pendingOf(id)).toBe(3);
    // Withdrawn by the resident: a place frees up.
    expect((await t.http.post(`/api/wishes/${ids[1]}/cancel`, { reason: '不需要了' }, token)).status).toBe(200);
    expect((await submit(token, 4)).status).toBe(201);
    expect((await submit(token, 5)).status).toBe(429);
  });

  it('a claimed wish no longer counts', async () => {
    const id = await t.database.tx(async (m) => (await makePerson(m, t.clock.now(), { openid: 'quota-2', nickname: '居民', grants: [] })).id);
    const token = t.tokenFor(id);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await submit(token, i)).body.id);
    expect((await t.http.post(`/api/wishes/${ids[0]}/approve`, {}, t.tokenFor(w.users.staff))).status).toBe(200);
    expect((await t.http.post(`/api/wishes/${ids[0]}/claim`, {}, t.tokenFor(w.users.member))).status).toBe(200);
    expect((await submit(token, 3)).status).toBe(201);
  });

  it('holds under simultaneous submissions: with 1 place left, of 6 at once exactly one is stored', async () => {
    const id = await t.database.tx(async (m) => (await makePerson(m, t.clock.now(), { openid: 'quota-3', nickname: '居民', grants: [] })).id);
    const token = t.tokenFor(id);
    for (let i = 0; i < 2; i++) expect((await submit(token, i)).status).toBe(201);
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => submit(token, 10 + i)));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 429, 429, 429, 429, 429]);
    expect(await pendingOf(id)).toBe(3);
  });

  it('does not cap community staff filing for residents', async () => {
    const staff = t.tokenFor(w.users.grid);
    for (let i = 0; i < 5; i++) {
      const r = await t.http.post(
        '/api/wishes',
        { communityId: w.communityA, compoundId: w.compoundA, category: 'repair', title: `代办 ${i}`, description: '代老人提交', beneficiaryName: '李大爷', address: '2号楼101', consentMethod: 'verbal' },
        staff,
      );
      expect(r.status).toBe(201);
    }
  });
});
