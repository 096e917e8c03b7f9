/**
 * `parseProject()`: a project folder → the composition model, with the parsed HTML and CSS
 * trees lint reads. Throws only when no model can be built at all (not a folder, no entry file,
 * no composition root); every other problem becomes a diagnostic, so lint can report them all.
 * `loadProject()` is the strict form snapshot, render and dev use.
 */
import { posix } from 'node:path';
import { withDefaultInterrupt } from '../core/interrupt.js';
import { FramesmithError } from '../core/errors.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import type { ProjectModel } from '../../shared/model.js';
import { HEYGEN_DEFAULT_SIZE, REFUSED_BY_HEYGEN, REFUSED_BY_THE_MODEL } from '../../shared/render-mode.js';
import { collectAssets } from './assets.js';
import { Diagnostics } from './attributes.js';
import { buildComposition } from './composition.js';
import type { ParsedCssFile } from './css.js';
import { findEntries } from './entries.js';
import { entryPath, entryRoot, projectRoot, readEntry } from './entry.js';
import { ProjectFiles } from './files.js';
import { attr, descendants, firstTooDeep, nodeLocation, type HtmlElement, type ParsedHtmlFile } from './html.js';
import { DEPTH_HINT, limits, tooDeepMessage } from '../security/budgets.js';
import type { ParseContext } from './sub-compositions.js';

export interface ParseOptions {
  /** Entry HTML inside the project (default `index.html`). */
  composition?: string;
}

export interface ParsedProject {
  model: ProjectModel;
  /** Entry and every sub-composition file read, by project-relative path. */
  html: Map<string, ParsedHtmlFile>;
  /** Every local stylesheet referenced, by project-relative path. */
  css: Map<string, ParsedCssFile>;
}

/**
 * Parses the project in `dir`. Throws a FramesmithError only when there is no model to build
 * (folder missing or not a folder, entry missing, no composition root); everything else is in
 * `model.diagnostics`.
 */
export async function parseProject(dir: string, options: ParseOptions = {}): Promise<ParsedProject> {
  // All synchronous: Ctrl+C must still end a parse of a large project at once.
  return withDefaultInterrupt(() => parseProjectNow(dir, options));
}

function parseProjectNow(dir: string, options: ParseOptions): ParsedProject {
  const root = projectRoot(dir);
  const files = new ProjectFiles(root);
  const entry = entryPath(root, options.composition);
  const html = new Map<string, ParsedHtmlFile>();
  const entryFile = readEntry(files, entry, () => findEntries(files), options.composition ?? 'index.html');
  html.set(entry, entryFile);

  const diags = new Diagnostics();
  const found = entryRoot(entryFile, diags);
  const ctx: ParseContext = { files, diags, html, entry };
  const composition = buildComposition(ctx, entryFile, found.root, { isEntry: true, inTemplate: found.inTemplate, chain: [] });
  // A root without data-duration: HeyGen's renderer takes the length from the compositions on the
  // page, to the end of the one that ends last (its runtime adds timelines' lengths to that).
  if (!(composition.duration > 0)) composition.duration = compositionWindowEnd(entryFile, found.root);

  const css = new Map<string, ParsedCssFile>();
  // The entry's own references resolve against its folder (the page's URL); sub-composition
  // files are mounted into it and written from the project root, which is the same folder for
  // the usual index.html at the top.
  const entryDir = posix.dirname(entry) === '.' ? '' : posix.dirname(entry);
  const assets = collectAssets(
    [...html.values()],
    files,
    css,
    (file) => (file === entry ? entryDir : ''),
    (code, message, loc, hint) => diags.error(code, message, loc, hint),
  );
  checkNesting([...html.values()], diags);
  const model: ProjectModel = {
    root,
    entry,
    entries: findEntries(files, html),
    composition,
    assets,
    diagnostics: inReadingOrder(diags.list, [...html.keys()]),
  };
  return { model, html, css };
}

/** The latest `data-start + data-duration` (plain seconds) among the page's other compositions, or 0. */
function compositionWindowEnd(file: ParsedHtmlFile, root: HtmlElement): number {
  let end = 0;
  for (const el of descendants(file.document)) {
    if (el === root || attr(el, 'data-composition-id') === null) continue;
    const start = Number(attr(el, 'data-start') ?? '0');
    const duration = Number(attr(el, 'data-duration'));
    if (Number.isFinite(start) && Number.isFinite(duration) && duration > 0) end = Math.max(end, Math.max(0, start) + duration);
  }
  return end;
}

/** One error per HTML file whose elements nest deeper than the budget (at the first such element). */
function checkNesting(files: ParsedHtmlFile[], diags: Diagnostics): void {
  const { depth } = limits();
  for (const file of files) {
    const deep = firstTooDeep(file.document, depth);
    if (deep) diags.error('nesting_too_deep', tooDeepMessage(`The markup of ${file.file}`, depth), nodeLocation(file, deep.el), DEPTH_HINT);
  }
}

/** Diagnostics by file (the entry first, then sub-compositions as they were reached), line and column. */
function inReadingOrder(list: Diagnostic[], files: string[]): Diagnostic[] {
  const rank = (d: Diagnostic) => {
    const i = files.indexOf(d.loc?.file ?? '');
    return i < 0 ? files.length : i;
  };
  return [...list].sort(
    (a, b) => rank(a) - rank(b) || (a.loc?.line ?? 0) - (b.loc?.line ?? 0) || (a.loc?.column ?? 0) - (b.loc?.column ?? 0),
  );
}

/**
 * `parseProject()`, then throws a FramesmithError for the first error diagnostic HeyGen's
 * renderer refuses a project with (REFUSED_BY_HEYGEN), with every such diagnostic as its
 * details. Otherwise returns the model, its other errors left in `diagnostics` for the caller to
 * show, and HeyGen's default size where the root has none.
 */
export async function loadProject(dir: string, options: ParseOptions = {}): Promise<ProjectModel> {
  const { model } = await parseProject(dir, options);
  // Only what HeyGen's renderer refuses stops snapshot and render; it renders through the rest,
  // so they do too (the caller shows the other errors as warnings), with its default size.
  // A file framesmith could not read through (too deep, too large) stops them too: nothing about
  // it was checked (i13's size budgets); so does a URL nothing can load (ftp:, file:). Lint and
  // build refuse both likewise (REFUSED_BY_FRAMESMITH).
  const errors = model.diagnostics.filter(
    (d) => d.severity === 'error' && (REFUSED_BY_HEYGEN.has(d.code) || REFUSED_BY_THE_MODEL.has(d.code)),
  );
  if (errors.length) throw FramesmithError.from(errors[0], { details: errors });
  const comp = model.composition;
  if (!(comp.width > 0) || !(comp.height > 0)) {
    comp.width = comp.width > 0 ? comp.width : HEYGEN_DEFAULT_SIZE.width;
    comp.height = comp.height > 0 ? comp.height : HEYGEN_DEFAULT_SIZE.height;
  }
  return model;
}
