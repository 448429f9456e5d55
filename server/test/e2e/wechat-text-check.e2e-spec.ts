// WeChat's text check (msgSecCheck v2) of the free text a move carries: proof notes,
// rating comments and reasons reach other people at once, so `risky` text is refused
// (CONTENT_RISKY, nothing changed) and `review` / `unchecked` text goes through, recorded on
// the event for the community's staff (issue 14).
import { FakeClock } from '../../src/common/clock';
import { FakeWechat, wxError } from '../fakes/fake-wechat';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';
import { bj } from '../support';

const RISKY = '这里有违禁词请处理';
const REVIEW = '有点可疑词的说明';

describe('text checks of the free text moves carry', () => {
  let t: TestApp;
  let w: World;
  let fake: FakeWechat;
  const tok = (k: keyof World['users']) => t.tokenFor(w.users[k]);
  const step = () => t.clock.advance(10 * 60_000);
  const checks = () => fake.requestsTo('/wxa/msg_sec_check');

  async function submit(): Promise<number> {
    step();
    const r = await t.http.post(
      '/api/wishes',
      { communityId: w.communityA, compoundId: w.compoundA, category: 'repair', title: '楼道灯坏了', description: '请帮忙修一下', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼501', forSelf: true },
      tok('resident'),
    );
    expect(r.status).toBe(201);
    return r.body.id as number;
  }
  async function move(id: number, action: string, by: keyof World['users'], body: Record<string, unknown> = {}) {
    step();
    const r = await t.http.post(`/api/wishes/${id}/${action}`, body, tok(by));
    expect([action, r.status, r.body?.code]).toEqual([action, 200, undefined]);
    return r.body;
  }
  /** The wish as staff read it, and its events straight from the table. */
  async function snapshot(id: number) {
    const row = (await t.database.dataSource.query('SELECT state, version, proof_note, rating, rating_comment, completed_at FROM wish WHERE id = ?', [id]))[0];
    const events = Number((await t.database.dataSource.query('SELECT COUNT(*) AS n FROM wish_event WHERE wish_id = ?', [id]))[0].n);
    return { row, events };
  }
  async function refused(id: number, action: string, by: keyof World['users'], body: Record<string, unknown>) {
    const before = await snapshot(id);
    const calls = checks().length;
    step();
    const r = await t.http.post(`/api/wishes/${id}/${action}`, body, tok(by));
    expect([action, r.status, r.body.code]).toEqual([action, 422, 'CONTENT_RISKY']);
    expect(r.body.message).toBe('填写的内容可能含有不适宜公开的信息，请修改后再提交');
    expect(checks().length).toBe(calls + 1);
    expect(await snapshot(id)).toEqual(before);
  }
  async function claimed(): Promise<number> {
    const id = await submit();
    await move(id, 'approve', 'staff');
    await move(id, 'claim', 'member');
    return id;
  }

  beforeAll(async () => {
    fake = await FakeWechat.start({ appId: 'wx00112233aabbccdd', secret: 'text-secret' });
    t = await createTestApp({ WECHAT_APPID: 'wx00112233aabbccdd', WECHAT_SECRET: 'text-secret', WECHAT_API_BASE: fake.url, WECHAT_TIMEOUT_MS: '500' }, { clock: new FakeClock(bj('2026-11-23T09:00').getTime()) });
    w = await buildWorld(t.database, t.clock.now());
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('refuses a risky proof note with nothing changed, and checks it as a post (scene 3) with the writer’s openid', async () => {
    const id = await claimed();
    await refused(id, 'complete', 'member', { note: `已修好。${RISKY}` });
    const call = checks().at(-1)!;
    expect(call.body).toMatchObject({ version: 2, scene: 3, openid: 't-member', content: `已修好。${RISKY}` });
    const done = await move(id, 'complete', 'member', { note: '灯已换新' });
    expect(done.state).toBe('awaiting_confirmation');
    expect(checks().at(-1)!.body).toMatchObject({ scene: 3, content: '灯已换新' });
  });

  it('refuses a risky rating comment and dispute reason (scene 2); a clean one goes through', async () => {
    const id = await claimed();
    await move(id, 'complete', 'member', { note: '灯已换新' });
    await refused(id, 'confirm', 'resident', { rating: 'satisfied', comment: RISKY });
    expect(checks().at(-1)!.body).toMatchObject({ scene: 2, openid: 't-resident', content: RISKY });
    await refused(id, 'dispute', 'resident', { reason: RISKY });
    await move(id, 'dispute', 'resident', { reason: '灯还是不亮' });
    await move(id, 'complete', 'member', { note: '换了开关' });
    const ok = await move(id, 'confirm', 'resident', { rating: 'satisfied', comment: '谢谢' });
    expect(ok).toMatchObject({ state: 'resolved', ratingComment: '谢谢' });
  });

  it('refuses risky reasons of release, reject, cancel and urgent', async () => {
    const c = await claimed();
    await refused(c, 'release', 'member', { reason: RISKY });
    const r = await submit();
    await refused(r, 'reject', 'staff', { code: 'not_a_wish', reason: RISKY });
    const x = await submit();
    await move(x, 'approve', 'staff');
    await refused(x, 'cancel', 'staff', { code: 'cannot_be_done', reason: RISKY });
    await refused(x, 'urgent', 'staff', { reason: RISKY });
    // The same moves with clean text are made.
    await move(c, 'release', 'member', { reason: '临时出差' });
    await move(x, 'cancel', 'staff', { code: 'cannot_be_done', reason: '超出社区能力' });
  });

  it('records review and unchecked text on the event for staff, never for the resident', async () => {
    const id = await claimed();
    const done = await move(id, 'complete', 'member', { note: `已修好，${REVIEW}` });
    expect(done.state).toBe('awaiting_confirmation');
    fake.secCheckReplies.push(wxError(-1, 'system error'));
    await move(id, 'dispute', 'resident', { reason: '灯还是不亮' });

    const staff = (await t.http.get(`/api/wishes/${id}`, tok('staff'))).body;
    const complete = staff.timeline.find((e: any) => e.type === 'complete');
    const dispute = staff.timeline.find((e: any) => e.type === 'dispute');
    expect(complete.textCheck).toMatchObject({ result: 'review', label: '其他' });
    expect(dispute.textCheck).toEqual({ result: 'unchecked', label: null, checkedAt: null });
    expect(staff.timeline.find((e: any) => e.type === 'claim').textCheck).toBeNull();

    // The ledger's timeline shows it to staff too; a city department reading the ledger does not get it.
    const ledger = (await t.http.get(`/api/ledger/wishes/${id}`, tok('staff'))).body;
    expect(ledger.timeline.find((e: any) => e.type === 'complete').textCheck).toMatchObject({ result: 'review', label: '其他' });
    const city = (await t.http.get(`/api/ledger/wishes/${id}`, tok('city'))).body;
    expect(city.timeline.find((e: any) => e.type === 'complete').textCheck ?? null).toBeNull();

    const resident = (await t.http.get(`/api/wishes/${id}`, tok('resident'))).body;
    for (const e of resident.timeline) expect(e.textCheck ?? null).toBeNull();
    const payload = (await t.database.dataSource.query(`SELECT payload FROM wish_event WHERE wish_id = ? AND type = 'complete'`, [id]))[0].payload;
    expect(JSON.parse(typeof payload === 'string' ? payload : JSON.stringify(payload)).textCheck).toEqual({ result: 'review', label: 21000 });
  });

  it('does not keep the user waiting on a slow WeChat longer than WECHAT_TIMEOUT_MS: the note goes through unchecked', async () => {
    const id = await claimed();
    fake.secCheckReplies.push({ ...wxError(0, 'ok'), delayMs: 3000 });
    const started = Date.now();
    const done = await move(id, 'complete', 'member', { note: '灯已换新' });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(done.state).toBe('awaiting_confirmation');
    const staff = (await t.http.get(`/api/wishes/${id}`, tok('staff'))).body;
    expect(staff.timeline.find((e: any) => e.type === 'complete').textCheck).toMatchObject({ result: 'unchecked' });
  });

  it('asks WeChat nothing for someone who may not make the move', async () => {
    const id = await claimed();
    const calls = checks().length;
    const r = await t.http.post(`/api/wishes/${id}/complete`, { note: RISKY }, tok('memberB'));
    expect(r.status).toBe(404);
    expect(checks().length).toBe(calls);
  });
});

describe('text checks without WeChat configured', () => {
  let t: TestApp;
  let w: World;
  let fake: FakeWechat;
  beforeAll(async () => {
    // A fake WeChat that no configuration points at: it must hear nothing.
    fake = await FakeWechat.start();
    t = await createTestApp({}, { clock: new FakeClock(bj('2026-11-23T09:00').getTime()) });
    w = await buildWorld(t.database, t.clock.now());
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('lets the text through marked unchecked, like a wish’s text', async () => {
    const tok = (k: keyof World['users']) => t.tokenFor(w.users[k]);
    const sub = await t.http.post(
      '/api/wishes',
      { communityId: w.communityA, category: 'repair', title: '楼道灯坏了', description: '请帮忙修一下', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼501', forSelf: true },
      tok('resident'),
    );
    const id = sub.body.id;
    for (const [action, by, body] of [
      ['approve', 'staff', {}],
      ['claim', 'member', {}],
      ['complete', 'member', { note: RISKY }],
    ] as const) {
      t.clock.advance(60_000);
      const r = await t.http.post(`/api/wishes/${id}/${action}`, body, tok(by));
      expect([action, r.status]).toEqual([action, 200]);
    }
    const staff = (await t.http.get(`/api/wishes/${id}`, tok('staff'))).body;
    expect(staff.timeline.find((e: any) => e.type === 'complete').textCheck).toEqual({ result: 'unchecked', label: null, checkedAt: null });
    expect(fake.requests).toHaveLength(0);
  });
});
