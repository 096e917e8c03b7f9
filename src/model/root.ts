/**
 * The root element of a composition: its id, size, start, duration, fps and data-no-timeline.
 * The entry's root must carry all of them (the renderer reads them before any script runs); a
 * sub-composition's root may leave size and duration to its host.
 */
import { attr, hasAttr, nodeLocation, type HtmlElement, type ParsedHtmlFile } from './html.js';
import { inRange, numberAttr, type Diagnostics } from './attributes.js';

export interface RootFacts {
  id: string;
  elementId: string | null;
  /** 0 when missing or invalid (a diagnostic says so). */
  width: number;
  height: number;
  start: number;
  /** 0 when missing or invalid (a diagnostic says so). */
  duration: number;
  fps: number | null;
  noTimeline: boolean;
}

export const ROOT_EXAMPLE =
  '<div id="root" data-composition-id="main" data-width="1920" data-height="1080" data-start="0" data-duration="10">';

const isBlank = (v: string | null) => v === null || v.trim() === '';

/** Reads and checks the root attributes; `isEntry` makes size and duration required. */
export function readRoot(diags: Diagnostics, file: ParsedHtmlFile, root: HtmlElement, isEntry: boolean): RootFacts {
  const loc = nodeLocation(file, root);
  const id = attr(root, 'data-composition-id') ?? '';
  const name = id ? `"${id}"` : 'of this file';
  if (id.trim() === '') {
    diags.error(
      'root_missing_composition_id',
      `The composition root ${isEntry ? `of ${file.file}` : `in ${file.file}`} has an empty data-composition-id.`,
      nodeLocation(file, root, 'data-composition-id'),
      'Name the composition: data-composition-id="main" (it is the key of its timeline in window.__timelines).',
    );
  }

  // Blank required attributes read as missing (one clear message) rather than as invalid numbers.
  const read = (a: string, required: boolean) =>
    required && isBlank(attr(root, a))
      ? null
      : numberAttr(diags, file, root, a, { positive: true, example: a === 'data-duration' ? '10' : '1080' });
  const width = read('data-width', isEntry);
  const height = read('data-height', isEntry);
  const duration = read('data-duration', isEntry);

  if (isEntry) {
    const missing = ['data-width', 'data-height'].filter((a) => isBlank(attr(root, a)));
    if (missing.length) {
      diags.error(
        'root_missing_dimensions',
        `The composition root ${name} has no ${missing.join(' and no ')}.`,
        loc,
        `Give the root its size in pixels, e.g. data-width="1920" data-height="1080" (16:9), 1080x1920 (9:16) or 1080x1080 (1:1).`,
      );
    }
    if (isBlank(attr(root, 'data-duration'))) {
      diags.error(
        'root_composition_missing_duration_source',
        `The composition root ${name} has no data-duration.`,
        loc,
        'Add data-duration in seconds to the root, e.g. data-duration="10"; the renderer reads the length before any script runs.',
      );
    }
  }

  let fps: number | null = null;
  const rawFps = attr(root, 'data-fps');
  if (rawFps !== null) {
    const n = rawFps.trim() === '' ? Number.NaN : Number(rawFps);
    if (inRange(n, { min: 1, max: 240, integer: true })) fps = n;
    else {
      diags.error(
        'invalid_fps',
        `data-fps="${rawFps}" is not a whole number from 1 to 240.`,
        nodeLocation(file, root, 'data-fps'),
        'Use a whole number of frames per second such as 24, 30 or 60 (the cloud renders whole numbers only), or remove data-fps for the default 30.',
      );
    }
  }

  return {
    id,
    elementId: attr(root, 'id'),
    width: width ?? 0,
    height: height ?? 0,
    start: numberAttr(diags, file, root, 'data-start', { min: 0, example: '0' }) ?? 0,
    duration: duration ?? 0,
    fps,
    // Presence is what counts, as in the runtimes (hasAttribute).
    noTimeline: hasAttr(root, 'data-no-timeline'),
  };
}
