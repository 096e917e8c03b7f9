/**
 * One video of a session: pages open in every worker browser with this job's variables, ffmpeg
 * starts (with the mixed soundtrack when there is one), workers capture interleaved chunks of
 * frames into the sink, which streams them in order to ffmpeg. The video and thumbnail are
 * written to temp files and renamed at the end; any failure, or the session's abort signal,
 * stops the browsers' pages and ffmpeg and removes the temp files.
 */
import { stat } from 'node:fs/promises';
import { CancelledError, FramesmithError } from '../core/errors.js';
import type { CollectingLogger } from '../core/logger.js';
import { checkVariablesAgainst } from '../options/variables-input.js';
import type { VariableValues } from '../../shared/variables.js';
import { reportRemote, summarizeRemote } from '../remote/report.js';
import { reportPageWarnings, warnBlockedRequests } from '../snapshot/page-problems.js';
import { collectAudioTracks, mixAudio } from './audio.js';
import { openCaptureWorker, type CaptureWorker } from './capture-worker.js';
import { encodeArgs } from './encode-args.js';
import { startEncoder, startStreamWriter } from './ffmpeg.js';
import { FrameSink, scheduleChunks } from './frame-sink.js';
import { imageSize } from './mkv-stream.js';
import { outputError, planOutput } from './output-path.js';
import { QUALITY_PRESETS, scaleFor } from './presets.js';
import { encoderThreads } from './workers.js';
import { createRenderProgress } from './progress.js';
import { sessionAlpha, type RenderSession } from './render-session.js';
import type { RenderResult } from './result.js';
import { writeThumbnail } from './thumbnail.js';
import type { RowFrames } from './row-frames.js';

export interface RenderJob {
  /** Final video path (already resolved). */
  video: string;
  variables: VariableValues;
  thumbnail: boolean;
  /** Boot key on the session's server (one per batch row). */
  bootKey: string;
  /** Progress label. */
  label: string;
  /** The job's logger (e.g. prefixed with its batch row); its warnings become the result's. */
  logger: CollectingLogger;
  /**
   * Called once every frame is captured and handed to ffmpeg and the job's pages are closed: a
   * batch starts the next row's pages then, while this row's encoder finishes. The progress
   * line ends there too (the batch reports the row's end).
   */
  onCaptured?: () => void;
  /** Stops this job only (a batch that ends early); the session's signal stops every job. */
  signal?: AbortSignal;
  /** A batch's shared frames: the first row records, the others take what they show alike. */
  rows?: { frames: RowFrames; role: 'record' | 'share' };
}

/** Frames per chunk a worker takes at a time (small enough to interleave, large enough to reuse). */
const CHUNK = 10;

/** Renders one video. Throws FramesmithError (or CancelledError) leaving no file behind. */
export async function runRenderJob(session: RenderSession, job: RenderJob): Promise<RenderResult> {
  const started = performance.now();
  const { model, params, range, count, tools } = session;
  const { logger } = job;
  const comp = model.composition;
  const scale = scaleFor(params.resolution);
  const alpha = sessionAlpha(session);
  const image = alpha ? 'png' : 'jpeg';
  const width = comp.width * scale;
  const height = comp.height * scale;
  checkVariablesAgainst(comp.variables, job.variables, logger, session.options.strictVariables);
  session.server.setBoot(job.bootKey, {
    variables: job.variables,
    fps: params.fps,
    paint: session.pool.mode === 'beginframe' ? 'none' : 'raf',
    videoFrames: session.videoFrames,
  });

  const controller = new AbortController();
  const outer = session.options.signal;
  const onOuterAbort = () =>
    controller.abort(new CancelledError('Render interrupted; stopped the browsers and ffmpeg, no video was written.'));
  if (outer?.aborted) onOuterAbort();
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  const onJobAbort = () => controller.abort(job.signal?.reason ?? new CancelledError('Render stopped; no video was written.'));
  if (job.signal?.aborted) onJobAbort();
  job.signal?.addEventListener('abort', onJobAbort, { once: true });
  const aborted = new Promise<never>((_, reject) =>
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }),
  );
  aborted.catch(() => {});

  const plan = await planOutput(job.video, job.thumbnail);
  const workers: CaptureWorker[] = [];
  let encoder: ReturnType<typeof startEncoder> | null = null;
  let sink: FrameSink | null = null;
  const progress = createRenderProgress(logger, job.label, count);
  let captured = 0;
  let reused = 0;
  let shared = 0;
  let progressEnded = false;
  try {
    const from = range.first / params.fps;
    const seconds = count / params.fps;
    const tracks = collectAudioTracks(model, logger);
    const audio = tracks.length
      ? mixAudio(tools, tracks, from, seconds, plan.tempAudio, logger, controller.signal)
      : Promise.resolve(false);
    audio.catch(() => {});
    await Promise.race([session.pool.grow(session.workers), aborted]);
    const url = session.server.url(model.entry, job.bootKey);
    const opening = session.pool.browsers.slice(0, session.workers).map((browser) =>
      openCaptureWorker({
        browser,
        mode: session.pool.mode,
        scale,
        url,
        entry: model.entry,
        width: comp.width,
        height: comp.height,
        fps: params.fps,
        alpha,
        image,
        jpegQuality: session.options.jpegQuality ?? QUALITY_PRESETS[params.quality].jpegQuality,
        drawWithoutPixels: session.options.drawWithoutPixels === true,
        reuse: session.options.reuseFrames !== false,
        settleFrames: session.hasVideo ? 1 : 0,
        rows: job.rows,
      }),
    );
    const opened = await Promise.allSettled(opening);
    for (const o of opened) if (o.status === 'fulfilled') workers.push(o.value);
    const failedOpen = opened.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failedOpen) throw failedOpen.reason;
    if (controller.signal.aborted) throw controller.signal.reason;
    const workerCount = workers.length;
    logger.debug(`render: ${workers.length} page(s) ready at ${Math.round(performance.now() - started)} ms into the job`);
    const hasAudio = await Promise.race([audio, aborted]);

    encoder = session.options.framesOnly
      ? startStreamWriter(plan.tempVideo)
      : startEncoder(
          tools.ffmpeg,
          encodeArgs({
            format: params.format,
            quality: params.quality,
            fps: params.fps,
            frames: count,
            width,
            height,
            output: plan.tempVideo,
            audio: hasAudio ? plan.tempAudio : null,
            image,
            threads: encoderThreads(),
          }),
          plan.video,
        );
    logger.debug(
      `render: ${workers.length} ${session.pool.mode} worker(s), frames ${range.first}-${range.last}, ffmpeg pid ${encoder.pid}`,
    );
    const thumbnailFrame = job.thumbnail ? range.first + Math.floor((count - 1) / 2) : null;
    const theSink = new FrameSink({
      encoder,
      first: range.first,
      count,
      fps: params.fps,
      width,
      height,
      image,
      thumbnailFrame,
      window: CHUNK * workers.length * 3,
      onProgress: (n) => progress.update(n),
    });
    sink = theSink;
    const schedule = scheduleChunks(range.first, count, workers.length, CHUNK);
    const runWorker = async (worker: CaptureWorker, chunks: number[][]) => {
      for (const chunk of chunks) {
        for (const frame of chunk) {
          await theSink.waitForRoom(frame);
          if (controller.signal.aborted) return;
          const shot = await worker.capture(frame);
          if (shot.reused) reused++;
          else if (shot.shared) shared++;
          else captured++;
          if (frame === range.first) {
            const [w, h] = imageSize(shot.image) ?? [0, 0];
            if (w !== width || h !== height)
              throw new FramesmithError('capture_size_mismatch', `Chromium drew ${w}x${h} pixels instead of ${width}x${height}.`, {
                hint: 'Try another Chromium (FRAMESMITH_BROWSER), or report this with the browser version.',
              });
          }
          theSink.put(frame, shot.image);
        }
      }
      await worker.check();
    };
    const working = Promise.all([theSink.run(), ...workers.map((w, i) => runWorker(w, schedule[i]))]);
    // After a failure elsewhere the pages close under the workers; their errors are not news.
    working.catch(() => {});
    const [sinkResult] = await Promise.race([working, encoder.failed, aborted]);
    // Read from the pages before a batch row closes them early (below).
    const remote = summarizeRemote(workers.map((w) => w.remote));
    const cutOff = [...new Set(workers.flatMap((w) => w.cutOff))];
    const blocked = [...remote.failed.map((f) => f.url), ...cutOff];
    const pageWarnings = (await Promise.all(workers.map((w) => w.warnings()))).flat();
    if (job.onCaptured) {
      // The pages are done: free the browsers for the next row while ffmpeg finishes this one.
      await Promise.allSettled(workers.splice(0).map((w) => w.close()));
      const capturedMs = performance.now() - started;
      progress.done(
        `${job.label}: ${count} frames in ${(capturedMs / 1000).toFixed(1)} s (${((count * 1000) / capturedMs).toFixed(1)} fps)`,
      );
      progressEnded = true;
      job.onCaptured();
    }
    await Promise.race([encoder.finish(), aborted]);
    try {
      if (plan.tempThumbnail && sinkResult.thumbnail)
        await writeThumbnail(tools.ffmpeg, sinkResult.thumbnail, image, plan.tempThumbnail, controller.signal);
      await plan.commit();
    } catch (error) {
      // A disk that fills up with the thumbnail, or a folder removed meanwhile: the user's problem, said plainly.
      throw (error as NodeJS.ErrnoException).code ? await outputError(plan.video, error) : error;
    }
    const wallMs = performance.now() - started;
    if (!job.onCaptured)
      progress.done(`${job.label}: ${count} frames in ${(wallMs / 1000).toFixed(1)} s (${((count * 1000) / wallMs).toFixed(1)} fps)`);
    reportRemote(logger, remote);
    warnBlockedRequests(logger, cutOff);
    reportPageWarnings(logger, pageWarnings);
    return {
      ok: true,
      output: plan.video,
      thumbnail: sinkResult.thumbnail ? plan.thumbnail : null,
      format: params.format,
      quality: params.quality,
      resolution: params.resolution,
      fps: params.fps,
      width,
      height,
      frames: count,
      firstFrame: range.first,
      duration: count / params.fps,
      captured,
      reused,
      shared,
      encoded: sinkResult.sent,
      workers: workerCount,
      captureMode: session.pool.mode,
      audio: hasAudio,
      size: (await stat(plan.video)).size,
      wallMs: Math.round(wallMs),
      renderFps: Number(((count * 1000) / wallMs).toFixed(2)),
      variables: job.variables,
      blocked,
      remote,
      warnings: logger.warnings,
    };
  } catch (error) {
    const reason = controller.signal.aborted ? controller.signal.reason : error;
    if (!controller.signal.aborted) controller.abort(error);
    sink?.stop(reason instanceof Error ? reason : new Error(String(reason)));
    await encoder?.kill();
    if (!progressEnded) progress.fail(`${job.label}: ${reason instanceof CancelledError ? 'cancelled' : 'failed'}`);
    throw reason;
  } finally {
    outer?.removeEventListener('abort', onOuterAbort);
    job.signal?.removeEventListener('abort', onJobAbort);
    await Promise.allSettled(workers.map((w) => w.close()));
    await plan.cleanup();
  }
}
