/**
 * Timed clips and media of one composition. A clip is any element with `data-start` that
 * belongs to the composition (not to a nested composition inside it; a sub-composition host is
 * itself a clip). Starts are resolved with the shared resolver the runtime uses, so both place
 * clips identically; every clip that cannot be placed is an error at its data-start.
 */
import type { Clip, ClipKind, MediaElement } from '../../shared/model.js';
import { parseStartExpression, resolveStarts, type StartResolution } from '../../shared/timing.js';
import { numberAttr, type Diagnostics } from './attributes.js';
import { attr, descendants, hasAttr, isElement, nodeLocation, type HtmlElement, type ParsedHtmlFile } from './html.js';

/** Elements of the composition rooted at `root`, in document order; nested compositions are not entered. */
export function ownElements(root: HtmlElement): HtmlElement[] {
  const out: HtmlElement[] = [];
  const visit = (el: HtmlElement) => {
    for (const child of el.childNodes) {
      if (!isElement(child)) continue;
      out.push(child);
      // A host's content is the child file's (mounted at run time); an inline nested
      // composition owns its own clips; a <template> is inert.
      const nested = hasAttr(child, 'data-composition-id') || hasAttr(child, 'data-composition-src');
      if (!nested && child.tagName !== 'template') visit(child);
    }
  };
  visit(root);
  return out;
}

function clipKind(el: HtmlElement): ClipKind {
  if (hasAttr(el, 'data-composition-src')) return 'composition';
  if (el.tagName === 'img') return 'image';
  if (el.tagName === 'video' || el.tagName === 'audio') return el.tagName;
  return 'element';
}

const FAILURE: Record<Exclude<StartResolution, { ok: true }>['reason'], { code: string; hint: string }> = {
  invalid: {
    code: 'invalid_data_start',
    hint: 'Write seconds (data-start="1.5") or a clip id with an optional offset (data-start="intro + 0.5").',
  },
  'unknown-ref': {
    code: 'unknown_start_reference',
    hint: 'Reference the id (or data-composition-id) of another element on the page (ids are case-sensitive).',
  },
  cycle: { code: 'start_reference_cycle', hint: 'Break the cycle: start one of these clips at a number of seconds.' },
};

/**
 * Reads the clips among `elements`. `hostDurations` gives the length of each sub-composition
 * host's child, used when the host has no data-duration of its own.
 */
export function readClips(
  diags: Diagnostics,
  file: ParsedHtmlFile,
  elements: HtmlElement[],
  hostDurations: Map<HtmlElement, number | null>,
  /** Whether an id (or data-composition-id) exists elsewhere in the project: references reach the whole page. */
  existsElsewhere: (id: string) => boolean = () => false,
): Map<HtmlElement, Clip> {
  const timed = elements.filter((el) => hasAttr(el, 'data-start'));
  const durations = timed.map(
    (el) => numberAttr(diags, file, el, 'data-duration', { min: 0, example: '3' }) ?? hostDurations.get(el) ?? null,
  );
  const resolved = resolveStarts(
    timed.map((el, i) => {
      const compositionId = attr(el, 'data-composition-id');
      return {
        id: attr(el, 'id'),
        altIds: compositionId ? [compositionId] : [],
        startExpr: attr(el, 'data-start') ?? '',
        duration: durations[i],
      };
    }),
  );
  const clips = new Map<HtmlElement, Clip>();
  timed.forEach((el, i) => {
    const startExpr = attr(el, 'data-start') ?? '';
    const id = attr(el, 'id');
    const where = nodeLocation(file, el, 'data-start');
    const who = id ? `#${id}` : `<${el.tagName}>`;
    const r = resolved[i];
    // A clip that cannot be placed starts at 0 with an unknown end, so nothing downstream
    // (overlaps, run-past-the-end checks, the timeline view) reasons about a made-up window.
    let start = 0;
    let placed = false;
    const expr = parseStartExpression(startExpr);
    if (expr && expr.ref === null && expr.offset < 0) {
      diags.error('invalid_data_start', `${who}: data-start="${startExpr}" is negative.`, where, 'Start clips at 0 seconds or later.');
    } else if (!r.ok && r.reason === 'unknown-ref' && expr?.ref && /^[\d.]/.test(expr.ref) && !existsElsewhere(expr.ref)) {
      // "1.5s", "2sec": HeyGen's renderer reads these as the id of another element (none has it).
      diags.error(
        'invalid_data_start',
        `${who}: data-start="${startExpr}" is not a number of seconds; HeyGen's renderer reads it as a reference to an element with id "${expr.ref}", finds none and places the clip at 0 s.`,
        where,
        FAILURE.invalid.hint,
      );
    } else if (!r.ok && r.reason === 'unknown-ref' && expr?.ref && existsElsewhere(expr.ref)) {
      // A clip of another composition on the page: the runtime places it, as the engine does.
    } else if (!r.ok) {
      const { code, hint } = FAILURE[r.reason];
      diags.error(code, `${who}: ${r.message}.${r.reason === 'cycle' ? '' : " HeyGen's renderer places it at 0 s."}`, where, hint);
    } else {
      start = r.start;
      placed = true;
    }
    const duration = durations[i];
    clips.set(el, {
      id,
      kind: clipKind(el),
      tag: el.tagName,
      startExpr,
      start,
      duration,
      end: duration === null || !placed ? null : start + duration,
      track: numberAttr(diags, file, el, 'data-track-index', { integer: true, min: 0, example: '0' }),
      hasClipClass: (attr(el, 'class') ?? '').split(/\s+/).includes('clip'),
      loc: nodeLocation(file, el),
    });
  });
  return clips;
}

/** The `<video>` and `<audio>` elements among `elements`, with their clip window when timed. */
export function readMedia(
  diags: Diagnostics,
  file: ParsedHtmlFile,
  elements: HtmlElement[],
  clips: Map<HtmlElement, Clip>,
): MediaElement[] {
  const media: MediaElement[] = [];
  for (const el of elements) {
    if (el.tagName !== 'video' && el.tagName !== 'audio') continue;
    const clip = clips.get(el);
    const firstSource = [...descendants(el)].find((c) => c.tagName === 'source' && attr(c, 'src') !== null);
    media.push({
      id: attr(el, 'id'),
      kind: el.tagName,
      src: attr(el, 'src') ?? (firstSource ? attr(firstSource, 'src') : null),
      start: clip ? clip.start : null,
      duration: clip ? clip.duration : null,
      track: clip ? clip.track : null,
      mediaStart: numberAttr(diags, file, el, 'data-media-start', { min: 0, example: '1.5' }) ?? 0,
      volume: numberAttr(diags, file, el, 'data-volume', { min: 0, max: 1, example: '0.8' }) ?? 1,
      playbackRate: numberAttr(diags, file, el, 'data-playback-rate', { min: 0.1, max: 5, example: '1.5' }) ?? 1,
      muted: hasAttr(el, 'muted'),
      hasAudio: attr(el, 'data-has-audio') === 'true',
      loc: nodeLocation(file, el),
    });
  }
  return media;
}
