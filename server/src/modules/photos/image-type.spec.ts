import { detectImageType, IMAGE_EXTENSIONS, IMAGE_MIMES } from './image-type';

const bytes = (...parts: (number[] | string)[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

describe('detectImageType', () => {
  it('recognises JPEG by FF D8 FF', () => {
    expect(detectImageType(bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF'))).toBe('image/jpeg');
    expect(detectImageType(bytes([0xff, 0xd8, 0xff]))).toBe('image/jpeg');
  });

  it('recognises PNG by its 8-byte signature', () => {
    expect(detectImageType(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a], [0, 0, 0, 13], 'IHDR'))).toBe('image/png');
  });

  it('recognises WebP by RIFF....WEBP', () => {
    expect(detectImageType(bytes('RIFF', [0x1a, 0, 0, 0], 'WEBPVP8L'))).toBe('image/webp');
    expect(detectImageType(bytes('RIFF', [0, 0, 0, 0], 'WEBP'))).toBe('image/webp');
  });

  it('refuses other RIFF forms (WAV, AVI)', () => {
    expect(detectImageType(bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt '))).toBeNull();
    expect(detectImageType(bytes('RIFF', [0x24, 0, 0, 0], 'AVI LIST'))).toBeNull();
  });

  it('refuses truncated signatures', () => {
    expect(detectImageType(bytes([0xff, 0xd8]))).toBeNull();
    expect(detectImageType(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a]))).toBeNull();
    expect(detectImageType(bytes('RIFF', [0, 0, 0, 0], 'WEB'))).toBeNull();
    expect(detectImageType(new Uint8Array(0))).toBeNull();
  });

  it('refuses near misses and other formats whatever their name says', () => {
    expect(detectImageType(bytes([0xff, 0xd8, 0xfe]))).toBeNull();
    expect(detectImageType(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0b]))).toBeNull();
    expect(detectImageType(bytes('GIF89a', [1, 0, 1, 0]))).toBeNull();
    expect(detectImageType(bytes('%PDF-1.7\n'))).toBeNull();
    expect(detectImageType(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(detectImageType(bytes('not a photo, just text named photo.jpg'))).toBeNull();
    // The JPEG signature must be at the start, not anywhere in the file.
    expect(detectImageType(bytes([0x00, 0xff, 0xd8, 0xff]))).toBeNull();
  });

  it('works on Buffers as well as Uint8Arrays', () => {
    expect(detectImageType(Buffer.from([0xff, 0xd8, 0xff, 0xdb]))).toBe('image/jpeg');
  });

  it('has an extension for every accepted type', () => {
    for (const m of IMAGE_MIMES) expect(IMAGE_EXTENSIONS[m]).toMatch(/^[a-z]+$/);
  });
});
