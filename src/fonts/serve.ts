/**
 * The three calls the servers make (static server and dev server alike): the entry document
 * with the engine's faces, a sub-composition file with the engine's generic-family rewrite, and
 * the font files themselves. Pages are kept per entry until one of the composition's files
 * changes on disk.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { composeFontFragment, composeFontPage } from './page-fonts.js';
import { fontFileForUrl } from './packages.js';
import type { FontPlan } from './resolve.js';

/** Served entry pages by project-relative file: the files read (with mtimes) and the result. */
export type FontPageCache = Map<string, { mtimes: Map<string, number>; html: string; plan: FontPlan }>;

async function mtimeOf(path: string): Promise<number> {
  try {
    return (await fs.stat(path)).mtimeMs;
  } catch {
    return -1;
  }
}

async function unchanged(root: string, mtimes: Map<string, number>): Promise<boolean> {
  for (const [file, mtime] of mtimes) if ((await mtimeOf(join(root, file))) !== mtime) return false;
  return true;
}

/**
 * The entry `file` (project-relative) of the project at `root` (a realpath) as served before the
 * runtime goes in; `fresh` is true when it is the same text as the last call returned.
 */
export async function servedFontPage(
  root: string,
  file: string,
  cache: FontPageCache,
): Promise<{ html: string; plan: FontPlan; fresh: boolean }> {
  const hit = cache.get(file);
  if (hit && (await unchanged(root, hit.mtimes))) return { html: hit.html, plan: hit.plan, fresh: true };
  const mtime = await mtimeOf(join(root, file));
  const source = await fs.readFile(join(root, file), 'utf8');
  const { html, plan, composition } = await composeFontPage(root, { file, source });
  const mtimes = new Map<string, number>([[file, mtime]]);
  for (const f of composition.files.slice(1)) mtimes.set(f.file, await mtimeOf(join(root, f.file)));
  cache.set(file, { mtimes, html, plan });
  return { html, plan, fresh: false };
}

/** A sub-composition file as served: custom properties come from the entry page that mounts it. */
export function servedFragment(file: string, source: string, cache: FontPageCache): string {
  const owner = [...cache.values()].find((p) => p.mtimes.has(file));
  return composeFontFragment(file, source, owner?.plan.customProperties);
}

/** The font file on disk for a /__framesmith/fonts/… path, or null (not a font URL, or unknown). */
export function servedFontFile(pathname: string): string | null {
  return fontFileForUrl(pathname);
}

/**
 * Warns (once per family) where a local page cannot draw what the cloud draws: a family the cloud
 * has that framesmith found no copy of. Snapshot and render call it before they capture.
 */
export async function warnFontsNotDrawnHere(
  logger: { warn(msg: string, code?: string): void },
  root: string,
  entry: string,
): Promise<void> {
  let plan: FontPlan;
  try {
    plan = (await servedFontPage(await fs.realpath(root), entry, new Map())).plan;
  } catch {
    return; // the page itself reports unreadable files
  }
  for (const f of plan.families) {
    if (f.local) continue;
    logger.warn(
      `"${f.family}": the cloud draws it with ${f.canonical?.family ?? f.family}, but ${f.reason}; this output draws the next family in its list instead (framesmith vendor, or one online run, fetches it).`,
      'font_not_available_locally',
    );
  }
}
