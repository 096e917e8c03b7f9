/**
 * Which paths under the project the dev server ignores: the same folders the entry search skips
 * (dependencies and framesmith's outputs) and every dotfile or dot folder (.git, editors' swap
 * files), judged relative to the project so a project inside a dot folder still works.
 */
import { sep } from 'node:path';
import { relativeInside } from '../core/inside.js';

const SKIP_DIRS = new Set(['node_modules', 'dist', 'renders', 'snapshots']);

/** Whether a project-relative path (forward or back slashes) is outside what the preview watches. */
export function isIgnoredRelative(rel: string): boolean {
  if (rel === '') return false;
  const segments = rel.split(/[\\/]/);
  return segments.some((s) => s.startsWith('.') || SKIP_DIRS.has(s)) || /~$/.test(rel);
}

/** For the watcher: absolute `path` under `root`. */
export function isWatchIgnored(root: string, path: string): boolean {
  const rel = relativeInside(root, path);
  if (rel === null) return false;
  return isIgnoredRelative(rel.split(sep).join('/'));
}
