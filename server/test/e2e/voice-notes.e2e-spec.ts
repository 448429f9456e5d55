import { MediaChecks } from '../../src/modules/photos/media-checks';
import { FakeWechat } from '../fakes/fake-wechat';
import { createTestApp, type TestApp } from '../create-test-app';
import { aacOfSeconds, m4aOfSeconds, mp3OfSeconds } from '../factories/audio';
import { TINY_JPEG } from '../factories/images';
import { buildWorld, type World } from '../factories/world';

// Issue 15, "Elderly first": a voice note of up to 60 s, recorded in WeChat, played by the claimant
// and staff — stored, checked and protected like photos.
describe('voice notes, over HTTP', () => {
  let t: TestApp;
  let w: World;
  let fake: FakeWechat;
  const tok = (k: keyof World['users']) => t.tokenFor(w.users[k]);
  const count = async (sql: string, params: unknown[] = []) => Number((await t.database.dataSource.query(sql, params))[0].n);

  async function send(path: string, by: keyof World['users'], bytes: Buffer, type = 'audio/mpeg', name = 'voice.mp3') {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type }), name);
    return t.http.request('POST', path, { token: tok(by), raw: form });
  }
  const wish = (over: Record<string, unknown> = {}) =>
    t.http.post('/api/wishes', { communityId: w.communityA, compoundId: w.compoundA, category: 'elderly_care', title: '想请人帮忙买药', description: '腿脚不便，下不了楼。', beneficiaryName: '王秀兰', beneficiaryPhone: '13812341234', address: '3号楼501', forSelf: true, ...over }, tok('resident'));

  beforeAll(async () => {
    fake = await FakeWechat.start({ appId: 'wx00112233aabbccdd', secret: 'voice-secret' });
    t = await createTestApp({ WECHAT_APPID: 'wx00112233aabbccdd', WECHAT_SECRET: 'voice-secret', WECHAT_API_BASE: fake.url, WECHAT_TIMEOUT_MS: '1000', WECHAT_PUSH_TOKEN: 'voicePushToken', PUBLIC_BASE_URL: 'http://127.0.0.1:9' });
    t.config.publicBaseUrl = t.baseUrl;
    // WeChat pushes its verdicts to the app's push endpoint, signed with the Token.
    fake.pushTarget = { url: `${t.baseUrl}/api/wechat/push`, token: 'voicePushToken', appId: 'wx00112233aabbccdd' };
    fake.pushClock = () => Math.floor(t.clock.now().getTime() / 1000);
    w = await buildWorld(t.database, t.clock.now());
  });
  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('uploads a recording, reads its length from the frames, attaches it to a wish, and serves it through a signed URL', async () => {
    const up = await send('/api/voice-notes', 'resident', mp3OfSeconds(12));
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ mime: 'audio/mpeg', size: mp3OfSeconds(12).length });
    expect(up.body.durationMs).toBeGreaterThan(11_900);
    expect(up.body.durationMs).toBeLessThan(12_100);
    // WeChat is asked to check it as audio (media_type 1).
    await t.app.get(MediaChecks).settled();
    await fake.idle();
    expect(fake.mediaChecks.map((c) => c.mediaType)).toEqual([1]);

    const s = await wish({ voiceNoteId: up.body.id });
    expect(s.status).toBe(201);
    // Its uploader reads the check's state, as for photos.
    expect(s.body.voiceNote).toMatchObject({ checkState: 'passed', id: up.body.id, mime: 'audio/mpeg', durationMs: up.body.durationMs, url: expect.stringMatching(/^\/api\/photos\/[0-9a-f-]{36}\/content\?exp=\d+&sig=[0-9a-f]{64}$/) });
    expect(s.body.photos).toEqual([]);
    const served = await fetch(t.baseUrl + s.body.voiceNote.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('audio/mpeg');
    expect(Buffer.from(await served.arrayBuffer()).equals(mp3OfSeconds(12))).toBe(true);
    // A voice note is used once.
    expect((await wish({ voiceNoteId: up.body.id })).body.code).toBe('PHOTO_ALREADY_USED');
  });

  it('takes AAC and M4A from the recorder too', async () => {
    const aac = await send('/api/voice-notes', 'resident', aacOfSeconds(20), 'audio/aac', 'voice.aac');
    expect([aac.status, aac.body.mime, aac.body.durationMs]).toEqual([201, 'audio/aac', 20_032]);
    const m4a = await send('/api/voice-notes', 'resident', m4aOfSeconds(59.5), 'audio/mp4', 'voice.m4a');
    expect([m4a.status, m4a.body.mime, m4a.body.durationMs]).toEqual([201, 'audio/mp4', 59_500]);
  });

  it('refuses a recording longer than 60 s, one that is not audio, one too large — and stores nothing', async () => {
    const before = await count('SELECT COUNT(*) AS n FROM photo');
    const long = await send('/api/voice-notes', 'resident', mp3OfSeconds(63));
    expect([long.status, long.body.code]).toEqual([400, 'VOICE_NOTE_TOO_LONG']);
    // Whatever the client calls it: the bytes decide.
    const image = await send('/api/voice-notes', 'resident', TINY_JPEG, 'audio/mpeg', 'voice.mp3');
    expect([image.status, image.body.code]).toEqual([415, 'PHOTO_TYPE_UNSUPPORTED']);
    const big = await send('/api/voice-notes', 'resident', Buffer.concat([mp3OfSeconds(30), Buffer.alloc(2 * 1024 * 1024)]));
    expect([big.status, big.body.code]).toEqual([413, 'PHOTO_TOO_LARGE']);
    expect(await count('SELECT COUNT(*) AS n FROM photo')).toBe(before);
  });

  it('a photo is no voice note and a voice note no photo; someone else\'s voice note is not found', async () => {
    const form = new FormData();
    form.append('file', new Blob([TINY_JPEG], { type: 'image/jpeg' }), 'p.jpg');
    const photo = (await t.http.request('POST', '/api/photos', { token: tok('resident'), raw: form })).body;
    const voice = (await send('/api/voice-notes', 'resident', mp3OfSeconds(5))).body;
    const theirs = (await send('/api/voice-notes', 'resident2', mp3OfSeconds(5))).body;
    expect((await wish({ voiceNoteId: photo.id })).body.code).toBe('PHOTO_NOT_FOUND');
    expect((await wish({ photoIds: [voice.id] })).body.code).toBe('PHOTO_NOT_FOUND');
    expect((await wish({ voiceNoteId: theirs.id })).body.code).toBe('PHOTO_NOT_FOUND');
    expect((await wish({ voiceNoteId: 'not-a-uuid' })).status).toBe(400);
  });

  it('is read by those who read the photos: staff and a member on an ordinary wish; on a sensitive wish its submitter and staff, not members', async () => {
    const ordinaryVoice = (await send('/api/voice-notes', 'resident', mp3OfSeconds(8))).body;
    const ordinary = (await wish({ voiceNoteId: ordinaryVoice.id })).body.id;
    expect((await t.http.post(`/api/wishes/${ordinary}/approve`, {}, tok('staff'))).status).toBe(200);
    // WeChat passes it (the fake's default verdict), so every reader of the photos hears it.
    await t.app.get(MediaChecks).settled();
    await fake.idle();
    expect((await t.http.get(`/api/wishes/${ordinary}`, tok('staff'))).body.voiceNote?.id).toBe(ordinaryVoice.id);
    expect((await t.http.get(`/api/wishes/${ordinary}`, tok('member'))).body.voiceNote?.id).toBe(ordinaryVoice.id);

    const sensitiveVoice = (await send('/api/voice-notes', 'resident', mp3OfSeconds(8))).body;
    const sensitive = (await wish({ category: 'health', title: '需要陪同透析', sensitiveConsent: true, voiceNoteId: sensitiveVoice.id })).body.id;
    expect((await t.http.post(`/api/wishes/${sensitive}/approve`, {}, tok('staff'))).status).toBe(200);
    await t.app.get(MediaChecks).settled();
    await fake.idle();
    expect((await t.http.get(`/api/wishes/${sensitive}`, tok('resident'))).body.voiceNote?.id).toBe(sensitiveVoice.id);
    expect((await t.http.get(`/api/wishes/${sensitive}`, tok('staff'))).body.voiceNote?.id).toBe(sensitiveVoice.id);
    // A sensitive wish never reaches the wall: a member who does not hold it cannot read it at all.
    expect((await t.http.get(`/api/wishes/${sensitive}`, tok('member'))).status).toBe(404);
    // And its recording is not in any list a member reads.
    expect(JSON.stringify((await t.http.get('/api/wishes/wall?limit=50', tok('member'))).body)).not.toContain(sensitiveVoice.id);
  });
});
