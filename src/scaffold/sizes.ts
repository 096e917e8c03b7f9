/**
 * The frame sizes HeyGen's cloud renders: three aspects at 1080p, and 4k at double the size.
 * `framesmith new --aspect/--resolution` resolves to one of these.
 */
import {
  ASPECT_RATIOS,
  choiceProblem,
  RESOLUTIONS as RENDER_RESOLUTIONS,
  throwFirst,
  type AspectRatio,
  type RenderResolution,
} from '../options/render-params.js';

export type Aspect = AspectRatio;
export type Resolution = RenderResolution;

export const ASPECT_SIZES: Record<Aspect, { width: number; height: number }> = {
  '16:9': { width: 1920, height: 1080 },
  '9:16': { width: 1080, height: 1920 },
  '1:1': { width: 1080, height: 1080 },
};

export const ASPECTS = Object.keys(ASPECT_SIZES) as Aspect[];
export const RESOLUTIONS: readonly Resolution[] = RENDER_RESOLUTIONS;

export function isAspect(value: unknown): value is Aspect {
  return typeof value === 'string' && value in ASPECT_SIZES;
}

/** Checks an `--aspect` value (the same check as `render --cloud --aspect-ratio`). */
export function parseAspect(value: string): Aspect {
  throwFirst(choiceProblem('aspect', value, ASPECT_RATIOS));
  return value as Aspect;
}

/** Checks a `--resolution` value (the same check as `render --resolution`). */
export function parseResolution(value: string): Resolution {
  throwFirst(choiceProblem('resolution', value, RESOLUTIONS));
  return value as Resolution;
}

/** Pixel size of the root for an aspect and resolution. */
export function frameSize(aspect: Aspect, resolution: Resolution = '1080p'): { width: number; height: number } {
  const base = ASPECT_SIZES[aspect];
  const k = resolution === '4k' ? 2 : 1;
  return { width: base.width * k, height: base.height * k };
}
