/**
 * The preview's render queue: jobs the render panel and the dataset view add, run one at a time
 * by default (`slots`) in a child process each (render-worker.ts, at a lower CPU priority), kept
 * in memory while the server runs so a reloaded page finds them again. Every change of a job is
 * pushed to the pages (`onChange`).
 *
 * Output names never overwrite silently: a name that exists on disk, or that a queued or running
 * job will write, is refused with the taken paths and numbered alternatives (409), unless the
 * request says to number or to replace; a file that appears between queueing and starting is
 * caught again at the start. Stopping the server cancels the running jobs and waits for their
 * workers to remove their partial files.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import { setPriority } from 'node:os';
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FramesmithError, isFramesmithError } from '../core/errors.js';
import type { ErrorCode } from '../core/error-catalog.js';
import type { Logger } from '../core/logger.js';
import { PACKAGE_ROOT } from '../core/paths.js';
import type { ProblemData } from '../../shared/diagnostics.js';
import { renderCommand } from '../../shared/studio-commands.js';
import {
  RENDER_ID_TOKEN,
  resumableItem,
  STUDIO_API_PATH,
  type ItemStatus,
  type JobItem,
  type NewJobRequest,
  type OutputConflict,
  type StudioJob,
  type StudioParams,
} from '../../shared/studio-protocol.js';
import type { VariableValues } from '../../shared/variables.js';
import type { FromWorker, ToWorker, WorkerJob } from './render-worker.js';
import { EXIT } from '../core/exit-codes.js';

const EXTENSIONS: Record<StudioParams['format'], string> = { mp4: '.mp4', webm: '.webm', mov: '.mov' };
/** Finished jobs kept for the panel (the oldest go first). */
const KEEP_FINISHED = 200;
/** How long a stopping server waits for a worker to clean up before killing it. */
const STOP_GRACE_MS = 8000;

export interface RenderQueueOptions {
  /** Project folder (a realpath). */
  root: string;
  /** The folder as the user typed it (for commands). */
  dirLabel: string;
  /** Local renders at once (default 1). */
  slots?: number;
  /** Cloud: ms between status polls (default the CLI's 10 s). */
  pollMs?: number;
  /** Environment of the workers (default this process's): HEYGEN_API_KEY, HEYGEN_API_URL, FRAMESMITH_BROWSER… */
  env?: NodeJS.ProcessEnv;
  /** Frames of the composition at `fps` (null when it cannot be read): checks `frames`. */
  frameCount(composition: string, fps: number): Promise<number | null>;
  logger: Logger;
  onChange(job: StudioJob): void;
  onRemove(id: string): void;
}

interface Entry {
  job: StudioJob;
  request: NewJobRequest;
  /** Absolute outputs (a cloud pattern may still hold RENDER_ID_TOKEN). */
  outputs: string[];
  pattern?: string;
  child: ChildProcess | null;
  holdsSlot: boolean;
  /** Rate samples of the current progress label. */
  samples: { t: number; done: number }[];
  label: string;
  /** Finished outputs by item index, for serving. */
  files: Map<number, { video: string; thumbnail: string | null }>;
  exited: Promise<void> | null;
  /** Cancel asked while no worker was running (between the rows of a numbered batch, or before the start). */
  cancelRequested: boolean;
  /** A numbered batch: how the current row's worker ended. */
  onSingleEnd?: (result: 'done' | 'failed' | 'cancelled', error?: ProblemData) => void;
}

export interface RenderQueue {
  list(): StudioJob[];
  get(id: string): StudioJob | undefined;
  add(request: NewJobRequest): Promise<StudioJob>;
  cancel(id: string): boolean;
  retry(id: string): Promise<StudioJob>;
  remove(id: string): boolean;
  /** A finished item's files (absolute), for serving and revealing. */
  file(id: string, index: number): { video: string; thumbnail: string | null } | undefined;
  close(): Promise<void>;
}

/** The worker script: built JS next to this file, or dist's when this runs from the sources (tests). */
function workerPath(): string {
  const here = fileURLToPath(import.meta.url);
  const sibling = join(dirname(here), 'render-worker.js');
  return here.endsWith('.js') && existsSync(sibling) ? sibling : join(PACKAGE_ROOT, 'dist', 'node', 'dev', 'render-worker.js');
}

const usage = (code: ErrorCode, message: string, hint: string) => new FramesmithError(code, message, { hint, exitCode: EXIT.usage });

/** A name under renders/: relative, no `..`, no dot segments, no backslashes. */
function checkName(name: string): string {
  // An absolute path is refused, not quietly read as a folder under renders/.
  const n = name.trim().replace(/^\.\/+/, '');
  const segments = n.split('/');
  if (
    !n ||
    n.includes('\0') ||
    n.includes('\\') ||
    n.startsWith('/') ||
    /^[A-Za-z]:/.test(n) ||
    segments.some((s) => s === '' || s === '..' || s.startsWith('.'))
  ) {
    throw usage(
      'invalid_output_name',
      `The output name "${name}" must be a file name inside the project's renders/ folder (letters, digits, -, _, sub-folders with /; no "..", no leading dot).`,
      'Type e.g. promo, or campaign/{headline} for a batch.',
    );
  }
  return n;
}

/** `promo.mp4` → `promo`; an extension that is another format's is refused as the CLI's -o does. */
function withoutExtension(name: string, format: StudioParams['format']): string {
  const ext = extname(name).toLowerCase();
  if (!ext) return name;
  if (ext === EXTENSIONS[format]) return name.slice(0, -ext.length);
  if (Object.values(EXTENSIONS).includes(ext)) {
    throw usage(
      'output_extension_mismatch',
      `The output name ${name} ends in ${ext}, but the render is ${format} (${EXTENSIONS[format]}).`,
      `Leave out the extension, or pick the format ${ext.slice(1)}.`,
    );
  }
  return name;
}

/** `base-2.ext` … the first name not in `taken`. */
function numbered(path: string, taken: (p: string) => boolean): string {
  const ext = extname(path);
  const stem = path.slice(0, path.length - ext.length);
  for (let n = 2; ; n++) {
    const candidate = `${stem}-${n}${ext}`;
    if (!taken(candidate)) return candidate;
  }
}

const exists = (p: string) =>
  fs.access(p).then(
    () => true,
    () => false,
  );

export function createRenderQueue(options: RenderQueueOptions): RenderQueue {
  const { root, logger } = options;
  const slots = Math.max(1, options.slots ?? 1);
  const entries = new Map<string, Entry>();
  let closed = false;

  const rel = (p: string) => relative(root, p).split(sep).join('/');
  const changed = (e: Entry) => options.onChange(structuredClone(e.job));
  const active = (e: Entry) => e.job.status === 'queued' || e.job.status === 'running' || e.job.status === 'cloud';

  /** Outputs that queued or running jobs will write (absolute). */
  function reserved(except?: Entry): Set<string> {
    const out = new Set<string>();
    for (const e of entries.values()) {
      if (e === except || !active(e)) continue;
      e.outputs.forEach((o, i) => {
        const status = e.job.items[i]?.status;
        if (status !== 'done' && status !== 'failed' && status !== 'skipped' && status !== 'cancelled') out.add(o);
      });
    }
    return out;
  }

  /** The composition's default output name (as `framesmith render` names it). */
  function defaultName(composition: string): string {
    const stem = basename(composition, extname(composition));
    return stem === 'index' ? basename(root) : stem;
  }

  async function planOutputs(request: NewJobRequest): Promise<{ outputs: string[]; pattern?: string }> {
    const { format } = request.params;
    const ext = EXTENSIONS[format];
    const batch = request.rows.length > 1;
    const name = withoutExtension(
      checkName(request.name?.trim() || (batch ? `${defaultName(request.composition)}-{index}` : defaultName(request.composition))),
      format,
    );
    const abs = join(root, 'renders', `${name}${ext}`);
    // `{row}`: the row's number in the dataset (the CLI has no such placeholder: such a batch
    // renders row by row, each with its own name).
    const rowNumber = (i: number) => String(request.rows[i].row ?? i + 1);
    if (batch && name.includes('{row}')) {
      if (request.kind === 'local' && name.includes('{render_id}')) {
        throw usage(
          'batch_pattern_invalid',
          `The name "${name}" uses {render_id}, which only cloud renders have.`,
          'Use {row}, {index} or column names, e.g. rows-{row}.',
        );
      }
      const { expandNamePattern } = await import('../options/batch-rows.js');
      const outputs = request.rows.map((r, i) =>
        join(
          root,
          'renders',
          `${expandNamePattern(name.split('{row}').join(rowNumber(i)), r.variables, { index: i + 1, format, ...(request.kind === 'cloud' ? { render_id: RENDER_ID_TOKEN } : {}) })}${ext}`,
        ),
      );
      const seen = new Map<string, number>();
      outputs.forEach((o, i) => {
        if (!o.includes(RENDER_ID_TOKEN) && seen.has(o)) {
          throw usage(
            'batch_name_collision',
            `Rows ${seen.get(o)! + 1} and ${i + 1} would both write ${rel(o)}.`,
            'Put {row}, {index} or a column that differs per row in the name.',
          );
        }
        seen.set(o, i);
      });
      return { outputs };
    }
    if (!batch) {
      if (/\{[A-Za-z0-9_-]+\}/.test(name) && !(request.kind === 'cloud' && name.includes('{render_id}'))) {
        // One video: placeholders read the row's values, as a batch pattern would.
        const { expandNamePattern } = await import('../options/batch-rows.js');
        const expanded = expandNamePattern(
          name.split('{render_id}').join(RENDER_ID_TOKEN).split('{row}').join(rowNumber(0)),
          request.rows[0].variables,
          { index: 1, format },
        );
        return { outputs: [join(root, 'renders', `${expanded}${ext}`)] };
      }
      return { outputs: [abs.split('{render_id}').join(RENDER_ID_TOKEN)] };
    }
    if (request.kind === 'local') {
      const { batchOutputs } = await import('../render/batch.js');
      const outputs = await batchOutputs(
        request.rows.map((r) => r.variables),
        abs,
        root,
        format,
        defaultName(request.composition),
      );
      return { outputs, pattern: abs };
    }
    const { expandNamePattern } = await import('../options/batch-rows.js');
    const outputs = request.rows.map((r, i) => expandNamePattern(abs, r.variables, { index: i + 1, render_id: RENDER_ID_TOKEN, format }));
    const seen = new Map<string, number>();
    outputs.forEach((o, i) => {
      if (!o.includes(RENDER_ID_TOKEN) && seen.has(o)) {
        throw usage(
          'batch_name_collision',
          `Rows ${seen.get(o)! + 1} and ${i + 1} would both write ${rel(o)}.`,
          'Put a variable that differs per row, {index} or {render_id} in the name.',
        );
      }
      seen.set(o, i);
    });
    return { outputs };
  }

  /** Outputs taken on disk or by another job. */
  async function takenOutputs(outputs: string[], except?: Entry): Promise<string[]> {
    const res = reserved(except);
    const taken: string[] = [];
    for (const o of outputs) if (!o.includes(RENDER_ID_TOKEN) && (res.has(o) || (await exists(o)))) taken.push(o);
    return taken;
  }

  async function numberedOutputs(outputs: string[], taken: string[]): Promise<string[]> {
    const res = reserved();
    const planned = new Set(outputs);
    const isTaken = (p: string) => res.has(p) || planned.has(p) || existsSync(p);
    return outputs.map((o) => {
      if (!taken.includes(o)) return o;
      const n = numbered(o, isTaken);
      planned.add(n);
      return n;
    });
  }

  function commandFor(request: NewJobRequest, outputs: string[], pattern?: string): string {
    const params = request.params;
    const base = {
      dir: options.dirLabel,
      composition: request.composition,
      params,
      cloud: request.kind === 'cloud',
      frames: request.frames ?? null,
    };
    if (request.rows.length === 1)
      return renderCommand({
        ...base,
        variables: request.rows[0].variables,
        out: outputs[0].includes(RENDER_ID_TOKEN) ? undefined : rel(outputs[0]),
      });
    // Rows named one by one ({row}, or numbered names): one command per row.
    if (!pattern && request.kind === 'local') {
      const lines = request.rows.slice(0, 20).map((r, i) => renderCommand({ ...base, variables: r.variables, out: rel(outputs[i]) }));
      return request.rows.length > 20 ? `${lines.join('\n')}\n# …and ${request.rows.length - 20} more` : lines.join('\n');
    }
    return renderCommand({
      ...base,
      batch: request.source ?? 'rows.json',
      pattern: pattern ? rel(pattern) : `renders/${request.name ?? '{render_id}'}${EXTENSIONS[params.format]}`,
    });
  }

  async function validate(request: NewJobRequest): Promise<void> {
    if (request.kind !== 'local' && request.kind !== 'cloud')
      throw usage('invalid_job', 'A render is "local" or "cloud".', 'Send kind "local" or "cloud".');
    if (!Array.isArray(request.rows) || !request.rows.length)
      throw usage('invalid_job', 'Nothing to render: no rows.', 'Send at least one row of values.');
    if (request.rows.length > 10_000)
      throw usage('invalid_job', `${request.rows.length} rows in one job; at most 10,000.`, 'Render the rows in parts.');
    for (const r of request.rows)
      if (!r || typeof r.variables !== 'object' || r.variables === null || Array.isArray(r.variables))
        throw usage('invalid_job', 'Each row needs an object of values.', 'Send {"variables": {...}} per row.');
    const { checkParams } = await import('../render/options.js');
    const p = request.params ?? ({} as StudioParams);
    request.params = checkParams({ fps: p.fps, quality: p.quality, format: p.format, resolution: p.resolution });
    if (request.frames) {
      if (request.kind === 'cloud')
        throw usage(
          'option_not_for_mode',
          'A frame range renders locally only; the cloud renders the whole composition.',
          'Clear the in/out range, or render locally.',
        );
      const count = await options.frameCount(request.composition, request.params.fps);
      if (count === null)
        throw usage(
          'composition_unreadable',
          `${request.composition} cannot be read; fix it before rendering.`,
          'See the problems in the preview.',
        );
      const { parseFrameRange } = await import('../render/options.js');
      request.frames = parseFrameRange(request.frames, count);
    }
    if (request.kind === 'cloud' && !request.confirmed) {
      throw usage(
        'cloud_not_confirmed',
        'A cloud render costs credits: confirm it first.',
        'Submit from the render panel, which shows what will be rendered and asks once.',
      );
    }
  }

  /** `resume[i]`: the render HeyGen already has for row i (a retried cloud batch follows it again). */
  async function add(request: NewJobRequest, retryOf: string | null = null, resume: (string | undefined)[] = []): Promise<StudioJob> {
    if (closed)
      throw new FramesmithError('server_stopping', 'The dev server is stopping.', { hint: 'Start framesmith dev again, then render.' });
    await validate(request);
    let { outputs, pattern } = await planOutputs(request);
    const taken = await takenOutputs(outputs);
    if (taken.length && request.onConflict !== 'replace') {
      const alternatives = await numberedOutputs(outputs, taken);
      if (request.onConflict !== 'number') {
        const conflict: OutputConflict = {
          code: 'output_exists',
          message: `${taken.length === 1 ? `${rel(taken[0])} exists` : `${taken.length} outputs exist`} already${taken.some((t) => reserved().has(t)) ? ' or another render in the queue writes it' : ''}.`,
          taken: taken.map(rel),
          numbered: alternatives.map(rel),
        };
        throw Object.assign(new Error(conflict.message), { conflict });
      }
      outputs = alternatives;
      // A numbered batch no longer follows one pattern: each row names its own file.
      if (pattern && request.rows.length > 1) pattern = undefined;
    }
    const id = randomBytes(6).toString('hex');
    const rows = request.rows;
    const job: StudioJob = {
      id,
      kind: request.kind,
      composition: request.composition,
      title:
        rows.length === 1
          ? rows[0].row
            ? `Row ${rows[0].row}${request.source ? ` of ${request.source}` : ''}`
            : 'Current values'
          : `${rows.length} rows${request.source ? ` of ${request.source}` : ''}`,
      params: request.params,
      frames: request.frames ?? null,
      status: 'queued',
      createdAt: Date.now(),
      startedAt: null,
      endedAt: null,
      progress: null,
      items: rows.map((r, i) => ({
        index: i + 1,
        row: r.row ?? null,
        variables: r.variables,
        output: rel(outputs[i]).split(RENDER_ID_TOKEN).join('{render_id}'),
        status: 'waiting',
        ...(request.kind === 'cloud' && resume[i] ? { renderId: resume[i] } : {}),
      })),
      error: null,
      warnings: [],
      retryOf,
      command: commandFor(request, outputs, pattern),
    };
    const entry: Entry = {
      job,
      request,
      outputs,
      pattern,
      child: null,
      holdsSlot: false,
      samples: [],
      label: '',
      files: new Map(),
      exited: null,
      cancelRequested: false,
    };
    entries.set(id, entry);
    trim();
    changed(entry);
    pump();
    return structuredClone(job);
  }

  function trim(): void {
    const finished = [...entries.values()].filter((e) => !active(e));
    for (const e of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) {
      entries.delete(e.job.id);
      options.onRemove(e.job.id);
    }
  }

  function pump(): void {
    if (closed) return;
    let busy = [...entries.values()].filter((e) => e.holdsSlot).length;
    for (const e of entries.values()) {
      if (busy >= slots) break;
      if (e.job.status !== 'queued') continue;
      busy++;
      void start(e);
    }
  }

  function finish(e: Entry, status: StudioJob['status'], error: ProblemData | null): void {
    const job = e.job;
    job.status = status;
    job.error = error;
    job.endedAt = Date.now();
    job.progress = null;
    for (const item of job.items) {
      if (item.status === 'done' || item.status === 'failed' || item.status === 'skipped' || item.status === 'cancelled') continue;
      item.status = status === 'cancelled' ? 'cancelled' : status === 'failed' ? 'failed' : 'skipped';
      if (status === 'failed' && error && !item.error) item.error = error;
    }
    if (status === 'done' && job.items.some((i) => i.status === 'failed')) job.status = 'failed';
    e.holdsSlot = false;
    changed(e);
    pump();
  }

  async function start(e: Entry): Promise<void> {
    const job = e.job;
    e.holdsSlot = true;
    job.status = 'running';
    job.startedAt = Date.now();
    job.progress = {
      done: 0,
      total: 0,
      fps: 0,
      etaSeconds: null,
      phase: 'Starting',
      ...(job.items.length > 1 ? { item: 0, items: job.items.length } : {}),
    };
    changed(e);
    // A file that appeared since the job was queued is not overwritten either.
    if (e.request.onConflict !== 'replace') {
      const appeared: string[] = [];
      for (const o of e.outputs) if (!o.includes(RENDER_ID_TOKEN) && (await exists(o))) appeared.push(o);
      if (appeared.length) {
        return finish(e, 'failed', {
          code: 'output_exists',
          message: `${appeared.map(rel).join(', ')} appeared after this render was queued; it was not overwritten.`,
          hint: 'Retry the render to pick another name, or move the file.',
        });
      }
    }
    const workerJob: WorkerJob = {
      kind: job.kind,
      dir: root,
      composition: job.composition,
      params: job.params,
      frames: job.frames,
      items: job.items.map((item, i) => ({ variables: item.variables, output: e.outputs[i], renderId: item.renderId })),
      pattern: e.pattern,
      pollMs: options.pollMs,
    };
    // A numbered batch (no single pattern) renders its rows as a batch of one each.
    if (job.kind === 'local' && job.items.length > 1 && !e.pattern) return startEach(e, workerJob);
    runWorker(e, workerJob);
  }

  /** Spawns a worker for `work`; resolves when it exits. */
  function runWorker(e: Entry, work: WorkerJob, itemOffset = 0): Promise<void> {
    let child: ChildProcess;
    try {
      child = fork(workerPath(), [], {
        env: options.env ?? process.env,
        execArgv: [],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        serialization: 'json',
      });
    } catch (error) {
      finish(e, 'failed', { code: 'worker_failed', message: `Could not start the render: ${(error as Error).message}` });
      return Promise.resolve();
    }
    e.child = child;
    // Lower priority: the preview (browser, this server) comes first on a busy machine.
    try {
      if (child.pid) setPriority(child.pid, 10);
    } catch {
      /* not allowed here: renders run at normal priority */
    }
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    let ended = false;
    const exited = new Promise<void>((resolveExit) => {
      child.on('exit', (code, signal) => {
        e.child = null;
        if (!ended && !closed) {
          // Ended without a word: a crash (out of memory, killed).
          finish(e, e.job.status === 'cancelled' ? 'cancelled' : 'failed', {
            code: 'worker_crashed',
            message: `The render process ended unexpectedly (${signal ?? `exit ${code}`}).${stderr ? ` ${stderr.trim().split('\n').slice(-3).join(' ')}` : ''}`,
            hint: 'Run the command shown in a terminal to see more.',
          });
        }
        void removeLeftovers(e, child.pid).finally(resolveExit);
      });
    });
    e.exited = exited;
    child.on('message', (m: FromWorker) => {
      if (m.type === 'done' || m.type === 'failed') ended = true;
      onWorkerMessage(e, m, itemOffset);
    });
    child.on('error', (error) => logger.debug(`render worker: ${error.message}`));
    child.send({ type: 'run', job: work } satisfies ToWorker);
    if (e.cancelRequested) child.send({ type: 'cancel' } satisfies ToWorker);
    return exited;
  }

  /** Rows one by one, each in its own worker (a numbered batch). */
  async function startEach(e: Entry, work: WorkerJob): Promise<void> {
    const job = e.job;
    for (const [i, item] of work.items.entries()) {
      if (e.cancelRequested) return finish(e, 'cancelled', { code: 'cancelled', message: 'Cancelled; the rows rendered before stay.' });
      if (job.status === 'cancelled' || closed) return;
      const outcome = { result: 'done' as 'done' | 'failed' | 'cancelled' };
      e.onSingleEnd = (r) => {
        outcome.result = r;
      };
      await runWorker(e, { ...work, items: [item], pattern: undefined }, i);
      if (outcome.result === 'cancelled' || !active(e)) return;
    }
    e.onSingleEnd = undefined;
    // Each failed row carries its own error (as a batch's rows do); the job has none of its own.
    finish(e, job.items.some((i) => i.status === 'failed') ? 'failed' : 'done', null);
  }

  function onWorkerMessage(e: Entry, m: FromWorker, offset: number): void {
    const job = e.job;
    switch (m.type) {
      case 'progress': {
        const now = Date.now();
        if (m.label !== e.label) {
          e.label = m.label;
          e.samples = [];
        }
        e.samples.push({ t: now, done: m.done });
        while (e.samples.length > 2 && now - e.samples[0].t > 3000) e.samples.shift();
        const first = e.samples[0];
        const fps = now > first.t ? ((m.done - first.done) * 1000) / (now - first.t) : 0;
        // `Row 3/10` is how renderBatch labels its rows (and the CLI prints them).
        const row = /^Row (\d+)\/(\d+)/.exec(m.label);
        const item = row ? Number(row[1]) : offset + 1;
        const target = job.items[item - 1];
        if (target && target.status === 'waiting') target.status = 'rendering';
        job.progress = {
          done: m.done,
          total: m.total,
          fps: Math.round(fps * 10) / 10,
          etaSeconds: fps > 0 ? Math.round((m.total - m.done) / fps) : null,
          phase: m.label === 'Uploading' ? 'Uploading' : 'Rendering',
          ...(job.items.length > 1 ? { item, items: job.items.length } : {}),
        };
        return changed(e);
      }
      case 'progress-end':
        return;
      case 'phase':
        job.progress = { ...(job.progress ?? { done: 0, total: 0, fps: 0, etaSeconds: null }), phase: m.text };
        return changed(e);
      case 'log':
        if (m.level === 'warn' && !job.warnings.includes(m.message)) job.warnings.push(m.message);
        if (m.level === 'warn' && job.warnings.length > 50) job.warnings.splice(0, job.warnings.length - 50);
        return;
      case 'item': {
        const item = job.items[offset + m.index - 1];
        if (!item) return;
        const p = m.patch;
        if (p.status) item.status = p.status as ItemStatus;
        if (p.renderId) item.renderId = p.renderId;
        if (p.cloudStatus) item.cloudStatus = p.cloudStatus;
        if (p.error) item.error = p.error;
        if (p.output) {
          item.output = rel(p.output);
          e.outputs[offset + m.index - 1] = p.output;
        }
        if (p.size !== undefined) item.size = p.size;
        if (p.wallMs !== undefined) item.wallMs = p.wallMs;
        if (p.status === 'done' && p.output) {
          e.files.set(item.index, { video: p.output, thumbnail: p.thumbnail ?? null });
          const base = `${STUDIO_API_PATH}jobs/${job.id}/${item.index}`;
          item.video = `${base}/video`;
          if (p.thumbnail) item.thumbnail = `${base}/thumbnail`;
        }
        if (job.kind === 'cloud' && job.items.length > 1 && job.status === 'cloud') {
          const done = job.items.filter((i) => i.status === 'done' || i.status === 'failed' || i.status === 'cancelled').length;
          job.progress = { done, total: job.items.length, fps: 0, etaSeconds: null, phase: 'Rendering in the cloud' };
        }
        return changed(e);
      }
      case 'slot-free':
        e.holdsSlot = false;
        job.status = 'cloud';
        changed(e);
        return pump();
      case 'done':
        if (e.onSingleEnd) return e.onSingleEnd('done');
        return finish(e, 'done', null);
      case 'failed': {
        if (e.onSingleEnd) {
          const item = job.items[offset];
          if (item && item.status !== 'done') {
            item.status = m.cancelled ? 'cancelled' : 'failed';
            item.error = m.error;
          }
          e.onSingleEnd(m.cancelled ? 'cancelled' : 'failed', m.error);
          if (m.cancelled) finish(e, 'cancelled', m.error);
          else changed(e);
          return;
        }
        return finish(e, m.cancelled ? 'cancelled' : 'failed', m.error);
      }
    }
  }

  /**
   * A worker that was killed could not remove its temp files (`.<name>.<pid>-<tag>.partial`
   * beside each output, as output-path.ts names them): remove them for it.
   */
  async function removeLeftovers(e: Entry, pid: number | undefined): Promise<void> {
    if (!pid) return;
    const folders = new Set(e.outputs.map((o) => dirname(o)));
    for (const folder of folders) {
      const names = await fs.readdir(folder).catch(() => [] as string[]);
      for (const n of names)
        if (n.startsWith('.') && n.includes(`.${pid}-`) && /\.(partial|wav)$/.test(n))
          await fs.rm(join(folder, n), { force: true }).catch(() => {});
    }
  }

  function cancel(id: string): boolean {
    const e = entries.get(id);
    if (!e || !active(e)) return false;
    if (e.job.status === 'queued') {
      finish(e, 'cancelled', { code: 'cancelled', message: 'Cancelled before it started.' });
      return true;
    }
    e.cancelRequested = true;
    if (e.child?.connected) e.child.send({ type: 'cancel' } satisfies ToWorker);
    else e.child?.kill('SIGTERM');
    if (e.job.progress) e.job.progress = { ...e.job.progress, phase: 'Cancelling' };
    changed(e);
    return true;
  }

  return {
    list: () => [...entries.values()].map((e) => structuredClone(e.job)),
    get: (id) => {
      const e = entries.get(id);
      return e && structuredClone(e.job);
    },
    add: (request) => add(request),
    cancel,
    async retry(id) {
      const e = entries.get(id);
      if (!e) throw new FramesmithError('job_not_found', 'No such render.', { hint: 'It may have been removed.' });
      if (active(e)) throw usage('job_running', 'This render is still queued or running.', 'Cancel it first, or wait for it to end.');
      // A batch retries the rows that did not finish; a single video retries itself. Cloud rows
      // HeyGen still has are followed again, not submitted again (no second charge).
      const failedRows = e.job.items.filter((i) => i.status !== 'done');
      const again = failedRows.length ? failedRows : e.job.items;
      const rows = again.map((i) => ({ row: i.row ?? undefined, variables: i.variables }));
      const resume = again.map((i) => (resumableItem(e.job.kind, i) ? i.renderId : undefined));
      const request: NewJobRequest = { ...e.request, rows, onConflict: e.request.onConflict === 'replace' ? 'replace' : 'number' };
      if (rows.length !== e.job.items.length) {
        // The retried rows keep the names they had: a pattern of their values, {row} or
        // {render_id} names them the same again; {index} (their place in the first batch) is
        // written out for a single row; several rows under {index} get the default names.
        const name = e.request.name?.trim() || `${defaultName(e.request.composition)}-{index}`;
        if (!name.includes('{index}')) request.name = name;
        else if (failedRows.length === 1) request.name = name.split('{index}').join(String(failedRows[0].index));
        else request.name = undefined;
      }
      return add(request, id, resume);
    },
    remove(id) {
      const e = entries.get(id);
      if (!e || active(e)) return false;
      entries.delete(id);
      options.onRemove(id);
      return true;
    },
    file: (id, index) => entries.get(id)?.files.get(index),
    async close() {
      closed = true;
      const running = [...entries.values()].filter((e) => e.child);
      for (const e of running) {
        if (e.child?.connected) e.child.send({ type: 'cancel' } satisfies ToWorker);
        else e.child?.kill('SIGTERM');
      }
      await Promise.all(
        running.map(async (e) => {
          const exited = e.exited ?? Promise.resolve();
          let timer: NodeJS.Timeout | undefined;
          const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), STOP_GRACE_MS)));
          if ((await Promise.race([exited, late])) === 'late') {
            e.child?.kill('SIGKILL');
            await exited;
          }
          clearTimeout(timer);
        }),
      );
    },
  };
}

export const isConflict = (error: unknown): error is Error & { conflict: OutputConflict } =>
  Boolean(error && typeof error === 'object' && 'conflict' in error);
export const problemOf = (error: unknown): ProblemData =>
  isFramesmithError(error) ? error.toJSON() : { code: 'internal', message: String((error as Error)?.message ?? error) };
export type { JobItem, VariableValues };
