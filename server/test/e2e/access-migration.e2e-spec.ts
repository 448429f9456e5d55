// The AccessPolicy migration: claims made before it get the organisation they were made for
// (from the role they were made in), spends waiting for the street are named so, and down()
// gives back the schema and statuses the code before it reads.
import type { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, insertWish, type World } from '../factories/world';
import { lastMigration as lastMigrationOf, columnsOf as columnsOfTable } from '../support';

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
const columnsOf = (table: string) => columnsOfTable(ds, table);

it('backfills the organisation of earlier claims and renames the street stage, and steps back on down()', async () => {
  // Later migrations first step back (their own tests).
  while ((await lastMigration()) !== 'AccessPolicy1764720000000') await ds.undoLastMigration({ transaction: 'each' });
  const base = { districtId: w.districtId, streetId: w.streetId, communityId: w.communityA, compoundId: w.compoundA, submitterId: w.users.resident, state: 'claimed' };
  const claims: [string, number][] = [
    ['member', w.users.member],
    ['community_admin', w.users.staff],
    ['branch_secretary', w.users.secretary],
    ['unit_admin', w.users.unitAdmin],
    ['street_handler', w.users.street],
  ];
  const ids: number[] = [];
  for (const [role, user] of claims) {
    const id = await insertWish(t.database, START, { ...base, title: `认领于${role}` });
    await ds.query(`UPDATE wish SET claimant_id = ?, claimant_role = ? WHERE id = ?`, [user, role, id]);
    ids.push(id);
  }
  const unclaimed = await insertWish(t.database, START, { ...base, state: 'open', title: '无人认领' });

  // down(): the columns go, and every spend still waiting waits for the street as before.
  await ds.undoLastMigration({ transaction: 'each' });
  expect(await lastMigration()).toBe('OutboxColumns1764633600000');
  expect(await columnsOf('wish')).not.toContain('claimant_org_id');
  expect(await columnsOf('organisation')).not.toContain('deactivated_at');
  expect(await columnsOf('wish_event')).not.toContain('actor_org_id');
  expect(await columnsOf('fund_spend')).not.toContain('reviewed_by');
  const t0 = t.database.time(START);
  await ds.query(
    `INSERT INTO fund_spend (wish_id, community_id, year, amount_fen, status, created_by, created_at) VALUES (?, ?, 2026, 100, 'pending_approval', ?, ?), (?, ?, 2026, 200, 'recorded', ?, ?)`,
    [ids[0], w.communityA, w.users.member, t0, ids[1], w.communityA, w.users.staff, t0],
  );

  // up(): each claim's organisation from its role; the street's stage by its name; recorded spends stay recorded.
  await ds.runMigrations({ transaction: 'each' });
  expect(await ds.query(`SELECT name FROM schema_migration WHERE name = 'AccessPolicy1764720000000'`)).toHaveLength(1);
  const orgs = await ds.query(`SELECT id, claimant_org_id FROM wish WHERE id IN (${[...ids, unclaimed].join(', ')}) ORDER BY id`);
  expect(orgs.map((r: any) => (r.claimant_org_id === null ? null : Number(r.claimant_org_id)))).toEqual([w.communityA, w.communityA, w.compoundA, w.unitId, w.streetId, null]);
  const spends = await ds.query(`SELECT amount_fen, status, reviewed_by FROM fund_spend ORDER BY amount_fen`);
  expect(spends.map((s: any) => [Number(s.amount_fen), s.status, s.reviewed_by])).toEqual([
    [100, 'pending_street', null],
    [200, 'recorded', null],
  ]);
});
