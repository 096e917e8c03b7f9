/**
 * CSS animations, CSS transitions and Web Animations: each is paused and its currentTime set to
 * the composition time minus the start of the clip that owns its target (0 when the target is in
 * no clip), so they follow the scrubber like the GSAP timeline does.
 */
import type { TimedNode } from './scene';

/** Start (root seconds) of the clip owning `el`: the nearest timed ancestor-or-self. */
function ownerStart(el: Element | null, starts: Map<Element, number>, fallback: (el: Element | null) => number): number {
  for (let e = el; e; e = e.parentElement) {
    const s = starts.get(e);
    if (s !== undefined) return s;
  }
  return fallback(el);
}

/**
 * CSS animations run from the start of their clip; animations made with `element.animate()`
 * follow composition time (the engine registers them against the time they were created, which
 * is 0 for scripts that run at load).
 */
function baseTime(anim: Animation, starts: Map<Element, number>, compositionOffset: (el: Element | null) => number): number {
  const target = (anim.effect as KeyframeEffect | null)?.target ?? null;
  return anim instanceof CSSAnimation ? ownerStart(target, starts, compositionOffset) : 0;
}

export function seekAnimations(t: number, timed: TimedNode[], compositionOffset: (el: Element | null) => number): void {
  const starts = new Map<Element, number>(timed.map((n) => [n.el, n.start]));
  for (const anim of document.getAnimations()) {
    if (anim instanceof CSSTransition) continue;
    const local = (t - baseTime(anim, starts, compositionOffset)) * 1000;
    if (anim.playState !== 'paused') anim.pause();
    anim.currentTime = Math.max(0, local);
  }
}

/** Whether any animation can change between two root times (conservative). */
export function animationsChangeBetween(
  a: number,
  b: number,
  timed: TimedNode[],
  compositionOffset: (el: Element | null) => number,
): boolean {
  const starts = new Map<Element, number>(timed.map((n) => [n.el, n.start]));
  for (const anim of document.getAnimations()) {
    const effect = anim.effect as KeyframeEffect | null;
    if (!effect) continue;
    if (anim instanceof CSSTransition) continue;
    const timing = effect.getComputedTiming();
    const begin = baseTime(anim, starts, compositionOffset) + Number(timing.delay ?? 0) / 1000;
    const active = Number(timing.activeDuration ?? 0);
    if (!Number.isFinite(active)) return true;
    const end = begin + active / 1000;
    if (a < end && b > begin) return true;
  }
  return false;
}
