/**
 * The composition iframe and everything done to it: loading a document (double-buffered: the
 * new iframe loads and seeks under the old one, then replaces it, so a hot reload never flashes
 * white), seeking (one seek at a time; while one runs, only the newest request is kept, so
 * scrubbing and playback drop frames instead of queueing them), swapping stylesheets in place,
 * and collecting the page's runtime problems. The document is the user's page plus the runtime:
 * nothing of the UI is put into it. The runtime is booted with paint 'none' and every seek here
 * waits for this page's next paint instead (the iframe paints in the same frame): the same
 * seek-to-painted rule, without paints of the hidden iframe while a reload prepares.
 */
import type { FramesmithControl, ReadyInfo, RuntimeProblem } from '../shared/control';
import type { LiveDescription } from '../shared/live';
import { nextPaint } from './paint';
import { linksFor, swapLink } from './style-swap';

type FsWindow = Window & { __framesmith?: FramesmithControl };

export interface PreviewEvents {
  /** A new document is on screen at `frame`. */
  loaded(info: ReadyInfo, win: Window): void;
  /** The current document's runtime problems (the full list, each time it grows). */
  problems(list: RuntimeProblem[]): void;
  /** A frame is on screen. */
  painted(frame: number): void;
  /** What runs in the new document (for the timeline and the sound); null when it cannot say. */
  described(live: LiveDescription | null): void;
  /** A seek was asked for (the page is busy: background work waits). */
  seeking(): void;
}

export interface LoadOptions {
  /** When frame `frame` draws nothing, show the first frame that does instead (first open). */
  firstDrawn?: boolean;
}

/** Longest the first open spends looking for a frame with something drawn. */
const FIRST_DRAWN_BUDGET_MS = 1000;

const READY_TIMEOUT_MS = 20_000;

export class Preview {
  private active: HTMLIFrameElement | null = null;
  private control: FramesmithControl | null = null;
  private loadToken = 0;
  private wanted = 0;
  private pending: number | null = null;
  private draining: Promise<void> | null = null;
  private src = '';
  info: ReadyInfo | null = null;
  shown = -1;
  /** When the steps of the last completed load happened (performance.now()), for benchmarks. */
  lastLoad: Record<string, number> = {};

  constructor(
    private readonly holder: HTMLElement,
    private readonly events: PreviewEvents,
  ) {}

  get window(): Window | null {
    return this.active?.contentWindow ?? null;
  }

  get document(): Document | null {
    return this.active?.contentDocument ?? null;
  }

  get url(): string {
    return this.src;
  }

  /** Loads `src` and shows `frame` once it is painted. A newer load makes this one give up (false). */
  async load(src: string, frame: number, options: LoadOptions = {}): Promise<boolean> {
    const token = ++this.loadToken;
    const marks: Record<string, number> = { start: performance.now() };
    this.src = src;
    this.wanted = frame;
    const frameEl = document.createElement('iframe');
    frameEl.className = 'composition';
    frameEl.title = 'Composition preview';
    // Loads under the current iframe; becomes visible when it is ready at the right frame.
    frameEl.style.opacity = '0';
    const problems: RuntimeProblem[] = [];
    try {
      const loaded = new Promise<void>((resolve) => frameEl.addEventListener('load', () => resolve(), { once: true }));
      frameEl.src = src;
      this.holder.prepend(frameEl);
      await loaded;
      marks.loaded = performance.now();
      if (token !== this.loadToken) return (frameEl.remove(), false);
      const win = frameEl.contentWindow as FsWindow | null;
      const control = win?.__framesmith;
      if (!win || !control) {
        problems.push({
          kind: 'page-error',
          code: 'preview_not_loaded',
          message: `The preview could not load ${decodeURIComponent(new URL(src, location.href).pathname.slice(1))}: the page has no framesmith runtime.`,
          hint: 'Check that the file exists and is an HTML page; the terminal running framesmith dev shows server errors.',
        });
        this.show(frameEl, null, null);
        this.events.problems(problems);
        this.events.described(null);
        return true;
      }
      const info = await withTimeout(control.ready, READY_TIMEOUT_MS);
      marks.ready = performance.now();
      if (token !== this.loadToken) return (frameEl.remove(), false);
      problems.push(...control.errors());
      control.onError((p) => {
        if (frameEl !== this.active) return;
        problems.push(p);
        this.events.problems([...problems]);
      });
      let target = this.clamp(this.wanted, info);
      let result = await control.seek(target);
      if (token !== this.loadToken) return (frameEl.remove(), false);
      if (result.reloadRequired) {
        // A fresh page only moves forward from frame 0; it cannot need a reload here.
        target = 0;
        result = await control.seek(0);
      }
      if (options.firstDrawn && target === 0) {
        target = await this.firstDrawnFrame(control, info);
        if (token !== this.loadToken) return (frameEl.remove(), false);
        this.wanted = target;
      }
      marks.seeked = performance.now();
      this.show(frameEl, control, info);
      await nextPaint();
      marks.painted = performance.now();
      this.lastLoad = marks;
      this.shown = target;
      this.events.loaded(info, frameEl.contentWindow!);
      this.events.problems([...problems]);
      let live: LiveDescription | null = null;
      try {
        live = control.describe?.() ?? null;
      } catch (error) {
        console.warn('framesmith dev: could not describe the composition', error);
      }
      this.events.described(live);
      this.events.painted(target);
      if (this.wanted !== target) void this.seek(this.wanted);
      return true;
    } catch (error) {
      if (token !== this.loadToken) return (frameEl.remove(), false);
      problems.push({
        kind: 'page-error',
        code: 'preview_not_ready',
        message: `The composition did not become ready: ${(error as Error).message}`,
        hint: 'Look for an endless loop or a script waiting on the network.',
      });
      this.show(frameEl, null, null);
      this.events.problems(problems);
      this.events.described(null);
      return true;
    }
  }

  /**
   * The first frame that draws something (frame 0 of many compositions is an empty rectangle:
   * everything fades in). Looks ahead in steps of a tenth of a second, then back to the exact
   * frame, within a time budget; the page is still hidden meanwhile.
   */
  private async firstDrawnFrame(control: FramesmithControl, info: ReadyInfo): Promise<number> {
    if (typeof control.drawsSomething !== 'function' || control.drawsSomething()) return 0;
    const started = performance.now();
    const last = Math.max(0, info.frameCount - 1);
    const step = Math.max(1, Math.round(info.fps / 10));
    let found = -1;
    let prev = 0;
    for (let f = step; f <= last && performance.now() - started < FIRST_DRAWN_BUDGET_MS; f += step) {
      const r = await control.seek(f);
      if (r.reloadRequired) break;
      if (control.drawsSomething()) {
        found = f;
        break;
      }
      prev = f;
    }
    if (found < 0) {
      await control.seek(0);
      return 0;
    }
    // Back to the exact first frame (a page whose timers ran cannot go back: keep the coarse one).
    let lo = prev;
    let hi = found;
    while (hi - lo > 1 && performance.now() - started < FIRST_DRAWN_BUDGET_MS * 1.5) {
      const mid = (lo + hi) >> 1;
      const r = await control.seek(mid);
      if (r.reloadRequired) break;
      if (control.drawsSomething()) hi = mid;
      else lo = mid;
    }
    const r = await control.seek(hi);
    return r.reloadRequired ? found : hi;
  }

  /** Loads the current document again (same URL) at `frame`. */
  reload(frame = this.wanted): Promise<boolean> {
    return this.load(this.src, frame);
  }

  private show(frameEl: HTMLIFrameElement, control: FramesmithControl | null, info: ReadyInfo | null): void {
    frameEl.style.opacity = '';
    for (const old of [...this.holder.querySelectorAll('iframe.composition')]) if (old !== frameEl) old.remove();
    this.active = frameEl;
    this.control = control;
    this.info = info;
  }

  private clamp(frame: number, info: ReadyInfo | null = this.info): number {
    const last = Math.max(0, (info?.frameCount ?? 1) - 1);
    return Math.max(0, Math.min(last, Math.round(frame)));
  }

  /**
   * Shows `frame`. Resolves when the newest requested frame is painted; requests made while a
   * seek runs replace each other, so only the last one is drawn.
   */
  seek(frame: number): Promise<void> {
    this.events.seeking();
    this.wanted = frame;
    this.pending = frame;
    this.draining ??= this.drain().finally(() => (this.draining = null));
    return this.draining;
  }

  private async drain(): Promise<void> {
    while (this.pending !== null) {
      const control = this.control;
      const frame = this.clamp(this.pending);
      this.pending = null;
      if (!control) return;
      const result = await control.seek(frame);
      if (result.reloadRequired) {
        // The page's own timers ran: only a fresh document can go back in time.
        await this.reload(frame);
        continue;
      }
      if (control !== this.control) continue;
      await nextPaint();
      this.shown = frame;
      this.events.painted(frame);
    }
  }

  /**
   * Re-fetches the stylesheets `files` (project-relative) in place, without reloading the
   * document. False when one of them is not a <link> of the document (loaded by a
   * sub-composition, an @import or a module): the caller reloads instead.
   */
  /** The live timelines as they are now (scripts may add tweens while the composition plays). */
  describe(): LiveDescription | null {
    try {
      return this.control?.describe?.() ?? null;
    } catch {
      return null;
    }
  }

  async swapStyles(files: string[]): Promise<boolean> {
    const doc = this.document;
    if (!doc || !this.control) return false;
    const links = linksFor(doc, files);
    if (!links) return false;
    const marks: Record<string, number> = { start: performance.now() };
    await Promise.all(links.map((link) => swapLink(link, Date.now())));
    marks.loaded = performance.now();
    await doc.fonts.ready;
    marks.fonts = performance.now();
    await nextPaint();
    marks.painted = performance.now();
    this.lastLoad = marks;
    this.events.painted(this.shown);
    return true;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}
