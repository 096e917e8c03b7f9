/**
 * The options of a local render and their checks. Names, ranges and defaults are the cloud
 * API's (fps 1–240 whole numbers, default 30; quality standard; format mp4; resolution 1080p;
 * 4k only as mp4), so a local render previews the cloud one. Each check throws a FramesmithError
 * that names the flag, what was given and what is accepted.
 */
import {
  checkRenderParams,
  fpsProblem,
  throwFirst,
  type CheckedRenderParams,
  type RenderFormat,
  type RenderQuality,
  type RenderResolution,
} from '../options/render-params.js';
import { FramesmithError } from '../core/errors.js';
import type { ErrorCode } from '../core/error-catalog.js';
import type { Logger } from '../core/logger.js';
import type { VariableValues } from '../../shared/variables.js';
import type { BrowserPool } from './browser-pool.js';
import { EXIT } from '../core/exit-codes.js';

export type CaptureMode = 'beginframe' | 'screenshot';

export interface RenderOptions {
  /** Project folder. */
  dir: string;
  /** Entry HTML inside the project (default index.html). */
  composition?: string;
  /** Video file to write (default `<dir>/renders/<name>.<format>`). */
  out?: string;
  /** Frames per second, a whole number 1–240 (default 30, as the cloud API). */
  fps?: number | string;
  quality?: RenderQuality;
  format?: RenderFormat;
  resolution?: RenderResolution;
  variables?: VariableValues;
  /** Variable values that do not match the declarations are errors instead of warnings. */
  strictVariables?: boolean;
  /** Only these frames, inclusive: `{first, last}` or `"a-b"`. */
  frames?: FrameRange | string;
  /** Parallel capture workers (default: sized to the machine and the frame count). */
  workers?: number;
  /** Write `<name>.png` beside the video (default true). */
  thumbnail?: boolean;
  logger?: Logger;
  /** Aborting stops the render and removes its partial files (Ctrl+C). */
  signal?: AbortSignal;
  /** Browsers to reuse (batch); closed by the caller. */
  pool?: BrowserPool;
  /** Force a capture path (tests, benchmarks); default: BeginFrame on chromium-headless-shell. */
  captureMode?: CaptureMode;
  /** Skip capturing frames the runtime proves unchanged (default true; benchmarks turn it off). */
  reuseFrames?: boolean;
  /**
   * Benchmarks: do not encode; the output file gets the frame stream ffmpeg would have read (a
   * Matroska stream of JPEG/PNG images), to time capture alone and then the encoder alone.
   */
  framesOnly?: boolean;
  /** Benchmarks (encoder tuning): JPEG quality of the captured mp4 frames instead of the `--quality` preset's. */
  jpegQuality?: number;
  /**
   * Benchmarks (the capture floor): each frame is drawn (BeginFrame) but its pixels are not taken;
   * the first drawn frame's image stands in for the rest. Shows what the screenshot itself costs.
   */
  drawWithoutPixels?: boolean;
}

export interface FrameRange {
  first: number;
  last: number;
}

const usage = (code: ErrorCode, message: string, hint: string) => new FramesmithError(code, message, { hint, exitCode: EXIT.usage });

/** fps: a whole number 1–240, as the cloud takes it. */
export function checkFps(value: number | string): number {
  throwFirst(fpsProblem(value));
  return Number(value);
}

export type CheckedParams = CheckedRenderParams;

/** Checks fps/quality/format/resolution and their combination; fills the cloud's defaults (the same checks as the cloud's). */
export function checkParams(o: Pick<RenderOptions, 'fps' | 'quality' | 'format' | 'resolution'>): CheckedParams {
  return checkRenderParams(o);
}

/** Parses `--frames a-b` (inclusive, 0-based) or `a` (one frame) against the composition's length. */
export function parseFrameRange(value: FrameRange | string | undefined, frameCount: number): FrameRange {
  const all = { first: 0, last: frameCount - 1 };
  if (value === undefined) return all;
  let range: FrameRange;
  if (typeof value === 'string') {
    const m = /^\s*(\d+)\s*(?:-\s*(\d*)\s*)?$/.exec(value);
    if (!m)
      throw usage(
        'invalid_frames',
        `--frames must look like 0-89 (first-last, inclusive), got "${value}".`,
        `Frames are numbered 0 to ${frameCount - 1} at this fps.`,
      );
    const first = Number(m[1]);
    range = { first, last: m[2] === undefined ? first : m[2] === '' ? frameCount - 1 : Number(m[2]) };
  } else range = value;
  if (
    !Number.isInteger(range.first) ||
    !Number.isInteger(range.last) ||
    range.first < 0 ||
    range.last < range.first ||
    range.last >= frameCount
  ) {
    throw usage(
      'invalid_frames',
      `--frames ${range.first}-${range.last} is outside the composition (frames 0-${frameCount - 1} at this fps).`,
      `Pick a range within 0-${frameCount - 1}, first ≤ last.`,
    );
  }
  return range;
}

/** `--workers`: a whole number from 1 (a count above what the machine can use is capped later, with a warning). */
export function checkWorkers(n: number | undefined, given: string | number | undefined = n): number | undefined {
  if (n === undefined) return undefined;
  if (!Number.isInteger(n) || n < 1)
    throw usage(
      'invalid_option',
      `--workers must be a whole number of 1 or more, got ${JSON.stringify(String(given))}.`,
      'Leave it out to size it to this machine.',
    );
  return n;
}
