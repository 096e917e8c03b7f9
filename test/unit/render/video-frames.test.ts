/**
 * The image format and colour handling of a render's decoded `<video>` frames, per source, as the
 * official engine extracts them: JPEG (quality 2, BT.601 full range, nearest-neighbour chroma)
 * for an opaque SDR source, PNG with its alpha for a source that may carry alpha.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { silentLogger } from '../../../src/core/logger.js';
import { loadProject } from '../../../src/model/index.js';
import { findFfmpeg } from '../../../src/render/ffmpeg.js';
import { colourFilters, extractVideoFrames, frameFormat, type VideoSourceInfo } from '../../../src/render/video-frames.js';
import { tempDir } from '../../helpers/fixtures.js';
import { PNG } from '../../helpers/png.js';

const source = (over: Partial<VideoSourceInfo>): VideoSourceInfo => ({
  frame: 1 / 30,
  duration: 1,
  codec: 'h264',
  pixFmt: 'yuv420p',
  height: 360,
  matrix: '',
  transfer: '',
  alphaMode: '',
  ...over,
});

const JPEG_CHAIN = [
  'setparams=color_primaries=bt709:color_trc=iec61966-2-1',
  'scale=flags=neighbor+accurate_rnd',
  'format=gbrp',
  'scale=out_color_matrix=bt601:out_range=pc:flags=neighbor',
  'format=yuv420p',
];

describe('frame format and colours per source', () => {
  test('opaque SDR sources are JPEG; alpha pixel formats, alpha_mode=1, VP8/VP9/ProRes and HDR are PNG', () => {
    expect(frameFormat(source({}))).toBe('jpg');
    expect(frameFormat(source({ codec: 'hevc', pixFmt: 'yuv420p10le', matrix: 'bt709', transfer: 'bt709' }))).toBe('jpg');
    expect(frameFormat(source({ codec: 'av1' }))).toBe('jpg');
    for (const pixFmt of ['yuva420p', 'rgba', 'argb', 'bgra', 'abgr', 'gbrap', 'ya8', 'ayuv64le'])
      expect(frameFormat(source({ codec: 'png', pixFmt })), pixFmt).toBe('png');
    expect(frameFormat(source({ codec: 'h264', alphaMode: '1' }))).toBe('png');
    for (const codec of ['vp8', 'vp9', 'prores', 'VP9']) expect(frameFormat(source({ codec })), codec).toBe('png');
    for (const transfer of ['smpte2084', 'arib-std-b67'])
      expect(frameFormat(source({ codec: 'hevc', pixFmt: 'yuv420p10le', transfer })), transfer).toBe('png');
  });

  test('an untagged matrix is read as Chromium guesses it; JPEG frames get the BT.601 full-range chain', () => {
    expect(colourFilters(source({ height: 360 }), 'jpg')).toEqual(['setparams=colorspace=smpte170m', ...JPEG_CHAIN]);
    expect(colourFilters(source({ height: 720 }), 'jpg')).toEqual(['setparams=colorspace=bt709', ...JPEG_CHAIN]);
    expect(colourFilters(source({ height: 1080, matrix: 'unknown' }), 'jpg')[0]).toBe('setparams=colorspace=bt709');
    // Chromium reads untagged VP9 and AV1 as BT.601 at any size.
    expect(colourFilters(source({ height: 1080, codec: 'vp9' }), 'png')).toEqual(['setparams=colorspace=smpte170m', JPEG_CHAIN[0]]);
    expect(colourFilters(source({ height: 1080, codec: 'av1' }), 'jpg')[0]).toBe('setparams=colorspace=smpte170m');
    // A tagged matrix is used as tagged; HDR gets no colour filters.
    expect(colourFilters(source({ height: 360, matrix: 'bt709' }), 'jpg')).toEqual(JPEG_CHAIN);
    expect(colourFilters(source({ matrix: 'bt2020nc', transfer: 'smpte2084' }), 'png')).toEqual([]);
  });
});

describe('extractVideoFrames writes the format the runtime is told', () => {
  const ffmpeg = (args: string[]) => {
    const r = spawnSync('ffmpeg', ['-v', 'error', '-y', ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
  };

  async function extract(file: string, make: (out: string) => void) {
    const dir = tempDir();
    mkdirSync(join(dir, 'media'));
    make(join(dir, 'media', file));
    writeFileSync(
      join(dir, 'index.html'),
      `<!doctype html><html><body><div id="root" data-composition-id="main" data-width="320" data-height="180" data-start="0" data-duration="0.5" data-fps="10" data-no-timeline>
<video id="v" class="clip" src="media/${file}" muted playsinline data-start="0" data-duration="0.5" data-track-index="0"></video></div></body></html>`,
    );
    const model = await loadProject(dir);
    const frames = await extractVideoFrames(findFfmpeg(), model, { first: 0, last: 4 }, 10, silentLogger);
    expect(frames).not.toBeNull();
    const set = frames!.sets[`media/${file}`];
    expect(set, JSON.stringify(frames!.sets)).toBeDefined();
    const sub = set.url.split('/').pop()!;
    const files = readdirSync(join(frames!.dir, sub)).sort((a, b) => parseInt(a) - parseInt(b));
    const first = readFileSync(join(frames!.dir, sub, files[0]));
    await frames!.dispose();
    return { set, files, first };
  }

  test('an H.264 clip gives JPEG files', async () => {
    const { set, files, first } = await extract('clip.mp4', (out) =>
      ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30:duration=1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', out]),
    );
    expect(set.ext).toBe('jpg');
    expect(files.length).toBe(set.pts.length);
    expect(files.every((f) => f.endsWith('.jpg'))).toBe(true);
    expect([...first.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  });

  test('a VP9 clip with alpha gives PNG files that keep the alpha', async () => {
    const { set, files, first } = await extract('alpha.webm', (out) =>
      ffmpeg([
        '-f',
        'lavfi',
        '-i',
        'color=c=red@0.5:size=64x36:rate=30:duration=1,format=yuva420p',
        '-c:v',
        'libvpx-vp9',
        '-pix_fmt',
        'yuva420p',
        '-auto-alt-ref',
        '0',
        out,
      ]),
    );
    expect(set.ext).toBe('png');
    expect(files.every((f) => f.endsWith('.png'))).toBe(true);
    const png = PNG.decode(first);
    const a = png.alpha(10, 10);
    // Half transparent red, as encoded (a few levels of VP9 rounding).
    expect(Math.abs(a - 128), `alpha ${a}`).toBeLessThan(8);
    expect(png.pixel(10, 10)[0]).toBeGreaterThan(200);
  });
});
