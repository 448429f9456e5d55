// Retention (PIPL Art. 19; DOMAIN.md "Contact details of closed wishes are erased after a
// retention period"): RETENTION_DAYS (180) after a wish closed, its beneficiary's contact details
// and a sensitive category's description are erased; after a registration ended (refused, revoked,
// withdrawn), the registrant's name and phone. In batches, resumable, safe with several sweeps at
// once, reported in a log line and in what sweepOnce returns; `cli.js privacy retention` runs it once.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { ERASED_ADDRESS, ERASED_NAME, ERASED_TEXT } from '@xinyuan/shared';
import { FakeClock } from '../../src/common/clock';
import type { PiiField } from '../../src/common/crypto/pii';
import { makePerson } from '../../src/modules/demo/fixtures';
import { RetentionSweeper, type RetentionStats } from '../../src/modules/privacy/jobs/retention.sweeper';
import { createTestApp, TEST_DB, TEST_PRIVACY_ENV, type TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';
import { bj } from '../support';

/** Beijing wall time. */
const DAY_MS = 86_400_000;
const T0 = bj('2026-05-06T10:00');
const at = (days: number) => new Date(T0.getTime() + days * DAY_MS);

const CONTACT = { beneficiaryName: '留存测试王秀兰', beneficiaryPhone: '13812345678', address: '5号楼2单元502室' };

describe('the retention job', () => {
  let t: TestApp;
  let w: World;
  let sweeper: RetentionSweeper;
  const ids: Record<string, number> = {};
  const regs: Record<string, number> = {};
  const tok = (k: keyof World['users']) => t.tokenFor(w.users[k]);
  const q = (sql: string, params: unknown[] = []) => t.database.dataSource.query(sql, params) as Promise<any[]>;
  const step = () => t.clock.advance(60_000);
  const open = (row: any, table: string, col: string) => t.database.pii.open(row[col], `${table}.${col}` as PiiField);

  async function move(id: number, action: string, by: keyof World['users'], body: Record<string, unknown> = {}) {
    step();
    const r = await t.http.post(`/api/wishes/${id}/${action}`, body, tok(by));
    expect([action, r.status, r.body?.code]).toEqual([action, 200, undefined]);
  }
  async function submit(over: Record<string, unknown> = {}) {
    step();
    const r = await t.http.post(
      '/api/wishes',
      { communityId: w.communityA, compoundId: w.compoundA, category: 'repair', title: '修楼道灯', description: '三楼楼道灯不亮', ...CONTACT, forSelf: true, ...over },
      tok('resident'),
    );
    expect(r.status).toBe(201);
    return r.body.id as number;
  }
  /** A wish closed now: cancelled by the resident. */
  async function closedWish(): Promise<number> {
    const id = await submit();
    await move(id, 'cancel', 'resident');
    return id;
  }
  const erasedAt = async (id: number) => (await q(`SELECT contact_erased_at FROM wish WHERE id = ?`, [id]))[0].contact_erased_at;
  const rates = async () => {
    const { asOf: _, ...r } = (await t.http.get(`/api/ledger/rates?scope=community&orgId=${w.communityA}&from=2026-05-01&to=2026-12-31`, tok('staff'))).body;
    return r;
  };

  beforeAll(async () => {
    t = await createTestApp({}, { clock: new FakeClock(T0.getTime()) });
    w = await buildWorld(t.database, t.clock.now());
    sweeper = t.app.get(RetentionSweeper);

    // Closed on T0: resolved (rated, with a comment), cancelled, rejected, and a sensitive one cancelled.
    ids.resolved = await submit();
    await move(ids.resolved, 'approve', 'staff');
    await move(ids.resolved, 'claim', 'member');
    await move(ids.resolved, 'complete', 'member', { note: '已换灯' });
    await move(ids.resolved, 'confirm', 'resident', { rating: 'satisfied', comment: '很及时' });
    ids.cancelled = await closedWish();
    ids.rejected = await submit();
    await move(ids.rejected, 'reject', 'staff', { code: 'not_a_wish', reason: '不属于心愿范围' });
    ids.sensitive = await submit({ category: 'health', title: '陪诊', description: '需要每周透析陪诊', sensitiveConsent: true });
    await move(ids.sensitive, 'approve', 'staff');
    await move(ids.sensitive, 'cancel', 'resident');
    // Still open: never erased, however old.
    ids.open = await submit();
    await move(ids.open, 'approve', 'staff');
    // Registrations ended on T0 (refused, revoked), and ones that stand (pending, verified).
    const applicant = await t.database.tx(async (m) => (await makePerson(m, t.clock.now(), { openid: 't-applicant', nickname: '申请人', grants: [] })).id);
    const applicant2 = await t.database.tx(async (m) => (await makePerson(m, t.clock.now(), { openid: 't-applicant-2', nickname: '申请人乙', grants: [] })).id);
    const reg = async (userId: number, phone: string) => (await t.http.post('/api/members/registrations', { communityId: w.communityA, realName: '留存测试申请人', phone, workUnit: '留存测试单位' }, t.tokenFor(userId))).body.id as number;
    regs.refused = await reg(applicant, '13600001111');
    expect((await t.http.post(`/api/members/registrations/${regs.refused}/refuse`, { reason: '不在本社区' }, tok('staff'))).status).toBe(200);
    regs.revoked = Number((await q(`SELECT id FROM member_registration WHERE user_id = ?`, [w.users.member2]))[0].id);
    expect((await t.http.post(`/api/members/registrations/${regs.revoked}/deactivate`, { reason: '工作调离' }, tok('staff'))).status).toBe(200);
    regs.pending = await reg(applicant2, '13600002222');
    regs.verified = Number((await q(`SELECT id FROM member_registration WHERE user_id = ?`, [w.users.member]))[0].id);

    // Closed 100 days later.
    t.clock.set(at(100));
    ids.later = await closedWish();
  });
  afterAll(() => t.close());

  it('erases nothing 179 days after a wish closed, and everything due 181 days after, once, with a log line', async () => {
    const ratesBefore = await rates();
    expect(await sweeper.sweepOnce(at(179))).toEqual({ wishes: 0, registrations: 0, batches: 0 });
    for (const id of Object.values(ids)) expect(await erasedAt(id)).toBeNull();

    const info = jest.spyOn((sweeper as unknown as { log: { info: (...a: unknown[]) => void } }).log, 'info');
    const stats = await sweeper.sweepOnce(at(181));
    expect(stats).toEqual({ wishes: 4, registrations: 2, batches: 4 }); // a batch per closed state with rows, one of registrations
    expect(info).toHaveBeenCalledWith(expect.objectContaining({ wishes: 4, registrations: 2, batches: 4, retentionDays: 180 }), 'erased personal information past retention');
    for (const id of [ids.resolved, ids.cancelled, ids.rejected, ids.sensitive]) expect(await erasedAt(id)).not.toBeNull();
    // Still open, or closed only 81 days ago: kept.
    for (const id of [ids.open, ids.later]) expect(await erasedAt(id)).toBeNull();
    // Again: nothing left to do, nothing logged.
    info.mockClear();
    expect(await sweeper.sweepOnce(at(181))).toEqual({ wishes: 0, registrations: 0, batches: 0 });
    expect(info).not.toHaveBeenCalled();
    // The rates read facts the job does not touch.
    expect(await rates()).toEqual(ratesBefore);
    // The later one goes 180 days after it closed.
    expect((await sweeper.sweepOnce(at(100 + 181))).wishes).toBe(1);
    expect(await erasedAt(ids.later)).not.toBeNull();
  });

  it('leaves placeholders where the contact was, erases a sensitive description, keeps title, facts and rating', async () => {
    for (const id of [ids.resolved, ids.cancelled, ids.rejected, ids.sensitive]) {
      const [row] = await q(
        `SELECT beneficiary_name, beneficiary_phone, address, beneficiary_name_masked, beneficiary_phone_masked, address_building, beneficiary_phone_hash, description FROM wish WHERE id = ?`,
        [id],
      );
      expect([id, open(row, 'wish', 'beneficiary_name'), open(row, 'wish', 'beneficiary_phone'), open(row, 'wish', 'address')]).toEqual([id, '', '', '']);
      expect([row.beneficiary_name_masked, row.beneficiary_phone_masked, row.address_building, row.beneficiary_phone_hash]).toEqual([ERASED_NAME, '', '', null]);
      expect(open(row, 'wish', 'description')).toBe(id === ids.sensitive ? ERASED_TEXT : '三楼楼道灯不亮');
    }
    // The submitter reads placeholders and a flag; the rest of the wish is as it was.
    const mine = (await t.http.get(`/api/wishes/${ids.resolved}`, tok('resident'))).body;
    expect(mine).toMatchObject({
      state: 'resolved',
      title: '修楼道灯',
      beneficiary: { name: ERASED_NAME, phone: '', address: `康乐小区 ${ERASED_ADDRESS}` },
      contactErased: true,
      description: '三楼楼道灯不亮',
      rating: 'satisfied',
      ratingComment: '很及时',
    });
    expect((await t.http.get(`/api/wishes/${ids.sensitive}`, tok('resident'))).body).toMatchObject({ title: '陪诊', description: ERASED_TEXT, contactErased: true });
    // The open one still shows its contact in full.
    expect((await t.http.get(`/api/wishes/${ids.open}`, tok('resident'))).body).toMatchObject({ beneficiary: { name: CONTACT.beneficiaryName, phone: CONTACT.beneficiaryPhone }, contactErased: false });
  });

  it('erases the name, phone and work unit of ended registrations, and leaves standing ones alone', async () => {
    for (const [k, id] of Object.entries(regs)) {
      const [row] = await q(`SELECT status, real_name, phone, phone_hash, work_unit, erased_at FROM member_registration WHERE id = ?`, [id]);
      const gone = k === 'refused' || k === 'revoked';
      expect([k, row.erased_at !== null, open(row, 'member_registration', 'real_name') === '', row.phone_hash === null, row.work_unit === '']).toEqual([k, gone, gone, gone, gone]);
    }
    // member2 was deactivated (which revoked their tokens): signed in again.
    const revoked = (await t.http.get('/api/members/registrations/mine', t.tokenFor(w.users.member2, 1))).body;
    expect(revoked).toEqual([expect.objectContaining({ id: regs.revoked, status: 'revoked', realName: ERASED_NAME, phone: '', revokeReason: '工作调离' })]);
  });

  it('works through many rows in batches, and several sweeps at once erase each exactly once', async () => {
    t.clock.set(at(200));
    const many: number[] = [];
    for (let i = 0; i < 5; i++) many.push(await closedWish());
    const when = at(200 + 181);
    const one: RetentionStats = await sweeper.sweepOnce(when, 2);
    expect(one).toEqual({ wishes: 5, registrations: 0, batches: 3 });

    t.clock.set(at(400));
    const more: number[] = [];
    for (let i = 0; i < 9; i++) more.push(await closedWish());
    const all = await Promise.all([0, 1, 2].map(() => sweeper.sweepOnce(at(400 + 181), 2)));
    expect(all.reduce((n, s) => n + s.wishes, 0)).toBe(9);
    for (const id of [...many, ...more]) expect(await erasedAt(id)).not.toBeNull();
  });
});

describe('cli.js privacy retention', () => {
  let t: TestApp;
  let w: World;

  beforeAll(async () => {
    // Closed 200 days before the real clock the command runs on.
    t = await createTestApp({}, { clock: new FakeClock(Date.now() - 200 * DAY_MS) });
    w = await buildWorld(t.database, t.clock.now());
  });
  afterAll(() => t.close());

  function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const server = resolve(__dirname, '..', '..');
    const env: NodeJS.ProcessEnv = { ...process.env, ...TEST_PRIVACY_ENV, JWT_SECRET: 'test-secret-test-secret-test-secret-0123', LOG_LEVEL: 'silent', DATA_DIR: t.dataDir };
    delete env.DATABASE_URL;
    if (TEST_DB === 'mariadb') env.DATABASE_URL = (t.config.database as { url: string }).url;
    const child = spawn(process.execPath, ['-r', join(server, 'test', 'fakes', 'ts-register.js'), join(server, 'src', 'cli.ts'), ...args], { cwd: server, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += String(b)));
    child.stderr.on('data', (b) => (stderr += String(b)));
    return new Promise((done) => child.on('exit', (code) => done({ code, stdout, stderr })));
  }

  it('runs the job once and says what it erased; refuses a bad batch size', async () => {
    const r = await t.http.post(
      '/api/wishes',
      { communityId: w.communityA, compoundId: w.compoundA, category: 'repair', title: '修灯', description: '楼道灯坏了', ...CONTACT, forSelf: true },
      t.tokenFor(w.users.resident),
    );
    expect((await t.http.post(`/api/wishes/${r.body.id}/cancel`, {}, t.tokenFor(w.users.resident))).status).toBe(200);
    const bad = await run(['privacy', 'retention', '--batch=0']);
    expect(bad.code).toBe(2);
    const ok = await run(['privacy', 'retention', '--batch=50']);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(ok.stdout).toBe('erased past 180 days: 1 wishes (contact details), 0 registrations (name, phone, work unit), in 1 batches\n');
    const [row] = await t.database.dataSource.query(`SELECT contact_erased_at, beneficiary_name_masked FROM wish WHERE id = ?`, [r.body.id]);
    expect(row.contact_erased_at).not.toBeNull();
    expect(row.beneficiary_name_masked).toBe(ERASED_NAME);
    // Two child processes that compile the server as they load it.
  }, 60_000);
});
