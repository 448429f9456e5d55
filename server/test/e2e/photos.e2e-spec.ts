import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LIMITS } from '@xinyuan/shared';
import { PHOTO_STORAGE, type PhotoStorage } from '../../src/modules/photos/photo-storage';
import { PhotosRepository } from '../../src/modules/photos/photos.repository';
import { PhotosService } from '../../src/modules/photos/photos.service';
import { createTestApp, type TestApp } from '../create-test-app';
import { buildWorld, type World } from '../factories/world';

const LIMIT = 2048;

// Every byte value, so a transfer that re-encodes anything shows up as a difference.
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), ALL_BYTES, Buffer.from('ffd9', 'hex')]);
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'), ALL_BYTES]);
const WEBP = (() => {
  const body = Buffer.concat([Buffer.from('WEBPVP8L', 'latin1'), Buffer.from([0x0a, 0, 0, 0, 0x2f, 0, 0, 0, 0, 0]), ALL_BYTES]);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(body.length);
  return Buffer.concat([Buffer.from('RIFF', 'latin1'), size, body]);
})();
/** A JPEG of exactly n bytes. */
const jpegOf = (n: number) => Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.alloc(n - 4, 0x5a)]);

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('photos', () => {
  let t: TestApp;
  let w: World;
  let resident: string;
  let resident2: string;
  let photos: PhotosService;

  beforeAll(async () => {
    t = await createTestApp({ UPLOAD_MAX_BYTES: String(LIMIT) });
    w = await buildWorld(t.database);
    resident = t.tokenFor(w.users.resident);
    resident2 = t.tokenFor(w.users.resident2);
    photos = t.app.get(PhotosService);
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  async function upload(token: string | undefined, data: Uint8Array, opts: { filename?: string; type?: string; field?: string } = {}) {
    const form = new FormData();
    form.append(opts.field ?? 'file', new Blob([data], { type: opts.type ?? 'application/octet-stream' }), opts.filename ?? 'photo.bin');
    return t.http.request('POST', '/api/photos', { token, raw: form });
  }

  async function uploadId(token: string, data: Uint8Array = JPEG): Promise<string> {
    const r = await upload(token, data, { filename: 'photo.jpg', type: 'image/jpeg' });
    expect(r.status).toBe(201);
    return r.body.id;
  }

  async function stored(): Promise<{ rows: number; files: number }> {
    const rows: { n: number | string }[] = await t.database.dataSource.query('SELECT COUNT(*) AS n FROM photo');
    return { rows: Number(rows[0].n), files: filesUnder(join(t.dataDir, 'uploads')).length };
  }

  async function fetchBytes(url: string): Promise<{ status: number; headers: Headers; bytes: Buffer; json: any }> {
    const res = await fetch(t.baseUrl + url);
    const bytes = Buffer.from(await res.arrayBuffer());
    let json: unknown = null;
    if (res.headers.get('content-type')?.startsWith('application/json')) json = JSON.parse(bytes.toString('utf8'));
    return { status: res.status, headers: res.headers, bytes, json };
  }

  async function rowOf(id: string): Promise<{ owner_id: number; wish_id: number | null; purpose: string | null; mime: string; size: number }> {
    const rows = await t.database.dataSource.query('SELECT owner_id, wish_id, purpose, mime, size FROM photo WHERE id = ?', [id]);
    return rows[0];
  }

  describe('upload and serving', () => {
    it.each([
      ['JPEG', JPEG, 'image/jpeg'],
      ['PNG', PNG, 'image/png'],
      ['WebP', WEBP, 'image/webp'],
    ])('accepts a %s and serves it back byte for byte through its signed url, without a token', async (_name, data, mime) => {
      const before = await stored();
      const r = await upload(resident, data, { filename: 'IMG_0001.bin', type: 'application/octet-stream' });
      expect(r.status).toBe(201);
      expect(r.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), mime, size: data.length, url: expect.any(String) });
      expect(r.body.url).toMatch(new RegExp(`^/api/photos/${r.body.id}/content\\?exp=\\d+&sig=[0-9a-f]{64}$`));
      expect(await stored()).toEqual({ rows: before.rows + 1, files: before.files + 1 });
      expect(await rowOf(r.body.id)).toMatchObject({ owner_id: w.users.resident, wish_id: null, purpose: null, mime, size: data.length });

      const got = await fetchBytes(r.body.url);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe(mime);
      expect(got.headers.get('cache-control')).toMatch(/^private, max-age=\d+/);
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      expect(got.bytes.equals(data)).toBe(true);
    });

    it('decides the type by content, not by the declared type or name', async () => {
      const r = await upload(resident, PNG, { filename: 'photo.jpg', type: 'image/jpeg' });
      expect(r.status).toBe(201);
      expect(r.body.mime).toBe('image/png');
      expect((await fetchBytes(r.body.url)).headers.get('content-type')).toBe('image/png');
    });

    it('refuses a text file named photo.jpg with an image/jpeg type, and stores nothing', async () => {
      const before = await stored();
      const r = await upload(resident, Buffer.from('this is not a photo\n'.repeat(5)), { filename: 'photo.jpg', type: 'image/jpeg' });
      expect(r.status).toBe(415);
      expect(r.body.code).toBe('PHOTO_TYPE_UNSUPPORTED');
      const gif = await upload(resident, Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), { filename: 'a.gif', type: 'image/gif' });
      expect(gif.status).toBe(415);
      expect(gif.body.code).toBe('PHOTO_TYPE_UNSUPPORTED');
      expect(await stored()).toEqual(before);
    });

    it('refuses a photo over the upload limit with 413, and stores nothing; the limit itself is allowed', async () => {
      const before = await stored();
      const r = await upload(resident, jpegOf(LIMIT + 1), { filename: 'big.jpg', type: 'image/jpeg' });
      expect(r.status).toBe(413);
      expect(r.body.code).toBe('PHOTO_TOO_LARGE');
      const much = await upload(resident, jpegOf(LIMIT * 20), { filename: 'huge.jpg', type: 'image/jpeg' });
      expect(much.status).toBe(413);
      expect(much.body.code).toBe('PHOTO_TOO_LARGE');
      expect(await stored()).toEqual(before);

      const exact = await upload(resident, jpegOf(LIMIT), { filename: 'ok.jpg', type: 'image/jpeg' });
      expect(exact.status).toBe(201);
      expect(exact.body.size).toBe(LIMIT);
    });

    it('answers a request without a photo with PHOTO_MISSING, and stores nothing', async () => {
      const before = await stored();
      const onlyField = new FormData();
      onlyField.append('note', 'hello');
      const a = await t.http.request('POST', '/api/photos', { token: resident, raw: onlyField });
      expect(a.status).toBe(400);
      expect(a.body.code).toBe('PHOTO_MISSING');

      const json = await t.http.post('/api/photos', { file: 'x' }, resident);
      expect(json.status).toBe(400);
      expect(json.body.code).toBe('PHOTO_MISSING');

      const empty = await upload(resident, new Uint8Array(0), { filename: 'photo.jpg', type: 'image/jpeg' });
      expect(empty.status).toBe(400);
      expect(empty.body.code).toBe('PHOTO_MISSING');

      const wrongField = await upload(resident, JPEG, { field: 'image', filename: 'photo.jpg' });
      expect(wrongField.status).toBe(400);
      expect(wrongField.body.code).toBe('PHOTO_MISSING');

      const noBody = await t.http.request('POST', '/api/photos', { token: resident });
      expect(noBody.status).toBe(400);
      expect(noBody.body.code).toBe('PHOTO_MISSING');
      expect(await stored()).toEqual(before);
    });

    it('needs a logged-in user to upload', async () => {
      const before = await stored();
      const r = await upload(undefined, JPEG);
      expect(r.status).toBe(401);
      expect(r.body.code).toBe('UNAUTHENTICATED');
      const bad = await upload('not-a-token', JPEG);
      expect(bad.status).toBe(401);
      expect(await stored()).toEqual(before);
    });

    it('refuses tampered, borrowed, incomplete and malformed links with 404', async () => {
      const a = await upload(resident, JPEG);
      const b = await upload(resident, PNG);
      expect((await fetchBytes(a.body.url)).status).toBe(200);
      const url = new URL(a.body.url, t.baseUrl);
      const exp = url.searchParams.get('exp')!;
      const sig = url.searchParams.get('sig')!;
      const flipped = sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0');
      const bSig = new URL(b.body.url, t.baseUrl).searchParams.get('sig')!;
      const tries = [
        `/api/photos/${a.body.id}/content?exp=${exp}&sig=${flipped}`,
        `/api/photos/${a.body.id}/content?exp=${Number(exp) + 3600}&sig=${sig}`,
        `/api/photos/${a.body.id}/content?exp=${exp}&sig=${bSig}`,
        `/api/photos/${b.body.id}/content?exp=${exp}&sig=${sig}`,
        `/api/photos/${a.body.id}/content?exp=${exp}`,
        `/api/photos/${a.body.id}/content`,
        `/api/photos/${a.body.id}/content?exp=${exp}&sig=${sig.toUpperCase()}`,
        `/api/photos/${a.body.id}/content?exp=${exp}&sig=${sig.slice(0, 32)}`,
        `/api/photos/${a.body.id.toUpperCase()}/content?exp=${exp}&sig=${sig}`,
      ];
      for (const path of tries) {
        const r = await fetchBytes(path);
        expect({ path, status: r.status }).toEqual({ path, status: 404 });
        expect(r.json.code).toBe('NOT_FOUND');
      }
    });

    it('refuses a well-signed link to a photo that does not exist', async () => {
      const r = await fetchBytes(photos.signedUrl(randomUUID()));
      expect(r.status).toBe(404);
      expect(r.json.code).toBe('NOT_FOUND');
    });

    it('stops serving a link once it expires', async () => {
      const r = await upload(resident, WEBP);
      const exp = Number(new URL(r.body.url, t.baseUrl).searchParams.get('exp'));
      const nowSeconds = Math.floor(t.clock.now().getTime() / 1000);
      // Valid for at least an hour (rounded up, so a photo's URL is stable for a while).
      expect(exp - nowSeconds).toBeGreaterThanOrEqual(3600);
      expect(exp - nowSeconds).toBeLessThanOrEqual(3600 + 600);

      t.clock.advance(59 * 60 * 1000);
      const late = await fetchBytes(r.body.url);
      expect(late.status).toBe(200);
      const maxAge = Number(/max-age=(\d+)/.exec(late.headers.get('cache-control') ?? '')![1]);
      expect(maxAge).toBeLessThanOrEqual(exp - Math.floor(t.clock.now().getTime() / 1000));

      t.clock.advance((exp - nowSeconds) * 1000);
      const expired = await fetchBytes(r.body.url);
      expect(expired.status).toBe(404);
      expect(expired.json.code).toBe('NOT_FOUND');
      // A fresh link to the same photo works again.
      const again = await fetchBytes(photos.signedUrl(r.body.id));
      expect(again.status).toBe(200);
      expect(again.bytes.equals(WEBP)).toBe(true);
    });
  });

  describe('failures store nothing', () => {
    it('writes no row when the file cannot be stored', async () => {
      const storage = t.app.get<PhotoStorage>(PHOTO_STORAGE);
      jest.spyOn(storage, 'put').mockRejectedValueOnce(new Error('disk full'));
      const before = await stored();
      const r = await upload(resident, JPEG);
      expect(r.status).toBe(500);
      expect(r.body.code).toBe('INTERNAL');
      expect(await stored()).toEqual(before);
    });

    it('removes the stored file when the row cannot be written', async () => {
      const storage = t.app.get<PhotoStorage>(PHOTO_STORAGE);
      const put = jest.spyOn(storage, 'put');
      jest.spyOn(t.app.get(PhotosRepository), 'insert').mockRejectedValueOnce(new Error('database gone'));
      const before = await stored();
      const r = await upload(resident, PNG);
      expect(r.status).toBe(500);
      expect(put).toHaveBeenCalledTimes(1);
      expect(await stored()).toEqual(before);
    });
  });

  describe('PhotosService for the wishes module', () => {
    it('refuses photos that are not the caller’s or do not exist, with PHOTO_NOT_FOUND', async () => {
      const mine = await uploadId(resident);
      const theirs = await uploadId(resident2);
      await expect(photos.assertUsable(w.users.resident, [mine, theirs])).rejects.toMatchObject({ code: 'PHOTO_NOT_FOUND', status: 400 });
      await expect(photos.assertUsable(w.users.resident, [randomUUID()])).rejects.toMatchObject({ code: 'PHOTO_NOT_FOUND' });
      await expect(photos.assertUsable(w.users.resident, ['not-a-uuid'])).rejects.toMatchObject({ code: 'PHOTO_NOT_FOUND' });
      await expect(photos.assertUsable(w.users.resident, [mine.toUpperCase()])).rejects.toMatchObject({ code: 'PHOTO_NOT_FOUND' });
      await expect(t.database.tx((m) => photos.attach(m, w.users.resident, [mine, theirs], 9001, 'wish'))).rejects.toMatchObject({ code: 'PHOTO_NOT_FOUND' });
      // Nothing was attached, not even the caller's own photo.
      expect((await rowOf(mine)).wish_id).toBeNull();
      expect((await rowOf(theirs)).wish_id).toBeNull();
      await expect(photos.assertUsable(w.users.resident, [mine])).resolves.toBeUndefined();
    });

    it('attaches once; using a photo again is PHOTO_ALREADY_USED', async () => {
      const a = await uploadId(resident);
      const b = await uploadId(resident, PNG);
      await photos.assertUsable(w.users.resident, [a, b]);
      await t.database.tx((m) => photos.attach(m, w.users.resident, [a, b], 9002, 'wish'));
      expect(await rowOf(a)).toMatchObject({ wish_id: 9002, purpose: 'wish' });
      expect(await rowOf(b)).toMatchObject({ wish_id: 9002, purpose: 'wish' });

      const c = await uploadId(resident);
      await expect(photos.assertUsable(w.users.resident, [c, a])).rejects.toMatchObject({ code: 'PHOTO_ALREADY_USED', status: 409 });
      await expect(t.database.tx((m) => photos.attach(m, w.users.resident, [c, a], 9003, 'proof'))).rejects.toMatchObject({ code: 'PHOTO_ALREADY_USED' });
      expect(await rowOf(a)).toMatchObject({ wish_id: 9002, purpose: 'wish' });
      expect((await rowOf(c)).wish_id).toBeNull();
    });

    it('rolls the attach back with the caller’s transaction', async () => {
      const a = await uploadId(resident);
      await expect(
        t.database.tx(async (m) => {
          await photos.attach(m, w.users.resident, [a], 9004, 'wish');
          throw new Error('the wish insert failed');
        }),
      ).rejects.toThrow('the wish insert failed');
      expect((await rowOf(a)).wish_id).toBeNull();
    });

    it('gives a photo to one wish only when two transactions race for it', async () => {
      const a = await uploadId(resident);
      // The first transaction takes the photo and stays open while the second one tries:
      // on MariaDB the second passes the read check (the first has not committed) and
      // must be stopped by the guarded UPDATE; on SQLite it waits its turn.
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let attached!: () => void;
      const firstAttached = new Promise<void>((r) => (attached = r));
      const first = t.database.tx(async (m) => {
        await photos.attach(m, w.users.resident, [a], 9005, 'wish');
        attached();
        await gate;
      });
      await firstAttached;
      const second = t.database.tx((m) => photos.attach(m, w.users.resident, [a], 9006, 'wish'));
      setTimeout(release, 300);
      const [r1, r2] = await Promise.allSettled([first, second]);
      expect(r1.status).toBe('fulfilled');
      expect(r2).toMatchObject({ status: 'rejected', reason: { code: 'PHOTO_ALREADY_USED' } });
      expect(await rowOf(a)).toMatchObject({ wish_id: 9005, purpose: 'wish' });
    });

    it('refuses more than the limit, and an id listed twice', async () => {
      const ids = Array.from({ length: LIMITS.photosPerWish + 1 }, () => randomUUID());
      await expect(photos.assertUsable(w.users.resident, ids)).rejects.toMatchObject({ code: 'TOO_MANY_PHOTOS' });
      await expect(t.database.tx((m) => photos.attach(m, w.users.resident, ids, 9007, 'wish'))).rejects.toMatchObject({ code: 'TOO_MANY_PHOTOS' });
      const a = await uploadId(resident);
      await expect(photos.assertUsable(w.users.resident, [a, a])).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(t.database.tx((m) => photos.attach(m, w.users.resident, [a, a], 9007, 'wish'))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      expect((await rowOf(a)).wish_id).toBeNull();
      // No photos is not an error: a wish may have none.
      await expect(photos.assertUsable(w.users.resident, [])).resolves.toBeUndefined();
      await expect(t.database.tx((m) => photos.attach(m, w.users.resident, [], 9007, 'wish'))).resolves.toBeUndefined();
    });

    it('lists the photos of many wishes in upload order, split by purpose, with working links', async () => {
      const first = await uploadId(resident, JPEG);
      t.clock.advance(1000);
      const second = await uploadId(resident, PNG);
      t.clock.advance(1000);
      const proof = await uploadId(resident2, WEBP);
      t.clock.advance(1000);
      const other = await uploadId(resident);
      // Attached out of upload order: the listing still follows upload order.
      await t.database.tx((m) => photos.attach(m, w.users.resident, [second, first], 9101, 'wish'));
      await t.database.tx((m) => photos.attach(m, w.users.resident2, [proof], 9101, 'proof'));
      await t.database.tx((m) => photos.attach(m, w.users.resident, [other], 9102, 'wish'));

      const views = await photos.viewsForWishes([9101, 9102, 9103]);
      expect([...views.keys()].sort()).toEqual([9101, 9102, 9103]);
      expect(views.get(9101)!.wish.map((p) => p.id)).toEqual([first, second]);
      expect(views.get(9101)!.proof.map((p) => p.id)).toEqual([proof]);
      expect(views.get(9102)).toEqual({ wish: [expect.objectContaining({ id: other, mime: 'image/jpeg', size: JPEG.length })], proof: [] });
      expect(views.get(9103)).toEqual({ wish: [], proof: [] });
      expect(views.get(9101)!.wish[1]).toMatchObject({ mime: 'image/png', size: PNG.length });

      const got = await fetchBytes(views.get(9101)!.proof[0].url);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe('image/webp');
      expect(got.bytes.equals(WEBP)).toBe(true);
      expect((await photos.viewsForWishes([])).size).toBe(0);
    });
  });
});
