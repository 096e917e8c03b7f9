/**
 * The frame sizes HeyGen's cloud renders: three aspects at 1080p, and 4k at double the size.
 * `framesmith new --aspect/--resolution` resolves to one of these.
 */
import { FramesmithError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';

export type Aspect = '16:9' | '9:16' | '1:1';
export type Resolution = '1080p' | '4k';

export const ASPECT_SIZES: Record<Aspect, { width: number; height: number }> = {
  '16:9': { width: 1920, height: 1080 },
  '9:16': { width: 1080, height: 1920 },
  '1:1': { width: 1080, height: 1080 },
};

export const ASPECTS = Object.keys(ASPECT_SIZES) as Aspect[];
export const RESOLUTIONS: readonly Resolution[] = ['1080p', '4k'];

export function isAspect(value: unknown): value is Aspect {
  return typeof value === 'string' && value in ASPECT_SIZES;
}

/** Checks an `--aspect` value, with an error naming the accepted ones. */
export function parseAspect(value: string): Aspect {
  if (isAspect(value)) return value;
  throw new FramesmithError('invalid_aspect', `Unknown aspect "${value}".`, {
    hint: `Use one of ${ASPECTS.join(', ')} (width:height).`,
    exitCode: EXIT.usage,
  });
}

/** Checks a `--resolution` value. */
export function parseResolution(value: string): Resolution {
  if ((RESOLUTIONS as readonly string[]).includes(value)) return value as Resolution;
  throw new FramesmithError('invalid_resolution', `Unknown resolution "${value}".`, {
    hint: `Use ${RESOLUTIONS.join(' or ')} (4k doubles the 1080p size).`,
    exitCode: EXIT.usage,
  });
}

/** Pixel size of the root for an aspect and resolution. */
export function frameSize(aspect: Aspect, resolution: Resolution = '1080p'): { width: number; height: number } {
  const base = ASPECT_SIZES[aspect];
  const k = resolution === '4k' ? 2 : 1;
  return { width: base.width * k, height: base.height * k };
}
