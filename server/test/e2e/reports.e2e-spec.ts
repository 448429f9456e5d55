// Reports (举报) and complaints (投诉与建议), issue 14: filed by anyone about what they can see,
// on the desk of the community it belongs to (the committee, the street and the city above it),
// handled once with a reply that reaches the reporter's inbox. Expected values are typed from
// the issue and shared/src/reports.ts's rules, not read from the code.
import { FakeClock } from '../../src/common/clock';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, insertWish, type World } from '../factories/world';

const START = new Date('2026-06-01T02:00:00Z');
const PHOTO_OF_WISH = '0a3c1b2e-1111-4aaa-8bbb-000000000001';
const PHOTO_LOOSE = '0a3c1b2e-1111-4aaa-8bbb-000000000002';

describe('reports and complaints', () => {
  let t: TestApp;
  let w: World;
  let openWish: number;
  let sensitiveWish: number;
  const tok = (userId: number) => t.tokenFor(userId);
  const q = (sql: string, params: unknown[] = []) => t.database.dataSource.query(sql, params);
  const reports = async () => Number((await q(`SELECT COUNT(*) AS n FROM report`))[0].n);
  const report = (who: number, body: Record<string, unknown>) => t.http.post('/api/reports', body, tok(who));

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_ENABLED: 'false' }, { clock: new FakeClock(START.getTime()) });
    w = await buildWorld(t.database, t.clock.now());
    const place = { districtId: w.districtId, streetId: w.streetId, communityId: w.communityA, compoundId: w.compoundA, submitterId: w.users.resident };
    openWish = await insertWish(t.database, t.clock.now(), { ...place, title: '楼道灯坏了' });
    sensitiveWish = await insertWish(t.database, t.clock.now(), { ...place, title: '看病需要陪同', sensitive: true });
    const at = t.database.time(t.clock.now());
    await q(`INSERT INTO photo (id, owner_id, mime, size, storage_key, wish_id, purpose, created_at) VALUES (?, ?, 'image/jpeg', 10, 'x/1.jpg', ?, 'wish', ?), (?, ?, 'image/jpeg', 10, 'x/2.jpg', NULL, NULL, ?)`, [
      PHOTO_OF_WISH,
      w.users.resident,
      openWish,
      at,
      PHOTO_LOOSE,
      w.users.resident,
      at,
    ]);
  });
  afterAll(() => t?.close());

  describe('filing', () => {
    let first: number;

    it('a member reports a wish of their wall: received, on community A, the text sealed at rest', async () => {
      const r = await report(w.users.member, { kind: 'wish', category: 'false_info', text: '描述与实际不符，联系电话13912345678', wishId: openWish });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ kind: 'wish', category: 'false_info', state: 'received', wishId: openWish, wishTitle: '楼道灯坏了', communityId: w.communityA, communityName: '北小街社区', reply: null, text: '描述与实际不符，联系电话13912345678', actions: [] });
      expect(r.body.wishNo).toMatch(/^XY20260601\d{6}$/);
      first = r.body.id;
      const [row] = await q(`SELECT text, state, street_id, district_id FROM report WHERE id = ?`, [first]);
      expect(String(row.text).startsWith('pii1.')).toBe(true);
      expect(String(row.text)).not.toContain('13912345678');
      expect([row.state, Number(row.street_id), Number(row.district_id)]).toEqual(['received', w.streetId, w.districtId]);
    });

    it('the same person and wish again while open: 409 REPORT_DUPLICATE, nothing written', async () => {
      const before = await reports();
      const r = await report(w.users.member, { kind: 'wish', category: 'vulgar', wishId: openWish });
      expect([r.status, r.body.code]).toEqual([409, 'REPORT_DUPLICATE']);
      expect(await reports()).toBe(before);
    });

    it('refuses what one may not report, each with its code, and writes nothing', async () => {
      const before = await reports();
      const cases: [number, Record<string, unknown>, number, string][] = [
        // One's own wish and photo.
        [w.users.resident, { kind: 'wish', category: 'illegal', wishId: openWish }, 400, 'REPORT_OWN_CONTENT'],
        [w.users.resident, { kind: 'photo', category: 'privacy', photoId: PHOTO_OF_WISH }, 400, 'REPORT_OWN_CONTENT'],
        // Community B's member does not see A's wall; a sensitive wish is never on the wall; an unknown wish.
        [w.users.memberB, { kind: 'wish', category: 'illegal', wishId: openWish }, 404, 'REPORT_TARGET_NOT_FOUND'],
        [w.users.member, { kind: 'wish', category: 'illegal', wishId: sensitiveWish }, 404, 'REPORT_TARGET_NOT_FOUND'],
        [w.users.member, { kind: 'wish', category: 'illegal', wishId: 99999999 }, 404, 'REPORT_TARGET_NOT_FOUND'],
        // A photo no wish uses is nobody's to see.
        [w.users.member, { kind: 'photo', category: 'privacy', photoId: PHOTO_LOOSE }, 404, 'REPORT_TARGET_NOT_FOUND'],
        [w.users.memberB, { kind: 'photo', category: 'privacy', photoId: PHOTO_OF_WISH }, 404, 'REPORT_TARGET_NOT_FOUND'],
        // A complaint's topic on a report, a report's reason on a complaint.
        [w.users.member, { kind: 'wish', category: 'attitude', wishId: openWish }, 400, 'REPORT_CATEGORY_INVALID'],
        [w.users.member, { kind: 'complaint', category: 'vulgar', text: '态度不好' }, 400, 'REPORT_CATEGORY_INVALID'],
        // A complaint, and 'other', say what happened.
        [w.users.member, { kind: 'complaint', category: 'attitude' }, 400, 'VALIDATION_FAILED'],
        [w.users.member, { kind: 'wish', category: 'other', wishId: openWish }, 400, 'VALIDATION_FAILED'],
        // The target the kind names, and only it.
        [w.users.member, { kind: 'wish', category: 'illegal' }, 400, 'VALIDATION_FAILED'],
        [w.users.member, { kind: 'wish', category: 'illegal', wishId: openWish, photoId: PHOTO_OF_WISH }, 400, 'VALIDATION_FAILED'],
        [w.users.member, { kind: 'complaint', category: 'attitude', text: '态度不好', wishId: openWish }, 400, 'VALIDATION_FAILED'],
        [w.users.member, { kind: 'complaint', category: 'attitude', text: '态度不好', communityId: 99999999 }, 404, 'ORG_NOT_FOUND'],
        [w.users.member, { kind: 'wish', category: 'illegal', wishId: openWish, text: 'x'.repeat(501) }, 400, 'VALIDATION_FAILED'],
        // Consent to the privacy notice first, as for a wish.
        [w.users.noConsent, { kind: 'complaint', category: 'attitude', text: '态度不好', communityId: w.communityA }, 403, 'CONSENT_REQUIRED'],
      ];
      const got = [];
      for (const [who, body, , ] of cases) {
        const r = await report(who, body);
        got.push([r.status, r.body.code]);
      }
      expect(got).toEqual(cases.map(([, , s, c]) => [s, c]));
      expect(await reports()).toBe(before);
    });

    it('a photo shown with the wish can be reported by a reader of the wish; it lands on the wish community', async () => {
      const r = await report(w.users.member2, { kind: 'photo', category: 'privacy', photoId: PHOTO_OF_WISH, text: '照片拍到了邻居家门牌' });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ kind: 'photo', photoId: PHOTO_OF_WISH, wishId: openWish, communityId: w.communityA, state: 'received' });
    });

    it("a complaint without a community goes to the reporter's own (here: the community of their grant)", async () => {
      const r = await report(w.users.resident2, { kind: 'complaint', category: 'overdue', text: '报修两周没人来' });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ kind: 'complaint', category: 'overdue', wishId: null, communityId: w.communityA, communityName: '北小街社区' });
      const toB = await report(w.users.resident2, { kind: 'complaint', category: 'suggestion', text: '希望增加夜间服务', communityId: w.communityB });
      expect(toB.body).toMatchObject({ communityId: w.communityB, communityName: '礼让街社区' });
    });

    it('at most 20 reports waiting for a reply per person: the 21st is 429 QUOTA_EXCEEDED', async () => {
      const who = w.users.grid;
      const at = t.database.time(t.clock.now());
      for (let i = 0; i < 20; i++) {
        await q(`INSERT INTO report (reporter_id, kind, category, text, community_id, street_id, district_id, state, created_at) VALUES (?, 'complaint', 'other', NULL, ?, ?, ?, 'received', ?)`, [who, w.communityB, w.streetId, w.districtId, at]);
      }
      const before = await reports();
      const r = await report(who, { kind: 'complaint', category: 'attitude', text: '再投诉一次', communityId: w.communityB });
      expect([r.status, r.body.code]).toEqual([429, 'QUOTA_EXCEEDED']);
      expect(await reports()).toBe(before);
      await q(`DELETE FROM report WHERE reporter_id = ?`, [who]);
    });

    it('the reporter lists their own, newest first, without desk fields', async () => {
      const r = await t.http.get('/api/me/reports', tok(w.users.member));
      expect(r.status).toBe(200);
      expect(r.body.items.map((i: any) => i.id)).toEqual([first]);
      expect(r.body.items[0].reporterName).toBeUndefined();
      const other = await t.http.get('/api/me/reports', tok(w.users.memberB));
      expect(other.body.items).toEqual([]);
    });
  });

  describe('the desk', () => {
    it("reads its communities' reports: the committee of A, the street, the city; not B's committee; 403 for a member", async () => {
      const ofA = async (who: number) => {
        const r = await t.http.get(`/api/reports?communityId=${w.communityA}`, tok(who));
        return r.status === 200 ? r.body.items.map((i: any) => i.kind).sort() : r.status;
      };
      // A: the member's wish report, member2's photo report, resident2's complaint.
      expect(await ofA(w.users.staff)).toEqual(['complaint', 'photo', 'wish']);
      expect(await ofA(w.users.street)).toEqual(['complaint', 'photo', 'wish']);
      expect(await ofA(w.users.city)).toEqual(['complaint', 'photo', 'wish']);
      expect(await ofA(w.users.staffB)).toBe(403);
      const all = await t.http.get('/api/reports', tok(w.users.staffB));
      expect(all.body.items.map((i: any) => [i.kind, i.communityId])).toEqual([['complaint', w.communityB]]);
      const member = await t.http.get('/api/reports', tok(w.users.member));
      expect([member.status, member.body.code]).toEqual([403, 'FORBIDDEN']);
      const grid = await t.http.get('/api/reports', tok(w.users.grid));
      expect(grid.status).toBe(403);
    });

    it('shows who reported and what they wrote, and filters by state and kind', async () => {
      const r = await t.http.get('/api/reports?kind=wish', tok(w.users.staff));
      expect(r.body.items).toHaveLength(1);
      expect(r.body.items[0]).toMatchObject({ reporterName: '党员张', text: '描述与实际不符，联系电话13912345678', state: 'received', actions: ['handle'] });
      const handled = await t.http.get('/api/reports?state=handled', tok(w.users.staff));
      expect(handled.body.items).toEqual([]);
    });

    it('handles a report once, with a reply that reaches the reporter in the inbox', async () => {
      const [{ id }] = await q(`SELECT id FROM report WHERE kind = 'wish' AND reporter_id = ?`, [w.users.member]);
      const path = `/api/reports/${id}/handle`;
      // Not on their desk and not theirs: 404 whatever they send. The reporter: 403 (reads it, may not answer it).
      for (const [who, status, code] of [
        [w.users.memberB, 404, 'REPORT_NOT_FOUND'],
        [w.users.staffB, 404, 'REPORT_NOT_FOUND'],
        [w.users.member, 403, 'FORBIDDEN'],
      ] as const) {
        const r = await t.http.post(path, { reply: '已核实' }, tok(who));
        expect([who, r.status, r.body.code]).toEqual([who, status, code]);
      }
      const bad = await t.http.post(path, { reply: '   ' }, tok(w.users.staff));
      expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);

      const r = await t.http.post(path, { reply: '经核实，已联系提交人更正描述。' }, tok(w.users.staff));
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ state: 'handled', reply: '经核实，已联系提交人更正描述。', handledByName: '社区书记', actions: [] });
      expect(r.body.handledAt).toBe(START.toISOString());

      const inbox = await t.http.get('/api/me/messages', tok(w.users.member));
      const line = inbox.body.items.find((m: any) => m.kind === 'report_reply');
      // The line names the report (the inbox opens 投诉与建议) and the wish it was about.
      expect(line).toMatchObject({ title: '您的举报已处理', reportId: Number(id), wishId: openWish, read: false });
      expect(line.body).toBe('举报心愿（虚假信息：楼道灯坏了）答复：经核实，已联系提交人更正描述。');

      const again = await t.http.post(path, { reply: '再答复一次' }, tok(w.users.street));
      expect([again.status, again.body.code]).toEqual([409, 'REPORT_ALREADY_HANDLED']);
      const lines = await q(`SELECT COUNT(*) AS n FROM message WHERE report_id = ?`, [id]);
      expect(Number(lines[0].n)).toBe(1);

      const mine = await t.http.get('/api/me/reports', tok(w.users.member));
      expect(mine.body.items[0]).toMatchObject({ id: Number(id), state: 'handled', reply: '经核实，已联系提交人更正描述。' });
      // Handled, the wish may be reported again.
      const anew = await report(w.users.member, { kind: 'wish', category: 'illegal', wishId: openWish });
      expect(anew.status).toBe(201);
    });

    it("the street answers a complaint about the committee; the committee does not answer its own complaint", async () => {
      const own = await report(w.users.staff, { kind: 'complaint', category: 'suggestion', text: '建议街道增加人手' });
      expect(own.body.communityId).toBe(w.communityA);
      const self = await t.http.post(`/api/reports/${own.body.id}/handle`, { reply: '收到' }, tok(w.users.staff));
      expect([self.status, self.body.code]).toEqual([403, 'FORBIDDEN']);
      const [{ id }] = await q(`SELECT id FROM report WHERE kind = 'complaint' AND reporter_id = ? AND community_id = ?`, [w.users.resident2, w.communityA]);
      const r = await t.http.post(`/api/reports/${id}/handle`, { reply: '已督促社区三日内上门维修' }, tok(w.users.street));
      expect(r.status).toBe(200);
      const inbox = await t.http.get('/api/me/messages', tok(w.users.resident2));
      expect(inbox.body.items.find((m: any) => m.kind === 'report_reply')).toMatchObject({ title: '您的投诉与建议已答复', reportId: Number(id) });
    });
  });
  describe("the reporter's rights (PIPL Arts. 45, 47)", () => {
    it('my data holds the reports I filed; deleting the account erases my words from them, and the desk keeps the report and its reply', async () => {
      const filed = await report(w.users.resident2, { kind: 'complaint', category: 'other', text: '我叫赵大爷，电话13711112222，楼下噪音扰民', communityId: w.communityA });
      expect(filed.status).toBe(201);
      const id = filed.body.id as number;
      await t.http.post(`/api/reports/${id}/handle`, { reply: '已联系物业处理' }, tok(w.users.staff));

      const data = await t.http.get('/api/me/data', tok(w.users.resident2));
      expect(data.status).toBe(200);
      const mineThere = data.body.reports.find((r: any) => r.id === id);
      expect(mineThere).toMatchObject({ kind: 'complaint', text: '我叫赵大爷，电话13711112222，楼下噪音扰民', state: 'handled', reply: '已联系物业处理' });

      const withWords = Number((await q(`SELECT COUNT(*) AS n FROM report WHERE reporter_id = ? AND text IS NOT NULL`, [w.users.resident2]))[0].n);
      expect(withWords).toBeGreaterThanOrEqual(1);
      const gone = await t.http.request('DELETE', '/api/me', { body: { confirm: true }, token: tok(w.users.resident2) });
      expect(gone.status).toBe(200);
      expect(gone.body.erasedReports).toBe(withWords);
      expect(Number((await q(`SELECT COUNT(*) AS n FROM report WHERE reporter_id = ? AND text IS NOT NULL`, [w.users.resident2]))[0].n)).toBe(0);
      const [row] = await q(`SELECT text, state, reply FROM report WHERE id = ?`, [id]);
      expect([row.text, row.state, row.reply]).toEqual([null, 'handled', '已联系物业处理']);
      const desk = await t.http.get('/api/reports?kind=complaint&limit=50', tok(w.users.staff));
      expect(desk.body.items.find((r: any) => r.id === id)).toMatchObject({ text: null, reply: '已联系物业处理', reporterName: '已注销用户' });
    });
  });
});
