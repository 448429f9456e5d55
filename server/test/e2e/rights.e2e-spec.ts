// The resident's rights under PIPL (Arts. 45, 47), over real HTTP on a real database: a person
// downloads everything kept about them (JSON and a workbook, each logged as a my_data read);
// deletes their account (one transaction: unclaimed wishes withdrawn, the others go on without
// contact details, facts kept so the three rates do not move, uploads, inbox, registrations and
// tokens gone); a registrant withdraws their own registration.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ExcelJS from 'exceljs';
import { ACCOUNT_DELETION_REASON, DELETED_USER_NAME, ERASED_ADDRESS, ERASED_NAME, ERASED_TEXT, PRIVACY_NOTICE_VERSION, REGISTRATION_WITHDRAWAL_REASON } from '@xinyuan/shared';
import { FakeClock } from '../../src/common/clock';
import type { PiiField } from '../../src/common/crypto/pii';
import { makePerson } from '../../src/modules/demo/fixtures';
import { NotificationSender } from '../../src/modules/notifications/notification.sender';
import { UsersRepository } from '../../src/modules/users/users.repository';
import { DispatchSweeper } from '../../src/modules/wishes/jobs/dispatch.sweeper';
import { RatesRollup } from '../../src/modules/ledger/rates-rollup';
import { createTestApp, type TestApp } from '../create-test-app';
import { TINY_JPEG } from '../factories/images';
import { buildWorld, type World } from '../factories/world';
import { parseCsv, bj } from '../support';

/** Beijing wall time. */
const DAY = '2026-11-23';
const TEMPLATE = 'tmpl-claimed-0001';

/** What the leaving resident handed over: each a string nothing else in the database contains. */
const SECRET = {
  nickname: '注销测试昵称',
  name: '注销测试欧阳修',
  phone: '13911112222',
  address: '9号楼9单元909室北户',
  description: '注销测试描述楼道灯不亮',
  sensitive: '注销测试描述需要每周透析',
  sensitiveTitle: '注销测试透析陪诊',
  motherName: '注销测试母亲',
  motherPhone: '13922223333',
  motherAddress: '8号楼1单元101室南户',
  comment: '注销测试评价师傅很耐心',
  dispute: '注销测试异议灯还是闪',
  cancelReason: '注销测试不需要了',
  realName: '注销测试党员名',
  workUnit: '注销测试工作单位',
};

/** Every row of every table as text (the database as someone holding its files or a dump reads it). */
async function dump(t: TestApp): Promise<string> {
  const ds = t.database.dataSource;
  const tables: string[] = t.database.isSqlite
    ? (await ds.query(`SELECT name FROM sqlite_master WHERE type = 'table'`)).map((r: any) => r.name)
    : (await ds.query(`SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()`)).map((r: any) => r.name);
  const parts: string[] = [];
  for (const table of tables) parts.push(JSON.stringify(await ds.query(`SELECT * FROM \`${table}\``)));
  return parts.join('\n');
}

/** Every sealed value of the database, opened with the test keys: [table, row id, column, plain]. */
async function opened(t: TestApp): Promise<[string, number, string, string][]> {
  const out: [string, number, string, string][] = [];
  const cols: [string, string[]][] = [
    ['wish', ['beneficiary_name', 'beneficiary_phone', 'address', 'description']],
    ['member_registration', ['real_name', 'phone']],
    ['app_user', ['phone']],
  ];
  for (const [table, names] of cols) {
    for (const r of await t.database.dataSource.query(`SELECT id, ${names.join(', ')} FROM ${table}`)) {
      for (const c of names) if (r[c] !== null) out.push([table, Number(r.id), c, t.database.pii.open(String(r[c]), `${table}.${c}` as PiiField)]);
    }
  }
  return out;
}

describe('the resident’s rights: download and deletion', () => {
  let t: TestApp;
  let w: World;
  let L: number; // the leaving resident: also a verified member of A
  const ids: Record<string, number> = {};
  const photoIds: Record<string, string> = {};
  const tok = (k: keyof World['users']) => t.tokenFor(w.users[k]);
  const lTok = () => t.tokenFor(L);
  const q = (sql: string, params: unknown[] = []) => t.database.dataSource.query(sql, params) as Promise<any[]>;
  const step = () => t.clock.advance(5 * 60_000);
  const count = async (sql: string, params: unknown[] = []) => Number((await q(sql, params))[0].n);

  async function ok(method: string, path: string, token: string, body?: unknown, status = 200) {
    step();
    const r = await t.http.request(method, path, { token, body });
    expect([method, path, r.status, r.body?.code]).toEqual([method, path, status, undefined]);
    return r.body;
  }
  async function submit(token: string, over: Record<string, unknown> = {}) {
    const body = { communityId: w.communityA, compoundId: w.compoundA, category: 'repair', title: '楼道灯坏了', description: SECRET.description, beneficiaryName: SECRET.name, beneficiaryPhone: SECRET.phone, address: SECRET.address, forSelf: true, ...over };
    return (await ok('POST', '/api/wishes', token, body, 201)).id as number;
  }
  const move = (id: number, action: string, token: string, body: Record<string, unknown> = {}) => ok('POST', `/api/wishes/${id}/${action}`, token, body);
  async function upload(token: string): Promise<string> {
    const form = new FormData();
    form.append('file', new Blob([TINY_JPEG], { type: 'image/jpeg' }), 'photo.jpg');
    const r = await t.http.request('POST', '/api/photos', { token, raw: form });
    expect(r.status).toBe(201);
    return r.body.id;
  }
  const photoFile = async (id: string) => join(t.dataDir, 'uploads', (await q(`SELECT storage_key FROM photo WHERE id = ?`, [id]))[0].storage_key);

  beforeAll(async () => {
    t = await createTestApp({ WECHAT_TEMPLATE_CLAIMED: TEMPLATE }, { clock: new FakeClock(bj(`${DAY}T09:00`).getTime()) });
    w = await buildWorld(t.database, t.clock.now());
    L = await t.database.tx(async (m) =>
      (
        await makePerson(m, t.clock.now(), {
          openid: 't-leaver',
          nickname: SECRET.nickname,
          phone: SECRET.phone,
          grants: [
            { role: 'resident', orgId: w.communityA },
            { role: 'member', orgId: w.communityA },
          ],
          registration: { communityId: w.communityA, realName: SECRET.realName, workUnit: SECRET.workUnit },
          pii: t.database.pii,
        })
      ).id,
    );
    const staff = tok('staff');

    // L's own wishes, one in each state that matters.
    photoIds.attached = await upload(lTok());
    ids.pending = await submit(lTok(), { photoIds: [photoIds.attached] });
    ids.sensitive = await submit(lTok(), { category: 'health', title: SECRET.sensitiveTitle, description: SECRET.sensitive, sensitiveConsent: true });
    ids.open = await submit(lTok());
    await move(ids.open, 'approve', staff);
    ids.forMother = await submit(lTok(), { forSelf: undefined, consentMethod: 'verbal', beneficiaryName: SECRET.motherName, beneficiaryPhone: SECRET.motherPhone, address: SECRET.motherAddress });
    await move(ids.forMother, 'approve', staff);
    ids.claimed = await submit(lTok());
    await move(ids.claimed, 'approve', staff);
    await move(ids.claimed, 'claim', tok('member'));
    ids.awaiting = await submit(lTok());
    await move(ids.awaiting, 'approve', staff);
    await move(ids.awaiting, 'claim', tok('member2'));
    await move(ids.awaiting, 'complete', tok('member2'), { note: '已换灯泡' });
    ids.resolved = await submit(lTok());
    await move(ids.resolved, 'approve', staff);
    await move(ids.resolved, 'claim', tok('member'));
    await move(ids.resolved, 'complete', tok('member'), { note: '已修好' });
    await move(ids.resolved, 'dispute', lTok(), { reason: SECRET.dispute });
    await move(ids.resolved, 'complete', tok('member'), { note: '已重新修好' });
    await move(ids.resolved, 'confirm', lTok(), { rating: 'satisfied', comment: SECRET.comment });
    ids.cancelledEarlier = await submit(lTok());
    await move(ids.cancelledEarlier, 'cancel', lTok(), { reason: SECRET.cancelReason });

    // A grid worker filed a wish for L as a resident without the app: the resident's data, not L's account's.
    ids.gridFiled = await submit(tok('grid'), { forSelf: undefined, consentMethod: 'verbal' });

    // L as a member: holds a claim on resident2's wish, and resolved another.
    const forLi = { beneficiaryName: '李大爷', beneficiaryPhone: '13800000009', address: '2号楼101', description: '李大爷家的灯坏了' };
    ids.held = await submit(tok('resident2'), forLi);
    await move(ids.held, 'approve', staff);
    await move(ids.held, 'claim', lTok());
    ids.handled = await submit(tok('resident2'), forLi);
    await move(ids.handled, 'approve', staff);
    await move(ids.handled, 'claim', lTok());
    await move(ids.handled, 'complete', lTok(), { note: '党员已办好' });
    await move(ids.handled, 'confirm', tok('resident2'), { rating: 'basically_satisfied' });

    photoIds.unattached = await upload(lTok());
    // The inbox (claims and completions of L's wishes) and a subscription credit.
    await t.app.get(NotificationSender).processOnce();
    await ok('POST', '/api/me/subscriptions', lTok(), { results: { [TEMPLATE]: 'accept' } });
  });
  afterAll(() => t.close());

  describe('GET /api/me/data and /api/me/data.xlsx', () => {
    it('gives the caller everything kept about them in full, and logs the download as a my_data read', async () => {
      const logged = await count(`SELECT COUNT(*) AS n FROM pi_access WHERE purpose = 'my_data' AND subject_user_id = ?`, [L]);
      const r = await t.http.get('/api/me/data', lTok());
      expect(r.status).toBe(200);
      const d = r.body;
      expect(d.generatedAt).toBe(t.clock.now().toISOString());
      expect(d.profile).toMatchObject({ id: L, nickname: SECRET.nickname, phone: SECRET.phone, createdAt: expect.any(String) });
      expect(d.profile.roles.map((g: any) => g.role).sort()).toEqual(['member', 'resident']);
      expect(d.consents).toEqual([{ noticeVersion: PRIVACY_NOTICE_VERSION, consentedAt: expect.any(String) }]);

      // Own wishes only (not the one the grid worker filed for L, nor the ones L handled), as L's detail view shows them.
      const own = [ids.pending, ids.sensitive, ids.open, ids.forMother, ids.claimed, ids.awaiting, ids.resolved, ids.cancelledEarlier];
      expect(d.wishes.map((x: any) => x.id)).toEqual(own);
      const byId = new Map<number, any>(d.wishes.map((x: any) => [x.id, x]));
      for (const id of own) expect(byId.get(id)).toEqual((await t.http.get(`/api/wishes/${id}`, lTok())).body);
      expect(byId.get(ids.pending)).toMatchObject({ beneficiary: { name: SECRET.name, phone: SECRET.phone, address: `康乐小区 ${SECRET.address}` }, description: SECRET.description, contactErased: false, masked: false });
      expect(byId.get(ids.pending).photos.map((p: any) => p.id)).toEqual([photoIds.attached]);
      expect(byId.get(ids.sensitive).description).toBe(SECRET.sensitive);
      expect(byId.get(ids.forMother).beneficiary.name).toBe(SECRET.motherName);
      expect(byId.get(ids.resolved)).toMatchObject({ rating: 'satisfied', ratingComment: SECRET.comment });
      expect(byId.get(ids.resolved).timeline.map((e: any) => e.type)).toEqual(['submit', 'approve', 'claim', 'complete', 'dispute', 'complete', 'confirm']);

      expect(d.registrations).toEqual([expect.objectContaining({ userId: L, communityId: w.communityA, realName: SECRET.realName, phone: SECRET.phone, workUnit: SECRET.workUnit, status: 'verified' })]);
      expect(d.messages.length).toBe(await count(`SELECT COUNT(*) AS n FROM message WHERE user_id = ?`, [L]));
      expect(d.messages.length).toBeGreaterThanOrEqual(4);
      expect(d.subscriptions).toEqual([{ kind: 'claimed', templateId: TEMPLATE, credits: 1 }]);
      // Who read L's details: the committee and the members handling L's wishes, by role and organisation; and this download itself.
      expect(d.accessLog.length).toBeGreaterThan(0);
      expect(new Set(d.accessLog.map((e: any) => e.role))).toEqual(new Set(['community_admin', 'member', 'resident']));
      expect(d.accessLog[0]).toMatchObject({ purpose: 'my_data', role: 'resident', fields: ['name', 'phone', 'address', 'description', 'real_name'], wishId: null });
      expect(JSON.stringify(d.accessLog)).not.toContain('党员张');

      // The download was written to the access log before anything was read out: one row, about L, by L.
      expect(await count(`SELECT COUNT(*) AS n FROM pi_access WHERE purpose = 'my_data' AND subject_user_id = ?`, [L])).toBe(logged + 1);
      const [row] = await q(`SELECT actor_id, actor_role, subject_user_id, fields FROM pi_access WHERE purpose = 'my_data' ORDER BY id DESC LIMIT 1`);
      expect(row).toEqual({ actor_id: L, actor_role: 'resident', subject_user_id: L, fields: 'name,phone,address,description,real_name' });
      // It is the caller's own, and nobody else's.
      expect((await t.http.get('/api/me/data')).status).toBe(401);
      const other = (await t.http.get('/api/me/data', tok('resident2'))).body;
      expect(other.wishes.map((x: any) => x.id)).toEqual([ids.held, ids.handled]);
      expect(JSON.stringify(other)).not.toContain(SECRET.phone);
    });

    it('gives the same as a workbook, one sheet per part with Chinese headers, as an attachment named 我的数据-YYYYMMDD.xlsx, logged too', async () => {
      const logged = await count(`SELECT COUNT(*) AS n FROM pi_access WHERE purpose = 'my_data' AND subject_user_id = ?`, [L]);
      const res = await fetch(`${t.baseUrl}/api/me/data.xlsx`, { headers: { authorization: `Bearer ${lTok()}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('spreadsheetml');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="my-data-20261123.xlsx"; filename*=UTF-8''${encodeURIComponent('我的数据-20261123.xlsx')}`);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await res.arrayBuffer()) as any);
      expect(wb.worksheets.map((s) => s.name)).toEqual(['个人信息', '隐私同意记录', '我的心愿', '心愿进展', '党员报到', '消息', '举报与投诉', '订阅消息', '查阅记录']);
      const rows = (name: string) => {
        const out: unknown[][] = [];
        wb.getWorksheet(name)!.eachRow((r) => out.push((r.values as unknown[]).slice(1)));
        return out;
      };
      const profile = new Map(rows('个人信息').map((r) => [r[0], r[1]]));
      expect([profile.get('用户编号'), profile.get('昵称'), profile.get('手机号')]).toEqual([L, SECRET.nickname, SECRET.phone]);
      const wishes = rows('我的心愿');
      expect(wishes[0].slice(0, 9)).toEqual(['编号', '标题', '类别', '状态', '社区', '受益人', '电话', '地址', '描述']);
      const json = (await t.http.get('/api/me/data', lTok())).body;
      expect(wishes.slice(1).map((r) => r[0])).toEqual(json.wishes.map((x: any) => x.no));
      const sensitive = wishes.find((r) => r[0] === json.wishes.find((x: any) => x.id === ids.sensitive).no)!;
      expect(sensitive.slice(1, 9)).toEqual([SECRET.sensitiveTitle, '医疗健康', '待审核', '北小街社区', SECRET.name, SECRET.phone, `康乐小区 ${SECRET.address}`, SECRET.sensitive]);
      expect(rows('心愿进展').length - 1).toBe(json.wishes.reduce((n: number, x: any) => n + x.timeline.length, 0));
      expect(rows('党员报到')[1].slice(0, 5)).toEqual(['北小街社区', SECRET.realName, SECRET.phone, SECRET.workUnit, '已通过']);
      expect(rows('消息').length - 1).toBe(json.messages.length);
      expect(rows('订阅消息')[1]).toEqual(['心愿已被认领', TEMPLATE, 1]);
      expect(rows('查阅记录')[0]).toEqual(['时间', '用途', '查阅的信息', '查阅者身份', '查阅者组织', '心愿编号']);
      expect(rows('隐私同意记录')[1][0]).toBe(PRIVACY_NOTICE_VERSION);
      // The workbook and the JSON read just now: two downloads, two rows.
      expect(await count(`SELECT COUNT(*) AS n FROM pi_access WHERE purpose = 'my_data' AND subject_user_id = ?`, [L])).toBe(logged + 2);
    });

    it('refuses a download whose log cannot be written, showing nothing (fails closed)', async () => {
      await q(`ALTER TABLE pi_access RENAME TO pi_access_away`);
      try {
        for (const path of ['/api/me/data', '/api/me/data.xlsx']) {
          const r = await t.http.get(path, lTok());
          expect([path, r.status, r.body.code]).toEqual([path, 503, 'ACCESS_LOG_UNAVAILABLE']);
          expect(JSON.stringify(r.body)).not.toContain(SECRET.phone);
        }
      } finally {
        await q(`ALTER TABLE pi_access_away RENAME TO pi_access`);
      }
    });
  });

  describe('DELETE /api/me', () => {
    let before: { user: any; wishes: any[]; consents: number; accessLog: number; messages: number };
    let result: any;
    const snapshot = async () => ({
      user: (await q(`SELECT openid, nickname, phone, phone_hash, deleted_at, token_version FROM app_user WHERE id = ?`, [L]))[0],
      wishes: await q(`SELECT id, state, version, beneficiary_name, description, contact_erased_at FROM wish ORDER BY id`),
      registrations: await q(`SELECT id, status, real_name, erased_at FROM member_registration ORDER BY id`),
      grants: await q(`SELECT id, revoked_at FROM role_grant ORDER BY id`),
      photos: await q(`SELECT id FROM photo ORDER BY id`),
      events: await count(`SELECT COUNT(*) AS n FROM wish_event`),
    });

    it('refuses anything but {"confirm": true} with 400 VALIDATION_FAILED, and changes nothing', async () => {
      const start = await snapshot();
      for (const body of [undefined, {}, { confirm: false }, { confirm: null }, { confirm: 'true' }, { confirm: 1 }, { confirm: true, also: 1 }, [true], 'yes']) {
        const r = await t.http.request('DELETE', '/api/me', { token: lTok(), body });
        expect([JSON.stringify(body), r.status, r.body.code]).toEqual([JSON.stringify(body), 400, 'VALIDATION_FAILED']);
      }
      expect((await t.http.request('DELETE', '/api/me', { body: { confirm: true } })).status).toBe(401);
      expect(await snapshot()).toEqual(start);
    });

    it('withdraws the unclaimed wishes, lets the claimed ones go on, erases the rest, in one answer', async () => {
      before = {
        user: (await q(`SELECT * FROM app_user WHERE id = ?`, [L]))[0],
        wishes: await q(`SELECT * FROM wish ORDER BY id`),
        consents: await count(`SELECT COUNT(*) AS n FROM consent WHERE user_id = ?`, [L]),
        accessLog: await count(`SELECT COUNT(*) AS n FROM pi_access WHERE subject_user_id = ?`, [L]),
        messages: await count(`SELECT COUNT(*) AS n FROM message WHERE user_id = ?`, [L]),
      };
      expect(before.messages).toBeGreaterThan(0);
      const files = await Promise.all([photoIds.attached, photoIds.unattached].map(photoFile));
      for (const f of files) expect(existsSync(f)).toBe(true);
      step();
      const r = await t.http.request('DELETE', '/api/me', { token: lTok(), body: { confirm: true } });
      expect(r.status).toBe(200);
      result = r.body;
      expect(result).toEqual({
        deletedAt: t.clock.now().toISOString(),
        withdrawnWishes: 4, // pending, sensitive (pending), open, for the mother (open)
        continuingWishes: 2, // claimed, awaiting confirmation
        erasedWishes: 8, // every own wish, the resolved and the earlier cancelled ones too
        erasedPhotos: 2, // the wish's photo and the unattached upload
        erasedMessages: before.messages,
        erasedReports: 0, // this person filed none (reports.e2e-spec.ts covers the erasure)
        withdrawnRegistrations: 1,
        releasedClaims: 1, // resident2's wish L held as a member
      });
      for (const f of files) expect(existsSync(f)).toBe(false);
      expect(await q(`SELECT id FROM photo WHERE owner_id = ?`, [L])).toEqual([]);
    });

    it('withdraws unclaimed wishes as the resident’s own cancellation: event written, cancelled by the submitter, never claimed (in no rate)', async () => {
      for (const id of [ids.pending, ids.sensitive, ids.open, ids.forMother]) {
        const [row] = await q(`SELECT state, cancelled_by_submitter, first_claimed_at, published_at FROM wish WHERE id = ?`, [id]);
        expect([id, row.state, Number(row.cancelled_by_submitter), row.first_claimed_at]).toEqual([id, 'cancelled', 1, null]);
        const [last] = await q(`SELECT type, from_state, to_state, actor_id, actor_role, reason FROM wish_event WHERE wish_id = ? ORDER BY id DESC LIMIT 1`, [id]);
        expect(last).toEqual({ type: 'cancel', from_state: before.wishes.find((x) => x.id === id).state, to_state: 'cancelled', actor_id: L, actor_role: 'resident', reason: ACCOUNT_DELETION_REASON });
      }
      // The claimed and awaiting ones keep their state, version and claim facts.
      for (const id of [ids.claimed, ids.awaiting, ids.resolved]) {
        const [row] = await q(`SELECT state, version, claimant_id, first_claimed_at, completed_at, rating, resolved_at, published_at, tier FROM wish WHERE id = ?`, [id]);
        const was = before.wishes.find((x) => x.id === id);
        expect(row).toEqual({ state: was.state, version: was.version, claimant_id: was.claimant_id, first_claimed_at: was.first_claimed_at, completed_at: was.completed_at, rating: was.rating, resolved_at: was.resolved_at, published_at: was.published_at, tier: was.tier });
      }
    });

    it('erases contact, description and comment of every own wish, keeps a non-sensitive title, replaces a sensitive one by its category', async () => {
      const own = [ids.pending, ids.sensitive, ids.open, ids.forMother, ids.claimed, ids.awaiting, ids.resolved, ids.cancelledEarlier];
      for (const id of own) {
        const [row] = await q(
          `SELECT title, description, beneficiary_name, beneficiary_phone, address, beneficiary_name_masked, beneficiary_phone_masked, address_building, beneficiary_phone_hash, rating_comment, contact_erased_at FROM wish WHERE id = ?`,
          [id],
        );
        const open = (c: string) => t.database.pii.open(row[c], `wish.${c}` as PiiField);
        expect([id, open('beneficiary_name'), open('beneficiary_phone'), open('address'), open('description')]).toEqual([id, '', '', '', ERASED_TEXT]);
        expect([row.beneficiary_name_masked, row.beneficiary_phone_masked, row.address_building, row.beneficiary_phone_hash, row.rating_comment]).toEqual([
          id === ids.forMother ? ERASED_NAME : DELETED_USER_NAME,
          '',
          '',
          null,
          null,
        ]);
        expect(row.contact_erased_at).not.toBeNull();
        expect(row.title).toBe(id === ids.sensitive ? '医疗健康' : '楼道灯坏了');
      }
      // A sensitive description stays sealed, placeholder and all.
      expect((await q(`SELECT description FROM wish WHERE id = ?`, [ids.sensitive]))[0].description).toMatch(/^pii1\.test1\./);
      // What L typed on the events (the dispute, the earlier cancel, the rating's comment) is gone; the facts are not.
      const events = await q(`SELECT type, reason, payload FROM wish_event WHERE wish_id IN (?, ?) AND actor_id = ? ORDER BY id`, [ids.resolved, ids.cancelledEarlier, L]);
      expect(events.map((e) => [e.type, e.reason])).toEqual([
        ['submit', null],
        ['dispute', ERASED_TEXT],
        ['confirm', null],
        ['submit', null],
        ['cancel', ERASED_TEXT],
      ]);
      // The text check's verdict stays (WeChat is not configured here: unchecked); it carries none of the text.
      expect(JSON.parse(events[2].payload)).toEqual({ rating: 'satisfied', comment: null, textCheck: { result: 'unchecked', label: null } });
      const detail = (await t.http.get(`/api/ledger/wishes/${ids.resolved}`, tok('staff'))).body;
      expect(detail).toMatchObject({ state: 'resolved', rating: 'satisfied', claimant: { id: w.users.member, name: '党员张' } });
      expect(detail.timeline.map((e: any) => [e.type, e.actorName])).toEqual([
        ['submit', DELETED_USER_NAME],
        ['approve', '社区书记'],
        ['claim', '党员张'],
        ['complete', '党员张'],
        ['dispute', DELETED_USER_NAME],
        ['complete', '党员张'],
        ['confirm', DELETED_USER_NAME],
      ]);
    });

    it('shows the claimant placeholders instead of contact, logs no read of it, and lets the claim be completed', async () => {
      const logged = await count(`SELECT COUNT(*) AS n FROM pi_access`);
      const r = await t.http.get(`/api/wishes/${ids.claimed}`, tok('member'));
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        state: 'claimed',
        beneficiary: { name: DELETED_USER_NAME, phone: '', address: `康乐小区 ${ERASED_ADDRESS}` },
        masked: false,
        contactErased: true,
        description: ERASED_TEXT,
        title: '楼道灯坏了',
      });
      expect(r.body.actions).toEqual(expect.arrayContaining(['complete', 'release']));
      expect((await t.http.get('/api/wishes/claimed', tok('member'))).body.items.find((i: any) => i.id === ids.claimed)).toMatchObject({ contactErased: true, beneficiary: { name: DELETED_USER_NAME, phone: '' } });
      // Nothing personal was read, so nothing is logged.
      expect(await count(`SELECT COUNT(*) AS n FROM pi_access`)).toBe(logged);
      // The committee sees the same placeholders (a wish filed for someone else: just 已删除).
      expect((await t.http.get(`/api/wishes/${ids.forMother}`, tok('staff'))).body.beneficiary).toEqual({ name: ERASED_NAME, phone: '', address: `康乐小区 ${ERASED_ADDRESS}` });

      // The work goes on: the member completes; the resident hears nothing (their inbox is gone for good).
      await move(ids.claimed, 'complete', tok('member'), { note: '已修好' });
      await t.app.get(NotificationSender).processOnce();
      expect(await count(`SELECT COUNT(*) AS n FROM message WHERE user_id = ?`, [L])).toBe(0);
    });

    it('leaves the wish a grid worker filed for the resident alone', async () => {
      const [row] = await q(`SELECT state, contact_erased_at, description FROM wish WHERE id = ?`, [ids.gridFiled]);
      expect(row).toEqual({ state: 'pending_review', contact_erased_at: null, description: SECRET.description });
      const r = await t.http.get(`/api/wishes/${ids.gridFiled}`, tok('grid'));
      expect(r.body).toMatchObject({ beneficiary: { name: SECRET.name, phone: SECRET.phone }, contactErased: false });
    });

    it('releases the claims the person held, withdraws their registration and ends every grant', async () => {
      const [held] = await q(`SELECT state, claimant_id, first_claimed_at FROM wish WHERE id = ?`, [ids.held]);
      expect([held.state, held.claimant_id, held.first_claimed_at !== null]).toEqual(['open', null, true]);
      const [last] = await q(`SELECT type, actor_id, actor_role, reason FROM wish_event WHERE wish_id = ? ORDER BY id DESC LIMIT 1`, [ids.held]);
      expect(last).toEqual({ type: 'release', actor_id: L, actor_role: 'member', reason: ACCOUNT_DELETION_REASON });
      const regs = await q(`SELECT status, real_name, phone, phone_hash, work_unit, erased_at FROM member_registration WHERE user_id = ?`, [L]);
      expect(regs).toHaveLength(1);
      expect([regs[0].status, t.database.pii.open(regs[0].real_name, 'member_registration.real_name'), t.database.pii.open(regs[0].phone, 'member_registration.phone'), regs[0].phone_hash, regs[0].work_unit]).toEqual([
        'withdrawn',
        '',
        '',
        null,
        '',
      ]);
      expect(regs[0].erased_at).not.toBeNull();
      expect(await count(`SELECT COUNT(*) AS n FROM role_grant WHERE user_id = ? AND revoked_at IS NULL`, [L])).toBe(0);
    });

    it('keeps the account row as an anonymous placeholder with a new token version; keeps consents and the access log', async () => {
      const [u] = await q(`SELECT openid, unionid, nickname, phone, phone_hash, deleted_at, token_version FROM app_user WHERE id = ?`, [L]);
      expect({ ...u, deleted_at: u.deleted_at !== null, token_version: Number(u.token_version) }).toEqual({
        openid: `deleted:${L}`,
        unionid: null,
        nickname: DELETED_USER_NAME,
        phone: null,
        phone_hash: null,
        deleted_at: true,
        token_version: Number(before.user.token_version) + 1,
      });
      expect(await count(`SELECT COUNT(*) AS n FROM consent WHERE user_id = ?`, [L])).toBe(before.consents);
      expect(await count(`SELECT COUNT(*) AS n FROM pi_access WHERE subject_user_id = ?`, [L])).toBe(before.accessLog);
      expect(await count(`SELECT COUNT(*) AS n FROM subscription_credit WHERE user_id = ?`, [L])).toBe(0);
      // The old token no longer opens anything (the auth guard checks deleted_at and the token version).
      for (const [method, path, body] of [
        ['DELETE', '/api/me', { confirm: true }],
        ['GET', '/api/me', undefined],
        ['GET', '/api/me/data', undefined],
      ] as const) {
        const r = await t.http.request(method, path, { token: lTok(), body });
        expect([method, path, r.status, r.body.code]).toEqual([method, path, 401, 'ACCOUNT_DELETED']);
      }
      // The same WeChat account may sign up afresh: a new user, nothing of the old one.
      const fresh = await t.app.get(UsersRepository).upsertByOpenid('t-leaver');
      expect(fresh.id).not.toBe(L);
      expect((await t.http.get('/api/me/data', t.tokenFor(fresh.id))).body.wishes).toEqual([]);
    });

    it('keeps the ledger and its exports whole, naming the deleted person 已注销用户', async () => {
      const line = (await t.http.get(`/api/ledger/wishes/${ids.handled}`, tok('staff'))).body;
      expect(line).toMatchObject({ state: 'resolved', claimant: { id: L, name: DELETED_USER_NAME }, rating: 'basically_satisfied' });
      const list = (await t.http.get('/api/ledger/wishes?limit=100', tok('staff'))).body.items;
      for (const id of Object.values(ids)) expect(list.some((i: any) => i.id === id)).toBe(true);
      // The city exports names masked; the placeholder is no name and stays readable.
      for (const who of ['staff', 'city'] as const) {
        const res = await fetch(`${t.baseUrl}/api/ledger/export.csv`, { headers: { authorization: `Bearer ${tok(who)}` } });
        expect(res.status).toBe(200);
        const rows = parseCsv(await res.text());
        const no = list.find((i: any) => i.id === ids.handled).no;
        expect(rows.find((r) => r[0] === no)![11]).toBe(DELETED_USER_NAME);
        expect(rows.length - 1).toBe(list.length);
      }
    });

    it('leaves none of the person’s name, phone, address, descriptions or words in the database, in the clear or sealed', async () => {
      const all = await dump(t);
      for (const [what, value] of Object.entries(SECRET)) {
        if (what === 'sensitiveTitle') continue; // checked below: the title is the category's now
        // The wish the grid worker filed for L keeps its (non-sensitive) description: it is the resident's record, not L's account.
        if (what === 'description') expect(all.split(value).length - 1).toBe(1);
        else expect([what, all.includes(value)]).toEqual([what, false]);
      }
      expect(all.includes(SECRET.sensitiveTitle)).toBe(false);
      // Sealed values too, opened with the keys: only the grid worker's filing still names L.
      const found = (await opened(t)).filter(([, , , plain]) => Object.values(SECRET).some((s) => plain.includes(s)));
      expect(found.map(([table, id, col]) => `${table}:${id}:${col}`).sort()).toEqual(['address', 'beneficiary_name', 'beneficiary_phone', 'description'].map((c) => `wish:${ids.gridFiled}:${c}`).sort());
    });

    it('lets a continuing wish resolve by silence after the confirmation period, unrated', async () => {
      t.clock.set(bj('2026-12-02T10:00'));
      await t.app.get(DispatchSweeper).sweepOnce();
      for (const id of [ids.awaiting, ids.claimed]) {
        const line = (await t.http.get(`/api/ledger/wishes/${id}`, tok('staff'))).body;
        expect([id, line.state, line.rating, line.autoConfirmed]).toEqual([id, 'resolved', null, true]);
        expect(line.timeline.at(-1)).toMatchObject({ type: 'auto_confirm', toState: 'resolved' });
      }
    });
  });
});

describe('the three rates before and after an account deletion', () => {
  // Hand-computed from DOMAIN.md "The three rates", for wishes published on DAY in 北小街社区:
  //   L2 claimed by a member (within its fulfilment window)       decided for response, undecided for resolution
  //   L3 completed, awaiting confirmation                         decided for response, undecided for resolution
  //   L4 resolved, 满意 (with a comment)                           responded, resolved, rated satisfied
  //   L5 resolved, 不满意                                          responded, resolved, rated unsatisfied
  //   O1 (another resident's) resolved, 基本满意                   responded, resolved, rated satisfied
  //   L1 pending review: never published, in no rate.
  // Response 5/5, resolution 3/3, satisfaction 2/3. Deleting L withdraws L1 (still never published),
  // L2 and L3 go on, L4 and L5 keep their facts: every figure stays. Once L2 is completed and both
  // are confirmed by silence: resolution 5/5, satisfaction still 2/3, two silent confirmations.
  let t: TestApp;
  let w: World;
  let L: number;
  const ids: Record<string, number> = {};
  const tok = (k: keyof World['users']) => t.tokenFor(w.users[k]);
  const lTok = () => t.tokenFor(L);
  const rates = async () => {
    const r = await t.http.get(`/api/ledger/rates?scope=community&orgId=${w.communityA}&from=${DAY}&to=${DAY}`, tok('staff'));
    expect(r.status).toBe(200);
    return r.body;
  };
  async function move(id: number, action: string, token: string, body: Record<string, unknown> = {}) {
    t.clock.advance(5 * 60_000);
    const r = await t.http.post(`/api/wishes/${id}/${action}`, body, token);
    expect([action, r.status, r.body?.code]).toEqual([action, 200, undefined]);
  }
  async function submit(token: string) {
    t.clock.advance(5 * 60_000);
    const r = await t.http.post(
      '/api/wishes',
      { communityId: w.communityA, compoundId: w.compoundA, category: 'repair', title: '修门', description: '门锁坏了', beneficiaryName: '欧阳修', beneficiaryPhone: '13911112222', address: '9号楼909', forSelf: true },
      token,
    );
    expect(r.status).toBe(201);
    return r.body.id as number;
  }

  beforeAll(async () => {
    t = await createTestApp({}, { clock: new FakeClock(bj(`${DAY}T09:00`).getTime()) });
    w = await buildWorld(t.database, t.clock.now());
    L = await t.database.tx(async (m) => (await makePerson(m, t.clock.now(), { openid: 't-leaver-2', nickname: '欧阳修', grants: [{ role: 'resident', orgId: w.communityA }], pii: t.database.pii })).id);
    const staff = tok('staff');
    ids.L1 = await submit(lTok());
    ids.L2 = await submit(lTok());
    await move(ids.L2, 'approve', staff);
    await move(ids.L2, 'claim', tok('member'));
    ids.L3 = await submit(lTok());
    await move(ids.L3, 'approve', staff);
    await move(ids.L3, 'claim', tok('member2'));
    await move(ids.L3, 'complete', tok('member2'), { note: '已修好' });
    for (const [k, rating] of [
      ['L4', 'satisfied'],
      ['L5', 'unsatisfied'],
    ] as const) {
      ids[k] = await submit(lTok());
      await move(ids[k], 'approve', staff);
      await move(ids[k], 'claim', tok('member'));
      await move(ids[k], 'complete', tok('member'), { note: '已修好' });
      await move(ids[k], 'confirm', lTok(), { rating, comment: '很好' });
    }
    ids.O1 = await submit(tok('resident2'));
    await move(ids.O1, 'approve', staff);
    await move(ids.O1, 'claim', tok('member2'));
    await move(ids.O1, 'complete', tok('member2'), { note: '已修好' });
    await move(ids.O1, 'confirm', tok('resident2'), { rating: 'basically_satisfied' });
  });
  afterAll(() => t.close());

  const EXPECTED = {
    published: 5,
    response: { rate: 1, numerator: 5, denominator: 5 },
    resolution: { rate: 1, numerator: 3, denominator: 3 },
    satisfaction: { rate: 0.6667, numerator: 2, denominator: 3 },
    silentConfirmations: 0,
    withinFulfilmentWindow: 2,
  };

  it('are the same figures, typed by hand, before and after', async () => {
    const before = await rates();
    expect(before).toMatchObject(EXPECTED);
    const r = await t.http.request('DELETE', '/api/me', { token: lTok(), body: { confirm: true } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ withdrawnWishes: 1, continuingWishes: 2, erasedWishes: 5 });
    const after = await rates();
    expect(after).toMatchObject(EXPECTED);
    const { asOf: _a, ...b } = before;
    const { asOf: _b, ...a } = after;
    expect(a).toEqual(b);
    // Closed wishes are counted from the rollups their moves wrote: recounted from the rows as they are
    // now (erased), the figures are the same, and so are the rollups.
    const q = (sql: string) => t.database.dataSource.query(sql) as Promise<Record<string, unknown>[]>;
    const rollups = async () => [await q('SELECT * FROM rates_rollup ORDER BY community_id, day'), await q('SELECT * FROM bars_rollup WHERE n <> 0 ORDER BY community_id, month, state, tier, published')];
    const written = await rollups();
    await RatesRollup.rebuild((sql, params) => t.database.dataSource.query(sql, params), t.database.isSqlite);
    expect(await rollups()).toEqual(written);
    expect(await rates()).toMatchObject(EXPECTED);
  });

  it('count the continuing wishes as resolved, unrated, once silence resolves them', async () => {
    await move(ids.L2, 'complete', tok('member'), { note: '已修好' });
    t.clock.set(bj('2026-12-02T10:00'));
    await t.app.get(DispatchSweeper).sweepOnce();
    expect(await rates()).toMatchObject({
      published: 5,
      response: { rate: 1, numerator: 5, denominator: 5 },
      resolution: { rate: 1, numerator: 5, denominator: 5 },
      satisfaction: { rate: 0.6667, numerator: 2, denominator: 3 },
      silentConfirmations: 2,
      withinFulfilmentWindow: 0,
    });
  });
});

describe('POST /api/members/registrations/{id}/withdraw', () => {
  let t: TestApp;
  let w: World;
  const tok = (k: keyof World['users']) => t.tokenFor(w.users[k]);
  const q = (sql: string, params: unknown[] = []) => t.database.dataSource.query(sql, params) as Promise<any[]>;
  const withdraw = (id: number, token?: string) => t.http.post(`/api/members/registrations/${id}/withdraw`, undefined, token);
  const regOf = async (userId: number) => Number((await q(`SELECT id FROM member_registration WHERE user_id = ? ORDER BY id DESC LIMIT 1`, [userId]))[0].id);
  async function person(openid: string): Promise<number> {
    return t.database.tx(async (m) => (await makePerson(m, t.clock.now(), { openid, nickname: openid, grants: [], pii: t.database.pii })).id);
  }
  async function register(userId: number, phone: string): Promise<number> {
    const r = await t.http.post('/api/members/registrations', { communityId: w.communityA, realName: '撤回测试人', phone, workUnit: '撤回测试单位' }, t.tokenFor(userId));
    expect(r.status).toBe(201);
    return r.body.id;
  }

  beforeAll(async () => {
    t = await createTestApp({}, { clock: new FakeClock(bj(`${DAY}T09:00`).getTime()) });
    w = await buildWorld(t.database, t.clock.now());
  });
  afterAll(() => t.close());

  it('withdraws a pending registration: status withdrawn, name and phone erased; the person may register again', async () => {
    const u = await person('t-applicant-1');
    const id = await register(u, '13700001111');
    const r = await withdraw(id, t.tokenFor(u));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id, userId: u, status: 'withdrawn', realName: ERASED_NAME, phone: '', workUnit: '', releasedWishIds: [] });
    const [row] = await q(`SELECT status, real_name, phone, phone_hash, erased_at FROM member_registration WHERE id = ?`, [id]);
    expect([row.status, t.database.pii.open(row.real_name, 'member_registration.real_name'), t.database.pii.open(row.phone, 'member_registration.phone'), row.phone_hash]).toEqual(['withdrawn', '', '', null]);
    expect(row.erased_at).not.toBeNull();
    // The committee's list shows it without a name, and logs no read of one.
    const logged = Number((await q(`SELECT COUNT(*) AS n FROM pi_access WHERE registration_id = ?`, [id]))[0].n);
    const list = (await t.http.get(`/api/members/registrations?communityId=${w.communityA}`, tok('staff'))).body;
    expect(list.find((x: any) => x.id === id)).toMatchObject({ status: 'withdrawn', realName: ERASED_NAME, phone: '' });
    expect(Number((await q(`SELECT COUNT(*) AS n FROM pi_access WHERE registration_id = ?`, [id]))[0].n)).toBe(logged);
    // Nothing stands any more: the same phone registers again at the same community.
    await register(u, '13700001111');
  });

  it('withdraws a verified member: the grant ends and the claims held as a member go back to the pool, in one transaction', async () => {
    const id = await regOf(w.users.member);
    const wish = (
      await t.http.post(
        '/api/wishes',
        { communityId: w.communityA, compoundId: w.compoundA, category: 'repair', title: '修灯', description: '楼道灯坏了', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼501', forSelf: true },
        tok('resident'),
      )
    ).body.id;
    expect((await t.http.post(`/api/wishes/${wish}/approve`, {}, tok('staff'))).status).toBe(200);
    expect((await t.http.post(`/api/wishes/${wish}/claim`, {}, tok('member'))).status).toBe(200);
    const r = await withdraw(id, tok('member'));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id, status: 'withdrawn', realName: ERASED_NAME, releasedWishIds: [wish] });
    const [row] = await q(`SELECT state, claimant_id FROM wish WHERE id = ?`, [wish]);
    expect(row).toEqual({ state: 'open', claimant_id: null });
    const [last] = await q(`SELECT type, actor_id, actor_role, reason FROM wish_event WHERE wish_id = ? ORDER BY id DESC LIMIT 1`, [wish]);
    expect(last).toEqual({ type: 'release', actor_id: w.users.member, actor_role: 'member', reason: REGISTRATION_WITHDRAWAL_REASON });
    expect(Number((await q(`SELECT COUNT(*) AS n FROM role_grant WHERE user_id = ? AND role = 'member' AND revoked_at IS NULL`, [w.users.member]))[0].n)).toBe(0);
    // No longer a member: the claim is refused, the wall closed.
    const again = await t.http.post(`/api/wishes/${wish}/claim`, {}, tok('member'));
    expect(again.status).toBeGreaterThanOrEqual(403);
    expect((await t.http.get(`/api/wishes/wall?communityId=${w.communityA}`, tok('member'))).status).toBe(403);
  });

  it('answers 409 REGISTRATION_CLOSED for a registration already withdrawn, refused or revoked', async () => {
    const withdrawn = await regOf(w.users.member);
    expect((await withdraw(withdrawn, tok('member'))).body.code).toBe('REGISTRATION_CLOSED');
    const refusedBy = await person('t-applicant-2');
    const refused = await register(refusedBy, '13700002222');
    expect((await t.http.post(`/api/members/registrations/${refused}/refuse`, { reason: '不在本社区' }, tok('staff'))).status).toBe(200);
    const revoked = await regOf(w.users.member2);
    expect((await t.http.post(`/api/members/registrations/${revoked}/deactivate`, { reason: '工作调离' }, tok('staff'))).status).toBe(200);
    for (const [id, token] of [
      [withdrawn, tok('member')],
      [refused, t.tokenFor(refusedBy)],
      // Deactivated: signed in again (the deactivation revoked the old token).
      [revoked, t.tokenFor(w.users.member2, 1)],
    ] as const) {
      const r = await withdraw(id, token);
      expect([id, r.status, r.body.code]).toEqual([id, 409, 'REGISTRATION_CLOSED']);
    }
  });

  it('is the registrant’s alone: 404 to anyone who may not read it, 403 to the committee who reads it, 401 without a token', async () => {
    const id = await regOf(w.users.memberB);
    for (const k of ['resident', 'member', 'grid', 'street', 'city', 'staff'] as const) {
      const r = await withdraw(id, tok(k));
      expect([k, r.status, r.body.code]).toEqual([k, 404, 'REGISTRATION_NOT_FOUND']);
    }
    const r = await withdraw(id, tok('staffB'));
    expect([r.status, r.body.code]).toEqual([403, 'FORBIDDEN']);
    expect((await withdraw(999_999, tok('memberB'))).status).toBe(404);
    expect((await withdraw(id)).status).toBe(401);
    expect((await q(`SELECT status FROM member_registration WHERE id = ?`, [id]))[0].status).toBe('verified');
  });
});
