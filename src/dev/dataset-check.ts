/**
 * The dataset view's thumbnails and page checks, made by the server in the background: a headless
 * Chromium of its own (started on first need, closed when idle) loads the composition from this
 * dev server with one row's values, seeks through a few sample times and, at each, measures the
 * text from the page's layout (dataset-probe.ts) and, at the thumbnail times, captures a small
 * JPEG (Chromium draws the page straight at the thumbnail's size). Per row it then knows: text
 * reaching past its box or the frame, images that failed to load, page errors. Only what the
 * row's values cause is flagged: the same measure with the declared defaults is the baseline
 * (text that slides in from outside the frame in every version is the design, not a problem).
 *
 * Frame reuse: thumbnails are kept by composition, file generation, values, time and size, so
 * rows with the same values share them and an unchanged row is never drawn twice; within a
 * strip, a time the runtime proves unchanged since the last drawn one reuses that image. Pages
 * stay open between rows (the browser's cache keeps scripts, fonts and images). Rows on screen
 * come first (the newest request first); small datasets are then checked in full.
 */
import { randomBytes } from 'node:crypto';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import type { LaunchedBrowser } from '../browser/launch.js';
import { newIsolatedContext } from '../browser/page-isolation.js';
import type { Logger } from '../core/logger.js';
import { DEV_BOOT_PARAM, DEV_CACHED_FILES_HEADER, type DevBootParam } from '../../shared/dev-protocol.js';
import { STUDIO_API_PATH, STUDIO_ROUTES, type RowFlag, type StudioEvent } from '../../shared/studio-protocol.js';
import type { VariableValues } from '../../shared/variables.js';
import { FAILED_IMAGES, MEASURE_TEXT, type ImageFailure, type TextMeasure } from './dataset-probe.js';

export interface CheckRow {
  row: number;
  values: VariableValues;
}

export interface DatasetCheckerOptions {
  /** `http://127.0.0.1:port` of this dev server. */
  origin(): string;
  /** The composition's size from the project model; null when it cannot be read. */
  size(composition: string): Promise<{ width: number; height: number } | null>;
  generation(): number;
  logger: Logger;
  send(event: StudioEvent): void;
  /** Pages working at once (default 2: a thumbnail each). */
  pages?: number;
  /** Byte budget of the thumbnail cache (default 64 MB). */
  budget?: number;
  /** Close the browser after this long without work (default 90 s). */
  idleMs?: number;
  launch?: () => Promise<LaunchedBrowser>;
}

export interface DatasetChecker {
  /** Thumbnails and checks for the rows a page shows (replaces that page's previous request). */
  want(page: string, composition: string, rows: CheckRow[], times: number[], height: number): void;
  /** Checks every row in the background after the rows on screen. */
  checkAll(composition: string, rows: CheckRow[]): void;
  /** The flags found in the page for these values at the current generation, or null when not checked yet. */
  checked(composition: string, values: VariableValues): RowFlag[] | null;
  thumb(id: string): Buffer | undefined;
  /** Work waits `ms` (the preview is playing or scrubbing). */
  busy(ms: number): void;
  /** Rows per second over the last work (for the page's progress line and the bench). */
  readonly stats: { thumbs: number; checks: number; reused: number; loads: number };
  close(): Promise<void>;
}

/** What one load of a row found. */
interface Measure {
  /**
   * Per element: the most it reached out, and when; and the least over every sampled time it was
   * visible at (what stays out: a word sliding in through a mask is out at one time only).
   */
  texts: Map<
    string,
    {
      variable: string | null;
      text: string;
      box: number;
      frame: number;
      boxAt: number;
      frameAt: number;
      boxLeast: number;
      frameLeast: number;
    }
  >;
  images: ImageFailure[];
  errors: string[];
}

interface Unit {
  composition: string;
  generation: number;
  values: VariableValues;
  key: string;
  rows: number[];
  /** Thumbnail times to capture (may be empty: a check only). */
  times: number[];
  height: number;
  measure: boolean;
}

/** Times measured per row besides the thumbnail times (spread over the composition). */
const SAMPLES = 3;
const THUMB_URL = `${STUDIO_API_PATH}${STUDIO_ROUTES.thumb}`;
const MAX_ROWS_PER_REQUEST = 400;
const MAX_BOOT_URL = 12_000;
/** Deadline of each step in the page (load, ready, a seek, a capture). */
const STEP_MS = 15_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** An element's path without positions and inner tags' names kept: `div > h1 > span > em`. */
function textKind(key: string): string {
  return key.replace(/:nth-of-type\(\d+\)/g, '');
}

/** Values as a stable key (sorted keys). */
export function valuesKey(values: VariableValues): string {
  return JSON.stringify(
    Object.keys(values)
      .sort()
      .map((k) => [k, values[k]]),
  );
}

export function createDatasetChecker(options: DatasetCheckerOptions): DatasetChecker {
  const budget = options.budget ?? 64 * 1024 * 1024;
  const pageCount = Math.max(1, options.pages ?? 2);
  const thumbs = new Map<string, { id: string; jpeg: Buffer }>();
  const byId = new Map<string, Buffer>();
  let thumbBytes = 0;
  const measures = new Map<string, Measure>();
  const failures = new Map<string, string>();
  const wants = new Map<string, { composition: string; generation: number; rows: CheckRow[]; times: number[]; height: number }>();
  let background: { composition: string; generation: number; rows: CheckRow[]; next: number; times: number[]; height: number } | null =
    null;
  const inFlight = new Set<string>();
  const stats = { thumbs: 0, checks: 0, reused: 0, loads: 0 };
  let busyUntil = 0;
  let closed = false;
  /** Workers end (the browser closes when idle); the next request starts them again. */
  let stopping = false;
  let browser: Promise<LaunchedBrowser> | null = null;
  let wake: (() => void) | null = null;
  let workers: Promise<void>[] = [];
  let idleTimer: NodeJS.Timeout | undefined;
  let checkedCount = 0;
  let checkStarted = 0;

  const thumbKey = (c: string, g: number, vk: string, t: number, h: number) => `${c}\n${g}\n${vk}\n${t}\n${h}`;
  const measureKey = (c: string, g: number, vk: string) => `${c}\n${g}\n${vk}`;
  const baseKey = (c: string, g: number) => measureKey(c, g, valuesKey({}));

  function storeThumb(key: string, jpeg: Buffer): string {
    const old = thumbs.get(key);
    if (old) return old.id;
    const entry = { id: randomBytes(9).toString('base64url'), jpeg };
    thumbs.set(key, entry);
    byId.set(entry.id, jpeg);
    thumbBytes += jpeg.length;
    for (const [k, e] of thumbs) {
      if (thumbBytes <= budget) break;
      thumbs.delete(k);
      byId.delete(e.id);
      thumbBytes -= e.jpeg.length;
    }
    return entry.id;
  }

  /** Flags of a measure relative to the baseline (null when either is missing). */
  function flagsOf(m: Measure, base: Measure | undefined): RowFlag[] {
    const flags: RowFlag[] = [];
    const fmt = (t: number) => `${t.toFixed(2)} s`;
    // Text the row's values create (more words than the defaults have, split by a script) has no
    // element of its own in the baseline: it is compared with its kind (the same path without
    // positions), e.g. every word of a masked headline, whose glyphs pass their mask by design.
    const kinds = new Map<string, { boxLeast: number; frameLeast: number }>();
    for (const [key, t] of base?.texts ?? []) {
      const k = kinds.get(textKind(key)) ?? { boxLeast: 0, frameLeast: 0 };
      kinds.set(textKind(key), { boxLeast: Math.max(k.boxLeast, t.boxLeast), frameLeast: Math.max(k.frameLeast, t.frameLeast) });
    }
    for (const [key, t] of m.texts) {
      const b = base?.texts.get(key) ?? kinds.get(textKind(key));
      const quote = JSON.stringify(t.text.length > 40 ? `${t.text.slice(0, 40).trimEnd()}…` : t.text);
      // Flagged: text that stays out at every sampled time it shows, by more than with the defaults.
      if (t.boxLeast > (b?.boxLeast ?? 0) + 2) {
        flags.push({
          kind: 'overflow-box',
          column: t.variable ?? undefined,
          time: t.boxAt,
          severity: 'warning',
          message: `Text ${quote} reaches ${t.box} px past its box (${key}) at ${fmt(t.boxAt)}.`,
        });
      }
      if (t.frameLeast > (b?.frameLeast ?? 0) + 2) {
        flags.push({
          kind: 'overflow-frame',
          column: t.variable ?? undefined,
          time: t.frameAt,
          severity: 'warning',
          message: `Text ${quote} reaches ${t.frame} px past the frame (${key}) at ${fmt(t.frameAt)}.`,
        });
      }
    }
    const baseImages = new Set(base?.images.map((i) => i.src) ?? []);
    for (const img of m.images) {
      if (baseImages.has(img.src)) continue;
      flags.push({
        kind: 'image',
        column: img.variable ?? undefined,
        severity: 'error',
        message: `The image ${img.src} did not load${/^https?:/i.test(img.src) && !img.src.startsWith(options.origin()) ? ' (pages reach nothing but their own project: put the file in the project)' : ''}.`,
      });
    }
    const baseErrors = new Set(base?.errors ?? []);
    for (const e of m.errors) if (!baseErrors.has(e)) flags.push({ kind: 'page-error', severity: 'error', message: e });
    return flags;
  }

  function flagsFor(composition: string, generation: number, values: VariableValues): RowFlag[] | null {
    const vk = valuesKey(values);
    const failed = failures.get(measureKey(composition, generation, vk));
    if (failed) return [{ kind: 'page-error', severity: 'error', message: failed }];
    const m = measures.get(measureKey(composition, generation, vk));
    const base = measures.get(baseKey(composition, generation));
    if (!m || !base) return null;
    return flagsOf(m, base);
  }

  // ---- choosing the next piece of work

  function unitFor(composition: string, generation: number, row: CheckRow, rows: CheckRow[], times: number[], height: number): Unit | null {
    const vk = valuesKey(row.values);
    const key = measureKey(composition, generation, vk);
    if (inFlight.has(key)) return null;
    const failed = failures.has(key);
    const missing = failed ? [] : times.filter((t) => !thumbs.has(thumbKey(composition, generation, vk, t, height)));
    const measure = !failed && !measures.has(key);
    if (!missing.length && !measure) return null;
    return {
      composition,
      generation,
      values: row.values,
      key,
      rows: rows.filter((r) => valuesKey(r.values) === vk).map((r) => r.row),
      times: missing,
      height,
      measure,
    };
  }

  function nextUnit(): Unit | null {
    const gen = options.generation();
    // The baseline of a composition first: every flag is relative to it.
    for (const w of [...wants.values()].reverse()) {
      if (w.generation !== gen) continue;
      const bk = baseKey(w.composition, gen);
      if (!measures.has(bk) && !failures.has(bk) && !inFlight.has(bk))
        return { composition: w.composition, generation: gen, values: {}, key: bk, rows: [], times: [], height: w.height, measure: true };
    }
    for (const [page, w] of [...wants.entries()].reverse()) {
      if (w.generation !== gen) {
        wants.delete(page);
        continue;
      }
      for (const row of w.rows) {
        const u = unitFor(w.composition, gen, row, w.rows, w.times, w.height);
        if (u) return u;
      }
    }
    if (background && background.generation === gen) {
      const b = background;
      const bk = baseKey(b.composition, gen);
      if (!measures.has(bk) && !failures.has(bk)) {
        if (!inFlight.has(bk))
          return { composition: b.composition, generation: gen, values: {}, key: bk, rows: [], times: [], height: b.height, measure: true };
        return null;
      }
      while (b.next < b.rows.length) {
        const row = b.rows[b.next];
        const u = unitFor(b.composition, gen, row, b.rows, b.times, b.height);
        if (u) {
          b.next++;
          return u;
        }
        if (inFlight.has(measureKey(b.composition, gen, valuesKey(row.values)))) return null;
        // Known already (rows with equal values share one check, made for other rows): say so
        // for this row too, or it would never show as checked.
        const flags = Object.keys(row.values).length ? flagsFor(b.composition, gen, row.values) : measures.has(bk) ? [] : null;
        if (flags) options.send({ kind: 'row-checked', composition: b.composition, row: row.row, generation: gen, checked: flags });
        b.next++;
      }
      background = null;
    }
    return null;
  }

  // ---- the browser and its pages

  async function getBrowser(): Promise<LaunchedBrowser> {
    // Unthrottled frames (the launch default) make every navigation paint several frames: this
    // browser draws at the display's pace, which costs a third less CPU per row.
    browser ??= (
      options.launch ??
      (async () =>
        (await import('../browser/launch.js')).launchBrowser({
          handleSignals: false,
          omitArgs: ['--disable-frame-rate-limit', '--disable-gpu-vsync'],
        }))
    )();
    try {
      return await browser;
    } catch (error) {
      browser = null;
      throw error;
    }
  }

  interface Worker {
    context: BrowserContext;
    page: Page;
    cdp: CDPSession;
    size: { width: number; height: number } | null;
    scale: number;
    errors: string[];
    /** The project generation this page's cache holds files of. */
    generation: number | null;
  }

  async function openWorker(): Promise<Worker> {
    const b = await getBrowser();
    // A composition page reaches nothing but its own server, as in a render: the context's
    // refusing proxy stops everything else. No per-request interception (page.route): it sent
    // every request of every row through this process and cost a third of the CPU per row.
    // Project files are cacheable for this browser (the header): scripts, fonts and images are
    // not asked for again on every row; the cache is emptied when the project changes (runUnit).
    const context = await newIsolatedContext(b.browser, [new URL(options.origin()).origin], {
      viewport: { width: 1920, height: 1080 },
      reducedMotion: 'no-preference',
      extraHTTPHeaders: { [DEV_CACHED_FILES_HEADER]: '1' },
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const w: Worker = { context, page, cdp, size: null, scale: 1, errors: [], generation: null };
    page.on('pageerror', (e) => w.errors.push(e.message));
    return w;
  }

  function bootUrl(composition: string, values: VariableValues): string {
    // No paint per seek: layout is measured without one and the capture draws its own frame.
    const boot: DevBootParam = { paint: 'none' };
    if (Object.keys(values).length) boot.variables = values;
    const path = `/${composition.split('/').map(encodeURIComponent).join('/')}`;
    return `${options.origin()}${path}?${DEV_BOOT_PARAM}=${encodeURIComponent(JSON.stringify(boot))}`;
  }

  /**
   * `work` in the page, with a deadline: a row whose values make a script loop forever must not
   * hold the thumbnails of every other row. Past it the page is closed (the worker opens another).
   */
  async function within<T>(w: Worker, what: string, work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void w.context.close().catch(() => {});
        reject(new Error(`The page did not ${what} within ${STEP_MS / 1000} s (a script that never ends?).`));
      }, STEP_MS);
    });
    try {
      return await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs `expression` in the page through the CDP session (a fraction of playwright's per-call cost). */
  async function inPage<T>(w: Worker, what: string, expression: string): Promise<T> {
    const r = (await within(w, what, w.cdp.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }))) as {
      result: { value?: T };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description?.split('\n')[0] ?? r.exceptionDetails.text);
    return r.result.value as T;
  }

  async function runUnit(w: Worker, u: Unit): Promise<void> {
    const size = await options.size(u.composition);
    if (!size) throw new Error(`${u.composition} cannot be read`);
    // The page lays out at the composition's size but draws at the thumbnail's: a device scale
    // below 1 makes raster and compositing cost a fraction of a full frame (measures are in CSS px).
    const scale = Math.min(1, u.height / size.height);
    if (!w.size || w.size.width !== size.width || w.size.height !== size.height || w.scale !== scale) {
      await w.cdp.send('Emulation.setDeviceMetricsOverride', {
        width: size.width,
        height: size.height,
        deviceScaleFactor: scale,
        mobile: false,
      });
      w.size = size;
      w.scale = scale;
    }
    const url = bootUrl(u.composition, u.values);
    if (url.length > MAX_BOOT_URL)
      throw new Error(
        `The row's values are too long for a preview address (${Math.round(url.length / 1024)} KB; at most ${MAX_BOOT_URL / 1000} KB): render it to see it.`,
      );
    if (w.generation !== u.generation) {
      // Files may have changed: nothing cached from before may answer (the HTTP cache is per browser).
      await w.cdp.send('Network.clearBrowserCache');
      w.generation = u.generation;
    }
    w.errors = [];
    stats.loads++;
    await w.page.goto(url, { waitUntil: 'domcontentloaded', timeout: STEP_MS });
    // Per row: the page's readiness and the first thumbnail time in one call, a capture per
    // thumbnail time, then the remaining sample times with the images and problems in one last
    // call. Nothing waits for a paint in between (boot option paint: 'none'): layout is measured
    // without one, and the capture draws the frame it returns.
    const vk = valuesKey(u.values);
    const thumbTimes = [...new Set(u.times)].filter((t) => t >= 0).sort((a, b) => a - b);
    const m: Measure = { texts: new Map(), images: [], errors: [] };
    const record = (found: TextMeasure[], time: number) => {
      for (const f of found) {
        const prev = m.texts.get(f.key) ?? {
          variable: f.variable,
          text: f.text,
          box: 0,
          frame: 0,
          boxAt: time,
          frameAt: time,
          boxLeast: f.box,
          frameLeast: f.frame,
        };
        prev.boxLeast = Math.min(prev.boxLeast, f.box);
        prev.frameLeast = Math.min(prev.frameLeast, f.frame);
        if (f.box > prev.box) {
          prev.box = f.box;
          prev.boxAt = time;
          prev.text = f.text;
        }
        if (f.frame > prev.frame) {
          prev.frame = f.frame;
          prev.frameAt = time;
          prev.text = f.text;
        }
        m.texts.set(f.key, prev);
      }
    };
    type Step = {
      duration: number;
      fps: number;
      at: { time: number; frame: number; found: TextMeasure[]; changed: boolean }[];
      images?: ImageFailure[];
      problems?: { kind: string; message: string; url?: string }[];
    };
    // `times` null = the sample times spread over the composition (known once the page is ready).
    const step = (times: number[] | null, since: number | null, finish: boolean) =>
      inPage<Step>(
        w,
        times?.length === 1 ? `show ${times[0].toFixed(2)} s` : 'measure its text',
        `(async () => {
          const fs = window.__framesmith;
          const info = await fs.ready;
          const duration = info.duration > 0 ? info.duration : 0;
          const times = ${times ? JSON.stringify(times) : `Array.from({ length: ${SAMPLES} }, (_, k) => Math.round(((k + 0.5) / ${SAMPLES}) * duration * 1000) / 1000).filter((t) => !${JSON.stringify(thumbTimes)}.includes(t))`};
          const at = [];
          let since = ${since ?? -1};
          for (const t of times) {
            const time = Math.min(t, duration);
            const frame = Math.floor(time * info.fps + 1e-6);
            await fs.seekTime(time);
            at.push({ time, frame, found: ${u.measure ? MEASURE_TEXT : '[]'}, changed: since < 0 || since !== frame && fs.changesBetween(since, frame) });
            since = frame;
          }
          return { duration, fps: info.fps, at${finish ? `, images: ${FAILED_IMAGES}, problems: fs.errors()` : ''} };
        })()`,
      );
    let last: { frame: number; jpeg: Buffer } | null = null;
    for (const t of thumbTimes) {
      const s = await step([t], last?.frame ?? null, false);
      const at = s.at[0];
      record(at.found, at.time);
      let jpeg: Buffer;
      if (last && !at.changed) {
        jpeg = last.jpeg;
        stats.reused++;
      } else {
        const { data } = (await within(
          w,
          'draw the thumbnail',
          w.cdp.send('Page.captureScreenshot', {
            format: 'jpeg',
            quality: 70,
            fromSurface: true,
            clip: { x: 0, y: 0, width: size.width, height: size.height, scale: 1 },
          }),
        )) as { data: string };
        jpeg = Buffer.from(data, 'base64');
        stats.thumbs++;
      }
      last = { frame: at.frame, jpeg };
      const id = storeThumb(thumbKey(u.composition, u.generation, vk, t, u.height), jpeg);
      for (const row of u.rows)
        options.send({
          kind: 'thumb',
          composition: u.composition,
          row,
          time: t,
          height: u.height,
          generation: u.generation,
          url: `${THUMB_URL}${id}.jpg`,
        });
    }
    if (!u.measure) return;
    const result = await step(null, null, true);
    for (const at of result.at) record(at.found, at.time);
    m.images = result.images ?? [];
    const problems = result.problems ?? [];
    const failedUrls = new Set(m.images.map((i) => i.src));
    for (const p of problems) {
      if (p.kind === 'asset' && p.url && /\.(png|jpe?g|gif|webp|avif|svg)(\?|$)/i.test(p.url)) {
        if (![...failedUrls].some((s) => p.url!.endsWith(s.replace(/^\.?\//, '')))) m.images.push({ src: p.url, variable: null });
      } else if (p.kind === 'page-error' || p.kind === 'asset') m.errors.push(p.message);
    }
    for (const e of w.errors) if (!m.errors.includes(e) && !problems.some((p) => p.message === e)) m.errors.push(e);
    measures.set(u.key, m);
    stats.checks++;
    checkedCount++;
    const flags = u.values && Object.keys(u.values).length ? flagsFor(u.composition, u.generation, u.values) : null;
    if (flags)
      for (const row of u.rows)
        options.send({ kind: 'row-checked', composition: u.composition, row, generation: u.generation, checked: flags });
    if (!Object.keys(u.values).length) notifyAfterBaseline(u.composition, u.generation);
  }

  /** Rows measured before the baseline get their flags once it is known. */
  function notifyAfterBaseline(composition: string, generation: number): void {
    const rows = [...wants.values()].filter((w) => w.composition === composition).flatMap((w) => w.rows);
    if (background?.composition === composition) rows.push(...background.rows.slice(0, background.next));
    for (const r of rows) {
      if (!Object.keys(r.values).length) {
        options.send({ kind: 'row-checked', composition, row: r.row, generation, checked: [] });
        continue;
      }
      const flags = flagsFor(composition, generation, r.values);
      if (flags) options.send({ kind: 'row-checked', composition, row: r.row, generation, checked: flags });
    }
  }

  async function workLoop(): Promise<void> {
    let w: Worker | null = null;
    try {
      for (;;) {
        if (closed || stopping) return;
        while (Date.now() < busyUntil && !closed) await sleep(Math.min(200, busyUntil - Date.now()));
        const u = nextUnit();
        if (!u) {
          if (![...inFlight].length && !wants.size && !background) armIdle();
          await new Promise<void>((r) => {
            const prev = wake;
            wake = () => (prev?.(), r());
          });
          continue;
        }
        inFlight.add(u.key);
        try {
          w ??= await openWorker();
          await runUnit(w, u);
        } catch (error) {
          if (closed) return;
          const message = (error as Error).message.split('\n')[0];
          options.logger.debug(`dataset: ${(error as Error).stack ?? error}`);
          // No browser at all: every row would fail the same way (no thumbnail, no check to report);
          // otherwise the page failed with these values, which each row's check says.
          failures.set(u.key, browser ? `The page failed with these values: ${message}` : `No thumbnail: ${message}`);
          for (const row of u.rows) {
            options.send({
              kind: 'thumb',
              composition: u.composition,
              row,
              time: u.times[0] ?? 0,
              height: u.height,
              generation: u.generation,
              url: null,
              error: message,
            });
            if (!browser) continue;
            options.send({
              kind: 'row-checked',
              composition: u.composition,
              row,
              generation: u.generation,
              checked: [{ kind: 'page-error', severity: 'error', message: failures.get(u.key)! }],
            });
          }
          await w?.context.close().catch(() => {});
          w = null;
        } finally {
          inFlight.delete(u.key);
          progress(u.composition);
          wakeAll();
        }
      }
    } finally {
      await w?.context.close().catch(() => {});
    }
  }

  let lastProgress = 0;
  function progress(composition: string): void {
    const b = background;
    if (!b) return;
    const now = Date.now();
    if (now - lastProgress < 300 && b.next < b.rows.length) return;
    lastProgress = now;
    const elapsed = (now - checkStarted) / 1000;
    options.send({
      kind: 'check-progress',
      composition,
      done: Math.min(b.next, b.rows.length),
      total: b.rows.length,
      perSecond: elapsed > 0 ? Math.round((checkedCount / elapsed) * 10) / 10 : 0,
    });
  }

  function wakeAll(): void {
    const w = wake;
    wake = null;
    w?.();
  }

  function kick(): void {
    clearTimeout(idleTimer);
    if (!workers.length) workers = Array.from({ length: pageCount }, () => workLoop().catch((e) => options.logger.debug(`dataset: ${e}`)));
    wakeAll();
  }

  function armIdle(): void {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => void idleClose(), options.idleMs ?? 90_000);
    idleTimer.unref();
  }

  async function idleClose(): Promise<void> {
    if (inFlight.size || wants.size || background) return;
    const b = browser;
    if (!b) return;
    // The workers end (closing their pages), then the browser; the next request starts anew.
    stopping = true;
    wakeAll();
    await Promise.allSettled(workers);
    workers = [];
    stopping = false;
    if (browser === b) browser = null;
    await (await b.catch(() => null))?.close();
    if (wants.size || background) kick();
  }

  return {
    want(page, composition, rows, times, height) {
      if (closed) return;
      const t = [...new Set(times.filter((x) => Number.isFinite(x) && x >= 0).map((x) => Math.round(x * 1000) / 1000))].slice(0, 5);
      const h = Math.max(16, Math.min(360, Math.round(height) || 72));
      wants.delete(page);
      if (rows.length)
        wants.set(page, {
          composition,
          generation: options.generation(),
          rows: rows.slice(0, MAX_ROWS_PER_REQUEST),
          times: t.length ? t : [0],
          height: h,
        });
      if (background && background.composition === composition)
        Object.assign(background, { times: t.length ? t : background.times, height: h });
      // What is cached already goes out at once.
      const gen = options.generation();
      for (const r of rows.slice(0, MAX_ROWS_PER_REQUEST)) {
        const vk = valuesKey(r.values);
        for (const time of t) {
          const hit = thumbs.get(thumbKey(composition, gen, vk, time, h));
          if (hit)
            options.send({ kind: 'thumb', composition, row: r.row, time, height: h, generation: gen, url: `${THUMB_URL}${hit.id}.jpg` });
        }
      }
      kick();
    },
    checkAll(composition, rows) {
      const last = [...wants.values()].reverse().find((w) => w.composition === composition);
      background = { composition, generation: options.generation(), rows, next: 0, times: last?.times ?? [0], height: last?.height ?? 72 };
      checkedCount = 0;
      checkStarted = Date.now();
      kick();
    },
    checked: (composition, values) => flagsFor(composition, options.generation(), values),
    thumb: (id) => byId.get(id),
    busy(ms) {
      busyUntil = Math.max(busyUntil, Date.now() + Math.min(5000, Math.max(0, ms)));
    },
    stats,
    async close() {
      closed = true;
      clearTimeout(idleTimer);
      wants.clear();
      background = null;
      wakeAll();
      const b = browser;
      browser = null;
      await (await b?.catch(() => null))?.close();
      await Promise.allSettled(workers);
    },
  };
}
