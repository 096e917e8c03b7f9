// Encode quality as issue 18 defines it: PSNR of a video against its own engine's lossless frames
// at the same frame numbers. framesmith's lossless frames are its PNG stills (`framesmith
// snapshot --at`); the official engine's are its `--format png-sequence` render (its own
// snapshot stills do not always match its render). The video's frames are decoded by ffmpeg
// (BT.709 limited range, as both engines tag them) to RGB; stills with transparency are laid
// over white, the background an opaque render shows. PSNR is over R, G and B: per frame, and
// pooled (the mean squared error of all sampled frames together, so a frame that is exactly
// equal does not make the figure infinite).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { tempDir } from './lib.mjs';

/** `n` frame numbers spread over `total` frames (centres of n equal parts). */
export function sampleFrames(total, n = 12) {
  const out = new Set();
  for (let i = 0; i < n; i++) out.add(Math.min(total - 1, Math.floor(((i + 0.5) * total) / n)));
  return [...out];
}

/** Decodes `frames` (0-based frame numbers) of `video` to RGB PNGs; returns frame -> file. */
export function videoFramesAsPng(video, frames, outDir = tempDir('framesmith-q-')) {
  mkdirSync(outDir, { recursive: true });
  const select = frames.map((f) => `eq(n\\,${f})`).join('+');
  const vf = `select='${select}',scale=in_color_matrix=bt709:in_range=tv:out_range=pc:flags=bicubic+accurate_rnd+full_chroma_int,format=rgb24`;
  const r = spawnSync(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-i', video, '-vf', vf, '-vsync', '0', '-f', 'image2', join(outDir, '%d.png')],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`decoding ${video} failed: ${r.stderr.slice(-400)}`);
  const sorted = [...frames].sort((a, b) => a - b);
  const files = readdirSync(outDir)
    .filter((f) => /^\d+\.png$/.test(f))
    .sort((a, b) => parseInt(a) - parseInt(b));
  if (files.length !== sorted.length) throw new Error(`${video}: decoded ${files.length} of ${sorted.length} frames`);
  return new Map(sorted.map((f, i) => [f, join(outDir, files[i])]));
}

/** RGB bytes of a PNG file, alpha laid over white. */
function rgbOf(file) {
  const png = PNG.sync.read(readFileSync(file));
  const { width, height, data } = png;
  const rgb = Buffer.alloc(width * height * 3);
  for (let i = 0, j = 0; i < data.length; i += 4, j += 3) {
    const a = data[i + 3];
    if (a === 255) {
      rgb[j] = data[i];
      rgb[j + 1] = data[i + 1];
      rgb[j + 2] = data[i + 2];
    } else {
      for (let c = 0; c < 3; c++) rgb[j + c] = Math.round((data[i + c] * a + 255 * (255 - a)) / 255);
    }
  }
  return { width, height, rgb };
}

/** Sum of squared errors and sample count between two PNGs of the same size. */
export function squaredError(a, b) {
  const x = rgbOf(a);
  const y = rgbOf(b);
  if (x.width !== y.width || x.height !== y.height)
    throw new Error(`size differs: ${a} ${x.width}x${x.height}, ${b} ${y.width}x${y.height}`);
  let sse = 0;
  for (let i = 0; i < x.rgb.length; i++) {
    const d = x.rgb[i] - y.rgb[i];
    sse += d * d;
  }
  return { sse, n: x.rgb.length };
}

export const psnrOf = (sse, n) => (sse === 0 ? Infinity : 10 * Math.log10((255 * 255 * n) / sse));

/**
 * PSNR of `video` against lossless frames: `reference` maps frame number -> PNG file.
 * Returns { pooled, min, frames: [{frame, psnr}] }.
 */
export function videoPsnr(video, reference) {
  const decoded = videoFramesAsPng(video, [...reference.keys()]);
  let sse = 0;
  let n = 0;
  const frames = [];
  for (const [frame, ref] of reference) {
    const e = squaredError(decoded.get(frame), ref);
    sse += e.sse;
    n += e.n;
    frames.push({ frame, psnr: psnrOf(e.sse, e.n) });
  }
  return { pooled: psnrOf(sse, n), min: Math.min(...frames.map((f) => f.psnr)), frames };
}

/** framesmith's lossless frames: PNG stills at the frames' times. Returns frame -> file. */
export function framesmithStills(cli, dir, frames, fps = 30, extra = []) {
  const out = tempDir('framesmith-stills-');
  const times = frames.map((f) => (f / fps).toFixed(6));
  const r = spawnSync(process.execPath, [cli, 'snapshot', dir, '--at', times.join(','), '--out', out, '--json', ...extra], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`framesmith snapshot failed: ${r.stderr.slice(-1000)}`);
  const { stills } = JSON.parse(r.stdout);
  return new Map(frames.map((f, i) => [f, stills.find((s) => Math.abs(s.time - Number(times[i])) < 1e-6).file]));
}

/** The official engine's lossless frames of a `--format png-sequence` render folder. Returns frame -> file. */
export function officialPngFrames(folder, frames) {
  const files = readdirSync(folder)
    .filter((f) => /\.png$/i.test(f))
    .sort();
  return new Map(frames.map((f) => [f, join(folder, files[f])]));
}
