/**
 * Builds a CompositionModel from its root element: size and timing attributes, variable
 * declarations, timed clips with resolved windows, media, and sub-compositions (parsed
 * recursively through `loadChild`). Problems become diagnostics; nothing here throws.
 */
import type { Diagnostic, SourceLocation } from '../shared/diagnostics.js';
import type { Clip, ClipKind, CompositionModel, MediaElement, SubCompositionInstance } from '../shared/model.js';
import { resolveStarts } from '../shared/timing.js';
import { validateDeclarations, type VariableDeclaration } from '../shared/variables.js';
import { attr, descendants, hasAttr, htmlElementOf, nodeLocation, type HtmlElement, type ParsedHtmlFile } from './html.js';

export interface BuildContext {
  diagnostics: Diagnostic[];
  /** Parses a sub-composition file for a host; returns null (with a diagnostic) when it cannot. */
  loadChild(host: HtmlElement, file: ParsedHtmlFile, src: string, compositionId: string, chain: string[]): CompositionModel | null;
}

type NumberCheck = { min?: number; integer?: boolean; positive?: boolean };

function report(ctx: BuildContext, severity: Diagnostic['severity'], code: string, message: string, loc: SourceLocation, hint?: string): void {
  ctx.diagnostics.push({ severity, code, message, loc, hint });
}

/** Reads a numeric attribute; reports and returns null when present but not a valid number. */
function numberAttr(ctx: BuildContext, file: ParsedHtmlFile, el: HtmlElement, name: string, check: NumberCheck = {}): number | null {
  const raw = attr(el, name);
  if (raw === null || raw.trim() === '') return null;
  const n = Number(raw);
  const bad = !Number.isFinite(n) || (check.integer && !Number.isInteger(n)) || (check.positive && n <= 0) || (check.min !== undefined && n < check.min);
  if (bad) {
    const want = check.positive ? 'a number above 0' : check.integer ? 'a whole number' : 'a number';
    report(ctx, 'error', 'invalid_attribute_value', `${name}="${raw}" is not ${want}.`, nodeLocation(file, el, name), `Write ${name} as ${want}, e.g. ${name}="${check.integer ? 1 : 1.5}".`);
    return null;
  }
  return n;
}

function readVariables(ctx: BuildContext, file: ParsedHtmlFile, el: HtmlElement | null): VariableDeclaration[] {
  const raw = el ? attr(el, 'data-composition-variables') : null;
  if (!el || raw === null) return [];
  const loc = nodeLocation(file, el, 'data-composition-variables');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    report(ctx, 'error', 'invalid_composition_variables_declaration', `data-composition-variables is not valid JSON: ${(e as Error).message}.`, loc,
      'Write a JSON array in single quotes: data-composition-variables=\'[{"id":"title","type":"string","label":"Title","default":"Hi"}]\'.');
    return [];
  }
  const { declarations, problems } = validateDeclarations(parsed);
  for (const p of problems) {
    report(ctx, 'error', 'invalid_composition_variables_declaration', `Invalid variable declaration: ${p.message}.`, loc,
      'Every entry needs "id", "type" (string, number, color, boolean, enum, font, image), "label" and a "default" of that type; enums need "options".');
  }
  return declarations;
}

/** Elements of this composition (not inside a sub-composition host or a nested root). */
function ownElements(root: HtmlElement): HtmlElement[] {
  const out: HtmlElement[] = [];
  const visit = (el: HtmlElement) => {
    for (const child of el.childNodes) {
      if (!('tagName' in child)) continue;
      out.push(child);
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

/** Builds the model of the composition rooted at `root` in `file`. */
export function buildComposition(ctx: BuildContext, file: ParsedHtmlFile, root: HtmlElement, options: { isEntry: boolean; inTemplate: boolean; chain: string[] }): CompositionModel {
  const loc = nodeLocation(file, root);
  const id = attr(root, 'data-composition-id') ?? '';
  const width = numberAttr(ctx, file, root, 'data-width', { positive: true });
  const height = numberAttr(ctx, file, root, 'data-height', { positive: true });
  const duration = numberAttr(ctx, file, root, 'data-duration', { positive: true });
  const fps = numberAttr(ctx, file, root, 'data-fps', { positive: true });
  if (options.isEntry) {
    const missing = ['data-width', 'data-height'].filter((a) => attr(root, a) === null);
    if (missing.length) {
      report(ctx, 'error', 'root_missing_dimensions', `The composition root "${id}" has no ${missing.join(' or ')}.`, loc,
        'Add data-width and data-height in pixels to the root, e.g. data-width="1920" data-height="1080".');
    }
    if (attr(root, 'data-duration') === null) {
      report(ctx, 'error', 'root_composition_missing_duration_source', `The composition root "${id}" has no data-duration.`, loc,
        'Add data-duration in seconds to the root, e.g. data-duration="10"; the length is read before any script runs.');
    }
    if (fps !== null && (fps > 240 || !Number.isInteger(fps))) {
      report(ctx, 'error', 'invalid_fps', `data-fps="${attr(root, 'data-fps')}" must be a whole number from 1 to 240.`, nodeLocation(file, root, 'data-fps'), 'Use a whole number such as 24, 30 or 60.');
    }
  }
  const variables = [
    ...(options.isEntry ? readVariables(ctx, file, htmlElementOf(file.document)) : []),
    ...readVariables(ctx, file, root),
  ];
  const own = ownElements(root);
  const compDuration = duration ?? 0;
  const model: CompositionModel = {
    id,
    file: file.file,
    elementId: attr(root, 'id'),
    width: width ?? 0,
    height: height ?? 0,
    start: numberAttr(ctx, file, root, 'data-start', { min: 0 }) ?? 0,
    duration: compDuration,
    fps: fps !== null && fps <= 240 ? fps : null,
    noTimeline: hasAttr(root, 'data-no-timeline'),
    inTemplate: options.inTemplate,
    variables,
    clips: [],
    media: [],
    subCompositions: [],
    loc,
  };

  // Sub-compositions first: a host without data-duration lasts as long as its child.
  const children = new Map<HtmlElement, CompositionModel | null>();
  for (const el of own) {
    const src = attr(el, 'data-composition-src');
    if (src === null) continue;
    const childId = attr(el, 'data-composition-id');
    if (!childId) {
      report(ctx, 'error', 'host_missing_composition_id', `The element loading ${src} has no data-composition-id.`, nodeLocation(file, el, 'data-composition-src'),
        'Give the host the same data-composition-id as the root element inside the sub-composition file.');
      children.set(el, null);
      continue;
    }
    children.set(el, ctx.loadChild(el, file, src, childId, options.chain));
  }

  const timed = own.filter((el) => hasAttr(el, 'data-start'));
  const durations = timed.map((el) => {
    const d = numberAttr(ctx, file, el, 'data-duration', { min: 0 });
    if (d !== null) return d;
    const child = children.get(el);
    return child && child.duration > 0 ? child.duration : null;
  });
  const resolved = resolveStarts(
    timed.map((el, i) => ({ id: attr(el, 'id'), altIds: attr(el, 'data-composition-id') ? [attr(el, 'data-composition-id')!] : [], startExpr: attr(el, 'data-start') ?? '0', duration: durations[i] })),
  );
  timed.forEach((el, i) => {
    const r = resolved[i];
    const where = nodeLocation(file, el, 'data-start');
    let start = 0;
    if (!r.ok) {
      const code = { invalid: 'invalid_data_start', 'unknown-ref': 'unknown_start_reference', cycle: 'start_reference_cycle', 'unknown-duration': 'start_reference_without_duration' }[r.reason];
      const hint = {
        invalid: 'Write seconds (data-start="1.5") or a clip id with an optional offset (data-start="intro + 0.5").',
        'unknown-ref': 'Reference the id of another timed element in the same composition.',
        cycle: 'Break the cycle: give one of these clips a start in seconds.',
        'unknown-duration': 'Give the referenced clip a data-duration, or start this clip at a number of seconds.',
      }[r.reason];
      report(ctx, 'error', code, `${attr(el, 'id') ? `#${attr(el, 'id')}: ` : ''}${r.message}.`, where, hint);
    } else start = r.start;
    const d = durations[i];
    const clip: Clip = {
      id: attr(el, 'id'),
      kind: clipKind(el),
      tag: el.tagName,
      startExpr: attr(el, 'data-start') ?? '0',
      start,
      duration: d,
      end: d === null ? null : start + d,
      track: numberAttr(ctx, file, el, 'data-track-index', { integer: true, min: 0 }),
      hasClipClass: (attr(el, 'class') ?? '').split(/\s+/).includes('clip'),
      loc: nodeLocation(file, el),
    };
    model.clips.push(clip);
  });

  const clipByEl = new Map(timed.map((el, i) => [el, model.clips[i]]));
  for (const el of own) {
    if (el.tagName !== 'video' && el.tagName !== 'audio') continue;
    const clip = clipByEl.get(el);
    const firstSource = [...descendants(el)].find((c) => c.tagName === 'source');
    const media: MediaElement = {
      id: attr(el, 'id'),
      kind: el.tagName,
      src: attr(el, 'src') ?? (firstSource ? attr(firstSource, 'src') : null),
      start: clip ? clip.start : null,
      duration: clip ? clip.duration : null,
      track: clip ? clip.track : null,
      mediaStart: numberAttr(ctx, file, el, 'data-media-start', { min: 0 }) ?? 0,
      volume: numberAttr(ctx, file, el, 'data-volume', { min: 0 }) ?? 1,
      playbackRate: numberAttr(ctx, file, el, 'data-playback-rate', { positive: true }) ?? 1,
      muted: hasAttr(el, 'muted'),
      hasAudio: attr(el, 'data-has-audio') === 'true',
      loc: nodeLocation(file, el),
    };
    model.media.push(media);
  }

  for (const [el, child] of children) {
    const clip = clipByEl.get(el);
    const raw = attr(el, 'data-variable-values');
    let values: Record<string, unknown> = {};
    if (raw !== null) {
      try {
        const v = JSON.parse(raw);
        if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('it is not an object');
        values = v;
      } catch (e) {
        report(ctx, 'error', 'invalid_variable_values_json', `data-variable-values is not a JSON object: ${(e as Error).message}.`, nodeLocation(file, el, 'data-variable-values'),
          'Write a JSON object of the child\'s variables in single quotes: data-variable-values=\'{"title":"Scene 1"}\'.');
      }
    }
    const instance: SubCompositionInstance = {
      hostId: attr(el, 'id'),
      compositionId: attr(el, 'data-composition-id') ?? '',
      src: attr(el, 'data-composition-src') ?? '',
      start: clip?.start ?? 0,
      duration: clip?.duration ?? child?.duration ?? null,
      end: clip?.end ?? null,
      track: clip?.track ?? null,
      playbackStart: numberAttr(ctx, file, el, 'data-playback-start', { min: 0 }) ?? 0,
      variableValues: values,
      loc: nodeLocation(file, el),
      composition: child,
    };
    model.subCompositions.push(instance);
  }
  return model;
}
