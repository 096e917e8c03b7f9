/**
 * The deterministic clock. Installed before any page script runs, it replaces every time source a
 * composition can read (Date, performance.now, requestAnimationFrame, timers, Math.random) with
 * ones that follow a virtual time which only seeks move.
 *
 * It follows what HeyGen's renderer (hyperframes 0.8.170) gives a page in render mode where that
 * is deterministic: `Date.now()` and `performance.now()` are the composition time in ms (so
 * `new Date()` is 1970-01-01T00:00:00Z plus the composition time, and 0 while the page loads);
 * animation-frame callbacks run once per frame, after the timelines were sought to that frame,
 * with the frame's time. Where the engine is not deterministic framesmith stays deterministic and
 * the difference is reported by lint: its timers run on real time (here they follow composition
 * time) and its `Math.random` is not seeded (here it is).
 *
 * Model: a forward seek simulates the page as a browser would have run it: timers fire in due
 * order at their due times, and at each frame boundary (at the sampling fps) up to the target the
 * host's `onFrame` moves the timelines there, then the animation-frame callbacks run. So frame N
 * looks the same however it was reached. A script's callbacks can leave effects that no seek can
 * undo; once one has run ("history"), a backward seek reports that the page must be reloaded
 * instead of showing a wrong frame.
 */
import { native } from './native';

/** Virtual time zero is the Unix epoch for `Date` (as in HeyGen's renderer), 0 for `performance.now`. */
export const EPOCH_MS = 0;

interface Timer {
  id: number;
  due: number;
  seq: number;
  fn: () => void;
  interval: number | null;
  depth: number;
}

/** Callback errors go to the page's own error handling (window 'error' listeners, our collector). */
function report(error: unknown): void {
  try {
    native.reportError(error);
  } catch {
    native.consoleError(error);
  }
}

/** Frame times are sums of 1000/fps; compare them with a tolerance far below a frame. */
const EPSILON = 1e-6;

/** At most this many timer callbacks per seek: a `setTimeout(f, 0)` loop must not hang the page. */
const MAX_CALLBACKS_PER_ADVANCE = 100_000;

export class VirtualClock {
  /** Current virtual time in ms since composition time zero. */
  now = 0;
  /** True once a page callback (timer, interval, animation frame) has run. */
  history = false;
  private timers = new Map<number, Timer>();
  private frameCallbacks = new Map<number, FrameRequestCallback>();
  private nextId = 1;
  private seq = 0;
  private lastFrameTime = -1;
  private depth = 0;
  private rng: () => number;
  /** Called when the page sets a timer that loops forever inside one seek. */
  onRunaway: (message: string) => void = () => {};

  constructor(seed: number) {
    this.rng = sfc32(seed);
  }

  /** Replaces the page's time sources. Must run before any page script. */
  install(win: Window & typeof globalThis): void {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- Date must stay a `function` (new.target), so it cannot see `this` as an arrow would.
    const clock = this;
    const NativeDate = native.Date;
    const VDate = function (this: unknown, ...args: unknown[]) {
      if (!new.target) return new NativeDate(EPOCH_MS + clock.now).toString();
      return Reflect.construct(NativeDate, args.length ? args : [EPOCH_MS + clock.now], new.target);
    } as unknown as DateConstructor;
    Object.defineProperties(VDate, {
      prototype: { value: NativeDate.prototype },
      now: { value: () => EPOCH_MS + clock.now, writable: true, configurable: true },
      parse: { value: NativeDate.parse, writable: true, configurable: true },
      UTC: { value: NativeDate.UTC, writable: true, configurable: true },
      name: { value: 'Date' },
    });
    win.Date = VDate;
    Object.defineProperty(win.performance, 'now', { value: () => clock.now, configurable: true, writable: true });
    win.Math.random = () => clock.rng();

    win.setTimeout = ((handler: TimerHandler, delay?: number, ...args: unknown[]) =>
      clock.addTimer(handler, delay, args, false)) as typeof setTimeout;
    win.setInterval = ((handler: TimerHandler, delay?: number, ...args: unknown[]) =>
      clock.addTimer(handler, delay, args, true)) as typeof setInterval;
    win.clearTimeout = win.clearInterval = ((id?: number) => {
      if (id !== undefined) clock.timers.delete(Number(id));
    }) as typeof clearTimeout;
    win.requestAnimationFrame = (cb: FrameRequestCallback) => {
      const id = clock.nextId++;
      clock.frameCallbacks.set(id, cb);
      return id;
    };
    win.cancelAnimationFrame = (id: number) => void clock.frameCallbacks.delete(id);
    if ('requestIdleCallback' in win) {
      win.requestIdleCallback = ((cb: IdleRequestCallback) =>
        clock.addTimer(() => cb({ didTimeout: false, timeRemaining: () => 50 }), 1, [], false)) as typeof requestIdleCallback;
      win.cancelIdleCallback = (id: number) => void clock.timers.delete(id);
    }
  }

  private addTimer(handler: TimerHandler, delay: number | undefined, args: unknown[], repeat: boolean): number {
    const fn = typeof handler === 'function' ? () => (handler as (...a: unknown[]) => void)(...args) : () => (0, eval)(String(handler));
    let ms = Math.max(0, Number(delay) || 0);
    // Browsers clamp deeply nested timers to 4 ms; intervals of 0 would never let time move.
    if (this.depth >= 5) ms = Math.max(ms, 4);
    if (repeat) ms = Math.max(ms, 1);
    const id = this.nextId++;
    this.timers.set(id, { id, due: this.now + ms, seq: this.seq++, fn, interval: repeat ? ms : null, depth: this.depth + 1 });
    return id;
  }

  /** Whether a page callback is waiting: if so, time passing can change the page. */
  get hasPendingFrameCallbacks(): boolean {
    return this.frameCallbacks.size > 0;
  }

  /** Due time of the earliest timer, or Infinity. */
  nextTimerDue(): number {
    let min = Infinity;
    for (const t of this.timers.values()) if (t.due < min) min = t.due;
    return min;
  }

  /**
   * Moves virtual time to `target` ms, running due timers and, at each frame boundary of
   * `frameMs`, the animation-frame callbacks. Returns false (and changes nothing) when the move
   * is backward and the page has history. `everyFrame`: also move through every frame boundary
   * when no animation-frame callback waits (the timelines' own callbacks change the page).
   */
  advanceTo(target: number, frameMs: number, onFrame?: (ms: number) => void, everyFrame = false): boolean {
    if (target < this.now) {
      if (this.history) return false;
      this.now = target;
      this.lastFrameTime = Math.min(this.lastFrameTime, target - frameMs);
      onFrame?.(target);
      return true;
    }
    let budget = MAX_CALLBACKS_PER_ADVANCE;
    for (;;) {
      const nextFrame = this.frameCallbacks.size > 0 || (everyFrame && onFrame) ? this.nextFrameTime(frameMs, target) : Infinity;
      const nextTimer = this.nextTimerDue();
      const step = Math.min(nextFrame, nextTimer);
      if (step > target) break;
      if (--budget < 0) {
        this.onRunaway(`timers kept firing without time moving past ${(this.now / 1000).toFixed(3)} s`);
        break;
      }
      if (nextTimer <= nextFrame) this.runTimer(nextTimer);
      else {
        // As in the engine: the timelines move to the frame while the clock still reads the
        // previous frame's time; then the clock moves and the frame's callbacks run.
        this.now = Math.max(this.now, nextFrame - frameMs);
        onFrame?.(nextFrame);
        if (this.frameCallbacks.size > 0) this.runFrame(nextFrame);
        else {
          this.now = Math.max(this.now, nextFrame);
          this.lastFrameTime = nextFrame;
        }
      }
    }
    this.now = Math.max(this.now, target - frameMs);
    onFrame?.(target);
    this.now = target;
    // The target itself is a frame: callbacks requested before it see it, once.
    if (this.frameCallbacks.size > 0 && target > this.lastFrameTime + EPSILON) this.runFrame(target);
    return true;
  }

  /**
   * While the page loads, HeyGen's renderer runs timers on real time and keeps `Date.now()` at 0,
   * so a timeline a script registers from a timer is there before the first frame. Here: runs the
   * earliest pending timer now, without moving time (deterministic where the engine is not).
   * Returns false when no timer is pending.
   */
  runNextTimerEarly(): boolean {
    const due = this.nextTimerDue();
    if (!Number.isFinite(due)) return false;
    let first: Timer | null = null;
    for (const t of this.timers.values()) if (t.due === due && (!first || t.seq < first.seq)) first = t;
    if (!first) return false;
    if (first.interval === null) this.timers.delete(first.id);
    else {
      first.due = due + first.interval;
      first.seq = this.seq++;
    }
    const saved = this.depth;
    this.depth = first.depth;
    try {
      first.fn();
    } catch (e) {
      report(e);
    } finally {
      this.depth = saved;
    }
    return true;
  }

  /** The next frame boundary after the last frame run (or now), capped at target. */
  private nextFrameTime(frameMs: number, target: number): number {
    const from = Math.max(this.now, this.lastFrameTime);
    const next = (Math.floor(from / frameMs + 1e-9) + 1) * frameMs;
    return next >= target - EPSILON ? Infinity : next;
  }

  private runTimer(due: number): void {
    let first: Timer | null = null;
    for (const t of this.timers.values()) {
      if (t.due === due && (!first || t.seq < first.seq)) first = t;
    }
    if (!first) return;
    this.now = Math.max(this.now, due);
    if (first.interval === null) this.timers.delete(first.id);
    else {
      first.due = due + first.interval;
      first.seq = this.seq++;
    }
    this.history = true;
    const saved = this.depth;
    this.depth = first.depth;
    try {
      first.fn();
    } catch (e) {
      report(e);
    } finally {
      this.depth = saved;
    }
  }

  private runFrame(time: number): void {
    this.now = Math.max(this.now, time);
    this.lastFrameTime = time;
    const batch = [...this.frameCallbacks.values()];
    this.frameCallbacks.clear();
    this.history = true;
    for (const cb of batch) {
      try {
        cb(time);
      } catch (e) {
        report(e);
      }
    }
  }
}

/** Small, fast, seedable PRNG (sfc32); the page's `Math.random`. */
function sfc32(seed: number): () => number {
  let a = 0x9e3779b9,
    b = 0x243f6a88,
    c = 0xb7e15162,
    d = seed >>> 0;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}
