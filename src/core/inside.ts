/**
 * "Is this path inside that folder?", decided one way everywhere: on the path as given (resolve
 * or realpath it first where links matter), by path segments, so `..notes.txt` is inside and
 * `/project-old` is not inside `/project`.
 */
import { isAbsolute, relative } from 'node:path';

/** `path` relative to `dir`, or null when it is not `dir` itself or below it (both absolute). */
export function relativeInside(dir: string, path: string): string | null {
  const rel = relative(dir, path);
  if (rel === '..' || rel.startsWith('../') || rel.startsWith('..\\') || isAbsolute(rel)) return null;
  return rel;
}

/** Whether `path` is `dir` itself or lies below it. */
export function isWithin(dir: string, path: string): boolean {
  return relativeInside(dir, path) !== null;
}

/** Whether `path` lies below `dir` (and is not `dir` itself). */
export function isBelow(dir: string, path: string): boolean {
  const rel = relativeInside(dir, path);
  return rel !== null && rel !== '';
}

/** Whether a project-relative path (posix, normalized) climbs out of the project: `..` or `../x`, not `..x`. */
export function climbsOut(rel: string): boolean {
  return rel === '..' || rel.startsWith('../');
}
