/**
 * Lists the HTML files of a project that can be rendered on their own: full documents whose
 * body holds a composition root outside any <template>. The dev picker and `--composition`
 * hints use it.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { attr, bodyOf, descendants, parseHtmlFile } from './html.js';

/** Folders that never hold authored entries. */
const SKIP_DIRS = new Set(['node_modules', 'dist', 'renders', 'snapshots', 'build', 'out']);

async function htmlFiles(root: string, dir: string, depth: number, out: string[]): Promise<void> {
  if (depth > 6) return;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = join(dir, e.name);
    if (e.isDirectory() && !SKIP_DIRS.has(e.name)) await htmlFiles(root, full, depth + 1, out);
    else if (e.isFile() && /\.html?$/i.test(e.name)) out.push(relative(root, full).split(sep).join('/'));
  }
}

export async function listEntries(dir: string): Promise<string[]> {
  const candidates: string[] = [];
  await htmlFiles(dir, dir, 0, candidates);
  const entries: string[] = [];
  for (const file of candidates) {
    const parsed = parseHtmlFile(file, await readFile(join(dir, file), 'utf8'));
    const body = bodyOf(parsed.document);
    if (!body || !/^\s*<!doctype html/i.test(parsed.source)) continue;
    for (const el of descendants(body)) {
      if (attr(el, 'data-composition-id') !== null && attr(el, 'data-composition-src') === null) {
        entries.push(file);
        break;
      }
    }
  }
  return entries.sort((a, b) => (a === 'index.html' ? -1 : b === 'index.html' ? 1 : a.localeCompare(b)));
}
