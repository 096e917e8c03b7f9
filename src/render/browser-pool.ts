/**
 * The browsers a render captures with: one Chromium per worker (two pages of one BeginFrame
 * browser make its compositor fail with "overlapping IssueExternalBeginFrame"). With
 * chromium-headless-shell the browsers run under BeginFrame control: the renderer draws a frame
 * only when asked and hands back its pixels in the same call, the fastest path. Other Chromiums
 * capture with Page.captureScreenshot. A batch reuses one pool for all rows.
 */
import { findBrowser, type FoundBrowser } from '../browser/find-browser.js';
import { launchBrowser, type LaunchedBrowser } from '../browser/launch.js';
import type { CaptureMode } from './options.js';

/** Flags for BeginFrame capture (what `--deterministic-mode` implies, spelled out). */
const BEGIN_FRAME_FLAGS = [
  '--enable-begin-frame-control',
  '--run-all-compositor-stages-before-draw',
  '--disable-new-content-rendering-timeout',
  '--disable-threaded-animation',
  '--disable-threaded-scrolling',
  '--disable-checker-imaging',
  '--disable-image-animation-resync',
];

/**
 * Fewer processes per capture browser, for memory: the network service runs inside the browser
 * process (the page loads from a local server only). Chromium reads only the last
 * --enable-features, so playwright's own two are repeated here. (`--in-process-gpu` would save
 * another process but makes <video> frames arrive nondeterministically.)
 */
const LEAN_FLAGS = ['--enable-features=NetworkServiceInProcess2,CDPScreenshotNewSurface,SkipListAccountsWithoutGaiaCookies'];

/** Without the sandbox (root) the zygote processes have nothing to do; Chromium allows dropping them only then. */
const runsWithoutSandbox = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Under BeginFrame control these make the compositor spin at full CPU while idle. */
const UNTHROTTLED_FLAGS = ['--disable-frame-rate-limit', '--disable-gpu-vsync'];

export interface BrowserPool {
  readonly mode: CaptureMode;
  /** Device pixels per CSS pixel the browsers draw at. */
  readonly scale: number;
  readonly browsers: LaunchedBrowser[];
  readonly found: FoundBrowser;
  /** Launches more browsers until there are `n`. */
  grow(n: number): Promise<void>;
  close(): Promise<void>;
}

export interface BrowserPoolOptions {
  workers: number;
  /** 2 for 4k. */
  scale?: number;
  /** Default: BeginFrame on chromium-headless-shell, screenshots elsewhere. */
  mode?: CaptureMode;
  browser?: FoundBrowser;
}

/** The capture mode a browser supports best. */
export function captureModeFor(found: FoundBrowser): CaptureMode {
  return found.kind === 'headless-shell' ? 'beginframe' : 'screenshot';
}

/** Launches the pool's browsers in parallel. */
export async function createBrowserPool(options: BrowserPoolOptions): Promise<BrowserPool> {
  const found = options.browser ?? findBrowser();
  const mode = options.mode ?? captureModeFor(found);
  const scale = options.scale ?? 1;
  const extraArgs = mode === 'beginframe' ? [...BEGIN_FRAME_FLAGS, ...LEAN_FLAGS] : [...LEAN_FLAGS];
  if (runsWithoutSandbox()) extraArgs.push('--no-zygote');
  // Screenshots ignore the page's emulated scale; the browser-wide one applies.
  if (scale !== 1) extraArgs.push(`--force-device-scale-factor=${scale}`);
  const launch = () =>
    launchBrowser({ browser: found, extraArgs, omitArgs: mode === 'beginframe' ? UNTHROTTLED_FLAGS : [], handleSignals: false });
  const browsers: LaunchedBrowser[] = [];
  let closed = false;
  let growing: Promise<void> = Promise.resolve();
  const pool: BrowserPool = {
    mode,
    scale,
    browsers,
    found,
    grow(n) {
      // One grow at a time, so an early grow (started while the project is read) and the job's
      // own call launch the missing browsers once.
      const run = growing.then(async () => {
        const started = await Promise.allSettled(Array.from({ length: Math.max(0, n - browsers.length) }, launch));
        for (const s of started) if (s.status === 'fulfilled') browsers.push(s.value);
        const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
        if (failed) throw failed.reason;
        if (closed) await pool.close();
      });
      growing = run.catch(() => {});
      return run;
    },
    async close() {
      closed = true;
      await Promise.all(browsers.splice(0).map((b) => b.close()));
    },
  };
  try {
    await pool.grow(options.workers);
  } catch (error) {
    await pool.close();
    throw error;
  }
  return pool;
}
