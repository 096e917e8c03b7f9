/**
 * `renderLocal()`: renders a composition to a video file on this machine with Chromium and the
 * system ffmpeg. The programmatic API behind `framesmith render`.
 *
 *   const result = await renderLocal({ dir: 'my-video', quality: 'high', out: 'out/promo.mp4' });
 */
import { collectWarnings, silentLogger } from '../core/logger.js';
import type { RenderOptions } from './options.js';
import { resolveVideoPath } from './output-path.js';
import { runRenderJob } from './render-job.js';
import { openRenderSession } from './render-session.js';
import type { RenderResult } from './result.js';

/** Renders one video. Throws a FramesmithError (CancelledError on abort) and writes nothing then. */
export async function renderLocal(options: RenderOptions): Promise<RenderResult> {
  // One collector for the session and the job: the result carries every warning.
  const logger = collectWarnings(options.logger ?? silentLogger);
  const session = await openRenderSession({ ...options, logger });
  try {
    const video = await resolveVideoPath(session.model.root, options.out, session.params.format, session.name);
    const result = await runRenderJob(session, {
      video,
      variables: options.variables ?? {},
      thumbnail: options.thumbnail !== false,
      bootKey: 'render',
      label: 'Rendering',
      logger,
    });
    return result;
  } finally {
    await session.dispose();
  }
}
