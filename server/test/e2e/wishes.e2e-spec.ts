import { makePerson } from '../../src/modules/demo/fixtures';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';

describe('a wish through its life, over HTTP', () => {
  let t: TestApp;
  let w: World;
  const tok = (k: keyof World['users']) => t.tokenFor(w.users[k]);
  const count = async (sql: string, params: unknown[] = []) => Number((await t.database.dataSource.query(sql, params))[0].n);
  const events = (id: number) => t.database.dataSource.query(`SELECT type, from_state, to_state, actor_id, actor_role, reason FROM wish_event WHERE wish_id = ? ORDER BY id`, [id]);

  const submitBody = (over: Record<string, unknown> = {}) => ({
    communityId: w.communityA,
    compoundId: w.compoundA,
    category: 'repair',
    title: '楼道灯坏了',
    description: '3号楼2单元楼道灯不亮，老人晚上上下楼不方便。',
    beneficiaryName: '王秀兰',
    beneficiaryPhone: '13812341234',
    address: '3号楼2单元501',
    // For oneself unless the test names someone who consented.
    forSelf: over.consentMethod === undefined ? true : undefined,
    ...over,
  });
  async function submit(by: keyof World['users'] = 'resident', over: Record<string, unknown> = {}) {
    const r = await t.http.post('/api/wishes', submitBody(over), tok(by));
    expect(r.status).toBe(201);
    return r.body.id as number;
  }
  async function published(over: Record<string, unknown> = {}) {
    const id = await submit('resident', over);
    expect((await t.http.post(`/api/wishes/${id}/approve`, {}, tok('staff'))).status).toBe(200);
    return id;
  }

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildWorld(t.database, t.clock.now());
  });
  afterAll(() => t.close());

  it('goes submit → approve → claim → complete → confirm, one event per move', async () => {
    const id = await submit();
    let d = (await t.http.get(`/api/wishes/${id}`, tok('resident'))).body;
    expect(d).toMatchObject({ state: 'pending_review', tier: 1, masked: false, actions: ['cancel'] });
    expect(d.no).toMatch(/^XY\d{8}\d{6}$/);

    d = (await t.http.post(`/api/wishes/${id}/approve`, {}, tok('staff'))).body;
    expect(d.state).toBe('open');
    expect(d.publishedAt).toBeTruthy();

    const claimed = await t.http.post(`/api/wishes/${id}/claim`, {}, tok('member'));
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ state: 'claimed', claimant: { id: w.users.member }, masked: false });
    expect(claimed.body.beneficiary).toEqual({ name: '王秀兰', phone: '13812341234', address: '康乐小区 3号楼2单元501' });
    expect(claimed.body.actions.sort()).toEqual(['complete', 'release']);

    const done = await t.http.post(`/api/wishes/${id}/complete`, { note: '已更换LED灯泡' }, tok('member'));
    expect(done.body).toMatchObject({ state: 'awaiting_confirmation', proof: { note: '已更换LED灯泡' } });

    const ok = await t.http.post(`/api/wishes/${id}/confirm`, { rating: 'satisfied', comment: '谢谢小张' }, tok('resident'));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ state: 'resolved', rating: 'satisfied', ratingComment: '谢谢小张' });
    expect(ok.body.resolvedAt).toBeTruthy();
    expect(ok.body.actions).toEqual([]);
    expect(ok.body.timeline.map((e: any) => e.type)).toEqual(['submit', 'approve', 'claim', 'complete', 'confirm']);
    expect(ok.body.timeline[2]).toMatchObject({ actorRole: 'member', fromState: 'open', toState: 'claimed', fromTier: 1, toTier: 1 });

    const rows = await events(id);
    expect(rows.map((r: any) => [r.type, r.from_state, r.to_state])).toEqual([
      ['submit', null, 'pending_review'],
      ['approve', 'pending_review', 'open'],
      ['claim', 'open', 'claimed'],
      ['complete', 'claimed', 'awaiting_confirmation'],
      ['confirm', 'awaiting_confirmation', 'resolved'],
    ]);
    // Terminal: nothing moves it any more.
    const again = await t.http.post(`/api/wishes/${id}/cancel`, { code: 'spam', reason: '重复' }, tok('staff'));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('TRANSITION_NOT_ALLOWED');
    expect(await events(id)).toHaveLength(5);
  });

  it('lists new wishes in the review queue of their community staff only', async () => {
    const id = await submit();
    const q = (await t.http.get('/api/wishes/review?limit=50', tok('staff'))).body;
    expect(q.items.map((x: any) => x.id)).toContain(id);
    expect(q.items.every((x: any) => x.state === 'pending_review' && x.communityId === w.communityA)).toBe(true);
    expect((await t.http.get('/api/wishes/review', tok('staffB'))).body.items.map((x: any) => x.id)).not.toContain(id);
    expect((await t.http.get(`/api/wishes/review?communityId=${w.communityA}`, tok('staffB'))).status).toBe(403);
    expect((await t.http.get('/api/wishes/review', tok('member'))).status).toBe(403);
  });

  it('rejects with a reason the resident sees, and needs one', async () => {
    const id = await submit();
    const none = await t.http.post(`/api/wishes/${id}/reject`, {}, tok('staff'));
    expect(none.status).toBe(400);
    expect(none.body.code).toBe('VALIDATION_FAILED');
    const r = await t.http.post(`/api/wishes/${id}/reject`, { code: 'not_a_wish', reason: '不属于本社区服务范围' }, tok('grid'));
    expect(r.body.state).toBe('rejected');
    const seen = (await t.http.get(`/api/wishes/${id}`, tok('resident'))).body;
    expect(seen.timeline[1]).toMatchObject({ type: 'reject', reason: '不属于本社区服务范围', actorRole: 'grid_worker' });
  });

  it('lets the resident cancel before a claim but not after; staff may, with a reason', async () => {
    const a = await published();
    expect((await t.http.post(`/api/wishes/${a}/cancel`, {}, tok('resident'))).body.state).toBe('cancelled');

    const b = await published();
    await t.http.post(`/api/wishes/${b}/claim`, {}, tok('member2'));
    const late = await t.http.post(`/api/wishes/${b}/cancel`, {}, tok('resident'));
    expect(late.status).toBe(403);
    expect(late.body.code).toBe('WISH_NOT_IN_SCOPE');
    const noReason = await t.http.post(`/api/wishes/${b}/cancel`, {}, tok('staff'));
    expect(noReason.body.code).toBe('REASON_REQUIRED');
    const staff = await t.http.post(`/api/wishes/${b}/cancel`, { code: 'cannot_be_done', reason: '与XY重复' }, tok('staff'));
    expect(staff.body.state).toBe('cancelled');
    expect((await events(b)).map((e: any) => e.type)).toEqual(['submit', 'approve', 'claim', 'cancel']);
  });

  it('returns a released wish to the pool, and a disputed one to its claimant', async () => {
    const id = await published();
    await t.http.post(`/api/wishes/${id}/claim`, {}, tok('member'));
    const rel = await t.http.post(`/api/wishes/${id}/release`, { reason: '临时出差' }, tok('member'));
    expect(rel.body).toMatchObject({ state: 'open', claimant: null });
    const other = await t.http.post(`/api/wishes/${id}/claim`, {}, tok('member2'));
    expect(other.body.claimant.id).toBe(w.users.member2);
    // The first member no longer holds it: another member's claim is not theirs to see (DOMAIN: members read the wall and their own claims).
    const stale = await t.http.post(`/api/wishes/${id}/complete`, { note: 'x' }, tok('member'));
    expect(stale.status).toBe(404);

    await t.http.post(`/api/wishes/${id}/complete`, { note: '修好了' }, tok('member2'));
    const disp = await t.http.post(`/api/wishes/${id}/dispute`, { reason: '灯还是不亮' }, tok('resident'));
    expect(disp.body).toMatchObject({ state: 'claimed', claimant: { id: w.users.member2 }, proof: null });
    await t.http.post(`/api/wishes/${id}/complete`, { note: '换了开关' }, tok('member2'));
    const ok = await t.http.post(`/api/wishes/${id}/confirm`, { rating: 'basically_satisfied' }, tok('resident'));
    expect(ok.body.state).toBe('resolved');
    expect(ok.body.timeline.map((e: any) => e.type)).toEqual(['submit', 'approve', 'claim', 'release', 'claim', 'complete', 'dispute', 'complete', 'confirm']);
  });

  // DOMAIN "complete with proof": the claimant's note is the proof; photos add to it and are optional
  // (the completion form says 可选 and checks the same shared rule, LIMITS.proofPhotosMin).
  it('takes a completion with the note alone; without a note it is refused and nothing moves', async () => {
    const id = await published();
    await t.http.post(`/api/wishes/${id}/claim`, {}, tok('member'));
    const bare = await t.http.post(`/api/wishes/${id}/complete`, { note: '   ' }, tok('member'));
    expect([bare.status, bare.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await t.http.get(`/api/wishes/${id}`, tok('member'))).body.state).toBe('claimed');
    const done = await t.http.post(`/api/wishes/${id}/complete`, { note: '已陪同去医院复诊' }, tok('member'));
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ state: 'awaiting_confirmation', proof: { note: '已陪同去医院复诊', photos: [] } });
  });

  it('lets a grid worker submit for a person without a phone, recording how they consented', async () => {
    const noMethod = await t.http.post('/api/wishes', submitBody({ consentMethod: 'shouted' }), tok('grid'));
    expect(noMethod.status).toBe(400);
    const id = await submit('grid', { consentMethod: 'verbal', beneficiaryName: '马奶奶', beneficiaryPhone: '0971-8123456' });
    const d = (await t.http.get(`/api/wishes/${id}`, tok('grid'))).body;
    expect(d).toMatchObject({ onBehalf: true, consentMethod: 'verbal', beneficiary: { name: '马奶奶' } });
    expect(d.timeline[0]).toMatchObject({ type: 'submit', actorRole: 'grid_worker' });
    const mine = (await t.http.get('/api/wishes/mine', tok('grid'))).body;
    expect(mine.items.map((x: any) => x.id)).toContain(id);
    // A resident may submit for someone else (a parent, a neighbour) with that person's consent recorded, and their phone.
    const res = await t.http.post('/api/wishes', submitBody({ consentMethod: 'written', beneficiaryName: '王老太' }), tok('resident'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ onBehalf: true, consentMethod: 'written' });
    expect(res.body.timeline[0]).toMatchObject({ type: 'submit', actorRole: 'resident', consentMethod: 'written' });
    // The grid worker may leave out the phone of a resident who has none; a resident may not.
    const noPhone = await t.http.post('/api/wishes', submitBody({ consentMethod: 'verbal', beneficiaryPhone: undefined }), tok('grid'));
    expect(noPhone.status).toBe(201);
    expect(noPhone.body.beneficiary.phone).toBe('');
    expect((await t.http.post('/api/wishes', submitBody({ consentMethod: 'verbal', beneficiaryPhone: undefined }), tok('resident'))).body.code).toBe('VALIDATION_FAILED');
    // Neither for oneself nor with a consent method: refused, nothing stored.
    expect((await t.http.post('/api/wishes', submitBody({ forSelf: undefined }), tok('resident'))).body.code).toBe('BENEFICIARY_CONSENT_REQUIRED');
  });

  it('keeps scope: other communities, other residents, masked wall, sensitive wishes', async () => {
    const id = await published({ beneficiaryName: '周桂芳', beneficiaryPhone: '13999998888' });
    // A member of community B neither sees nor claims it.
    expect((await t.http.get(`/api/wishes/${id}`, tok('memberB'))).status).toBe(404);
    const claimB = await t.http.post(`/api/wishes/${id}/claim`, {}, tok('memberB'));
    expect(claimB.status).toBe(404);
    expect(claimB.body.code).toBe('WISH_NOT_FOUND');
    // Staff of community B either.
    expect((await t.http.get(`/api/wishes/${id}`, tok('staffB'))).status).toBe(404);
    // Another resident does not see it, nor in their list.
    expect((await t.http.get(`/api/wishes/${id}`, tok('resident2'))).status).toBe(404);
    expect((await t.http.get('/api/wishes/mine', tok('resident2'))).body.items).toEqual([]);
    // A member of A sees it masked, on the wall and in detail.
    const seen = (await t.http.get(`/api/wishes/${id}`, tok('member'))).body;
    expect(seen.masked).toBe(true);
    expect(seen.beneficiary).toEqual({ name: '周**', phone: '139****8888', address: '康乐小区 3号楼' });
    const wall = (await t.http.get('/api/wishes/wall?limit=50', tok('member'))).body;
    const onWall = wall.items.find((x: any) => x.id === id);
    expect(onWall.beneficiary.phone).toBe('139****8888');
    expect(JSON.stringify(wall)).not.toContain('13999998888');
    // Staff see it in full.
    expect((await t.http.get(`/api/wishes/${id}`, tok('staff'))).body.beneficiary.phone).toBe('13999998888');
    // The wall of B is closed to a member of A.
    const wallB = await t.http.get(`/api/wishes/wall?communityId=${w.communityB}`, tok('member'));
    expect(wallB.status).toBe(403);

    const sensitive = await published({ category: 'health', title: '需要陪同透析', sensitiveConsent: true });
    const wall2 = (await t.http.get('/api/wishes/wall?limit=50', tok('member'))).body;
    expect(wall2.items.map((x: any) => x.id)).not.toContain(sensitive);
    expect((await t.http.get(`/api/wishes/${sensitive}`, tok('member'))).status).toBe(404);
    expect((await t.http.get(`/api/wishes/${sensitive}`, tok('staff'))).status).toBe(200);
  });

  it('pages the wall by keyset and filters by category', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1000);
      ids.push(await published({ category: 'study', title: `辅导作业${i}` }));
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/api/wishes/wall?category=study&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page: any = (await t.http.get(q, tok('member'))).body;
      expect(page.items.length).toBeLessThanOrEqual(2);
      for (const x of page.items) expect(x.category).toBe('study');
      seen.push(...page.items.map((x: any) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const bad = await t.http.get('/api/wishes/wall?cursor=garbage', tok('member'));
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('requires consent to the privacy notice before submitting', async () => {
    const r = await t.http.post('/api/wishes', submitBody(), tok('noConsent'));
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('CONSENT_REQUIRED');
    const me = (await t.http.get('/api/me', tok('noConsent'))).body;
    expect(me.consentRequired).toBe(true);
    const wrong = await t.http.post('/api/me/consent', { version: '1999-01-01' }, tok('noConsent'));
    expect(wrong.body.code).toBe('CONSENT_VERSION_MISMATCH');
    const c = await t.http.post('/api/me/consent', { version: me.privacyNoticeVersion }, tok('noConsent'));
    expect(c.body.consentRequired).toBe(false);
    expect(c.body.consent.version).toBe(me.privacyNoticeVersion);
    expect((await t.http.post('/api/wishes', submitBody(), tok('noConsent'))).status).toBe(201);
  });

  it('needs separate consent to sensitive personal information for a health or hardship wish (PIPL Art. 29), and records it', async () => {
    const submitPayload = async (id: number) => {
      const [row] = await t.database.dataSource.query(`SELECT payload FROM wish_event WHERE wish_id = ? AND type = 'submit'`, [id]);
      return typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload;
    };
    const before = await count('SELECT COUNT(*) AS n FROM wish');
    const beforeEvents = await count('SELECT COUNT(*) AS n FROM wish_event');
    for (const category of ['health', 'hardship']) {
      for (const sensitiveConsent of [undefined, false]) {
        const r = await t.http.post('/api/wishes', submitBody({ category, sensitiveConsent }), tok('resident'));
        expect([r.status, r.body.code]).toEqual([400, 'SENSITIVE_CONSENT_REQUIRED']);
      }
      // Staff filing on a resident's behalf confirm the resident's consent given in person: the same flag.
      const g = await t.http.post('/api/wishes', submitBody({ category, consentMethod: 'verbal', forSelf: undefined }), tok('grid'));
      expect([g.status, g.body.code]).toEqual([400, 'SENSITIVE_CONSENT_REQUIRED']);
    }
    expect((await t.http.post('/api/wishes', submitBody({ category: 'health', sensitiveConsent: 'yes' }), tok('resident'))).status).toBe(400);
    // Nothing written by a refused submission.
    expect(await count('SELECT COUNT(*) AS n FROM wish')).toBe(before);
    expect(await count('SELECT COUNT(*) AS n FROM wish_event')).toBe(beforeEvents);

    const own = await submit('resident', { category: 'health', title: '需要陪同透析', sensitiveConsent: true });
    expect(await submitPayload(own)).toEqual({ sensitiveConsent: true });
    const behalf = await submit('grid', { category: 'hardship', title: '临时生活困难', consentMethod: 'verbal', forSelf: undefined, sensitiveConsent: true });
    expect(await submitPayload(behalf)).toEqual({ consentMethod: 'verbal', sensitiveConsent: true });
    // Other categories need no such consent, and record none.
    const plain = await submit('resident', { category: 'repair' });
    expect(await submitPayload(plain)).toBeNull();
  });

  it('a wish for a child under fourteen is sensitive whatever its category (PIPL Arts. 28, 31): the guardian\'s separate consent, sealed, never on the wall', async () => {
    const before = await count('SELECT COUNT(*) AS n FROM wish');
    const refused = await t.http.post('/api/wishes', submitBody({ category: 'study', title: '孩子需要课后辅导', consentMethod: 'written', forSelf: undefined, beneficiaryMinor: true }), tok('resident'));
    expect([refused.status, refused.body.code]).toEqual([400, 'SENSITIVE_CONSENT_REQUIRED']);
    expect((await t.http.post('/api/wishes', submitBody({ category: 'study', beneficiaryMinor: 'yes' }), tok('resident'))).status).toBe(400);
    expect(await count('SELECT COUNT(*) AS n FROM wish')).toBe(before);

    const id = await submit('resident', { category: 'study', title: '孩子需要课后辅导', description: '小明十岁，放学后无人辅导作业', consentMethod: 'written', forSelf: undefined, beneficiaryMinor: true, sensitiveConsent: true });
    const [row] = await t.database.dataSource.query(`SELECT w.sensitive, w.description FROM wish w WHERE w.id = ?`, [id]);
    expect(Number(row.sensitive)).toBe(1);
    expect(String(row.description).startsWith('pii1.')).toBe(true);
    const [ev] = await t.database.dataSource.query(`SELECT payload FROM wish_event WHERE wish_id = ? AND type = 'submit'`, [id]);
    expect(typeof ev.payload === 'string' ? JSON.parse(ev.payload) : ev.payload).toEqual({ consentMethod: 'written', sensitiveConsent: true, beneficiaryMinor: true });
    // Published, it stays off the wall of the community's members.
    expect((await t.http.post(`/api/wishes/${id}/approve`, {}, tok('staff'))).status).toBe(200);
    const wall = await t.http.get('/api/wishes/wall?limit=50', tok('member'));
    expect(wall.body.items.map((i: { id: number }) => i.id)).not.toContain(id);
  });

  it('limits how many wishes a member holds at once', async () => {
    const member = await t.database.tx((m) =>
      makePerson(m, t.clock.now(), { openid: 't-busy', nickname: '忙碌党员', grants: [{ role: 'member', orgId: w.communityA }] }),
    );
    const token = t.tokenFor(member.id);
    for (let i = 0; i < 3; i++) expect((await t.http.post(`/api/wishes/${await published()}/claim`, {}, token)).status).toBe(200);
    const fourth = await published();
    const r = await t.http.post(`/api/wishes/${fourth}/claim`, {}, token);
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('CLAIM_LIMIT_REACHED');
    expect(await count(`SELECT COUNT(*) AS n FROM wish_event WHERE wish_id = ? AND type = 'claim'`, [fourth])).toBe(0);
  });

  it('refuses claims from people who are not verified members', async () => {
    const id = await published();
    const r = await t.http.post(`/api/wishes/${id}/claim`, {}, tok('resident2'));
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('WISH_NOT_FOUND');
    const wall = await t.http.get('/api/wishes/wall', tok('resident2'));
    expect(wall.status).toBe(403);
    expect(wall.body.code).toBe('MEMBER_NOT_VERIFIED');
    expect(await count(`SELECT COUNT(*) AS n FROM wish_event WHERE wish_id = ? AND type = 'claim'`, [id])).toBe(0);
  });

  it('lets exactly one of 200 simultaneous claims win', async () => {
    const id = await published();
    const members = await t.database.tx(async (m) => {
      const out: number[] = [];
      for (let i = 0; i < 200; i++) {
        out.push((await makePerson(m, t.clock.now(), { openid: `t-rush-${i}`, nickname: `党员${i}`, grants: [{ role: 'member', orgId: w.communityA }] })).id);
      }
      return out;
    });
    const results = await Promise.all(members.map((uid) => t.http.post(`/api/wishes/${id}/claim`, {}, t.tokenFor(uid))));
    const wins = results.filter((r) => r.status === 200);
    const losses = results.filter((r) => r.status !== 200);
    expect(wins).toHaveLength(1);
    expect(losses).toHaveLength(199);
    // A loser who read the wish before the winner's write loses at the guarded write (409); one who reads it
    // after finds another member's claim, which is not theirs to see (404, DOMAIN "Who sees and does what").
    for (const l of losses) expect([[409, 'WISH_ALREADY_CLAIMED'], [404, 'WISH_NOT_FOUND']]).toContainEqual([l.status, l.body.code]);
    expect(await count(`SELECT COUNT(*) AS n FROM wish_event WHERE wish_id = ? AND type = 'claim'`, [id])).toBe(1);
    const row = (await t.database.dataSource.query(`SELECT claimant_id, state FROM wish WHERE id = ?`, [id]))[0];
    expect(row.state).toBe('claimed');
    expect(Number(row.claimant_id)).toBe(wins[0].body.claimant.id);
  });

  it('refuses bad input with 4xx and stores nothing', async () => {
    const before = await count('SELECT COUNT(*) AS n FROM wish');
    const beforeEvents = await count('SELECT COUNT(*) AS n FROM wish_event');
    const cases: [Record<string, unknown> | string, number][] = [
      [{ ...submitBody(), extra: 1 }, 400],
      [{ ...submitBody(), title: '' }, 400],
      [{ ...submitBody(), title: 'x'.repeat(41) }, 400],
      [{ ...submitBody(), category: 'weapons' }, 400],
      [{ ...submitBody(), beneficiaryPhone: '12345' }, 400],
      [{ ...submitBody(), communityId: '1' }, 400],
      [{ ...submitBody(), communityId: 999999 }, 404],
      [{ ...submitBody(), compoundId: w.compoundB }, 400],
      [{ ...submitBody(), photoIds: ['not-a-uuid'] }, 400],
      [{ ...submitBody(), photoIds: ['0b7c4f5e-9d2a-4c1e-8f3b-2a6d9e1c7b40'] }, 400],
      [{ ...submitBody(), description: 'a\u0000b' }, 400],
    ];
    for (const [body, status] of cases) {
      const r = await t.http.post('/api/wishes', body, tok('resident'));
      expect([r.status, r.body.code !== undefined]).toEqual([status, true]);
    }
    const broken = await t.http.request('POST', '/api/wishes', { token: tok('resident'), raw: '{"title":', headers: { 'content-type': 'application/json' } });
    expect(broken.status).toBe(400);
    expect(broken.body.code).toBe('VALIDATION_FAILED');
    const arr = await t.http.request('POST', '/api/wishes', { token: tok('resident'), raw: '[1,2]', headers: { 'content-type': 'application/json' } });
    expect(arr.status).toBe(400);
    expect((await t.http.get('/api/wishes/abc', tok('resident'))).body.code).toBe('VALIDATION_FAILED');
    expect((await t.http.get('/api/wishes/99999999', tok('resident'))).status).toBe(404);
    expect((await t.http.get('/api/wishes/mine?state=flying', tok('resident'))).status).toBe(400);
    expect((await t.http.get('/api/wishes/mine?limit=1000', tok('resident'))).status).toBe(400);
    expect((await t.http.get('/api/wishes/mine?unknown=1', tok('resident'))).status).toBe(400);
    expect((await t.http.post('/api/wishes/1/confirm', { rating: 'great' }, tok('resident'))).status).toBe(400);
    expect(await count('SELECT COUNT(*) AS n FROM wish')).toBe(before);
    expect(await count('SELECT COUNT(*) AS n FROM wish_event')).toBe(beforeEvents);
  });
});
