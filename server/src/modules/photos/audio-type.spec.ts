import { aacOfSeconds, m4aOfSeconds, mp3OfSeconds } from '../../../test/factories/audio';
import { TINY_JPEG } from '../../../test/factories/images';
import { detectAudio } from './audio-type';

describe('detectAudio', () => {
  it('reads MP3 frames (with or without an ID3 tag) and sums their length', () => {
    const a = detectAudio(mp3OfSeconds(10));
    expect(a?.mime).toBe('audio/mpeg');
    expect(a!.durationMs).toBeGreaterThan(9_950);
    expect(a!.durationMs).toBeLessThan(10_050);
    expect(detectAudio(mp3OfSeconds(61, { id3: true }))!.durationMs).toBeGreaterThan(60_900);
  });

  it('reads ADTS AAC frames and an M4A movie header', () => {
    expect(detectAudio(aacOfSeconds(30))).toEqual({ mime: 'audio/aac', durationMs: 30_016 });
    expect(detectAudio(m4aOfSeconds(42.5))).toEqual({ mime: 'audio/mp4', durationMs: 42_500 });
  });

  it('refuses what is not audio: an image, text, one lone frame header, frames followed by junk', () => {
    expect(detectAudio(TINY_JPEG)).toBeNull();
    expect(detectAudio(Buffer.from('hello, this is not a recording at all'))).toBeNull();
    expect(detectAudio(Buffer.from([0xff, 0xfb, 0x10, 0xc4]))).toBeNull();
    expect(detectAudio(Buffer.concat([mp3OfSeconds(2), Buffer.from('<script>alert(1)</script>'.repeat(10))]))).toBeNull();
  });
});
