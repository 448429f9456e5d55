// Personal information at rest (PIPL Art. 51): what residents hand over is sealed before it
// reaches the database, on SQLite and MariaDB alike; the files are the server's alone; keys
// rotate (old rows still open, re-encryption finishes even when interrupted); a value whose key
// is gone is a clear 503, and the masked lists still work without opening anything.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reencryptAll, sealStatus } from '../../src/common/crypto/pii-rotation';
import { createTestApp, freshMariaDb, TEST_DB, TEST_PRIVACY_ENV, type TestApp } from '../create-test-app';
import { buildWorld, insertWish, type World } from '../factories/world';
import { PRIVACY_NOTICE_VERSION } from '@xinyuan/shared';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');
const RING_1 = `k1:${key(0x31)}`;
const RING_2 = `k2:${key(0x32)},k1:${key(0x31)}`;
const RING_2_ONLY = `k2:${key(0x32)}`;

/** What the tests hand over, each a string nothing else in the database contains. */
const SECRETS = {
  name: '隐私测试欧阳娜娜',
  phone: '13987654321',
  address: '7号楼3单元1203室东户',
  description: '父亲患阿尔茨海默病，需要每周陪诊',
  gridName: '隐私测试马奶奶',
  gridAddress: '1号楼1单元102室西户',
  regName: '隐私测试孙建民',
  regPhone: '13755554444',
};

/** Every row of every table as text (the database as someone holding only the files or a dump would read it). */
async function dump(t: TestApp): Promise<string> {
  const ds = t.database.dataSource;
  const tables: string[] = t.database.isSqlite
    ? (await ds.query(`SELECT name FROM sqlite_master WHERE type = 'table'`)).map((r: any) => r.name)
    : (await ds.query(`SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()`)).map((r: any) => r.name);
  const parts: string[] = [];
  for (const table of tables) parts.push(JSON.stringify(await ds.query(`SELECT * FROM \`${table}\``)));
  return parts.join('\n');
}

describe('personal information at rest', () => {
  let t: TestApp;
  let w: World;
  const tok = (k: keyof World['users']) => t.tokenFor(w.users[k]);
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildWorld(t.database, t.clock.now());
    const body = { communityId: w.communityA, compoundId: w.compoundA, category: 'health', title: '每周陪诊', description: SECRETS.description, beneficiaryName: SECRETS.name, beneficiaryPhone: SECRETS.phone, address: SECRETS.address, forSelf: true, sensitiveConsent: true };
    const r = await t.http.post('/api/wishes', body, tok('resident'));
    expect(r.status).toBe(201);
    ids.sensitive = r.body.id;
    const g = await t.http.post('/api/wishes', { ...body, category: 'repair', title: '修门锁', description: '门锁坏了', beneficiaryName: SECRETS.gridName, beneficiaryPhone: undefined, address: SECRETS.gridAddress, forSelf: undefined, consentMethod: 'verbal' }, tok('grid'));
    expect(g.status).toBe(201);
    ids.grid = g.body.id;
    const fresh = await t.database.dataSource.query(`SELECT id FROM app_user WHERE openid = 't-no-consent'`);
    await t.http.post('/api/me/consent', { version: PRIVACY_NOTICE_VERSION }, t.tokenFor(fresh[0].id));
    const reg = await t.http.post('/api/members/registrations', { communityId: w.communityA, realName: SECRETS.regName, phone: SECRETS.regPhone, workUnit: '市财政局' }, t.tokenFor(fresh[0].id));
    expect(reg.status).toBe(201);
    ids.registration = reg.body.id;
  });
  afterAll(() => t.close());

  it('stores none of it in the clear, while the API gives it back to those who may read it', async () => {
    const all = await dump(t);
    for (const [what, value] of Object.entries(SECRETS)) expect([what, all.includes(value)]).toEqual([what, false]);
    // The masked forms and the phone's keyed hash are kept beside the sealed values.
    const [row] = await t.database.dataSource.query(`SELECT beneficiary_name, beneficiary_name_masked, beneficiary_phone_masked, address_building, beneficiary_phone_hash, description FROM wish WHERE id = ?`, [ids.sensitive]);
    expect(row).toMatchObject({ beneficiary_name_masked: '隐*******', beneficiary_phone_masked: '139****4321', address_building: '7号楼', beneficiary_phone_hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(row.beneficiary_name).toMatch(/^pii1\.test1\./);
    expect(row.description).toMatch(/^pii1\.test1\./);
    // The owner reads it all; the committee too; a member on the wall would see it masked (sensitive: not on the wall at all).
    const own = (await t.http.get(`/api/wishes/${ids.sensitive}`, tok('resident'))).body;
    expect([own.beneficiary, own.description]).toEqual([{ name: SECRETS.name, phone: SECRETS.phone, address: `康乐小区 ${SECRETS.address}` }, SECRETS.description]);
    const street = (await t.http.get(`/api/wishes/${ids.sensitive}`, tok('street'))).body;
    expect([street.beneficiary, street.description]).toEqual([{ name: '隐*******', phone: '139****4321', address: '康乐小区 7号楼' }, null]);
    const regs = (await t.http.get(`/api/members/registrations?communityId=${w.communityA}`, tok('staff'))).body;
    expect(regs.find((r: any) => r.id === ids.registration)).toMatchObject({ realName: SECRETS.regName, phone: SECRETS.regPhone });
  });

  it('keeps the SQLite database and its data directory the server’s alone', () => {
    if (TEST_DB !== 'sqlite') return;
    const file = join(t.dataDir, 'xinyuan.sqlite');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    for (const f of readdirSync(t.dataDir).filter((n) => n.startsWith('xinyuan.sqlite'))) expect([f, statSync(join(t.dataDir, f)).mode & 0o077]).toEqual([f, 0]);
    // And the bytes on disk (database and write-ahead log) carry none of it either.
    const bytes = readdirSync(t.dataDir)
      .filter((n) => n.startsWith('xinyuan.sqlite'))
      .map((n) => readFileSync(join(t.dataDir, n)).toString('utf8'))
      .join('\n');
    for (const value of Object.values(SECRETS)) expect(bytes.includes(value)).toBe(false);
  });
});

describe('key rotation', () => {
  /** One database, opened by several apps in turn with different key rings. */
  let dbEnv: Record<string, string> = {};
  let drop: (() => Promise<void>) | null = null;
  let dataDir = '';

  beforeAll(async () => {
    // The apps' own temporary folders go with them; this one outlives each.
    dataDir = mkdtempSync(join(tmpdir(), 'xinyuan-rotation-'));
    if (TEST_DB === 'mariadb') {
      const db = await freshMariaDb();
      dbEnv = { DATABASE_URL: db.url };
      drop = db.drop;
    }
  });
  afterAll(async () => {
    if (drop) await drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const open = (ring: string) => createTestApp({ ...dbEnv, DATA_DIR: dataDir, PII_KEYS: ring, PII_HASH_KEY: TEST_PRIVACY_ENV.PII_HASH_KEY });
  const submit = (t: TestApp, w: World, name: string) =>
    t.http.post(
      '/api/wishes',
      { communityId: w.communityA, compoundId: w.compoundA, category: 'repair', title: '修灯', description: '楼道灯坏了', beneficiaryName: name, beneficiaryPhone: '13811112222', address: '3号楼501', forSelf: true },
      t.tokenFor(w.users.resident),
    );

  it('reads old rows under a new key, re-encrypts in resumable batches, and says plainly when a key is gone', async () => {
    // Key 1: the world and two wishes, plus one row written before sealing began (plain).
    const t1 = await open(RING_1);
    const w = await buildWorld(t1.database, t1.clock.now());
    const first = [(await submit(t1, w, '旧钥甲')).body.id, (await submit(t1, w, '旧钥乙')).body.id];
    const legacy = await insertWish(t1.database, t1.clock.now(), { districtId: w.districtId, streetId: w.streetId, communityId: w.communityA, compoundId: w.compoundA, submitterId: w.users.resident, title: '旧数据' });
    await t1.close();

    // Key 2 active, key 1 still in the ring: old rows open, new rows are sealed with key 2.
    const t2 = await open(RING_2);
    for (const id of [...first, legacy]) expect((await t2.http.get(`/api/wishes/${id}`, t2.tokenFor(w.users.resident))).status).toBe(200);
    expect((await t2.http.get(`/api/wishes/${first[0]}`, t2.tokenFor(w.users.resident))).body.beneficiary.name).toBe('旧钥甲');
    const third = (await submit(t2, w, '新钥丙')).body.id;
    const column = async () => (await sealStatus(t2.database)).find((s) => s.column === 'wish.beneficiary_name')!.byKey;
    expect(await column()).toEqual({ k1: 2, k2: 1, plain: 1 });

    // Interrupted after two values, then run again: everything under key 2, masked forms filled in for the plain row.
    const halfway = await reencryptAll(t2.database, { batch: 1, stopAfter: 2 });
    expect(halfway.reduce((n, p) => n + p.resealed, 0)).toBe(2);
    const counts = await column();
    expect(counts.k2).toBe(3);
    await reencryptAll(t2.database, { batch: 2 });
    expect(await column()).toEqual({ k2: 4 });
    const [plainRow] = await t2.database.dataSource.query(`SELECT beneficiary_name_masked, beneficiary_phone_hash FROM wish WHERE id = ?`, [legacy]);
    expect(plainRow).toEqual({ beneficiary_name_masked: '王**', beneficiary_phone_hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // Nothing left to do the second time.
    expect((await reencryptAll(t2.database)).reduce((n, p) => n + p.resealed, 0)).toBe(0);
    await t2.close();

    // Key 1 gone from the ring: everything still opens (it was all re-encrypted).
    const t3 = await open(RING_2_ONLY);
    for (const id of [...first, third, legacy]) expect((await t3.http.get(`/api/wishes/${id}`, t3.tokenFor(w.users.resident))).status).toBe(200);
    await t3.close();

    // A ring without the key the rows need: a clear 503 for a full read; the masked wall still works without opening anything.
    const t4 = await open(`k9:${key(0x39)}`);
    const r = await t4.http.get(`/api/wishes/${third}`, t4.tokenFor(w.users.resident));
    expect([r.status, r.body.code]).toEqual([503, 'PII_UNAVAILABLE']);
    await t4.http.post(`/api/wishes/${third}/approve`, {}, t4.tokenFor(w.users.staff));
    const wall = await t4.http.get(`/api/wishes/wall?communityId=${w.communityA}`, t4.tokenFor(w.users.member));
    expect(wall.status).toBe(200);
    expect(wall.body.items.find((i: any) => i.id === third).beneficiary).toEqual({ name: '新**', phone: '138****2222', address: '康乐小区 3号楼' });
    await t4.close();
  });
});
