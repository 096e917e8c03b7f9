// Which frames to compare: the first and the last, every clip boundary and the frame either side
// of it (boundaries as framesmith resolves them and as the engine reads them), and 10 evenly
// spaced frames.

/**
 * @param {{ fps: number, frameCount: number, clips?: Array<{ start: number, end: number }>, evenly?: number }} options
 * @returns {Array<{ frame: number, why: string }>} sorted by frame, one entry per frame
 */
export function sampleFrames({ fps, frameCount, clips = [], evenly = 10 }) {
  const last = Math.max(0, frameCount - 1);
  const why = new Map();
  const add = (f, reason) => {
    if (!Number.isFinite(f)) return;
    const frame = Math.min(last, Math.max(0, Math.round(f)));
    if (!why.has(frame)) why.set(frame, reason);
  };
  add(0, 'first');
  add(last, 'last');
  for (const c of clips) {
    for (const [t, edge] of [
      [c.start, 'start'],
      [c.end, 'end'],
    ]) {
      if (!Number.isFinite(t) || t <= 0 || t >= frameCount / fps) continue;
      const f = Math.round(t * fps);
      add(f, `${c.id ?? 'clip'} ${edge}`);
      add(f - 1, `before ${c.id ?? 'clip'} ${edge}`);
      add(f + 1, `after ${c.id ?? 'clip'} ${edge}`);
    }
  }
  for (let i = 0; i < evenly; i++) add(Math.floor(((i + 0.5) * frameCount) / evenly), 'evenly spaced');
  return [...why].map(([frame, reason]) => ({ frame, why: reason })).sort((a, b) => a.frame - b.frame);
}
