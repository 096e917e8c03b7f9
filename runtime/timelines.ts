/**
 * GSAP: the timeline registry (`window.__timelines`) and GSAP's own clock.
 * Registered timelines are paused and seeked to the composition time (children at their host's
 * offset). GSAP's root is driven by the virtual time too (its ticker no longer runs on animation
 * frames), so tweens that were not put in a registered timeline still land on the same frame
 * every time instead of drifting with real time.
 */

interface GsapAnimation {
  totalTime(): number;
  totalTime(t: number, suppressEvents?: boolean): unknown;
  totalDuration(): number;
  pause(): unknown;
  paused(): boolean;
  getChildren?(nested?: boolean, tweens?: boolean, timelines?: boolean): GsapAnimation[];
  startTime(): number;
  timeScale(): number;
  parent?: GsapAnimation | null;
  eventCallback?(type: string): unknown;
  repeat?(): number;
  vars?: Record<string, unknown>;
}

interface Gsap {
  ticker: { remove(fn: unknown): void; sleep(): void; wake(): void; tick(): void; _listeners?: unknown[]; lagSmoothing(n: number): void };
  updateRoot(time: number): void;
  globalTimeline: GsapAnimation;
}

export type Registry = Record<string, GsapAnimation | undefined>;

export function registry(): Registry {
  const w = window as unknown as { __timelines?: Registry };
  return (w.__timelines ??= {});
}

let hooked: Gsap | null = null;

/**
 * Takes GSAP's root clock over, once GSAP is on the page. Call before moving the virtual clock:
 * GSAP's pending animation frame must be cancelled before it could run and count as history.
 */
export function takeOverGsap(): Gsap | null {
  const g = (window as unknown as { gsap?: Gsap }).gsap;
  if (!g || !g.ticker || typeof g.updateRoot !== 'function') return null;
  if (hooked === g) return g;
  hooked = g;
  g.ticker.remove(g.updateRoot);
  g.ticker.lagSmoothing(0);
  g.ticker.sleep();
  // GSAP wakes its ticker when tweens are created; with no root listener waking is harmless, but
  // it would request animation frames that count as page history. Keep it asleep.
  g.ticker.wake = () => {};
  return g;
}

function isAnimation(v: unknown): v is GsapAnimation {
  return !!v && typeof (v as GsapAnimation).totalTime === 'function' && typeof (v as GsapAnimation).pause === 'function';
}

/**
 * Seeks one timeline the way the HyperFrames engine does: pause, clamp to its length, seek with
 * callbacks, then re-render silently from a hair away so every tween is freshly rendered (skipped
 * when zero-length callbacks would fire twice).
 */
function seekTimeline(tl: GsapAnimation, time: number): void {
  tl.pause();
  const t = Math.min(Math.max(0, time), tl.totalDuration());
  tl.totalTime(t, false);
  if (hasInstantCallbacks(tl)) return;
  const nudge = 0.001;
  tl.totalTime(t >= nudge ? t - nudge : t + nudge, true);
  tl.totalTime(t, true);
}

const instantCallbacks = new WeakMap<GsapAnimation, boolean>();
function hasInstantCallbacks(tl: GsapAnimation): boolean {
  let known = instantCallbacks.get(tl);
  if (known === undefined) {
    known = (tl.getChildren?.(true, true, false) ?? []).some((c) => c.totalDuration() === 0 && !!c.eventCallback?.('onComplete'));
    instantCallbacks.set(tl, known);
  }
  return known;
}

/** A composition's registered timeline and where it plays in root time. */
export interface CompositionTimeline {
  timeline: unknown;
  /** Root time at which the composition's clip starts. */
  start: number;
  /** The host's data-playback-start: the composition's own time when its clip starts. */
  playbackStart: number;
  /** The host's data-playback-rate. */
  rate: number;
  /** The composition element (the host, for a mounted one). */
  el?: Element;
}

/** The timelines a frame seeks. */
export interface BoundTimelines {
  root: GsapAnimation | null;
  children: CompositionTimeline[];
}

/** Below this length a root timeline cannot carry the composition (as the engine judges it). */
const MIN_USABLE_SECONDS = 1e-3;

/**
 * The timelines a frame seeks, assembled as HeyGen's renderer assembles them: the root's
 * registered timeline, with the timeline of every composition inside it (any depth, document
 * order) added at that composition's start unless the root already holds it, each playing (not
 * paused) so the root drives it; without a usable root timeline, a new paused timeline holding
 * the compositions' timelines stands in for it. Each composition's timeline is then also sought
 * on its own at every frame (see seekBound). Timelines registered under ids no element has are
 * not driven, as in the engine.
 */
export function bindTimelines(
  rootTimeline: unknown,
  children: CompositionTimeline[],
  insideRoot: (timeline: unknown) => boolean = () => true,
): BoundTimelines {
  const g = (window as unknown as { gsap?: { timeline(vars?: unknown): GsapAnimation } }).gsap;
  const candidates = children.map((c) => ({ ...c, timeline: realTimeline(c.timeline) })).filter((c) => isAnimation(c.timeline));
  rootTimeline = realTimeline(rootTimeline);
  for (const c of candidates) {
    try {
      (c.timeline as GsapAnimation & { paused(v: boolean): unknown }).paused(false);
    } catch {
      /* a timeline-like object without paused(v) */
    }
  }
  const nest = (into: GsapAnimation & { add?(child: unknown, at: number): unknown }) => {
    const inside = new Set(into.getChildren?.(true, true, true) ?? []);
    for (const c of candidates) {
      if (!insideRoot(c.timeline)) continue;
      if (inside.has(c.timeline as GsapAnimation) || c.timeline === into) continue;
      try {
        into.add?.(c.timeline, c.start);
        inside.add(c.timeline as GsapAnimation);
      } catch {
        /* keep the rest bound */
      }
    }
  };
  const composite = () => {
    if (!g || typeof g.timeline !== 'function' || !candidates.length) return null;
    const tl = realTimeline(g.timeline({ paused: true }));
    nest(tl);
    return tl;
  };
  let root: GsapAnimation | null;
  if (isAnimation(rootTimeline)) {
    root = rootTimeline as GsapAnimation;
    nest(root);
    if (!(root.totalDuration() > MIN_USABLE_SECONDS) && candidates.length) root = composite() ?? root;
  } else root = composite();
  return { root, children: candidates.filter((c) => c.timeline !== root) };
}

/** The GSAP timeline behind HeyGen's stand-in (see timeline-batching.ts), or the value itself. */
export function realTimeline<T>(tl: T): T {
  const real = tl && typeof tl === 'object' ? (tl as Record<symbol, unknown>)[Symbol.for('framesmith.realTimeline')] : undefined;
  return (real ?? tl) as T;
}

/**
 * Seeks the frame's timelines to `t`, as the engine's render seek does: the root timeline (with
 * its forced re-render), then each composition's timeline on its own to data-playback-start +
 * (t − its start) × data-playback-rate, kept within 0 and its length (so before its clip it shows
 * its start, after it its end), then GSAP's own root (free tweens) from the previous frame's time
 * (`frameSeconds` before `t`) to `t`.
 */
export function seekBound(t: number, bound: BoundTimelines | null, frameSeconds = 0): void {
  const g = takeOverGsap();
  // In the engine GSAP's own clock still reads the previous frame's time during the seek (every
  // frame is rendered in order, its ticker runs in each frame's animation-frame callbacks). Put it
  // there, so the result does not depend on which frame framesmith showed before (a snapshot, a
  // render resuming mid-clip, the parity harness's sampled frames).
  if (g) g.updateRoot(Math.max(0, t - frameSeconds));
  if (bound?.root) seekTimeline(bound.root, t);
  for (const c of bound?.children ?? []) {
    const tl = c.timeline as GsapAnimation;
    const local = c.playbackStart + Math.max(0, t - c.start) * c.rate;
    const length = tl.totalDuration();
    tl.pause();
    tl.totalTime(Math.max(0, Number.isFinite(length) && length > 0 ? Math.min(length, local) : local), false);
  }
  // Then GSAP's own root moves to the frame, as the engine's ticker does once the seek is done: a
  // tween a seek callback starts (outside any registered timeline) started at the previous
  // frame's time and shows one frame of motion on its first frame.
  if (g) g.updateRoot(t);
  if (g && Array.isArray(g.ticker._listeners) && g.ticker._listeners.length > 0) g.ticker.tick();
}

const SEEK_CALLBACKS = ['onUpdate', 'onStart', 'onComplete', 'onRepeat', 'onReverseComplete'];

/**
 * Whether seeking the bound timelines runs page code (an onUpdate on a timeline, a `tl.call`, a
 * tween's onStart/onComplete...). Such code can keep state from frame to frame (startup-pitch
 * starts a slide's entrance when its onUpdate first sees the slide), so a forward jump must pass
 * through every frame between, as the engine's in-order render does.
 */
export function hasSeekCallbacks(bound: BoundTimelines | null): boolean {
  const tops = [bound?.root, ...(bound?.children ?? []).map((c) => c.timeline as GsapAnimation)].filter((t): t is GsapAnimation => !!t);
  const has = (a: GsapAnimation) => SEEK_CALLBACKS.some((k) => !!a.eventCallback?.(k));
  return tops.some((t) => has(t) || (t.getChildren?.(true, true, true) ?? []).some(has));
}

/** Whether a timeline is registered under `id`. */
export function hasTimeline(id: string): boolean {
  return isAnimation(realTimeline(registry()[id]));
}

/**
 * Intervals (root seconds) during which some tween of the bound timeline moves; null when that
 * cannot be known (an update callback on it, infinite repeats). A nested tween's or timeline's
 * onUpdate runs only while the playhead is inside it, so it only adds its own interval (a counter
 * tween must not mark a long hold after it as changing).
 */
export function activeIntervals(timelines: BoundTimelines | null): Array<[number, number]> | null {
  const out: Array<[number, number]> = [];
  // Each composition's timeline plays on its own clock: [start, end] in its time maps to root time.
  const tops: Array<{ tl: GsapAnimation; map: (local: number) => number }> = [];
  if (timelines?.root) tops.push({ tl: timelines.root, map: (x) => x });
  for (const c of timelines?.children ?? [])
    tops.push({ tl: c.timeline as GsapAnimation, map: (x) => c.start + (x - c.playbackStart) / c.rate });
  for (const { tl, map } of tops) {
    if (tl.eventCallback?.('onUpdate')) return null;
    if ((tl.repeat?.() ?? 0) < 0) return null;
    for (const k of tl.getChildren?.(true, true, true) ?? []) {
      if ((k.repeat?.() ?? 0) < 0) return null;
      const nested = typeof (k as unknown as { getChildren?: unknown }).getChildren === 'function';
      // A nested timeline's tweens are listed on their own; it counts itself only for its callback.
      if (nested && !k.eventCallback?.('onUpdate')) continue;
      const start = globalStart(k, tl);
      const dur = k.totalDuration() / Math.abs(k.timeScale() || 1);
      out.push([map(start), map(start + dur)]);
    }
  }
  return out;
}

/** Start of a nested animation in the coordinates of `top`. */
function globalStart(anim: GsapAnimation, top: GsapAnimation): number {
  let t = anim.startTime();
  let p = anim.parent;
  while (p && p !== top) {
    t = p.startTime() + t / (p.timeScale() || 1);
    p = p.parent;
  }
  return t;
}
