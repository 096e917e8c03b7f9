/**
 * The render's progress line: `120/300 frames · 41 fps · ETA 4s`, fed by the frames the encoder
 * has received. The rate is measured over the last few seconds so the ETA follows changes of
 * pace (a hold renders much faster than an animated stretch).
 */
import type { Logger, Progress } from '../core/logger.js';

export interface RenderProgress {
  update(done: number): void;
  done(text: string): void;
  fail(text: string): void;
}

/** `4s`, `1m05s`. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** Starts a progress display for `total` frames on the logger (nothing with --json/--quiet). */
export function createRenderProgress(
  logger: Logger,
  label: string,
  total: number,
  now: () => number = () => performance.now(),
): RenderProgress {
  const bar: Progress = logger.progress(label, total);
  const samples: { t: number; done: number }[] = [{ t: now(), done: 0 }];
  let lastDraw = 0;
  return {
    update(done) {
      const t = now();
      samples.push({ t, done });
      while (samples.length > 2 && t - samples[0].t > 3000) samples.shift();
      // Redrawing costs terminal writes; a few times a second is enough.
      if (t - lastDraw < 200 && done < total) return;
      lastDraw = t;
      const first = samples[0];
      const fps = t > first.t ? ((done - first.done) * 1000) / (t - first.t) : 0;
      const eta = fps > 0 ? (total - done) / fps : NaN;
      // Plain lines already start with done/total; the in-place bar shows only a bar.
      const count = logger.interactive ? `${done}/${total} frames · ` : '';
      bar.update(done, `${count}${fps.toFixed(fps < 10 ? 1 : 0)} fps · ETA ${formatEta(eta)}`);
    },
    done: (text) => bar.done(text),
    fail: (text) => bar.fail(text),
  };
}
