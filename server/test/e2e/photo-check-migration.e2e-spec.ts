// The PhotoCheck migration: photos stored before it were shown unchecked and stay so
// (`unchecked`, visible); down() removes the columns and keeps the photos.
import type { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';
import { columnsOf, lastMigration as lastMigrationOf } from '../support';

let t: TestApp;
let w: World;
let ds: DataSource;
const CHECK_COLUMNS = ['check_state', 'check_trace_id', 'check_label', 'check_attempts', 'check_next_at', 'check_submitted_at', 'checked_at'];

beforeAll(async () => {
  t = await createTestApp();
  w = await buildWorld(t.database, t.clock.now());
  ds = t.database.dataSource;
});
afterAll(() => t.close());

it('adds the check columns with existing photos unchecked, and down() takes them away again', async () => {
  // Back to PhotoCheck (the later migrations' down() run on the way), then before it.
  const newest = await lastMigrationOf(ds);
  while ((await lastMigrationOf(ds)) !== 'PhotoCheck1765756800000') await ds.undoLastMigration({ transaction: 'each' });
  await ds.undoLastMigration({ transaction: 'each' });
  expect(await lastMigrationOf(ds)).not.toBe('PhotoCheck1765756800000');
  const cols = await columnsOf(ds, 'photo');
  for (const c of CHECK_COLUMNS) expect([c, cols.includes(c)]).toEqual([c, false]);

  const at = t.database.time(t.clock.now());
  await ds.query(`INSERT INTO photo (id, owner_id, mime, size, storage_key, wish_id, purpose, created_at) VALUES (?, ?, 'image/jpeg', 10, 'k/old.jpg', NULL, NULL, ?)`, ['00000000-0000-4000-8000-000000000001', w.users.resident, at]);

  await ds.runMigrations({ transaction: 'each' });
  expect(await lastMigrationOf(ds)).toBe(newest);
  const [row] = await ds.query(`SELECT check_state, check_trace_id, check_attempts, checked_at FROM photo WHERE id = ?`, ['00000000-0000-4000-8000-000000000001']);
  expect({ ...row, check_attempts: Number(row.check_attempts) }).toEqual({ check_state: 'unchecked', check_trace_id: null, check_attempts: 0, checked_at: null });
});
