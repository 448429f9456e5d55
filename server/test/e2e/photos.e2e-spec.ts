import { createHmac, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import { LIMITS } from '@xinyuan/shared';
import { loadConfig } from '../../src/config/config';
import { createApp, type AppHandle } from '../../src/create-app';
import { FakeClock } from '../../src/common/clock';
import { createRootLogger } from '../../src/common/logging/logger';
import { OrphanPhotosSweeper } from '../../src/modules/photos/jobs/orphan-photos.sweeper';
import { PHOTO_STORAGE, type PhotoStorage } from '../../src/modules/photos/photo-storage';
import { PhotosRepository } from '../../src/modules/photos/photos.repository';
import { PhotosService } from '../../src/modules/photos/photos.service';
import { photoUrlKey } from '../../src/modules/photos/photo-urls';
import { createTestApp, TEST_DB, TEST_ENV, type TestApp } from '../create-test-app';
import { GPS_EXIF, jpegWithGps, padJpeg, pngOfPixels, pngWithAlpha, solidJpeg, solidWebp, TINY_JPEG } from '../factories/images';
import { buildWorld, type World } from '../factories/world';

/** The upload limit of these tests (bytes of the file as sent). */
const LIMIT = 256 * 1024;
const HOUR = 3600 * 1000;

/** A file that starts like a JPEG and is not one. */
const FAKE_JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), Buffer.alloc(256, 0x5a), Buffer.from('ffd9', 'hex')]);
/** A file of n bytes that starts like a JPEG (over the limit, it is refused before anything reads it). */
const jpegOf = (n: number) => Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.alloc(n - 4, 0x5a)]);

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

function dirsUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [join(dir, e.name), ...dirsUnder(join(dir, e.name))] : []));
}

/** The RGB of one pixel. */
async function pixel(data: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data: px } = await sharp(data).extract({ left: x, top: y, width: 1, height: 1 }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return [px[0], px[1], px[2]];
}
const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) <= 24);

describe(`photos (${TEST_DB})`, () => {
  let t: TestApp;
  let w: World;
  let resident: string;
  let resident2: string;
  let photos: PhotosService;
  let JPEG: Buffer;
  let PNG: Buffer;
  let WEBP: Buffer;

  beforeAll(async () => {
    t = await createTestApp({ UPLOAD_MAX_BYTES: String(LIMIT) });
    w = await buildWorld(t.database);
    resident = t.tokenFor(w.users.resident);
    resident2 = t.tokenFor(w.users.resident2);
    photos = t.app.get(PhotosService);
    JPEG = await solidJpeg('#336699', 48, 32);
    PNG = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#22aa44' } }).png().toBuffer();
    WEBP = await solidWebp('#aa2244', 40, 30);
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

  async function rowOf(id: string): Promise<{ owner_id: number; wish_id: number | null; purpose: string | null; mime: string; size: number; storage_key: string } | undefined> {
    const rows = await t.database.dataSource.query('SELECT owner_id, wish_id, purpose, mime, size, storage_key FROM photo WHERE id = ?', [id]);
    return rows[0];
  }

  const fileOf = async (id: string) => join(t.dataDir, 'uploads', (await rowOf(id))!.storage_key);

  describe('upload and serving', () => {
    it.each([
      ['JPEG', () => JPEG, 48, 32],
      ['PNG', () => PNG, 30, 20],
      ['WebP', () => WEBP, 40, 30],
    ])('accepts a %s, stores it as a JPEG and serves that through its signed url, without a token', async (_name, data, width, height) => {
      const before = await stored();
      const r = await upload(resident, data(), { filename: 'IMG_0001.bin', type: 'application/octet-stream' });
      expect(r.status).toBe(201);
      expect(r.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), mime: 'image/jpeg', size: expect.any(Number), url: expect.any(String) });
      expect(r.body.url).toMatch(new RegExp(`^/api/photos/${r.body.id}/content\\?exp=\\d+&sig=[0-9a-f]{64}$`));
      expect(await stored()).toEqual({ rows: before.rows + 1, files: before.files + 1 });
      expect(await rowOf(r.body.id)).toMatchObject({ owner_id: w.users.resident, wish_id: null, purpose: null, mime: 'image/jpeg', size: r.body.size });
      expect((await rowOf(r.body.id))!.storage_key).toMatch(/^\d{4}\/\d{2}\/[0-9a-f-]{36}\.jpg$/);

      const got = await fetchBytes(r.body.url);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe('image/jpeg');
      expect(got.headers.get('cache-control')).toMatch(/^private, max-age=\d+/);
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      // The stored size is that of the file served, which is the file on disk.
      expect(got.bytes.length).toBe(r.body.size);
      expect(got.bytes.equals(readFileSync(await fileOf(r.body.id)))).toBe(true);
      const meta = await sharp(got.bytes).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', width, height]);
    });

    it('drops EXIF (GPS position, camera), turns the photo upright and shrinks it to 2048 px', async () => {
      const input = await jpegWithGps(3000, 2000, 6);
      const inMeta = await sharp(input).metadata();
      expect([inMeta.width, inMeta.height, inMeta.orientation]).toEqual([3000, 2000, 6]);
      expect(inMeta.exif?.includes(GPS_EXIF.IFD0.Make)).toBe(true);
      expect(input.length).toBeLessThan(LIMIT);

      const r = await upload(resident, input, { filename: 'IMG_2001.jpg', type: 'image/jpeg' });
      expect(r.status).toBe(201);
      const got = await fetchBytes(r.body.url);
      const meta = await sharp(got.bytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      // Upright: the camera was turned a quarter clockwise, so the photo is tall, long side 2048.
      expect([meta.width, meta.height]).toEqual([1365, 2048]);
      // Not a byte of the old EXIF is left anywhere in the file.
      expect(got.bytes.includes('Exif\0\0')).toBe(false);
      expect(got.bytes.includes(GPS_EXIF.IFD0.Make)).toBe(false);
      // The stored left (red) half is now at the top.
      expect(near(await pixel(got.bytes, 680, 100), [255, 0, 0])).toBe(true);
      expect(near(await pixel(got.bytes, 680, 1900), [0, 0, 255])).toBe(true);
    });

    it('never enlarges, and shrinks a wide photo on its long side', async () => {
      const wide = await sharp({ create: { width: 4096, height: 1000, channels: 3, background: '#808080' } }).jpeg().toBuffer();
      const r = await upload(resident, wide);
      expect(r.status).toBe(201);
      const meta = await sharp((await fetchBytes(r.body.url)).bytes).metadata();
      expect([meta.width, meta.height]).toEqual([2048, 500]);
      const tiny = await upload(resident, TINY_JPEG);
      expect(r.status).toBe(201);
      const tinyMeta = await sharp((await fetchBytes(tiny.body.url)).bytes).metadata();
      expect([tinyMeta.width, tinyMeta.height]).toEqual([16, 16]);
    });

    it('stores a PNG with transparency as a JPEG on white', async () => {
      const r = await upload(resident, await pngWithAlpha(40, 20), { filename: 'sticker.png', type: 'image/png' });
      expect(r.status).toBe(201);
      expect(r.body.mime).toBe('image/jpeg');
      const got = await fetchBytes(r.body.url);
      const meta = await sharp(got.bytes).metadata();
      expect([meta.format, meta.hasAlpha, meta.width, meta.height]).toEqual(['jpeg', false, 40, 20]);
      expect(near(await pixel(got.bytes, 5, 10), [255, 0, 0])).toBe(true);
      expect(near(await pixel(got.bytes, 35, 10), [255, 255, 255])).toBe(true);
    });

    it('decides the type by content, not by the declared type or name', async () => {
      const r = await upload(resident, PNG, { filename: 'photo.jpg', type: 'image/jpeg' });
      expect(r.status).toBe(201);
      const w2 = await upload(resident, WEBP, { filename: 'photo.png', type: 'image/png' });
      expect(w2.status).toBe(201);
      const fake = await upload(resident, FAKE_JPEG, { filename: 'photo.webp', type: 'image/webp' });
      expect(fake.status).toBe(415);
    });

    it('refuses what is not a readable image with 415, writing no row and no file', async () => {
      const before = await stored();
      const real = await jpegWithGps(600, 400);
      const cases: [string, Buffer][] = [
        ['text named photo.jpg', Buffer.from('this is not a photo\n'.repeat(5))],
        ['GIF', Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1')],
        ['JPEG signature, garbage after it', FAKE_JPEG],
        ['truncated JPEG', real.subarray(0, Math.floor(real.length * 0.6))],
        ['JPEG without its last bytes', real.subarray(0, real.length - 40)],
        ['PNG signature, garbage after it', Buffer.concat([PNG.subarray(0, 8), Buffer.alloc(300, 0x41)])],
        ['truncated PNG', PNG.subarray(0, PNG.length - 20)],
        ['WebP header, garbage after it', Buffer.concat([WEBP.subarray(0, 16), Buffer.alloc(200, 0x41)])],
        ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')],
      ];
      for (const [name, data] of cases) {
        const r = await upload(resident, data, { filename: 'photo.jpg', type: 'image/jpeg' });
        expect({ name, status: r.status, code: r.body.code }).toEqual({ name, status: 415, code: 'PHOTO_TYPE_UNSUPPORTED' });
      }
      expect(await stored()).toEqual(before);
    });

    it('refuses more than 40 megapixels with 413 before decoding them, and stores nothing', async () => {
      const before = await stored();
      // 48 MP in 6 KB: a decompression bomb in miniature.
      const bomb = pngOfPixels(8000, 6000);
      expect(bomb.length).toBeLessThan(10_000);
      const started = Date.now();
      const r = await upload(resident, bomb, { filename: 'big.png', type: 'image/png' });
      expect([r.status, r.body.code]).toEqual([413, 'PHOTO_TOO_LARGE']);
      expect(Date.now() - started).toBeLessThan(2000);
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

      const exact = await upload(resident, padJpeg(JPEG, LIMIT), { filename: 'ok.jpg', type: 'image/jpeg' });
      expect(exact.status).toBe(201);
      // Stored re-encoded: the padding (a comment segment) is gone.
      expect(exact.body.size).toBeLessThan(LIMIT / 10);
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

    it('writes files readable by the server’s user only (0600, directories 0700)', async () => {
      const id = await uploadId(resident);
      const root = join(t.dataDir, 'uploads');
      expect(statSync(await fileOf(id)).mode & 0o777).toBe(0o600);
      const dirs = [root, ...dirsUnder(root)];
      expect(dirs.length).toBeGreaterThanOrEqual(3); // uploads/YYYY/MM
      for (const d of dirs) expect({ dir: relative(t.dataDir, d), mode: (statSync(d).mode & 0o777).toString(8) }).toEqual({ dir: relative(t.dataDir, d), mode: '700' });
      for (const f of filesUnder(root)) expect({ file: relative(t.dataDir, f), mode: (statSync(f).mode & 0o777).toString(8) }).toEqual({ file: relative(t.dataDir, f), mode: '600' });
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
      // What the signature was before it had its own key: made with the JWT secret itself.
      const withJwtSecret = createHmac('sha256', t.config.jwt.secret).update(`${a.body.id}.${exp}`).digest('hex');
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
        `/api/photos/${a.body.id}/content?exp=${exp}&sig=${withJwtSecret}`,
      ];
      for (const path of tries) {
        const r = await fetchBytes(path);
        expect({ path, status: r.status }).toEqual({ path, status: 404 });
        expect(r.json.code).toBe('NOT_FOUND');
      }
    });

    it('signs links with a key of their own, derived from the JWT secret with HKDF', async () => {
      const r = await upload(resident, JPEG);
      const url = new URL(r.body.url, t.baseUrl);
      const exp = url.searchParams.get('exp')!;
      const key = photoUrlKey(t.config.jwt.secret);
      expect(key.length).toBe(32);
      expect(key.equals(Buffer.from(t.config.jwt.secret))).toBe(false);
      expect(url.searchParams.get('sig')).toBe(createHmac('sha256', key).update(`${r.body.id}.${exp}`).digest('hex'));
      expect(url.searchParams.get('sig')).not.toBe(createHmac('sha256', t.config.jwt.secret).update(`${r.body.id}.${exp}`).digest('hex'));
      // Another secret, another key.
      expect(photoUrlKey(t.config.jwt.secret + 'x').equals(key)).toBe(false);
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
      expect(again.bytes.equals(late.bytes)).toBe(true);
    });
  });

  describe('malformed multipart bodies are 400, never 500, and store nothing', () => {
    const B = 'xyBoundary7MA4YWxkTrZu0gW';
    const head = (name = 'file', boundary = B, extra = '') =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n${extra}\r\n`;
    const part = (data: Buffer, name = 'file', boundary = B, extra = '') => Buffer.concat([Buffer.from(head(name, boundary, extra)), data, Buffer.from('\r\n')]);
    const end = (boundary = B) => Buffer.from(`--${boundary}--\r\n`);

    async function send(body: Buffer | string, contentType: string | null, headers: Record<string, string> = {}) {
      const h: Record<string, string> = { authorization: `Bearer ${resident}`, ...headers };
      if (contentType !== null) h['content-type'] = contentType;
      const res = await fetch(`${t.baseUrl}/api/photos`, { method: 'POST', headers: h, body });
      const text = await res.text();
      let json: any = null;
      try {
        json = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: json };
    }

    it('accepts a well-formed hand-written body (the helpers are right)', async () => {
      const r = await send(Buffer.concat([part(JPEG), end()]), `multipart/form-data; boundary=${B}`);
      expect(r.status).toBe(201);
    });

    it.each<[string, () => Buffer | string, string, string[]]>([
      ['no boundary in the content type', () => Buffer.concat([part(JPEG), end()]), 'multipart/form-data', ['VALIDATION_FAILED', 'PHOTO_MISSING']],
      ['a boundary the body does not use', () => Buffer.concat([part(JPEG), end()]), 'multipart/form-data; boundary=SomethingElse', ['VALIDATION_FAILED']],
      ['a part with no end', () => Buffer.concat([Buffer.from(head()), JPEG]), `multipart/form-data; boundary=${B}`, ['VALIDATION_FAILED']],
      ['part headers that never end', () => `--${B}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n`, `multipart/form-data; boundary=${B}`, ['VALIDATION_FAILED']],
      ['a body that is not multipart at all', () => 'just some text, no boundaries', `multipart/form-data; boundary=${B}`, ['VALIDATION_FAILED']],
      ['two files', () => Buffer.concat([part(JPEG), part(JPEG), end()]), `multipart/form-data; boundary=${B}`, ['VALIDATION_FAILED']],
      ['two files in different fields', () => Buffer.concat([part(JPEG), part(PNG, 'other'), end()]), `multipart/form-data; boundary=${B}`, ['VALIDATION_FAILED']],
      // Past 8 KB a part's headers are cut off, here before its name is read.
      ['a huge part header', () => Buffer.concat([Buffer.from(`--${B}\r\nX-Padding: ${'a'.repeat(100_000)}\r\n`), part(JPEG).subarray(`--${B}\r\n`.length), end()]), `multipart/form-data; boundary=${B}`, ['PHOTO_MISSING']],
      ['many parts', () => Buffer.concat([...Array.from({ length: 12 }, (_, i) => Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\nx\r\n`)), part(JPEG), end()]), `multipart/form-data; boundary=${B}`, ['VALIDATION_FAILED']],
      ['an empty body', () => '', `multipart/form-data; boundary=${B}`, ['PHOTO_MISSING']],
      ['only the closing boundary', () => end(), `multipart/form-data; boundary=${B}`, ['PHOTO_MISSING']],
      ['the photo as a plain field, not a file', () => Buffer.concat([Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="file"\r\n\r\n`), JPEG, Buffer.from('\r\n'), end()]), `multipart/form-data; boundary=${B}`, ['PHOTO_MISSING']],
      ['a file with no name for its field', () => Buffer.concat([Buffer.from(`--${B}\r\nContent-Disposition: form-data; filename="a.jpg"\r\n\r\n`), JPEG, Buffer.from('\r\n'), end()]), `multipart/form-data; boundary=${B}`, ['PHOTO_MISSING']],
    ])('%s', async (_name, body, contentType, codes) => {
      const before = await stored();
      const r = await send(body(), contentType);
      expect(r.status).toBe(400);
      expect(codes).toContain(r.body?.code);
      expect(await stored()).toEqual(before);
    });

    it('keeps only the first 8 KB of a part’s headers: a photo named before the padding is still read', async () => {
      const r = await send(Buffer.concat([part(JPEG, 'file', B, `X-Padding: ${'a'.repeat(100_000)}\r\n`), end()]), `multipart/form-data; boundary=${B}`);
      expect(r.status).toBe(201);
    });

    it('a multipart type the server does not take, and an oversized HTTP header, are refused without a 500', async () => {
      const before = await stored();
      const mixed = await send(Buffer.concat([part(JPEG), end()]), `multipart/mixed; boundary=${B}`);
      expect(mixed.status).toBe(415);
      expect(mixed.body?.code).toEqual(expect.any(String));
      const header = await send(Buffer.concat([part(JPEG), end()]), `multipart/form-data; boundary=${B}`, { 'x-padding': 'a'.repeat(40_000) });
      expect(header.status).toBe(431);
      expect(await stored()).toEqual(before);
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
      expect((await rowOf(mine))!.wish_id).toBeNull();
      expect((await rowOf(theirs))!.wish_id).toBeNull();
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
      expect((await rowOf(c))!.wish_id).toBeNull();
    });

    it('rolls the attach back with the caller’s transaction', async () => {
      const a = await uploadId(resident);
      await expect(
        t.database.tx(async (m) => {
          await photos.attach(m, w.users.resident, [a], 9004, 'wish');
          throw new Error('the wish insert failed');
        }),
      ).rejects.toThrow('the wish insert failed');
      expect((await rowOf(a))!.wish_id).toBeNull();
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
      expect((await rowOf(a))!.wish_id).toBeNull();
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
      expect(views.get(9102)).toEqual({ wish: [expect.objectContaining({ id: other, mime: 'image/jpeg', size: (await rowOf(other))!.size })], proof: [], voice: [] });
      expect(views.get(9103)).toEqual({ wish: [], proof: [], voice: [] });
      expect(views.get(9101)!.wish[1]).toMatchObject({ mime: 'image/jpeg', size: (await rowOf(second))!.size });

      const got = await fetchBytes(views.get(9101)!.proof[0].url);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe('image/jpeg');
      expect(got.bytes.equals(readFileSync(await fileOf(proof)))).toBe(true);
      expect((await photos.viewsForWishes([])).size).toBe(0);
    });
  });

  describe('unattached uploads are deleted after UPLOAD_ORPHAN_HOURS', () => {
    let sweeper: OrphanPhotosSweeper;
    const later = (hours: number) => new Date(t.clock.now().getTime() + hours * HOUR);
    const unattached = async () => Number((await t.database.dataSource.query('SELECT COUNT(*) AS n FROM photo WHERE wish_id IS NULL'))[0].n);

    beforeAll(() => {
      sweeper = t.app.get(OrphanPhotosSweeper);
    });
    // Each test starts without unattached uploads: everything left by the tests above goes first.
    beforeEach(async () => {
      await sweeper.sweepOnce(later(24 * 365));
      expect(await unattached()).toBe(0);
    });

    it('deletes the files and rows of photos no wish took within 24 hours, reports count and bytes, keeps the rest', async () => {
      const old1 = await uploadId(resident);
      const old2 = await uploadId(resident2, PNG);
      const taken = await uploadId(resident, WEBP);
      await t.database.tx((m) => photos.attach(m, w.users.resident, [taken], 9201, 'wish'));
      const gone = await uploadId(resident);
      rmSync(await fileOf(gone)); // its file is already missing: that is fine
      const oldUrl = (await upload(resident2, JPEG)).body; // old too, with its link
      t.clock.advance(2 * HOUR);
      const young = await uploadId(resident);
      const sizes = await Promise.all([old1, old2, gone, oldUrl.id].map(async (id) => (await rowOf(id))!.size));
      const oldFiles = await Promise.all([old1, old2, oldUrl.id].map(fileOf));
      const keptFiles = await Promise.all([taken, young].map(fileOf));
      const info = jest.spyOn((sweeper as unknown as { log: { info: (...a: unknown[]) => void } }).log, 'info');

      // 23 hours after `young`, 25 after the others.
      const stats = await sweeper.sweepOnce(later(23));
      expect(stats).toEqual({ photos: 4, bytes: sizes.reduce((a, b) => a + b, 0), missingFiles: 1, failed: 0, batches: 1 });
      for (const id of [old1, old2, gone, oldUrl.id]) expect(await rowOf(id)).toBeUndefined();
      for (const f of oldFiles) expect(existsSync(f)).toBe(false);
      for (const f of keptFiles) expect(existsSync(f)).toBe(true);
      expect(await rowOf(taken)).toMatchObject({ wish_id: 9201 });
      expect(await rowOf(young)).toMatchObject({ wish_id: null });
      expect(info).toHaveBeenCalledWith(expect.objectContaining({ deleted: 4, bytes: stats.bytes, missingFiles: 1 }), 'deleted unattached uploads');
      // The link of a deleted photo no longer serves; a deleted photo cannot be used.
      expect((await fetchBytes(oldUrl.url)).status).toBe(404);
      await expect(photos.assertUsable(w.users.resident, [old1])).rejects.toMatchObject({ code: 'PHOTO_NOT_FOUND' });

      // Nothing more to do until `young` is a day old.
      expect(await sweeper.sweepOnce(later(23))).toEqual({ photos: 0, bytes: 0, missingFiles: 0, failed: 0, batches: 0 });
      info.mockClear();
      expect((await sweeper.sweepOnce(later(22))).photos).toBe(0);
      expect(info).not.toHaveBeenCalled();
      expect((await sweeper.sweepOnce(later(24.01))).photos).toBe(1);
    });

    it('works through many in batches', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push(await uploadId(resident, TINY_JPEG));
      const stats = await sweeper.sweepOnce(later(25), 3);
      expect(stats).toMatchObject({ photos: 7, batches: 3 });
      expect(await unattached()).toBe(0);
      expect(filesUnder(join(t.dataDir, 'uploads')).filter((f) => ids.some((id) => f.includes(id)))).toEqual([]);
    });

    it('keeps a photo whose file cannot be removed, for the next sweep, and stops there', async () => {
      const a = await uploadId(resident);
      const b = await uploadId(resident);
      const storage = t.app.get<PhotoStorage>(PHOTO_STORAGE);
      jest.spyOn(storage, 'remove').mockRejectedValueOnce(Object.assign(new Error('EACCES'), { code: 'EACCES' }));
      const stats = await sweeper.sweepOnce(later(25), 1);
      expect(stats).toMatchObject({ photos: 0, failed: 1 });
      expect(await rowOf(a)).toBeDefined();
      expect(await rowOf(b)).toBeDefined();
      expect(await sweeper.sweepOnce(later(25), 1)).toMatchObject({ photos: 2, failed: 0 });
    });

    it('never deletes a row a wish took between the select and the delete (the DELETE is guarded)', async () => {
      const a = await uploadId(resident);
      const b = await uploadId(resident);
      const repo = t.app.get(PhotosRepository);
      const del = repo.deleteUnattached.bind(repo);
      jest.spyOn(repo, 'deleteUnattached').mockImplementationOnce(async (m, ids) => {
        // Another writer attaches `a` after the sweep selected it (same transaction here, to interleave deterministically).
        await m.query("UPDATE photo SET wish_id = 9301, purpose = 'wish' WHERE id = ?", [a]);
        return del(m, ids);
      });
      const stats = await sweeper.sweepOnce(later(25));
      expect(stats.photos).toBe(1);
      expect(await rowOf(a)).toMatchObject({ wish_id: 9301 });
      expect(await rowOf(b)).toBeUndefined();
    });

    it('skips a photo a wish is taking right now; the wish keeps it with its file', async () => {
      const a = await uploadId(resident);
      const b = await uploadId(resident);
      const fileA = await fileOf(a);
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let attached!: () => void;
      const inFlight = new Promise<void>((r) => (attached = r));
      const attach = t.database.tx(async (m) => {
        await photos.attach(m, w.users.resident, [a], 9302, 'wish');
        attached();
        await gate;
      });
      await inFlight;
      // MariaDB: the sweep skips the locked row and finishes meanwhile; SQLite: it waits for the attach to commit.
      const sweep = sweeper.sweepOnce(later(25));
      const first = await Promise.race([sweep.then(() => 'swept'), new Promise((r) => setTimeout(() => r('waiting'), 1000))]);
      expect(first).toBe(t.database.isSqlite ? 'waiting' : 'swept');
      release();
      const [stats] = await Promise.all([sweep, attach]);
      expect(stats.photos).toBe(1);
      expect(await rowOf(a)).toMatchObject({ wish_id: 9302 });
      expect(existsSync(fileA)).toBe(true);
      expect(await rowOf(b)).toBeUndefined();
    });

    it('a wish that tries to take a photo while it is being deleted is refused', async () => {
      const a = await uploadId(resident);
      const repo = t.app.get(PhotosRepository);
      const lock = repo.lockOrphans.bind(repo);
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      jest.spyOn(repo, 'lockOrphans').mockImplementationOnce(async (...args) => {
        const rows = await lock(...args);
        locked();
        await gate;
        return rows;
      });
      const sweep = sweeper.sweepOnce(later(25));
      await isLocked;
      // MariaDB: the attach waits for the row lock, then finds the row gone; SQLite: it waits its turn.
      const attach = t.database.tx((m) => photos.attach(m, w.users.resident, [a], 9303, 'wish'));
      setTimeout(release, 300);
      const [s, r] = await Promise.allSettled([sweep, attach]);
      expect(s).toMatchObject({ status: 'fulfilled', value: { photos: 1 } });
      // SQLite: its check ran after the sweep. MariaDB: its read check saw the photo, then its guarded
      // UPDATE either waited and found it gone (PHOTO_ALREADY_USED) or, when the optimizer reaches the
      // row through the owner_id index (as it does since the PhotoCheck migration rebuilt the table),
      // met the sweep's DELETE in a deadlock, and Database.tx's retry found the photo gone (PHOTO_NOT_FOUND).
      // Either way the wish is refused and the photo is deleted.
      const codes = t.database.isSqlite ? ['PHOTO_NOT_FOUND'] : ['PHOTO_ALREADY_USED', 'PHOTO_NOT_FOUND'];
      expect(r.status).toBe('rejected');
      expect(codes).toContain((r as PromiseRejectedResult).reason?.code);
      expect(await rowOf(a)).toBeUndefined();
    });

    it('several instances sweep side by side without deleting a photo twice', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 11; i++) ids.push(await uploadId(i % 2 ? resident : resident2, TINY_JPEG));
      // MariaDB: a second instance on the same database and uploads directory; SQLite is for one process.
      let second: AppHandle | null = null;
      if (!t.database.isSqlite) {
        const config = loadConfig({ JWT_SECRET: 'test-secret-test-secret-test-secret-0123', ...TEST_ENV, DATA_DIR: t.dataDir, LOG_LEVEL: 'silent', DATABASE_URL: (t.config.database as { url: string }).url, DB_POOL_SIZE: '3', DISPATCH_ENABLED: 'false', NOTIFY_ENABLED: 'false' });
        second = await createApp(config, { clock: new FakeClock(t.clock.now().getTime()), logger: createRootLogger('silent') });
      }
      try {
        const sweepers = [sweeper, second ? second.app.get(OrphanPhotosSweeper) : sweeper, sweeper];
        const all = await Promise.all(sweepers.map((s) => s.sweepOnce(later(25), 2)));
        expect(all.reduce((n, s) => n + s.photos, 0)).toBe(11);
        expect(all.reduce((n, s) => n + s.missingFiles, 0)).toBe(0);
        expect(await unattached()).toBe(0);
        expect(filesUnder(join(t.dataDir, 'uploads')).filter((f) => ids.some((id) => f.includes(id)))).toEqual([]);
      } finally {
        await second?.close();
      }
    });
  });
});

describe(`photos: the daily quota of unattached uploads (${TEST_DB})`, () => {
  let t: TestApp;
  let w: World;
  let photos: PhotosService;
  let JPEG: Buffer;

  beforeAll(async () => {
    t = await createTestApp({ QUOTA_UNATTACHED_UPLOADS: '3' });
    w = await buildWorld(t.database);
    photos = t.app.get(PhotosService);
    JPEG = await solidJpeg('#996633');
  });
  afterAll(() => t.close());

  async function upload(userId: number) {
    const form = new FormData();
    form.append('file', new Blob([JPEG], { type: 'image/jpeg' }), 'photo.jpg');
    return t.http.request('POST', '/api/photos', { token: t.tokenFor(userId), raw: form });
  }
  const rowsOf = async (userId: number) => Number((await t.database.dataSource.query('SELECT COUNT(*) AS n FROM photo WHERE owner_id = ?', [userId]))[0].n);
  const files = () => filesUnder(join(t.dataDir, 'uploads')).length;

  it('answers 429 RATE_LIMITED with Retry-After at the quota, storing nothing; another user is not affected', async () => {
    const me = w.users.resident;
    const first = t.clock.now().getTime();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await upload(me);
      expect(r.status).toBe(201);
      ids.push(r.body.id);
      t.clock.advance(1000);
    }
    const filesBefore = files();
    const r = await upload(me);
    expect(r.status).toBe(429);
    expect(r.body.code).toBe('RATE_LIMITED');
    expect(r.body.message).toMatch(/[\u4e00-\u9fff]/);
    // The oldest of the three leaves the 24-hour window then.
    expect(r.headers.get('retry-after')).toBe(String(Math.ceil((first + 24 * HOUR - t.clock.now().getTime()) / 1000)));
    expect(await rowsOf(me)).toBe(3);
    expect(files()).toBe(filesBefore);

    expect((await upload(w.users.resident2)).status).toBe(201);

    // Using one in a wish frees a slot.
    await t.database.tx((m) => photos.attach(m, me, [ids[0]], 9401, 'wish'));
    expect((await upload(me)).status).toBe(201);
    expect((await upload(me)).status).toBe(429);

    // A day after the first uploads, they no longer count (whether or not they were deleted yet).
    t.clock.advance(24 * HOUR);
    expect((await upload(me)).status).toBe(201);
  });

  it('holds when uploads arrive at the same time', async () => {
    const me = w.users.member;
    // Widen the window between the count and the insert, so the uploads' transactions overlap there.
    const repo = t.app.get(PhotosRepository);
    const count = repo.unattachedSince.bind(repo);
    jest.spyOn(repo, 'unattachedSince').mockImplementation(async (owner, since, m) => {
      const r = await count(owner, since, m);
      if (m) await new Promise((res) => setTimeout(res, 50));
      return r;
    });
    const results = await Promise.all(Array.from({ length: 6 }, () => upload(me)));
    jest.restoreAllMocks();
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 429, 429, 429]);
    expect(await rowsOf(me)).toBe(3);
    for (const r of results.filter((x) => x.status === 429)) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe(`photos: the unattached-upload sweeper runs on its own when PRIVACY_JOBS_ENABLED (${TEST_DB})`, () => {
  let t: TestApp;
  const clock = new FakeClock(Date.now());

  beforeAll(async () => {
    t = await createTestApp({ PRIVACY_JOBS_ENABLED: 'true', PRIVACY_JOB_INTERVAL_MS: '1000', UPLOAD_ORPHAN_HOURS: '1' }, { clock });
  });
  afterAll(() => t.close());

  it('deletes an upload left alone for longer than UPLOAD_ORPHAN_HOURS within an interval', async () => {
    const w = await buildWorld(t.database);
    const form = new FormData();
    form.append('file', new Blob([await solidJpeg('#123456')], { type: 'image/jpeg' }), 'photo.jpg');
    const r = await t.http.request('POST', '/api/photos', { token: t.tokenFor(w.users.resident), raw: form });
    expect(r.status).toBe(201);
    clock.advance(HOUR + 1000);
    let left = 1;
    for (let i = 0; i < 40 && left > 0; i++) {
      await new Promise((res) => setTimeout(res, 100));
      left = Number((await t.database.dataSource.query('SELECT COUNT(*) AS n FROM photo WHERE id = ?', [r.body.id]))[0].n);
    }
    expect(left).toBe(0);
  });
});
