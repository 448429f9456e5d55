import { availableParallelism } from 'node:os';
import { Injectable } from '@nestjs/common';
import sharp from 'sharp';
import { PHOTO_UPLOAD } from '@xinyuan/shared';
import { detectImageType, type ImageMime } from './image-type';
import { PhotosException } from './photos.exception';

/** Stored photos are at most this many pixels on their long side (never enlarged). */
export const PHOTO_MAX_SIDE = PHOTO_UPLOAD.maxSide;
/** JPEG quality of stored photos: visually clean for photos of rooms and repairs, about 150–450 KB at 2048 px. */
export const PHOTO_JPEG_QUALITY = 82;
/** Larger inputs are refused before decoding: a small file may unpack to gigabytes (decompression bomb). */
export const PHOTO_MAX_INPUT_PIXELS = 40_000_000;
/** Every stored photo is a JPEG. */
export const STORED_PHOTO_MIME = 'image/jpeg';

export interface StoredImage {
  data: Buffer;
  mime: typeof STORED_PHOTO_MIME;
  width: number;
  height: number;
}

// sharp's names for the formats detectImageType accepts.
const SHARP_FORMAT: Record<ImageMime, string> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp' };

const INPUT: sharp.SharpOptions = {
  limitInputPixels: PHOTO_MAX_INPUT_PIXELS,
  // 'error' refuses truncated and corrupt data but lets through the harmless
  // warnings some phone cameras produce (e.g. extra bytes before a marker).
  failOn: 'error',
};

/** At most `limit` tasks at once; the rest wait in arrival order. */
export class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next in line, or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/**
 * Turns an upload into the photo that is stored: only what decodes as a JPEG,
 * PNG or WebP gets through; it is turned upright (EXIF orientation), shrunk to
 * PHOTO_MAX_SIDE, flattened onto white and written as a fresh JPEG without any
 * metadata (no EXIF, so no GPS position, camera serial or time; no XMP, no ICC).
 */
@Injectable()
export class PhotoImages {
  /**
   * Decoding a 12 MP photo keeps a core busy for about a quarter of a second and
   * runs on libuv's thread pool, which file reads and writes share. Half the
   * cores at most, so uploads never starve other requests.
   */
  private readonly gate = new Gate(Math.max(1, Math.floor(availableParallelism() / 2)));

  constructor() {
    // One libvips thread per image (the gate decides how many images run); no
    // operation cache: every upload is a different image.
    sharp.concurrency(1);
    sharp.cache(false);
  }

  /** Throws PHOTO_TYPE_UNSUPPORTED (415) for anything that is not a readable image, PHOTO_TOO_LARGE (413) above PHOTO_MAX_INPUT_PIXELS. */
  async normalize(input: Buffer): Promise<StoredImage> {
    // The signature check first: sharp reads many more formats (SVG, TIFF, GIF, HEIF...) than we accept.
    const declared = detectImageType(input);
    if (!declared) throw new PhotosException('PHOTO_TYPE_UNSUPPORTED');
    return this.gate.run(async () => {
      let meta: sharp.Metadata;
      try {
        // Reads the header only: cheap, and tells the size before anything is decoded.
        meta = await sharp(input, INPUT).metadata();
      } catch (e) {
        throw refusal(e);
      }
      if (meta.format !== SHARP_FORMAT[declared] || !meta.width || !meta.height) throw unreadable();
      if (meta.width * (meta.pageHeight ?? meta.height) > PHOTO_MAX_INPUT_PIXELS) throw tooManyPixels();
      try {
        const { data, info } = await sharp(input, INPUT)
          .rotate()
          .resize({ width: PHOTO_MAX_SIDE, height: PHOTO_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
          .flatten({ background: '#ffffff' })
          .jpeg({ quality: PHOTO_JPEG_QUALITY, mozjpeg: false })
          .toBuffer({ resolveWithObject: true });
        return { data, mime: STORED_PHOTO_MIME, width: info.width, height: info.height };
      } catch (e) {
        throw refusal(e);
      }
    });
  }
}

function unreadable(): PhotosException {
  return new PhotosException('PHOTO_TYPE_UNSUPPORTED', '照片无法读取，请重新选择照片', ['the image could not be decoded']);
}

function tooManyPixels(): PhotosException {
  return new PhotosException('PHOTO_TOO_LARGE', '照片像素太多，请缩小后再上传', [`at most ${PHOTO_MAX_INPUT_PIXELS / 1_000_000} megapixels`]);
}

/** sharp's error for a bad input: over the pixel limit is 413, anything else it cannot read is 415. */
function refusal(e: unknown): PhotosException {
  if (e instanceof PhotosException) return e;
  if (/pixel limit/i.test(String((e as Error)?.message))) return tooManyPixels();
  return unreadable();
}
