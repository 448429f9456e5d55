// Photos are compressed before upload so an ordinary phone photo fits the server's cap (issue 15, "Photos that survive phones").
import { PHOTO_UPLOAD } from '@xinyuan/shared';
import Taro from '../../test/stubs/taro';
import { compressPhoto, encodeUnder, fitWithin, LAST_TRY_SIDE } from './compress-photo';

const MB = 1024 * 1024;

describe('fitWithin', () => {
  it('brings the long side down to the limit, keeping the shape, and never enlarges', () => {
    expect(fitWithin(4000, 3000, 2048)).toEqual({ width: 2048, height: 1536 });
    expect(fitWithin(3000, 4000, 2048)).toEqual({ width: 1536, height: 2048 });
    expect(fitWithin(1200, 900, 2048)).toEqual({ width: 1200, height: 900 });
  });
});

describe('encodeUnder', () => {
  it('stops at the first quality under the target', async () => {
    const tries: [number, number, number][] = [];
    const out = await encodeUnder(4000, 3000, 2 * MB, async (w, h, q) => {
      tries.push([w, h, q]);
      return { size: q > 0.8 ? 3 * MB : 1.5 * MB, q };
    });
    expect(out.q).toBe(0.7);
    expect(tries).toEqual([
      [2048, 1536, 0.85],
      [2048, 1536, 0.7],
    ]);
  });

  it('shrinks the long side on the last try, and gives the smallest when none is under', async () => {
    const tries: [number, number, number][] = [];
    const out = await encodeUnder(3000, 4000, 1 * MB, async (w, h, q) => {
      tries.push([w, h, q]);
      return { size: w * h };
    });
    expect(tries[2]).toEqual([1200, LAST_TRY_SIDE, 0.55]);
    expect(out.size).toBe(1200 * 1600);
  });
});

describe('compressPhoto', () => {
  const fsManager = (Taro.getFileSystemManager as jest.Mock).getMockImplementation()!;
  const env = process.env.TARO_ENV;
  afterEach(() => {
    process.env.TARO_ENV = env;
    (Taro.getFileSystemManager as jest.Mock).mockImplementation(fsManager);
  });

  it('leaves a photo under the target as it is', async () => {
    const file = new Blob([new Uint8Array(1000)], { type: 'image/jpeg' });
    expect(await compressPhoto('blob:x', file)).toEqual({ path: 'blob:x', file });
    process.env.TARO_ENV = 'weapp';
    expect(await compressPhoto('wxfile://a.jpg', null, 300 * 1024)).toEqual({ path: 'wxfile://a.jpg', file: null });
    expect(Taro.compressImage).not.toHaveBeenCalled();
  });

  it('in WeChat, compresses a 7 MB photo with compressImage to the upright width until it is under the target', async () => {
    process.env.TARO_ENV = 'weapp';
    // A portrait photo stored landscape with EXIF "right" (orientation 6): upright it is 3000 wide.
    (Taro.getImageInfo as jest.Mock).mockResolvedValue({ width: 4000, height: 3000, orientation: 'right' });
    (Taro.compressImage as jest.Mock).mockImplementation(async (o: { quality: number }) => ({ tempFilePath: `wxfile://q${o.quality}.jpg` }));
    const sizes: Record<string, number> = { 'wxfile://q85.jpg': 2.6 * MB, 'wxfile://q70.jpg': 1.4 * MB };
    (Taro.getFileSystemManager as jest.Mock).mockImplementation(() => ({ getFileInfo: (o: { filePath: string; success: (r: { size: number }) => void }) => o.success({ size: sizes[o.filePath] }) }));
    const out = await compressPhoto('wxfile://big.jpg', null, 7 * MB);
    expect(out).toEqual({ path: 'wxfile://q70.jpg', file: null });
    expect((Taro.compressImage as jest.Mock).mock.calls.map((c) => c[0])).toEqual([
      { src: 'wxfile://big.jpg', quality: 85, compressedWidth: 1536 },
      { src: 'wxfile://big.jpg', quality: 70, compressedWidth: 1536 },
    ]);
    expect(sizes[out.path]).toBeLessThan(PHOTO_UPLOAD.maxBytes);
  });

  it('sends the photo as it is when it cannot be compressed', async () => {
    process.env.TARO_ENV = 'weapp';
    (Taro.getImageInfo as jest.Mock).mockRejectedValue(new Error('getImageInfo:fail'));
    expect(await compressPhoto('wxfile://odd.heic', null, 7 * MB)).toEqual({ path: 'wxfile://odd.heic', file: null });
    // H5 without createImageBitmap (jsdom): the file itself.
    process.env.TARO_ENV = 'h5';
    const big = new Blob([new Uint8Array(3 * MB)], { type: 'image/jpeg' });
    expect((await compressPhoto('blob:y', big)).file).toBe(big);
  });
});
