/**
 * What a render is asked for, and one check per rule, shared by the local render
 * (src/render/options.ts) and the cloud client (src/cloud/params.ts): the same bad value gets the
 * same code, message, hint and exit code wherever it is typed. The names, ranges and defaults are
 * HeyGen's API's (fps 1–240 whole numbers, default 30; quality standard; format mp4; resolution
 * 1080p; 4k only as mp4), so a local render previews the cloud one.
 */
import type { ErrorCode } from '../core/error-catalog.js';
import { FramesmithError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import type { Diagnostic } from '../../shared/diagnostics.js';

export const QUALITIES = ['draft', 'standard', 'high'] as const;
export type RenderQuality = (typeof QUALITIES)[number];
export const FORMATS = ['mp4', 'webm', 'mov'] as const;
export type RenderFormat = (typeof FORMATS)[number];
export const RESOLUTIONS = ['1080p', '4k'] as const;
export type RenderResolution = (typeof RESOLUTIONS)[number];
export const ASPECT_RATIOS = ['16:9', '9:16', '1:1'] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

export const FPS_MIN = 1;
export const FPS_MAX = 240;
export const DEFAULT_FPS = 30;
export const DEFAULT_QUALITY: RenderQuality = 'standard';
export const DEFAULT_FORMAT: RenderFormat = 'mp4';
export const DEFAULT_RESOLUTION: RenderResolution = '1080p';

/** A mistake in a flag's value: what is wrong and what to do (exit 2). */
export interface UsageProblem {
  code: ErrorCode;
  message: string;
  hint: string;
}

/** The value as the user typed it, for a message: numbers bare, anything else quoted. */
function shown(value: unknown): string {
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return String(Number(value));
  return JSON.stringify(value) ?? String(value);
}

/** `--fps`: a whole number from 1 to 240 (as text from a flag, or a number). */
export function fpsProblem(value: unknown): UsageProblem | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n) && n >= FPS_MIN && n <= FPS_MAX) return null;
  return {
    code: 'invalid_fps',
    message: `--fps must be a whole number from ${FPS_MIN} to ${FPS_MAX}, got ${shown(value)}.`,
    hint: 'The cloud renders whole frame rates only: use e.g. 24, 25, 30 or 60 (30 for 29.97 material).',
  };
}

/** A flag that takes one of a few words (`--quality`, `--format`, `--resolution`, `--aspect-ratio`). */
export function choiceProblem(flag: string, value: unknown, values: readonly string[]): UsageProblem | null {
  if (typeof value === 'string' && values.includes(value)) return null;
  return {
    code: 'invalid_option',
    message: `--${flag} must be one of ${values.join(', ')}, got ${JSON.stringify(value) ?? String(value)}.`,
    hint: `Pass one of them, e.g. --${flag} ${values[0]}.`,
  };
}

/** 4k exists only as mp4. */
export function formatResolutionProblem(format: string | undefined, resolution: string | undefined): UsageProblem | null {
  if (resolution !== '4k' || format === undefined || format === 'mp4') return null;
  return {
    code: 'invalid_option',
    message: `--resolution 4k works only with --format mp4, not ${format}.`,
    hint: 'Render 4k as mp4, or keep webm/mov at 1080p.',
  };
}

/** The error a problem ends the command with. */
export function usageError(problem: UsageProblem): FramesmithError {
  return new FramesmithError(problem.code, problem.message, { hint: problem.hint, exitCode: EXIT.usage });
}

/** A problem as a diagnostic (for commands that report every problem at once). */
export function usageDiagnostic(problem: UsageProblem): Diagnostic {
  return { severity: 'error', code: problem.code, message: problem.message.replace(/\.$/, ''), hint: problem.hint };
}

/** Throws the first problem, if any. */
export function throwFirst(...problems: (UsageProblem | null)[]): void {
  const first = problems.find((p) => p !== null);
  if (first) throw usageError(first);
}

export interface CheckedRenderParams {
  fps: number;
  quality: RenderQuality;
  format: RenderFormat;
  resolution: RenderResolution;
}

/** Checks fps/quality/format/resolution and their combination; fills the API's defaults. */
export function checkRenderParams(o: {
  fps?: number | string;
  quality?: string;
  format?: string;
  resolution?: string;
}): CheckedRenderParams {
  const fps = o.fps ?? DEFAULT_FPS;
  const quality = o.quality ?? DEFAULT_QUALITY;
  const format = o.format ?? DEFAULT_FORMAT;
  const resolution = o.resolution ?? DEFAULT_RESOLUTION;
  throwFirst(
    fpsProblem(fps),
    choiceProblem('quality', quality, QUALITIES),
    choiceProblem('format', format, FORMATS),
    choiceProblem('resolution', resolution, RESOLUTIONS),
    formatResolutionProblem(format, resolution),
  );
  return {
    fps: Number(fps),
    quality: quality as RenderQuality,
    format: format as RenderFormat,
    resolution: resolution as RenderResolution,
  };
}
