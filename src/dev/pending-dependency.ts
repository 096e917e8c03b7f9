/**
 * A file Vite's dependency optimiser has announced but not written yet. On a first start the
 * page can ask for `/@fs/<cache>/deps/gsap.js?v=…` while the bundle is still being built: Vite
 * holds that request until the file is there, so the gate must let it through instead of
 * answering 404 (which left a page whose modules never ran).
 */
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isBelow } from '../core/inside.js';

const within = isBelow;

async function realOrSelf(path: string): Promise<string> {
  return fs.realpath(path).catch(() => path);
}

/**
 * Whether `path` (absolute, no `..` segment, does not exist) lies inside one of `dirs` (Vite's
 * cache folders), judged both as written and on the real path of its nearest existing folder,
 * so no symlink leads out.
 */
export async function isPendingDependency(dirs: string[], path: string): Promise<boolean> {
  if (path.includes('\0') || path.split(/[\\/]/).includes('..')) return false;
  const roots = await Promise.all(dirs.map(async (d) => [d, await realOrSelf(d)]));
  const candidates = roots.filter(([d, real]) => within(d, path) || within(real, path));
  if (!candidates.length) return false;
  const rest = [basename(path)];
  for (let dir = dirname(path); dir !== dirname(dir); rest.unshift(basename(dir)), dir = dirname(dir)) {
    let real: string;
    try {
      real = await fs.realpath(dir);
    } catch {
      continue;
    }
    const full = join(real, ...rest);
    return candidates.some(([d, r]) => within(d, full) || within(r, full));
  }
  return false;
}
