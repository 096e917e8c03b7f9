/**
 * The shapes HeyGen renders, and which of them a composition's size is: used by the cloud
 * checks (refused before upload), the build summary, a local render (a warning) and lint.
 */
import type { AspectRatio } from './render-params.js';

const RATIOS: { value: AspectRatio; ratio: number }[] = [
  { value: '16:9', ratio: 16 / 9 },
  { value: '9:16', ratio: 9 / 16 },
  { value: '1:1', ratio: 1 },
];

/** The API aspect ratio of a size, or null when it is none of 16:9, 9:16, 1:1 (1 % tolerance). */
export function aspectRatioOf(width: number, height: number): AspectRatio | null {
  if (!(width > 0 && height > 0)) return null;
  const r = width / height;
  return RATIOS.find((c) => Math.abs(r / c.ratio - 1) <= 0.01)?.value ?? null;
}
