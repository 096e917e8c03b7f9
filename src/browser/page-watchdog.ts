/**
 * No wait on a composition page lasts forever. Every step (load, seek, frame, evaluate, capture)
 * runs against a deadline measured in Node, not in the page (whose clock is virtual and whose
 * thread may be stuck). When a deadline passes, the watchdog asks V8 where the page's script is
 * (the debugger is enabled when the page opens, with breakpoints off so `debugger;` statements
 * do nothing; a pause request interrupts even an endless loop), then crashes the page's renderer
 * process: a stuck page never keeps a CPU busy after framesmith gave up on it. The error names
 * the composition, what was being done (the time being sought) and the script position.
 */
import type { CDPSession, Page } from 'playwright-core';
import { FramesmithError } from '../core/errors.js';
import type { SourceLocation } from '../../shared/diagnostics.js';

/** Default deadline of one step (seek, frame, evaluate, capture). */
export const DEFAULT_STEP_TIMEOUT_MS = 15_000;

/** The step deadline: `FRAMESMITH_PAGE_TIMEOUT` (seconds) or 15 s. */
export function stepTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const s = Number(env.FRAMESMITH_PAGE_TIMEOUT);
  return Number.isFinite(s) && s > 0 ? Math.round(s * 1000) : DEFAULT_STEP_TIMEOUT_MS;
}

/**
 * Waits for `work` (closing, detaching) at most `ms`: after a renderer crash, the answers to
 * DevTools messages of its page may never come.
 */
export async function settleWithin(work: Promise<unknown> | undefined, ms = 1000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.resolve(work).catch(() => {}), new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

/** The load deadline: `FRAMESMITH_PAGE_TIMEOUT` when set, else the caller's default. */
export function loadTimeoutMs(fallbackMs: number, env: NodeJS.ProcessEnv = process.env): number {
  return env.FRAMESMITH_PAGE_TIMEOUT ? stepTimeoutMs(env) : fallbackMs;
}

export interface Step {
  what: 'load' | 'seek' | 'frame' | 'evaluate' | 'capture';
  /** Composition time being sought, seconds. */
  time?: number;
  frame?: number;
  /** Overrides the default deadline (loads use the ready timeout). */
  timeoutMs?: number;
  /** The error when the deadline passes while no script runs (default: page_timeout). */
  idleError?: () => FramesmithError;
}

export interface PageWatchdog {
  /** Runs `work` under the step's deadline; past it, the page is stopped and a FramesmithError thrown. */
  run<T>(step: Step, work: () => Promise<T>): Promise<T>;
  dispose(): Promise<void>;
}

/** What a step was doing, for messages: "seeking to 3.000 s". */
export function describeStep(step: Step): string {
  const at = step.time !== undefined ? ` (${step.time.toFixed(3)} s)` : '';
  switch (step.what) {
    case 'load':
      return 'loading';
    case 'seek':
      return step.time !== undefined ? `seeking to ${step.time.toFixed(3)} s` : 'seeking';
    case 'frame':
      return step.frame !== undefined ? `drawing frame ${step.frame}${at}` : `drawing a frame${at}`;
    case 'capture':
      return `capturing the frame${at}`;
    default:
      return `answering framesmith${at}`;
  }
}

interface Position {
  text: string;
  loc?: SourceLocation;
}

/** Where a paused page is: the innermost frame in a project file (not the runtime), else the innermost. */
function positionOf(
  frames: { functionName: string; url: string; location: { lineNumber: number; columnNumber?: number } }[],
  origin: string,
): Position | null {
  if (!frames.length) return null;
  const own = (u: string) => u.startsWith(`${origin}/`) && !u.startsWith(`${origin}/__framesmith/`);
  const frame = frames.find((f) => own(f.url)) ?? frames[0];
  const line = frame.location.lineNumber + 1;
  const column = (frame.location.columnNumber ?? 0) + 1;
  const fn = frame.functionName ? ` in ${frame.functionName}()` : '';
  if (own(frame.url)) {
    let file = frame.url.slice(origin.length + 1).split(/[?#]/)[0];
    try {
      file = decodeURIComponent(file);
    } catch {
      /* as written */
    }
    return { text: `${file}:${line}:${column}${fn}`, loc: { file, line, column } };
  }
  return { text: `${frame.url || 'an evaluated script'}:${line}:${column}${fn}` };
}

/**
 * Watches `page` (call before it navigates, so a script stuck while loading is seen too).
 * `composition` names the page in messages; `origin` maps script URLs to project files.
 */
export async function watchPage(page: Page, composition: string, origin: string): Promise<PageWatchdog> {
  let cdp: CDPSession | null = null;
  let crashedByUs = false;
  let crashed = false;
  const crash = new Promise<void>((resolve) => page.once('crash', () => ((crashed = true), resolve())));
  /** Script URLs by id: paused call frames name their script by id only. */
  const scripts = new Map<string, string>();
  try {
    cdp = await page.context().newCDPSession(page);
    cdp.on('Debugger.scriptParsed', (e: { scriptId: string; url: string }) => {
      if (e.url) scripts.set(e.scriptId, e.url);
    });
    await cdp.send('Debugger.enable');
    // `debugger;` statements and breakpoints must not stop a render; an explicit pause still works.
    await cdp.send('Debugger.setBreakpointsActive', { active: false });
  } catch {
    cdp = null; // without the debugger, a stuck page is still stopped, only without a position
  }

  async function scriptPosition(): Promise<Position | null | 'idle'> {
    if (!cdp) return null;
    const session = cdp;
    type Frame = Parameters<typeof positionOf>[0][number] & { location: { scriptId?: string } };
    const paused = new Promise<{ callFrames: Frame[] }>((resolve) => session.once('Debugger.paused', resolve as never));
    void session.send('Debugger.pause').catch(() => {});
    // A page that runs no script pauses at its next task only: no answer soon means it is idle.
    const event = await Promise.race([paused, new Promise<null>((r) => setTimeout(() => r(null), 1000))]);
    if (!event) return 'idle';
    const frames = event.callFrames.map((f) => ({ ...f, url: f.url || scripts.get(f.location.scriptId ?? '') || '' }));
    return positionOf(frames, origin) ?? null;
  }

  async function stop(step: Step, ms: number): Promise<FramesmithError> {
    const position = crashed ? null : await scriptPosition().catch(() => null);
    crashedByUs = true;
    if (!crashed) {
      // Page.crash is served on the renderer's IO thread: it works while the main thread spins.
      const session =
        cdp ??
        (await page
          .context()
          .newCDPSession(page)
          .catch(() => null));
      // The answer to Page.crash may never come (the renderer is gone): wait for the crash itself.
      void session?.send('Page.crash').catch(() => {});
      await Promise.race([crash, new Promise((r) => setTimeout(r, 1000))]);
    }
    const seconds = +(ms / 1000).toFixed(1);
    if (position === 'idle' && step.idleError) return step.idleError();
    if (position === 'idle') {
      return new FramesmithError(
        'page_timeout',
        `The page of ${composition} did not finish ${describeStep(step)} within ${seconds} s; no script was running, it waited for something that never came. The page was stopped.`,
        {
          hint: 'Check that the page does not wait on the network or on a promise that never settles (fonts, media, fetch); `framesmith dev` shows the page live. FRAMESMITH_PAGE_TIMEOUT (seconds) changes the limit.',
          loc: { file: composition, line: 0, column: 0 },
        },
      );
    }
    const where = position ? ` (at ${position.text})` : '';
    return new FramesmithError(
      'page_stuck',
      `The page of ${composition} was still running a script${where} after ${seconds} s of ${describeStep(step)}; its renderer was stopped.`,
      {
        hint: 'Look for a loop that never ends at that place (`framesmith lint` flags `while (true)` and `for (;;)` loops without an exit), or very heavy work per frame. FRAMESMITH_PAGE_TIMEOUT (seconds) changes the limit.',
        loc: position?.loc ?? { file: composition, line: 0, column: 0 },
      },
    );
  }

  const crashError = (step: Step) =>
    new FramesmithError(
      'page_crashed',
      `Chromium's renderer of ${composition} crashed while ${describeStep(step)} (often: out of memory).`,
      {
        hint: 'Reduce what the page holds in memory (very large images, canvases or DOM trees), then try again; `framesmith dev` shows the page live.',
        loc: { file: composition, line: 0, column: 0 },
      },
    );

  return {
    async run(step, work) {
      if (crashedByUs || crashed) throw crashError(step);
      const ms = step.timeoutMs ?? stepTimeoutMs();
      let timer: NodeJS.Timeout | undefined;
      const STUCK = Symbol('stuck');
      const expired = new Promise<typeof STUCK>((resolve) => {
        timer = setTimeout(() => resolve(STUCK), ms);
      });
      const working = work();
      working.catch(() => {}); // may reject after we gave up (the renderer is gone)
      try {
        const result = await Promise.race([working, expired]);
        if (result === STUCK) throw await stop(step, ms);
        return result as Awaited<ReturnType<typeof work>>;
      } catch (error) {
        if (error instanceof FramesmithError) throw error;
        if (crashed && !crashedByUs) throw crashError(step);
        // The browser went away under the page (killed, out of memory): the user's to know, not a bug.
        if (
          /Target (page, context or browser has been )?closed|Target crashed|Browser has been closed|browser has disconnected/i.test(
            String((error as Error)?.message),
          )
        ) {
          throw new FramesmithError('browser_failed', `Chromium closed while ${describeStep(step)} ${composition}.`, {
            hint: 'Run the command again; if it keeps happening, check the memory available and `framesmith dev` for the page.',
            loc: { file: composition, line: 0, column: 0 },
            cause: error,
          });
        }
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
    async dispose() {
      // After a crash a detach may wait for answers that never come: let it go.
      await settleWithin(cdp?.detach(), crashed ? 0 : 1000);
    },
  };
}
