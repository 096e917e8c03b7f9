/**
 * Maps a URL path to a file inside a project folder, or refuses it. Shared by every server
 * framesmith runs (the static server and the dev server's middleware), so the rules are one: the
 * file-access policy of src/security/file-policy.ts, decided on the real path. A refused file and
 * a missing one get the same answer (404 "Not found"), so a page cannot tell which files exist.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { checkProjectPath, judge, pathRefusal, type Refusal } from '../security/file-policy.js';

export type ResolvedPath =
  | { ok: true; path: string; relative: string }
  | {
      ok: false;
      status: 404;
      reason: 'Not found';
      /** Set when the file exists but the policy refuses it. */ refusal?: Refusal;
      /** Project-relative path asked for, when it could be read. */ asked?: string;
    };

const NOT_FOUND = { ok: false, status: 404, reason: 'Not found' } as const;

/** Whether a project-relative path (forward slashes) has a segment the policy refuses by name. */
export function hasDotSegment(rel: string): boolean {
  return pathRefusal(rel) !== null;
}

/** The URL path as project-relative segments, or null when it is malformed or climbs out. */
export function urlPathSegments(urlPath: string): string[] | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) return null;
  return segments;
}

/**
 * Resolves `urlPath` (e.g. `/css/app.css`, already without query) against `root` (a realpath).
 * A directory resolves to its index.html.
 */
export async function resolveProjectPath(root: string, urlPath: string): Promise<ResolvedPath> {
  const segments = urlPathSegments(urlPath);
  if (!segments) return NOT_FOUND;
  const asked = segments.join('/');
  const checked = await checkProjectPath(root, asked);
  if (!checked.ok) return checked.missing ? { ...NOT_FOUND, asked } : { ...NOT_FOUND, asked, refusal: checked.refusal };
  let { real, rel } = checked;
  const stat = await fs.stat(real).catch(() => null);
  if (!stat) return { ...NOT_FOUND, asked };
  if (stat.isDirectory()) {
    try {
      real = await fs.realpath(join(real, 'index.html'));
    } catch {
      return { ...NOT_FOUND, asked };
    }
    const index = asked ? `${asked}/index.html` : 'index.html';
    const verdict = judge(root, index, real);
    if (!verdict.ok) return { ...NOT_FOUND, asked: index, refusal: verdict.refusal };
    rel = verdict.rel;
  }
  return { ok: true, path: real, relative: rel };
}
