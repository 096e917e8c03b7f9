/**
 * The HTML files of a project that can be rendered on their own: full documents (a doctype or
 * a written <html>) whose body holds a composition root outside any <template>. The dev picker,
 * `--composition` hints and the "no entry" error use it. Output folders, node_modules and
 * dotfiles are not searched.
 */
import { resolve } from 'node:path';
import { findEntryRoot } from './entry.js';
import { ProjectFiles } from './files.js';
import { attr, hasDoctype, htmlElementOf, parseHtmlFile, type ParsedHtmlFile } from './html.js';

/** Folders that never hold authored entries: dependencies and framesmith's own outputs. */
const SKIP_DIRS = new Set(['node_modules', 'dist', 'renders', 'snapshots']);
const MAX_DEPTH = 8;

function htmlFiles(files: ProjectFiles, dir: string, depth: number, out: string[]): void {
  const entries = files.list(dir);
  if (!entries || depth > MAX_DEPTH) return;
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const path = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory() && !SKIP_DIRS.has(e.name)) htmlFiles(files, path, depth + 1, out);
    else if (e.isFile() && /\.html?$/i.test(e.name)) out.push(path);
  }
}

/** Whether a parsed file is a full document with its own composition root. */
export function isEntryDocument(file: ParsedHtmlFile): boolean {
  const full = hasDoctype(file.document) || Boolean(htmlElementOf(file.document)?.sourceCodeLocation?.startTag);
  if (!full) return false;
  const root = findEntryRoot(file);
  return root !== null && attr(root, 'data-composition-src') === null;
}

/** index.html first, then by path. */
function entryOrder(a: string, b: string): number {
  if (a === b) return 0;
  if (a === 'index.html') return -1;
  if (b === 'index.html') return 1;
  return a < b ? -1 : 1;
}

/** Entries of a project through an existing file cache; reuses files already parsed in `parsed`. */
export function findEntries(files: ProjectFiles, parsed?: Map<string, ParsedHtmlFile>): string[] {
  const candidates: string[] = [];
  htmlFiles(files, '', 0, candidates);
  return candidates
    .filter((path) => {
      try {
        return isEntryDocument(parsed?.get(path) ?? parseHtmlFile(path, files.read(path)));
      } catch {
        return false; // unreadable file: not an entry
      }
    })
    .sort(entryOrder);
}

/**
 * Project-relative HTML files that look like entries, sorted, index.html first. Skips
 * node_modules, dotfiles and dotfolders, and dist/, renders/, snapshots/ output.
 */
export async function listEntries(dir: string): Promise<string[]> {
  return findEntries(new ProjectFiles(resolve(dir)));
}
