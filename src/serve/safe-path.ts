/**
 * Maps a URL path to a file inside a project folder, or refuses it. Shared by every server
 * framesmith runs (the static server and the dev server's middleware), so the rules are one:
 * no climbing out (`..`, encoded or not), no symlink that leads outside, no dotfiles or dot
 * folders (`.env`, `.git`), no node_modules internals unless allowed.
 */
import { promises as fs } from 'node:fs';
import { join, relative, sep } from 'node:path';

export type ResolvedPath = { ok: true; path: string; relative: string } | { ok: false; status: 403 | 404; reason: string };

/** Whether a project-relative path (forward slashes) has a segment starting with a dot. */
export function hasDotSegment(rel: string): boolean {
  return rel.split('/').some((s) => s.startsWith('.') && s !== '');
}

/**
 * Resolves `urlPath` (e.g. `/css/app.css`, already without query) against `root` (a realpath).
 * A directory resolves to its index.html.
 */
export async function resolveProjectPath(root: string, urlPath: string): Promise<ResolvedPath> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { ok: false, status: 404, reason: 'Not found' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { ok: false, status: 403, reason: 'Forbidden' };
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) return { ok: false, status: 403, reason: 'Forbidden: outside the project folder' };
  if (segments.some((s) => s.startsWith('.'))) return { ok: false, status: 404, reason: 'Not found' };
  let path = join(root, ...segments);
  let real: string;
  try {
    real = await fs.realpath(path);
  } catch {
    return { ok: false, status: 404, reason: 'Not found' };
  }
  const rel = relative(root, real);
  if (rel.startsWith('..') || rel.split(sep).includes('..') || (rel !== '' && rel.startsWith(sep))) {
    return { ok: false, status: 403, reason: 'Forbidden: link leads outside the project folder' };
  }
  const stat = await fs.stat(real);
  if (stat.isDirectory()) {
    path = join(real, 'index.html');
    try {
      real = await fs.realpath(path);
      if (relative(root, real).startsWith('..')) return { ok: false, status: 403, reason: 'Forbidden' };
    } catch {
      return { ok: false, status: 404, reason: 'Not found' };
    }
  }
  return { ok: true, path: real, relative: relative(root, real).split(sep).join('/') };
}
