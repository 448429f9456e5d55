// The access policy's edge cases (issue: one access policy), each from DOMAIN.md "Who sees and
// does what": grants that count for nothing (revoked, on a deactivated or wrong-kind
// organisation), several grants at once, a pairing that ends today in Beijing time, a member
// deactivated while holding claims in every state, the answer to a move that takes a wish out of
// sight, ratings recorded on a resident's behalf, and assigning. The whole route matrix is
// access-matrix.e2e-spec.ts; this file keeps the stories readable.
import { setOrganisationActive } from '../../src/cli';
import { FakeClock } from '../../src/common/clock';
import { makeOrg, makePerson, pairUnit } from '../../src/modules/demo/fixtures';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';
import { bj } from '../support';

/** Beijing wall time. */

describe('the access policy at its edges', () => {
  let t: TestApp;
  let w: World;
  /** Token versions that moved on (a deactivation revokes the member's tokens; they sign in again). */
  const versions: Record<number, number> = {};
  const tok = (userId: number) => t.tokenFor(userId, versions[userId] ?? 0);
  const q = (sql: string, params: unknown[] = []) => t.database.dataSource.query(sql, params);
  const more: Record<string, number> = {};
  const get = (path: string, userId: number) => t.http.get(path, tok(userId));
  const post = (path: string, body: unknown, userId: number) => t.http.post(path, body, tok(userId));

  async function submit(by: number, over: Record<string, unknown> = {}): Promise<number> {
    const r = await post(
      '/api/wishes',
      { communityId: w.communityA, compoundId: w.compoundA, category: 'repair', title: '楼道灯坏了', description: '请帮忙修一下', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼501', forSelf: over.consentMethod === undefined ? true : undefined, ...over },
      by,
    );
    expect([r.status, r.body.code]).toEqual([201, undefined]);
    return r.body.id as number;
  }
  async function move(id: number, action: string, by: number, body: Record<string, unknown> = {}) {
    const r = await post(`/api/wishes/${id}/${action}`, body, by);
    expect([action, r.status, r.body?.code]).toEqual([action, 200, undefined]);
    return r.body;
  }
  async function published(over: Record<string, unknown> = {}): Promise<number> {
    const id = await submit(w.users.resident, over);
    await move(id, 'approve', w.users.staff);
    return id;
  }

  beforeAll(async () => {
    // 2026-12-01 00:30 in Beijing is still 2026-11-30 in UTC: "today" must be the Beijing date.
    t = await createTestApp({ MAX_ACTIVE_CLAIMS: '10' }, { clock: new FakeClock(bj('2026-12-01T00:30').getTime()) });
    w = await buildWorld(t.database, t.clock.now());
    await t.database.tx(async (m) => {
      const now = t.clock.now();
      const endsToday = await makeOrg(m, now, 'unit', '市图书馆', null);
      await pairUnit(m, now, endsToday.id, w.communityA, '2026-01-01', '2026-12-01');
      more.endsTodayUnit = endsToday.id;
      more.unitEndsToday = (await makePerson(m, now, { openid: 't-unit-today', nickname: '图书馆联络员', grants: [{ role: 'unit_admin', orgId: endsToday.id }] })).id;
      const ended = await makeOrg(m, now, 'unit', '市水务局', null);
      await pairUnit(m, now, ended.id, w.communityA, '2026-01-01', '2026-11-30');
      more.unitEnded = (await makePerson(m, now, { openid: 't-unit-ended', nickname: '水务局联络员', grants: [{ role: 'unit_admin', orgId: ended.id }] })).id;
      more.district = (await makePerson(m, now, { openid: 't-district', nickname: '区委组织部', grants: [{ role: 'city_admin', orgId: w.districtId }] })).id;
      // A city admin granted at a street (not a kind the role is held at), and a member "of" a compound: nothing.
      more.wrongKind = (await makePerson(m, now, { openid: 't-wrong-kind', nickname: '错配', grants: [{ role: 'city_admin', orgId: w.streetId }, { role: 'member', orgId: w.compoundA }] })).id;
      // Several grants at several levels: member of A, committee of B, district department.
      more.revoked = (await makePerson(m, now, { openid: 't-revoked', nickname: '已撤销', grants: [{ role: 'member', orgId: w.communityA }] })).id;
      more.multi = (await makePerson(m, now, { openid: 't-multi', nickname: '多重身份', grants: [{ role: 'member', orgId: w.communityA }, { role: 'community_admin', orgId: w.communityB }, { role: 'city_admin', orgId: w.districtId }] })).id;
    });
  });
  afterAll(() => t.close());

  it('honours only grants on an active organisation of the kind the role is held at', async () => {
    const open = await published();
    // Wrong kinds: no roles, no abilities beyond a resident's, the wish out of sight.
    const me = (await get('/api/me', more.wrongKind)).body;
    expect(me.roles).toEqual([]);
    expect(me.abilities.ledger.allowed).toBe(false);
    expect((await get(`/api/wishes/${open}`, more.wrongKind)).status).toBe(404);
    expect((await get('/api/wishes/wall', more.wrongKind)).body.code).toBe('MEMBER_NOT_VERIFIED');

    // Deactivating community A switches off every grant on it, at once; activating it again restores them.
    const at = t.database.time(t.clock.now());
    expect(await setOrganisationActive((sql, p) => q(sql, p), w.communityA, false, at)).toBe(true);
    expect((await get(`/api/wishes/${open}`, w.users.staff)).status).toBe(404);
    expect((await get('/api/ledger/wishes', w.users.staff)).status).toBe(403);
    expect((await get(`/api/wishes/${open}`, w.users.member)).status).toBe(404);
    expect((await get('/api/me', w.users.staff)).body.roles).toEqual([]);
    // The street above it still reads the community's wishes: the ledger keeps them.
    expect((await get(`/api/wishes/${open}`, w.users.street)).status).toBe(200);
    expect(await setOrganisationActive((sql, p) => q(sql, p), w.communityA, true, at)).toBe(true);
    expect((await get(`/api/wishes/${open}`, w.users.staff)).status).toBe(200);
    expect(await setOrganisationActive((sql, p) => q(sql, p), 999_999, false, at)).toBe(false);

    // A revoked grant: gone as well.
    expect((await get(`/api/wishes/${open}`, more.revoked)).status).toBe(200);
    await q(`UPDATE role_grant SET revoked_at = ? WHERE user_id = ? AND role = 'member'`, [at, more.revoked]);
    expect((await get(`/api/wishes/${open}`, more.revoked)).status).toBe(404);
  });

  it('adds up several grants at several levels, each within its own organisation', async () => {
    const inA = await published();
    const inB = await submit(w.users.resident, { communityId: w.communityB, compoundId: w.compoundB });
    const me = (await get('/api/me', more.multi)).body;
    expect(me.abilities.wall.orgs.map((o: any) => o.orgId)).toEqual([w.communityA, w.communityB]); // a member's wall, a committee's too
    expect(me.abilities.registrations.orgs.map((o: any) => o.orgId)).toEqual([w.communityB]);
    expect(me.abilities.export.orgs.map((o: any) => o.orgId).sort()).toEqual([w.communityB, w.districtId].sort());
    expect(me.abilities.submit.allowed).toBe(false); // a district department's account does not file wishes
    // As a member of A: the open wish, masked. As the district department: A's wishes all the same, masked.
    const a = (await get(`/api/wishes/${inA}`, more.multi)).body;
    expect([a.masked, a.actions]).toEqual([true, ['claim']]);
    // As B's committee: B's pending wish in full, with the committee's moves.
    const b = (await get(`/api/wishes/${inB}`, more.multi)).body;
    expect(b.masked).toBe(false);
    expect(b.actions.sort()).toEqual(['approve', 'cancel', 'mark_urgent', 'reject']);
    // The district grant reaches the district only: no city-wide writes.
    const policy = await t.http.request('PUT', '/api/dispatch/policy', { token: tok(more.multi), body: { windows: [{ communityClass: 'A', tier: 1, claimMinutes: 60, fulfilMinutes: 60 }] } });
    expect(policy.status).toBe(403);
    expect((await t.http.request('PUT', `/api/funds/${w.communityA}/2026`, { token: tok(more.district), body: { budgetFen: 1 } })).status).toBe(403);
    expect((await t.http.request('PUT', `/api/funds/${w.communityA}/2026`, { token: tok(w.users.city), body: { budgetFen: 1 } })).status).toBe(200);
  });

  it('counts a pairing that ends today (Beijing date) and not one that ended yesterday', async () => {
    const id = await published();
    await q(`UPDATE wish SET tier = 3 WHERE id = ?`, [id]);
    expect((await get(`/api/wishes/${id}`, more.unitEndsToday)).body.actions).toEqual(['claim']);
    expect((await get(`/api/wishes/${id}`, more.unitEnded)).status).toBe(404);
    // At 00:00 Beijing the next day the agreement is over.
    t.clock.set(bj('2026-12-02T00:00'));
    expect((await get(`/api/wishes/${id}`, more.unitEndsToday)).status).toBe(404);
    t.clock.set(bj('2026-12-01T00:30'));
    // Claimed while paired, the unit keeps reading what it handled after the pairing ends (masked once it is over).
    const claimed = await move(id, 'claim', more.unitEndsToday);
    expect([claimed.state, claimed.masked]).toEqual(['claimed', false]);
    expect((await q(`SELECT claimant_org_id FROM wish WHERE id = ?`, [id]))[0].claimant_org_id).toBe(more.endsTodayUnit);
    await move(id, 'complete', more.unitEndsToday, { note: '已修好' });
    await move(id, 'confirm', w.users.resident, { rating: 'satisfied' });
    t.clock.set(bj('2026-12-05T10:00'));
    const later = await get(`/api/wishes/${id}`, more.unitEndsToday);
    expect([later.status, later.body.masked, later.body.description]).toEqual([200, true, '请帮忙修一下']);
    t.clock.set(bj('2026-12-01T00:30'));
  });

  it('masks a deactivated member at once, in every state their claims were in', async () => {
    // A fresh member of A with four claims: one still claimed, one awaiting confirmation, one resolved, one cancelled by the committee.
    const member = await t.database.tx((m) => makePerson(m, t.clock.now(), { openid: 't-leaving', nickname: '即将调离', grants: [{ role: 'member', orgId: w.communityA }], registration: { communityId: w.communityA, realName: '调离者', workUnit: '市某局' } }));
    const [claimed, awaiting, resolved, cancelled] = [await published(), await published(), await published(), await published()];
    for (const id of [claimed, awaiting, resolved, cancelled]) await move(id, 'claim', member.id);
    await move(awaiting, 'complete', member.id, { note: '办好了' });
    await move(resolved, 'complete', member.id, { note: '办好了' });
    await move(resolved, 'confirm', w.users.resident, { rating: 'satisfied' });
    await move(cancelled, 'cancel', w.users.staff, { code: 'withdrawn', reason: '居民已自行解决' });
    expect((await get(`/api/wishes/${awaiting}`, member.id)).body.masked).toBe(false);

    const [reg] = await q(`SELECT id FROM member_registration WHERE user_id = ?`, [member.id]);
    const off = await post(`/api/members/registrations/${reg.id}/deactivate`, { reason: '工作调离' }, w.users.staff);
    expect(off.body.releasedWishIds).toEqual([claimed]);
    // Their tokens stopped working at once; they sign in again, without the grant.
    expect((await get(`/api/wishes/${awaiting}`, member.id)).body.code).toBe('TOKEN_REVOKED');
    versions[member.id] = 1;
    // The released wish is back on the wall, which a deactivated member no longer reads.
    expect((await get(`/api/wishes/${claimed}`, member.id)).status).toBe(404);
    // What they handled: still theirs to read, masked, and nothing left to do.
    for (const id of [awaiting, resolved, cancelled]) {
      const r = await get(`/api/wishes/${id}`, member.id);
      expect([id, r.status, r.body.masked, r.body.actions]).toEqual([id, 200, true, []]);
    }
    const mine = (await get('/api/wishes/claimed', member.id)).body.items;
    expect(mine.map((i: any) => [i.id, i.masked])).toEqual([[cancelled, true], [resolved, true], [awaiting, true]]);
    // Even a claim still held (if the deactivation's release lost a race) gives nothing more than masked.
    await q(`UPDATE wish SET state = 'claimed', claimant_id = ?, claimant_role = 'member', claimant_org_id = ? WHERE id = ?`, [member.id, w.communityA, claimed]);
    const stale = await get(`/api/wishes/${claimed}`, member.id);
    expect([stale.body.masked, stale.body.actions]).toEqual([true, []]);
    expect((await post(`/api/wishes/${claimed}/complete`, { note: 'x' }, member.id)).status).toBe(403);
  });

  it('answers a grid worker who approves with the wish as they saw it, and then not at all', async () => {
    const id = await submit(w.users.resident);
    const r = await post(`/api/wishes/${id}/approve`, {}, w.users.grid);
    expect(r.status).toBe(200);
    expect([r.body.state, r.body.actions, r.body.masked]).toEqual(['open', [], false]);
    expect((await get(`/api/wishes/${id}`, w.users.grid)).status).toBe(404);
    // Their own filing: never approved by themselves; the queue lists each wish with the moves its reader may make.
    const own = await submit(w.users.grid, { consentMethod: 'verbal', beneficiaryPhone: undefined });
    const other = await submit(w.users.resident);
    const queue = (await get('/api/wishes/review', w.users.grid)).body.items;
    expect(queue.filter((i: any) => [own, other].includes(i.id)).map((i: any) => [i.id, i.actions.sort()])).toEqual([
      [own, ['cancel']],
      [other, ['approve', 'reject']],
    ]);
    expect((await post(`/api/wishes/${own}/approve`, {}, w.users.grid)).body.code).toBe('OWN_SUBMISSION');
  });

  it('records a rating on a resident’s behalf with how they consented, and never by the hand that did the work', async () => {
    const id = await submit(w.users.grid, { consentMethod: 'verbal', beneficiaryName: '马奶奶', beneficiaryPhone: undefined });
    await move(id, 'approve', w.users.staff);
    await move(id, 'claim', w.users.member);
    await move(id, 'complete', w.users.member, { note: '已陪同就医' });
    // The member who did the work is not the submitter: they may not confirm, and are told why.
    expect((await post(`/api/wishes/${id}/confirm`, { rating: 'satisfied' }, w.users.member)).body.code).toBe('OWN_HANDLING');
    expect((await post(`/api/wishes/${id}/confirm`, { rating: 'satisfied' }, w.users.grid)).body.code).toBe('CONSENT_METHOD_REQUIRED');
    const done = await move(id, 'confirm', w.users.grid, { rating: 'satisfied', consentMethod: 'verbal' });
    expect(done.ratingOnBehalf).toEqual({ consentMethod: 'verbal', recordedBy: '网格员小陈' });
    expect(done.timeline.at(-1)).toMatchObject({ type: 'confirm', actorRole: 'grid_worker', consentMethod: 'verbal' });
    expect((await q(`SELECT rating_by, rating_consent FROM wish WHERE id = ?`, [id]))[0]).toMatchObject({ rating_by: w.users.grid, rating_consent: 'verbal' });
    // The street sees the rating and how it was given, not who recorded it.
    expect((await get(`/api/wishes/${id}`, w.users.street)).body.ratingOnBehalf).toEqual({ consentMethod: 'verbal', recordedBy: null });

    // A grid worker who filed a wish and was then assigned the work may not rate it.
    const own = await submit(w.users.grid, { consentMethod: 'written', beneficiaryPhone: undefined });
    await move(own, 'approve', w.users.staff);
    await q(`UPDATE wish SET tier = 2 WHERE id = ?`, [own]);
    await move(own, 'claim', w.users.staff);
    await move(own, 'assign', w.users.staff, { userId: w.users.grid });
    await move(own, 'complete', w.users.grid, { note: '已办' });
    expect((await post(`/api/wishes/${own}/confirm`, { rating: 'satisfied', consentMethod: 'written' }, w.users.grid)).body.code).toBe('OWN_HANDLING');
    // A resident's own wish takes no consent method.
    const mine = await published();
    await move(mine, 'claim', w.users.member);
    await move(mine, 'complete', w.users.member, { note: '好了' });
    expect((await post(`/api/wishes/${mine}/confirm`, { rating: 'satisfied', consentMethod: 'verbal' }, w.users.resident)).body.code).toBe('VALIDATION_FAILED');
  });

  it('assigns only to the claim organisation’s people, saying nothing of strangers, and takes the work back', async () => {
    const id = await published();
    await q(`UPDATE wish SET tier = 2 WHERE id = ?`, [id]);
    await move(id, 'claim', w.users.staff);
    // Someone who cannot read the wish learns nothing, whatever they send.
    for (const body of [{ userId: w.users.member }, { userId: 'x' }, {}]) expect((await post(`/api/wishes/${id}/assign`, body, w.users.staffB)).body.code).toBe('WISH_NOT_FOUND');
    expect((await get(`/api/wishes/${id}/assignees`, w.users.staffB)).body.code).toBe('WISH_NOT_FOUND');
    // The street reads it but does not hold the claim.
    expect((await get(`/api/wishes/${id}/assignees`, w.users.street)).status).toBe(403);
    const people = (await get(`/api/wishes/${id}/assignees`, w.users.staff)).body;
    expect(people.map((p: any) => [p.userId, p.role])).toEqual(
      [
        [w.users.member, 'member'],
        [w.users.member2, 'member'],
        [w.users.staff, 'community_admin'],
        [w.users.grid, 'grid_worker'],
        [more.multi, 'member'],
      ].sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
    expect(JSON.stringify(people)).not.toMatch(/1390000|real/);
    // Not the community's people, and no such user: the same answer.
    for (const userId of [w.users.memberB, w.users.unitAdmin, 999_999]) expect((await post(`/api/wishes/${id}/assign`, { userId }, w.users.staff)).body.code).toBe('ASSIGNEE_INVALID');
    expect((await move(id, 'assign', w.users.staff, { userId: w.users.member2 })).assignee.id).toBe(w.users.member2);
    // The assignee does the work but neither re-assigns nor releases it; naming oneself takes it back.
    expect((await get(`/api/wishes/${id}`, w.users.member2)).body.actions).toEqual(['complete']);
    expect((await move(id, 'assign', w.users.staff, { userId: w.users.staff })).assignee).toBeNull();
    expect((await get(`/api/wishes/${id}`, w.users.member2)).status).toBe(404);
  });
});
