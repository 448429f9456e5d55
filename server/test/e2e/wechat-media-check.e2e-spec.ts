// WeChat's asynchronous media check of photos (mediaCheckAsync v2) and the message-push
// endpoint that receives its results (issue 14), against the fake WeChat server, which
// fetches the photo from the URL it is given and pushes the verdict back, signed.
import { MediaChecks } from '../../src/modules/photos/media-checks';
import { FakeWechat, wxError } from '../fakes/fake-wechat';
import { createTestApp, type TestApp } from '../create-test-app';
import { solidJpeg } from '../factories/images';
import { buildWorld, type World } from '../factories/world';

const APPID = 'wx00112233aabbccdd';
const TOKEN = 'xinyuanPushToken';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const jpeg = (fill: number) => solidJpeg(`#${fill.toString(16).padStart(2, '0').repeat(3)}`);

interface Ctx {
  t: TestApp;
  w: World;
  fake: FakeWechat;
}

async function start(extra: Record<string, string> = {}): Promise<Ctx> {
  const fake = await FakeWechat.start({ appId: APPID, secret: 'media-secret' });
  const t = await createTestApp({
    WECHAT_APPID: APPID,
    WECHAT_SECRET: 'media-secret',
    WECHAT_API_BASE: fake.url,
    WECHAT_TIMEOUT_MS: '1000',
    WECHAT_PUSH_TOKEN: TOKEN,
    // The real port is known only once the app listens: set below.
    PUBLIC_BASE_URL: 'http://127.0.0.1:9',
    ...extra,
  });
  t.config.publicBaseUrl = t.baseUrl;
  fake.pushClock = () => Math.floor(t.clock.now().getTime() / 1000);
  const w = await buildWorld(t.database, t.clock.now());
  return { t, w, fake };
}

describe('media checks of photos', () => {
  let c: Ctx;
  let checks: MediaChecks;
  const tok = (k: keyof World['users']) => c.t.tokenFor(c.w.users[k]);
  const target = () => ({ url: `${c.t.baseUrl}/api/wechat/push`, token: TOKEN, appId: APPID });
  const row = async (id: string) => (await c.t.database.dataSource.query('SELECT check_state, check_trace_id, check_label, check_attempts, checked_at, wish_id FROM photo WHERE id = ?', [id]))[0];

  async function upload(by: keyof World['users'], fill: number): Promise<{ id: string; url: string }> {
    const form = new FormData();
    form.append('file', new Blob([await jpeg(fill)], { type: 'image/jpeg' }), 'photo.jpg');
    const r = await c.t.http.request('POST', '/api/photos', { token: tok(by), raw: form });
    expect(r.status).toBe(201);
    return r.body;
  }
  /** Waits for the app's submission and the fake's fetch (and push, when there is a target). */
  async function settle() {
    await checks.settled();
    await c.fake.idle();
  }
  async function wish(photoIds: string[]): Promise<number> {
    c.t.clock.advance(60_000);
    const r = await c.t.http.post(
      '/api/wishes',
      { communityId: c.w.communityA, compoundId: c.w.compoundA, category: 'repair', title: '窗户玻璃裂了', description: '卧室窗户玻璃有裂缝', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼501', forSelf: true, photoIds },
      tok('resident'),
    );
    expect(r.status).toBe(201);
    return r.body.id;
  }
  async function move(id: number, action: string, by: keyof World['users'], body: Record<string, unknown> = {}) {
    c.t.clock.advance(60_000);
    const r = await c.t.http.post(`/api/wishes/${id}/${action}`, body, tok(by));
    expect([action, r.status, r.body?.code]).toEqual([action, 200, undefined]);
    return r.body;
  }
  const read = async (id: number, by: keyof World['users']) => (await c.t.http.get(`/api/wishes/${id}`, tok(by))).body;
  const wallCount = async (id: number) => ((await c.t.http.get(`/api/wishes/wall?communityId=${c.w.communityA}&limit=50`, tok('member'))).body.items as any[]).find((i) => i.id === id)?.photoCount;

  beforeAll(async () => {
    c = await start();
    checks = c.t.app.get(MediaChecks);
  });
  afterAll(async () => {
    await c?.t.close();
    await c?.fake.close();
  });
  beforeEach(() => {
    c.fake.pushTarget = null;
    c.fake.pushWrongSignature = false;
  });

  it('sends an upload to WeChat with a URL WeChat can fetch; pending, it is shown to its uploader and staff only; passed, to the wall', async () => {
    const photo = await upload('resident', 0x30);
    const id = await wish([photo.id]);
    await move(id, 'approve', 'staff');
    await settle();

    const check = c.fake.mediaChecks.at(-1)!;
    expect(check.request.body).toEqual({ media_url: expect.stringMatching(new RegExp(`^${c.t.baseUrl}/api/photos/${photo.id}/content\\?exp=\\d+&sig=[0-9a-f]{64}$`)), media_type: 2, version: 2, scene: 3, openid: 't-resident' });
    expect(check.request.query.access_token).toMatch(/^tok-\d+$/);
    // The fake fetched the photo from that URL: a JPEG.
    expect(check.fetch).toMatchObject({ status: 200, contentType: 'image/jpeg', jpeg: true });
    expect(await row(photo.id)).toMatchObject({ check_state: 'pending', check_trace_id: check.traceId });

    // Pending: its uploader and the community's staff see it, marked; a member on the wall does not.
    expect((await read(id, 'resident')).photos).toEqual([expect.objectContaining({ id: photo.id, checkState: 'pending' })]);
    expect((await read(id, 'staff')).photos).toEqual([expect.objectContaining({ id: photo.id, checkState: 'pending' })]);
    const member = await read(id, 'member');
    expect(member.photos).toEqual([]);
    expect(member.photoCount).toBe(0);
    expect(await wallCount(id)).toBe(0);

    c.fake.pushTarget = target();
    const [pushed] = await c.fake.pushHeld();
    expect(pushed.push).toMatchObject({ status: 200, body: 'success' });
    expect(await row(photo.id)).toMatchObject({ check_state: 'passed', check_label: null });
    const after = await read(id, 'member');
    expect(after.photos).toEqual([{ id: photo.id, mime: 'image/jpeg', size: expect.any(Number), url: expect.any(String) }]);
    expect(await wallCount(id)).toBe(1);
    expect((await read(id, 'resident')).photos[0].checkState).toBe('passed');

    // The same push again: accepted, nothing changes.
    const before = await row(photo.id);
    const again = await c.fake.pushTo(target(), c.fake.resultMessage(pushed, { suggest: 'risky', label: 20002 }, APPID));
    expect(again).toMatchObject({ status: 200, body: 'success' });
    expect(await row(photo.id)).toEqual(before);
  });

  it('hides a proof photo that fails from everyone, keeps it for the record, and tells the uploader in the inbox', async () => {
    const id = await wish([]);
    await move(id, 'approve', 'staff');
    await move(id, 'claim', 'member');
    const proof = await upload('member', 0x60);
    c.fake.mediaVerdicts.push({ suggest: 'risky', label: 20002 });
    await move(id, 'complete', 'member', { note: '已更换玻璃', photoIds: [proof.id] });
    await settle();
    // Pending: the member who uploaded it sees it; the resident does not yet.
    expect((await read(id, 'member')).proof.photos).toEqual([expect.objectContaining({ id: proof.id, checkState: 'pending' })]);
    expect((await read(id, 'resident')).proof.photos).toEqual([]);
    const pendingUrl = (await read(id, 'member')).proof.photos[0].url;

    c.fake.pushTarget = target();
    await c.fake.pushHeld();
    expect(await row(proof.id)).toMatchObject({ check_state: 'failed', check_label: 20002, wish_id: id });
    for (const by of ['member', 'resident', 'staff'] as const) expect([by, (await read(id, by)).proof.photos]).toEqual([by, []]);
    // A URL handed out while it was pending serves nothing now.
    expect((await fetch(c.t.baseUrl + pendingUrl)).status).toBe(404);

    const inbox = (await c.t.http.get('/api/me/messages', tok('member'))).body.items as any[];
    expect(inbox[0]).toMatchObject({ kind: 'photo_rejected', title: '照片未通过内容安全检测', wishId: id });
    expect(inbox[0].body).toContain('未通过微信内容安全检测');
    // Once only, however often WeChat repeats itself.
    await c.fake.pushTo(target(), c.fake.resultMessage(c.fake.mediaChecks.at(-1)!, { suggest: 'risky', label: 20002 }, APPID));
    expect(((await c.t.http.get('/api/me/messages', tok('member'))).body.items as any[]).filter((m) => m.kind === 'photo_rejected')).toHaveLength(1);
  });

  it('refuses a failed upload in a wish, and shows a photo WeChat sends to review', async () => {
    c.fake.pushTarget = target();
    c.fake.mediaVerdicts.push({ suggest: 'risky', label: 20001 }, { suggest: 'review', label: 21000 });
    const bad = await upload('resident', 0x70);
    const doubtful = await upload('resident', 0x71);
    await settle();
    expect((await row(bad.id)).check_state).toBe('failed');
    expect((await row(doubtful.id)).check_state).toBe('review');
    const r = await c.t.http.post(
      '/api/wishes',
      { communityId: c.w.communityA, category: 'repair', title: '窗户', description: '玻璃裂了', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼501', forSelf: true, photoIds: [bad.id] },
      tok('resident'),
    );
    expect([r.status, r.body.code]).toEqual([400, 'PHOTO_REJECTED']);
    expect(Number((await c.t.database.dataSource.query('SELECT COUNT(*) AS n FROM photo WHERE id = ? AND wish_id IS NULL', [bad.id]))[0].n)).toBe(1);
    const id = await wish([doubtful.id]);
    await move(id, 'approve', 'staff');
    expect((await read(id, 'member')).photos.map((p: any) => p.id)).toEqual([doubtful.id]);
    expect((await read(id, 'staff')).photos[0].checkState).toBe('review');
  });

  it('refuses a push with a wrong or missing signature, changing nothing', async () => {
    const photo = await upload('resident', 0x80);
    await settle();
    const record = c.fake.mediaChecks.at(-1)!;
    c.fake.pushTarget = target();
    c.fake.pushWrongSignature = true;
    record.held!.wrongSignature = true;
    const [pushed] = await c.fake.pushHeld();
    expect(pushed.push!.status).toBe(401);
    expect(JSON.parse(pushed.push!.body)).toMatchObject({ code: 'WECHAT_PUSH_SIGNATURE_INVALID' });
    expect((await row(photo.id)).check_state).toBe('pending');

    const msg = c.fake.resultMessage(record, { suggest: 'pass', label: 100 }, APPID);
    const bare = await fetch(`${c.t.baseUrl}/api/wechat/push`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(msg) });
    expect(bare.status).toBe(401);
    expect(((await bare.json()) as { code: string }).code).toBe('WECHAT_PUSH_SIGNATURE_INVALID');
    // A correct signature on a stale timestamp (a replay an hour later) is refused too.
    const clock = c.fake.pushClock;
    c.fake.pushClock = () => clock() - 3600;
    expect((await c.fake.pushTo(target(), msg)).status).toBe(401);
    c.fake.pushClock = clock;
    expect((await row(photo.id)).check_state).toBe('pending');

    // Signed properly, it counts.
    expect(await c.fake.pushTo(target(), msg)).toMatchObject({ status: 200, body: 'success' });
    expect((await row(photo.id)).check_state).toBe('passed');
    // An unknown trace id is accepted and ignored.
    expect(await c.fake.pushTo(target(), c.fake.resultMessage({ traceId: 'trace-nobody', openid: 'x' }, { suggest: 'risky', label: 20002 }, APPID))).toMatchObject({ status: 200, body: 'success' });
  });

  it('answers the console’s URL check only with a good signature', async () => {
    const ts = String(Math.floor(c.t.clock.now().getTime() / 1000));
    const { createHash } = await import('node:crypto');
    const sig = createHash('sha1').update([TOKEN, ts, 'n123'].sort().join('')).digest('hex');
    const ok = await fetch(`${c.t.baseUrl}/api/wechat/push?signature=${sig}&timestamp=${ts}&nonce=n123&echostr=hello-wechat`);
    expect([ok.status, await ok.text()]).toEqual([200, 'hello-wechat']);
    const bad = await fetch(`${c.t.baseUrl}/api/wechat/push?signature=${'0'.repeat(40)}&timestamp=${ts}&nonce=n123&echostr=hello-wechat`);
    expect(bad.status).toBe(401);
    expect(await bad.text()).not.toContain('hello-wechat');
  });

  it('keeps a photo pending while WeChat is down, and the job sends it later', async () => {
    c.fake.pushTarget = target();
    c.fake.mediaCheckReplies.push({ hangUp: true });
    const photo = await upload('resident', 0x90);
    await settle();
    expect(await row(photo.id)).toMatchObject({ check_state: 'pending', check_trace_id: null, check_attempts: 1 });
    // Not due again before its pause (1 minute).
    expect(await checks.runOnce()).toEqual({ submitted: 0, failed: 0, gaveUp: 0 });
    c.t.clock.advance(61_000);
    c.fake.mediaCheckReplies.push(wxError(-1, 'system error'));
    expect(await checks.runOnce()).toEqual({ submitted: 0, failed: 1, gaveUp: 0 });
    expect((await row(photo.id)).check_attempts).toBe(2);
    c.t.clock.advance(121_000);
    expect(await checks.runOnce()).toEqual({ submitted: 1, failed: 0, gaveUp: 0 });
    await settle();
    expect(await row(photo.id)).toMatchObject({ check_state: 'passed', check_attempts: 3 });
  });

  it('sends again when no result comes, gives up after a day (shown, unchecked), and a late verdict still counts', async () => {
    const photo = await upload('resident', 0xa0);
    await settle();
    const first = c.fake.mediaChecks.at(-1)!;
    first.held = undefined; // WeChat never answers this one.
    c.t.clock.advance(61 * 60_000);
    expect((await checks.runOnce()).submitted).toBe(1);
    await settle();
    const second = c.fake.mediaChecks.at(-1)!;
    expect(second.traceId).not.toBe(first.traceId);
    second.held = undefined;
    expect((await row(photo.id)).check_trace_id).toBe(second.traceId);

    c.t.clock.advance(24 * 3600_000);
    expect((await checks.runOnce()).gaveUp).toBe(1);
    expect((await row(photo.id)).check_state).toBe('unchecked');
    const id = await wish([photo.id]);
    await move(id, 'approve', 'staff');
    expect((await read(id, 'member')).photos.map((p: any) => p.id)).toEqual([photo.id]);

    c.fake.pushTarget = target();
    await c.fake.pushTo(target(), c.fake.resultMessage(second, { suggest: 'risky', label: 20006 }, APPID));
    expect((await row(photo.id)).check_state).toBe('failed');
    expect((await read(id, 'member')).photos).toEqual([]);
  });
});

describe('media checks in safe mode (encrypted pushes)', () => {
  let c: Ctx;
  beforeAll(async () => {
    c = await start({ WECHAT_PUSH_AES_KEY: AES_KEY });
  });
  afterAll(async () => {
    await c?.t.close();
    await c?.fake.close();
  });

  it('opens an encrypted push signed with msg_signature, and refuses a plain one', async () => {
    const tok = c.t.tokenFor(c.w.users.resident);
    const form = new FormData();
    form.append('file', new Blob([await jpeg(0x40)], { type: 'image/jpeg' }), 'photo.jpg');
    const photo = (await c.t.http.request('POST', '/api/photos', { token: tok, raw: form })).body;
    await c.t.app.get(MediaChecks).settled();
    await c.fake.idle();
    const record = c.fake.mediaChecks.at(-1)!;
    const state = async () => (await c.t.database.dataSource.query('SELECT check_state FROM photo WHERE id = ?', [photo.id]))[0].check_state;

    const plain = await c.fake.pushTo({ url: `${c.t.baseUrl}/api/wechat/push`, token: TOKEN, appId: APPID }, c.fake.resultMessage(record, { suggest: 'pass', label: 100 }, APPID));
    expect(plain.status).toBe(401);
    expect(await state()).toBe('pending');
    // Encrypted for another app: refused.
    const other = await c.fake.pushTo({ url: `${c.t.baseUrl}/api/wechat/push`, token: TOKEN, aesKey: AES_KEY, appId: 'wxffffffffffffffff' }, c.fake.resultMessage(record, { suggest: 'pass', label: 100 }, APPID));
    expect(other.status).toBe(400);
    expect(await state()).toBe('pending');

    c.fake.pushTarget = { url: `${c.t.baseUrl}/api/wechat/push`, token: TOKEN, aesKey: AES_KEY, appId: APPID };
    const [pushed] = await c.fake.pushHeld();
    expect((pushed.push!.sent as any).Encrypt).toEqual(expect.any(String));
    expect(pushed.push).toMatchObject({ status: 200, body: 'success' });
    expect(await state()).toBe('passed');
  });
});

describe('POST /api/me/phone', () => {
  let c: Ctx;
  const post = (body: unknown, token: string | undefined = c.t.tokenFor(c.w.users.resident)) => c.t.http.post('/api/me/phone', body, token);
  beforeAll(async () => {
    c = await start();
  });
  afterAll(async () => {
    await c?.t.close();
    await c?.fake.close();
  });

  it('answers the caller’s own number from the button’s code, and stores nothing', async () => {
    const r = await post({ code: 'phone-13912345678' });
    expect([r.status, r.body]).toEqual([200, { phone: '13912345678' }]);
    const call = c.fake.requestsTo('/wxa/business/getuserphonenumber').at(-1)!;
    expect(call.body).toEqual({ code: 'phone-13912345678' });
    expect(call.query.access_token).toMatch(/^tok-\d+$/);
    expect((await post({ code: 'phone-hk-61234567' })).body).toEqual({ phone: '+85261234567' });
    const stored = await c.t.database.dataSource.query('SELECT phone FROM app_user WHERE id = ?', [c.w.users.resident]);
    expect(stored[0].phone ?? null).toBeNull();
  });

  it('maps WeChat’s refusals to stable codes', async () => {
    expect([(await post({ code: 'phone-13912345679' })).status]).toEqual([200]);
    const used = await post({ code: 'phone-13912345679' });
    expect([used.status, used.body.code]).toEqual([400, 'PHONE_CODE_INVALID']);
    const bad = await post({ code: 'nonsense' });
    expect([bad.status, bad.body.code]).toEqual([400, 'PHONE_CODE_INVALID']);
    c.fake.phoneReplies.push(wxError(45011, 'api minute-quota reach limit'));
    const limited = await post({ code: 'phone-13900000001' });
    expect([limited.status, limited.body.code]).toEqual([429, 'WECHAT_RATE_LIMITED']);
    c.fake.phoneReplies.push(wxError(-1, 'system error'));
    const busy = await post({ code: 'phone-13900000002' });
    expect([busy.status, busy.body.code]).toEqual([503, 'WECHAT_UNAVAILABLE']);
    c.fake.phoneReplies.push({ hangUp: true });
    expect((await post({ code: 'phone-13900000003' })).body.code).toBe('WECHAT_UNAVAILABLE');
    c.fake.phoneReplies.push({ json: { errcode: 0, errmsg: 'ok' } });
    expect((await post({ code: 'phone-13900000004' })).body.code).toBe('WECHAT_UNAVAILABLE');
    // A token WeChat refuses is refreshed once.
    c.fake.expireTokens();
    expect((await post({ code: 'phone-13900000005' })).body).toEqual({ phone: '13900000005' });
  });

  it('refuses without a login or a code', async () => {
    expect((await c.t.http.post('/api/me/phone', { code: 'phone-13912345600' })).status).toBe(401);
    const none = await post({});
    expect([none.status, none.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const spaced = await post({ code: 'has space' });
    expect([spaced.status, spaced.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});

describe('POST /api/me/phone without WeChat, and its rate limit', () => {
  it('is 503 when WeChat is not configured, and limited like login', async () => {
    const t = await createTestApp({ RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_LOGIN_PER_MIN: '2' });
    try {
      const w = await buildWorld(t.database, t.clock.now());
      const tok = t.tokenFor(w.users.resident);
      const a = await t.http.post('/api/me/phone', { code: 'phone-13912345678' }, tok);
      expect([a.status, a.body.code]).toEqual([503, 'WECHAT_UNAVAILABLE']);
      await t.http.post('/api/me/phone', { code: 'phone-13912345678' }, tok);
      const third = await t.http.post('/api/me/phone', { code: 'phone-13912345678' }, tok);
      expect([third.status, third.body.code]).toEqual([429, 'RATE_LIMITED']);
    } finally {
      await t.close();
    }
  });
});
