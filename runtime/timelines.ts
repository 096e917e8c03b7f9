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

/** A mounted sub-composition's timeline and where its time zero sits in root time. */
export interface ChildTimeline {
  timeline: unknown;
  offset: number;
  /** The child's own length; its local time is clamped to [0, duration]. */
  duration: number;
}

/**
 * Seeks every registered timeline: each mounted child's to its local time (clamped to its host
 * window), every other registered timeline (the root's) to `t`. Also moves GSAP's root to `t`.
 */
export function seekTimelines(t: number, children: ChildTimeline[]): void {
  const g = takeOverGsap();
  if (g) g.updateRoot(t);
  const seen = new Set<unknown>();
  for (const c of children) {
    if (!isAnimation(c.timeline) || seen.has(c.timeline)) continue;
    seen.add(c.timeline);
    seekTimeline(c.timeline, Math.min(Math.max(t - c.offset, 0), c.duration));
  }
  for (const tl of Object.values(registry())) {
    if (isAnimation(tl) && !seen.has(tl)) seekTimeline(tl, t);
  }
  if (g && Array.isArray(g.ticker._listeners) && g.ticker._listeners.length > 0) g.ticker.tick();
}

/** Whether the root timeline is registered. */
export function hasTimeline(id: string): boolean {
  return isAnimation(registry()[id]);
}

/**
 * Intervals (root seconds) during which some tween of a registered timeline moves; null when
 * that cannot be known (an update callback on a registered timeline, infinite repeats). A nested
 * tween's or timeline's onUpdate runs only while the playhead is inside it, so it only adds its
 * own interval (a counter tween must not mark a long hold after it as changing).
 */
export function activeIntervals(children: ChildTimeline[]): Array<[number, number]> | null {
  const out: Array<[number, number]> = [];
  const offsets = new Map<unknown, number>();
  for (const c of children) if (isAnimation(c.timeline)) offsets.set(c.timeline, c.offset);
  for (const tl of Object.values(registry())) if (isAnimation(tl) && !offsets.has(tl)) offsets.set(tl, 0);
  for (const [tl, offset] of offsets as Map<GsapAnimation, number>) {
    if (tl.eventCallback?.('onUpdate')) return null;
    if ((tl.repeat?.() ?? 0) < 0) return null;
    for (const k of tl.getChildren?.(true, true, true) ?? []) {
      if ((k.repeat?.() ?? 0) < 0) return null;
      const nested = typeof (k as unknown as { getChildren?: unknown }).getChildren === 'function';
      // A nested timeline's tweens are listed on their own; it counts itself only for its callback.
      if (nested && !k.eventCallback?.('onUpdate')) continue;
      const start = globalStart(k, tl) + offset;
      const dur = k.totalDuration() / Math.abs(k.timeScale() || 1);
      out.push([start, start + dur]);
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
