// Voice notes' types and lengths are read from the bytes, never from the declared mimetype,
// the file name or a duration the client states. WeChat's RecorderManager writes MP3 (format
// 'mp3') or AAC (format 'aac': ADTS frames, or an M4A file on some phones).

export const AUDIO_MIMES = ['audio/mpeg', 'audio/aac', 'audio/mp4'] as const;
export type AudioMime = (typeof AUDIO_MIMES)[number];
export const AUDIO_EXTENSIONS: Record<AudioMime, string> = { 'audio/mpeg': 'mp3', 'audio/aac': 'aac', 'audio/mp4': 'm4a' };

export interface AudioInfo {
  mime: AudioMime;
  /** Length of the sound, summed over its frames (MP3, ADTS) or from the movie header (M4A). */
  durationMs: number;
}

// MPEG audio: bitrates (kbps) by [version 1 | 2/2.5][layer III | II | I], sample rates by version.
const MP3_BITRATES: Record<string, number[]> = {
  '1-3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '1-2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  '1-1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  '2-3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  '2-2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  '2-1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
};
const MP3_RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };
const ADTS_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

/** An MPEG audio frame at `i`: its length in bytes and its samples, or null. */
function mp3Frame(d: Uint8Array, i: number): { length: number; samples: number; rate: number } | null {
  if (i + 4 > d.length || d[i] !== 0xff || (d[i + 1] & 0xe0) !== 0xe0) return null;
  const version = (d[i + 1] >> 3) & 3; // 3: MPEG 1, 2: MPEG 2, 0: MPEG 2.5
  const layer = (d[i + 1] >> 1) & 3; // 1: III, 2: II, 3: I
  if (version === 1 || layer === 0) return null;
  const bitrateIndex = d[i + 2] >> 4;
  const rateIndex = (d[i + 2] >> 2) & 3;
  if (bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const layerNo = 4 - layer;
  const kbps = MP3_BITRATES[`${version === 3 ? 1 : 2}-${layerNo}`][bitrateIndex];
  const rate = MP3_RATES[version][rateIndex];
  const padding = (d[i + 2] >> 1) & 1;
  const samples = layerNo === 1 ? 384 : layerNo === 3 && version !== 3 ? 576 : 1152;
  const length = layerNo === 1 ? (Math.floor((12 * kbps * 1000) / rate) + padding) * 4 : Math.floor(((samples / 8) * kbps * 1000) / rate) + padding;
  return length >= 4 ? { length, samples, rate } : null;
}

/** An ADTS (AAC) frame at `i`, or null. */
function adtsFrame(d: Uint8Array, i: number): { length: number; samples: number; rate: number } | null {
  if (i + 7 > d.length || d[i] !== 0xff || (d[i + 1] & 0xf6) !== 0xf0) return null;
  const rate = ADTS_RATES[(d[i + 2] >> 2) & 0xf];
  const length = ((d[i + 3] & 3) << 11) | (d[i + 4] << 3) | (d[i + 5] >> 5);
  if (!rate || length < 7) return null;
  return { length, samples: ((d[i + 6] & 3) + 1) * 1024, rate };
}

/** Walks frames from `start`; the file must be frames to its end (an ID3v1 tag may close an MP3). */
function walk(d: Uint8Array, start: number, frame: typeof mp3Frame): number | null {
  let i = start;
  let seconds = 0;
  let frames = 0;
  while (i < d.length) {
    const f = frame(d, i);
    if (!f) {
      if (frames > 0 && d.length - i === 128 && d[i] === 0x54 && d[i + 1] === 0x41 && d[i + 2] === 0x47) break; // "TAG"
      // A frame cut short by the end of the file is tolerated; anything else is not this format.
      if (frames > 1 && d.length - i < 4) break;
      return null;
    }
    if (i + f.length > d.length && frames > 1) break;
    seconds += f.samples / f.rate;
    frames++;
    i += f.length;
  }
  return frames >= 2 ? Math.round(seconds * 1000) : null;
}

/** ID3v2 tag length (header included) at the start of an MP3, 0 when there is none. */
function id3Length(d: Uint8Array): number {
  if (d.length < 10 || d[0] !== 0x49 || d[1] !== 0x44 || d[2] !== 0x33) return 0;
  return 10 + ((d[6] & 0x7f) << 21) + ((d[7] & 0x7f) << 14) + ((d[8] & 0x7f) << 7) + (d[9] & 0x7f);
}

const ascii = (d: Uint8Array, i: number, n: number) => String.fromCharCode(...d.subarray(i, i + n));
const u32 = (d: Uint8Array, i: number) => ((d[i] << 24) >>> 0) + (d[i + 1] << 16) + (d[i + 2] << 8) + d[i + 3];
const M4A_BRANDS = new Set(['M4A ', 'M4B ', 'mp42', 'isom', 'mp41']);

/** The `mvhd` duration of an MP4/M4A file (ftyp with an audio brand), or null. */
function m4aDuration(d: Uint8Array): number | null {
  if (d.length < 16 || ascii(d, 4, 4) !== 'ftyp' || !M4A_BRANDS.has(ascii(d, 8, 4))) return null;
  const box = (from: number, to: number, type: string): [number, number] | null => {
    for (let i = from; i + 8 <= to; ) {
      const size = u32(d, i);
      if (size < 8 || i + size > to) return null;
      if (ascii(d, i + 4, 4) === type) return [i + 8, i + size];
      i += size;
    }
    return null;
  };
  const moov = box(0, d.length, 'moov');
  const mvhd = moov && box(moov[0], moov[1], 'mvhd');
  if (!mvhd) return null;
  const [b, end] = mvhd;
  const v1 = d[b] === 1;
  if (b + (v1 ? 32 : 20) > end) return null;
  const timescale = u32(d, b + (v1 ? 20 : 12));
  const duration = v1 ? u32(d, b + 24) * 2 ** 32 + u32(d, b + 28) : u32(d, b + 16);
  return timescale > 0 ? Math.round((duration / timescale) * 1000) : null;
}

/** The audio type and length of the content: MP3, AAC (ADTS) or M4A; null for anything else. */
export function detectAudio(data: Uint8Array): AudioInfo | null {
  const m4a = m4aDuration(data);
  if (m4a !== null) return { mime: 'audio/mp4', durationMs: m4a };
  const adts = walk(data, 0, adtsFrame);
  if (adts !== null) return { mime: 'audio/aac', durationMs: adts };
  const mp3 = walk(data, id3Length(data), mp3Frame);
  if (mp3 !== null) return { mime: 'audio/mpeg', durationMs: mp3 };
  return null;
}
