/**
 * The dev server's API for the preview's render panel and dataset view, under STUDIO_API_PATH
 * (inside the server's own prefix, so never a project file). It runs behind the server's gate
 * (Host checked first); on top, it answers only to this machine (a loopback peer address, also
 * when the server listens on the network with --host), and every request that says it comes from another page (an Origin
 * other than the server's, `Sec-Fetch-Site: cross-site|same-site`) is refused, and every request
 * that changes something must carry the server's own Origin. Paths the API takes name project
 * files only (checked by the same resolver the server serves files with); outputs are written
 * under the project's renders/ folder only, and finished files are served by job id, never by path.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, relative, sep } from 'node:path';
import { FramesmithError, isFramesmithError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ProblemData } from '../../shared/diagnostics.js';
import type { DevState } from '../../shared/dev-protocol.js';
import {
  DATASET_MAX_BYTES,
  STUDIO_API_PATH,
  STUDIO_ROUTES,
  type DatasetView,
  type NewJobRequest,
  type StudioConfig,
  type StudioEvent,
  type ThumbRequest,
} from '../../shared/studio-protocol.js';
import type { VariableDeclaration, VariableValues } from '../../shared/variables.js';
import { sendFile } from '../serve/send-file.js';
import { createDatasetChecker, type CheckRow, type DatasetChecker } from './dataset-check.js';
import {
  checkDatasetName,
  checkProjectFile,
  cliDataPath,
  datasetView,
  projectDataFiles,
  readRows,
  tooLarge,
  type DatasetSource,
  type LoadedRows,
} from './dataset.js';
import { createRenderQueue, isConflict, problemOf, type RenderQueue } from './render-queue.js';
import { isOwnOrigin } from './request-guard.js';
import { EXIT } from '../core/exit-codes.js';

export interface StudioOptions {
  /** Project folder (a realpath). */
  root: string;
  /** The folder as the user typed it. */
  dirLabel: string;
  /** The host the server listens on (for the Origin check). */
  host: string;
  defaultComposition: string;
  state(composition: string): Promise<DevState>;
  generation(): number;
  /** `http://127.0.0.1:port` (the thumbnails' browser loads pages from it). */
  origin(): string;
  send(event: StudioEvent): void;
  logger: Logger;
  /** `framesmith dev --data <file>`. */
  dataFile?: string;
  /** Local renders at once (default 1). */
  slots?: number;
  /** ms between cloud status polls (default 10 s, the CLI's). */
  cloudPollMs?: number;
  /** Environment for the render processes and the credential lookup (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Shows a finished render's file in the system's file manager. */
  reveal?(file: string): Promise<{ ok: boolean; message?: string }>;
  /** Pages making thumbnails at once (default 2). */
  thumbnailPages?: number;
}

export interface Studio {
  /** Answers a request whose path starts with STUDIO_API_PATH. */
  handle(req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<void>;
  /** Files changed (project-relative): re-read a dataset file of the project, re-check rows. */
  filesChanged(files: string[]): void;
  readonly checker: DatasetChecker;
  readonly queue: RenderQueue;
  close(): Promise<void>;
}

const JSON_LIMIT = 32 * 1024 * 1024;

/** Whether a peer address is this machine (127.0.0.0/8, ::1, and their IPv4-mapped forms). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || address === '::1';
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

const sendProblem = (res: ServerResponse, status: number, problem: ProblemData) => sendJson(res, status, { error: problem });

/** Reads a body up to `limit` bytes; a larger one is refused with the limit (413) before it is read in full. */
function readBody(req: IncomingMessage, limit: number, name: string): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(name, declared));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge(name, size));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function readJson<T>(req: IncomingMessage, limit = JSON_LIMIT): Promise<T> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
    throw new FramesmithError('bad_request', 'Send JSON (content-type: application/json).', {
      hint: 'This endpoint is for the preview page: use the render panel or the dataset view.',
      exitCode: EXIT.usage,
    });
  const body = await readBody(req, limit, 'The request');
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    throw new FramesmithError('bad_request', 'The body is not JSON.', {
      hint: 'This endpoint is for the preview page: use the render panel or the dataset view.',
      exitCode: EXIT.usage,
    });
  }
}

/** The platform's file manager, showing the file (its folder on Linux). Never throws. */
/**
 * Shows the file in the system's file manager. `xdg-open` (Linux) exits non-zero at once when it
 * has nothing to open the folder with (no desktop): that is reported with the file's path, not
 * as opened. Still running after a moment = a file manager is starting.
 */
function defaultReveal(file: string, env: NodeJS.ProcessEnv = process.env): Promise<{ ok: boolean; message?: string }> {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', ['-R', file]]
      : process.platform === 'win32'
        ? ['explorer', [`/select,${file}`]]
        : ['xdg-open', [dirname(file)]];
  const fallback = (why: string) => ({ ok: false, message: `${why}: the file is ${file}` });
  return new Promise((resolve) => {
    try {
      const child = spawn(cmd, args, { stdio: 'ignore', detached: true, env });
      let timer: NodeJS.Timeout | undefined;
      child.once('error', () => (clearTimeout(timer), resolve(fallback(`No file manager could be started (${cmd} is missing)`))));
      child.once('spawn', () => {
        timer = setTimeout(() => (child.unref(), resolve({ ok: true })), 2500);
        // explorer.exe exits 1 even when it opened the window.
        child.once(
          'exit',
          (code) => (
            clearTimeout(timer),
            resolve(code === 0 || process.platform === 'win32' ? { ok: true } : fallback(`${cmd} could not open the folder (exit ${code})`))
          ),
        );
      });
    } catch {
      resolve(fallback('No file manager could be started'));
    }
  });
}

export function createStudio(options: StudioOptions): Studio {
  const { root, logger } = options;
  const env = options.env ?? process.env;
  const rel = (p: string) => relative(root, p).split(sep).join('/');

  const composition = async (c: string | null) => {
    const state = await options.state(c || options.defaultComposition);
    return state.model?.composition ?? null;
  };

  const queue = createRenderQueue({
    root,
    dirLabel: options.dirLabel,
    slots: options.slots,
    pollMs: options.cloudPollMs,
    env,
    logger,
    async frameCount(c, fps) {
      const comp = await composition(c);
      if (!comp || comp.duration <= 0) return null;
      const { frameCount } = await import('../../shared/time.js');
      return frameCount(comp.duration, fps);
    },
    onChange: (job) => options.send({ kind: 'job', job }),
    onRemove: (id) => options.send({ kind: 'job-removed', id }),
  });

  const checker = createDatasetChecker({
    origin: options.origin,
    async size(c) {
      const comp = await composition(c).catch(() => null);
      return comp && comp.width > 0 && comp.height > 0 ? { width: comp.width, height: comp.height } : null;
    },
    generation: options.generation,
    logger,
    send: options.send,
    pages: options.thumbnailPages,
  });

  // ---- the dataset

  let source: DatasetSource | null = options.dataFile ? { kind: 'cli', path: cliDataPath(options.dataFile) } : null;
  /** Bumped whenever the rows may have changed (another file, an edit of the file). */
  let version = 0;
  const parsed = new Map<string, Promise<{ loaded: LoadedRows | null; error: ProblemData | null; declarations: VariableDeclaration[] }>>();
  const autoChecked = new Set<string>();

  function sourceInfo(s: DatasetSource): DatasetView['source'] {
    if (s.kind === 'project') return { kind: 'project', name: s.rel, path: s.rel, bytes: 0 };
    if (s.kind === 'cli') return { kind: 'cli', name: s.path.split(/[\\/]/).pop() ?? s.path, path: s.path, bytes: 0 };
    return { kind: 'dropped', name: s.name, path: null, bytes: Buffer.byteLength(s.text) };
  }

  function rowsFor(c: string) {
    const key = `${c}\n${options.generation()}\n${version}`;
    let p = parsed.get(key);
    if (!p) {
      const s = source;
      p = (async () => {
        const comp = await composition(c).catch(() => null);
        const declarations = comp?.variables ?? [];
        if (!s) return { loaded: null, error: null, declarations };
        try {
          return { loaded: await readRows(root, s, declarations), error: null, declarations };
        } catch (error) {
          if (!isFramesmithError(error)) throw error;
          return { loaded: null, error: error.toJSON(), declarations };
        }
      })();
      parsed.clear();
      parsed.set(key, p);
    }
    return p;
  }

  async function view(c: string): Promise<DatasetView | null> {
    if (!source) return null;
    const { loaded, error, declarations } = await rowsFor(c);
    const info = sourceInfo(source);
    if (source.kind !== 'dropped' && info.path)
      info.bytes = (await fs.stat(source.kind === 'project' ? `${root}/${source.rel}` : source.path).catch(() => null))?.size ?? 0;
    const v = datasetView(info, c, declarations, loaded, error, options.generation(), (values) => checker.checked(c, values));
    const key = `${c}\n${options.generation()}\n${version}`;
    if (v.autoCheck && loaded && !autoChecked.has(key)) {
      autoChecked.add(key);
      checker.checkAll(
        c,
        v.rows.map((r) => ({ row: r.index, values: r.values })),
      );
    }
    return v;
  }

  function datasetChanged(): void {
    version++;
    autoChecked.clear();
    options.send({ kind: 'dataset', generation: options.generation() });
  }

  async function loadDataset(req: IncomingMessage, c: string): Promise<DatasetSource> {
    if (/^application\/json\b/i.test(req.headers['content-type'] ?? '') && !req.headers['x-file-name']) {
      const body = await readJson<{ project?: unknown }>(req, 64 * 1024);
      const file = await checkProjectFile(root, String(body.project ?? ''));
      checkDatasetName(file);
      return { kind: 'project', rel: file };
    }
    let name = 'dropped file';
    try {
      name = decodeURIComponent(String(req.headers['x-file-name'] ?? '')) || name;
    } catch {
      /* keep the generic name */
    }
    name = name.split(/[\\/]/).pop()!;
    checkDatasetName(name);
    const body = await readBody(req, DATASET_MAX_BYTES, name);
    void c;
    return { kind: 'dropped', name, text: body.toString('utf8') };
  }

  // ---- requests

  function foreign(req: IncomingMessage): string | null {
    // Renders write files and spend credits: only a page on this machine may ask, even when
    // the preview itself is shared on the network (`framesmith dev --host`).
    if (!isLoopbackAddress(req.socket.remoteAddress))
      return 'the render panel and the dataset view answer only to this machine, not to other devices on the network';
    const origin = req.headers.origin;
    if (origin !== undefined && !isOwnOrigin(origin, req.headers.host, options.host)) return 'it comes from a page of another origin';
    const site = req.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') return 'it comes from a page of another site';
    if (req.method !== 'GET' && req.method !== 'HEAD' && origin === undefined) return 'it does not say which page sent it (no Origin)';
    return null;
  }

  async function config(c: string): Promise<StudioConfig> {
    let cloud: StudioConfig['cloud'] = null;
    let cloudMissing: ProblemData | null = null;
    try {
      const { resolveApiKey, resolveBaseUrl } = await import('../cloud/api-key.js');
      const key = resolveApiKey({ projectDir: root, env });
      cloud = {
        source: key.source === 'dotenv' ? `${rel(key.sourceLabel) || '.env'} of the project` : key.sourceLabel,
        apiHost: new URL(resolveBaseUrl(undefined, env)).host,
      };
    } catch (error) {
      cloudMissing = problemOf(error);
    }
    const comp = await composition(c).catch(() => null);
    const { aspectRatioOf } = await import('../cloud/project-info.js');
    return {
      dirLabel: options.dirLabel,
      slots: Math.max(1, options.slots ?? 1),
      cloud,
      cloudMissing,
      composition: comp
        ? {
            entry: c,
            width: comp.width,
            height: comp.height,
            duration: comp.duration,
            fps: comp.fps,
            aspect: aspectRatioOf(comp.width, comp.height),
          }
        : null,
      dataFile: options.dataFile ?? null,
    };
  }

  async function route(req: IncomingMessage, res: ServerResponse, sub: string, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const c = url.searchParams.get('composition') || options.defaultComposition;
    if (sub === STUDIO_ROUTES.config && method === 'GET') return sendJson(res, 200, await config(c));

    if (sub === STUDIO_ROUTES.jobs) {
      if (method === 'GET') return sendJson(res, 200, queue.list());
      if (method === 'POST') {
        const request = await readJson<NewJobRequest>(req);
        try {
          return sendJson(res, 201, await queue.add(request));
        } catch (error) {
          if (isConflict(error)) return sendJson(res, 409, { error: error.conflict });
          throw error;
        }
      }
    }
    const job = /^jobs\/([0-9a-f]{12})(?:\/(cancel|retry|reveal)|\/(\d+)\/(video|thumbnail))?$/.exec(sub);
    if (job) {
      const [, id, action, item, kind] = job;
      if (!queue.get(id))
        return sendProblem(res, 404, {
          code: 'job_not_found',
          message: 'No such render (it may have been removed, or the server restarted).',
        });
      if (!action && !item) {
        if (method === 'GET') return sendJson(res, 200, queue.get(id));
        if (method === 'DELETE')
          return queue.remove(id)
            ? sendJson(res, 200, { ok: true })
            : sendProblem(res, 409, { code: 'job_running', message: 'A queued or running render cannot be removed; cancel it first.' });
      }
      if (method === 'POST' && action === 'cancel') return sendJson(res, 200, { ok: queue.cancel(id) });
      if (method === 'POST' && action === 'retry') {
        try {
          return sendJson(res, 201, await queue.retry(id));
        } catch (error) {
          if (isConflict(error)) return sendJson(res, 409, { error: error.conflict });
          throw error;
        }
      }
      if (method === 'POST' && action === 'reveal') {
        const f = queue.file(id, 1) ?? [...Array(queue.get(id)!.items.length).keys()].map((i) => queue.file(id, i + 1)).find(Boolean);
        if (!f) return sendProblem(res, 404, { code: 'no_output', message: 'This render has no finished file yet.' });
        const r = await (options.reveal ?? ((file: string) => defaultReveal(file, env)))(f.video);
        return sendJson(res, 200, { ...r, folder: rel(dirname(f.video)) || '.', file: rel(f.video) });
      }
      if ((method === 'GET' || method === 'HEAD') && item) {
        const f = queue.file(id, Number(item));
        const path = kind === 'video' ? f?.video : f?.thumbnail;
        if (!path) return sendProblem(res, 404, { code: 'no_output', message: 'This render has no such file.' });
        return sendFile(req, res, path, { head: method === 'HEAD' });
      }
    }

    if (sub === STUDIO_ROUTES.dataset) {
      if (method === 'GET') return sendJson(res, 200, await view(c));
      if (method === 'DELETE') {
        source = null;
        datasetChanged();
        return sendJson(res, 200, null);
      }
      if (method === 'POST') {
        const next = await loadDataset(req, c);
        // Read it before it replaces the current one: a file that is not rows is refused as the CLI refuses it.
        const comp = await composition(c).catch(() => null);
        try {
          await readRows(root, next, comp?.variables ?? []);
        } catch (error) {
          if (isFramesmithError(error)) return sendProblem(res, error.code === 'dataset_too_large' ? 413 : 400, error.toJSON());
          throw error;
        }
        source = next;
        datasetChanged();
        return sendJson(res, 200, await view(c));
      }
    }
    if (sub === STUDIO_ROUTES.datasetFiles && method === 'GET') return sendJson(res, 200, await projectDataFiles(root));
    if (sub === STUDIO_ROUTES.thumbs && method === 'POST') {
      const r = await readJson<ThumbRequest>(req, 1024 * 1024);
      const rows = await checkRowsFor(c === r.composition ? c : String(r.composition ?? c), Array.isArray(r.rows) ? r.rows : []);
      checker.want(
        String(r.page ?? 'page'),
        String(r.composition ?? c),
        rows,
        Array.isArray(r.times) ? r.times.map(Number) : [0],
        Number(r.height) || 72,
      );
      return sendJson(res, 202, { ok: true, rows: rows.length });
    }
    if (sub === STUDIO_ROUTES.checkAll && method === 'POST') {
      const v = await view(c);
      if (!v || !v.rows.length) return sendProblem(res, 400, { code: 'no_dataset', message: 'No dataset is open.' });
      checker.checkAll(
        c,
        v.rows.map((row) => ({ row: row.index, values: row.values })),
      );
      return sendJson(res, 202, { ok: true, rows: v.rows.length });
    }
    if (sub.startsWith(STUDIO_ROUTES.thumb) && (method === 'GET' || method === 'HEAD')) {
      const jpeg = checker.thumb(sub.slice(STUDIO_ROUTES.thumb.length).replace(/\.jpg$/, ''));
      if (!jpeg)
        return sendProblem(res, 404, { code: 'not_found', message: 'No such thumbnail (it was made for an older version of the files).' });
      res.writeHead(200, {
        'content-type': 'image/jpeg',
        'content-length': jpeg.length,
        'cache-control': 'private, max-age=3600, immutable',
      });
      return void res.end(method === 'HEAD' ? undefined : jpeg);
    }
    return sendProblem(res, method === 'GET' || method === 'POST' || method === 'DELETE' ? 404 : 405, {
      code: 'not_found',
      message: `No ${method} ${STUDIO_API_PATH}${sub}.`,
    });
  }

  async function checkRowsFor(c: string, indices: unknown[]): Promise<CheckRow[]> {
    const { loaded } = await rowsFor(c);
    if (!loaded) return [];
    const out: CheckRow[] = [];
    for (const i of indices) {
      const n = Number(i);
      if (Number.isInteger(n) && n >= 1 && n <= loaded.rows.length) out.push({ row: n, values: loaded.rows[n - 1] as VariableValues });
    }
    return out;
  }

  return {
    checker,
    queue,
    async handle(req, res, path, url) {
      const why = foreign(req);
      if (why)
        return sendProblem(res, 403, { code: 'forbidden', message: `Blocked request: ${why}. Open the URL framesmith dev printed.` });
      try {
        await route(req, res, path.slice(STUDIO_API_PATH.length), url);
      } catch (error) {
        if (res.headersSent) return void res.end();
        if (isFramesmithError(error)) return sendProblem(res, error.code === 'dataset_too_large' ? 413 : 400, error.toJSON());
        logger.error(`dev: ${(error as Error).stack ?? error}`);
        return sendProblem(res, 500, { code: 'internal', message: String((error as Error).message ?? error) });
      }
    },
    filesChanged(files) {
      if ((source?.kind === 'project' && files.includes(source.rel)) || (source?.kind === 'cli' && files.includes(rel(source.path))))
        version++;
      autoChecked.clear();
      // New generation: checks and thumbnails are made again for what the pages show (no dataset: nothing to say).
      if (source) options.send({ kind: 'dataset', generation: options.generation() });
    },
    async close() {
      await Promise.all([queue.close(), checker.close()]);
    },
  };
}
