/**
 * Opening a project: the folder, the entry HTML (`index.html` or `--composition`) and its
 * composition root. These are the only problems that stop the parser, since without them there
 * is no model at all; each is a FramesmithError that says what to do.
 */
import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { FramesmithError } from '../core/errors.js';
import type { Diagnostics } from './attributes.js';
import type { ProjectFiles } from './files.js';
import { resolveRef } from './files.js';
import { attr, bodyOf, descendants, inTemplate, nodeLocation, parseHtmlFile, type HtmlElement, type ParsedHtmlFile } from './html.js';
import { ROOT_EXAMPLE } from './root.js';
import { describeRefusal, REFUSAL_HINT } from '../security/file-policy.js';

/** The absolute project folder; throws when `dir` is missing or not a folder. */
export function projectRoot(dir: string): string {
  const root = resolve(dir);
  let isDir: boolean;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    throw new FramesmithError('project_not_found', `The project folder ${dir} does not exist.`, {
      hint: 'Pass the folder that holds index.html, or create a project with `framesmith new <dir>`.',
    });
  }
  if (!isDir) {
    throw new FramesmithError('project_not_a_folder', `${dir} is not a folder (it is a file).`, {
      hint: 'Pass the folder that holds the composition (e.g. `framesmith lint .`); to use another entry HTML in it, add --composition <file>.',
    });
  }
  return root;
}

/** The project-relative entry path for `--composition` (absolute paths inside the project are accepted). */
export function entryPath(root: string, composition = 'index.html'): string {
  const asWritten = isAbsolute(composition) ? relative(root, composition).split(sep).join('/') : composition;
  const ref = resolveRef(asWritten, '');
  if (!ref.path || ref.outsideRoot || isAbsolute(asWritten)) {
    throw new FramesmithError('entry_outside_project', `--composition ${composition} is not a file inside the project folder.`, {
      hint: 'Pass the entry HTML as a path inside the project, e.g. --composition vertical.html.',
    });
  }
  return ref.path;
}

/** Reads the entry; throws when it is not there, naming the entries that are. */
export function readEntry(files: ProjectFiles, entry: string, otherEntries: () => string[], wanted: string): ParsedHtmlFile {
  const found = files.lookup(entry);
  if (found.refused) {
    throw new FramesmithError('file_refused', `${describeRefusal(entry, found.refused)}; framesmith does not open it.`, {
      hint: REFUSAL_HINT,
    });
  }
  if (!found.exists) {
    const others = otherEntries().filter((e) => e !== entry);
    const hint = found.caseMismatch
      ? `The file is named ${found.caseMismatch}; names are case-sensitive in the cloud renderer. Rename it to ${entry} or pass --composition ${found.caseMismatch}.`
      : others.length
        ? `Pass --composition with one of: ${others.join(', ')}.`
        : 'Create index.html with a composition root (or pass --composition <file>), or start from a template: `framesmith new <dir>`.';
    throw new FramesmithError('entry_not_found', `No ${wanted} in the project folder ${files.root}.`, { hint });
  }
  return parseHtmlFile(entry, files.read(entry));
}

/**
 * The composition root in a document's body, outside any <template>, as HeyGen's renderer picks
 * it: the element with data-composition-id and data-root="true", else the first element with
 * data-composition-id.
 */
export function findEntryRoot(file: ParsedHtmlFile): HtmlElement | null {
  const body = bodyOf(file.document);
  if (!body) return null;
  const all = [...descendants(body)].filter((el) => attr(el, 'data-composition-id') !== null);
  return all.find((el) => attr(el, 'data-root') === 'true') ?? all[0] ?? null;
}

/**
 * The composition root of the entry. A root wrapped in <template> is used (with an error
 * diagnostic) so lint can still check the rest; no root at all throws.
 */
export function entryRoot(entry: ParsedHtmlFile, diags: Diagnostics): { root: HtmlElement; inTemplate: boolean } {
  const root = findEntryRoot(entry);
  if (root) return { root, inTemplate: false };
  const templated = [...descendants(entry.document, { intoTemplates: true })].find(
    (el) => attr(el, 'data-composition-id') !== null && inTemplate(el),
  );
  if (templated) {
    diags.error(
      'standalone_composition_wrapped_in_template',
      `${entry.file} wraps its composition in <template>; an entry file must be a full document.`,
      nodeLocation(entry, templated),
      'Remove the <template> wrapper from the entry file: only sub-composition files use one.',
    );
    return { root: templated, inTemplate: true };
  }
  // Point at the element that looks meant to be the root, or at <body>.
  const body = bodyOf(entry.document);
  const candidate = [...descendants(entry.document)].find((el) => attr(el, 'data-width') !== null || attr(el, 'data-duration') !== null);
  const at = candidate ?? (body?.sourceCodeLocation ? body : null);
  throw new FramesmithError(
    'root_missing_composition_id',
    `${entry.file} has no composition root: no element in <body> has data-composition-id.`,
    {
      hint: `Mark the root element, e.g. ${ROOT_EXAMPLE}.`,
      loc: at ? nodeLocation(entry, at) : { file: entry.file, line: 1, column: 1 },
    },
  );
}
