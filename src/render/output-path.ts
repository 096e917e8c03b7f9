/**
 * Where a render writes: the video (default `<project>/renders/<name>.<format>`), its thumbnail
 * (`<name>.png` beside it, the name the cloud download uses) and the temp files they are written
 * to first. Nothing appears under the final names until the render succeeded; a failure or
 * Ctrl+C removes the temp files. The folder is checked for writing before any frame is drawn.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { RenderFormat } from '../options/render-params.js';
import { FramesmithError } from '../core/errors.js';
import { makeDirs, type CreatedDirs } from '../core/created-dirs.js';
import { FORMAT_FACTS } from './presets.js';
import { EXIT } from '../core/exit-codes.js';

export interface OutputPlan {
  video: string;
  thumbnail: string | null;
  /** Temp files in the output folder (same disk, so the final rename is atomic). */
  tempVideo: string;
  tempThumbnail: string | null;
  tempAudio: string;
  /** Removes whatever temp files exist. */
  cleanup(): Promise<void>;
  /** Renames the temp files to their final names. */
  commit(): Promise<void>;
}

const KNOWN = new Map(Object.entries(FORMAT_FACTS).map(([f, facts]) => [facts.extension, f as RenderFormat]));

/** The format an output file name asks for (`.webm` → webm), or null when it names none. */
export function formatFromPath(out: string | undefined): RenderFormat | null {
  return out ? (KNOWN.get(extname(out).toLowerCase()) ?? null) : null;
}

/** The final video path for `out` (file, folder or nothing) and the format. */
export async function resolveVideoPath(root: string, out: string | undefined, format: RenderFormat, name: string): Promise<string> {
  const ext = FORMAT_FACTS[format].extension;
  if (!out) return join(root, 'renders', `${name}${ext}`);
  const abs = resolve(out);
  const stat = await fs.stat(abs).catch(() => null);
  // `-o out/` names a folder even before it exists.
  if (stat?.isDirectory() || /[\\/]$/.test(out)) return join(abs, `${name}${ext}`);
  const given = extname(abs).toLowerCase();
  if (!given) return `${abs}${ext}`;
  if (given !== ext) {
    throw new FramesmithError('output_extension_mismatch', `-o ${out} ends in ${given}, but the render is ${format} (${ext}).`, {
      hint: KNOWN.has(given)
        ? `Leave out --format (the extension picks it), or name the file *${ext}.`
        : `Name the file *${ext}, or pick --format mp4|webm|mov.`,
      exitCode: EXIT.usage,
    });
  }
  return abs;
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

/** Checks the folder, plans the temp files and reserves the temp video (proves it is writable). */
export async function planOutput(video: string, withThumbnail: boolean): Promise<OutputPlan> {
  const folder = dirname(video);
  let dirs: CreatedDirs | null = null;
  try {
    dirs = await makeDirs(folder);
    const stat = await fs.stat(video).catch(() => null);
    if (stat?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (error) {
    await dirs?.removeIfEmpty();
    throw await outputError(video, error);
  }
  const made = dirs;
  let committed = false;
  const thumbnail = withThumbnail ? video.slice(0, video.length - extname(video).length) + '.png' : null;
  // A PNG there without a video of the same name was not written by a render: never overwrite a user's image.
  const stem = video.slice(0, video.length - extname(video).length);
  const siblings = await Promise.all(Object.values(FORMAT_FACTS).map((f) => exists(stem + f.extension)));
  if (thumbnail && (await exists(thumbnail)) && !siblings.some(Boolean)) {
    await made.removeIfEmpty();
    throw new FramesmithError(
      'thumbnail_would_overwrite',
      `${thumbnail} exists and is not the thumbnail of ${basename(video)}; the render would overwrite it.`,
      {
        hint: 'Pick another -o name, move that file, or pass --no-thumbnail.',
        exitCode: EXIT.usage,
      },
    );
  }
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = (suffix: string) => join(folder, `.${basename(video)}.${tag}.${suffix}`);
  const plan: OutputPlan = {
    video,
    thumbnail,
    tempVideo: temp('partial'),
    tempThumbnail: thumbnail ? temp('thumb.partial') : null,
    tempAudio: temp('audio.wav'),
    async cleanup() {
      await Promise.all(
        [plan.tempVideo, plan.tempThumbnail, plan.tempAudio].filter((p): p is string => !!p).map((p) => fs.rm(p, { force: true })),
      );
      // A failed render leaves no folder it made (e.g. an empty renders/).
      if (!committed) await made.removeIfEmpty();
    },
    async commit() {
      // Thumbnail first: a video under its final name means the render is complete.
      if (plan.tempThumbnail && thumbnail) await fs.rename(plan.tempThumbnail, thumbnail);
      try {
        await fs.rename(plan.tempVideo, video);
        committed = true;
      } catch (error) {
        if (thumbnail) await fs.rm(thumbnail, { force: true });
        throw error;
      }
      await fs.rm(plan.tempAudio, { force: true });
    },
  };
  try {
    await fs.writeFile(plan.tempVideo, '');
  } catch (error) {
    await made.removeIfEmpty();
    throw await outputError(video, error);
  }
  return plan;
}

/** Which part of the path is a file where a folder should be (mkdir reports EEXIST or ENOTDIR). */
async function fileInTheWay(video: string): Promise<string | null> {
  for (let dir = dirname(video); dir !== dirname(dir); dir = dirname(dir)) {
    const stat = await fs.stat(dir).catch(() => null);
    if (stat && !stat.isDirectory()) return dir;
  }
  return null;
}

/** The error for a failed write of a render's files: a full disk, or a path that cannot be written. */
export async function outputError(video: string, error: unknown): Promise<FramesmithError> {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new FramesmithError(
      'disk_full',
      `The disk holding ${dirname(video)} is full; the render stopped and removed its partial files.`,
      {
        hint: 'Free some space, or pass -o with a path on another disk.',
      },
    );
  }
  const blocker = code === 'EEXIST' || code === 'ENOTDIR' ? await fileInTheWay(video) : null;
  const why = blocker
    ? `${blocker} is a file, not a folder`
    : code === 'EISDIR'
      ? 'that path is a folder'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EROFS'
          ? 'the disk is read-only'
          : `${dirname(video)} does not accept new files (${code})`;
  return new FramesmithError('output_not_writable', `Cannot write the video to ${video}: ${why}.`, {
    hint: blocker
      ? `Pick another -o path, or move ${basename(blocker)} out of the way.`
      : code === 'EISDIR'
        ? 'Pass a file name ending in .mp4/.webm/.mov, or the folder itself with a trailing slash.'
        : 'Pass -o with a path in a folder you can write to (e.g. -o renders/out.mp4), or fix its permissions.',
    exitCode: EXIT.usage,
  });
}
