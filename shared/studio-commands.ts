/**
 * The `framesmith render` command line that does what a render of the preview's panel or dataset
 * view does, written the same way by the server (each job shows its command) and the page (the
 * dataset view's "copy commands"). Pure: no DOM, no Node imports.
 */
import type { StudioParams } from './studio-protocol.js';
import type { VariableValues } from './variables.js';

/** Quotes a string for a POSIX shell: '…' with embedded quotes closed and escaped. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface CommandInput {
  /** The project folder as the user typed it. */
  dir: string;
  composition: string;
  params: StudioParams;
  cloud?: boolean;
  frames?: { first: number; last: number } | null;
  /** One video: its values and `-o` (project-relative). */
  variables?: VariableValues;
  out?: string;
  /** A batch: the rows file and the output pattern (project-relative). */
  batch?: string;
  pattern?: string;
}

const DEFAULTS: StudioParams = { format: 'mp4', quality: 'standard', fps: 30, resolution: '1080p' };

/** `framesmith render <dir> …` with only the flags that differ from the CLI's defaults. */
export function renderCommand(c: CommandInput): string {
  const parts = ['framesmith', 'render', shellQuote(c.dir)];
  if (c.cloud) parts.push('--cloud');
  if (c.composition !== 'index.html') parts.push('--composition', shellQuote(c.composition));
  // -o's extension picks the format: no --format next to it.
  if (c.params.format !== DEFAULTS.format && !c.out) parts.push('--format', c.params.format);
  if (c.params.quality !== DEFAULTS.quality) parts.push('--quality', c.params.quality);
  if (c.params.fps !== DEFAULTS.fps) parts.push('--fps', String(c.params.fps));
  if (c.params.resolution !== DEFAULTS.resolution) parts.push('--resolution', c.params.resolution);
  if (c.frames && !c.cloud) parts.push('--frames', `${c.frames.first}-${c.frames.last}`);
  if (c.variables && Object.keys(c.variables).length) parts.push('--variables', shellQuote(JSON.stringify(c.variables)));
  if (c.batch) parts.push('--batch', shellQuote(c.batch));
  if (c.pattern) parts.push('--out-pattern', shellQuote(c.pattern));
  if (c.out) parts.push('-o', shellQuote(c.out));
  return parts.join(' ');
}
