/**
 * The timeline's filmstrip, made by the server: a capture process of its own
 * (filmstrip-worker.ts, forked when a page first asks, at the lowest CPU priority with its
 * headless Chromium, stopped when no page has asked for a while) loads the composition from this
 * dev server with the page's boot options, seeks to each frame asked for and captures it as a
 * small JPEG. Nothing of it runs in the preview page or on the server's event loop, so it never
 * slows a seek; it also waits while a page says it is playing, scrubbing or reloading.
 * Thumbnails are cached here in memory by composition, boot, file generation, height and frame,
 * within a byte budget (oldest out first), and served by id.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Logger } from '../core/logger.js';
import { PACKAGE_ROOT } from '../core/paths.js';
import { DEV_BOOT_PARAM, DEV_THUMB_PATH, type DevBootParam, type DevServerMessage } from '../../shared/dev-protocol.js';
import { parseBootParam } from './documents.js';
import type { CaptureJob, WorkerReply } from './filmstrip-worker.js';

export interface FilmstripRequest {
  key: string;
  composition: string;
  /** The iframe's boot parameter, as the page sends it. */
  boot: string;
  frames: number[];
  height: number;
}

export interface FilmstripClient {
  send(message: DevServerMessage): void;
}

export interface FilmstripOptions {
  /** `http://127.0.0.1:port` of this dev server. */
  origin: () => string;
  /** The composition's size, from the project model; null when it cannot be read. */
  size(composition: string): Promise<{ width: number; height: number } | null>;
  /** The server's file generation (a change makes older thumbnails stale). */
  generation(): number;
  stashed(ref: string): string | undefined;
  stash(json: string): string;
  logger: Logger;
  /** Byte budget of the cache (default 24 MB). */
  budget?: number;
  /** Stop the capture process after this long without requests (default 90 s). */
  idleMs?: number;
}

export interface Filmstrip {
  request(client: FilmstripClient, req: FilmstripRequest): void;
  /** A page is playing or scrubbing: wait `ms` before the next capture. */
  busy(ms: number): void;
  forget(client: FilmstripClient): void;
  /** JPEG bytes of thumbnail `id`. */
  thumb(id: string): Buffer | undefined;
  readonly cacheBytes: number;
  close(): Promise<void>;
}

interface Entry {
  id: string;
  jpeg: Buffer;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Longest edge of a thumbnail, whatever the page asks. */
const MAX_HEIGHT = 160;
const MAX_FRAMES = 400;

export function createFilmstrip(options: FilmstripOptions): Filmstrip {
  const budget = options.budget ?? 24 * 1024 * 1024;
  const cache = new Map<string, Entry>();
  const byId = new Map<string, Buffer>();
  let cacheBytes = 0;
  const pending = new Map<FilmstripClient, FilmstripRequest & { generation: number }>();
  let busyUntil = 0;
  let worker: { child: ChildProcess; waiting: Map<number, (r: WorkerReply) => void> } | null = null;
  let jobId = 1;
  let working = false;
  let closed = false;
  let lastUse = Date.now();
  let failure: { key: string; message: string } | null = null;
  let idleTimer: NodeJS.Timeout | undefined;

  const cacheKey = (r: FilmstripRequest, generation: number, frame: number) =>
    `${r.composition}\n${r.boot}\n${generation}\n${r.height}\n${frame}`;
  const pageKey = (r: FilmstripRequest, generation: number) => `${r.composition}\n${r.boot}\n${generation}\n${r.height}`;

  function store(key: string, jpeg: Buffer): Entry {
    const entry = { id: randomBytes(9).toString('base64url'), jpeg };
    cache.set(key, entry);
    byId.set(entry.id, jpeg);
    cacheBytes += jpeg.length;
    for (const [k, e] of cache) {
      if (cacheBytes <= budget) break;
      cache.delete(k);
      byId.delete(e.id);
      cacheBytes -= e.jpeg.length;
    }
    return entry;
  }

  const sendThumb = (client: FilmstripClient, key: string, frame: number, entry: Entry) =>
    client.send({ type: 'thumb', key, frame, url: `${DEV_THUMB_PATH}${entry.id}.jpg`, bytes: entry.jpeg.length, cacheBytes });

  /** The boot parameter with real paints (the page's own skips them), as a URL value. */
  function captureBoot(boot: string): string {
    const parsed = parseBootParam(boot, options.stashed);
    const param: DevBootParam = { paint: 'raf' };
    if (parsed.variables) param.variables = parsed.variables;
    if (parsed.instanceValues) param.instances = parsed.instanceValues;
    const json = JSON.stringify(param);
    return json.length > 4000 ? JSON.stringify({ ref: options.stash(json) }) : json;
  }

  /** The capture process, started on first use. */
  function getWorker(): NonNullable<typeof worker> {
    if (worker && worker.child.connected) return worker;
    // The built worker (also when the server itself runs from src/, as in the tests).
    const child = fork(join(PACKAGE_ROOT, 'dist', 'node', 'dev', 'filmstrip-worker.js'), [], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr = (stderr + String(d)).slice(-2000)));
    const w = { child, waiting: new Map<number, (r: WorkerReply) => void>() };
    child.on('message', (r: WorkerReply) => {
      w.waiting.get(r.id)?.(r);
      w.waiting.delete(r.id);
    });
    child.on('exit', (code) => {
      if (worker === w) worker = null;
      for (const [id, done] of w.waiting)
        done({
          id,
          ok: false,
          message: `the capture process stopped (${code ?? 'killed'})${stderr ? `: ${stderr.trim().split('\n').pop()}` : ''}`,
        });
      w.waiting.clear();
    });
    worker = w;
    return w;
  }

  function capture(job: Omit<CaptureJob, 'id' | 'type'>): Promise<Buffer> {
    const w = getWorker();
    const id = jobId++;
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        w.waiting.delete(id);
        reject(new Error('no thumbnail within 30 s'));
      }, 30_000);
      w.waiting.set(id, (r) => {
        clearTimeout(timer);
        if (r.ok) resolve(Buffer.from(r.jpeg, 'base64'));
        else reject(new Error(r.message));
      });
      w.child.send({ ...job, id, type: 'capture' } satisfies CaptureJob);
    });
  }

  function stopWorker(): void {
    const w = worker;
    worker = null;
    if (w?.child.connected) w.child.disconnect();
    if (w && w.child.exitCode === null) setTimeout(() => w.child.exitCode === null && w.child.kill('SIGKILL'), 5000).unref();
  }

  function nextJob(): { client: FilmstripClient; req: FilmstripRequest & { generation: number }; frame: number } | null {
    for (const [client, req] of pending) {
      if (req.generation !== options.generation()) {
        pending.delete(client);
        continue;
      }
      const frame = req.frames.find((f) => !cache.has(cacheKey(req, req.generation, f)));
      if (frame === undefined) {
        pending.delete(client);
        continue;
      }
      return { client, req, frame };
    }
    return null;
  }

  async function work(): Promise<void> {
    if (working) return;
    working = true;
    try {
      for (let job = nextJob(); job && !closed; job = nextJob()) {
        while (Date.now() < busyUntil && !closed) await sleep(Math.min(200, busyUntil - Date.now()));
        // The page may have asked for something else meanwhile.
        job = nextJob();
        if (!job || closed) break;
        const { client, req, frame } = job;
        const key = pageKey(req, req.generation);
        try {
          const size = await options.size(req.composition);
          if (!size) throw new Error(`${req.composition} cannot be read`);
          const url = `${options.origin()}/${req.composition.split('/').map(encodeURIComponent).join('/')}?${DEV_BOOT_PARAM}=${encodeURIComponent(captureBoot(req.boot))}`;
          const jpeg = await capture({
            key: `${key}\n${size.width}x${size.height}`,
            url,
            width: size.width,
            height: size.height,
            frame,
            scale: req.height / size.height,
          });
          const entry = store(cacheKey(req, req.generation, frame), jpeg);
          for (const [c, r] of pending) if (pageKey(r, r.generation) === key && r.frames.includes(frame)) sendThumb(c, r.key, frame, entry);
          if (pending.get(client) === req && !req.frames.includes(frame)) sendThumb(client, req.key, frame, entry);
        } catch (error) {
          const message = `No filmstrip: ${(error as Error).message.split('\n')[0]}`;
          failure = { key, message };
          options.logger.debug(`filmstrip: ${(error as Error).stack ?? error}`);
          for (const [c, r] of pending) {
            if (pageKey(r, r.generation) !== key) continue;
            c.send({ type: 'filmstrip-error', key: r.key, message });
            pending.delete(c);
          }
        }
      }
    } finally {
      working = false;
    }
  }

  function armIdle(): void {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => void idleClose(), options.idleMs ?? 90_000);
    idleTimer.unref();
  }

  async function idleClose(): Promise<void> {
    if (working || pending.size || Date.now() - lastUse < (options.idleMs ?? 90_000) - 50) return armIdle();
    stopWorker();
  }

  return {
    request(client, raw) {
      if (closed) return;
      lastUse = Date.now();
      armIdle();
      const height = Math.max(8, Math.min(MAX_HEIGHT, Math.round(Number(raw.height) || 40)));
      const frames = (Array.isArray(raw.frames) ? raw.frames : []).filter((f) => Number.isInteger(f) && f >= 0).slice(0, MAX_FRAMES);
      const req = {
        key: String(raw.key),
        composition: String(raw.composition),
        boot: String(raw.boot ?? ''),
        frames,
        height,
        generation: options.generation(),
      };
      const key = pageKey(req, req.generation);
      if (failure?.key === key) return client.send({ type: 'filmstrip-error', key: req.key, message: failure.message });
      const missing: number[] = [];
      for (const f of frames) {
        const hit = cache.get(cacheKey(req, req.generation, f));
        if (hit) sendThumb(client, req.key, f, hit);
        else missing.push(f);
      }
      if (!missing.length) return void pending.delete(client);
      pending.set(client, { ...req, frames: missing });
      void work();
    },
    busy(ms) {
      busyUntil = Math.max(busyUntil, Date.now() + Math.min(Math.max(0, Number(ms) || 0), 5000));
    },
    forget(client) {
      pending.delete(client);
    },
    thumb: (id) => byId.get(id),
    get cacheBytes() {
      return cacheBytes;
    },
    async close() {
      closed = true;
      clearTimeout(idleTimer);
      pending.clear();
      const w = worker;
      stopWorker();
      if (w && w.child.exitCode === null) await new Promise((r) => w.child.once('exit', r));
    },
  };
}
