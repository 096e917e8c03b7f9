/**
 * The ffmpeg command line of one render. Frames arrive on stdin as a Matroska stream of images
 * (only frames that differ from the one before; `fps` repeats them after the colour conversion,
 * so a held frame is decoded once). Opaque formats get JPEG frames (at the quality preset's
 * JPEG quality), alpha formats PNG. Colour: PNGs are full-range sRGB; JPEGs are full-range BT.601
 * YCbCr. Both become BT.709 limited range with BT.709 tags, as the official engine writes.
 */
import { PACKAGE_VERSION } from '../core/paths.js';
import type { RenderFormat, RenderQuality } from '../options/render-params.js';
import type { FrameImageFormat } from './mkv-stream.js';
import { FORMAT_FACTS, QUALITY_PRESETS, type QualityPreset } from './presets.js';

export interface EncodeArgsOptions {
  format: RenderFormat;
  quality: RenderQuality;
  fps: number;
  /** Frames the video holds. */
  frames: number;
  /** Output size in pixels (odd sizes are padded to even for yuv420p). */
  width: number;
  height: number;
  /** Where ffmpeg writes (a temp file; the muxer is given explicitly). */
  output: string;
  /** A mixed audio track (WAV) to encode alongside, if any. */
  audio?: string | null;
  /** Codec of the frames on stdin (default png). */
  image?: FrameImageFormat;
  /**
   * x264 threads (mp4 only; default: x264's own, 1.5 per core). Renders pass encoderThreads()
   * (workers.ts): one on 2 cores, where x264 `veryfast` at 1080p encodes several times faster
   * than the capture workers draw, at ~10% less CPU and ~40 MB less memory than three threads
   * (docs/performance.md).
   */
  threads?: number;
  /** Benchmarks (encoder tuning): settings that replace the `quality` preset's. */
  tuning?: Partial<QualityPreset>;
}

/** The official engine's conversion of its JPEG captures: BT.601 full-range YCbCr to RGB, then BT.709 limited. */
const JPEG_TO_RGB = 'scale=in_color_matrix=bt601:in_range=pc:flags=neighbor+accurate_rnd,format=gbrp';
const RGB_TO_BT709 = 'scale=out_color_matrix=bt709:out_range=tv:flags=neighbor';
/**
 * The same conversion in one pass, YCbCr to YCbCr (matrix and range only: primaries and transfer
 * are sRGB/BT.709 on both sides). About a fifth of the two scalers' CPU; within ~49 dB of them.
 */
const JPEG_TO_BT709_420 =
  'colorspace=ispace=bt470bg:irange=pc:iprimaries=bt709:itrc=bt709:space=bt709:range=tv:primaries=bt709:trc=bt709:format=yuv420p:fast=1';

const TAGS_709 = ['-colorspace:v', 'bt709', '-color_primaries:v', 'bt709', '-color_trc:v', 'bt709', '-color_range:v', 'tv'];

/** The `-vf` chain: colour conversion to the output's pixel format, then frame repetition. */
export function videoFilter(format: RenderFormat, fps: number, width: number, height: number, image: FrameImageFormat = 'png'): string {
  const facts = FORMAT_FACTS[format];
  const chain: string[] = [];
  const odd = width % 2 === 1 || height % 2 === 1;
  if (image === 'jpeg') {
    // JPEG frames come only for opaque mp4. Odd sizes are padded on RGB pixels (4:2:0 cannot hold them).
    chain.push(...(odd ? [JPEG_TO_RGB, 'pad=ceil(iw/2)*2:ceil(ih/2)*2', RGB_TO_BT709] : [JPEG_TO_BT709_420]));
  } else if (format === 'mov') {
    chain.push(
      'scale=out_color_matrix=bt709:out_range=tv:flags=neighbor',
      'setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv',
    );
  } else {
    if (format === 'mp4' && odd) chain.push('pad=ceil(iw/2)*2:ceil(ih/2)*2');
    chain.push('scale=out_color_matrix=bt709:out_range=tv');
  }
  chain.push(`format=${facts.pixFmt}`, `fps=${fps}`);
  return chain.join(',');
}

function codecArgs(format: RenderFormat, quality: RenderQuality, tuning: Partial<QualityPreset> = {}): string[] {
  const p = { ...QUALITY_PRESETS[quality], ...tuning };
  switch (format) {
    case 'mp4':
      return [
        '-c:v',
        'libx264',
        '-preset',
        p.x264Preset,
        '-crf',
        String(p.crf),
        '-bf',
        '0',
        '-x264-params',
        p.x264Params,
        '-pix_fmt',
        'yuv420p',
        ...TAGS_709,
      ];
    case 'webm':
      return [
        '-c:v',
        'libvpx-vp9',
        '-b:v',
        '0',
        '-crf',
        String(p.vp9Crf),
        '-deadline',
        p.vp9Deadline,
        '-row-mt',
        '1',
        '-cpu-used',
        '4',
        '-auto-alt-ref',
        '0',
        '-metadata:s:v:0',
        'alpha_mode=1',
        '-pix_fmt',
        'yuva420p',
        ...TAGS_709,
      ];
    case 'mov':
      // ProRes has no quality knob here: the engine always writes 4444 with alpha.
      return ['-c:v', 'prores_ks', '-profile:v', '4444', '-vendor', 'apl0', '-pix_fmt', 'yuva444p10le', ...TAGS_709];
  }
}

/** Full argument list for `ffmpeg`. */
export function encodeArgs(o: EncodeArgsOptions): string[] {
  const facts = FORMAT_FACTS[o.format];
  const args = ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y'];
  // Frames come as Matroska so each carries its time; a small probe starts encoding sooner.
  args.push('-probesize', '256k', '-f', 'matroska', '-i', 'pipe:0');
  if (o.audio) args.push('-i', o.audio);
  args.push('-map', '0:v:0');
  if (o.audio) args.push('-map', '1:a:0');
  args.push('-vf', videoFilter(o.format, o.fps, o.width, o.height, o.image), '-r', String(o.fps), '-t', (o.frames / o.fps).toFixed(6));
  args.push(...codecArgs(o.format, o.quality, o.tuning));
  if (o.format === 'mp4' && o.threads !== undefined) args.push('-threads', String(Math.max(1, Math.floor(o.threads))));
  if (o.audio) args.push(...facts.audio, '-ar', '48000');
  // 90 kHz like the engine when it divides evenly; otherwise a timescale every frame lands on.
  if (o.format !== 'webm') args.push('-video_track_timescale', String(90000 % o.fps === 0 ? 90000 : o.fps * 1000));
  args.push('-metadata', `comment=framesmith ${PACKAGE_VERSION}`);
  if (o.format !== 'webm') args.push('-movflags', '+faststart');
  args.push('-f', facts.muxer, o.output);
  return args;
}
