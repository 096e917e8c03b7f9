/**
 * Which files of a project go into the bundle (and which folder a local render serves). Everything
 * under the project folder except what a render never needs or must never leave the machine:
 * what the file-access policy refuses (dotfiles and dot folders such as `.env` and `.git`, key and
 * credential files, src/security/file-policy.ts), `node_modules`, `renders/`, `snapshots/`, the
 * build output, a cloud batch's state file (`framesmith-batch-*.json`), and the patterns of a `.framesmithignore` (gitignore syntax, read with the
 * `ignore` package). A symlink is followed only when where it leads is allowed too: one that leads
 * out of the project or to a dotfile or secret is skipped and reported. A name that is not valid
 * UTF-8 cannot be a zip entry or a URL: it is listed in `badNames`, shown as bytes.
 */
import { promises as fs } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { FramesmithError } from '../core/errors.js';
import { judge, segmentRefusal } from '../security/file-policy.js';

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
  /** `refused`: a symlink that leads to a dotfile or secret inside the project. */
  reason: 'dotfile' | 'secret' | 'node_modules' | 'output' | 'ignored' | 'symlink-outside' | 'refused' | 'broken-symlink' | 'special';
  /** For symlinks: where the link points. */
  target?: string;
}

export interface CollectedFiles {
  files: ProjectFile[];
  skipped: SkippedFile[];
  totalBytes: number;
  /** Paths whose names are not valid UTF-8, non-UTF-8 bytes written as `\xNN` (not ignored ones). */
  badNames: string[];
}

export interface CollectOptions {
  /** Further project-relative paths (files or folders) to leave out, e.g. the zip being written. */
  exclude?: string[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A file name as bytes: printable ASCII as it is, everything else as `\xNN`. */
export function bytesForDisplay(name: Buffer): string {
  let out = '';
  for (const b of name) out += b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return out;
}

/** The error for names that are not UTF-8 (build and `render --cloud` refuse them). */
export function badNamesError(badNames: string[]): FramesmithError {
  const shown = badNames.slice(0, 5).join(', ') + (badNames.length > 5 ? ` and ${badNames.length - 5} more` : '');
  return new FramesmithError(
    'file_name_not_utf8',
    `${badNames.length === 1 ? 'A file name is' : `${badNames.length} file names are`} not valid UTF-8, so ${badNames.length === 1 ? 'it' : 'they'} cannot go into the zip: ${shown} (bytes shown as \\xNN).`,
    {
      hint: 'Rename the file with a UTF-8 name (e.g. `mv` it on the machine that wrote it), or leave it out with a .framesmithignore pattern.',
    },
  );
}

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
  const badNames: string[] = [];
  // Real paths of folders being walked: a link back to a parent would otherwise loop forever.
  const walking = new Set<string>();

  async function walk(absDir: string, relDir: string): Promise<void> {
    const real = await fs.realpath(absDir);
    if (walking.has(real)) return;
    walking.add(real);
    // Names as bytes: a name that is not UTF-8 must be seen as such, not silently mangled.
    const entries = await fs.readdir(absDir, { withFileTypes: true, encoding: 'buffer' });
    for (const entry of entries) {
      const raw = entry.name as unknown as Buffer;
      let name: string;
      try {
        name = utf8.decode(raw);
      } catch {
        const lossy = raw.toString('utf8');
        const relLossy = relDir ? `${relDir}/${lossy}` : lossy;
        if (!(ig && ig.ignores(entry.isDirectory() ? `${relLossy}/` : relLossy)))
          badNames.push(relDir ? `${relDir}/${bytesForDisplay(raw)}` : bytesForDisplay(raw));
        continue;
      }
      const rel = relDir ? `${relDir}/${name}` : name;
      const abs = join(absDir, name);
      const byName = segmentRefusal(name);
      if (byName) {
        skipped.push({ rel, reason: byName });
        continue;
      }
      if (name === 'node_modules') {
        skipped.push({ rel, reason: 'node_modules' });
        continue;
      }
      if (
        (!relDir && (OUTPUT_FOLDERS as readonly string[]).includes(name)) ||
        exclude.has(rel) ||
        (entry.isFile() && BATCH_STATE_FILE.test(name))
      ) {
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
        const verdict = judge(root, rel, resolved);
        if (!verdict.ok) {
          const outside = verdict.refusal.reason === 'outside';
          skipped.push({
            rel,
            reason: outside ? 'symlink-outside' : 'refused',
            target: outside ? resolved : (verdict.refusal.target ?? relative(root, resolved).split(sep).join('/')),
          });
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
  return { files, skipped, totalBytes: files.reduce((n, f) => n + f.size, 0), badNames };
}
