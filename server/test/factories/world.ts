// A small city to test against: two communities in one street, a paired unit,
// and one person for each role. Built with the same fixtures as the demo seed.
import type { Database } from '../../src/database/database';
import { makeOrg, makePerson, pairUnit } from '../../src/modules/demo/fixtures';

export interface World {
  cityId: number;
  districtId: number;
  streetId: number;
  communityA: number;
  communityB: number;
  compoundA: number;
  compoundB: number;
  unitId: number;
  users: {
    resident: number;
    resident2: number;
    noConsent: number;
    member: number;
    member2: number;
    memberB: number;
    staff: number;
    grid: number;
    staffB: number;
    secretary: number;
    unitAdmin: number;
    street: number;
    city: number;
  };
}

export async function buildWorld(db: Database, now = new Date()): Promise<World> {
  return db.tx(async (m) => {
    const city = await makeOrg(m, now, 'city', '西宁市', null);
    const district = await makeOrg(m, now, 'district', '城中区', city.id);
    const street = await makeOrg(m, now, 'street', '人民街街道', district.id);
    const a = await makeOrg(m, now, 'community', '北小街社区', street.id, 'B');
    const b = await makeOrg(m, now, 'community', '礼让街社区', street.id, 'A');
    const ca = await makeOrg(m, now, 'compound', '康乐小区', a.id);
    const cb = await makeOrg(m, now, 'compound', '阳光小区', b.id);
    const unit = await makeOrg(m, now, 'unit', '市供电公司', null);
    await pairUnit(m, now, unit.id, a.id, '2026-01-01', '2027-12-31');
    const p = (openid: string, nickname: string, grants: { role: any; orgId: number }[], extra: Record<string, unknown> = {}) =>
      makePerson(m, now, { openid, nickname, grants, pii: db.pii, ...extra }).then((u) => u.id);
    const users = {
      resident: await p('t-resident', '王大妈', [{ role: 'resident', orgId: a.id }]),
      resident2: await p('t-resident-2', '李大爷', [{ role: 'resident', orgId: a.id }]),
      noConsent: await p('t-no-consent', '新用户', [{ role: 'resident', orgId: a.id }], { consented: false }),
      member: await p('t-member', '党员张', [{ role: 'member', orgId: a.id }], { registration: { communityId: a.id, realName: '张伟', workUnit: '市教育局' } }),
      member2: await p('t-member-2', '党员刘', [{ role: 'member', orgId: a.id }], { registration: { communityId: a.id, realName: '刘洋', workUnit: '市卫健委' } }),
      memberB: await p('t-member-b', '党员赵', [{ role: 'member', orgId: b.id }], { registration: { communityId: b.id, realName: '赵敏', workUnit: '区税务局' } }),
      staff: await p('t-staff', '社区书记', [{ role: 'community_admin', orgId: a.id }]),
      grid: await p('t-grid', '网格员小陈', [{ role: 'grid_worker', orgId: a.id }]),
      staffB: await p('t-staff-b', '礼让街书记', [{ role: 'community_admin', orgId: b.id }]),
      secretary: await p('t-secretary', '支部书记', [{ role: 'branch_secretary', orgId: ca.id }]),
      unitAdmin: await p('t-unit', '供电公司联络员', [{ role: 'unit_admin', orgId: unit.id }]),
      street: await p('t-street', '马上办', [{ role: 'street_handler', orgId: street.id }]),
      city: await p('t-city', '组织部', [{ role: 'city_admin', orgId: city.id }]),
    };
    return { cityId: city.id, districtId: district.id, streetId: street.id, communityA: a.id, communityB: b.id, compoundA: ca.id, compoundB: cb.id, unitId: unit.id, users };
  });
}

/**
 * An open (or given-state) wish written straight into the table, for tests of the
 * notices and the outbox that need a wish row but not its life. Returns its id.
 */
export async function insertWish(
  db: Database,
  at: Date,
  w: { districtId: number; streetId: number; communityId: number; compoundId?: number | null; submitterId: number; title: string; state?: string; sensitive?: boolean },
): Promise<number> {
  const t = db.time(at);
  await db.dataSource.query(
    `INSERT INTO wish (district_id, street_id, community_id, compound_id, category, \`sensitive\`, title, description, beneficiary_name, beneficiary_phone, address,
                       submitter_id, on_behalf, state, tier, urgent, version, created_at, updated_at, published_at)
     VALUES (?, ?, ?, ?, 'repair', ?, ?, '3号楼楼道灯不亮', '王秀兰', '13812341234', '3号楼2单元501', ?, ?, ?, 1, ?, 1, ?, ?, ?)`,
    [w.districtId, w.streetId, w.communityId, w.compoundId ?? null, w.sensitive ?? false, w.title, w.submitterId, false, w.state ?? 'open', false, t, t, t],
  );
  return Number((await db.dataSource.query(`SELECT MAX(id) AS id FROM wish`))[0].id);
}
