// Pixel comparison of two frames: PSNR over RGB after compositing both over white (the colour a
// video shows where a page paints nothing), and a side-by-side image with an amplified diff.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { PNG } = require('pngjs');

/** Decodes a PNG file into { width, height, rgb } (RGB over white, 3 bytes per pixel). */
export function readFrame(file) {
  const png = PNG.sync.read(readFileSync(file));
  const n = png.width * png.height;
  const rgb = Buffer.alloc(n * 3);
  const d = png.data;
  for (let i = 0, j = 0; i < n * 4; i += 4, j += 3) {
    const a = d[i + 3];
    if (a === 255) {
      rgb[j] = d[i];
      rgb[j + 1] = d[i + 1];
      rgb[j + 2] = d[i + 2];
    } else {
      // Straight (unpremultiplied) alpha over white.
      rgb[j] = Math.round((d[i] * a + 255 * (255 - a)) / 255);
      rgb[j + 1] = Math.round((d[i + 1] * a + 255 * (255 - a)) / 255);
      rgb[j + 2] = Math.round((d[i + 2] * a + 255 * (255 - a)) / 255);
    }
  }
  return { width: png.width, height: png.height, rgb };
}

/**
 * PSNR in dB between two frames (Infinity when identical); frames of different sizes compare at
 * 0 dB (the composition's size differs, which the report says).
 */
export function psnr(a, b, { ignore = [] } = {}) {
  if (a.width !== b.width || a.height !== b.height) return 0;
  let sum = 0;
  let n = 0;
  const x = a.rgb;
  const y = b.rgb;
  const w = a.width;
  // Pixels left out of the comparison (see `ignore` in compositions.mjs).
  const skip = (px, py) => ignore.some((r) => px >= r.x && px < r.x + r.width && py >= r.y && py < r.y + r.height);
  for (let p = 0; p < w * a.height; p++) {
    if (ignore.length && skip(p % w, Math.floor(p / w))) continue;
    for (let c = 0; c < 3; c++) {
      const d = x[p * 3 + c] - y[p * 3 + c];
      sum += d * d;
    }
    n += 3;
  }
  const mse = n ? sum / n : 0;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

/**
 * PSNR of two PNG files. `ignore`: rectangles ({ x, y, width, height } in pixels) left out, for
 * parts of a composition that the engine itself draws differently from one render to the next.
 */
export function psnrFiles(fileA, fileB, options) {
  return psnr(readFrame(fileA), readFrame(fileB), options);
}

/**
 * Writes framesmith | engine | diff side by side, scaled down so the width stays near `maxWidth`.
 * The diff is the per-pixel absolute difference, amplified 4x, on black.
 */
export function writeSideBySide(fileA, fileB, out, { maxWidth = 2400 } = {}) {
  const a = readFrame(fileA);
  const b = readFrame(fileB);
  const w = Math.max(a.width, b.width);
  const h = Math.max(a.height, b.height);
  const scale = Math.max(1, Math.ceil((w * 3) / maxWidth));
  const pw = Math.floor(w / scale);
  const ph = Math.floor(h / scale);
  const gap = 8;
  const png = new PNG({ width: pw * 3 + gap * 2, height: ph });
  png.data.fill(0);
  const sample = (f, x, y, c) => {
    // Box filter over scale x scale source pixels (out of range = black).
    let s = 0;
    let k = 0;
    for (let dy = 0; dy < scale; dy++) {
      for (let dx = 0; dx < scale; dx++) {
        const sx = x * scale + dx;
        const sy = y * scale + dy;
        if (sx < f.width && sy < f.height) s += f.rgb[(sy * f.width + sx) * 3 + c];
        k++;
      }
    }
    return s / k;
  };
  for (let y = 0; y < ph; y++) {
    for (let x = 0; x < pw; x++) {
      for (let c = 0; c < 3; c++) {
        const va = sample(a, x, y, c);
        const vb = sample(b, x, y, c);
        png.data[(y * png.width + x) * 4 + c] = va;
        png.data[(y * png.width + pw + gap + x) * 4 + c] = vb;
        png.data[(y * png.width + 2 * (pw + gap) + x) * 4 + c] = Math.min(255, Math.abs(va - vb) * 4);
      }
      for (const off of [0, pw + gap, 2 * (pw + gap)]) png.data[(y * png.width + off + x) * 4 + 3] = 255;
    }
  }
  writeFileSync(out, PNG.sync.write(png));
  return out;
}

/** Median of numbers (Infinity counts as the largest). */
export function median(xs) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)];
}
