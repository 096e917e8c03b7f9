/**
 * The page's composition structure as the runtime sees it: the root, and every timed element
 * with its absolute window in root time (sub-composition content included).
 * Built once sub-compositions are mounted and timelines registered; seeks read it.
 */
import type { ProblemCollector } from './problems';
import type { TimingResolver } from './timing';
import { snapToFrame } from './visibility';

export interface TimedNode {
  el: HTMLElement;
  /** Absolute start and end in root seconds (end Infinity when open-ended). */
  start: number;
  end: number;
  /** The composition root this element belongs to (root or a mounted child root). */
  owner: Element;
}

/** A mounted sub-composition's window in root time (for the dev preview's live description). */
export interface MountedChild {
  host: HTMLElement;
  root: HTMLElement;
  compositionId: string;
  /** Root time at which the child's time zero happens (host start − playback start). */
  offset: number;
  /** Host window in root seconds. */
  start: number;
  end: number;
  /** The child composition's own length (its data-duration, else the host window). */
  duration: number;
}

export interface Scene {
  root: HTMLElement;
  compositionId: string;
  width: number;
  height: number;
  duration: number;
  /** data-fps, when declared. */
  fps: number | null;
  noTimeline: boolean;
  timed: TimedNode[];
  /** The mounted sub-compositions, in the order of the instances (filled when timelines bind). */
  children: MountedChild[];
}

const num = (v: string | null): number | null => {
  if (v === null || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

/** The composition root, as HeyGen's renderer picks it: data-root="true", else the first element with data-composition-id. */
export function findRoot(doc: Document): HTMLElement | null {
  return (
    doc.body?.querySelector<HTMLElement>('[data-composition-id][data-root="true"]') ??
    doc.body?.querySelector<HTMLElement>('[data-composition-id]') ??
    null
  );
}

/** Reads the root's facts; missing ones are reported and defaulted so the page still works. */
export function readScene(root: HTMLElement, problems: ProblemCollector, file: string): Scene {
  const width = num(root.getAttribute('data-width'));
  const height = num(root.getAttribute('data-height'));
  const duration = num(root.getAttribute('data-duration'));
  for (const [attr, v] of [
    ['data-width', width],
    ['data-height', height],
    ['data-duration', duration],
  ] as const) {
    if (v === null || v <= 0) {
      problems.add({
        kind: 'contract',
        // The same codes as the model's, so the preview shows one entry (with file:line) per problem.
        code: attr === 'data-duration' ? 'root_composition_missing_duration_source' : 'root_missing_dimensions',
        message: `The composition root has no valid ${attr}.`,
        hint: `Add ${attr} to the element with data-composition-id (e.g. data-width="1920" data-height="1080" data-duration="10").`,
        loc: { file, line: 0, column: 0 },
        // HeyGen's renderer renders without them (its default size; the timeline's length).
        fatal: false,
      });
    }
  }
  return {
    root,
    compositionId: root.getAttribute('data-composition-id') ?? '',
    width: width && width > 0 ? width : 1920,
    height: height && height > 0 ? height : 1080,
    duration: duration && duration > 0 ? duration : 0,
    fps: num(root.getAttribute('data-fps')),
    noTimeline: root.hasAttribute('data-no-timeline'),
    timed: [],
    children: [],
  };
}

/** Elements that are never clips, even with data-start. */
const NOT_CLIPS = new Set(['SCRIPT', 'STYLE', 'LINK', 'META']);

/**
 * Every timed element (`data-start`) under the root, sub-compositions' content included, with
 * its window in root time as HeyGen's renderer resolves it (see timing.ts): starts and ends on
 * the frame grid when within 0.001 frame of it, open-ended clips (no known length) to Infinity.
 */
export function collectTimed(scope: HTMLElement, resolver: TimingResolver, fps: number, root: HTMLElement): TimedNode[] {
  const out: TimedNode[] = [];
  for (const el of scope.querySelectorAll<HTMLElement>('[data-start]')) {
    if (NOT_CLIPS.has(el.tagName) || el === root) continue;
    const start = snapToFrame(el instanceof HTMLMediaElement ? resolver.mediaStartOf(el) : resolver.startOf(el, 0), fps);
    const d = resolver.durationOf(el);
    const end = d !== null && d > 0 ? snapToFrame(start + d, fps) : Infinity;
    out.push({ el, start, end, owner: el.parentElement?.closest('[data-composition-id]') ?? root });
  }
  return out;
}
