import { IdempotencyService } from '../../src/common/idempotency/idempotency.service';
import { WishesService } from '../../src/modules/wishes/wishes.service';
import { txStamps } from '../../src/database/database';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';

// Issue 15, "Writes that can be repeated safely": every create and move accepts an
// Idempotency-Key; the same key returns the first answer and changes nothing, kept for a day.
describe('Idempotency-Key on creates and moves, over HTTP', () => {
  let t: TestApp;
  let w: World;
  const tok = (k: keyof World['users']) => t.tokenFor(w.users[k]);
  const count = async (sql: string, params: unknown[] = []) => Number((await t.database.dataSource.query(sql, params))[0].n);
  const wishesTitled = (title: string) => count('SELECT COUNT(*) AS n FROM wish WHERE title = ?', [title]);
  const events = (id: number, type: string) => count('SELECT COUNT(*) AS n FROM wish_event WHERE wish_id = ? AND type = ?', [id, type]);
  const send = (method: string, path: string, key: string | null, body: unknown, token: string) =>
    t.http.request(method, path, { token, body, headers: key === null ? {} : { 'idempotency-key': key } });

  const wish = (title: string) => ({
    communityId: w.communityA,
    compoundId: w.compoundA,
    category: 'repair',
    title,
    description: '楼道灯坏了，晚上看不见台阶。',
    beneficiaryName: '王秀兰',
    beneficiaryPhone: '13812341234',
    address: '3号楼2单元501',
    forSelf: true,
  });

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildWorld(t.database, t.clock.now());
  });
  afterAll(() => t.close());

  it('a repeated submit returns the first answer and leaves one wish', async () => {
    const first = await send('POST', '/api/wishes', 'draft-0001-aaaa', wish('楼道灯一'), tok('resident'));
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await send('POST', '/api/wishes', 'draft-0001-aaaa', wish('楼道灯一'), tok('resident'));
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await wishesTitled('楼道灯一')).toBe(1);
    expect(await events(first.body.id, 'submit')).toBe(1);
    // The kept answer carries the beneficiary's contact details: sealed at rest like every such column.
    const [kept] = await t.database.dataSource.query("SELECT response FROM idempotency_key WHERE idem_key = 'draft-0001-aaaa'");
    expect(kept.response).toMatch(/^pii1\./);
    expect(kept.response).not.toContain('13812341234');
    // Without a key, the same body is a new wish (as before).
    expect((await send('POST', '/api/wishes', null, wish('楼道灯一'), tok('resident'))).status).toBe(201);
    expect(await wishesTitled('楼道灯一')).toBe(2);
  });

  it('the same key with another body is refused with 422 and changes nothing', async () => {
    expect((await send('POST', '/api/wishes', 'draft-0002-bbbb', wish('楼道灯二'), tok('resident'))).status).toBe(201);
    const other = await send('POST', '/api/wishes', 'draft-0002-bbbb', wish('楼道灯二（改）'), tok('resident'));
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await wishesTitled('楼道灯二（改）')).toBe(0);
    // Another route with the same key is another request too.
    const elsewhere = await send('POST', '/api/reports', 'draft-0002-bbbb', { kind: 'complaint', category: 'service', text: '没人管' }, tok('resident'));
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('keys are per user: the same key from two people makes two wishes', async () => {
    const a = await send('POST', '/api/wishes', 'shared-key-0003', wish('楼道灯三'), tok('resident'));
    const b = await send('POST', '/api/wishes', 'shared-key-0003', wish('楼道灯三'), tok('resident2'));
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(b.body.id).not.toBe(a.body.id);
    expect(await wishesTitled('楼道灯三')).toBe(2);
    // And a third person's different body under that key is no conflict with theirs.
    const c = await send('POST', '/api/wishes', 'shared-key-0003', wish('楼道灯三（李）'), tok('memberB'));
    expect(c.status).not.toBe(422);
  });

  it('concurrent requests with one key make exactly one wish; the others hear 409 with Retry-After or the first answer', async () => {
    const rs = await Promise.all(Array.from({ length: 6 }, () => send('POST', '/api/wishes', 'draft-0004-dddd', wish('楼道灯四'), tok('resident'))));
    expect(await wishesTitled('楼道灯四')).toBe(1);
    const created = rs.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    for (const r of rs.filter((x) => x.status !== 201)) {
      expect(r.status).toBe(409);
      expect(r.body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    // Once the first has answered, a retry gets its answer.
    const later = await send('POST', '/api/wishes', 'draft-0004-dddd', wish('楼道灯四'), tok('resident'));
    expect(later.status).toBe(201);
    expect(later.body.id).toBe(created[0].body.id);
  });

  it('moves: a repeated approve and claim answer as the first time, with one event each; a refusal is replayed too', async () => {
    const id = (await send('POST', '/api/wishes', null, wish('楼道灯五'), tok('resident'))).body.id as number;
    const a1 = await send('POST', `/api/wishes/${id}/approve`, 'approve-0005-x', {}, tok('staff'));
    const a2 = await send('POST', `/api/wishes/${id}/approve`, 'approve-0005-x', {}, tok('staff'));
    expect([a1.status, a2.status]).toEqual([200, 200]);
    expect(a2.body).toEqual(a1.body);
    expect(await events(id, 'approve')).toBe(1);
    const c1 = await send('POST', `/api/wishes/${id}/claim`, 'claim-0005-xyz', {}, tok('member'));
    const c2 = await send('POST', `/api/wishes/${id}/claim`, 'claim-0005-xyz', {}, tok('member'));
    expect([c1.status, c2.status]).toEqual([200, 200]);
    expect(c2.body).toEqual(c1.body);
    expect(await events(id, 'claim')).toBe(1);
    // A 4xx is final: the same request gets the same refusal, without running again.
    const r1 = await send('POST', `/api/wishes/${id}/approve`, 'approve-0005-y', {}, tok('staff'));
    expect(r1.status).toBe(409);
    const r2 = await send('POST', `/api/wishes/${id}/approve`, 'approve-0005-y', {}, tok('staff'));
    expect(r2.status).toBe(409);
    expect(r2.headers.get('idempotent-replayed')).toBe('true');
    expect({ code: r2.body.code, message: r2.body.message }).toEqual({ code: r1.body.code, message: r1.body.message });
  });

  it('a 5xx before any write frees the key; a 5xx after the write leaves the outcome unknown and never runs twice', async () => {
    const wishes = t.app.get(WishesService);
    const id = (await send('POST', '/api/wishes', null, wish('楼道灯六'), tok('resident'))).body.id as number;
    const boom = jest.spyOn(wishes, 'approve').mockRejectedValueOnce(new Error('database went away'));
    expect((await send('POST', `/api/wishes/${id}/approve`, 'approve-0006-aa', {}, tok('staff'))).status).toBe(500);
    expect(await events(id, 'approve')).toBe(0);
    const retry = await send('POST', `/api/wishes/${id}/approve`, 'approve-0006-aa', {}, tok('staff'));
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(await events(id, 'approve')).toBe(1);
    boom.mockRestore();

    const id2 = (await send('POST', '/api/wishes', null, wish('楼道灯六乙'), tok('resident'))).body.id as number;
    const real = wishes.approve.bind(wishes);
    const late = jest.spyOn(wishes, 'approve').mockImplementationOnce(async (...args) => {
      await real(...args);
      throw new Error('lost after the commit');
    });
    expect((await send('POST', `/api/wishes/${id2}/approve`, 'approve-0006-bb', {}, tok('staff'))).status).toBe(500);
    expect(await events(id2, 'approve')).toBe(1);
    const unknown = await send('POST', `/api/wishes/${id2}/approve`, 'approve-0006-bb', {}, tok('staff'));
    expect(unknown.status).toBe(409);
    expect(unknown.body.code).toBe('IDEMPOTENCY_OUTCOME_UNKNOWN');
    expect(await events(id2, 'approve')).toBe(1);
    late.mockRestore();
  });

  it('an attempt that died before writing frees its key once its lease has passed', async () => {
    const keys = t.app.get(IdempotencyService);
    const id = (await send('POST', '/api/wishes', null, wish('楼道灯七'), tok('resident'))).body.id as number;
    const path = `/api/wishes/${id}/approve`;
    // The process "dies" right after taking the key: nothing answered, nothing written.
    await keys.begin(w.users.staff, 'approve-0007-cc', `POST ${path}`, keys.fingerprint('POST', path, {}));
    const during = await send('POST', path, 'approve-0007-cc', {}, tok('staff'));
    expect(during.status).toBe(409);
    expect(during.body.code).toBe('IDEMPOTENCY_KEY_IN_USE');
    t.clock.advance(61_000);
    const after = await send('POST', path, 'approve-0007-cc', {}, tok('staff'));
    expect(after.status).toBe(200);
    expect(await events(id, 'approve')).toBe(1);
  });

  it('an attempt that outlived its lease and lost its key to a retry cannot commit its write', async () => {
    const keys = t.app.get(IdempotencyService);
    const id = (await send('POST', '/api/wishes', null, wish('楼道灯七乙'), tok('resident'))).body.id as number;
    const path = `/api/wishes/${id}/approve`;
    // A first attempt takes the key and then hangs (a slow dependency) past its lease...
    const slow = await keys.begin(w.users.staff, 'approve-0007-dd', `POST ${path}`, keys.fingerprint('POST', path, {}));
    t.clock.advance(61_000);
    // ...a retry takes the key over and approves.
    expect((await send('POST', path, 'approve-0007-dd', {}, tok('staff'))).status).toBe(200);
    // When the slow one finally writes, its transaction stamps the key it no longer owns and rolls back.
    const write = txStamps.run(slow, () => t.database.tx((m) => m.query('UPDATE wish SET title = ? WHERE id = ?', ['被改掉的标题', id])));
    await expect(write).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_IN_USE' });
    expect(await wishesTitled('楼道灯七乙')).toBe(1);
    expect(await events(id, 'approve')).toBe(1);
  });

  it('a key is kept for a day: after that the same key runs again, and the purge deletes it', async () => {
    const first = await send('POST', '/api/wishes', 'draft-0008-eeee', wish('楼道灯八'), tok('resident'));
    t.clock.advance(23 * 3_600_000);
    expect((await send('POST', '/api/wishes', 'draft-0008-eeee', wish('楼道灯八'), tok('resident'))).body.id).toBe(first.body.id);
    expect(await wishesTitled('楼道灯八')).toBe(1);
    t.clock.advance(3_600_000 + 1000);
    const purged = await t.app.get(IdempotencyService).purge();
    expect(purged).toBeGreaterThanOrEqual(1);
    expect(await count("SELECT COUNT(*) AS n FROM idempotency_key WHERE idem_key = 'draft-0008-eeee'")).toBe(0);
    const next = await send('POST', '/api/wishes', 'draft-0008-eeee', wish('楼道灯八'), tok('resident'));
    expect(next.status).toBe(201);
    expect(next.body.id).not.toBe(first.body.id);
    expect(await wishesTitled('楼道灯八')).toBe(2);
  });

  it('an expired key not yet purged is taken afresh too', async () => {
    const first = await send('POST', '/api/wishes', 'draft-0009-ffff', wish('楼道灯九'), tok('resident'));
    t.clock.advance(24 * 3_600_000 + 1000);
    const next = await send('POST', '/api/wishes', 'draft-0009-ffff', wish('楼道灯九'), tok('resident'));
    expect(next.status).toBe(201);
    expect(next.body.id).not.toBe(first.body.id);
  });

  it.each([
    ['too short', 'abc'],
    ['too long', 'k'.repeat(101)],
    ['a slash', 'draft/0010/gggg'],
    ['a space', 'draft 0010 gggg'],
  ])('a malformed key (%s) is refused with 400 and nothing is written', async (_label, key) => {
    const r = await send('POST', '/api/wishes', key, wish('楼道灯十'), tok('resident'));
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('IDEMPOTENCY_KEY_INVALID');
    expect(await wishesTitled('楼道灯十')).toBe(0);
  });
});
