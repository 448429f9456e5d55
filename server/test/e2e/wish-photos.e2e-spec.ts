import sharp from 'sharp';
import { OrphanPhotosSweeper } from '../../src/modules/photos/jobs/orphan-photos.sweeper';
import { createTestApp, type TestApp } from '../create-test-app';
import { solidJpeg } from '../factories/images';
import { buildWorld, type World } from '../factories/world';

/** A small real JPEG of one grey level, so each test's photos can be told apart once re-encoded. */
const jpeg = (fill: number) => solidJpeg(`#${fill.toString(16).padStart(2, '0').repeat(3)}`);
/** The mean grey level of a served photo. */
const greyOf = async (data: Buffer) => Math.round((await sharp(data).stats()).channels[0].mean);

describe('photos on a wish and on its proof, over HTTP', () => {
  let t: TestApp;
  let w: World;
  const tok = (k: keyof World['users']) => t.tokenFor(w.users[k]);
  const count = async (sql: string, params: unknown[] = []) => Number((await t.database.dataSource.query(sql, params))[0].n);
  const photoRow = async (id: string) => (await t.database.dataSource.query('SELECT owner_id, wish_id, purpose FROM photo WHERE id = ?', [id]))[0];

  const submitBody = (over: Record<string, unknown> = {}) => ({
    communityId: w.communityA,
    compoundId: w.compoundA,
    category: 'repair',
    title: '窗户玻璃裂了',
    description: '卧室窗户玻璃有裂缝，冬天漏风。',
    beneficiaryName: '王秀兰',
    beneficiaryPhone: '13812341234',
    address: '3号楼2单元501',
    // For oneself unless the test names someone who consented.
    forSelf: over.consentMethod === undefined ? true : undefined,
    ...over,
  });

  async function upload(token: string, picture: Buffer | Promise<Buffer>): Promise<{ id: string; url: string; mime: string; size: number }> {
    const form = new FormData();
    form.append('file', new Blob([await picture], { type: 'image/jpeg' }), 'photo.jpg');
    const r = await t.http.request('POST', '/api/photos', { token, raw: form });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ mime: 'image/jpeg', size: expect.any(Number) });
    return r.body;
  }

  async function bytesAt(url: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
    const res = await fetch(t.baseUrl + url);
    return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
  }

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildWorld(t.database, t.clock.now());
  });
  afterAll(() => t.close());

  it('carries a photo from upload to the wish, and a proof photo from the member to the resident', async () => {
    const photo = await upload(tok('resident'), jpeg(0x11));
    expect((await photoRow(photo.id)).wish_id).toBeNull();

    const s = await t.http.post('/api/wishes', submitBody({ photoIds: [photo.id] }), tok('resident'));
    expect(s.status).toBe(201);
    const id: number = s.body.id;
    // The uploader reads the media check's state (unchecked: WeChat is not configured here).
    expect(s.body.photos).toEqual([{ id: photo.id, mime: 'image/jpeg', size: photo.size, checkState: 'unchecked', url: expect.stringMatching(new RegExp(`^/api/photos/${photo.id}/content\\?exp=\\d+&sig=[0-9a-f]{64}$`)) }]);
    expect(s.body.photoCount).toBe(1);
    const row = await photoRow(photo.id);
    expect([Number(row.owner_id), Number(row.wish_id), row.purpose]).toEqual([w.users.resident, id, 'wish']);

    const detail = (await t.http.get(`/api/wishes/${id}`, tok('resident'))).body;
    expect(detail.photos.map((p: any) => p.id)).toEqual([photo.id]);
    const served = await bytesAt(detail.photos[0].url);
    expect(served.status).toBe(200);
    expect(served.type).toBe('image/jpeg');
    expect(served.bytes.length).toBe(photo.size);
    expect(await greyOf(served.bytes)).toBeCloseTo(0x11, -1);

    // Approved, it shows on the wall with its photo count; a member sees the photo too.
    expect((await t.http.post(`/api/wishes/${id}/approve`, {}, tok('staff'))).status).toBe(200);
    const wall = (await t.http.get('/api/wishes/wall?limit=50', tok('member'))).body;
    expect(wall.items.find((x: any) => x.id === id)).toMatchObject({ photoCount: 1 });
    expect((await t.http.get(`/api/wishes/${id}`, tok('member'))).body.photos.map((p: any) => p.id)).toEqual([photo.id]);

    const claim = await t.http.post(`/api/wishes/${id}/claim`, {}, tok('member'));
    expect(claim.status).toBe(200);
    expect(claim.body.proof).toBeNull();

    const proof = await upload(tok('member'), jpeg(0x22));
    const done = await t.http.post(`/api/wishes/${id}/complete`, { note: '已更换玻璃', photoIds: [proof.id] }, tok('member'));
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ state: 'awaiting_confirmation', proof: { note: '已更换玻璃', photos: [{ id: proof.id, mime: 'image/jpeg', size: proof.size }] } });
    // The wish's own photos are not mixed with the proof.
    expect(done.body.photos.map((p: any) => p.id)).toEqual([photo.id]);
    const proofRow = await photoRow(proof.id);
    expect([Number(proofRow.owner_id), Number(proofRow.wish_id), proofRow.purpose]).toEqual([w.users.member, id, 'proof']);

    // The resident sees the proof photo, and it serves the member's bytes.
    const seen = (await t.http.get(`/api/wishes/${id}`, tok('resident'))).body;
    expect(seen.proof.photos.map((p: any) => p.id)).toEqual([proof.id]);
    const proofServed = await bytesAt(seen.proof.photos[0].url);
    expect(proofServed.status).toBe(200);
    expect(proofServed.bytes.length).toBe(proof.size);
    expect(await greyOf(proofServed.bytes)).toBeCloseTo(0x22, -1);

    const ok = await t.http.post(`/api/wishes/${id}/confirm`, { rating: 'satisfied', comment: '修得很好' }, tok('resident'));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ state: 'resolved', rating: 'satisfied', proof: { photos: [{ id: proof.id }] }, photos: [{ id: photo.id }] });
    expect(ok.body.timeline.map((e: any) => e.type)).toEqual(['submit', 'approve', 'claim', 'complete', 'confirm']);
  });

  it('refuses a photo already given to another wish with 409 PHOTO_ALREADY_USED, storing no second wish', async () => {
    const photo = await upload(tok('resident'), jpeg(0x33));
    const first = await t.http.post('/api/wishes', submitBody({ photoIds: [photo.id] }), tok('resident'));
    expect(first.status).toBe(201);
    const wishes = await count('SELECT COUNT(*) AS n FROM wish');
    const events = await count('SELECT COUNT(*) AS n FROM wish_event');

    const second = await t.http.post('/api/wishes', submitBody({ title: '再报一次', photoIds: [photo.id] }), tok('resident'));
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('PHOTO_ALREADY_USED');
    // With a fresh photo beside it, still refused as a whole.
    const fresh = await upload(tok('resident'), jpeg(0x34));
    const mixed = await t.http.post('/api/wishes', submitBody({ title: '再报一次', photoIds: [fresh.id, photo.id] }), tok('resident'));
    expect(mixed.status).toBe(409);
    expect(mixed.body.code).toBe('PHOTO_ALREADY_USED');

    expect(await count('SELECT COUNT(*) AS n FROM wish')).toBe(wishes);
    expect(await count('SELECT COUNT(*) AS n FROM wish_event')).toBe(events);
    expect(Number((await photoRow(photo.id)).wish_id)).toBe(first.body.id);
    expect((await photoRow(fresh.id)).wish_id).toBeNull();
    expect((await t.http.get('/api/wishes/mine?limit=50', tok('resident'))).body.items.filter((x: any) => x.title === '再报一次')).toEqual([]);
  });

  it('lets exactly one of several simultaneous wishes take a photo', async () => {
    const photo = await upload(tok('resident'), jpeg(0x3a));
    const wishes = await count('SELECT COUNT(*) AS n FROM wish');
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => t.http.post('/api/wishes', submitBody({ title: `抢同一张照片${i}`, photoIds: [photo.id] }), tok('resident'))));
    const wins = results.filter((r) => r.status === 201);
    expect(wins).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) expect([r.status, r.body.code]).toEqual([409, 'PHOTO_ALREADY_USED']);
    expect(await count('SELECT COUNT(*) AS n FROM wish')).toBe(wishes + 1);
    expect(await count(`SELECT COUNT(*) AS n FROM wish WHERE title LIKE ?`, ['抢同一张照片%'])).toBe(1);
    expect(Number((await photoRow(photo.id)).wish_id)).toBe(wins[0].body.id);
  });

  it("refuses another user's photo with 400 PHOTO_NOT_FOUND, storing nothing", async () => {
    const theirs = await upload(tok('resident2'), jpeg(0x44));
    const wishes = await count('SELECT COUNT(*) AS n FROM wish');
    const events = await count('SELECT COUNT(*) AS n FROM wish_event');

    const r = await t.http.post('/api/wishes', submitBody({ title: '借用别人的照片', photoIds: [theirs.id] }), tok('resident'));
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('PHOTO_NOT_FOUND');
    // An id nobody uploaded is the same answer.
    const unknown = await t.http.post('/api/wishes', submitBody({ title: '借用别人的照片', photoIds: ['0b7c4f5e-9d2a-4c1e-8f3b-2a6d9e1c7b40'] }), tok('resident'));
    expect([unknown.status, unknown.body.code]).toEqual([400, 'PHOTO_NOT_FOUND']);

    expect(await count('SELECT COUNT(*) AS n FROM wish')).toBe(wishes);
    expect(await count('SELECT COUNT(*) AS n FROM wish_event')).toBe(events);
    expect((await photoRow(theirs.id)).wish_id).toBeNull();
    // The owner can still use it.
    const own = await t.http.post('/api/wishes', submitBody({ photoIds: [theirs.id] }), tok('resident2'));
    expect(own.status).toBe(201);
    expect(own.body.photos.map((p: any) => p.id)).toEqual([theirs.id]);
  });

  it('refuses a proof photo the member does not own, or one already used, and the wish stays claimed', async () => {
    const s = await t.http.post('/api/wishes', submitBody({ title: '门锁坏了' }), tok('resident'));
    const id: number = s.body.id;
    await t.http.post(`/api/wishes/${id}/approve`, {}, tok('staff'));
    expect((await t.http.post(`/api/wishes/${id}/claim`, {}, tok('member'))).status).toBe(200);
    const events = await count('SELECT COUNT(*) AS n FROM wish_event WHERE wish_id = ?', [id]);

    const residents = await upload(tok('resident'), jpeg(0x55));
    const notMine = await t.http.post(`/api/wishes/${id}/complete`, { note: '修好了', photoIds: [residents.id] }, tok('member'));
    expect([notMine.status, notMine.body.code]).toEqual([400, 'PHOTO_NOT_FOUND']);

    const used = await upload(tok('member'), jpeg(0x56));
    // Given first to the proof of another wish the member holds.
    const own = await t.http.post('/api/wishes', submitBody({ title: '第三个心愿' }), tok('resident'));
    await t.http.post(`/api/wishes/${own.body.id}/approve`, {}, tok('staff'));
    await t.http.post(`/api/wishes/${own.body.id}/claim`, {}, tok('member'));
    expect((await t.http.post(`/api/wishes/${own.body.id}/complete`, { note: '完成', photoIds: [used.id] }, tok('member'))).status).toBe(200);
    const again = await t.http.post(`/api/wishes/${id}/complete`, { note: '修好了', photoIds: [used.id] }, tok('member'));
    expect([again.status, again.body.code]).toEqual([409, 'PHOTO_ALREADY_USED']);

    const d = (await t.http.get(`/api/wishes/${id}`, tok('member'))).body;
    expect(d).toMatchObject({ state: 'claimed', proof: null });
    expect(await count('SELECT COUNT(*) AS n FROM wish_event WHERE wish_id = ?', [id])).toBe(events);
    expect((await photoRow(residents.id)).wish_id).toBeNull();
    expect(Number((await photoRow(used.id)).wish_id)).toBe(own.body.id);
  });

  it('keeps the photos wishes took when unattached uploads are deleted, and only those', async () => {
    const kept = await upload(tok('resident'), jpeg(0x66));
    const proofKept = await upload(tok('member'), jpeg(0x67));
    const dropped = await upload(tok('resident'), jpeg(0x68));
    const s = await t.http.post('/api/wishes', submitBody({ title: '楼道灯不亮', photoIds: [kept.id] }), tok('resident'));
    expect(s.status).toBe(201);
    await t.http.post(`/api/wishes/${s.body.id}/approve`, {}, tok('staff'));
    await t.http.post(`/api/wishes/${s.body.id}/claim`, {}, tok('member'));
    expect((await t.http.post(`/api/wishes/${s.body.id}/complete`, { note: '换了灯泡', photoIds: [proofKept.id] }, tok('member'))).status).toBe(200);

    // A day and more later (the default UPLOAD_ORPHAN_HOURS is 24).
    const stats = await t.app.get(OrphanPhotosSweeper).sweepOnce(new Date(t.clock.now().getTime() + 25 * 3600 * 1000));
    expect(stats.photos).toBeGreaterThanOrEqual(1);
    expect(await photoRow(dropped.id)).toBeUndefined();
    expect((await bytesAt(dropped.url)).status).toBe(404);
    const late = await t.http.post('/api/wishes', submitBody({ title: '迟到的照片', photoIds: [dropped.id] }), tok('resident'));
    expect([late.status, late.body.code]).toEqual([400, 'PHOTO_NOT_FOUND']);

    const d = (await t.http.get(`/api/wishes/${s.body.id}`, tok('resident'))).body;
    expect(d.photos.map((p: any) => p.id)).toEqual([kept.id]);
    expect(d.proof.photos.map((p: any) => p.id)).toEqual([proofKept.id]);
    for (const p of [...d.photos, ...d.proof.photos]) expect((await bytesAt(p.url)).status).toBe(200);
  });
});
