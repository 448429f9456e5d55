// Who read personal information (PIPL Arts. 44, 51, 54): every full read of someone else's
// contact details, registrations and exports is written before it is shown (a read whose log
// cannot be written is refused); the resident sees who read theirs by role and organisation;
// city and district departments search the log under their grants.
import { FakeClock } from '../../src/common/clock';
import { makePerson } from '../../src/modules/demo/fixtures';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';

describe('the access log', () => {
  let t: TestApp;
  let w: World;
  let other: number;
  const tok = (k: keyof World['users']) => t.tokenFor(w.users[k]);
  const log = async (k: keyof World['users'], qs = '') => {
    const r = await t.http.get(`/api/me/access-log${qs}`, tok(k));
    expect(r.status).toBe(200);
    return r.body.items as any[];
  };
  const count = async () => Number((await t.database.dataSource.query(`SELECT COUNT(*) AS n FROM pi_access`))[0].n);
  async function openWish(): Promise<number> {
    const r = await t.http.post(
      '/api/wishes',
      { communityId: w.communityA, compoundId: w.compoundA, category: 'repair', title: '修灯', description: '楼道灯坏了', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼501', forSelf: true },
      tok('resident'),
    );
    expect((await t.http.post(`/api/wishes/${r.body.id}/approve`, {}, tok('staff'))).status).toBe(200);
    return r.body.id;
  }

  beforeAll(async () => {
    t = await createTestApp({}, { clock: new FakeClock(new Date('2026-11-27T02:00:00Z').getTime()) });
    w = await buildWorld(t.database, t.clock.now());
    // A district department of another district: it searches nothing of this one.
    other = await t.database.tx(async (m) => {
      const [{ id: city }] = await m.query(`SELECT id FROM organisation WHERE kind = 'city'`);
      await m.query(`INSERT INTO organisation (kind, name, parent_id, created_at) VALUES ('district', '城东区', ?, ?)`, [city, t.database.time(t.clock.now())]);
      const [{ id: district }] = await m.query(`SELECT MAX(id) AS id FROM organisation`);
      return (await makePerson(m, t.clock.now(), { openid: 't-other-district', nickname: '城东区组织部', grants: [{ role: 'city_admin', orgId: Number(district) }] })).id;
    });
  });
  afterAll(() => t.close());

  it('tells the resident who read their contact details, by role and organisation, and never their own reads or masked ones', async () => {
    const id = await openWish();
    const before = await count();
    // Their own reads, and the wall (masked), write nothing (the committee's approval above did: its answer showed the contact).
    await t.http.get(`/api/wishes/${id}`, tok('resident'));
    await t.http.get('/api/wishes/mine', tok('resident'));
    await t.http.get(`/api/wishes/wall?communityId=${w.communityA}`, tok('member'));
    expect(await count()).toBe(before);

    // The member claims it (the answer shows the contact in full) and reads it again; the street reads it masked.
    const claim = await fetch(`${t.baseUrl}/api/wishes/${id}/claim`, { method: 'POST', headers: { authorization: `Bearer ${tok('member')}`, 'x-request-id': 'claim-req-0001' } });
    expect(claim.status).toBe(200);
    await t.http.get(`/api/wishes/${id}`, tok('member'));
    await t.http.get(`/api/wishes/${id}`, tok('street'));
    await t.http.get('/api/wishes/claimed', tok('member'));
    // Newest first: the member's three reads (the claim's answer, the detail, the list), then the committee's approval (its answer showed the contact too).
    const mine = (await log('resident')).filter((e) => e.wishId === id);
    expect(mine.map((e) => e.role)).toEqual(['member', 'member', 'member', 'community_admin']);
    for (const e of mine) expect(e).toEqual({ id: expect.any(Number), at: expect.any(String), purpose: 'wish', fields: ['name', 'phone', 'address'], role: e.role, orgName: '北小街社区', wishId: id, wishNo: expect.stringMatching(/^XY\d{14}$/) });
    // No reader's name reaches the resident.
    expect(JSON.stringify(mine)).not.toContain('党员张');
    // The request id is kept, for the department's search.
    const rows = await t.database.dataSource.query(`SELECT request_id FROM pi_access WHERE wish_id = ? ORDER BY id`, [id]);
    expect(rows[1].request_id).toBe('claim-req-0001');
  });

  it('logs the committee reading registrations, for the registrant to see', async () => {
    const u = await t.database.tx((m) => makePerson(m, t.clock.now(), { openid: 't-applicant', nickname: '申请人', grants: [] }));
    const reg = await t.http.post('/api/members/registrations', { communityId: w.communityA, realName: '申请人甲', phone: '13600001111', workUnit: '市某局' }, t.tokenFor(u.id));
    expect(reg.status).toBe(201);
    const before = await count();
    await t.http.get(`/api/members/registrations?communityId=${w.communityA}`, tok('staff'));
    expect(await count()).toBeGreaterThan(before);
    const seen = (await t.http.get('/api/me/access-log', t.tokenFor(u.id))).body.items;
    expect(seen).toEqual([expect.objectContaining({ purpose: 'registration', fields: ['real_name', 'phone'], role: 'community_admin', orgName: '北小街社区' })]);
    // Their own list is not a read by someone else.
    await t.http.get('/api/members/registrations/mine', t.tokenFor(u.id));
    expect((await t.http.get('/api/me/access-log', t.tokenFor(u.id))).body.items).toHaveLength(1);
  });

  it('logs exports with their filter and row count, for the departments to search under their grants', async () => {
    const csv = await fetch(`${t.baseUrl}/api/ledger/export.csv?state=open`, { headers: { authorization: `Bearer ${tok('staff')}` } });
    expect(csv.status).toBe(200);
    const lines = (await csv.text()).trim().split('\r\n').length - 1;
    const found = await t.http.get('/api/access-log?purpose=export', tok('city'));
    expect(found.status).toBe(200);
    const [done, started] = found.body.items;
    expect(started).toMatchObject({ purpose: 'export', role: 'community_admin', actorId: w.users.staff, actorName: '社区书记', filter: { state: 'open', format: 'csv' }, rowCount: null });
    expect(done).toMatchObject({ purpose: 'export', filter: { state: 'open', format: 'csv' }, rowCount: lines });
    // Searches by reader, by wish; a district department of another district finds none of it; others may not search.
    expect((await t.http.get(`/api/access-log?actorId=${w.users.member}`, tok('city'))).body.items.every((e: any) => e.actorId === w.users.member)).toBe(true);
    expect((await t.http.get('/api/access-log', t.tokenFor(other))).body.items).toEqual([]);
    for (const k of ['staff', 'street', 'member', 'resident'] as const) expect((await t.http.get('/api/access-log', tok(k))).status).toBe(403);
    expect((await t.http.get('/api/access-log?from=2026-13-45', tok('city'))).status).toBe(400);
  });

  it('refuses a full read whose log cannot be written, showing nothing of it (fails closed)', async () => {
    const id = await openWish();
    await t.http.post(`/api/wishes/${id}/claim`, {}, tok('member'));
    const q = (sql: string) => t.database.dataSource.query(sql);
    await q(`ALTER TABLE pi_access RENAME TO pi_access_away`);
    try {
      const r = await t.http.get(`/api/wishes/${id}`, tok('member'));
      expect([r.status, r.body.code]).toEqual([503, 'ACCESS_LOG_UNAVAILABLE']);
      expect(JSON.stringify(r.body)).not.toMatch(/王秀兰|13812341234|3号楼501/);
      const list = await t.http.get('/api/wishes/claimed', tok('member'));
      expect(list.status).toBe(503);
      // What needs no log still works: the owner's own read, the masked wall.
      expect((await t.http.get(`/api/wishes/${id}`, tok('resident'))).status).toBe(200);
      expect((await t.http.get(`/api/wishes/wall?communityId=${w.communityA}`, tok('member2'))).status).toBe(200);
    } finally {
      await q(`ALTER TABLE pi_access_away RENAME TO pi_access`);
    }
    expect((await t.http.get(`/api/wishes/${id}`, tok('member'))).status).toBe(200);
  });
});
