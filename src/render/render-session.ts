/**
 * What the videos of one `framesmith render` share: the checked parameters, the project model,
 * ffmpeg, the served folder (bundled first for module projects), the local server and the pool
 * of capture browsers. A single render opens one session for one job; a batch opens one session
 * for all its rows, so browsers start once.
 */
import { promises as fs } from 'node:fs';
import { basename, extname } from 'node:path';
import { aspectRatioOf } from '../options/aspect.js';
import { outputExtensionProblem } from '../options/output-extension.js';
import { usageError } from '../options/render-params.js';
import { FramesmithError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { warnRenderedErrors } from '../snapshot/page-problems.js';
import { loadProject } from '../model/index.js';
import { startStaticServer, type StaticServer } from '../serve/static-server.js';
import { warnFontsNotDrawnHere } from '../fonts/serve.js';
import type { CompositionModel, ProjectModel } from '../../shared/model.js';
import { frameCount } from '../../shared/time.js';
import { createBrowserPool, type BrowserPool } from './browser-pool.js';
import { findFfmpegAsync, requireEncoder, type FfmpegTools } from './ffmpeg.js';
import { checkParams, checkWorkers, parseFrameRange, type CheckedParams, type FrameRange, type RenderOptions } from './options.js';
import { formatFromPath } from './output-path.js';
import { FORMAT_FACTS, scaleFor } from './presets.js';
import { prepareProjectSource, type ProjectSource } from './project-source.js';
import { defaultWorkers, machineFacts, maxWorkers } from './workers.js';
import { extractVideoFrames, VIDEO_FRAMES_URL } from './video-frames.js';
import type { VideoFrameSet } from '../../shared/control.js';

export interface RenderSession {
  readonly model: ProjectModel;
  readonly params: CheckedParams;
  readonly tools: FfmpegTools;
  readonly server: StaticServer;
  readonly pool: BrowserPool;
  readonly source: ProjectSource;
  readonly range: FrameRange;
  /** Frames per video. */
  readonly count: number;
  readonly workers: number;
  /** The composition (or a sub-composition) has a <video>. */
  readonly hasVideo: boolean;
  /** Boot option for the pages: the videos' frames decoded by ffmpeg (see video-frames.ts). */
  readonly videoFrames?: Record<string, VideoFrameSet>;
  /** Default output name (project folder, or the entry's name when it is not index.html). */
  readonly name: string;
  readonly logger: Logger;
  readonly options: RenderOptions;
  dispose(): Promise<void>;
}

const ENCODER_OF = { mp4: 'libx264', webm: 'libvpx-vp9', mov: 'prores_ks' } as const;

/** Checks everything that can be checked before a browser starts, then starts what renders need. */
export async function openRenderSession(options: RenderOptions): Promise<RenderSession> {
  const logger = options.logger ?? silentLogger;
  const t0 = performance.now();
  const phase = (name: string) => logger.debug(`render: ${name} at ${Math.round(performance.now() - t0)} ms`);
  const params = checkParams({ ...options, format: options.format ?? formatFromPath(options.out) ?? undefined });
  // -o's extension against --format, the cloud client's answer too (options/output-extension.ts); a folder named *.mp4 stays a folder.
  const mismatch = outputExtensionProblem(options.out, options.format);
  if (
    mismatch &&
    !(await fs.stat(options.out!).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  )
    throw usageError(mismatch);
  const requestedWorkers = checkWorkers(options.workers);
  const scale = scaleFor(params.resolution);
  // Chromium starts while the project is read; a bad project closes it again.
  const poolStart = options.pool ? Promise.resolve(options.pool) : createBrowserPool({ workers: 1, scale, mode: options.captureMode });
  poolStart.catch(() => {});
  const owned: { dispose(): Promise<void> }[] = [];
  const disposeAll = async () => {
    for (const d of owned.splice(0).reverse()) await d.dispose().catch(() => {});
  };
  if (!options.pool)
    owned.push({
      dispose: () =>
        poolStart.then(
          (p) => p.close(),
          () => {},
        ),
    });
  try {
    const tools = await findFfmpegAsync();
    requireEncoder(tools, ENCODER_OF[params.format]);
    phase('ffmpeg found');
    const model = await loadProject(options.dir, { composition: options.composition });
    warnRenderedErrors(logger, model.diagnostics);
    phase('project read');
    const comp = model.composition;
    if (comp.duration <= 0) {
      throw new FramesmithError('no_duration', `${model.entry} has no data-duration on its root, so there is nothing to render.`, {
        hint: 'Set data-duration="<seconds>" on the root element.',
        loc: comp.loc,
      });
    }
    if (!aspectRatioOf(comp.width, comp.height)) {
      logger.warn(
        `${model.entry} is ${comp.width}x${comp.height}, which is not 16:9, 9:16 or 1:1: the cloud will refuse it (this local render goes on).`,
        'aspect_unsupported',
      );
    }
    if (options.fps === undefined && comp.fps !== null && comp.fps !== params.fps) {
      logger.warn(
        `rendering at 30 fps, the cloud API's default; the composition declares data-fps="${comp.fps}". Pass --fps ${comp.fps} (here and to the cloud) to use it.`,
        'fps_default',
      );
    }
    const total = frameCount(comp.duration, params.fps);
    const range = parseFrameRange(options.frames, total);
    const count = range.last - range.first + 1;
    const machine = machineFacts();
    const cap = maxWorkers(scale, machine);
    if (requestedWorkers !== undefined && requestedWorkers > cap) {
      logger.warn(
        `--workers ${requestedWorkers} is more than this machine can use (${machine.cores} cores, ${(machine.memory / 2 ** 30).toFixed(1)} GB of memory to spare): rendering with ${cap}.`,
        'workers_capped',
      );
    }
    const workers = Math.max(1, Math.min(requestedWorkers ?? defaultWorkers(count, scale, machine), cap, count));
    // ffmpeg decodes the videos' frames while the browsers start.
    const framesStart = extractVideoFrames(tools, model, range, params.fps, logger, options.signal);
    framesStart.catch(() => {});
    owned.push({
      dispose: () =>
        framesStart.then(
          (f) => f?.dispose(),
          () => {},
        ),
    });
    // The other workers' browsers start now, while the first one finishes starting.
    poolStart.then((p) => p.grow(workers)).catch(() => {});
    const pool = await poolStart;
    phase(`browser started (${pool.mode})`);
    if (options.pool && pool.scale !== scale) {
      throw new FramesmithError(
        'pool_mismatch',
        `The browser pool draws at ${pool.scale}x but --resolution ${params.resolution} needs ${scale}x.`,
      );
    }
    const source = await prepareProjectSource(model.root, logger);
    owned.push(source);
    phase(`project source ready (${source.mode})`);
    const server = await startStaticServer({
      root: source.root,
      boot: { fps: params.fps, paint: pool.mode === 'beginframe' ? 'none' : 'raf' },
    });
    owned.push({ dispose: () => server.close() });
    await warnFontsNotDrawnHere(logger, source.root, model.entry);
    const frames = await framesStart;
    if (frames) server.mount(VIDEO_FRAMES_URL, frames.dir);
    // Each job's boot (render-job.ts) hands these to its pages.
    const videoFrames = frames && Object.keys(frames.sets).length ? frames.sets : undefined;
    const entryName = basename(model.entry, extname(model.entry));
    return {
      model,
      params,
      tools,
      server,
      pool,
      source,
      range,
      count,
      workers,
      hasVideo: hasVideo(comp),
      videoFrames,
      name: entryName === 'index' ? basename(model.root) : entryName,
      logger,
      options,
      dispose: disposeAll,
    };
  } catch (error) {
    await disposeAll();
    throw error;
  }
}

function hasVideo(comp: CompositionModel): boolean {
  return comp.media.some((m) => m.kind === 'video') || comp.subCompositions.some((s) => s.composition !== null && hasVideo(s.composition));
}

/** Whether the format keeps transparency (frames captured on a transparent background). */
export function sessionAlpha(session: RenderSession): boolean {
  return FORMAT_FACTS[session.params.format].alpha;
}
