/**
 * Clip visibility, as the HyperFrames engine does it: a timed element is shown while
 * start <= t < end (and a clip that lasts to the composition's end stays on its last frame),
 * only while every timed ancestor is shown. The engine writes inline `visibility` on clips and
 * marks hidden ones so their contents stay hidden too; a hidden clip in normal flow with no timed
 * descendants also gets `display: none` (so flow layouts close up, as in the cloud).
 */
import type { TimedNode } from './scene';

const HIDDEN_ATTR = 'data-framesmith-hidden';
/** Inline `display` an element had before we set `none`. */
const savedDisplay = new WeakMap<HTMLElement, string>();
const leafInFlow = new WeakMap<HTMLElement, boolean>();

export function isVisibleAt(t: number, n: TimedNode, compositionEnd: number): boolean {
  if (t < n.start) return false;
  return t < n.end || n.end >= compositionEnd - 1e-6;
}

export function applyVisibility(t: number, timed: TimedNode[], compositionEnd: number): void {
  const nodes = new Map<Element, TimedNode>(timed.map((n) => [n.el, n]));
  const memo = new Map<Element, boolean>();
  const visible = (n: TimedNode): boolean => {
    const known = memo.get(n.el);
    if (known !== undefined) return known;
    let v = isVisibleAt(t, n, compositionEnd);
    if (v) {
      for (let p = n.el.parentElement; p; p = p.parentElement) {
        const parent = nodes.get(p);
        if (parent) {
          v = visible(parent);
          break;
        }
      }
    }
    memo.set(n.el, v);
    return v;
  };
  for (const n of timed) {
    const el = n.el;
    const show = visible(n) && !el.hasAttribute('data-hidden');
    const want = show ? 'visible' : 'hidden';
    if (el.style.visibility !== want) el.style.visibility = want;
    el.toggleAttribute(HIDDEN_ATTR, !show);
    if (!show && collapses(el)) {
      if (!savedDisplay.has(el)) savedDisplay.set(el, el.style.display);
      el.style.display = 'none';
    } else if (show && savedDisplay.has(el)) {
      el.style.display = savedDisplay.get(el)!;
      savedDisplay.delete(el);
    }
  }
}

/** In normal flow and without timed descendants: hiding it should also free its space. */
function collapses(el: HTMLElement): boolean {
  let known = leafInFlow.get(el);
  if (known === undefined) {
    const position = getComputedStyle(el).position;
    known = (position === 'static' || position === 'relative' || position === 'sticky') && !el.querySelector('[data-start]');
    leafInFlow.set(el, known);
  }
  return known;
}

/** Whether a clip starts or ends in (a, b]. */
export function boundaryBetween(a: number, b: number, timed: TimedNode[]): boolean {
  return timed.some((n) => (n.start > a && n.start <= b) || (n.end > a && n.end <= b));
}

/** Snaps a time to the frame grid when it is within 0.001 frame of it (as the engine does). */
export function snapToFrame(t: number, fps: number): number {
  const f = t * fps;
  const r = Math.round(f);
  return Math.abs(f - r) < 0.001 ? r / fps : t;
}
