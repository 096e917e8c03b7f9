/**
 * Sub-compositions: a host element's `data-composition-src` file, found from the project root
 * (where the page is served from, also inside sub-composition files), read once per parse, and
 * its root (template-wrapped or a full document) matched to the host's `data-composition-id`.
 * Missing files, letter-case mismatches, id mismatches and files that load each other in a loop
 * are errors at the host's attribute. `data-variable-values` is parsed per instance.
 */
import type { Clip, CompositionModel, SubCompositionInstance } from '../../shared/model.js';
import { numberAttr, type Diagnostics } from './attributes.js';
import { resolveRef, type ProjectFiles } from './files.js';
import { attr, descendants, nodeLocation, parseHtmlFile, type HtmlElement, type ParsedHtmlFile } from './html.js';
import { FramesmithError } from '../core/errors.js';
import { describeRefusal, FILE_REFUSED, REFUSAL_HINT } from '../security/file-policy.js';

/** What every composition of one parse shares. */
export interface ParseContext {
  files: ProjectFiles;
  diags: Diagnostics;
  /** Every HTML file read so far, by project-relative path. */
  html: Map<string, ParsedHtmlFile>;
  entry: string;
}

/** The outermost element with data-composition-id, looking inside <template> too. */
export function findCompositionRoot(file: ParsedHtmlFile): HtmlElement | null {
  for (const el of descendants(file.document, { intoTemplates: true })) if (attr(el, 'data-composition-id') !== null) return el;
  return null;
}

const CODE = 'missing_or_empty_sub_composition';

/**
 * Reads the file a host loads and finds its root. Returns null, with a diagnostic at the host,
 * when the file cannot be used. `chain` is the files already on the way (entry excluded).
 */
export function openChild(
  ctx: ParseContext,
  host: HtmlElement,
  file: ParsedHtmlFile,
  chain: string[],
): { file: ParsedHtmlFile; root: HtmlElement } | null {
  const src = attr(host, 'data-composition-src') ?? '';
  const hostId = attr(host, 'data-composition-id') ?? '';
  const where = nodeLocation(file, host, 'data-composition-src');
  const ref = resolveRef(src, '');
  if (ref.outsideRoot) {
    ctx.diags.error(
      'invalid_parent_traversal_in_asset_path',
      `data-composition-src="${src}" climbs above the project root; the file will not be in the bundle.`,
      where,
      'Move the sub-composition into the project (e.g. compositions/intro.html) and write its path from the project root.',
    );
    return null;
  }
  if (!ref.path) {
    const what = src.trim() === '' ? 'is empty' : 'is not a file inside the project';
    ctx.diags.error(
      CODE,
      `data-composition-src="${src}" ${what}.`,
      where,
      'Point it at an HTML file in the project, written from the project root: data-composition-src="compositions/intro.html".',
    );
    return null;
  }
  if (ref.path === ctx.entry || chain.includes(ref.path)) {
    const loop = [ctx.entry, ...chain, ref.path].join(' → ');
    ctx.diags.error(
      'subcomposition_cycle',
      `Sub-compositions load each other in a loop: ${loop}.`,
      where,
      `Remove the host in ${file.file} that loads ${ref.path} again.`,
    );
    return null;
  }
  const found = ctx.files.lookup(ref.path);
  if (found.refused) {
    ctx.diags.error(
      FILE_REFUSED,
      `data-composition-src="${src}": ${describeRefusal(ref.path, found.refused)}; framesmith never serves or bundles it.`,
      where,
      REFUSAL_HINT,
    );
    return null;
  }
  if (!found.exists) {
    ctx.diags.error(
      CODE,
      found.caseMismatch
        ? `data-composition-src="${src}" differs in letter case from the file ${found.caseMismatch}.`
        : `data-composition-src="${src}": ${ref.path} does not exist in the project.`,
      where,
      found.caseMismatch
        ? `Write "${found.caseMismatch}": file names are case-sensitive in the cloud renderer.`
        : 'Check the path: sub-composition paths are written from the project root, also inside sub-composition files.',
    );
    return null;
  }
  let child = ctx.html.get(ref.path);
  if (!child) {
    try {
      child = parseHtmlFile(ref.path, ctx.files.read(ref.path));
    } catch (error) {
      if (!(error instanceof FramesmithError)) throw error;
      ctx.diags.error(error.code, `data-composition-src="${src}": ${error.message}`, where, error.hint);
      return null;
    }
    ctx.html.set(ref.path, child);
  }
  const root = findCompositionRoot(child);
  if (!root) {
    const empty = child.source.trim() === '';
    ctx.diags.error(
      CODE,
      empty
        ? `${ref.path} (loaded by "${hostId}") is empty.`
        : `${ref.path} (loaded by "${hostId}") has no element with data-composition-id.`,
      where,
      `Wrap the sub-composition in <template><div data-composition-id="${hostId || 'name'}" …>…</div></template>.`,
    );
    return null;
  }
  const rootId = attr(root, 'data-composition-id') ?? '';
  if (rootId !== hostId) {
    ctx.diags.error(
      CODE,
      `The host asks for data-composition-id="${hostId}", but the root of ${ref.path} is "${rootId}".`,
      where,
      'The host and the root element inside the file must carry the same data-composition-id.',
    );
    return null;
  }
  return { file: child, root };
}

function readValues(diags: Diagnostics, file: ParsedHtmlFile, host: HtmlElement): Record<string, unknown> {
  const raw = attr(host, 'data-variable-values');
  if (raw === null) return {};
  const loc = nodeLocation(file, host, 'data-variable-values');
  const hint = `Write a JSON object of the child's variables inside single quotes: data-variable-values='{"title":"Scene 1"}'.`;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    diags.error('invalid_variable_values_json', `data-variable-values is not valid JSON (${(e as Error).message}).`, loc, hint);
    return {};
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    diags.error('invalid_variable_values_json', `data-variable-values is ${kind}, not a JSON object.`, loc, hint);
    return {};
  }
  return value as Record<string, unknown>;
}

/** The instance a host makes: its window in the parent, playback offset and variable values. */
export function readInstance(
  diags: Diagnostics,
  file: ParsedHtmlFile,
  host: HtmlElement,
  clip: Clip | undefined,
  child: CompositionModel | null,
): SubCompositionInstance {
  const duration = clip ? clip.duration : child && child.duration > 0 ? child.duration : null;
  const start = clip?.start ?? 0;
  return {
    hostId: attr(host, 'id'),
    compositionId: attr(host, 'data-composition-id') ?? '',
    src: attr(host, 'data-composition-src') ?? '',
    start,
    duration,
    end: clip ? clip.end : duration === null ? null : start + duration,
    track: clip?.track ?? null,
    playbackStart: numberAttr(diags, file, host, 'data-playback-start', { min: 0, example: '2' }) ?? 0,
    variableValues: readValues(diags, file, host),
    loc: nodeLocation(file, host),
    composition: child,
  };
}
