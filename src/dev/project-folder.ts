/**
 * The checks before the dev server starts: the project folder exists and is a folder, and the
 * entry it should show is there (else the entries it has are named). Everything else about the
 * project is shown in the page, so it can be fixed while the server runs.
 */
import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { FramesmithError } from '../core/errors.js';

/** The folder's real path; throws when it is missing or a file. */
export async function projectFolder(dir: string): Promise<string> {
  try {
    const stat = await fs.stat(dir);
    if (!stat.isDirectory()) {
      throw new FramesmithError('project_not_a_folder', `${dir} is not a folder.`, {
        hint: 'Pass the folder that holds the composition: `framesmith dev my-video`.',
      });
    }
  } catch (error) {
    if (error instanceof FramesmithError) throw error;
    throw new FramesmithError('project_not_found', `The project folder ${dir} does not exist.`, {
      hint: 'Pass the folder that holds index.html, or create one with `framesmith new <dir>`.',
    });
  }
  return fs.realpath(dir);
}

/** Throws when `composition` is not a file in the project, naming the entries there are. */
export async function checkEntry(root: string, composition: string): Promise<void> {
  if (existsSync(join(root, composition))) return;
  const { listEntries } = await import('../model/index.js');
  const entries = await listEntries(root);
  throw new FramesmithError('entry_not_found', `No ${composition} in ${root}.`, {
    hint: entries.length
      ? `Pass --composition with one of: ${entries.join(', ')}.`
      : 'Create index.html with a composition root, or start from a template: `framesmith new <dir>`.',
  });
}
