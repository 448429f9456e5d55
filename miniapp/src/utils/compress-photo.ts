// Shrinking a picked photo before it is uploaded, so an ordinary 6–7 MB phone photo fits the
// server's cap (PHOTO_UPLOAD.maxBytes): WeChat's compressImage, a canvas in H5. The server
// re-encodes whatever arrives (upright, no EXIF), so this only has to make it small enough.
import Taro from '@tarojs/taro';
import { PHOTO_UPLOAD } from '@xinyuan/shared';
import { isWeapp } from './platform';

/** What goes up: a path (WeChat) and, in H5, the Blob to post. */
export interface PhotoToSend {
  path: string;
  file: Blob | null;
}

/** JPEG qualities tried in turn (0–1) until the photo is under the target; the last try also shrinks the long side. */
export const QUALITY_STEPS = [0.85, 0.7, 0.55] as const;
/** The long side of the last, smallest try. */
export const LAST_TRY_SIDE = 1600;

/** Width and height that fit `maxSide` on the long side, keeping the shape (never enlarged). */
export function fitWithin(width: number, height: number, maxSide: number): { width: number; height: number } {
  const long = Math.max(width, height);
  if (long <= maxSide) return { width, height };
  const k = maxSide / long;
  return { width: Math.max(1, Math.round(width * k)), height: Math.max(1, Math.round(height * k)) };
}

/**
 * Tries the quality steps with `encode` (which draws at the given size and quality) until one
 * result is at most `target` bytes; returns the smallest result otherwise (the server then says
 * whether it is still too large).
 */
export async function encodeUnder<T extends { size: number }>(
  width: number,
  height: number,
  target: number,
  encode: (w: number, h: number, quality: number) => Promise<T>,
): Promise<T> {
  let best: T | null = null;
  for (let i = 0; i < QUALITY_STEPS.length; i++) {
    const side = i === QUALITY_STEPS.length - 1 ? LAST_TRY_SIDE : PHOTO_UPLOAD.maxSide;
    const size = fitWithin(width, height, side);
    const out = await encode(size.width, size.height, QUALITY_STEPS[i]);
    if (!best || out.size < best.size) best = out;
    if (out.size <= target) return out;
  }
  return best!;
}

/** H5: decode (EXIF orientation applied, so the picture stays upright), draw on a canvas, JPEG. */
async function compressInBrowser(file: Blob): Promise<Blob> {
  if (typeof createImageBitmap !== 'function') return file;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return file; // a format the browser cannot read (HEIC...): the server answers for it
  }
  try {
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d');
    if (!ctx) return file;
    const out = await encodeUnder(bitmap.width, bitmap.height, PHOTO_UPLOAD.targetBytes, (w, h, quality) => {
      canvas.width = w;
      canvas.height = h;
      // JPEG has no transparency: a PNG screenshot's clear parts become white, not black.
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, w, h);
      ctx.drawImage(bitmap, 0, 0, w, h);
      return new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob failed'))), 'image/jpeg', quality));
    });
    return out.size < file.size ? out : file;
  } catch {
    return file;
  } finally {
    bitmap.close();
  }
}

/** A file's bytes; 0 when WeChat cannot say (the first, 2048 px try is then taken). */
function fileSize(filePath: string): Promise<number> {
  return new Promise((resolve) => {
    try {
      Taro.getFileSystemManager().getFileInfo({ filePath, success: (r) => resolve(r.size), fail: () => resolve(0) });
    } catch {
      resolve(0);
    }
  });
}

/** WeChat: compressImage at falling qualities; getImageInfo's sizes are the upright ones. */
async function compressInWechat(path: string): Promise<string> {
  const info = await Taro.getImageInfo({ src: path });
  // getImageInfo reports the stored sides; orientations 5–8 (right/left…) are turned a quarter.
  const turned = /^(left|right)/.test(String(info.orientation ?? 'up'));
  const [w, h] = turned ? [info.height, info.width] : [info.width, info.height];
  const out = await encodeUnder(w, h, PHOTO_UPLOAD.targetBytes, async (width, height, quality) => {
    // The width alone: WeChat keeps the shape (its height option is spelt differently across versions).
    void height;
    const r = await Taro.compressImage({ src: path, quality: Math.round(quality * 100), compressedWidth: width });
    return { path: r.tempFilePath, size: await fileSize(r.tempFilePath) };
  });
  return out.path;
}

/**
 * The photo to upload: as picked when it is already under the target, otherwise compressed.
 * `size`: the picked file's bytes where the picker said (chooseMedia does). Never throws: a
 * photo that cannot be compressed goes up as it is.
 */
export async function compressPhoto(path: string, file: Blob | null, size?: number): Promise<PhotoToSend> {
  const bytes = file?.size ?? size ?? Infinity;
  if (bytes <= PHOTO_UPLOAD.targetBytes) return { path, file };
  try {
    if (isWeapp()) return { path: await compressInWechat(path), file: null };
    if (file) return { path, file: await compressInBrowser(file) };
  } catch {
    /* send it as it is */
  }
  return { path, file };
}
