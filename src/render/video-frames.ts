/**
 * The `<video>` pictures of a render, decoded ahead by the system ffmpeg as the official engine
 * does. Chromium picks its video paint path (and so its YUV→RGB conversion) per run, which makes
 * edge pixels differ between otherwise identical renders; images of the source frames, shown by
 * the runtime in place of the live picture, draw the same pixels every time.
 *
 * The images are the ones HeyGen's engine shows (hyperframes' frame extraction, read in 0.8.170):
 * an opaque SDR source becomes JPEGs at quality 2, its colours handed over as BT.601 full range
 * with nearest-neighbour chroma, which Chromium decodes (1-4 levels and softer colour edges away
 * from the lossless picture, the same everywhere the engine renders); a source that may carry
 * alpha (an alpha pixel format or `alpha_mode` tag, or a VP8/VP9/ProRes stream, decoded by libvpx
 * for VP8/VP9 so the alpha plane is read) becomes PNGs with its alpha. An untagged matrix is
 * taken as Chromium guesses it (BT.709 from 720 lines up except VP9/AV1, else BT.601). HDR
 * sources (PQ/HLG) keep a plain lossless PNG decode: the engine renders those through its HDR
 * path, which framesmith does not reproduce.
 *
 * Each project video file is decoded once for the union of the media times its clips show in
 * the rendered frames (honouring `data-media-start`, `data-playback-rate`, the clip window and
 * `--frames`), every source frame in that window at its natural size. The runtime picks, for a
 * media time, the last frame that starts at or before it: the frame a seeked video shows.
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import type { Logger } from '../core/logger.js';
import { resolveRef } from '../model/index.js';
import type { CompositionModel, ProjectModel } from '../../shared/model.js';
import type { VideoFrameSet } from '../../shared/control.js';
import { ffmpegError, runTool, type FfmpegTools } from './ffmpeg.js';
import type { FrameRange } from './options.js';

/** URL prefix the session's server maps to the frames folder. */
export const VIDEO_FRAMES_URL = '/__framesmith/video-frames';

export interface VideoFrames {
  /** Temp folder holding one sub-folder of images (JPEG or PNG, see frameFormat) per source. */
  dir: string;
  /** Boot option value: frame sets by project-relative source path. */
  sets: Record<string, VideoFrameSet>;
  dispose(): Promise<void>;
}

interface Window {
  file: string;
  /** Media seconds of the first and last rendered frame that shows the clip. */
  lo: number;
  hi: number;
}

/** Media-time windows of every project video, merged per file, for render frames `range`. */
export function videoWindows(model: ProjectModel, range: FrameRange, fps: number): Map<string, Window> {
  const base = posix.dirname(model.entry) === '.' ? '' : posix.dirname(model.entry);
  const first = range.first / fps;
  const last = range.last / fps;
  const out = new Map<string, Window>();
  const walk = (comp: CompositionModel, offset: number, windowEnd: number | null) => {
    for (const m of comp.media) {
      if (m.kind !== 'video' || !m.src) continue;
      const ref = resolveRef(m.src, base);
      if (!ref.path || !existsSync(join(model.root, ref.path))) continue;
      const start = offset + (m.start ?? 0);
      const ownEnd = m.duration !== null ? start + m.duration : Infinity;
      const end = Math.min(ownEnd, windowEnd ?? Infinity);
      const from = Math.max(first, start);
      const to = Math.min(last, end);
      if (to < from) continue;
      const rate = m.playbackRate > 0 ? m.playbackRate : 1;
      // Half a render frame either side absorbs rounding between this and the page's arithmetic.
      const pad = (0.5 * rate) / fps;
      const lo = Math.max(0, m.mediaStart + (from - start) * rate - pad);
      const hi = m.mediaStart + (to - start) * rate + pad;
      const prev = out.get(ref.path);
      out.set(
        ref.path,
        prev ? { file: prev.file, lo: Math.min(prev.lo, lo), hi: Math.max(prev.hi, hi) } : { file: join(model.root, ref.path), lo, hi },
      );
    }
    for (const sub of comp.subCompositions) {
      if (!sub.composition) continue;
      walk(sub.composition, offset + sub.start - sub.playbackStart, sub.end === null ? windowEnd : offset + sub.end);
    }
  };
  walk(model.composition, 0, null);
  return out;
}

/** What the format and colour handling of a source's frames depend on (ffprobe's names). */
export interface VideoSourceInfo {
  /** Seconds per frame (the longer of the two rates' frames). */
  frame: number;
  /** The file's duration, null when unknown. */
  duration: number | null;
  codec: string;
  pixFmt: string;
  height: number;
  /** `color_space` (the YUV matrix), '' when untagged. */
  matrix: string;
  /** `color_transfer`, '' when untagged. */
  transfer: string;
  /** The stream's `alpha_mode` tag (any case), '' when absent. */
  alphaMode: string;
}

/** Codecs whose streams may carry alpha: their frames are always PNG, as in the engine. */
const ALPHA_CODECS = new Set(['vp8', 'vp9', 'prores']);

/** Whether the source is HDR (PQ or HLG transfer). */
const isHdr = (info: VideoSourceInfo) => info.transfer === 'smpte2084' || info.transfer === 'arib-std-b67';

/**
 * The image format the official engine extracts a source's frames in: PNG when it may carry
 * alpha (an alpha pixel format, `alpha_mode=1`, or an alpha-capable codec), else JPEG. HDR
 * sources get PNG here too (see the file's header).
 */
export function frameFormat(info: VideoSourceInfo): 'jpg' | 'png' {
  if (/^(?:yuva|rgba|argb|bgra|abgr|gbrap|ya|ayuv)/i.test(info.pixFmt) || info.alphaMode === '1') return 'png';
  if (ALPHA_CODECS.has(info.codec.toLowerCase())) return 'png';
  return isHdr(info) ? 'png' : 'jpg';
}

/** ffmpeg filters after the frame selection: the engine's colour handling for `format`. */
export function colourFilters(info: VideoSourceInfo, format: 'jpg' | 'png'): string[] {
  if (isHdr(info)) return [];
  const out: string[] = [];
  if (!info.matrix || info.matrix === 'unknown') {
    // Chromium's guess for an untagged matrix: HD means BT.709, except for VP9/AV1.
    const hd = info.height >= 720 && info.codec !== 'vp9' && info.codec !== 'av1';
    out.push(`setparams=colorspace=${hd ? 'bt709' : 'smpte170m'}`);
  }
  out.push('setparams=color_primaries=bt709:color_trc=iec61966-2-1');
  if (format === 'jpg')
    out.push(
      'scale=flags=neighbor+accurate_rnd',
      'format=gbrp',
      'scale=out_color_matrix=bt601:out_range=pc:flags=neighbor',
      'format=yuv420p',
    );
  return out;
}

/** Reads what frame extraction needs of the first video stream; null when the file has none. */
async function probeVideo(tools: FfmpegTools, file: string, signal?: AbortSignal): Promise<VideoSourceInfo | null> {
  const entries = 'stream=r_frame_rate,avg_frame_rate,codec_name,pix_fmt,height,color_space,color_transfer:stream_tags:format=duration';
  const out = await runTool(
    tools.ffprobe,
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', entries, '-of', 'json', file],
    `reading ${file}`,
    signal,
  );
  type Stream = {
    r_frame_rate?: string;
    avg_frame_rate?: string;
    codec_name?: string;
    pix_fmt?: string;
    height?: number;
    color_space?: string;
    color_transfer?: string;
    tags?: Record<string, string>;
  };
  const j = JSON.parse(out) as { streams?: Stream[]; format?: { duration?: string } };
  const s = j.streams?.[0];
  if (!s) return null;
  const rate = (r?: string) => {
    const [a, b] = (r ?? '').split('/').map(Number);
    return a > 0 && b > 0 ? a / b : 0;
  };
  // The smaller of the two rates gives the longer frame, so the window never misses its first frame.
  const fps = Math.min(...[rate(s.r_frame_rate), rate(s.avg_frame_rate)].filter((r) => r > 0));
  const duration = Number(j.format?.duration);
  const alphaMode = Object.entries(s.tags ?? {}).find(([k]) => k.toLowerCase() === 'alpha_mode')?.[1] ?? '';
  return {
    frame: Number.isFinite(fps) && fps > 0 ? 1 / fps : 0.1,
    duration: Number.isFinite(duration) ? duration : null,
    codec: s.codec_name ?? '',
    pixFmt: s.pix_fmt ?? '',
    height: Number(s.height) || 0,
    matrix: s.color_space ?? '',
    transfer: s.color_transfer ?? '',
    alphaMode: String(alphaMode).trim(),
  };
}

/**
 * Decodes every frame of `file` with a timestamp in [lo, hi] into `dir/1.<format>…` as the engine
 * extracts them (format and colours from `info`); returns their times.
 */
function decodeWindow(
  tools: FfmpegTools,
  file: string,
  info: VideoSourceInfo,
  lo: number,
  hi: number,
  dir: string,
  signal?: AbortSignal,
): Promise<number[]> {
  // Input seeking skips the decode of everything before the window (from the keyframe before it);
  // -copyts keeps the source's own timestamps, which is what the page's currentTime is measured in.
  const seek = lo > 2 ? ['-ss', (lo - 1).toFixed(6)] : [];
  const format = frameFormat(info);
  const filters = [`select='between(t\\,${lo.toFixed(6)}\\,${hi.toFixed(6)})'`, 'showinfo', ...colourFilters(info, format)];
  // VP8/VP9 alpha lives in a side plane only libvpx decodes (ffmpeg's native decoders drop it).
  const codec = info.codec.toLowerCase();
  const decoder = codec === 'vp9' ? ['-c:v', 'libvpx-vp9'] : codec === 'vp8' ? ['-c:v', 'libvpx'] : [];
  // JPEG quality 2 is the engine's (its quality 95); PNG keeps the source's alpha and depth.
  const encode = format === 'jpg' ? ['-c:v', 'mjpeg', '-q:v', '2'] : ['-c:v', 'png', '-compression_level', '1'];
  const args = [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'info',
    ...seek,
    '-copyts',
    ...decoder,
    '-i',
    file,
    '-map',
    '0:v:0',
    '-an',
    '-sn',
    '-vf',
    filters.join(','),
    '-vsync',
    'passthrough',
    ...encode,
    join(dir, `%d.${format}`),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(tools.ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: process.platform !== 'win32' });
    const pts: number[] = [];
    let tail = '';
    let partial = '';
    child.stderr.on('data', (d: Buffer) => {
      const text = partial + d.toString();
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const m = /Parsed_showinfo.*\bpts_time:\s*(-?[\d.e+-]+)/.exec(line);
        if (m) pts.push(Number(m[1]));
        else tail = (tail + line + '\n').slice(-4000);
      }
    });
    const onAbort = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', reject);
    child.on('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) reject(signal.reason);
      else if (code === 0) resolve(pts);
      else reject(ffmpegError(tail, `decoding the frames of ${file}`));
    });
  });
}

/**
 * Decodes the frames of every project video the render range shows. Returns null when the
 * composition has no such video, or on abort (after removing what it wrote). A file ffmpeg
 * cannot decode is left to the live video, with a warning.
 */
export async function extractVideoFrames(
  tools: FfmpegTools,
  model: ProjectModel,
  range: FrameRange,
  fps: number,
  logger: Logger,
  signal?: AbortSignal,
): Promise<VideoFrames | null> {
  const windows = videoWindows(model, range, fps);
  if (!windows.size) return null;
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'framesmith-video-frames-')));
  const dispose = () => rm(dir, { recursive: true, force: true }).catch(() => {});
  // A process that dies without running the session's cleanup still leaves no folder behind.
  const onExit = () => {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort while exiting
    }
  };
  process.once('exit', onExit);
  const sets: Record<string, VideoFrameSet> = {};
  let n = 0;
  await Promise.all(
    [...windows].map(async ([path, w]) => {
      const sub = String(n++);
      const out = join(dir, sub);
      const t0 = performance.now();
      try {
        await mkdir(out);
        const info = await probeVideo(tools, w.file, signal);
        if (!info) return;
        const hi = info.duration !== null ? Math.min(w.hi, info.duration) : w.hi;
        const pts = await decodeWindow(tools, w.file, info, Math.max(0, w.lo - info.frame), hi + 1e-4, out, signal);
        const files = (await readdir(out)).length;
        if (!pts.length || files !== pts.length || pts.some((p, i) => i > 0 && p <= pts[i - 1])) {
          logger.warn(
            `video: could not read the frames of ${path} in order (${files} images, ${pts.length} times); it is drawn by Chromium, which may differ slightly between renders.`,
            'video_frames_fallback',
          );
          return;
        }
        const ext = frameFormat(info);
        sets[path] = { url: `${VIDEO_FRAMES_URL}/${sub}`, ext, pts, until: w.hi };
        logger.debug(
          `video: ${path} decoded ${pts.length} ${ext.toUpperCase()} frames (${pts[0].toFixed(3)}–${pts[pts.length - 1].toFixed(3)} s) in ${Math.round(performance.now() - t0)} ms`,
        );
      } catch (error) {
        if (signal?.aborted) return;
        logger.warn(
          `video: ffmpeg could not decode ${path} (${(error as Error).message.split('\n')[0]}); it is drawn by Chromium, which may differ slightly between renders.`,
          'video_frames_fallback',
        );
      }
    }),
  );
  // A Ctrl+C meanwhile: nothing to keep; the render job reports the cancel.
  if (signal?.aborted) {
    process.removeListener('exit', onExit);
    await dispose();
    return null;
  }
  return {
    dir,
    sets,
    dispose: async () => {
      process.removeListener('exit', onExit);
      await dispose();
    },
  };
}
