/**
 * The build's check in a real Chromium: the built output is served from 127.0.0.1 with the
 * runtime injected (as the cloud injects its own), loaded with HeyGen's render-mode semantics,
 * and sought to its first, middle and last frame. What HeyGen's renderer would refuse fails the
 * build with the cause and location: a composition whose timeline never registers because a
 * script threw or failed to load, a video or audio it cannot read, a sub-composition file it
 * cannot use. What it renders through (other script errors, missing images or styles, files of
 * the bundle that 404, frames that are one flat colour at every sampled time) is returned as
 * warnings. Remote files come through framesmith's cache (src/remote/); those that cannot be had
 * are warnings (the cloud has a network), worded by the one rule table.
 */
import type { BrowserContext, CDPSession } from 'playwright-core';
import { PNG } from 'pngjs';
import { openComposition, type CompositionPage } from '../browser/composition-page.js';
import { launchBrowser, type LaunchedBrowser } from '../browser/launch.js';
import { newIsolatedContext } from '../browser/page-isolation.js';
import { FramesmithError } from '../core/errors.js';
import { startStaticServer } from '../serve/static-server.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import { cutOffWarning, isFatal, pageWarnings, problemsToError } from '../snapshot/page-problems.js';
import { remoteDiagnostics, summarizeRemote, type RemoteSummary } from '../remote/report.js';

export interface BrowserCheckOptions {
  /** Folder holding the built output (what goes into the zip). */
  dir: string;
  /** Entry HTML, relative to `dir`. */
  entry: string;
  width: number;
  height: number;
  fps: number;
  /** A browser to reuse (tests, benchmarks); closed by the caller. */
  browser?: LaunchedBrowser;
  /** Real-time limit for the page to report ready. Default 10 s. */
  readyTimeoutMs?: number;
}

export interface SampledFrame {
  frame: number;
  time: number;
  /** True when the frame is a single flat colour. */
  blank: boolean;
}

export interface BrowserCheckResult {
  frames: SampledFrame[];
  /** Remote URLs that could not be loaded, and connections the isolation cut off (WebSockets, WebRTC…). */
  blocked: string[];
  /** The page's remote files (loaded from where, failed why). */
  remote: RemoteSummary;
  /** Remote files that could not be had, as warnings, one per URL. */
  warnings: Diagnostic[];
  ms: number;
}

/** Largest side of the thumbnail used for the blank-frame test. */
const THUMB = 96;

/** Runs the check; throws a FramesmithError describing the first problem. */
export async function checkInBrowser(options: BrowserCheckOptions): Promise<BrowserCheckResult> {
  const started = performance.now();
  const server = await startStaticServer({ root: options.dir, boot: { fps: options.fps } });
  const launched = options.browser ?? (await launchBrowser());
  let context: BrowserContext | null = null;
  let page: CompositionPage | null = null;
  try {
    context = await newIsolatedContext(launched.browser, [server.origin], {
      viewport: { width: options.width, height: options.height },
      deviceScaleFactor: 1,
    });
    const failed: { url: string; status: number }[] = [];
    context.on('response', (res) => {
      if (res.status() >= 400 && res.url().startsWith(server.origin)) failed.push({ url: res.url(), status: res.status() });
    });
    const url = server.url(options.entry);
    page = await openComposition(launched.browser, {
      url,
      width: options.width,
      height: options.height,
      context,
      readyTimeoutMs: options.readyTimeoutMs ?? 10_000,
    });
    const opened = page;
    const frameTotal = Math.max(1, opened.info.frameCount);
    const sampled = [...new Set([0, Math.floor((frameTotal - 1) / 2), frameTotal - 1])];
    // Only what HeyGen's renderer would refuse fails the build; the rest become warnings.
    const fail = async (time?: number) => {
      const problems = (await opened.problems()).filter(isFatal);
      if (problems.length) throw withBlockedHint(problemsToError(problems, options.entry, time), [...opened.remote.failed.keys()]);
      // A project file that does not exist stops the build on purpose (HeyGen would render
      // without it: a broken video the user pays for; see REFUSED_BY_FRAMESMITH).
      const missing = failed.filter((f) => !f.url.endsWith('/favicon.ico'));
      if (missing.length) throw missingFileError(missing, server.origin, options.entry);
    };
    await fail();
    const cdp = await context.newCDPSession(opened.page);
    const frames: SampledFrame[] = [];
    for (const frame of sampled) {
      const time = frame / opened.info.fps;
      await opened.seekFrame(frame);
      await fail(time);
      frames.push({
        frame,
        time,
        blank: await opened.guard({ what: 'capture', frame, time }, () => isFlat(cdp, options.width, options.height)),
      });
    }
    await cdp.detach().catch(() => {});
    const remote = summarizeRemote([opened.remote]);
    const cutOff = [...new Set(opened.cutOff)];
    const warnings = [
      ...remoteDiagnostics(remote).filter((d) => d.severity !== 'info'),
      ...cutOff.map(cutOffWarning),
      ...(await pageWarnings(opened)),
    ];
    if (frames.every((f) => f.blank)) {
      // HeyGen renders it all the same: a warning, not a refusal.
      const times = frames.map((f) => `${f.time.toFixed(2)} s`).join(', ');
      warnings.push({
        code: 'blank_frames',
        severity: 'warning',
        message: `Every sampled frame (${times}) of ${options.entry} is one flat colour: nothing is drawn.`,
        hint: 'Check that the root holds visible content at those times (clip windows, opacity, colours) and that its styles load; preview it with `framesmith dev`.',
        loc: { file: options.entry, line: 0, column: 0 },
      });
    }
    return { frames, blocked: [...remote.failed.map((f) => f.url), ...cutOff], remote, warnings, ms: performance.now() - started };
  } finally {
    await page?.close().catch(() => {});
    await context?.close().catch(() => {});
    if (!options.browser) await launched.close();
    await server.close();
  }
}

/** When remote files could not be had, the error may come from them (e.g. GSAP from a CDN): say so. */
function withBlockedHint(error: FramesmithError, blocked: string[]): FramesmithError {
  const urls = [...new Set(blocked)];
  if (!urls.length) return error;
  const shown = urls.slice(0, 3).join(', ') + (urls.length > 3 ? ` and ${urls.length - 3} more` : '');
  return FramesmithError.passOn(error.code, error.message, {
    hint: `framesmith could not load ${shown}; if the error comes from that, run \`framesmith vendor\` once online to copy it into the project. ${error.hint ?? ''}`.trim(),
    loc: error.loc,
    details: error.details,
  });
}

function missingFileError(missing: { url: string; status: number }[], origin: string, entry: string): FramesmithError {
  const names = missing.map((m) => `${decodeURIComponent(m.url.slice(origin.length + 1).split('?')[0])} (${m.status})`);
  return new FramesmithError('bundle_file_missing', `${entry} requests ${names.join(', ')}, which the bundle does not serve.`, {
    hint: 'Add the file to the project with exactly this name (names are case-sensitive), or fix the path; files in .framesmithignore, dot folders and node_modules are left out of the bundle.',
    loc: { file: entry, line: 0, column: 0 },
  });
}

/** Captures a small thumbnail and tells whether every pixel has (nearly) the same colour. */
async function isFlat(cdp: CDPSession, width: number, height: number): Promise<boolean> {
  const scale = Math.min(1, THUMB / Math.max(width, height));
  const { data } = (await cdp.send('Page.captureScreenshot', {
    format: 'png',
    clip: { x: 0, y: 0, width, height, scale },
    fromSurface: true,
  })) as { data: string };
  const png = PNG.sync.read(Buffer.from(data, 'base64'));
  const px = png.data;
  for (let i = 4; i < px.length; i += 4) {
    if (Math.abs(px[i] - px[0]) > 2 || Math.abs(px[i + 1] - px[1]) > 2 || Math.abs(px[i + 2] - px[2]) > 2) return false;
  }
  return true;
}
