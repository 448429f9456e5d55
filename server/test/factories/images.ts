// Real images for the tests: uploads are decoded and re-encoded, so a few magic
// bytes no longer pass for a photo.
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** A real 16×16 JPEG (268 bytes), for tests that need any photo and want it synchronously. */
export const TINY_JPEG = Buffer.from(
  '/9j/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAQABADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAP/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAABv/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/ALgE44//2Q==',
  'base64',
);

/** Where the EXIF of jpegWithGps says it was taken (Tiananmen Square), and the camera it names. */
export const GPS_EXIF = {
  IFD0: { Make: 'XinyuanTestCam', Model: 'Leaky 1', Software: 'exif-test' },
  // IFD3 is the GPS directory.
  IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '39/1 54/1 2706/100', GPSLongitudeRef: 'E', GPSLongitude: '116/1 23/1 2908/100' },
};

/** A single-colour JPEG. */
export function solidJpeg(colour: string, width = 32, height = 24): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } }).jpeg({ quality: 90 }).toBuffer();
}

/**
 * A JPEG whose EXIF carries a GPS position and a camera name, and optionally an
 * orientation (6: the camera was turned, the pixels are stored lying on their side).
 * Left half red, right half blue, so a test can tell which way it was turned.
 */
export async function jpegWithGps(width: number, height: number, orientation = 1): Promise<Buffer> {
  const half = Math.floor(width / 2);
  const red = await sharp({ create: { width: half, height, channels: 3, background: '#ff0000' } }).png().toBuffer();
  return sharp({ create: { width, height, channels: 3, background: '#0000ff' } })
    .composite([{ input: red, left: 0, top: 0 }])
    .jpeg({ quality: 90 })
    .withMetadata({ orientation, exif: GPS_EXIF })
    .toBuffer();
}

/** A PNG with an alpha channel: opaque red on the left half, fully transparent on the right. */
export async function pngWithAlpha(width = 40, height = 20): Promise<Buffer> {
  const half = Math.floor(width / 2);
  const red = await sharp({ create: { width: half, height, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 1 } } }).png().toBuffer();
  return sharp({ create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([{ input: red, left: 0, top: 0 }])
    .png()
    .toBuffer();
}

export function solidWebp(colour: string, width = 32, height = 24): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } }).webp({ quality: 90 }).toBuffer();
}

/** The same JPEG grown to exactly `size` bytes with comment (COM) segments after SOI. */
export function padJpeg(jpeg: Buffer, size: number): Buffer {
  let missing = size - jpeg.length;
  if (missing < 0 || (missing > 0 && missing < 4)) throw new Error(`cannot pad ${jpeg.length} bytes to ${size}`);
  const segments: Buffer[] = [];
  while (missing > 0) {
    // A segment is FF FE, a 2-byte length (counting itself), then the payload; at most 65,535 + 2 bytes.
    let take = Math.min(missing, 65_537);
    if (missing - take > 0 && missing - take < 4) take -= 4;
    const seg = Buffer.alloc(take, 0x20);
    seg[0] = 0xff;
    seg[1] = 0xfe;
    seg.writeUInt16BE(take - 2, 2);
    segments.push(seg);
    missing -= take;
  }
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}

/**
 * A valid, tiny PNG that decodes to width×height pixels (1-bit grey, all black):
 * a decompression bomb in miniature.
 */
export function pngOfPixels(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc((Math.ceil(width / 8) + 1) * height); // filter byte 0 and black pixels on every row
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
