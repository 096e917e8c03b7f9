/**
 * The page's composition structure as the runtime sees it: the root, and every timed element
 * with its absolute window in root time (sub-composition content shifted by its host's start).
 * Rebuilt after sub-compositions mount; seeks read it.
 */
import { resolveStarts } from '../src/shared/timing';
import type { ProblemCollector } from './problems';
import { snapToFrame } from './visibility';

export interface TimedNode {
  el: HTMLElement;
  /** Absolute start and end in root seconds (end Infinity when open-ended). */
  start: number;
  end: number;
  /** The composition root this element belongs to (root or a mounted child root). */
  owner: Element;
}

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
  children: MountedChild[];
}

const num = (v: string | null): number | null => {
  if (v === null || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

/** The outermost composition root in the body. */
export function findRoot(doc: Document): HTMLElement | null {
  return doc.body?.querySelector<HTMLElement>('[data-composition-id]') ?? null;
}

/** Reads the root's facts; missing ones are reported and defaulted so the page still works. */
export function readScene(root: HTMLElement, problems: ProblemCollector, file: string): Scene {
  const width = num(root.getAttribute('data-width'));
  const height = num(root.getAttribute('data-height'));
  const duration = num(root.getAttribute('data-duration'));
  for (const [attr, v] of [['data-width', width], ['data-height', height], ['data-duration', duration]] as const) {
    if (v === null || v <= 0) {
      problems.add({
        kind: 'contract',
        // The same codes as the model's, so the preview shows one entry (with file:line) per problem.
        code: attr === 'data-duration' ? 'root_composition_missing_duration_source' : 'root_missing_dimensions',
        message: `The composition root has no valid ${attr}.`,
        hint: `Add ${attr} to the element with data-composition-id (e.g. data-width="1920" data-height="1080" data-duration="10").`,
        loc: { file, line: 0, column: 0 },
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

/**
 * Collects timed elements of one composition root (not descending into nested composition
 * roots other than their hosts), resolving `data-start` references among them.
 * `offset` shifts them into root time; `windowEnd` caps open-ended clips.
 */
export function collectTimed(
  compRoot: Element,
  offset: number,
  windowEnd: number,
  fps: number,
  problems: ProblemCollector,
  file: string,
): TimedNode[] {
  const els = [...compRoot.querySelectorAll<HTMLElement>('[data-start]')].filter(
    (el) => el !== compRoot && el.parentElement?.closest('[data-composition-id]') === compRoot,
  );
  const items = els.map((el) => ({
    id: el.id || null,
    altIds: el.hasAttribute('data-composition-id') ? [el.getAttribute('data-composition-id')!] : [],
    startExpr: el.getAttribute('data-start') ?? '0',
    duration: num(el.getAttribute('data-duration')),
  }));
  const starts = resolveStarts(items);
  const out: TimedNode[] = [];
  starts.forEach((r, i) => {
    const el = els[i];
    if (!r.ok) {
      problems.add({ kind: 'contract', code: 'invalid_start', message: `#${el.id || el.tagName.toLowerCase()}: ${r.message}`, loc: { file, line: 0, column: 0 } });
      return;
    }
    const d = items[i].duration;
    const start = snapToFrame(offset + r.start, fps);
    out.push({ el, start, end: d === null ? windowEnd : snapToFrame(start + d, fps), owner: compRoot });
  });
  return out;
}
