/**
 * The `<video>` pictures of a render, decoded ahead by the system ffmpeg as the official engine
 * does. Chromium picks its video paint path (and so its YUV→RGB conversion) per run, which makes
 * edge pixels differ between otherwise identical renders; lossless PNGs of the source frames,
 * shown by the runtime in place of the live picture, draw the same pixels every time.
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
  /** Temp folder holding one sub-folder of PNGs per source. */
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
      out.set(ref.path, prev ? { file: prev.file, lo: Math.min(prev.lo, lo), hi: Math.max(prev.hi, hi) } : { file: join(model.root, ref.path), lo, hi });
    }
    for (const sub of comp.subCompositions) {
      if (!sub.composition) continue;
      walk(sub.composition, offset + sub.start - sub.playbackStart, sub.end === null ? windowEnd : offset + sub.end);
    }
  };
  walk(model.composition, 0, null);
  return out;
}

/** Seconds per frame of the first video stream and the file's duration (null when unknown). */
async function probeVideo(tools: FfmpegTools, file: string, signal?: AbortSignal): Promise<{ frame: number; duration: number | null } | null> {
  const out = await runTool(tools.ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=r_frame_rate,avg_frame_rate:format=duration', '-of', 'json', file], `reading ${file}`, signal);
  const j = JSON.parse(out) as { streams?: { r_frame_rate?: string; avg_frame_rate?: string }[]; format?: { duration?: string } };
  const s = j.streams?.[0];
  if (!s) return null;
  const rate = (r?: string) => {
    const [a, b] = (r ?? '').split('/').map(Number);
    return a > 0 && b > 0 ? a / b : 0;
  };
  // The smaller of the two rates gives the longer frame, so the window never misses its first frame.
  const fps = Math.min(...[rate(s.r_frame_rate), rate(s.avg_frame_rate)].filter((r) => r > 0));
  const duration = Number(j.format?.duration);
  return { frame: Number.isFinite(fps) && fps > 0 ? 1 / fps : 0.1, duration: Number.isFinite(duration) ? duration : null };
}

/** Decodes every frame of `file` with a timestamp in [lo, hi] into `dir/1.png…`; returns their times. */
function decodeWindow(tools: FfmpegTools, file: string, lo: number, hi: number, dir: string, signal?: AbortSignal): Promise<number[]> {
  // Input seeking skips the decode of everything before the window (from the keyframe before it);
  // -copyts keeps the source's own timestamps, which is what the page's currentTime is measured in.
  const seek = lo > 2 ? ['-ss', (lo - 1).toFixed(6)] : [];
  const select = `select='between(t\\,${lo.toFixed(6)}\\,${hi.toFixed(6)})',showinfo`;
  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info', ...seek, '-copyts', '-i', file, '-map', '0:v:0', '-an', '-sn', '-vf', select, '-vsync', 'passthrough', '-pix_fmt', 'rgb24', '-c:v', 'png', '-compression_level', '1', join(dir, '%d.png')];
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
export async function extractVideoFrames(tools: FfmpegTools, model: ProjectModel, range: FrameRange, fps: number, logger: Logger, signal?: AbortSignal): Promise<VideoFrames | null> {
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
        const pts = await decodeWindow(tools, w.file, Math.max(0, w.lo - info.frame), hi + 1e-4, out, signal);
        const files = (await readdir(out)).length;
        if (!pts.length || files !== pts.length || pts.some((p, i) => i > 0 && p <= pts[i - 1])) {
          logger.warn(`video: could not read the frames of ${path} in order (${files} images, ${pts.length} times); it is drawn by Chromium, which may differ slightly between renders.`, 'video_frames_fallback');
          return;
        }
        sets[path] = { url: `${VIDEO_FRAMES_URL}/${sub}`, pts, until: w.hi };
        logger.debug(`video: ${path} decoded ${pts.length} frames (${pts[0].toFixed(3)}–${pts[pts.length - 1].toFixed(3)} s) in ${Math.round(performance.now() - t0)} ms`);
      } catch (error) {
        if (signal?.aborted) return;
        logger.warn(`video: ffmpeg could not decode ${path} (${(error as Error).message.split('\n')[0]}); it is drawn by Chromium, which may differ slightly between renders.`, 'video_frames_fallback');
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
