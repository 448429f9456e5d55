// How long an upload's decode and re-encode takes: a 12 MP phone-like JPEG (4032×3024,
// EXIF with GPS, orientation 6) through PhotoImages.normalize, median of 5 after a warm-up.
//   cd server && node -r ./test/fakes/ts-register.js bench/photo-normalize.bench.ts [file.jpg]
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { PhotoImages } from '../src/modules/photos/photo-images';
import { GPS_EXIF } from '../test/factories/images';

/** Smooth shapes plus sensor-like noise, so it compresses like a photo (about 3 MB at quality 92). */
async function phoneLikeJpeg(width = 4032, height = 3024): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  let seed = 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const n = ((seed >> 16) % 13) - 6;
      const i = (y * width + x) * 3;
      raw[i] = clamp(128 + 90 * Math.sin(x / 150) * Math.cos(y / 210) + n);
      raw[i + 1] = clamp((y * 200) / height + 30 + n);
      raw[i + 2] = clamp(128 + 80 * Math.sin((x + y) / 97) + n);
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 92 }).withMetadata({ orientation: 6, exif: GPS_EXIF }).toBuffer();
}

const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));

async function main(): Promise<void> {
  const input = process.argv[2] ? readFileSync(process.argv[2]) : await phoneLikeJpeg();
  const inMeta = await sharp(input).metadata();
  console.log(`input: ${inMeta.width}×${inMeta.height}, ${(input.length / 1e6).toFixed(2)} MB, orientation ${inMeta.orientation}, EXIF ${inMeta.exif ? `${inMeta.exif.length} bytes` : 'none'}`);
  const images = new PhotoImages();
  await images.normalize(input); // warm-up
  const times: number[] = [];
  // CPU time of the process (libvips works on libuv's threads): what other requests lose, and
  // less disturbed than wall time when something else is running on the machine.
  const cpu: number[] = [];
  let out = await images.normalize(input);
  for (let i = 0; i < 5; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    out = await images.normalize(input);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const outMeta = await sharp(out.data).metadata();
  console.log(`output: ${out.width}×${out.height} ${out.mime}, ${(out.data.length / 1e3).toFixed(0)} KB, EXIF ${outMeta.exif ? 'present' : 'none'}`);
  console.log(`normalize: median ${times[2].toFixed(0)} ms wall (runs ${times.map((t) => t.toFixed(0)).join(', ')} ms), median ${cpu[2].toFixed(0)} ms CPU`);
}

void main();
