/**
 * What never ships in a bundle although it sits in the project: framesmith's own outputs (zips,
 * rendered videos and their thumbnails, snapshot stills) and any video, image or audio file the
 * composition does not reference. A render written with `-o q3.mp4` into the project folder must
 * not ride along in the next upload.
 *
 * "Referenced" is decided generously, so that a file the page needs is never left out: a media file
 * stays when the model resolved a reference to it, or when its project path or its file name
 * appears in the text of a file that ships (HTML, CSS, scripts, JSON, SVG: also script strings and
 * variable defaults), or in the extra strings given (render-time variable values). Files the walk
 * of collect-files.ts left out as outputs (`renders/`, `snapshots/`) come back when referenced.
 * `include` patterns (gitignore syntax) keep files whatever these rules say.
 */
import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import ignore from 'ignore';
import { FramesmithError } from '../core/errors.js';
import type { ProjectModel } from '../../shared/model.js';
import type { ProjectFile, SkippedFile } from './collect-files.js';

const VIDEO = ['mp4', 'm4v', 'mov', 'webm', 'mkv', 'avi', 'mpg', 'mpeg', 'ogv'];
const IMAGE = ['png', 'jpg', 'jpeg', 'gif', 'webp', 'avif', 'bmp', 'tif', 'tiff', 'heic', 'ico', 'svg'];
const AUDIO = ['mp3', 'wav', 'aac', 'm4a', 'ogg', 'oga', 'opus', 'flac'];
const MEDIA = new Set([...VIDEO, ...IMAGE, ...AUDIO]);
const ARCHIVE = new Set(['zip']);
/** Files whose text can name other files. */
const TEXT = /\.(html?|css|m?js|cjs|jsx|tsx?|json|svg|txt|csv|xml|webmanifest)$/i;
/** Text files larger than this are not searched (a data file of many MB names no media). */
const MAX_TEXT_BYTES = 4 * 1024 * 1024;

export interface LeftOutFile {
  rel: string;
  size: number;
  reason: 'archive' | 'render-output' | 'snapshot' | 'unreferenced-media';
}

export interface ExclusionResult {
  /** The files to bundle, sorted as given (byte order), with rescued ones merged in. */
  files: ProjectFile[];
  leftOut: LeftOutFile[];
  /** Bytes the left-out files would have added. */
  savedBytes: number;
  /** Referenced or included files brought back from `renders/`, `snapshots/` and the like. */
  rescued: string[];
}

export interface ExclusionOptions {
  /** Patterns (gitignore syntax) of files to keep whatever the rules say, e.g. `renders/intro.mp4`, `*.mp4`. */
  include?: string[];
  /** More text in which a file name counts as a reference, e.g. render-time variable values. */
  references?: string[];
}

/** Output folders (skipped by collect-files) that may hold a file the composition uses. */
const RESCUE_FROM = new Set(['renders', 'snapshots']);

const ext = (rel: string) => rel.slice(rel.lastIndexOf('.') + 1).toLowerCase();

async function readText(file: ProjectFile): Promise<string> {
  if (!TEXT.test(file.rel) || file.size > MAX_TEXT_BYTES) return '';
  try {
    return await fs.readFile(file.abs, 'utf8');
  } catch {
    return '';
  }
}

function mentions(haystack: string, rel: string): boolean {
  const name = basename(rel);
  for (const needle of new Set([rel, name, encodeURI(rel), encodeURI(name)])) if (haystack.includes(needle)) return true;
  return false;
}

/** Regular files under a folder that collect-files skipped as output (none for a file; symlinks are never followed here). */
async function filesUnder(root: string, relDir: string): Promise<ProjectFile[]> {
  const out: ProjectFile[] = [];
  let entries;
  try {
    entries = await fs.readdir(join(root, relDir), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const rel = `${relDir}/${e.name}`;
    if (e.isDirectory()) out.push(...(await filesUnder(root, rel)));
    else if (e.isFile()) out.push({ rel, abs: join(root, rel), size: (await fs.stat(join(root, rel))).size });
  }
  return out;
}

/** Why a left-out file looks the way it does: framesmith's own outputs are named as such. */
function reasonFor(rel: string, all: Set<string>): LeftOutFile['reason'] {
  const e = ext(rel);
  if (ARCHIVE.has(e)) return 'archive';
  const stem = rel.slice(0, rel.length - e.length - 1);
  if (VIDEO.includes(e) && all.has(`${stem}.png`)) return 'render-output';
  if (e === 'png' && VIDEO.some((v) => all.has(`${stem}.${v}`))) return 'render-output';
  if (e === 'png' && /(^|\/)still-\d+\.\d{3}s(-[0-9a-f]{6,})?\.png$/.test(rel)) return 'snapshot';
  return 'unreferenced-media';
}

/**
 * Applies the rules to the collected files. `skipped` is collect-files' list (its `output`
 * entries are searched for referenced files to bring back).
 */
export async function excludeOutputs(
  root: string,
  model: ProjectModel,
  files: ProjectFile[],
  skipped: SkippedFile[],
  options: ExclusionOptions = {},
): Promise<ExclusionResult> {
  const include = ignore().add(options.include ?? []);
  const isIncluded = (rel: string) => (options.include?.length ? include.ignores(rel) : false);
  const resolvedRefs = new Set(model.assets.filter((a) => a.path && a.exists).map((a) => a.path as string));
  const candidate = (rel: string) => MEDIA.has(ext(rel)) || ARCHIVE.has(ext(rel));

  // The text every shipping, non-media file holds, plus the extra references.
  const texts: string[] = [...(options.references ?? [])];
  for (const f of files) if (!candidate(f.rel)) texts.push(await readText(f));
  const haystack = texts.join('\n');
  const referenced = (rel: string) => !ARCHIVE.has(ext(rel)) && (resolvedRefs.has(rel) || mentions(haystack, rel));

  const keep: ProjectFile[] = [];
  const leftOut: LeftOutFile[] = [];
  const all = new Set(files.map((f) => f.rel));
  for (const f of files) {
    if (!candidate(f.rel) || referenced(f.rel) || isIncluded(f.rel)) keep.push(f);
    else leftOut.push({ rel: f.rel, size: f.size, reason: reasonFor(f.rel, all) });
  }

  // Output folders were not walked: bring back what the composition references or --include names.
  const rescued: string[] = [];
  for (const s of skipped) {
    // Only the render and snapshot folders: build/ holds zips, among them the one being written.
    if (s.reason !== 'output' || !RESCUE_FROM.has(s.rel)) continue;
    for (const f of await filesUnder(root, s.rel)) {
      if (isIncluded(f.rel) || (candidate(f.rel) && referenced(f.rel))) {
        keep.push(f);
        rescued.push(f.rel);
      }
    }
  }
  keep.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { files: keep, leftOut, savedBytes: leftOut.reduce((n, f) => n + f.size, 0), rescued };
}

/** One line for the build summary: what was left out and the bytes saved. */
export function describeLeftOut(leftOut: LeftOutFile[], formatBytes: (n: number) => string, max = 5): string {
  const LABEL: Record<LeftOutFile['reason'], string> = {
    archive: 'zip',
    'render-output': 'render output',
    snapshot: 'snapshot',
    'unreferenced-media': 'not referenced',
  };
  const sorted = [...leftOut].sort((a, b) => b.size - a.size);
  const shown = sorted.slice(0, max).map((f) => `${f.rel} ${formatBytes(f.size)} (${LABEL[f.reason]})`);
  const more = sorted.length > max ? `, and ${sorted.length - max} more` : '';
  return `${shown.join(', ')}${more}: ${formatBytes(leftOut.reduce((n, f) => n + f.size, 0))} saved`;
}

/**
 * When the browser check fails on a file these rules left out (a name the page builds at run
 * time, which no text mentions), says so and how to keep it; any other error passes unchanged.
 */
export function explainLeftOut(error: unknown, leftOut: LeftOutFile[]): unknown {
  if (!(error instanceof FramesmithError) || !leftOut.length) return error;
  const hit = leftOut.filter((f) => error.message.includes(f.rel));
  if (!hit.length) return error;
  const list = hit.map((f) => f.rel).join(', ');
  return FramesmithError.passOn(error.code, error.message, {
    hint: `${list} ${hit.length > 1 ? 'were' : 'was'} left out of the bundle: no file of the project names ${hit.length > 1 ? 'them' : 'it'}, so framesmith took ${hit.length > 1 ? 'them' : 'it'} for an output or unused media. Keep ${hit.length > 1 ? 'them' : 'it'} with --include ${hit.map((f) => `'${f.rel}'`).join(' --include ')}.`,
    loc: error.loc,
    details: error.details,
    exitCode: error.exitCode,
    cause: error,
  });
}

/**
 * The strings a render sends that may name project files (an `image` variable set to
 * `assets/photo-2.jpg`): the variable values, and the text of the batch file.
 */
export async function renderReferences(input: { variables?: Record<string, unknown>; batchFile?: string }): Promise<string[]> {
  const out: string[] = [];
  if (input.variables) out.push(JSON.stringify(input.variables));
  if (input.batchFile) out.push(await fs.readFile(input.batchFile, 'utf8').catch(() => ''));
  return out;
}

/** Every `--include` on the command line (the parser keeps only the last), split at commas. */
export function includePatterns(rawArgs: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const a = rawArgs[i];
    if (a === '--') break;
    if (a === '--include' && i + 1 < rawArgs.length) out.push(rawArgs[++i]);
    else if (a.startsWith('--include=')) out.push(a.slice('--include='.length));
  }
  return out
    .flatMap((v) => v.split(','))
    .map((p) => p.trim())
    .filter(Boolean);
}
