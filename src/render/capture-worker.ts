/**
 * One capture worker: a page of the composition in its own browser, producing frames on
 * request: JPEG (quality 80, what the official engine captures) for opaque formats, PNG when
 * the video keeps transparency. Before each frame it asks the runtime whether anything can change since the frame it
 * last drew (`changesBetween`) and whether the page reported a problem, in one round trip; an
 * unchanged frame reuses the previous image without seeking or drawing. Otherwise it seeks and
 * draws: under BeginFrame control one `HeadlessExperimental.beginFrame` both draws and returns the
 * pixels; elsewhere a `Page.captureScreenshot` after the runtime waited for a paint.
 */
import type { BrowserContext, CDPSession } from 'playwright-core';
import { openComposition, type CompositionPage } from '../browser/composition-page.js';
import type { LaunchedBrowser } from '../browser/launch.js';
import type { RemoteRequestLog } from '../remote/page-routing.js';
import { failOnProblems, pageWarnings } from '../snapshot/page-problems.js';
import type { Diagnostic } from '../shared/diagnostics.js';
import type { ReadyInfo } from '../shared/control.js';
import type { FrameImageFormat } from './mkv-stream.js';
import type { CaptureMode } from './options.js';

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
  /** Reuse the previous image when the runtime proves nothing changed. */
  reuse: boolean;
  /** Frames drawn without a screenshot before each captured one (1 for compositions with video). */
  settleFrames: number;
}

export interface CapturedFrame {
  image: Buffer;
  /** True when the frame was not drawn because nothing could change. */
  reused: boolean;
}

export interface CaptureWorker {
  readonly info: ReadyInfo;
  readonly blocked: string[];
  readonly remote: RemoteRequestLog;
  capture(frame: number): Promise<CapturedFrame>;
  /** Throws if the page reported a problem since the last frame. */
  check(): Promise<void>;
  /** The page's warnings (see pageWarnings()). */
  warnings(): Promise<Diagnostic[]>;
  close(): Promise<void>;
}

/** Html and body backgrounds would hide the transparency; the composition's own stay. */
const TRANSPARENT_PAGE = `document.addEventListener('DOMContentLoaded', () => {
  const s = document.createElement('style');
  s.textContent = 'html,body{background:transparent !important}';
  document.head.appendChild(s);
});`;

/** JPEG quality of opaque frames, the official engine's (its `jpegQuality` default). */
export const JPEG_QUALITY = 80;

/** BeginFrame times must only grow per browser, also across the pages of a batch. */
const frameClock = new WeakMap<LaunchedBrowser, number>();

/** What one round trip to the page answers before a frame is drawn. */
interface Step {
  /** The page reported a problem (stop with it). */
  fatal: boolean;
  /** Nothing can change since the drawn frame: reuse its image (no seek happened). */
  unchanged: boolean;
  /** The runtime needs a reload to show this frame (a backward seek after timers ran). */
  reloadRequired: boolean;
}

/** Opens the page and waits for the composition to be ready. */
export async function openCaptureWorker(o: CaptureWorkerOptions): Promise<CaptureWorker> {
  const context: BrowserContext = await o.browser.browser.newContext({
    viewport: { width: o.width, height: o.height },
    deviceScaleFactor: o.mode === 'screenshot' ? o.scale : 1,
    serviceWorkers: 'block',
    reducedMotion: 'no-preference',
  });
  let page: CompositionPage;
  let cdp: CDPSession | null = null;
  try {
    if (o.alpha) await context.addInitScript({ content: TRANSPARENT_PAGE });
    page = await openComposition(o.browser.browser, { url: o.url, width: o.width, height: o.height, context });
    await failOnProblems(page, o.entry);
    if (o.mode === 'beginframe') {
      cdp = await context.newCDPSession(page.page);
      if (o.alpha) await cdp.send('Emulation.setDefaultBackgroundColorOverride', { color: { r: 0, g: 0, b: 0, a: 0 } });
    }
  } catch (error) {
    await context.close().catch(() => {});
    throw error;
  }

  const interval = 1000 / o.fps;
  /** The engine's JPEG quality: the same pictures as the cloud, at a fraction of PNG's cost to encode and decode. */
  const screenshot = o.image === 'jpeg' ? { format: 'jpeg' as const, quality: JPEG_QUALITY, optimizeForSpeed: true } : { format: 'png' as const, optimizeForSpeed: true };
  let drawnFrame = -1;
  let lastImage: Buffer | null = null;

  // Check for problems, ask whether anything can change, and seek, in one round trip.
  const step = (from: number, to: number, reuse: boolean): Promise<Step> =>
    page.page.evaluate(
      async ([a, b, r]) => {
        type Control = { changesBetween(a: number, b: number): boolean; errors(): { kind: string; severity?: string }[]; seek(f: number): Promise<{ reloadRequired: boolean }> };
        const fs = (globalThis as unknown as { __framesmith: Control }).__framesmith;
        const fatal = () => fs.errors().some((p) => p.kind !== 'console' && p.severity !== 'warning');
        if (fatal()) return { fatal: true, unchanged: false, reloadRequired: false };
        if (r && a >= 0 && (a === b || !fs.changesBetween(a, b))) return { fatal: false, unchanged: true, reloadRequired: false };
        const seek = await fs.seek(b);
        return { fatal: fatal(), unchanged: false, reloadRequired: seek.reloadRequired };
      },
      [from, to, reuse] as const,
    );

  async function draw(): Promise<Buffer> {
    if (!cdp) return page.capture(o.image === 'jpeg' ? { format: 'jpeg', quality: JPEG_QUALITY } : { format: 'png', omitBackground: o.alpha });
    // A <video> hands its new frame to the compositor on its own schedule: one frame without a
    // screenshot lets it arrive, so the captured frame shows the seeked video frame every time.
    for (let k = 0; k < o.settleFrames; k++) {
      const t = (frameClock.get(o.browser) ?? 10_000) + interval;
      frameClock.set(o.browser, t);
      await cdp.send('HeadlessExperimental.beginFrame', { frameTimeTicks: t, interval });
    }
    for (let attempt = 0; ; attempt++) {
      const ticks = (frameClock.get(o.browser) ?? 10_000) + interval;
      frameClock.set(o.browser, ticks);
      const r = (await cdp.send('HeadlessExperimental.beginFrame', {
        frameTimeTicks: ticks,
        interval,
        screenshot,
      })) as { hasDamage: boolean; screenshotData?: string };
      if (r.screenshotData) return Buffer.from(r.screenshotData, 'base64');
      // No new pixels: the surface still shows the last drawn frame.
      if (lastImage) return lastImage;
      if (attempt >= 3) throw new Error('Chromium returned no image for the first frame');
    }
  }

  return {
    get info() {
      return page.info;
    },
    get blocked() {
      return page.blocked;
    },
    remote: page.remote,
    async capture(frame) {
      const r = await step(drawnFrame, frame, o.reuse && lastImage !== null);
      if (r.fatal) await failOnProblems(page, o.entry);
      if (r.unchanged && lastImage) return { image: lastImage, reused: true };
      if (r.reloadRequired) {
        await page.seekFrame(frame);
        await failOnProblems(page, o.entry);
      }
      lastImage = await draw();
      drawnFrame = frame;
      return { image: lastImage, reused: false };
    },
    async check() {
      await failOnProblems(page, o.entry);
    },
    warnings: () => pageWarnings(page),
    async close() {
      await cdp?.detach().catch(() => {});
      await page.close();
      await context.close().catch(() => {});
    },
  };
}
