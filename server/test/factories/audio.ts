// Voice notes for the tests, built frame by frame (as an encoder lays them out): the server reads
// the type and length from the frames, so a few magic bytes do not pass for a recording.

/** MPEG-1 Layer III, 32 kbps, 44.1 kHz, mono: 104-byte frames of 1152 samples (26.1 ms each), silent. */
export function mp3OfSeconds(seconds: number, { id3 = false } = {}): Buffer {
  const frames = Math.round((seconds * 44100) / 1152);
  const frame = Buffer.alloc(104);
  frame.set([0xff, 0xfb, 0x10, 0xc4]);
  const tag = id3 ? Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 10, ...Buffer.alloc(10)]) : Buffer.alloc(0);
  return Buffer.concat([tag, ...Array.from({ length: frames }, () => frame)]);
}

/** AAC in ADTS frames, 16 kHz, mono: 1024 samples (64 ms) per frame, 60-byte frames. */
export function aacOfSeconds(seconds: number): Buffer {
  const frames = Math.round((seconds * 16000) / 1024);
  const len = 60;
  const frame = Buffer.alloc(len);
  // syncword, MPEG-4, no CRC; AAC LC (profile 1), rate index 8 (16 kHz), 1 channel; frame length; 1 raw block.
  frame.set([0xff, 0xf1, (1 << 6) | (8 << 2) | 0, (1 << 6) | (len >> 11), (len >> 3) & 0xff, ((len & 7) << 5) | 0x1f, 0xfc]);
  return Buffer.concat(Array.from({ length: frames }, () => frame));
}

/** An M4A file reduced to what says its length: ftyp, and moov with a version-0 mvhd. */
export function m4aOfSeconds(seconds: number): Buffer {
  const box = (type: string, body: Buffer) => {
    const h = Buffer.alloc(8);
    h.writeUInt32BE(8 + body.length);
    h.write(type, 4, 'latin1');
    return Buffer.concat([h, body]);
  };
  const mvhd = Buffer.alloc(100);
  mvhd.writeUInt32BE(1000, 12); // timescale
  mvhd.writeUInt32BE(Math.round(seconds * 1000), 16); // duration
  return Buffer.concat([box('ftyp', Buffer.from('M4A \0\0\0\0M4A isom', 'latin1')), box('moov', box('mvhd', mvhd)), box('mdat', Buffer.alloc(200))]);
}
