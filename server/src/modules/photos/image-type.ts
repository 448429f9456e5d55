// Photo types are decided by the bytes, never by the declared mimetype or the
// file name, which the client controls.

export const IMAGE_MIMES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ImageMime = (typeof IMAGE_MIMES)[number];

/** File extension used in storage keys, so files on disk open with the right viewer. */
export const IMAGE_EXTENSIONS: Record<ImageMime, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const RIFF = [0x52, 0x49, 0x46, 0x46]; // "RIFF"
const WEBP = [0x57, 0x45, 0x42, 0x50]; // "WEBP"

function startsWithAt(data: Uint8Array, sig: readonly number[], offset = 0): boolean {
  if (data.length < offset + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (data[offset + i] !== sig[i]) return false;
  return true;
}

/** The image type of the content by its magic bytes: JPEG, PNG or WebP; null for anything else. */
export function detectImageType(data: Uint8Array): ImageMime | null {
  if (startsWithAt(data, JPEG)) return 'image/jpeg';
  if (startsWithAt(data, PNG)) return 'image/png';
  // RIFF container: "RIFF", 4-byte little-endian size, then the form type "WEBP".
  if (startsWithAt(data, RIFF) && startsWithAt(data, WEBP, 8)) return 'image/webp';
  return null;
}
