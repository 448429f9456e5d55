// Issue 16 on a Galera cluster: the same wish claimed at the same moment through two app instances
// on two nodes (real HTTP). Row locks are local to a node, so both guarded writes may run; the later
// commit fails certification (1213), Database.tx retries it, and the retry finds the wish claimed.
// The outcome must be the one of a single database: exactly one 200, the other 409 WISH_ALREADY_CLAIMED.
import { makePerson } from '../../src/modules/demo/fixtures';
import { buildWorld, insertWish, type World } from '../factories/world';
import type { TestApp } from '../create-test-app';
import { appsOnNodes, clusterStatus, freshClusterDb, syncedQuery } from './cluster';

const ROUNDS = 40;

describe('a claim race across two Galera nodes', () => {
  let dbName: string;
  let drop: () => Promise<void>;
  let apps: TestApp[];
  let w: World;
  let staff2: number;

  beforeAll(async () => {
    ({ name: dbName, drop } = await freshClusterDb());
    apps = await appsOnNodes(dbName, [1, 2]);
    const t = apps[0];
    w = await buildWorld(t.database, t.clock.now());
    // A second committee member of community A: two people who may both claim a tier-2 wish and still see it once claimed.
    staff2 = (await t.database.tx((m) => makePerson(m, t.clock.now(), { openid: 't-staff-2', nickname: '社区副书记', grants: [{ role: 'community_admin', orgId: w.communityA }] }))).id;
  });
  afterAll(async () => {
    for (const a of apps ?? []) await a.close();
    await drop?.();
  });

  it(`${ROUNDS} times: one 200 and one 409 WISH_ALREADY_CLAIMED, never a 5xx; one claim event, on every node`, async () => {
    const certBefore = await clusterStatus('wsrep_local_cert_failures');
    const abortsBefore = await clusterStatus('wsrep_local_bf_aborts');
    const outcomes: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const t = apps[0];
      const id = await insertWish(t.database, t.clock.now(), { districtId: w.districtId, streetId: w.streetId, communityId: w.communityA, compoundId: w.compoundA, submitterId: w.users.resident, title: `楼道灯坏了 ${round}` });
      // At tier 2 the committee claims (CLAIMERS_BY_TIER).
      await t.database.dataSource.query('UPDATE wish SET tier = 2 WHERE id = ?', [id]);
      await syncedQuery(2, dbName, 'SELECT id FROM wish WHERE id = ? AND tier = 2', [id]);
      // Who claims through which node alternates.
      const [u1, u2] = round % 2 === 0 ? [w.users.staff, staff2] : [staff2, w.users.staff];
      const [r1, r2] = await Promise.all([apps[0].http.post(`/api/wishes/${id}/claim`, {}, apps[0].tokenFor(u1)), apps[1].http.post(`/api/wishes/${id}/claim`, {}, apps[1].tokenFor(u2))]);
      const got = [r1, r2].map((r) => `${r.status}${r.status === 200 ? '' : ' ' + r.body?.code}`).sort();
      outcomes.push(got.join(' / '));
      expect(got).toEqual(['200', '409 WISH_ALREADY_CLAIMED']);
      const winner = r1.status === 200 ? u1 : u2;
      for (const node of [1, 2, 3] as const) {
        const ev = await syncedQuery(node, dbName, `SELECT actor_id FROM wish_event WHERE wish_id = ? AND type = 'claim'`, [id]);
        expect(ev.map((e) => Number(e.actor_id))).toEqual([winner]);
        const [row] = await syncedQuery(node, dbName, 'SELECT state, claimant_id FROM wish WHERE id = ?', [id]);
        expect([row.state, Number(row.claimant_id)]).toEqual(['claimed', winner]);
      }
    }
    const cert = (await clusterStatus('wsrep_local_cert_failures')) - certBefore;
    const aborts = (await clusterStatus('wsrep_local_bf_aborts')) - abortsBefore;
    // What the race looked like (the figures go into README "On a Galera cluster").
    console.log(`claim race, ${ROUNDS} rounds: ${new Set(outcomes).size === 1 ? outcomes[0] : outcomes.join(', ')} every time; certification failures ${cert}, brute-force aborts ${aborts} (each a 1213 retried by Database.tx)`);
  });
});
