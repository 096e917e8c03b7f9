/**
 * `parseProject()`: a project folder → the composition model. Throws only when no model can be
 * built at all (not a folder, no entry file, no composition root); every other problem becomes a
 * diagnostic, so lint can report them all. `loadProject()` is the strict form the commands use.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { FramesmithError } from '../core/errors.js';
import type { Diagnostic } from '../shared/diagnostics.js';
import type { CompositionModel, ProjectModel } from '../shared/model.js';
import { collectAssets } from './assets.js';
import { buildComposition, type BuildContext } from './composition.js';
import type { ParsedCssFile } from './css.js';
import { listEntries } from './entries.js';
import { ProjectFiles, resolveRef } from './files.js';
import { attr, bodyOf, descendants, inTemplate, nodeLocation, parseHtmlFile, type HtmlElement, type ParsedHtmlFile } from './html.js';

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

function projectRoot(dir: string): string {
  const root = resolve(dir);
  let stat;
  try {
    stat = statSync(root);
  } catch {
    throw new FramesmithError('project_not_found', `${dir} does not exist.`, { hint: 'Pass the folder of a composition project, or create one with `framesmith new <dir>`.' });
  }
  if (!stat.isDirectory()) {
    throw new FramesmithError('project_not_a_folder', `${dir} is not a folder.`, { hint: 'Pass the project folder (the one holding index.html), not a file; use --composition to pick another entry HTML.' });
  }
  return root;
}

/** The outermost element with data-composition-id in a document's body (not in a template). */
export function findRootElement(file: ParsedHtmlFile): HtmlElement | null {
  const body = bodyOf(file.document);
  if (!body) return null;
  for (const el of descendants(body)) if (attr(el, 'data-composition-id') !== null) return el;
  return null;
}

export async function parseProject(dir: string, options: ParseOptions = {}): Promise<ParsedProject> {
  const root = projectRoot(dir);
  const files = new ProjectFiles(root);
  const entryRef = resolveRef(options.composition ?? 'index.html', '');
  const entry = entryRef.path;
  if (!entry || !files.isFile(entry) || !files.lookup(entry).exists) {
    const others = (await listEntries(root)).filter((e) => e !== entry);
    const wanted = options.composition ?? 'index.html';
    const mismatch = entry ? files.lookup(entry).caseMismatch : null;
    throw new FramesmithError('entry_not_found', `No ${wanted} in ${dir}.`, {
      hint: mismatch
        ? `The file is named ${mismatch}: names are case-sensitive in the cloud; rename it or pass --composition ${mismatch}.`
        : others.length
          ? `Pass --composition with one of: ${others.join(', ')}.`
          : 'Create index.html with a composition root, or start from a template: `framesmith new <dir>`.',
    });
  }
  const diagnostics: Diagnostic[] = [];
  const html = new Map<string, ParsedHtmlFile>();
  const entryFile = parseHtmlFile(entry, files.read(entry));
  html.set(entry, entryFile);
  let rootEl = findRootElement(entryFile);
  let inTemplateEntry = false;
  if (!rootEl) {
    const templated = [...descendants(entryFile.document, { intoTemplates: true })].find((el) => attr(el, 'data-composition-id') !== null && inTemplate(el));
    if (templated) {
      rootEl = templated;
      inTemplateEntry = true;
      diagnostics.push({
        severity: 'error',
        code: 'standalone_composition_wrapped_in_template',
        message: `${entry} wraps its composition in <template>; an entry file must be a full document.`,
        hint: 'Remove the <template> wrapper from the entry file (only sub-composition files use it).',
        loc: nodeLocation(entryFile, templated),
      });
    }
  }
  if (!rootEl) {
    const candidate = [...descendants(entryFile.document)].find((el) => attr(el, 'data-width') !== null || attr(el, 'data-duration') !== null);
    throw new FramesmithError('root_missing_composition_id', `${entry} has no composition root: no element in <body> has data-composition-id.`, {
      hint: 'Mark the composition root, e.g. <div id="root" data-composition-id="main" data-width="1920" data-height="1080" data-start="0" data-duration="10">.',
      loc: candidate ? nodeLocation(entryFile, candidate) : { file: entry, line: 1, column: 1 },
    });
  }

  const ctx: BuildContext = {
    diagnostics,
    loadChild(host, file, src, compositionId, chain) {
      const where = nodeLocation(file, host, 'data-composition-src');
      const ref = resolveRef(src, '');
      if (ref.outsideRoot || ref.external || !ref.path) {
        diagnostics.push({ severity: 'error', code: ref.outsideRoot ? 'invalid_parent_traversal_in_asset_path' : 'missing_or_empty_sub_composition', message: `data-composition-src="${src}" must be a file inside the project.`, hint: 'Paths resolve from the project root; keep sub-compositions in the project (e.g. compositions/intro.html).', loc: where });
        return null;
      }
      if (chain.includes(ref.path) || ref.path === entry) {
        diagnostics.push({ severity: 'error', code: 'subcomposition_cycle', message: `Sub-compositions include each other: ${[entry, ...chain, ref.path].join(' → ')}.`, hint: 'Remove the host that loads a file already on the way.', loc: where });
        return null;
      }
      const facts = files.lookup(ref.path);
      if (!facts.exists || !files.isFile(ref.path)) {
        diagnostics.push({
          severity: 'error',
          code: 'missing_or_empty_sub_composition',
          message: facts.caseMismatch ? `data-composition-src="${src}" differs in letter case from the file ${facts.caseMismatch}.` : `data-composition-src="${src}": no such file in the project.`,
          hint: facts.caseMismatch ? 'File names are case-sensitive in the cloud: match the name exactly.' : 'Check the path; it resolves from the project root.',
          loc: where,
        });
        return null;
      }
      let child = html.get(ref.path);
      if (!child) {
        child = parseHtmlFile(ref.path, files.read(ref.path));
        html.set(ref.path, child);
      }
      const childRoot = [...descendants(child.document, { intoTemplates: true })].find((el) => attr(el, 'data-composition-id') === compositionId);
      if (!childRoot) {
        const ids = [...descendants(child.document, { intoTemplates: true })].map((el) => attr(el, 'data-composition-id')).filter(Boolean);
        diagnostics.push({
          severity: 'error',
          code: 'missing_or_empty_sub_composition',
          message: `${ref.path} has no root with data-composition-id="${compositionId}"${ids.length ? ` (it has ${ids.map((i) => `"${i}"`).join(', ')})` : ''}.`,
          hint: 'The host and the root inside the file must carry the same data-composition-id.',
          loc: where,
        });
        return null;
      }
      return buildComposition(ctx, child, childRoot, { isEntry: false, inTemplate: inTemplate(childRoot), chain: [...chain, ref.path] });
    },
  };
  const composition: CompositionModel = buildComposition(ctx, entryFile, rootEl, { isEntry: true, inTemplate: inTemplateEntry, chain: [] });
  const css = new Map<string, ParsedCssFile>();
  const assets = collectAssets([...html.values()], files, css);
  const model: ProjectModel = { root, entry, entries: await listEntries(root), composition, assets, diagnostics };
  return { model, html, css };
}

/** Parses the project and throws a FramesmithError for its first error (all errors as details). */
export async function loadProject(dir: string, options: ParseOptions = {}): Promise<ProjectModel> {
  const { model } = await parseProject(dir, options);
  const errors = model.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    const [first, ...rest] = errors;
    throw FramesmithError.from(first, { details: rest });
  }
  return model;
}
