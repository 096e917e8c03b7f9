/**
 * `<video>` in renders: ffmpeg decodes the clip's frames ahead and the page shows them in place of
 * Chromium's own video picture, so repeated renders are bit-identical, and each rendered frame
 * shows the source frame at the expected media time (`data-media-start`, `data-playback-rate`,
 * the clip window and `--frames` ranges included), with the pixels the official engine shows:
 * the frame extracted as a quality-2 JPEG in BT.601 full range with nearest-neighbour chroma
 * (what HeyGen's renderer does with an opaque SDR video), not the lossless decode.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir, useFixture } from '../helpers/fixtures.js';
import type { PNG } from '../helpers/png.js';
import { frameAt, framemd5, makeTestMedia } from './render-helpers.js';

async function render(args: string[]) {
  const r = await runCli(['render', ...args, '--json'], { timeoutMs: 90_000 });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** PSNR (dB) of the RGB of `a` at (ax, ay) against all of `b`. */
function psnr(a: PNG, ax: number, ay: number, b: PNG): number {
  let sum = 0;
  for (let y = 0; y < b.height; y++) {
    for (let x = 0; x < b.width; x++) {
      const p = a.pixel(ax + x, ay + y);
      const q = b.pixel(x, y);
      for (let c = 0; c < 3; c++) sum += (p[c] - q[c]) ** 2;
    }
  }
  const mse = sum / (b.width * b.height * 3);
  return mse === 0 ? 99 : 10 * Math.log10((255 * 255) / mse);
}

/**
 * Source frame `k` of `clip` as an image file at `out`: `jpg` as the official engine extracts it
 * (quality 2, the untagged SD source read as BT.601 and handed over as BT.601 full range with
 * nearest-neighbour chroma), `png` the lossless decode.
 */
function sourceImage(clip: string, k: number, out: string): void {
  const engine = out.endsWith('.jpg')
    ? ',setparams=colorspace=smpte170m,scale=flags=neighbor+accurate_rnd,format=gbrp,scale=out_color_matrix=bt601:out_range=pc:flags=neighbor,format=yuv420p'
    : '';
  const r = spawnSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-y',
      '-i',
      clip,
      '-vf',
      `select=eq(n\\,${k})${engine}`,
      '-frames:v',
      '1',
      ...(out.endsWith('.jpg') ? ['-q:v', '2'] : ['-pix_fmt', 'rgb24']),
      out,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(r.stderr);
}

/** PSNR (dB) of the RGB of the video's box (320x180 at 160,90) in two frames; 99 when identical. */
function regionPsnr(a: PNG, b: PNG): number {
  let sum = 0;
  for (let y = 90; y < 270; y++) {
    for (let x = 160; x < 480; x++) {
      const p = a.pixel(x, y);
      const q = b.pixel(x, y);
      for (let c = 0; c < 3; c++) sum += (p[c] - q[c]) ** 2;
    }
  }
  const mse = sum / (320 * 180 * 3);
  return mse === 0 ? 99 : 10 * Math.log10((255 * 255) / mse);
}

/** The source frame shown at media time `m` of the 30 fps test clip: the last one starting at or before it. */
const sourceFrame = (m: number) => Math.floor(m * 30 + 1e-6);

/**
 * Asserts that rendered frame `n` shows source frame `expected` at (x, y), and not its neighbours
 * (against the lossless source frames: the engine's JPEG is a few levels off those, see below).
 */
function expectShows(video: string, n: number, x: number, y: number, clip: string, expected: number): void {
  const shot = frameAt(video, n);
  const score = (k: number) => psnr(shot, x, y, frameAt(clip, k));
  const own = score(expected);
  expect(own, `frame ${n} against source frame ${expected}`).toBeGreaterThan(27);
  for (const k of [expected - 1, expected + 1])
    if (k >= 0) expect(own, `frame ${n}: source ${expected} vs ${k}`).toBeGreaterThan(score(k) + 4);
}

const framesFolders = () => readdirSync(tmpdir()).filter((d) => d.startsWith('framesmith-video-frames-'));

describe('<video> frames are decoded by ffmpeg in renders', () => {
  test('four renders with 1 and 2 workers are identical and show the right source frames', async () => {
    const dir = useFixture('render-media');
    makeTestMedia(dir);
    const out = tempDir();
    const before = new Set(framesFolders());
    const hashes: string[][] = [];
    for (const [i, workers] of ['1', '2', '1', '2'].entries()) {
      const r = await render([dir, '-o', join(out, `v${i}.mp4`), '--workers', workers, '--fps', '10']);
      hashes.push(framemd5(r.output));
    }
    expect(hashes[0]).toHaveLength(30);
    for (const h of hashes.slice(1)) expect(h).toEqual(hashes[0]);
    // The clip (320x180 at 160,90) starts at 0.5 s: frame 12 (1.2 s) shows media time 0.7 s.
    const clip = join(dir, 'media', 'clip.mp4');
    for (const n of [5, 12, 23]) expectShows(join(out, 'v0.mp4'), n, 160, 90, clip, sourceFrame(n / 10 - 0.5));
    // The decoded frames live in a temp folder for the render only.
    expect(framesFolders().filter((d) => !before.has(d))).toEqual([]);
  });

  test('data-media-start, data-playback-rate and --frames pick the media time the contract gives', async () => {
    const dir = tempDir();
    makeTestMedia(dir);
    writeFileSync(
      join(dir, 'index.html'),
      `<!doctype html><html><head><style>html,body{margin:0;background:#000}#root{position:relative;width:320px;height:180px;overflow:hidden;background:#123}#clip{position:absolute;left:0;top:0;width:320px;height:180px}</style></head><body>
<div id="root" data-composition-id="main" data-width="320" data-height="180" data-start="0" data-duration="1.5" data-fps="10" data-no-timeline>
  <video id="clip" class="clip" src="media/clip.mp4" muted playsinline data-start="0.2" data-duration="1.2" data-media-start="0.25" data-playback-rate="1.5" data-track-index="0"></video>
</div></body></html>`,
    );
    const out = tempDir();
    const clip = join(dir, 'media', 'clip.mp4');
    const media = (n: number) => 0.25 + (n / 10 - 0.2) * 1.5;
    const full = await render([dir, '-o', join(out, 'full.mp4'), '--fps', '10', '--workers', '2']);
    for (const n of [2, 5, 9, 13]) expectShows(full.output, n, 0, 0, clip, sourceFrame(media(n)));
    // A short range decodes only what it shows, and shows the same frames.
    const part = await render([dir, '-o', join(out, 'part.mp4'), '--fps', '10', '--workers', '1', '--frames', '8-10']);
    expect(part.frames).toBe(3);
    for (const n of [0, 1, 2]) expectShows(part.output, n, 0, 0, clip, sourceFrame(media(8 + n)));
  });

  test("the video's pixels are the engine's: its JPEG of the frame as Chromium draws it, not the lossless frame", async () => {
    const dir = useFixture('render-media');
    makeTestMedia(dir);
    const clip = join(dir, 'media', 'clip.mp4');
    const out = tempDir();
    // Frame 12 at 10 fps (1.2 s) shows media time 0.7 s: source frame 21.
    const video = await render([dir, '-o', join(out, 'video.mp4'), '--fps', '10', '--frames', '12-12']);
    const shot = frameAt(video.output, 0);
    // The same page with the video replaced by an <img> of that source frame, in a layer of its
    // own as the runtime gives the video's picture: once the engine's JPEG, once the lossless PNG.
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    const asImage = async (ext: 'jpg' | 'png') => {
      const project = tempDir();
      mkdirSync(join(project, 'media'));
      sourceImage(clip, 21, join(project, 'media', `frame.${ext}`));
      const page = html
        .replace(/<video id="clip"[^>]*><\/video>/, `<img id="clip" src="media/frame.${ext}" style="will-change: transform">`)
        .replace(/<audio[^>]*><\/audio>/, '');
      expect(page).toContain(`frame.${ext}`);
      writeFileSync(join(project, 'index.html'), page);
      const r = await render([project, '-o', join(out, `${ext}.mp4`), '--fps', '10', '--frames', '12-12']);
      return frameAt(r.output, 0);
    };
    const engine = regionPsnr(shot, await asImage('jpg'));
    const lossless = regionPsnr(shot, await asImage('png'));
    console.log(`video region: ${engine.toFixed(2)} dB against the engine's JPEG, ${lossless.toFixed(2)} dB against the lossless frame`);
    expect(engine, "against the engine's JPEG").toBeGreaterThanOrEqual(60);
    // Still the same picture as the lossless frame, colours a few levels off and softer colour edges.
    expect(lossless, 'against the lossless frame').toBeGreaterThan(28);
    expect(lossless, 'against the lossless frame').toBeLessThan(engine - 10);
  });
});
