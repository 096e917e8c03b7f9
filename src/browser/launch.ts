/**
 * Starts the headless Chromium that snapshot, render and the build check drive through
 * playwright-core. Flags keep it offline-quiet (no background networking, which this kind of
 * machine refuses) and its pixels reproducible (fixed colour profile, no LCD text, no GPU).
 */
import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
import { FramesmithError } from '../core/errors.js';
import { findBrowser, type FoundBrowser } from './find-browser.js';
import { ISOLATION_FLAGS } from './page-isolation.js';
import { onInterrupt, signalsHandled } from '../core/interrupt.js';

/**
 * playwright-core, loaded with require: an ESM import of its CommonJS bundles has Node scan them
 * for named exports first (about 200 ms of CPU on every command that starts a browser, measured
 * with --cpu-prof; a render's fixed start-up cost). Loaded on the first launch only.
 */
let playwright: typeof import('playwright-core') | null = null;
function chromium(): typeof import('playwright-core').chromium {
  playwright ??= createRequire(import.meta.url)('playwright-core') as typeof import('playwright-core');
  return playwright.chromium;
}

/** Flags for every launch; determinism first, then quiet offline behaviour. */
export const CHROMIUM_FLAGS = [
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-breakpad',
  '--disable-crash-reporter',
  '--metrics-recording-only',
  '--disable-domain-reliability',
  '--mute-audio',
  '--hide-scrollbars',
  '--disable-gpu',
  '--force-color-profile=srgb',
  '--disable-lcd-text',
  '--font-render-hinting=none',
  '--disable-features=Translate,MediaRouter,OptimizationHints,CalculateNativeWinOcclusion,BackForwardCache,AutofillServerCommunication',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  // Frames as soon as there is something to draw, not at 60 Hz: a seek is painted in a few ms.
  '--disable-frame-rate-limit',
  '--disable-gpu-vsync',
  '--disable-backgrounding-occluded-windows',
];

export interface LaunchOptions {
  /** A browser found earlier; default: findBrowser(). */
  browser?: FoundBrowser;
  /** Extra Chromium flags (e.g. BeginFrame control for capture). */
  extraArgs?: string[];
  /**
   * Flags of CHROMIUM_FLAGS to leave out. BeginFrame capture drops the unthrottled-frame flags:
   * with them an externally driven compositor spins at full CPU while idle.
   */
  omitArgs?: string[];
  /**
   * Let playwright close the browser and exit the process on Ctrl+C (default: true, except under
   * the CLI, whose interrupt handling closes every launched browser). Callers that clean up
   * themselves on SIGINT (render removes its partial files) pass false.
   */
  handleSignals?: boolean;
}

export interface LaunchedBrowser {
  browser: Browser;
  found: FoundBrowser;
  close(): Promise<void>;
}

/** Launches Chromium headless with framesmith's flags. */
export async function launchBrowser(options: LaunchOptions = {}): Promise<LaunchedBrowser> {
  const found = options.browser ?? findBrowser();
  const omit = new Set(options.omitArgs ?? []);
  const args = [...CHROMIUM_FLAGS.filter((f) => !omit.has(f)), ...ISOLATION_FLAGS, ...(options.extraArgs ?? [])];
  // Under the CLI, core/interrupt.ts owns Ctrl+C and closes the browsers itself.
  const handleSignals = options.handleSignals ?? !signalsHandled();
  // Root cannot use Chromium's sandbox; a normal user keeps it.
  const noSandbox = typeof process.getuid === 'function' && process.getuid() === 0;
  let browser: Browser;
  try {
    browser = await chromium().launch({
      executablePath: found.path,
      headless: true,
      args,
      chromiumSandbox: !noSandbox,
      timeout: 30_000,
      handleSIGINT: handleSignals,
      handleSIGTERM: handleSignals,
      handleSIGHUP: handleSignals,
    });
  } catch (error) {
    throw new FramesmithError('browser_launch_failed', `Could not start ${found.path}: ${(error as Error).message.split('\n')[0]}`, {
      hint: 'Check that the browser runs (`' + found.path + ' --version`), or point FRAMESMITH_BROWSER to another Chromium.',
      cause: error,
    });
  }
  const close = async () => {
    stopClosingOnInterrupt();
    await browser.close().catch(() => {});
  };
  // On Ctrl+C every wait on this browser ends at once (the command then unwinds and cleans up).
  const stopClosingOnInterrupt = onInterrupt(() => void browser.close().catch(() => {}));
  return { browser, found, close };
}
