/**
 * One composition loaded in a headless page, driven through the runtime's control API
 * (`window.__framesmith`). Used by snapshot, render and the build check. The page itself never
 * reaches the network: Node answers its requests to other hosts from the content cache, the
 * network or the npm registry (src/remote/page-routing.ts). It waits for the runtime's ready
 * signal, handles the runtime's "reload required" answer to backward seeks, and captures the
 * viewport straight through the DevTools protocol.
 */
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { FramesmithError } from '../core/errors.js';
import type { ReadyInfo, RuntimeProblem, SeekResult } from '../shared/control.js';
import { routeRemoteRequests, type RemoteRequestLog } from '../remote/page-routing.js';
import type { RemoteResolver } from '../remote/resolver.js';

export interface OpenCompositionOptions {
  /** Page URL on the local server (runtime injected). */
  url: string;
  /** Viewport = the composition's size. */
  width: number;
  height: number;
  /** 2 for supersampled 4k. */
  deviceScaleFactor?: number;
  /** Origins the page loads from directly. Default: the URL's origin. Other http(s) URLs come through the remote resolver (cache, network, npm registry); other schemes are refused. */
  allowOrigins?: string[];
  /** Resolver for remote URLs (default: the process's, see src/remote/resolver.ts). */
  remote?: RemoteResolver;
  /** Real-time limit for the page to load and report ready. */
  readyTimeoutMs?: number;
  /** Reuse a context (one per worker); default: a fresh one, closed with the page. */
  context?: BrowserContext;
}

export interface CaptureOptions {
  format: 'png' | 'jpeg';
  /** JPEG quality 0–100. */
  quality?: number;
  /**
   * Keep transparency (PNG only): where the page paints nothing, the image is transparent
   * instead of white, as in the engine's stills and alpha video formats.
   */
  omitBackground?: boolean;
}

export interface CompositionPage {
  readonly page: Page;
  readonly info: ReadyInfo;
  /** Remote URLs that could not be loaded (unavailable, or of another scheme). */
  readonly blocked: string[];
  /** Every remote request: loaded (from where) and failed (why). */
  readonly remote: RemoteRequestLog;
  /** Problems the page reported so far (asks the runtime). */
  problems(): Promise<RuntimeProblem[]>;
  /** Seeks to frame N at the page's fps; resolves when the frame is painted. */
  seekFrame(frame: number): Promise<void>;
  /** Seeks to a time in seconds. */
  seekTime(seconds: number): Promise<void>;
  /** Whether anything can change between two frames (see FramesmithControl.changesBetween). */
  changesBetween(from: number, to: number): Promise<boolean>;
  /** The viewport as an image. */
  capture(options?: CaptureOptions): Promise<Buffer>;
  /** Number of reloads forced by backward seeks (for diagnostics and benchmarks). */
  readonly reloads: number;
  close(): Promise<void>;
}

/** Opens `url` and waits for the composition to be ready. */
export async function openComposition(browser: Browser, options: OpenCompositionOptions): Promise<CompositionPage> {
  const ownContext = !options.context;
  const context =
    options.context ??
    (await browser.newContext({
      viewport: { width: options.width, height: options.height },
      deviceScaleFactor: options.deviceScaleFactor ?? 1,
      serviceWorkers: 'block',
      reducedMotion: 'no-preference',
    }));
  const page = await context.newPage();
  if (!ownContext) await page.setViewportSize({ width: options.width, height: options.height });
  const allowed = new Set(options.allowOrigins ?? [new URL(options.url).origin]);
  const remote = await routeRemoteRequests(page, (url) => allowed.has(url.origin), options.remote);
  const earlyErrors: string[] = [];
  page.on('pageerror', (e) => earlyErrors.push(e.message));

  let cdp: CDPSession | null = null;
  let transparentBackground = false;
  let reloads = 0;
  const timeout = options.readyTimeoutMs ?? 20_000;

  async function load(kind: 'goto' | 'reload'): Promise<ReadyInfo> {
    try {
      // The page's own timers and animation frames are virtual; wait from Node, not inside it.
      if (kind === 'goto') await page.goto(options.url, { waitUntil: 'domcontentloaded', timeout });
      else await page.reload({ waitUntil: 'domcontentloaded', timeout });
      const hasRuntime = await page.evaluate(() => Boolean((globalThis as unknown as { __framesmith?: unknown }).__framesmith));
      if (!hasRuntime) throw new Error('the framesmith runtime did not load in the page');
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('ready timeout')), timeout);
      });
      try {
        return await Promise.race([
          page.evaluate(() => (globalThis as unknown as { __framesmith: { ready: Promise<ReadyInfo> } }).__framesmith.ready),
          expired,
        ]);
      } finally {
        clearTimeout(timer);
      }
    } catch (error) {
      const detail = earlyErrors.length ? ` Page errors: ${earlyErrors.join('; ')}` : '';
      throw new FramesmithError('page_not_ready', `The composition page did not become ready within ${Math.round(timeout / 1000)} s.${detail}`, {
        hint: 'Check the browser console output of `framesmith dev`, and that scripts do not wait on the network.',
        cause: error,
      });
    }
  }

  let info: ReadyInfo;
  try {
    info = await load('goto');
  } catch (error) {
    await (ownContext ? context.close() : page.close()).catch(() => {});
    throw error;
  }

  const seek = async (method: 'seek' | 'seekTime', value: number): Promise<void> => {
    const run = () =>
      page.evaluate(
        ([m, v]) => (globalThis as unknown as { __framesmith: Record<string, (x: number) => Promise<SeekResult>> }).__framesmith[m](v),
        [method, value] as const,
      );
    let result = await run();
    if (result.reloadRequired) {
      reloads++;
      info = await load('reload');
      result = await run();
    }
  };

  return {
    page,
    get info() {
      return info;
    },
    get blocked() {
      return [...remote.failed.keys(), ...remote.refused];
    },
    remote,
    get reloads() {
      return reloads;
    },
    problems: () => page.evaluate(() => (globalThis as unknown as { __framesmith: { errors(): RuntimeProblem[] } }).__framesmith.errors()),
    seekFrame: (frame) => seek('seek', frame),
    seekTime: (seconds) => seek('seekTime', seconds),
    changesBetween: (from, to) =>
      page.evaluate(
        ([a, b]) => (globalThis as unknown as { __framesmith: { changesBetween(a: number, b: number): boolean } }).__framesmith.changesBetween(a, b),
        [from, to] as const,
      ),
    async capture(capture = { format: 'png' }) {
      cdp ??= await context.newCDPSession(page);
      const transparent = capture.format === 'png' && Boolean(capture.omitBackground);
      if (transparent !== transparentBackground) {
        await cdp.send('Emulation.setDefaultBackgroundColorOverride', transparent ? { color: { r: 0, g: 0, b: 0, a: 0 } } : {});
        transparentBackground = transparent;
      }
      const { data } = (await cdp.send('Page.captureScreenshot', {
        format: capture.format,
        quality: capture.format === 'jpeg' ? (capture.quality ?? 80) : undefined,
        fromSurface: true,
        captureBeyondViewport: false,
      })) as { data: string };
      return Buffer.from(data, 'base64');
    },
    async close() {
      await cdp?.detach().catch(() => {});
      await (ownContext ? context.close() : page.close()).catch(() => {});
    },
  };
}
