/**
 * Where every timed element sits in root time, resolved the way HeyGen's renderer resolves it
 * (hyperframes 0.8.170), so framesmith shows the same scene at the same frame:
 * - `data-start="2"` counts from the start of the composition the element belongs to (a
 *   sub-composition's host counts from its parent composition's start), at any depth, less that
 *   composition's data-playback-start;
 * - `data-start="intro + 1"` is 1 s after the element with id `intro` (or data-composition-id
 *   `intro`, anywhere in the document) ends; `intro - 1` overlaps it; when the referenced element
 *   has no known length the offset counts from its start; an unknown id, a cycle or an
 *   unreadable value places the element at 0 instead of failing (a reference never places it
 *   before its composition's time zero, nor before 0);
 * - a length is data-duration, else data-end minus the start, else the media's own length, else,
 *   for a composition, its registered timeline's length; without one a clip lasts to the end;
 * - a mounted sub-composition's own root starts with its host.
 */
import { parseStartExpression } from '../shared/timing';

export interface TimingResolver {
  /** Absolute start in root seconds (`fallback` when it cannot be resolved). */
  startOf(el: Element, fallback?: number): number;
  /**
   * Start of a `<video>`/`<audio>`: inside a composition that starts later than 0, a numeric
   * data-start whose window overlaps the composition's own window is taken as root time (older
   * projects wrote media starts that way), any other as local to the composition, as the engine does.
   */
  mediaStartOf(el: Element): number;
  /** Length in seconds, or null when none is known. */
  durationOf(el: Element): number | null;
}

const num = (v: string | null): number | null => {
  if (v === null || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

/** A timeline's length through its public API (the engine asks `duration()`). */
export function timelineLength(tl: unknown): number | null {
  if (!tl || typeof (tl as { duration?: unknown }).duration !== 'function') return null;
  try {
    const d = Number((tl as { duration(): number }).duration());
    return Number.isFinite(d) && d > 0 ? d : null;
  } catch {
    return null;
  }
}

/** data-playback-start (else data-media-start): where in its own time a clip begins; 0 when unset or negative. */
export function playbackStartOf(el: Element): number {
  for (const attr of ['data-playback-start', 'data-media-start']) {
    const v = num(el.getAttribute(attr));
    if (v !== null && v >= 0) return v;
  }
  return 0;
}

/** data-playback-rate: how fast a clip's own time runs (1 when unset or not positive). */
export function playbackRateOf(el: Element): number {
  const v = num(el.getAttribute('data-playback-rate'));
  return v !== null && v > 0 ? v : 1;
}

/** Whether an element carries a sub-composition (its child's root is mounted inside it). */
function isHostLike(el: Element): boolean {
  return el.hasAttribute('data-composition-src') || el.hasAttribute('data-composition-id') || el.hasAttribute('data-composition-file');
}

/**
 * A resolver over the document as it is now. Results are cached, so make a new one when the
 * document or the registered timelines change. `timelineOf` gives the timeline registered for a
 * composition element (its host, for a mounted sub-composition), if any.
 */
export function createTimingResolver(doc: Document, timelineOf: (el: Element) => unknown): TimingResolver {
  const starts = new Map<Element, number | null>();
  const durations = new Map<Element, number | null>();
  const visiting = new Set<Element>();

  const target = (id: string): Element | null => doc.getElementById(id) ?? doc.querySelector(`[data-composition-id="${CSS.escape(id)}"]`);

  function durationOf(el: Element): number | null {
    if (durations.has(el)) return durations.get(el)!;
    let d: number | null = null;
    const attr = num(el.getAttribute('data-duration'));
    if (attr !== null && attr > 0) d = attr;
    if (d === null) {
      const end = num(el.getAttribute('data-end'));
      if (end !== null) {
        const delta = end - startOf(el, 0);
        if (Number.isFinite(delta) && delta > 0) d = delta;
      }
    }
    if (d === null && el instanceof HTMLMediaElement) {
      const from = playbackStartOf(el);
      const rate = playbackRateOf(el);
      if (Number.isFinite(el.duration) && el.duration > from) d = (el.duration - from) / rate;
    }
    if (d === null && el.hasAttribute('data-composition-id')) d = timelineLength(timelineOf(el));
    durations.set(el, d);
    return d;
  }

  /** The host a composition element takes its timing from (itself, or the host it is mounted in). */
  function timingHost(comp: Element): Element {
    const parent = comp.parentElement;
    if (
      comp.hasAttribute('data-composition-id') &&
      parent &&
      isHostLike(parent) &&
      !parseStartExpression(comp.getAttribute('data-start') ?? '')
    )
      return parent;
    return comp;
  }

  /**
   * Root time at which the composition an element belongs to has its own time zero: the
   * composition's start, minus its host's data-playback-start.
   */
  function hostOffset(el: Element, fallback: number): number {
    const comp = el.hasAttribute('data-composition-id')
      ? el.parentElement?.closest('[data-composition-id]')
      : el.closest('[data-composition-id]');
    return comp ? startOf(comp, fallback) - playbackStartOf(timingHost(comp)) : 0;
  }

  function startOf(el: Element, fallback = 0): number {
    if (starts.has(el)) return starts.get(el) ?? fallback;
    if (visiting.has(el)) return fallback;
    visiting.add(el);
    try {
      const raw = el.getAttribute('data-start');
      const expr = raw === null ? null : parseStartExpression(raw);
      let start: number | null;
      if (!expr) {
        // A mounted composition root without its own start begins with its host.
        const host = timingHost(el);
        start = host !== el ? startOf(host, fallback) : null;
      } else if (expr.ref === null) {
        start = hostOffset(el, fallback) + Math.max(0, expr.offset);
      } else {
        const t = target(expr.ref);
        if (!t) start = null;
        else {
          const floor = Math.min(0, hostOffset(el, 0));
          start = Math.max(floor, startOf(t, 0) + (durationOf(t) ?? 0) + expr.offset);
        }
      }
      starts.set(el, start);
      return start ?? fallback;
    } finally {
      visiting.delete(el);
    }
  }

  function mediaStartOf(el: Element): number {
    const comp = el.closest('[data-composition-id]');
    const inherited = comp ? startOf(comp, 0) : 0;
    const authored = num(el.getAttribute('data-start'));
    if (authored === null || inherited <= 0) return startOf(el, inherited);
    const ownDuration = num(el.getAttribute('data-duration'));
    const compDuration = comp ? durationOf(comp) : null;
    const compEnd = compDuration !== null && compDuration > 0 ? inherited + compDuration : null;
    const authoredEnd = ownDuration !== null && ownDuration > 0 ? authored + ownDuration : authored;
    const overlaps = compEnd === null ? authored >= inherited : authored < compEnd && (authoredEnd > inherited || authored === inherited);
    return overlaps ? authored : inherited + authored;
  }

  return { startOf, durationOf, mediaStartOf };
}
