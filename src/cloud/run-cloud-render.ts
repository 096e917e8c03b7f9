/**
 * `runCloudRender()`: the whole cloud flow behind `framesmith render --cloud`, usable as a library.
 * Check everything → build (when given a builder) → check against the project → upload once →
 * submit one render (or one per batch row) → follow them together → download → summarise.
 */
import { stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { CancelledError, FramesmithError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { VariableValues } from '../shared/variables.js';
import { resolveApiKey, type ResolvedApiKey } from './api-key.js';
import { expandNamePattern, loadBatchRows, uniqueNames } from '../options/batch-rows.js';
import { createCloudClient, newIdempotencyKey, type CloudClient } from './client.js';
import { defaultOutputPath, downloadRenderOutputs } from './download.js';
import { CLOUD_EXIT } from './exit-codes.js';
import type { RenderParams } from './params.js';
import { isTerminal, resumeCommand, stoppedWaiting, waitForRender } from './poll.js';
import { checkAgainstProject, checkStatic } from './prepare.js';
import { inspectProjectZip, type ProjectInfo } from './project-info.js';
import { createStatusLine } from './status-line.js';
import { printBatchSummary } from './summary.js';
import type { CreateRenderRequest, ProjectInput, RenderDetail, RenderStatus } from './types.js';
import { INLINE_MAX_BYTES, uploadProjectZip, type UploadedProject } from './upload.js';
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
  batch?: { rows?: VariableValues[]; file?: string; namePattern?: string };
  /** Download finished videos (default true). */
  download?: boolean;
  client?: CloudClient;
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
    : (options.client ?? createCloudClient({ apiKey: options.apiKey ?? resolveApiKey({ projectDir: options.projectDir ?? cwd }), baseUrl: options.baseUrl, logger, retry: options.retry }));

  const zipPath = typeof options.zip === 'function' ? await options.zip() : options.zip ? resolve(cwd, options.zip) : null;
  if (options.signal?.aborted) throw new CancelledError('Stopped before uploading; nothing was sent.');
  const info = options.project !== undefined ? options.project : zipPath ? await inspectProjectZip(zipPath, fields.composition) : null;
  const batchRows = options.batch ? (options.batch.rows ?? (await loadBatchRows(resolve(cwd, options.batch.file!), info?.declarations ?? []))) : null;
  const rows: (VariableValues | undefined)[] = batchRows ?? [undefined];
  const variableSets = rows.map((row, i) => ({
    label: row ? `row ${i + 1}` : '--variables',
    values: row ? { ...(fields.variables ?? {}), ...row } : fields.variables,
  }));
  const aspect = checkAgainstProject(info, fields, variableSets, Boolean(options.strictVariables), logger);
  if (aspect) fields.aspect_ratio = aspect;
  const bodies = variableSets.map((s) => ({ ...fields, ...(s.values ? { variables: s.values } : {}) }));

  // Inline base64 would carry the whole zip in every create: a batch uploads it once as an asset.
  const inlineMaxBytes = options.inlineMaxBytes ?? (bodies.length > 1 ? 0 : undefined);

  if (options.dryRun || !client) {
    // What would be sent, with placeholders where the upload would fill something in.
    const size = zipPath ? (await stat(zipPath)).size : 0;
    const project: ProjectInput = !zipPath
      ? options.assetId ? { type: 'asset_id', asset_id: options.assetId } : { type: 'url', url: options.url! }
      : size <= (inlineMaxBytes ?? INLINE_MAX_BYTES)
        ? { type: 'base64', media_type: 'application/zip', data: `<${size}-byte zip as base64>` }
        : { type: 'asset_id', asset_id: `<from the direct upload of the ${size}-byte zip>` };
    logger.success(`Checked: ${bodies.length} render${bodies.length > 1 ? 's' : ''} would be submitted; nothing uploaded.`);
    return { dryRun: true, zipPath, upload: null, requests: bodies.map((b) => ({ project, ...b })), renders: [], elapsedMs: Date.now() - started };
  }

  let upload: UploadedProject | null = null;
  let project: ProjectInput;
  if (zipPath) {
    const bar = logger.progress('Uploading', 100);
    try {
      upload = await uploadProjectZip(client, zipPath, {
        signal: options.signal,
        inlineMaxBytes,
        onProgress: (p) => bar.update(Math.floor((p.sentBytes / p.totalBytes) * 100), `${(p.sentBytes / 1e6).toFixed(1)}/${(p.totalBytes / 1e6).toFixed(1)} MB`),
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
  for (const [i, body] of bodies.entries()) {
    if (options.signal?.aborted) {
      if (outcomes.length) throw stoppedWaiting(outcomes.map((o) => o.renderId));
      throw new CancelledError('Stopped before submitting; nothing was rendered.');
    }
    const idempotencyKey = bodies.length > 1 ? `${baseKey}:${i + 1}` : baseKey;
    // Not aborted by the signal: once sent, we want the id back so the user can resume.
    const created = await client.renders.create({ project, ...body }, { idempotencyKey });
    logger.info(`Submitted render ${created.render_id}${options.batch ? ` (row ${i + 1})` : ''}`);
    outcomes.push({ renderId: created.render_id, status: created.status, idempotencyKey, variables: body.variables, videoPath: null, thumbnailPath: null, failureMessage: null, detail: null });
  }
  const result: RunCloudRenderResult = { dryRun: false, zipPath, upload: upload && { method: upload.method, sizeBytes: upload.sizeBytes, sha256: upload.sha256, assetId: upload.assetId }, requests: bodies.map((b) => ({ project: elide(project), ...b })), renders: outcomes, elapsedMs: 0 };
  if (options.wait === false) {
    for (const o of outcomes) logger.info(`Follow it with: ${resumeCommand(o.renderId)}`);
    result.elapsedMs = Date.now() - started;
    return result;
  }

  const line = createStatusLine(logger, outcomes.map((o) => o.renderId));
  try {
    await Promise.all(
      outcomes.map(async (o) => {
        o.detail = await waitForRender(client, o.renderId, { pollInterval: options.pollInterval, timeout: options.timeout, signal: options.signal, onStatus: (d, ms) => line.update(o.renderId, d.status, ms) });
        o.status = o.detail.status;
        o.failureMessage = o.detail.failure_message;
      }),
    );
  } catch (error) {
    line.end();
    if (error instanceof CancelledError) throw stoppedWaiting(outcomes.filter((o) => !o.detail || !isTerminal(o.detail)).map((o) => o.renderId));
    throw error;
  }
  line.end();

  const rendersDir = resolve(cwd, options.rendersDir ?? 'renders');
  const names = options.batch
    ? uniqueNames(outcomes.map((o, i) => resolve(cwd, expandNamePattern(options.batch!.namePattern ?? join(rendersDir, '{render_id}.{format}'), batchRows![i], { index: i + 1, render_id: o.renderId, format: o.detail!.format }))))
    : [options.outPath ? await videoPathFor(resolve(cwd, options.outPath), outcomes[0].detail!) : join(rendersDir, basename(defaultOutputPath(outcomes[0].detail!, cwd)))];
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
  if (options.batch) printBatchSummary(logger, outcomes, result.elapsedMs);
  const failed = outcomes.filter((o) => o.status === 'failed');
  if (failed.length) {
    const one = failed[0];
    throw new FramesmithError(
      'render_failed',
      outcomes.length === 1 ? `Render ${one.renderId} failed: ${one.failureMessage ?? 'no reason given'}.` : `${failed.length} of ${outcomes.length} renders failed (first: ${one.renderId}: ${one.failureMessage ?? 'no reason given'}).`,
      { hint: 'Check the composition with `framesmith lint` and a local `framesmith render`, then submit again.', exitCode: CLOUD_EXIT.renderFailed },
    );
  }
  for (const o of outcomes) if (o.videoPath) logger.success(`${o.videoPath} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return result;
}
