/**
 * The state of a cloud batch, kept in a file beside its outputs so that a run stopped by Ctrl+C,
 * a crash or `--no-wait` can be resumed by running the same command again: rows that already have
 * a render are followed (not submitted again), the others are submitted with the same idempotency
 * keys (a create whose answer was lost gets the same render back). The file records, per row, a
 * hash of its values, its key, render id, status and output; resuming with a batch file whose rows
 * changed is refused with the row numbers. The file is removed once every row has ended.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { FramesmithError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';

export const STATE_VERSION = 1;

export interface BatchRowState {
  /** 1-based row number, as in messages. */
  index: number;
  /** SHA-256 of the row's values (stable key order). */
  values: string;
  key: string;
  render_id: string | null;
  status: string | null;
  /** The video written, relative to the state file's folder. */
  video: string | null;
  failure: string | null;
}

export interface BatchState {
  framesmith_batch: number;
  /** What the batch was read from (`rows.csv`), for messages. */
  source: string;
  /** SHA-256 of the render settings shared by every row (all fields but `variables` and `project`). */
  settings: string;
  /** The project the rows render: the zip's SHA-256 (or the asset id / URL given), and the uploaded asset. */
  project: { fingerprint: string; asset_id: string | null };
  base_key: string;
  created_at: string;
  updated_at: string;
  rows: BatchRowState[];
}

/** JSON with object keys sorted, so the same values always hash the same. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
export const hashValues = (v: unknown) => sha256(stableJson(v ?? null));

/**
 * The folder a batch's outputs go to: the part of the name pattern before its first placeholder
 * (`videos/{index}-{headline}.mp4` → `videos`), or `rendersDir` without a pattern.
 */
export function batchOutputDir(cwd: string, rendersDir: string, pattern?: string): string {
  if (!pattern) return rendersDir;
  const fixed = pattern.split('{')[0];
  if (!fixed) return resolve(cwd);
  return resolve(cwd, /[\\/]$/.test(fixed) ? fixed : dirname(fixed));
}

/** `<dir>/framesmith-batch-<name>.json`, named after the batch file. */
export function statePathFor(outDir: string, source?: string): string {
  const name = source ? basename(source, extname(source)).replace(/[^A-Za-z0-9_.-]+/g, '-') || 'rows' : 'rows';
  return join(outDir, `framesmith-batch-${name}.json`);
}

/** Reads a state file; null when there is none. A damaged file is an error naming it. */
export async function loadBatchState(path: string): Promise<BatchState | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  let state: BatchState | null;
  try {
    state = JSON.parse(text) as BatchState;
  } catch {
    state = null;
  }
  const rowsOk =
    state &&
    Array.isArray(state.rows) &&
    state.rows.every((r) => r && Number.isInteger(r.index) && typeof r.values === 'string' && typeof r.key === 'string');
  if (
    !state ||
    state.framesmith_batch !== STATE_VERSION ||
    !rowsOk ||
    typeof state.base_key !== 'string' ||
    typeof state.settings !== 'string'
  ) {
    throw new FramesmithError('batch_state_invalid', `The batch state file ${path} is damaged or from another version.`, {
      hint: 'Look at it, and delete it to start the batch over (renders already made stay on your HeyGen account: `framesmith renders list`).',
      exitCode: EXIT.usage,
    });
  }
  return state;
}

/** Writes the state atomically (temp file, then rename). */
export async function saveBatchState(path: string, state: BatchState): Promise<void> {
  state.updated_at = new Date().toISOString();
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temp, path);
}

export const removeBatchState = (path: string) => rm(path, { force: true });

/** Lists numbers as `3, 7` or `3–5, 9`. */
function ranges(ns: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ns.length; i++) {
    let j = i;
    while (j + 1 < ns.length && ns[j + 1] === ns[j] + 1) j++;
    out.push(j > i + 1 ? `${ns[i]}–${ns[j]}` : j === i + 1 ? `${ns[i]}, ${ns[j]}` : `${ns[i]}`);
    i = j;
  }
  return out.join(', ');
}

/**
 * Refuses to resume when the batch is not the one the state describes: rows edited, added or
 * removed (named by number), other render settings, another project, another idempotency key.
 */
export function checkResumable(
  state: BatchState,
  path: string,
  now: { rowHashes: string[]; settings: string; project: string; baseKey?: string; projectHint?: string },
): void {
  const restart = `Put the batch back as it was to resume, or delete ${path} to start a new batch (renders already made stay on your HeyGen account).`;
  const changed = state.rows.filter((r) => r.index <= now.rowHashes.length && now.rowHashes[r.index - 1] !== r.values).map((r) => r.index);
  const removed = state.rows.filter((r) => r.index > now.rowHashes.length).map((r) => r.index);
  const added = now.rowHashes.map((_, i) => i + 1).filter((n) => n > state.rows.length);
  if (changed.length || removed.length || added.length) {
    const parts = [
      changed.length ? `${changed.length === 1 ? 'row' : 'rows'} ${ranges(changed)} changed` : '',
      removed.length ? `${removed.length === 1 ? 'row' : 'rows'} ${ranges(removed)} removed` : '',
      added.length ? `${added.length === 1 ? 'row' : 'rows'} ${ranges(added)} added` : '',
    ].filter(Boolean);
    throw new FramesmithError(
      'batch_changed',
      `${state.source} was edited since this batch started: ${parts.join('; ')} (state: ${path}).`,
      {
        hint: `Put the batch back as it was to resume, or delete ${path} to start a new batch (renders already made stay on your HeyGen account).`,
        exitCode: EXIT.usage,
      },
    );
  }
  if (now.settings !== state.settings) {
    throw new FramesmithError(
      'batch_changed',
      `The render settings (flags such as --quality, --fps, --title, --composition) differ from the ones this batch started with (state: ${path}).`,
      { hint: `Run the command with the same flags to resume. ${restart}`, exitCode: EXIT.usage },
    );
  }
  if (now.project !== state.project.fingerprint) {
    throw new FramesmithError(
      'batch_changed',
      `The project changed since this batch started, so resuming would mix two versions in one batch (state: ${path}).`,
      { hint: `${now.projectHint ? `${now.projectHint} ` : ''}${restart}`, exitCode: EXIT.usage },
    );
  }
  if (now.baseKey !== undefined && now.baseKey !== state.base_key) {
    throw new FramesmithError(
      'batch_changed',
      `This batch was started with --idempotency-key ${state.base_key}, not ${now.baseKey} (state: ${path}).`,
      { hint: `Leave --idempotency-key out (or give ${state.base_key}) to resume. ${restart}`, exitCode: EXIT.usage },
    );
  }
}
