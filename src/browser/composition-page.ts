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
import type { ReadyInfo, RuntimeProblem, SeekResult } from '../../shared/control.js';
import { routeRemoteRequests, type RemoteRequestLog } from '../remote/page-routing.js';
import type { RemoteResolver } from '../remote/resolver.js';
import { networkAttempts, newIsolatedContext } from './page-isolation.js';
import { loadTimeoutMs, settleWithin, watchPage, type Step } from './page-watchdog.js';

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
  /** Reuse a context (one per worker, made by newIsolatedContext); default: a fresh one, closed with the page. */
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
  /**
   * Everything the page could not reach: remote URLs that could not be had or were refused
   * (src/remote/page-routing.ts) and the connections the isolation cut off (`cutOff`).
   */
  readonly blocked: string[];
  /** Connections cut off by the isolation (WebSockets, WebRTC servers, anything through the proxy: page-isolation.ts) and requests that would send something (POST…). */
  readonly cutOff: string[];
  /** Every remote request: loaded (from where) and failed (why). */
  readonly remote: RemoteRequestLog;
  /** Runs `work` (a call into the page) under a deadline; past it the page is stopped (page-watchdog.ts). */
  guard<T>(step: Step, work: () => Promise<T>): Promise<T>;
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
  const allowed = new Set(options.allowOrigins ?? [new URL(options.url).origin]);
  const context =
    options.context ??
    (await newIsolatedContext(browser, [...allowed], {
      viewport: { width: options.width, height: options.height },
      deviceScaleFactor: options.deviceScaleFactor ?? 1,
      reducedMotion: 'no-preference',
    }));
  // Every other channel (WebSocket, WebRTC, anything through the proxy) is cut off by page-isolation.ts and listed here.
  const cutOff = networkAttempts(context);
  const page = await context.newPage();
  if (!ownContext) await page.setViewportSize({ width: options.width, height: options.height });
  // HTTP(S) to other origins is answered by Node (cache, network, npm registry); never by the page itself.
  const remote = await routeRemoteRequests(page, (url) => allowed.has(url.origin), options.remote);
  const earlyErrors: string[] = [];
  page.on('pageerror', (e) => earlyErrors.push(e.message));

  let cdp: CDPSession | null = null;
  let transparentBackground = false;
  let reloads = 0;
  const timeout = loadTimeoutMs(options.readyTimeoutMs ?? 20_000);

  // Every wait below has a deadline measured here, and a stuck page is stopped (page-watchdog.ts).
  const composition = decodeURIComponent(new URL(options.url).pathname.replace(/^\/+/, '')) || 'index.html';
  const watchdog = await watchPage(page, composition, new URL(options.url).origin);

  const notReady = (error?: unknown) => {
    const detail = earlyErrors.length ? ` Page errors: ${earlyErrors.join('; ')}` : '';
    return new FramesmithError(
      'page_not_ready',
      `The composition page did not become ready within ${Math.round(timeout / 1000)} s.${detail}`,
      {
        hint: 'Check the browser console output of `framesmith dev`, and that scripts do not wait on the network.',
        cause: error,
      },
    );
  };

  async function load(kind: 'goto' | 'reload'): Promise<ReadyInfo> {
    try {
      return await watchdog.run({ what: 'load', timeoutMs: timeout, idleError: () => notReady() }, async () => {
        // The page's own timers and animation frames are virtual; the deadline is the watchdog's, in Node.
        if (kind === 'goto') await page.goto(options.url, { waitUntil: 'domcontentloaded', timeout: 0 });
        else await page.reload({ waitUntil: 'domcontentloaded', timeout: 0 });
        const hasRuntime = await page.evaluate(() => Boolean((globalThis as unknown as { __framesmith?: unknown }).__framesmith));
        if (!hasRuntime) throw new Error('the framesmith runtime did not load in the page');
        return page.evaluate(() => (globalThis as unknown as { __framesmith: { ready: Promise<ReadyInfo> } }).__framesmith.ready);
      });
    } catch (error) {
      if (error instanceof FramesmithError) throw error;
      throw notReady(error);
    }
  }

  let info: ReadyInfo;
  try {
    info = await load('goto');
  } catch (error) {
    await watchdog.dispose();
    await (ownContext ? context.close() : page.close()).catch(() => {});
    throw error;
  }

  const seek = async (method: 'seek' | 'seekTime', value: number): Promise<void> => {
    const step = { what: 'seek', time: method === 'seekTime' ? value : value / info.fps } as const;
    const run = () =>
      watchdog.run(step, () =>
        page.evaluate(
          ([m, v]) => (globalThis as unknown as { __framesmith: Record<string, (x: number) => Promise<SeekResult>> }).__framesmith[m](v),
          [method, value] as const,
        ),
      );
    const result = await run();
    if (result.reloadRequired) {
      reloads++;
      info = await load('reload');
      await run();
    }
  };

  return {
    page,
    get info() {
      return info;
    },
    get blocked() {
      return [...new Set([...remote.failed.keys(), ...remote.refused, ...remote.sent, ...cutOff])];
    },
    get cutOff() {
      return [...new Set([...remote.sent, ...cutOff])];
    },
    remote,
    get reloads() {
      return reloads;
    },
    guard: (step, work) => watchdog.run(step, work),
    problems: () =>
      watchdog.run({ what: 'evaluate' }, () =>
        page.evaluate(() => (globalThis as unknown as { __framesmith: { errors(): RuntimeProblem[] } }).__framesmith.errors()),
      ),
    seekFrame: (frame) => seek('seek', frame),
    seekTime: (seconds) => seek('seekTime', seconds),
    changesBetween: (from, to) =>
      watchdog.run({ what: 'evaluate' }, () =>
        page.evaluate(
          ([a, b]) =>
            (globalThis as unknown as { __framesmith: { changesBetween(a: number, b: number): boolean } }).__framesmith.changesBetween(
              a,
              b,
            ),
          [from, to] as const,
        ),
      ),
    capture: (capture = { format: 'png' }) => watchdog.run({ what: 'capture' }, () => captureNow(capture)),
    async close() {
      await watchdog.dispose();
      await settleWithin(cdp?.detach());
      await (ownContext ? context.close() : page.close()).catch(() => {});
    },
  };

  async function captureNow(capture: CaptureOptions): Promise<Buffer> {
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
  }
}
