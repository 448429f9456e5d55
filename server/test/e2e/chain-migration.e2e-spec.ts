// The Chain migration: events written before the hash chain are chained in order (per wish, by
// id), each wish's head set, and the count reported; down() takes the columns away again.
import type { DataSource } from 'typeorm';
import { FakeClock } from '../../src/common/clock';
import { Chain1765238400000 } from '../../src/database/migrations/1765238400000-Chain';
import { runLedgerVerify } from '../../src/modules/ledger/ledger-verify.cli';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, insertWish, type World } from '../factories/world';
import { lastMigration as lastMigrationOf, columnsOf as columnsOfTable } from '../support';

jest.setTimeout(120_000);

let t: TestApp;
let w: World;
let ds: DataSource;
const START = new Date('2026-11-27T02:00:00.123Z');

beforeAll(async () => {
  t = await createTestApp({}, { clock: new FakeClock(START.getTime()) });
  w = await buildWorld(t.database, START);
  ds = t.database.dataSource;
});
afterAll(() => t.close());

const lastMigration = () => lastMigrationOf(ds);
const columnsOf = (table: string) => columnsOfTable(ds, table);

it('chains the events written before it, in order, reports the count, and verifies', async () => {
  // A wish moved through the API while the chain exists: its hashes, as the moves sealed them.
  const r = await t.http.post(
    '/api/wishes',
    { communityId: w.communityA, category: 'repair', title: '楼道灯不亮', description: '描述', beneficiaryName: '王大妈', beneficiaryPhone: '13900001111', address: '3号楼2单元101', forSelf: true },
    t.tokenFor(w.users.resident),
  );
  expect(r.status).toBe(201);
  t.clock.advance(61_007);
  expect((await t.http.post(`/api/wishes/${r.body.id}/approve`, {}, t.tokenFor(w.users.staff))).status).toBe(200);
  t.clock.advance(3_001);
  expect((await t.http.post(`/api/wishes/${r.body.id}/cancel`, { reason: '重复提交了' }, t.tokenFor(w.users.resident))).status).toBe(200);
  const sealed = await ds.query(`SELECT id, seq, text_digest, chain_hash FROM wish_event ORDER BY id`);
  expect(sealed.map((e: any) => Number(e.seq))).toEqual([1, 2, 3]);

  // Back to the schema before the chain (later migrations step back first).
  while ((await lastMigration()) !== 'Chain1765238400000') await ds.undoLastMigration({ transaction: 'each' });
  await ds.undoLastMigration({ transaction: 'each' });
  expect(await columnsOf('wish_event')).not.toContain('chain_hash');
  expect(await columnsOf('wish')).not.toContain('chain_head');

  // Two wishes as the code before the chain wrote them: one with three events, one with none.
  const old = await insertWish(t.database, START, { districtId: w.districtId, streetId: w.streetId, communityId: w.communityB, submitterId: w.users.resident2, title: '旧心愿' });
  await insertWish(t.database, START, { districtId: w.districtId, streetId: w.streetId, communityId: w.communityB, submitterId: w.users.resident2, title: '没有事件的旧心愿' });
  const ev = (type: string, from: string | null, to: string, ms: number, reason: string | null = null, payload: string | null = null) =>
    ds.query(`INSERT INTO wish_event (wish_id, type, from_state, to_state, from_tier, to_tier, actor_id, actor_role, reason, payload, created_at) VALUES (?, ?, ?, ?, ?, 1, ?, 'resident', ?, ?, ?)`, [
      old, type, from, to, from === null ? null : 1, w.users.resident2, reason, payload, t.database.time(new Date(START.getTime() + ms)),
    ]);
  await ev('submit', null, 'pending_review', 0);
  await ev('approve', 'pending_review', 'open', 1_234);
  await ev('escalate', 'open', 'open', 7_777, null, JSON.stringify({ note: '旧的事件', nested: { b: 2, a: 1 } }));

  // up(): 6 events of 2 wishes chained (the one without events has no chain to start).
  Chain1765238400000.lastRun = null;
  await ds.runMigrations({ transaction: 'each' });
  expect(Chain1765238400000.lastRun).toEqual({ events: 6, wishes: 2 });
  // The API wish's events get the very hashes its moves sealed: what was written reads back the same.
  expect(await ds.query(`SELECT id, seq, text_digest, chain_hash FROM wish_event WHERE wish_id = ? ORDER BY id`, [r.body.id])).toEqual(sealed);
  const oldEvents = await ds.query(`SELECT seq FROM wish_event WHERE wish_id = ? ORDER BY id`, [old]);
  expect(oldEvents.map((e: any) => Number(e.seq))).toEqual([1, 2, 3]);
  const [head] = await ds.query(`SELECT chain_seq FROM wish WHERE id = ?`, [old]);
  expect(Number(head.chain_seq)).toBe(3);

  // From here the verifier cannot tell them from later events; a later move continues the chain.
  let out = '';
  expect(await runLedgerVerify(t.database, [], (s) => (out += s))).toBe(0);
  expect(out).toContain('the whole ledger: 3 wishes, 6 events verified');
  t.clock.advance(60_000);
  expect((await t.http.post(`/api/wishes/${old}/cancel`, { code: 'withdrawn', reason: '居民来电：不需要了' }, t.tokenFor(w.users.staffB))).status).toBe(200);
  expect((await ds.query(`SELECT seq FROM wish_event WHERE wish_id = ? ORDER BY id DESC LIMIT 1`, [old]))[0].seq).toBe(4);
  const v = await t.http.get(`/api/ledger/verify?scope=street&orgId=${w.streetId}`, t.tokenFor(w.users.street));
  expect(v.body).toMatchObject({ ok: true, wishes: 3, events: 7 });
});
