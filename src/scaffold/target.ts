/**
 * Checks the folder `framesmith new` writes into before anything is written: it must be a folder
 * (or not exist yet), be writable, and be empty unless `--force`. With `--force` the error-free
 * answer is the set of files that will be replaced, so the caller can report them.
 */
import { constants } from 'node:fs';
import { access, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FramesmithError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';

async function statOrNull(path: string) {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}

function listForHint(paths: string[], max = 8): string {
  const shown = paths.slice(0, max).join(', ');
  return paths.length > max ? `${shown} and ${paths.length - max} more` : shown;
}

/** The nearest existing ancestor of `dir` must be a writable folder. */
async function checkWritable(dir: string): Promise<void> {
  let probe = dir;
  let info = await statOrNull(probe);
  while (!info && dirname(probe) !== probe) {
    probe = dirname(probe);
    info = await statOrNull(probe);
  }
  if (info && !info.isDirectory()) {
    throw new FramesmithError('target_parent_not_folder', `Cannot create ${dir}: ${probe} is a file, not a folder.`, {
      hint: 'Pick a path whose parent folders are folders.',
    });
  }
  try {
    await access(probe, constants.W_OK);
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'EROFS' ? 'the file system is read-only' : 'permission denied';
    throw new FramesmithError('target_not_writable', `Cannot write to ${probe}: ${why}.`, {
      hint: 'Pick a folder you can write to, or fix its permissions.',
    });
  }
}

/**
 * Validates the target folder and returns which of the planned relative paths already exist.
 * Throws when it is a file, not writable, or not empty without `force`.
 */
export async function checkTarget(dir: string, planned: string[], force: boolean): Promise<Set<string>> {
  const info = await statOrNull(dir);
  if (info && !info.isDirectory()) {
    throw new FramesmithError('target_is_file', `${dir} is a file, not a folder.`, {
      hint: 'Give `framesmith new` a folder path that does not exist yet or is an empty folder.',
      exitCode: EXIT.usage,
    });
  }
  await checkWritable(dir);
  if (!info) return new Set();

  const entries = await readdir(dir);
  const existing = new Set<string>();
  for (const rel of planned) {
    const target = await statOrNull(join(dir, ...rel.split('/')));
    if (!target) continue;
    if (target.isDirectory()) {
      throw new FramesmithError('target_conflict', `${join(dir, rel)} is a folder, but the template has a file there.`, {
        hint: 'Move that folder away or choose another target folder.',
      });
    }
    existing.add(rel);
  }
  if (entries.length > 0 && !force) {
    const replaced = [...existing].filter((p) => p !== 'package.json');
    const what = replaced.length
      ? `It would overwrite ${listForHint(replaced)}${existing.has('package.json') ? ' and add scripts to package.json' : ''}; other files are kept.`
      : `No file would be overwritten${existing.has('package.json') ? ' (package.json gets the framesmith scripts)' : ''}; other files are kept.`;
    throw new FramesmithError(
      'target_not_empty',
      `${dir} is not empty (${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}).`,
      {
        hint: `Choose a new or empty folder, or pass --force to write the template into it. ${what}`,
        exitCode: EXIT.usage,
      },
    );
  }
  return existing;
}

/** Turns a file-system failure while writing into a clear error. */
export function wrapWriteError(error: unknown, dir: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new FramesmithError('target_not_writable', `Cannot write into ${dir}: ${(error as Error).message}.`, {
      hint: 'Pick a folder you can write to, or fix its permissions.',
      cause: error,
    });
  }
  if (code === 'ENOSPC') {
    return new FramesmithError('disk_full', `No space left while writing ${dir}.`, {
      hint: 'Free some disk space and run again.',
      cause: error,
    });
  }
  return error;
}
