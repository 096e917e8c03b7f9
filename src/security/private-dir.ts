/**
 * Folders framesmith keeps code in for later (Vite's pre-bundled dependencies, which the preview
 * runs): under the user's own cache folder, created 0700 and checked before use. A folder that
 * is a symlink, belongs to another user, or that others may write is refused: another local
 * user could otherwise plant code there that the preview would run.
 */
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { FramesmithError } from '../core/errors.js';
import { relativeInside } from '../core/inside.js';

/**
 * framesmith's cache folder: `FRAMESMITH_CACHE_DIR`, else `$XDG_CACHE_HOME/framesmith`, else the
 * platform's per-user cache folder (`~/.cache/framesmith`, `~/Library/Caches/framesmith`,
 * `%LOCALAPPDATA%\framesmith\cache`).
 */
export function userCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FRAMESMITH_CACHE_DIR) return env.FRAMESMITH_CACHE_DIR;
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, 'framesmith');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'framesmith');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'framesmith', 'cache');
  return join(homedir(), '.cache', 'framesmith');
}

/** Why an existing folder must not be used, or null when it is private to this user. */
async function unsafe(dir: string): Promise<string | null> {
  const st = await fs.lstat(dir);
  if (st.isSymbolicLink()) return 'it is a symlink';
  if (!st.isDirectory()) return 'it is not a folder';
  if (process.platform === 'win32') return null; // ACLs, not modes; the per-user folder is private
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  if (uid !== null && st.uid !== uid) return `it belongs to another user (uid ${st.uid})`;
  if (st.mode & 0o022) return `others may write to it (mode ${(st.mode & 0o777).toString(8)})`;
  return null;
}

/**
 * Creates `dir` and the folders between `base` and it with mode 0700 where missing, and checks
 * `base` and every one of them: owned by this user, not a symlink, writable by no one else.
 * Throws `cache_unsafe` naming the folder otherwise.
 */
export async function ensurePrivateDir(base: string, dir: string): Promise<string> {
  // `base` itself counts (then only it is checked).
  const rel = relativeInside(base, dir);
  if (rel === null) throw new Error(`${dir} is not inside ${base}`);
  const chain = [base];
  for (const part of rel ? rel.split(sep) : []) chain.push(join(chain[chain.length - 1], part));
  await fs.mkdir(dirname(base), { recursive: true });
  for (const folder of chain) {
    try {
      await fs.mkdir(folder, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new FramesmithError(
          'cache_unsafe',
          `Could not create the cache folder ${folder}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
          {
            hint: 'Make the folder writable, or point FRAMESMITH_CACHE_DIR at a folder of your own.',
            cause: error,
          },
        );
      }
    }
    const why = await unsafe(folder);
    if (why) {
      throw new FramesmithError('cache_unsafe', `The cache folder ${folder} is not safe to run code from: ${why}.`, {
        hint: `Remove it (framesmith creates it again, private to you), or point FRAMESMITH_CACHE_DIR at a folder only you can write.`,
      });
    }
  }
  return dir;
}
