/**
 * Following a render until it ends. The API has no progress field, so the caller gets the status
 * and the elapsed time on every poll. Interrupting or timing out never loses the render: the error
 * says how to pick it up again.
 */
import { CancelledError, FramesmithError, isFramesmithError } from '../core/errors.js';
import type { CloudClient } from './client.js';
import { EXIT } from '../core/exit-codes.js';
import { sleep } from './retry.js';
import type { RenderDetail } from './types.js';

/** The official client's cadence: every 10 s, for up to 60 minutes. */
export const DEFAULT_POLL_INTERVAL_MS = 10_000;
export const DEFAULT_WAIT_TIMEOUT_MS = 60 * 60 * 1000;

export interface WaitForRenderOptions {
  /** ms between polls (default 10 000). */
  pollInterval?: number;
  /** ms before giving up (default 60 min); the render keeps going in the cloud. */
  timeout?: number;
  /** Called after every poll. */
  onStatus?(detail: RenderDetail, elapsedMs: number): void;
  signal?: AbortSignal;
}

export const isTerminal = (d: Pick<RenderDetail, 'status'>) => d.status === 'completed' || d.status === 'failed';

/** The command that resumes following a render. */
export const resumeCommand = (renderId: string) => `framesmith renders get ${renderId} --download`;

/** The error thrown when the user stops the wait: exit 130, with the resume command. */
export function stoppedWaiting(renderIds: string[]): CancelledError {
  const e = new CancelledError(
    renderIds.length === 1
      ? `Stopped waiting for render ${renderIds[0]}; it keeps rendering in the cloud.`
      : `Stopped waiting for ${renderIds.length} renders (${renderIds.join(', ')}); they keep rendering in the cloud.`,
  );
  (e as { hint?: string }).hint = `Resume with: ${renderIds.map(resumeCommand).join(' ; ')}`;
  return e;
}

/**
 * Polls `GET /v3/hyperframes/renders/{id}` until `completed` or `failed` and returns the detail
 * (a failed render is returned, not thrown). Throws `cloud_wait_timeout` (exit 8) after `timeout`
 * and a CancelledError naming the resume command when `signal` aborts.
 */
export async function waitForRender(client: CloudClient, renderId: string, options: WaitForRenderOptions = {}): Promise<RenderDetail> {
  const interval = Math.max(0, options.pollInterval ?? DEFAULT_POLL_INTERVAL_MS);
  const timeout = options.timeout ?? DEFAULT_WAIT_TIMEOUT_MS;
  const started = Date.now();
  for (;;) {
    let detail: RenderDetail;
    try {
      detail = await client.renders.get(renderId, { signal: options.signal });
    } catch (error) {
      if (error instanceof CancelledError || options.signal?.aborted) throw stoppedWaiting([renderId]);
      throw error;
    }
    const elapsed = Date.now() - started;
    options.onStatus?.(detail, elapsed);
    if (isTerminal(detail)) return detail;
    if (elapsed >= timeout) {
      throw new FramesmithError(
        'cloud_wait_timeout',
        `Render ${renderId} is still ${detail.status} after ${Math.round(elapsed / 1000)} s; stopped waiting.`,
        {
          hint: `It keeps going in the cloud. Resume with: ${resumeCommand(renderId)} (or raise --timeout).`,
          exitCode: EXIT.timeout,
        },
      );
    }
    try {
      await sleep(Math.min(interval, Math.max(0, timeout - elapsed)), options.signal);
    } catch (error) {
      if (isFramesmithError(error) && error.code === 'cancelled') throw stoppedWaiting([renderId]);
      throw error;
    }
  }
}

/** `hh:mm:ss` or `mm:ss` for status lines. */
export function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}
