// The OutboxColumns migration: notices written as JSON texts (the schema before it)
// come out as columns, and its down() writes the JSON back.
import type { DataSource } from 'typeorm';
import { enqueueNotices } from '../../src/modules/outbox/outbox';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, insertWish, type World } from '../factories/world';
import { lastMigration as lastMigrationOf } from '../support';

let t: TestApp;
let w: World;
let ds: DataSource;
const START = new Date('2026-11-27T02:00:00Z');

beforeAll(async () => {
  t = await createTestApp();
  w = await buildWorld(t.database, START);
  ds = t.database.dataSource;
});
afterAll(() => t.close());

const lastMigration = () => lastMigrationOf(ds);

it('moves audience and payload out of JSON into columns, and back on down()', async () => {
  // Later migrations first step back (their own test: access-migration.e2e-spec.ts).
  while ((await lastMigration()) !== 'OutboxColumns1764633600000') await ds.undoLastMigration({ transaction: 'each' });
  const wishId = await insertWish(t.database, START, { districtId: w.districtId, streetId: w.streetId, communityId: w.communityA, submitterId: w.users.resident, title: '帮老人换灯泡' });
  await t.database.tx((m) =>
    enqueueNotices(
      m,
      [
        { wishId, kind: 'claimed', audience: { type: 'user', userId: w.users.resident }, tier: 1, createdAt: START },
        { wishId, kind: 'escalated', audience: { type: 'tier_claimers' }, tier: 3, createdAt: START },
        { wishId, kind: 'supervised', audience: { type: 'district', districtId: w.districtId }, tier: 4, note: '街道三天未响应', createdAt: START },
      ],
      (d) => t.database.time(d),
    ),
  );
  const columns = async () =>
    (await ds.query(`SELECT kind, audience_type, audience_id, tier, note FROM outbox ORDER BY id`)).map((r: any) => [
      r.kind,
      r.audience_type,
      r.audience_id === null ? null : Number(r.audience_id),
      r.tier === null ? null : Number(r.tier),
      r.note,
    ]);
  const expected = [
    ['claimed', 'user', w.users.resident, 1, null],
    ['escalated', 'tier_claimers', null, 3, null],
    ['supervised', 'district', w.districtId, 4, '街道三天未响应'],
  ];
  expect(await columns()).toEqual(expected);

  // More than a page of down()'s UPDATEs, and a notice whose wish is gone.
  const bulk = 2100;
  await t.database.tx((m) =>
    enqueueNotices(
      m,
      Array.from({ length: bulk }, (_, i) => ({ wishId, kind: 'completed' as const, audience: { type: 'user' as const, userId: w.users.resident + (i % 2) }, tier: 1, createdAt: START })),
      (d) => t.database.time(d),
    ),
  );
  await t.database.tx((m) => enqueueNotices(m, [{ wishId: 999_999, kind: 'overdue', audience: { type: 'user', userId: w.users.member }, tier: 2, createdAt: START }], (d) => t.database.time(d)));

  // down(): the JSON the sender before this migration reads, with the wish's number and title.
  await ds.undoLastMigration({ transaction: 'each' });
  expect(await lastMigration()).not.toBe('OutboxColumns1764633600000');
  const bulkRows = await ds.query(`SELECT audience, payload FROM outbox WHERE kind = 'completed' ORDER BY id`);
  expect(bulkRows).toHaveLength(bulk);
  expect(bulkRows.map((r: any) => JSON.parse(r.audience).userId)).toEqual(Array.from({ length: bulk }, (_, i) => w.users.resident + (i % 2)));
  expect(bulkRows.every((r: any) => JSON.parse(r.payload).title === '帮老人换灯泡')).toBe(true);
  // No wish, no payload: the old sender fails such a notice and gives it up.
  const orphan = (await ds.query(`SELECT audience, payload FROM outbox WHERE kind = 'overdue'`))[0];
  expect([JSON.parse(orphan.audience), orphan.payload]).toEqual([{ type: 'user', userId: w.users.member }, null]);
  await ds.query(`DELETE FROM outbox WHERE kind IN ('completed', 'overdue')`);
  // audience is NOT NULL again, as the Dispatch migration made it.
  await expect(ds.query(`INSERT INTO outbox (wish_id, kind, status, attempts, next_attempt_at, created_at) VALUES (?, 'claimed', 'pending', 0, ?, ?)`, [wishId, t.database.time(START), t.database.time(START)])).rejects.toThrow();
  const json = (await ds.query(`SELECT audience, payload FROM outbox ORDER BY id`)).map((r: any) => [JSON.parse(r.audience), JSON.parse(r.payload)]);
  const wishNo = `XY20261127${String(wishId).padStart(6, '0')}`;
  expect(json).toEqual([
    [{ type: 'user', userId: w.users.resident }, { wishNo, title: '帮老人换灯泡', tier: 1, note: null }],
    [{ type: 'tier_claimers', wishId, tier: 3 }, { wishNo, title: '帮老人换灯泡', tier: 3, note: null }],
    [{ type: 'district', districtId: w.districtId }, { wishNo, title: '帮老人换灯泡', tier: 4, note: '街道三天未响应' }],
  ]);
  // A row as the old code wrote it: payload without a note, and one whose payload is not JSON at all.
  await ds.query(
    `INSERT INTO outbox (wish_id, kind, audience, payload, status, attempts, next_attempt_at, created_at) VALUES (?, 'escalated', ?, ?, 'pending', 0, ?, ?), (?, 'claimed', ?, 'not json', 'pending', 0, ?, ?)`,
    [
      wishId,
      JSON.stringify({ type: 'tier_claimers', wishId, tier: 2 }),
      JSON.stringify({ wishNo, title: '帮老人换灯泡', tier: 2 }),
      t.database.time(START),
      t.database.time(START),
      wishId,
      JSON.stringify({ type: 'user', userId: w.users.member }),
      t.database.time(START),
      t.database.time(START),
    ],
  );

  // up() again (with the later migrations): the columns from the JSON.
  await ds.runMigrations({ transaction: 'each' });
  expect(await ds.query(`SELECT name FROM schema_migration WHERE name = 'OutboxColumns1764633600000'`)).toHaveLength(1);
  expect(await columns()).toEqual([...expected, ['escalated', 'tier_claimers', null, 2, null], ['claimed', 'user', w.users.member, null, null]]);
});
