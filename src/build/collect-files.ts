/**
 * Which files of a project go into the bundle. Everything under the project folder except what a
 * render never needs or must never leave the machine: dotfiles and dot folders (`.env`, `.git`),
 * `node_modules`, `renders/`, `snapshots/`, the build output, a cloud batch's state file, and the patterns of a
 * `.framesmithignore` (gitignore syntax, read with the `ignore` package). A symlink is followed
 * only while its target stays inside the project; one that leads out is skipped and reported.
 */
import { promises as fs } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Root-level folders that hold framesmith's own output, never part of a bundle. */
export const OUTPUT_FOLDERS = ['renders', 'snapshots', 'build'] as const;

export const IGNORE_FILE = '.framesmithignore';

/** A cloud batch's state file (src/cloud/batch-state.ts), written beside the batch's videos: output, wherever it sits. */
export const BATCH_STATE_FILE = /^framesmith-batch-[A-Za-z0-9_.-]*\.json$/;

export interface ProjectFile {
  /** Project-relative path with forward slashes: the name inside the zip. */
  rel: string;
  /** Absolute path to read the bytes from (a symlink's target when it was one). */
  abs: string;
  size: number;
}

export interface SkippedFile {
  rel: string;
  reason: 'dotfile' | 'node_modules' | 'output' | 'ignored' | 'symlink-outside' | 'broken-symlink' | 'special';
  /** For symlinks: where the link points. */
  target?: string;
}

export interface CollectedFiles {
  files: ProjectFile[];
  skipped: SkippedFile[];
  totalBytes: number;
}

export interface CollectOptions {
  /** Further project-relative paths (files or folders) to leave out, e.g. the zip being written. */
  exclude?: string[];
}

const isInside = (root: string, p: string) => {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !rel.split(sep).includes('..'));
};

async function loadIgnore(root: string): Promise<Ignore | null> {
  try {
    return ignore().add(await fs.readFile(join(root, IGNORE_FILE), 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Lists the files to bundle, sorted by path (byte order), with the ones left out and why.
 * `root` may itself be a symlink; it is resolved first.
 */
export async function collectProjectFiles(rootDir: string, options: CollectOptions = {}): Promise<CollectedFiles> {
  const root = await fs.realpath(rootDir);
  const ig = await loadIgnore(root);
  const exclude = new Set((options.exclude ?? []).map((p) => p.replace(/\/+$/, '')));
  const files: ProjectFile[] = [];
  const skipped: SkippedFile[] = [];
  // Real paths of folders being walked: a link back to a parent would otherwise loop forever.
  const walking = new Set<string>();

  async function walk(absDir: string, relDir: string): Promise<void> {
    const real = await fs.realpath(absDir);
    if (walking.has(real)) return;
    walking.add(real);
    const entries = await fs.readdir(absDir, { withFileTypes: true });
    for (const entry of entries) {
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      const abs = join(absDir, entry.name);
      if (entry.name.startsWith('.')) {
        skipped.push({ rel, reason: 'dotfile' });
        continue;
      }
      if (entry.name === 'node_modules') {
        skipped.push({ rel, reason: 'node_modules' });
        continue;
      }
      if ((!relDir && (OUTPUT_FOLDERS as readonly string[]).includes(entry.name)) || exclude.has(rel) || (entry.isFile() && BATCH_STATE_FILE.test(entry.name))) {
        skipped.push({ rel, reason: 'output' });
        continue;
      }
      let target = abs;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let resolved: string;
        try {
          resolved = await fs.realpath(abs);
        } catch {
          skipped.push({ rel, reason: 'broken-symlink', target: await fs.readlink(abs).catch(() => '?') });
          continue;
        }
        if (!isInside(root, resolved)) {
          skipped.push({ rel, reason: 'symlink-outside', target: resolved });
          continue;
        }
        const stat = await fs.stat(resolved);
        target = resolved;
        isDir = stat.isDirectory();
        isFile = stat.isFile();
      }
      if (ig && ig.ignores(isDir ? `${rel}/` : rel)) {
        skipped.push({ rel, reason: 'ignored' });
        continue;
      }
      if (isDir) await walk(target, rel);
      else if (isFile) files.push({ rel, abs: target, size: (await fs.stat(target)).size });
      else skipped.push({ rel, reason: 'special' });
    }
    walking.delete(real);
  }

  await walk(root, '');
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { files, skipped, totalBytes: files.reduce((n, f) => n + f.size, 0) };
}
