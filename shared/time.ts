/**
 * Frame and time arithmetic, shared so the runtime, the renderer and the scrubber round the same
 * way. Frame N of a composition at F fps is time N/F exactly.
 */

/** Number of frames a render of `duration` seconds at `fps` holds: round(duration × fps). */
export function frameCount(duration: number, fps: number): number {
  return Math.max(0, Math.round(duration * fps));
}

/** Time in seconds of frame `frame` at `fps`. */
export function frameToTime(frame: number, fps: number): number {
  return frame / fps;
}

/**
 * The frame showing time `t`. A small tolerance keeps 0.1 × 30 (= 2.9999…) on frame 3.
 */
export function timeToFrame(t: number, fps: number): number {
  return Math.floor(t * fps + 1e-6);
}

/** `12.345` → `"0:12.35"`; used by progress lines and the scrubber. */
export function formatClock(seconds: number): string {
  const sign = seconds < 0 ? '-' : '';
  const s = Math.abs(seconds);
  const m = Math.floor(s / 60);
  const rest = s - m * 60;
  return `${sign}${m}:${rest.toFixed(2).padStart(5, '0')}`;
}
