/**
 * One capture worker: a page of the composition in its own browser, producing frames on
 * request: JPEG (at the quality preset's JPEG quality) for opaque formats, PNG when
 * the video keeps transparency. Before each frame it asks the runtime whether anything can change since the frame it
 * last drew (`changesBetween`) and whether the page reported a problem, in one round trip; an
 * unchanged frame reuses the previous image without seeking or drawing. Otherwise it seeks; when the
 * runtime cannot tell (a scene whose timeline it does not see, a timer that may write nothing), the
 * page's fingerprint after the seek (row-frames.ts) decides: equal to the drawn frame's, the page
 * shows the same picture and the previous image is taken without drawing. Otherwise it
 * draws: under BeginFrame control one `HeadlessExperimental.beginFrame` both draws and returns the
 * pixels; elsewhere a `Page.captureScreenshot` after the runtime waited for a paint.
 */
import type { BrowserContext, CDPSession } from 'playwright-core';
import { openComposition, type CompositionPage } from '../browser/composition-page.js';
import type { LaunchedBrowser } from '../browser/launch.js';
import { newIsolatedContext } from '../browser/page-isolation.js';
import { settleWithin } from '../browser/page-watchdog.js';
import type { RemoteRequestLog } from '../remote/page-routing.js';
import { failOnProblems, isFatal, pageWarnings } from '../snapshot/page-problems.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import type { ClipWindow, ReadyInfo, RuntimeProblem } from '../../shared/control.js';
import type { FrameImageFormat } from './mkv-stream.js';
import type { CaptureMode } from './options.js';
import { FINGERPRINT_SOURCE, type RowFrames } from './row-frames.js';

export interface CaptureWorkerOptions {
  browser: LaunchedBrowser;
  mode: CaptureMode;
  /** Device pixels per CSS pixel (screenshot mode emulates it; BeginFrame browsers are launched with it). */
  scale: number;
  url: string;
  /** Project-relative entry, for error locations. */
  entry: string;
  width: number;
  height: number;
  fps: number;
  /** Transparent background (webm/mov). */
  alpha: boolean;
  /** Image codec of the frames (PNG is needed for alpha). */
  image: FrameImageFormat;
  /** JPEG quality of JPEG frames (the `--quality` preset's). */
  jpegQuality: number;
  /** Benchmarks: draw each frame without taking its pixels (the first image stands in; see RenderOptions). */
  drawWithoutPixels?: boolean;
  /**
   * Reuse the previous image when the runtime proves nothing changed, or when the page's
   * fingerprint after the seek equals the drawn frame's.
   */
  reuse: boolean;
  /** Frames drawn without a screenshot before each captured one (1 for compositions with video). */
  settleFrames: number;
  /**
   * A batch's shared frames (row-frames.ts): the first row records its frames with the page's
   * fingerprint, later rows take the first row's image where their page shows the same.
   */
  rows?: { frames: RowFrames; role: 'record' | 'share' };
}

export interface CapturedFrame {
  image: Buffer;
  /** True when the frame was not drawn because nothing could change. */
  reused: boolean;
  /** True when the frame is the batch's first row's image (the page showed the same there). */
  shared?: boolean;
}

export interface CaptureWorker {
  readonly info: ReadyInfo;
  readonly blocked: string[];
  /** Connections the isolation cut off (see CompositionPage.cutOff). */
  readonly cutOff: string[];
  readonly remote: RemoteRequestLog;
  capture(frame: number): Promise<CapturedFrame>;
  /** Throws if the page reported a problem since the last frame. */
  check(): Promise<void>;
  /** The page's warnings (see pageWarnings()). */
  warnings(): Promise<Diagnostic[]>;
  /** Every problem the page reported so far (the parity harness compares them with the engine's). */
  problems(): Promise<RuntimeProblem[]>;
  /** Every timed element's window, as the runtime resolved it (the parity harness samples by it). */
  clips(): Promise<ClipWindow[]>;
  close(): Promise<void>;
}

/** Html and body backgrounds would hide the transparency; the composition's own stay. */
const TRANSPARENT_PAGE = `document.addEventListener('DOMContentLoaded', () => {
  const s = document.createElement('style');
  s.textContent = 'html,body{background:transparent !important}';
  document.head.appendChild(s);
});`;

/** BeginFrame times must only grow per browser, also across the pages of a batch. */
const frameClock = new WeakMap<LaunchedBrowser, number>();

/** What one round trip to the page answers before a frame is drawn. */
interface Step {
  /** The page reported a problem (stop with it). */
  fatal: boolean;
  /** The problem was there before the seek, so the page did not seek. */
  seekSkipped?: boolean;
  /** Nothing can change since the drawn frame: reuse its image (no seek happened). */
  unchanged: boolean;
  /** The runtime needs a reload to show this frame (a backward seek after timers ran). */
  reloadRequired: boolean;
  /** The page's fingerprint after the seek, when asked for (null: the page cannot have one). */
  fingerprint?: string | null;
}

/**
 * The page side of a step (see `step` below): problems, whether anything can change, the seek.
 * A problem stops the render by the one rule failOnProblems applies (isFatal, its source sent
 * along): a rule of its own here once skipped the seek for problems HeyGen renders through, and
 * every frame showed the first one.
 */
const STEP_SOURCE = `async (a, b, r, f) => {
  const fs = globalThis.__framesmith;
  const isFatal = ${isFatal.toString()};
  const fatal = () => fs.errors().some(isFatal);
  if (fatal()) return { fatal: true, seekSkipped: true, unchanged: false, reloadRequired: false };
  if (r && a >= 0 && (a === b || !fs.changesBetween(a, b))) return { fatal: false, unchanged: true, reloadRequired: false };
  const seek = await fs.seek(b);
  const fingerprint = f && !seek.reloadRequired ? (globalThis.__framesmithFingerprint ??= ${FINGERPRINT_SOURCE})() : undefined;
  return { fatal: fatal(), unchanged: false, reloadRequired: seek.reloadRequired, fingerprint };
}`;

/** Opens the page and waits for the composition to be ready. */
export async function openCaptureWorker(o: CaptureWorkerOptions): Promise<CaptureWorker> {
  const context: BrowserContext = await newIsolatedContext(o.browser.browser, [new URL(o.url).origin], {
    viewport: { width: o.width, height: o.height },
    deviceScaleFactor: o.mode === 'screenshot' ? o.scale : 1,
    reducedMotion: 'no-preference',
  });
  let page: CompositionPage;
  let cdp: CDPSession;
  try {
    if (o.alpha) await context.addInitScript({ content: TRANSPARENT_PAGE });
    page = await openComposition(o.browser.browser, { url: o.url, width: o.width, height: o.height, context });
    await failOnProblems(page, o.entry);
    cdp = await context.newCDPSession(page.page);
    if (o.mode === 'beginframe' && o.alpha)
      await cdp.send('Emulation.setDefaultBackgroundColorOverride', { color: { r: 0, g: 0, b: 0, a: 0 } });
  } catch (error) {
    await context.close().catch(() => {});
    throw error;
  }

  const interval = 1000 / o.fps;
  /** JPEG for opaque video: a fraction of PNG's cost to encode, send and decode (see presets.ts). */
  const screenshot =
    o.image === 'jpeg'
      ? { format: 'jpeg' as const, quality: o.jpegQuality, optimizeForSpeed: true }
      : { format: 'png' as const, optimizeForSpeed: true };
  let drawnFrame = -1;
  let lastImage: Buffer | null = null;
  let lastFingerprint: string | null = null;
  let surfaceBehind = false;

  const pageFingerprint = async (): Promise<string | null> => {
    const r = (await cdp.send('Runtime.evaluate', { expression: `(${FINGERPRINT_SOURCE})()`, returnByValue: true })) as {
      result: { value?: string | null };
    };
    return r.result.value ?? null;
  };

  // Check for problems, ask whether anything can change, and seek, in one round trip: a short
  // Runtime.evaluate (the page-side function is defined once per document) costs the Node side a
  // fraction of a playwright evaluate, which sends and wraps the function on every call.
  const step = async (from: number, to: number, reuse: boolean, fingerprint: boolean): Promise<Step> => {
    const r = (await cdp.send('Runtime.evaluate', {
      expression: `(globalThis.__framesmithStep ??= ${STEP_SOURCE})(${from}, ${to}, ${reuse}, ${fingerprint})`,
      awaitPromise: true,
      returnByValue: true,
    })) as { result: { value?: Step }; exceptionDetails?: { text: string; exception?: { description?: string } } };
    if (r.exceptionDetails || !r.result.value)
      throw new Error(
        `the page's frame step failed: ${r.exceptionDetails?.exception?.description ?? r.exceptionDetails?.text ?? 'no result'}`,
      );
    return r.result.value;
  };

  async function draw(): Promise<Buffer> {
    if (o.mode !== 'beginframe')
      return page.capture(o.image === 'jpeg' ? { format: 'jpeg', quality: o.jpegQuality } : { format: 'png', omitBackground: o.alpha });
    // A <video> hands its new frame to the compositor on its own schedule: one frame without a
    // screenshot lets it arrive, so the captured frame shows the seeked video frame every time.
    for (let k = 0; k < o.settleFrames; k++) {
      const t = (frameClock.get(o.browser) ?? 10_000) + interval;
      frameClock.set(o.browser, t);
      await cdp.send('HeadlessExperimental.beginFrame', { frameTimeTicks: t, interval });
    }
    const pixels = !(o.drawWithoutPixels && lastImage);
    for (let attempt = 0; ; attempt++) {
      const ticks = (frameClock.get(o.browser) ?? 10_000) + interval;
      frameClock.set(o.browser, ticks);
      const r = (await cdp.send('HeadlessExperimental.beginFrame', {
        frameTimeTicks: ticks,
        interval,
        ...(pixels ? { screenshot } : {}),
      })) as { hasDamage: boolean; screenshotData?: string };
      if (!pixels && lastImage) return lastImage;
      if (r.screenshotData) {
        surfaceBehind = false;
        return Buffer.from(r.screenshotData, 'base64');
      }
      // No new pixels: the surface still shows the last drawn frame (unless a shared frame stood in since).
      if (lastImage && !surfaceBehind) return lastImage;
      if (attempt >= 3) throw new Error('Chromium returned no image for a frame it was asked to draw');
    }
  }

  return {
    get info() {
      return page.info;
    },
    get blocked() {
      return page.blocked;
    },
    get cutOff() {
      return page.cutOff;
    },
    remote: page.remote,
    async capture(frame) {
      const rows = o.rows;
      // The fingerprint costs a walk of the page (well under a millisecond to a few on large
      // pages) against tens of milliseconds of drawing and reading back a frame.
      const wantFingerprint = o.reuse || (rows !== undefined && (rows.role === 'record' || rows.frames.has(frame)));
      // Each call into the page has a deadline; a page stuck in script is stopped (page-watchdog.ts).
      const at = { frame, time: frame / o.fps };
      const r = await page.guard({ what: 'frame', ...at }, () => step(drawnFrame, frame, o.reuse && lastImage !== null, wantFingerprint));
      if (r.fatal) {
        await failOnProblems(page, o.entry);
        // The page stopped before seeking: drawing now would show another frame.
        if (r.seekSkipped) throw new Error(`frame ${frame}: the page reported a fatal problem that failOnProblems did not find`);
      }
      if (r.unchanged && lastImage) {
        // The page shows what it showed at the drawn frame, fingerprint included.
        if (rows?.role === 'record') rows.frames.record(frame, lastFingerprint, lastImage);
        return { image: lastImage, reused: true };
      }
      let fingerprint = r.fingerprint ?? null;
      if (r.reloadRequired) {
        await page.seekFrame(frame);
        await failOnProblems(page, o.entry);
        if (wantFingerprint) fingerprint = await pageFingerprint();
      }
      if (o.reuse && lastImage && fingerprint !== null && fingerprint === lastFingerprint) {
        // The page shows what it showed at the drawn frame: same DOM, styles, animations and media.
        drawnFrame = frame;
        if (rows?.role === 'record') rows.frames.record(frame, fingerprint, lastImage);
        return { image: lastImage, reused: true };
      }
      drawnFrame = frame;
      lastFingerprint = fingerprint;
      const shared = rows?.role === 'share' ? rows.frames.match(frame, fingerprint) : null;
      if (shared) {
        lastImage = shared;
        // The surface was not drawn for this frame: "no new pixels" no longer means "the last image".
        surfaceBehind = true;
        return { image: shared, reused: false, shared: true };
      }
      lastImage = await page.guard({ what: 'capture', ...at }, draw);
      if (rows?.role === 'record') rows.frames.record(frame, fingerprint, lastImage);
      return { image: lastImage, reused: false };
    },
    async check() {
      await failOnProblems(page, o.entry);
    },
    warnings: () => pageWarnings(page),
    problems: () => page.problems(),
    clips: () => page.page.evaluate(() => (globalThis as unknown as { __framesmith: { clips(): ClipWindow[] } }).__framesmith.clips()),
    async close() {
      // A crashed page's session may never answer: do not wait on it (page-watchdog.ts).
      await settleWithin(cdp.detach());
      await page.close();
      await context.close().catch(() => {});
    },
  };
}
