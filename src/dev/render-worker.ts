/**
 * One render job of the preview's queue, in a child process of the dev server (started by
 * render-queue.ts with a lower CPU priority, so the preview stays responsive and the server's
 * own thread never waits on frames). It does the work through the library functions the CLI
 * uses, nothing of its own:
 * - local, one video: `renderLocal()` (as `framesmith render`);
 * - local, several rows: `renderBatch()` (as `framesmith render --batch`);
 * - cloud: `buildBundle()`, then `runCloudRender()` per row with one upload (as
 *   `framesmith render --cloud`), then `waitForRender()` and `downloadRenderOutputs()` (as
 *   `framesmith renders get --download`).
 * It reports progress through a Logger that forwards to the parent. A cancel message, SIGINT,
 * SIGTERM or the parent going away (the IPC channel closing) aborts the work: the library
 * functions stop their browsers and ffmpeg and remove their partial files, then this process ends.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CancelledError, isFramesmithError } from '../core/errors.js';
import type { Logger, Progress } from '../core/logger.js';
import type { ProblemData } from '../../shared/diagnostics.js';
import { RENDER_ID_TOKEN, type StudioParams } from '../../shared/studio-protocol.js';
import type { VariableValues } from '../../shared/variables.js';

export interface WorkerJob {
  kind: 'local' | 'cloud';
  /** Project folder (absolute). */
  dir: string;
  composition: string;
  params: StudioParams;
  frames: { first: number; last: number } | null;
  /**
   * Absolute output paths; a cloud pattern may hold `{render_id}`. A cloud item with a `renderId`
   * was submitted before (a resumed batch): it is followed and downloaded, not submitted again.
   */
  items: { variables: VariableValues; output: string; renderId?: string }[];
  /** Local batches: the name pattern (absolute) that gives `items[i].output`. */
  pattern?: string;
  /** Cloud: ms between status polls. */
  pollMs?: number;
}

/** Parent → worker. */
export type ToWorker = { type: 'run'; job: WorkerJob } | { type: 'cancel' };

/** Worker → parent. */
export type FromWorker =
  | { type: 'progress'; label: string; done: number; total: number }
  | { type: 'progress-end'; label: string; ok: boolean }
  | { type: 'phase'; text: string }
  | { type: 'log'; level: 'error' | 'warn' | 'info'; message: string }
  | {
      type: 'item';
      index: number;
      patch: {
        status?: string;
        renderId?: string;
        cloudStatus?: string;
        output?: string;
        size?: number;
        wallMs?: number;
        thumbnail?: string | null;
        error?: ProblemData;
      };
    }
  /** Cloud: the local part (build, upload, submit) is over; the queue may start the next job. */
  | { type: 'slot-free' }
  | { type: 'done' }
  | { type: 'failed'; error: ProblemData; cancelled: boolean };

const send = (m: FromWorker) => {
  if (process.connected) process.send!(m);
};

const problemOf = (error: unknown): ProblemData =>
  isFramesmithError(error) ? error.toJSON() : { code: 'internal', message: (error as Error)?.message ?? String(error) };

/** A Logger whose lines and progress go to the parent. */
function parentLogger(): Logger {
  const logger: Logger = {
    level: 'info',
    json: false,
    interactive: false,
    error: (m) => send({ type: 'log', level: 'error', message: m }),
    warn: (m) => send({ type: 'log', level: 'warn', message: m }),
    info: (m) => send({ type: 'log', level: 'info', message: m }),
    success: (m) => send({ type: 'log', level: 'info', message: m }),
    debug: () => {},
    diagnostic: (d) =>
      send({ type: 'log', level: d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warn' : 'info', message: d.message }),
    result: () => {},
    progress(label, total): Progress {
      let last = 0;
      return {
        update(done) {
          const now = Date.now();
          // A few messages a second are plenty for a progress bar.
          if (now - last < 120 && done < total) return;
          last = now;
          send({ type: 'progress', label, done, total });
        },
        done: () => send({ type: 'progress-end', label, ok: true }),
        fail: () => send({ type: 'progress-end', label, ok: false }),
      };
    },
  };
  return logger;
}

async function runLocal(job: WorkerJob, logger: Logger, signal: AbortSignal): Promise<void> {
  const common = {
    dir: job.dir,
    composition: job.composition,
    fps: job.params.fps,
    quality: job.params.quality,
    format: job.params.format,
    resolution: job.params.resolution,
    frames: job.frames ?? undefined,
    logger,
    signal,
  };
  if (job.items.length === 1) {
    const { renderLocal } = await import('../render/render-local.js');
    send({ type: 'item', index: 1, patch: { status: 'rendering' } });
    const r = await renderLocal({ ...common, out: job.items[0].output, variables: job.items[0].variables });
    send({ type: 'item', index: 1, patch: { status: 'done', output: r.output, size: r.size, wallMs: r.wallMs, thumbnail: r.thumbnail } });
    for (const w of r.warnings) send({ type: 'log', level: 'warn', message: w.message });
    return;
  }
  const { renderBatch } = await import('../render/batch.js');
  const result = await renderBatch({ ...common, rows: job.items.map((i) => i.variables), pattern: job.pattern });
  for (const row of result.rows) {
    if (row.status === 'rendered' && row.result) {
      send({
        type: 'item',
        index: row.index,
        patch: { status: 'done', output: row.output, size: row.result.size, wallMs: row.result.wallMs, thumbnail: row.result.thumbnail },
      });
    } else if (row.status === 'failed') {
      send({ type: 'item', index: row.index, patch: { status: 'failed', error: row.error } });
    } else send({ type: 'item', index: row.index, patch: { status: 'skipped' } });
  }
}

async function runCloud(job: WorkerJob, logger: Logger, signal: AbortSignal): Promise<void> {
  const cloud = await import('../cloud/index.js');
  const client = cloud.createCloudClient({ apiKey: cloud.resolveApiKey({ projectDir: job.dir }), logger });
  // Renders HeyGen already has (a resumed batch) are followed again; the others are submitted.
  const submitted: { index: number; renderId: string }[] = [];
  const fresh: { index: number; item: WorkerJob['items'][number] }[] = [];
  for (const [i, item] of job.items.entries()) {
    if (item.renderId) {
      submitted.push({ index: i + 1, renderId: item.renderId });
      send({ type: 'item', index: i + 1, patch: { status: 'queued', renderId: item.renderId } });
    } else fresh.push({ index: i + 1, item });
  }
  const cut = fresh.length ? await submitAll(job, fresh, submitted, client, cloud, logger, signal) : false;
  if (signal.aborted) {
    // A create cut by the cancel may have reached HeyGen: its id never came back.
    const maybe = cut
      ? ' The render being submitted when you cancelled may have been created too: `framesmith renders list` shows it.'
      : '';
    throw new CancelledError(
      submitted.length
        ? `Stopped; ${submitted.length} render${submitted.length > 1 ? 's keep' : ' keeps'} rendering in the cloud (${submitted.map((s) => s.renderId).join(', ')}).${maybe}`
        : `Stopped before ${cut ? 'a render was confirmed' : 'submitting'}; nothing was rendered${cut ? ' that framesmith knows of' : ''}.${maybe}`,
      submitted.length ? `Resume with: ${submitted.map((s) => cloud.resumeCommand(s.renderId)).join(' ; ')}` : undefined,
    );
  }
  send({ type: 'slot-free' });
  send({ type: 'phase', text: 'Rendering in the cloud' });
  await Promise.all(
    submitted.map(async ({ index, renderId }) => {
      const item = job.items[index - 1];
      const started = Date.now();
      let finishedInCloud = false;
      let output: string | null = null;
      let hadOutput = false;
      try {
        const detail = await cloud.waitForRender(client, renderId, {
          pollInterval: job.pollMs,
          signal,
          onStatus: (d) =>
            send({
              type: 'item',
              index,
              patch: {
                cloudStatus: d.status,
                status: d.status === 'completed' || d.status === 'failed' ? undefined : d.status === 'queued' ? 'queued' : 'rendering',
              },
            }),
        });
        if (detail.status === 'failed') {
          send({
            type: 'item',
            index,
            patch: {
              status: 'failed',
              cloudStatus: 'failed',
              error: {
                code: 'render_failed',
                message: `Render ${renderId} failed: ${detail.failure_message ?? 'no reason given'}.`,
                hint: 'Check the composition with `framesmith lint` and a local render, then submit again.',
              },
            },
          });
          return;
        }
        finishedInCloud = true;
        output = item.output.split(RENDER_ID_TOKEN).join(renderId).split('{render_id}').join(renderId);
        hadOutput = existsSync(output);
        send({ type: 'item', index, patch: { status: 'downloading', output } });
        const got = await cloud.downloadRenderOutputs(detail, { outPath: output, client, signal, logger });
        send({
          type: 'item',
          index,
          patch: {
            status: 'done',
            output: got.videoPath,
            size: got.videoBytes,
            wallMs: Date.now() - started,
            thumbnail: got.thumbnailPath,
          },
        });
      } catch (error) {
        const cancelled = error instanceof CancelledError || signal.aborted;
        // Cancelled while the thumbnail came: the video is whole under its name (it is renamed
        // there only when complete), so the row is done, without a thumbnail.
        if (cancelled && output && !hadOutput && existsSync(output)) {
          send({
            type: 'item',
            index,
            patch: { status: 'done', output, size: statSync(output).size, wallMs: Date.now() - started, thumbnail: null },
          });
          return;
        }
        send({
          type: 'item',
          index,
          patch: {
            status: cancelled ? 'cancelled' : 'failed',
            error: cancelled
              ? {
                  code: 'cancelled',
                  message: finishedInCloud
                    ? `Stopped downloading render ${renderId}; it is finished in the cloud (nothing was kept here).`
                    : `Stopped following render ${renderId}; it keeps rendering in the cloud.`,
                  hint: `Retry resumes it without a new render, or in a terminal: ${cloud.resumeCommand(renderId)}`,
                }
              : problemOf(error),
          },
        });
      }
    }),
  );
  if (signal.aborted) throw new CancelledError('Stopped following the renders; they keep rendering in the cloud.');
}

type Cloud = typeof import('../cloud/index.js');

/**
 * Builds the bundle, uploads it once and submits a render per item (as `render --cloud` does).
 * Resolves true when a cancel cut a create request short (that render may exist on HeyGen).
 */
async function submitAll(
  job: WorkerJob,
  fresh: { index: number; item: WorkerJob['items'][number] }[],
  submitted: { index: number; renderId: string }[],
  client: ReturnType<Cloud['createCloudClient']>,
  cloud: Cloud,
  logger: Logger,
  signal: AbortSignal,
): Promise<boolean> {
  const [{ buildBundle }, { renderReferences }] = await Promise.all([
    import('../build/build-bundle.js'),
    import('../build/output-exclusion.js'),
  ]);
  send({ type: 'phase', text: 'Building the bundle' });
  const references = await renderReferences({ variables: Object.assign({}, ...fresh.map((f) => f.item.variables)) as VariableValues });
  const built = await buildBundle({ dir: job.dir, composition: job.composition, references, logger });
  if (signal.aborted) throw new CancelledError('Stopped before uploading; nothing was sent.');
  const params = {
    fps: job.params.fps,
    quality: job.params.quality,
    format: job.params.format,
    resolution: job.params.resolution,
    composition: built.entry,
  };
  const onUpload = (p: { sentBytes: number; totalBytes: number }) =>
    send({ type: 'phase', text: `Uploading ${(p.sentBytes / 1e6).toFixed(1)}/${(p.totalBytes / 1e6).toFixed(1)} MB` });

  // One upload: a single render sends the zip with its create (as the CLI does); a batch
  // uploads it once as an asset and every row's render names that asset.
  let source: { zip: string } | { assetId: string; project: Awaited<ReturnType<Cloud['inspectProjectZip']>> };
  if (fresh.length === 1) source = { zip: built.zipPath };
  else {
    send({ type: 'phase', text: 'Uploading' });
    const upload = await cloud.uploadProjectZip(client, built.zipPath, { signal, inlineMaxBytes: 0, onProgress: onUpload });
    source = { assetId: upload.assetId!, project: await cloud.inspectProjectZip(built.zipPath, built.entry) };
  }
  for (const [n, { index, item }] of fresh.entries()) {
    if (signal.aborted) break;
    send({ type: 'phase', text: fresh.length > 1 ? `Submitting ${n + 1}/${fresh.length}` : 'Uploading and submitting' });
    try {
      const r = await cloud.runCloudRender({
        ...source,
        params: { ...params, variables: item.variables },
        wait: false,
        client,
        logger: quietInfo(logger),
        signal,
        projectDir: job.dir,
      });
      const renderId = r.renders[0].renderId;
      submitted.push({ index, renderId });
      send({ type: 'item', index, patch: { status: 'queued', renderId, cloudStatus: r.renders[0].status } });
    } catch (error) {
      if (signal.aborted) return true;
      // One row's refusal (a bad value, a limit) is that row's; the others go on.
      send({ type: 'item', index, patch: { status: 'failed', error: problemOf(error) } });
    }
  }
  return false;
}

/** The cloud flow's "Submitted render …" lines are the panel's own statuses: keep only warnings and errors. */
function quietInfo(logger: Logger): Logger {
  return { ...logger, info: () => {}, success: () => {}, progress: () => ({ update() {}, done() {}, fail() {} }) };
}

async function main(): Promise<void> {
  const controller = new AbortController();
  const stop = (why: string) => {
    if (!controller.signal.aborted) controller.abort(new CancelledError(`Render cancelled (${why}); no video was written.`));
  };
  process.on('SIGINT', () => stop('interrupted'));
  process.on('SIGTERM', () => stop('the dev server stopped'));
  // The dev server went away (stopped, crashed, killed): stop and clean up rather than go on alone.
  process.on('disconnect', () => stop('the dev server stopped'));
  const job = await new Promise<WorkerJob>((resolveJob) => {
    process.on('message', (m: ToWorker) => {
      if (m.type === 'run') resolveJob(m.job);
      else if (m.type === 'cancel') stop('cancelled');
    });
  });
  const logger = parentLogger();
  try {
    job.dir = resolve(job.dir);
    if (job.kind === 'local') await runLocal(job, logger, controller.signal);
    else await runCloud(job, logger, controller.signal);
    send({ type: 'done' });
  } catch (error) {
    send({ type: 'failed', error: problemOf(error), cancelled: error instanceof CancelledError || controller.signal.aborted });
  }
  // Let the last message go out, then end (the library closed everything it opened).
  setTimeout(() => process.exit(0), 50).unref();
  if (process.connected) process.disconnect();
}

if (process.send) void main();
