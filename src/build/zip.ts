/**
 * Writes the project zip with archiver so that the same files give the same bytes: entries in the
 * order given (callers sort them), one fixed timestamp and mode for every entry, a fixed
 * compression level, and already-compressed media stored as they are. The zip is written to a
 * temp file next to the target and renamed into place, so a failed build never leaves half a zip.
 * Entry names are checked first and the zip is read back before the rename (zip-names.ts).
 */
import { createHash } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import archiver from 'archiver';
import { FramesmithError } from '../core/errors.js';
import type { ProjectFile } from './collect-files.js';
import { checkZipNames, verifyZip } from './zip-names.js';

/** The largest zip HeyGen's direct upload takes (200 MB = 209,715,200 bytes). */
export const MAX_BUNDLE_BYTES = 200 * 1024 * 1024;

/** 1980-01-01 is the DOS epoch; any fixed instant works, stored as UTC by archiver. */
const FIXED_DATE = new Date(Date.UTC(2000, 0, 1, 0, 0, 0));
const FILE_MODE = 0o644;

/** Formats whose bytes are already compressed: deflating them again costs time and saves nothing. */
const STORED = new Set([
  '.png',
  '.jpg',
  '.jpeg',
  '.gif',
  '.webp',
  '.avif',
  '.woff',
  '.woff2',
  '.mp4',
  '.webm',
  '.mov',
  '.m4v',
  '.mp3',
  '.m4a',
  '.aac',
  '.ogg',
  '.opus',
  '.zip',
  '.gz',
  '.br',
]);

export interface ZipResult {
  path: string;
  size: number;
  sha256: string;
}

/** Human size: `12.3 MB`, `840 kB`, `512 B` (decimal units, as file managers show). */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} B`;
}

/** Throws `bundle_too_large` naming the largest files when the bundle cannot be uploaded. */
export function checkBundleSize(
  files: ProjectFile[],
  totalBytes: number,
  limit = MAX_BUNDLE_BYTES,
  what = 'The project files add up to',
): void {
  if (totalBytes <= limit) return;
  const largest = [...files].sort((a, b) => b.size - a.size).slice(0, 5);
  const list = largest.map((f) => `${f.rel} (${formatBytes(f.size)})`).join(', ');
  throw new FramesmithError(
    'bundle_too_large',
    `${what} ${formatBytes(totalBytes)}, over the ${formatBytes(limit)} upload limit. Largest: ${list}.`,
    {
      hint: 'Compress or shorten the largest media, or leave files the composition does not use out with a .framesmithignore file.',
    },
  );
}

/**
 * Zips `files` (names = their `rel` paths) into `outPath`. Resolves with the zip's size and sha256.
 * Refuses (and leaves nothing behind) when the zip would be over `limit` bytes.
 */
export async function writeZip(files: ProjectFile[], outPath: string, limit = MAX_BUNDLE_BYTES): Promise<ZipResult> {
  checkZipNames(files.map((f) => f.rel));
  await fs.mkdir(dirname(outPath), { recursive: true });
  const tmp = join(dirname(outPath), `.${basename(outPath)}.${process.pid}.tmp`);
  const hash = createHash('sha256');
  let size = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(tmp);
      // statConcurrency 1: archiver stats files before queueing them; in parallel, the entry order would vary.
      const archive = archiver('zip', { zlib: { level: 6 }, statConcurrency: 1 });
      archive.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        size += chunk.length;
      });
      archive.on('warning', reject);
      archive.on('error', reject);
      out.on('error', reject);
      out.on('close', () => resolve());
      archive.pipe(out);
      for (const f of files) {
        // file() opens each file only when its turn comes (lazily), so thousands of files stay within fd limits.
        archive.file(f.abs, {
          name: f.rel,
          date: FIXED_DATE,
          mode: FILE_MODE,
          // zip-stream honours a per-entry `store`; archiver's types do not list it.
          store: STORED.has(extname(f.rel).toLowerCase()),
        } as archiver.EntryData);
      }
      void archive.finalize();
    });
    if (size > limit) {
      throw new FramesmithError('bundle_too_large', `The zip is ${formatBytes(size)}, over the ${formatBytes(limit)} upload limit.`, {
        hint: 'Compress or shorten the largest media, or leave unused files out with a .framesmithignore file.',
      });
    }
    await verifyZip(
      tmp,
      files.map((f) => f.rel),
    );
    await fs.rename(tmp, outPath);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    if (error instanceof FramesmithError) throw error;
    throw new FramesmithError('zip_failed', `Could not write ${outPath}: ${(error as Error).message}`, {
      hint: 'Check that the output folder is writable and the disk has room.',
      cause: error,
    });
  }
  return { path: outPath, size, sha256: hash.digest('hex') };
}
