// The RatesRules migration: the facts the rates read are recomputed from the events (the first
// supervision instead of the overwritten last one, the first missed window, the first
// completion), closure codes only where they are known, and down() then up() again works.
import type { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, insertWish, type World } from '../factories/world';
import { lastMigration as lastMigrationOf, columnsOf as columnsOfTable } from '../support';

let t: TestApp;
let w: World;
let ds: DataSource;
const START = new Date('2026-11-23T02:00:00Z');
const h = (n: number) => new Date(START.getTime() + n * 3_600_000);

beforeAll(async () => {
  t = await createTestApp();
  w = await buildWorld(t.database, START);
  ds = t.database.dataSource;
});
afterAll(() => t.close());

const lastMigration = () => lastMigrationOf(ds);
const columnsOf = (table: string) => columnsOfTable(ds, table);

it('recomputes the rates facts from the events, codes what is known, and steps back on down()', async () => {
  while ((await lastMigration()) !== 'RatesRules1765065600000') await ds.undoLastMigration({ transaction: 'each' });
  await ds.undoLastMigration({ transaction: 'each' });
  expect(await lastMigration()).toBe('Rights1764979200000');
  expect(await columnsOf('wish')).not.toContain('fulfil_missed_at');

  const base = { districtId: w.districtId, streetId: w.streetId, communityId: w.communityA, compoundId: w.compoundA, submitterId: w.users.resident };
  const event = (id: number, type: string, at: Date, from = 'open', to = 'open') =>
    ds.query(`INSERT INTO wish_event (wish_id, type, from_state, to_state, from_tier, to_tier, actor_role, created_at) VALUES (?, ?, ?, ?, 4, 4, 'system', ?)`, [id, type, from, to, t.database.time(at)]);
  const set = (id: number, sql: string, params: unknown[]) => ds.query(`UPDATE wish SET ${sql} WHERE id = ?`, [...params, id]);

  // Supervised at 10h, claimed late at 12h, released, supervised again at 40h: the old code kept 40h.
  const twice = await insertWish(t.database, START, { ...base, state: 'open', title: '两次督办' });
  await set(twice, `published_at = ?, tier = 4, first_claimed_at = ?, supervised_at = ?`, [t.database.time(h(0)), t.database.time(h(12)), t.database.time(h(40))]);
  await event(twice, 'supervise', h(10));
  await event(twice, 'claim', h(12), 'open', 'claimed');
  await event(twice, 'release', h(13), 'claimed', 'open');
  await event(twice, 'supervise', h(40));
  // Overdue at 30h, completed at 35h, disputed (completed_at cleared), completed again at 50h.
  const missed = await insertWish(t.database, START, { ...base, state: 'awaiting_confirmation', title: '超时办结' });
  await set(missed, `published_at = ?, first_claimed_at = ?, due_at = ?, completed_at = ?`, [t.database.time(h(0)), t.database.time(h(1)), t.database.time(h(90)), t.database.time(h(50))]);
  await event(missed, 'complete', h(35), 'claimed', 'awaiting_confirmation');
  await event(missed, 'overdue', h(30), 'claimed', 'claimed');
  await event(missed, 'complete', h(50), 'claimed', 'awaiting_confirmation');
  // Completed after its due time without the sweeper's overdue event.
  const lateDone = await insertWish(t.database, START, { ...base, state: 'awaiting_confirmation', title: '逾期完成' });
  await set(lateDone, `published_at = ?, first_claimed_at = ?, due_at = ?, completed_at = ?`, [t.database.time(h(0)), t.database.time(h(1)), t.database.time(h(20)), t.database.time(h(21))]);
  // Closures: by the resident, as a duplicate, by staff with free text only, and a rejection.
  const byResident = await insertWish(t.database, START, { ...base, state: 'cancelled', title: '居民撤回' });
  await set(byResident, `published_at = ?, cancelled_by_submitter = 1`, [t.database.time(h(0))]);
  await event(byResident, 'cancel', h(3), 'open', 'cancelled');
  const dup = await insertWish(t.database, START, { ...base, state: 'cancelled', title: '重复' });
  await set(dup, `published_at = ?, duplicate_of = ?`, [t.database.time(h(0)), twice]);
  await event(dup, 'cancel', h(4), 'open', 'cancelled');
  const staff = await insertWish(t.database, START, { ...base, state: 'cancelled', title: '社区取消' });
  await set(staff, `published_at = ?`, [t.database.time(h(0))]);
  await event(staff, 'cancel', h(5), 'open', 'cancelled');
  const rejected = await insertWish(t.database, START, { ...base, state: 'rejected', title: '未通过' });
  await set(rejected, `published_at = NULL`, []);
  await event(rejected, 'reject', h(6), 'pending_review', 'rejected');

  await ds.runMigrations({ transaction: 'each' });
  expect(await columnsOf('wish')).toEqual(expect.arrayContaining(['closure_code', 'closure_channel', 'closed_at', 'fulfil_missed_at', 'first_completed_at']));
  const row = async (id: number) => {
    const r = (await ds.query(`SELECT supervised_at, fulfil_missed_at, first_completed_at, closure_code, closed_at FROM wish WHERE id = ?`, [id]))[0];
    const iso = (v: unknown) => t.database.readTime(v as string | Date | null)?.toISOString() ?? null;
    return { supervised: iso(r.supervised_at), missed: iso(r.fulfil_missed_at), firstCompleted: iso(r.first_completed_at), code: r.closure_code ?? null, closed: iso(r.closed_at) };
  };
  expect(await row(twice)).toEqual({ supervised: h(10).toISOString(), missed: null, firstCompleted: null, code: null, closed: null });
  expect(await row(missed)).toEqual({ supervised: null, missed: h(30).toISOString(), firstCompleted: h(35).toISOString(), code: null, closed: null });
  expect((await row(lateDone)).missed).toBe(h(20).toISOString());
  expect(await row(byResident)).toMatchObject({ code: 'withdrawn', closed: h(3).toISOString() });
  expect(await row(dup)).toMatchObject({ code: 'duplicate', closed: h(4).toISOString() });
  expect(await row(staff)).toMatchObject({ code: null, closed: h(5).toISOString() });
  expect(await row(rejected)).toMatchObject({ code: null, closed: h(6).toISOString() });

  // The rollups were rebuilt with the new counters. Published on the 23rd (Beijing): twice missed lateDone byResident dup staff.
  //   response: decided = twice (claimed) missed lateDone (claimed) staff (uncoded staff cancel) = 4; responded = missed, lateDone
  //   (twice was first claimed at 12h, after its first supervision at 10h).
  const r = await t.http.get(`/api/ledger/rates?scope=community&orgId=${w.communityA}&from=2026-11-23&to=2026-11-23`, t.tokenFor(w.users.staff));
  expect(r.status).toBe(200);
  expect(r.body.response).toEqual({ rate: 0.5, numerator: 2, denominator: 4 });
  expect(r.body.closures).toEqual({ duplicate: 1, withdrawn: 1, redirected: 0, not_a_wish: 0, cannot_be_done: 0, spam: 0, uncoded: 1 });
  expect(r.body.closuresBeforePublication.uncoded).toBe(1);
});
