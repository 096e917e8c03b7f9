/**
 * Folders a command creates for its outputs, taken back when the command fails: a failed render,
 * snapshot or build leaves no empty `renders/`, `snapshots/` or `dist/` behind. Only folders this
 * call created are removed, and only while they are empty (another output may have landed there).
 */
import { promises as fs } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface CreatedDirs {
  /** The folders created, deepest first. */
  readonly created: string[];
  /** Removes the created folders that are still empty (deepest first); never throws. */
  removeIfEmpty(): Promise<void>;
}

/** `mkdir -p dir`, remembering which folders did not exist before. */
export async function makeDirs(dir: string): Promise<CreatedDirs> {
  const target = resolve(dir);
  const first = await fs.mkdir(target, { recursive: true });
  const created: string[] = [];
  if (first) {
    for (let d = target; ; d = dirname(d)) {
      created.push(d);
      if (d === first || dirname(d) === d) break;
    }
  }
  return {
    created,
    async removeIfEmpty() {
      for (const d of created) {
        try {
          await fs.rmdir(d);
        } catch {
          return;
        }
      }
    },
  };
}
