/**
 * `runCloudRender()`: the whole cloud flow behind `framesmith render --cloud`, usable as a library.
 * Check everything → build (when given a builder) → check against the project → upload once →
 * submit one render (or one per batch row) → follow them together → download → summarise.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { CancelledError, FramesmithError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { isWithin } from '../core/inside.js';
import type { VariableValues } from '../../shared/variables.js';
import { resolveCredential, type ResolvedApiKey } from './api-key.js';
import { expandNamePattern, loadBatchRows, uniqueNames } from '../options/batch-rows.js';
import { DEFAULT_CONCURRENCY, runBatch, type BatchEvent, type BatchRow } from './batch-run.js';
import {
  batchOutputDir,
  checkResumable,
  hashValues,
  loadBatchState,
  removeBatchState,
  saveBatchState,
  statePathFor,
  STATE_VERSION,
  type BatchState,
} from './batch-state.js';
import { createCloudClient, newIdempotencyKey, type CloudClient } from './client.js';
import { defaultOutputPath, downloadRenderOutputs } from './download.js';
import { EXIT } from '../core/exit-codes.js';
import type { RenderParams } from './params.js';
import { DEFAULT_POLL_INTERVAL_MS, DEFAULT_WAIT_TIMEOUT_MS, isTerminal, resumeCommand, stoppedWaiting, waitForRender } from './poll.js';
import { checkAgainstProject, checkStatic } from './prepare.js';
import { inspectProjectZip, type ProjectInfo } from './project-info.js';
import { createBatchPrinter, createStatusLine } from './status-line.js';
import { printBatchSummary } from './summary.js';
import type { CreateRenderRequest, ProjectInput, RenderDetail, RenderStatus } from './types.js';
import { INLINE_MAX_BYTES, sha256File, uploadProjectZip, type UploadedProject } from './upload.js';
import type { RetryOptions } from './retry.js';

export interface RunCloudRenderOptions {
  /** The project zip, or a function that builds it and returns its path. */
  zip?: string | (() => Promise<string>);
  /** Instead of a zip: an uploaded asset id, or a public https URL of a zip. */
  assetId?: string;
  url?: string;
  /** Size and declarations of the entry; read from the zip when left out. */
  project?: ProjectInfo | null;
  params?: RenderParams;
  /** Variable problems become errors instead of warnings. */
  strictVariables?: boolean;
  /** false = submit and return the ids (`--no-wait`). Default true. */
  wait?: boolean;
  /** Video path of a single render (default renders/<render_id>.<format>). */
  outPath?: string;
  /** Folder that relative paths (`outPath`, the batch pattern, the batch file) resolve against (default cwd). */
  cwd?: string;
  /** Where outputs go when neither `outPath` nor a batch pattern names them (default `<cwd>/renders`). */
  rendersDir?: string;
  /** ms between polls (default 10 000) and ms before giving up waiting (default 60 min). */
  pollInterval?: number;
  timeout?: number;
  /** Sent with the create; batch rows use `<key>:<row>`. Generated when left out. */
  idempotencyKey?: string;
  /** Check and build only; nothing is uploaded or submitted. */
  dryRun?: boolean;
  /**
   * One upload, one render per row (row values over `params.variables`). Rows given directly or
   * read from a .json/.csv `file` (CSV cells typed by the declarations). `namePattern` names the
   * outputs, e.g. `renders/{headline}.mp4` (default `renders/{render_id}.{format}`).
   */
  batch?: {
    rows?: VariableValues[];
    file?: string;
    namePattern?: string;
    /** Renders in flight at most (default 10, the account limit of pay-as-you-go plans). */
    concurrency?: number;
    /** Where the batch's state is kept (default `<output folder>/framesmith-batch-<file>.json`). */
    statePath?: string;
  };
  /** Batch progress, for a display of your own (default: lines through `logger`). */
  onBatchEvent?(event: BatchEvent): void;
  /** Download finished videos (default true). */
  download?: boolean;
  client?: CloudClient;
  /** The credential: an API key (or `resolveCredential()`'s result, which may be an access token). */
  apiKey?: string | ResolvedApiKey;
  /** Folder whose .env may hold HEYGEN_API_KEY (default cwd). */
  projectDir?: string;
  baseUrl?: string;
  retry?: RetryOptions;
  logger?: Logger;
  /** Abort (Ctrl+C) stops the upload or the wait; submitted renders are named for resuming. */
  signal?: AbortSignal;
  /** Base64 threshold override (bytes). */
  inlineMaxBytes?: number;
}

export interface CloudRenderOutcome {
  renderId: string;
  status: RenderStatus;
  idempotencyKey: string;
  variables?: VariableValues;
  videoPath: string | null;
  thumbnailPath: string | null;
  failureMessage: string | null;
  detail: RenderDetail | null;
}

export interface RunCloudRenderResult {
  dryRun: boolean;
  zipPath: string | null;
  upload: Omit<UploadedProject, 'project'> | null;
  /** The create bodies (base64 data elided). */
  requests: CreateRenderRequest[];
  renders: CloudRenderOutcome[];
  elapsedMs: number;
  /** Batches: where the state was kept (removed once every row ended), and whether this run resumed one. */
  batch?: { statePath: string; resumed: boolean; concurrency: number; complete: boolean };
}

/** `-o` as a local render reads it: an existing folder gets `<render_id>.<format>` inside, a name without extension gets one. */
async function videoPathFor(out: string, detail: RenderDetail): Promise<string> {
  if ((await stat(out).catch(() => null))?.isDirectory()) return join(out, basename(defaultOutputPath(detail)));
  return extname(out) ? out : `${out}.${detail.format || 'mp4'}`;
}

const elide = (p: ProjectInput): ProjectInput => (p.type === 'base64' ? { ...p, data: `<${p.data.length} base64 chars>` } : p);

/** Runs the cloud render flow; see RunCloudRenderOptions. Throws FramesmithError on every failure. */
export async function runCloudRender(options: RunCloudRenderOptions): Promise<RunCloudRenderResult> {
  const started = Date.now();
  const logger = options.logger ?? silentLogger;
  const cwd = resolve(options.cwd ?? process.cwd());
  const fields = checkStatic(options);
  const client = options.dryRun
    ? null
    : (options.client ??
      createCloudClient({
        apiKey: options.apiKey ?? resolveCredential({ projectDir: options.projectDir ?? cwd }),
        baseUrl: options.baseUrl,
        logger,
        retry: options.retry,
      }));

  const zipPath = typeof options.zip === 'function' ? await options.zip() : options.zip ? resolve(cwd, options.zip) : null;
  if (options.signal?.aborted) throw new CancelledError('Stopped before uploading; nothing was sent.');
  const info = options.project !== undefined ? options.project : zipPath ? await inspectProjectZip(zipPath, fields.composition) : null;
  const batchRows = options.batch
    ? (options.batch.rows ?? (await loadBatchRows(resolve(cwd, options.batch.file!), info?.declarations ?? [])))
    : null;
  const rows: (VariableValues | undefined)[] = batchRows ?? [undefined];
  const variableSets = rows.map((row, i) => ({
    label: row ? `row ${i + 1}` : '--variables',
    values: row ? { ...(fields.variables ?? {}), ...row } : fields.variables,
  }));
  const aspect = checkAgainstProject(info, fields, variableSets, Boolean(options.strictVariables), logger);
  if (aspect) fields.aspect_ratio = aspect;
  const bodies = variableSets.map((s) => ({ ...fields, ...(s.values ? { variables: s.values } : {}) }));
  // A batch sends `<key>:<row>`: the longest of those must fit HeyGen's 255 characters too.
  const key = options.idempotencyKey;
  if (batchRows && key !== undefined && key.length + `:${bodies.length}`.length > 255) {
    throw new FramesmithError(
      'invalid_option',
      `--idempotency-key is ${key.length} characters; a batch sends it with the row number added (\`:${bodies.length}\` for row ${bodies.length}), which goes over the 255 characters HeyGen allows.`,
      {
        hint: `Use a key of at most ${255 - `:${bodies.length}`.length} characters for this batch of ${bodies.length} rows.`,
        exitCode: EXIT.usage,
      },
    );
  }

  // Inline base64 would carry the whole zip in every create: a batch uploads it once as an asset.
  const inlineMaxBytes = options.inlineMaxBytes ?? (bodies.length > 1 ? 0 : undefined);

  if (options.dryRun || !client) {
    // What would be sent, with placeholders where the upload would fill something in.
    const size = zipPath ? (await stat(zipPath)).size : 0;
    const project: ProjectInput = !zipPath
      ? options.assetId
        ? { type: 'asset_id', asset_id: options.assetId }
        : { type: 'url', url: options.url! }
      : size <= (inlineMaxBytes ?? INLINE_MAX_BYTES)
        ? { type: 'base64', media_type: 'application/zip', data: `<${size}-byte zip as base64>` }
        : { type: 'asset_id', asset_id: `<from the direct upload of the ${size}-byte zip>` };
    logger.success(`Checked: ${bodies.length} render${bodies.length > 1 ? 's' : ''} would be submitted; nothing uploaded.`);
    return {
      dryRun: true,
      zipPath,
      upload: null,
      requests: bodies.map((b) => ({ project, ...b })),
      renders: [],
      elapsedMs: Date.now() - started,
    };
  }

  if (options.batch) return runCloudBatch({ options, client, zipPath, fields, bodies, batchRows: batchRows!, cwd, logger, started });

  let upload: UploadedProject | null = null;
  let project: ProjectInput;
  if (zipPath) {
    const bar = logger.progress('Uploading', 100);
    try {
      upload = await uploadProjectZip(client, zipPath, {
        signal: options.signal,
        inlineMaxBytes,
        onProgress: (p) =>
          bar.update(
            Math.floor((p.sentBytes / p.totalBytes) * 100),
            `${(p.sentBytes / 1e6).toFixed(1)}/${(p.totalBytes / 1e6).toFixed(1)} MB`,
          ),
      });
      bar.done(`Uploaded ${(upload.sizeBytes / 1e6).toFixed(2)} MB (${upload.method === 'base64' ? 'inline' : `asset ${upload.assetId}`})`);
    } catch (error) {
      bar.fail('Upload failed');
      // An abort surfaces as whatever the stream or fetch threw: report it as the user's stop.
      if (options.signal?.aborted) throw new CancelledError('Stopped while uploading; nothing was submitted.');
      throw error;
    }
    project = upload.project;
  } else project = options.assetId ? { type: 'asset_id', asset_id: options.assetId } : { type: 'url', url: options.url! };

  const baseKey = options.idempotencyKey ?? newIdempotencyKey();
  const outcomes: CloudRenderOutcome[] = [];
  for (const body of bodies) {
    if (options.signal?.aborted) {
      if (outcomes.length) throw stoppedWaiting(outcomes.map((o) => o.renderId));
      throw new CancelledError('Stopped before submitting; nothing was rendered.');
    }
    const idempotencyKey = baseKey;
    // Not aborted by the signal: once sent, we want the id back so the user can resume.
    const created = await client.renders.create({ project, ...body }, { idempotencyKey });
    logger.info(`Submitted render ${created.render_id}`);
    outcomes.push({
      renderId: created.render_id,
      status: created.status,
      idempotencyKey,
      variables: body.variables,
      videoPath: null,
      thumbnailPath: null,
      failureMessage: null,
      detail: null,
    });
  }
  const result: RunCloudRenderResult = {
    dryRun: false,
    zipPath,
    upload: upload && { method: upload.method, sizeBytes: upload.sizeBytes, sha256: upload.sha256, assetId: upload.assetId },
    requests: bodies.map((b) => ({ project: elide(project), ...b })),
    renders: outcomes,
    elapsedMs: 0,
  };
  if (options.wait === false) {
    for (const o of outcomes) logger.info(`Follow it with: ${resumeCommand(o.renderId)}`);
    result.elapsedMs = Date.now() - started;
    return result;
  }

  const line = createStatusLine(
    logger,
    outcomes.map((o) => o.renderId),
  );
  try {
    await Promise.all(
      outcomes.map(async (o) => {
        o.detail = await waitForRender(client, o.renderId, {
          pollInterval: options.pollInterval,
          timeout: options.timeout,
          signal: options.signal,
          onStatus: (d, ms) => line.update(o.renderId, d.status, ms),
        });
        o.status = o.detail.status;
        o.failureMessage = o.detail.failure_message;
      }),
    );
  } catch (error) {
    line.end();
    if (error instanceof CancelledError)
      throw stoppedWaiting(outcomes.filter((o) => !o.detail || !isTerminal(o.detail)).map((o) => o.renderId));
    throw error;
  }
  line.end();

  const rendersDir = resolve(cwd, options.rendersDir ?? 'renders');
  const names = [
    options.outPath
      ? await videoPathFor(resolve(cwd, options.outPath), outcomes[0].detail!)
      : join(rendersDir, basename(defaultOutputPath(outcomes[0].detail!, cwd))),
  ];
  for (const [i, o] of outcomes.entries()) {
    if (o.status !== 'completed' || options.download === false) continue;
    let got;
    try {
      got = await downloadRenderOutputs(o.detail!, { outPath: names[i], cwd, client, signal: options.signal, logger });
    } catch (error) {
      if (!options.signal?.aborted) throw error;
      const left = outcomes.filter((x) => x.status === 'completed' && !x.videoPath);
      throw new CancelledError(
        `Stopped downloading; ${left.length === 1 ? `render ${left[0].renderId} is` : `${left.length} renders are`} finished in the cloud and not downloaded yet.`,
        `Download with: ${left.map((x) => resumeCommand(x.renderId)).join(' ; ')}`,
      );
    }
    o.videoPath = got.videoPath;
    o.thumbnailPath = got.thumbnailPath;
  }
  result.elapsedMs = Date.now() - started;
  const failed = outcomes.filter((o) => o.status === 'failed');
  if (failed.length) {
    const one = failed[0];
    throw new FramesmithError(
      'render_failed',
      outcomes.length === 1
        ? `Render ${one.renderId} failed: ${one.failureMessage ?? 'no reason given'}.`
        : `${failed.length} of ${outcomes.length} renders failed (first: ${one.renderId}: ${one.failureMessage ?? 'no reason given'}).`,
      {
        hint: 'Check the composition with `framesmith lint` and a local `framesmith render`, then submit again.',
        exitCode: EXIT.renderFailed,
      },
    );
  }
  for (const o of outcomes) if (o.videoPath) logger.success(`${o.videoPath} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return result;
}

interface BatchInput {
  options: RunCloudRenderOptions;
  client: CloudClient;
  zipPath: string | null;
  fields: Omit<CreateRenderRequest, 'project'>;
  bodies: Omit<CreateRenderRequest, 'project'>[];
  batchRows: VariableValues[];
  cwd: string;
  logger: Logger;
  started: number;
}

/**
 * A batch: one upload, one render per row, at most `concurrency` in flight, the state beside the
 * outputs so the same command resumes it (batch-state.ts, batch-run.ts).
 */
async function runCloudBatch({
  options,
  client,
  zipPath,
  fields,
  bodies,
  batchRows,
  cwd,
  logger,
  started,
}: BatchInput): Promise<RunCloudRenderResult> {
  const batch = options.batch!;
  const concurrency = batch.concurrency ?? DEFAULT_CONCURRENCY;
  const rendersDir = resolve(cwd, options.rendersDir ?? 'renders');
  const outDir = batchOutputDir(cwd, rendersDir, batch.namePattern);
  const statePath = batch.statePath ? resolve(cwd, batch.statePath) : statePathFor(outDir, batch.file);
  const { variables: _shared, ...settings } = fields;
  const fingerprint = zipPath
    ? `zip:${await sha256File(zipPath, options.signal)}`
    : options.assetId
      ? `asset:${options.assetId}`
      : `url:${options.url}`;
  const rowHashes = bodies.map((b) => hashValues(b.variables ?? null));

  let state = await loadBatchState(statePath);
  const resumed = state !== null;
  // Builds leave the batch's videos and state file out, wherever they sit, unless a project file names a video or --include keeps it.
  const projectDir = options.projectDir ? resolve(cwd, options.projectDir) : null;
  // The project folder and renders/ themselves count as inside them.
  const projectHint =
    projectDir && isWithin(projectDir, outDir) && !isWithin(join(projectDir, 'renders'), outDir)
      ? `The batch writes into ${relative(cwd, outDir) || '.'}, inside the project: a video there is part of the next build when a project file names it or --include keeps it.`
      : undefined;
  if (state)
    checkResumable(state, statePath, {
      rowHashes,
      settings: hashValues(settings),
      project: fingerprint,
      baseKey: options.idempotencyKey,
      projectHint,
    });
  else {
    const baseKey = options.idempotencyKey ?? newIdempotencyKey();
    const now = new Date().toISOString();
    state = {
      framesmith_batch: STATE_VERSION,
      source: batch.file ? relative(cwd, resolve(cwd, batch.file)) || batch.file : 'rows',
      settings: hashValues(settings),
      project: { fingerprint, asset_id: null },
      base_key: baseKey,
      created_at: now,
      updated_at: now,
      rows: rowHashes.map((values, i) => ({
        index: i + 1,
        values,
        key: `${baseKey}:${i + 1}`,
        render_id: null,
        status: null,
        video: null,
        failure: null,
      })),
    } satisfies BatchState;
    // The keys are on disk before the first request: a create whose answer is lost is replayed, not repeated.
    await saveBatchState(statePath, state);
  }
  const st = state;
  const stateDir = dirname(statePath);
  const rows: BatchRow[] = bodies.map((body, i) => ({
    index: i + 1,
    body,
    state: st.rows[i],
    detail: null,
    videoPath: st.rows[i].video ? resolve(stateDir, st.rows[i].video!) : null,
    thumbnailPath: null,
  }));

  // Names: from the pattern (render id filled in once known), made unique in row order.
  const pattern = batch.namePattern;
  const format = fields.format ?? 'mp4';
  const planned = pattern
    ? uniqueNames(
        rows.map((r) =>
          resolve(cwd, expandNamePattern(pattern, batchRows[r.index - 1], { index: r.index, render_id: '{render_id}', format })),
        ),
      )
    : null;
  const outputPath = (row: BatchRow, detail: RenderDetail) =>
    planned
      ? planned[row.index - 1].split('{render_id}').join(detail.render_id)
      : join(rendersDir, basename(defaultOutputPath(detail, cwd)));

  let upload: UploadedProject | null = null;
  const project = async (): Promise<ProjectInput> => {
    if (!zipPath) return options.assetId ? { type: 'asset_id', asset_id: options.assetId } : { type: 'url', url: options.url! };
    if (st.project.asset_id) return { type: 'asset_id', asset_id: st.project.asset_id };
    const bar = logger.progress('Uploading', 100);
    try {
      // Inline base64 would carry the whole zip in every create: a batch uploads it once as an asset.
      upload = await uploadProjectZip(client, zipPath, {
        signal: options.signal,
        inlineMaxBytes: options.inlineMaxBytes ?? 0,
        onProgress: (p) =>
          bar.update(
            Math.floor((p.sentBytes / p.totalBytes) * 100),
            `${(p.sentBytes / 1e6).toFixed(1)}/${(p.totalBytes / 1e6).toFixed(1)} MB`,
          ),
      });
      bar.done(`Uploaded ${(upload.sizeBytes / 1e6).toFixed(2)} MB (${upload.method === 'base64' ? 'inline' : `asset ${upload.assetId}`})`);
    } catch (error) {
      bar.fail('Upload failed');
      if (options.signal?.aborted)
        throw new CancelledError(
          'Stopped while uploading; nothing was submitted.',
          `The batch starts where it was when you run the same command again (state: ${statePath}).`,
        );
      throw error;
    }
    if (upload.assetId) {
      st.project.asset_id = upload.assetId;
      await saveBatchState(statePath, st);
    }
    return upload.project;
  };

  const printer = createBatchPrinter(logger);
  const onEvent = options.onBatchEvent ?? printer.onEvent;
  if (resumed) onEvent({ type: 'resumed', statePath, withRender: rows.filter((r) => r.state.render_id).length, total: rows.length });
  try {
    await runBatch({
      client,
      rows,
      project,
      state: st,
      statePath,
      concurrency,
      wait: options.wait !== false,
      download: options.download !== false,
      pollInterval: options.pollInterval ?? DEFAULT_POLL_INTERVAL_MS,
      timeout: options.timeout ?? DEFAULT_WAIT_TIMEOUT_MS,
      outputPath,
      storedPath: (p) => relative(stateDir, p),
      signal: options.signal,
      onEvent,
      logger,
    });
  } catch (error) {
    printer.end();
    if (options.signal?.aborted || error instanceof CancelledError) {
      const inCloud = rows.filter((r) => r.state.render_id && !r.videoPath && r.state.status !== 'failed').length;
      const waiting = rows.filter((r) => !r.state.render_id).length;
      throw new CancelledError(
        `Stopped the batch: ${inCloud} render${inCloud === 1 ? '' : 's'} in the cloud not downloaded yet, ${waiting} row${waiting === 1 ? '' : 's'} not submitted.`,
        `Run the same command again to resume: rows with a render are not submitted again (state: ${statePath}).`,
      );
    }
    if (error instanceof FramesmithError && !/state:/.test(error.hint ?? '') && error.exitCode !== EXIT.usage) {
      throw FramesmithError.passOn(error.code, error.message, {
        hint: `${error.hint ? `${error.hint} ` : ''}Run the same command again to resume the batch (state: ${statePath}).`,
        exitCode: error.exitCode,
        details: error.details,
      });
    }
    throw error;
  }
  printer.end();

  const outcomes: CloudRenderOutcome[] = rows.map((r) => ({
    renderId: r.state.render_id ?? '',
    status: (r.state.status ?? 'queued') as RenderStatus,
    idempotencyKey: r.state.key,
    variables: r.body.variables,
    videoPath: r.videoPath,
    thumbnailPath: r.thumbnailPath,
    failureMessage: r.state.failure,
    detail: r.detail,
  }));
  const complete = rows.every(
    (r) => r.state.status === 'failed' || (r.state.status === 'completed' && (options.download === false || r.state.video)),
  );
  if (complete) await removeBatchState(statePath);
  const up = upload as UploadedProject | null;
  const projectShown: ProjectInput = up
    ? up.project
    : zipPath
      ? { type: 'asset_id', asset_id: st.project.asset_id ?? '' }
      : options.assetId
        ? { type: 'asset_id', asset_id: options.assetId }
        : { type: 'url', url: options.url! };
  const result: RunCloudRenderResult = {
    dryRun: false,
    zipPath,
    upload: up && { method: up.method, sizeBytes: up.sizeBytes, sha256: up.sha256, assetId: up.assetId },
    requests: bodies.map((b) => ({ project: elide(projectShown), ...b })),
    renders: outcomes,
    elapsedMs: Date.now() - started,
    batch: { statePath, resumed, concurrency, complete },
  };
  if (options.wait === false) {
    onEvent({ type: 'all-submitted', statePath, total: rows.length });
    return result;
  }
  printBatchSummary(logger, outcomes, result.elapsedMs);
  const failed = outcomes.filter((o) => o.status === 'failed');
  if (failed.length) {
    const one = failed[0];
    throw new FramesmithError(
      'render_failed',
      `${failed.length} of ${outcomes.length} renders failed (first: ${one.renderId}: ${one.failureMessage ?? 'no reason given'}).`,
      {
        hint: 'Check the composition with `framesmith lint` and a local `framesmith render`, then submit the failed rows again (in a new batch file).',
        exitCode: EXIT.renderFailed,
      },
    );
  }
  for (const o of outcomes) if (o.videoPath) logger.success(`${o.videoPath} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return result;
}
