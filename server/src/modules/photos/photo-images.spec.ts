import sharp from 'sharp';
import { Gate, PHOTO_MAX_SIDE, PhotoImages } from './photo-images';

describe('Gate', () => {
  it('runs at most `limit` tasks at once, the rest in arrival order', async () => {
    const gate = new Gate(2);
    let active = 0;
    let most = 0;
    const order: number[] = [];
    const task = (i: number) => async () => {
      active++;
      most = Math.max(most, active);
      order.push(i);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      return i;
    };
    const results = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => gate.run(task(i))));
    expect(results).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(gate.queued).toBe(0);
  });

  it('frees the slot of a task that fails', async () => {
    const gate = new Gate(1);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(async () => 'next')).resolves.toBe('next');
  });
});

describe('PhotoImages', () => {
  const images = new PhotoImages();

  it('keeps sharp to one thread per image and no cache', () => {
    expect(sharp.concurrency()).toBe(1);
    expect(sharp.cache()).toMatchObject({ memory: { max: 0 }, items: { max: 0 } });
  });

  it('writes a clean, upright JPEG of at most PHOTO_MAX_SIDE pixels', async () => {
    const input = await sharp({ create: { width: 2600, height: 1200, channels: 3, background: '#406080' } })
      .jpeg()
      .withMetadata({ orientation: 8, exif: { IFD0: { Make: 'SpecCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 14/1 0/1' } } })
      .toBuffer();
    const out = await images.normalize(input);
    expect([out.mime, out.width, out.height]).toEqual(['image/jpeg', 945, PHOTO_MAX_SIDE]);
    const meta = await sharp(out.data).metadata();
    expect([meta.format, meta.width, meta.height, meta.exif, meta.orientation]).toEqual(['jpeg', 945, PHOTO_MAX_SIDE, undefined, undefined]);
  });

  it('refuses with the codes the API answers', async () => {
    await expect(images.normalize(Buffer.from('plain text'))).rejects.toMatchObject({ code: 'PHOTO_TYPE_UNSUPPORTED', status: 415 });
    await expect(images.normalize(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]))).rejects.toMatchObject({ code: 'PHOTO_TYPE_UNSUPPORTED', status: 415 });
    // 42 megapixels of black: a small file that would decode to 126 MB.
    const big = await sharp(Buffer.alloc(7000 * 6000), { raw: { width: 7000, height: 6000, channels: 1 } }).png({ compressionLevel: 1 }).toBuffer();
    await expect(images.normalize(big)).rejects.toMatchObject({ code: 'PHOTO_TOO_LARGE', status: 413 });
  });
});
