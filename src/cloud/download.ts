/**
 * Fetching a finished render's video and thumbnail. The URLs are presigned and short-lived: they
 * are fetched with no auth header, and when one has expired (403) the render is fetched again for
 * fresh links, once. Bytes go to a temp file in the target folder, are checked against
 * Content-Length, then renamed, so a half-written video never sits under the final name; a body
 * cut off mid-way is fetched again from the start (three attempts in all).
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FramesmithError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { CloudClient } from './client.js';
import { CLOUD_EXIT } from './exit-codes.js';
import { networkError } from './errors.js';
import { sendWithRetry } from './http.js';
import { backoffDelay, resolveRetry, sleep } from './retry.js';
import type { RenderDetail } from './types.js';

export interface DownloadOptions {
  /** Video path; default `renders/<render_id>.<format>` under `cwd`. */
  outPath?: string;
  cwd?: string;
  /** Used to refresh expired links and for retries/logging. */
  client?: CloudClient;
  /** Also fetch the thumbnail beside the video (default true). */
  thumbnail?: boolean;
  onProgress?(receivedBytes: number, totalBytes: number | null): void;
  signal?: AbortSignal;
  logger?: Logger;
}

export interface DownloadResult {
  videoPath: string;
  videoBytes: number;
  thumbnailPath: string | null;
}

/** Where a render's video goes by default. */
export function defaultOutputPath(detail: Pick<RenderDetail, 'render_id' | 'format'>, cwd = process.cwd()): string {
  return join(resolve(cwd), 'renders', `${detail.render_id}.${detail.format || 'mp4'}`);
}

/** The storage refused the presigned link (403/404/410): it expired, or the render's files moved. */
class LinkExpired extends Error {}
/** The body stopped short of Content-Length, or the connection dropped mid-body: worth fetching again. */
class CutOff extends Error {}

/** Restarts of a cut-off download before giving up (so three attempts in all). */
const CUT_OFF_RETRIES = 2;

async function fetchToFile(url: string, target: string, renderId: string, opts: DownloadOptions, progress: boolean): Promise<number> {
  const ctx = opts.client?.http ?? { logger: opts.logger ?? silentLogger, retry: resolveRetry() };
  const doFetch = opts.client?.http.fetch ?? globalThis.fetch;
  const { response } = await sendWithRetry((signal) => doFetch(url, { method: 'GET', signal }), {
    label: `GET ${basename(new URL(url).pathname)}`,
    ctx,
    signal: opts.signal,
    safeToRepeat: true,
    timeoutMs: 0,
    onNetworkError: (e, attempts, timedOut) => networkError(e, { method: 'GET', path: 'the download URL', secrets: opts.client ? [opts.client.http.key.value()] : [], attempts }, new URL(url).origin, timedOut),
  });
  if (response.status === 403 || response.status === 404 || response.status === 410) {
    await response.body?.cancel().catch(() => {});
    throw new LinkExpired(String(response.status));
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => {});
    throw new FramesmithError('cloud_download_failed', `Downloading ${basename(target)} failed: the storage answered ${response.status}.`, {
      hint: `The render is finished in the cloud; try again later with \`framesmith renders get ${renderId} --download\`.`,
      exitCode: CLOUD_EXIT.unavailable,
    });
  }
  const total = Number(response.headers.get('content-length') ?? NaN);
  const expected = Number.isFinite(total) ? total : null;
  await mkdir(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.part`);
  let received = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      if (progress) opts.onProgress?.(received, expected);
      done(null, chunk);
    },
  });
  const file = createWriteStream(temp);
  let diskError: Error | null = null;
  file.on('error', (e) => (diskError = e));
  try {
    try {
      await pipeline(Readable.fromWeb(response.body as never), counter, file, { signal: opts.signal });
    } catch (error) {
      if (opts.signal?.aborted) throw error;
      if (diskError) {
        throw new FramesmithError('cloud_download_write', `Could not write ${target}: ${(diskError as Error).message}.`, {
          hint: `Free some space or pick another place with -o, then: framesmith renders get ${renderId} --download`,
          exitCode: CLOUD_EXIT.other,
        });
      }
      // A dropped connection or a body shorter than Content-Length surfaces here as a stream error.
      throw new CutOff(expected === null ? `the connection dropped after ${received} bytes` : `it stopped at ${received} of ${expected} bytes`);
    }
    if (expected !== null && received !== expected) throw new CutOff(`it stopped at ${received} of ${expected} bytes`);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return received;
}

function thumbnailPathFor(videoPath: string, url: string): string {
  const ext = extname(new URL(url).pathname).toLowerCase();
  const thumbExt = ['.png', '.jpg', '.jpeg', '.webp'].includes(ext) ? ext : '.png';
  const stem = videoPath.slice(0, videoPath.length - extname(videoPath).length);
  return `${stem}${thumbExt}`;
}

/**
 * Downloads a completed render's video (and thumbnail) atomically. Throws `cloud_render_not_ready`
 * for a render that is not completed. Refreshes expired links once when `client` is given.
 */
export async function downloadRenderOutputs(detail: RenderDetail, options: DownloadOptions = {}): Promise<DownloadResult> {
  if (detail.status !== 'completed' || !detail.video_url) {
    throw new FramesmithError('cloud_render_not_ready', `Render ${detail.render_id} is ${detail.status}; there is no video to download yet.`, {
      hint: detail.status === 'failed' ? `It failed: ${detail.failure_message ?? 'no reason given'}.` : `Wait for it and download: framesmith renders get ${detail.render_id} --download`,
      exitCode: detail.status === 'failed' ? CLOUD_EXIT.renderFailed : CLOUD_EXIT.other,
    });
  }
  const logger = options.logger ?? options.client?.http.logger ?? silentLogger;
  const videoPath = resolve(options.cwd ?? process.cwd(), options.outPath ?? defaultOutputPath(detail, options.cwd));
  let current = detail;
  const retryCommand = `framesmith renders get ${detail.render_id} --download`;
  const ctx = options.client?.http ?? { retry: resolveRetry() };
  // A body cut off mid-way is fetched again from the start, after a short backoff.
  const fetchWhole = async (url: string, target: string, progress: boolean) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fetchToFile(url, target, detail.render_id, options, progress);
      } catch (error) {
        if (!(error instanceof CutOff) || options.signal?.aborted) throw error;
        if (attempt >= CUT_OFF_RETRIES) {
          throw new FramesmithError('cloud_download_interrupted', `The download of render ${detail.render_id} was cut off ${attempt + 1} times (last time ${error.message}); nothing was kept under ${basename(target)}.`, {
            hint: `The render is finished in the cloud. Fetch it again with: ${retryCommand}`,
            exitCode: CLOUD_EXIT.unavailable,
          });
        }
        const wait = backoffDelay(attempt, ctx.retry);
        logger.info(`${basename(target)}: the download was cut off (${error.message}); starting again in ${(wait / 1000).toFixed(1)} s`);
        await sleep(wait, options.signal);
      }
    }
  };
  const withRefresh = async (pick: (d: RenderDetail) => string | null, target: string, progress: boolean) => {
    try {
      return await fetchWhole(pick(current)!, target, progress);
    } catch (error) {
      if (!(error instanceof LinkExpired)) throw error;
      if (!options.client) {
        throw new FramesmithError('cloud_link_expired', `The download link of render ${detail.render_id} has expired (the storage answered ${error.message}).`, {
          hint: `Fetch fresh links: ${retryCommand}`,
          exitCode: CLOUD_EXIT.other,
        });
      }
      // Presigned links are short-lived: ask for the render again, which signs new ones, and retry once.
      logger.info(`The download link of render ${detail.render_id} expired (${error.message}); fetching fresh links`);
      current = await options.client.renders.get(detail.render_id, { signal: options.signal });
      const url = pick(current);
      if (!url) throw new FramesmithError('cloud_download_failed', `Render ${detail.render_id} no longer has a download link (status ${current.status}).`, { hint: 'List your renders with `framesmith renders list`.', exitCode: CLOUD_EXIT.other });
      try {
        return await fetchWhole(url, target, progress);
      } catch (again) {
        if (again instanceof LinkExpired) {
          throw new FramesmithError('cloud_link_expired', `The storage refused the fresh download link of render ${detail.render_id} too (it answered ${again.message}).`, {
            hint: `The render is finished in the cloud; try again in a minute with: ${retryCommand}`,
            exitCode: CLOUD_EXIT.other,
          });
        }
        throw again;
      }
    }
  };
  const videoBytes = await withRefresh((d) => d.video_url, videoPath, true);
  let thumbnailPath: string | null = null;
  if (options.thumbnail !== false && current.thumbnail_url) {
    const target = thumbnailPathFor(videoPath, current.thumbnail_url);
    try {
      await withRefresh((d) => d.thumbnail_url, target, false);
      thumbnailPath = target;
    } catch (error) {
      // The video is what was asked for; a missing thumbnail is worth a warning, not a failure.
      logger.warn(`Could not download the thumbnail: ${(error as Error).message}`);
    }
  }
  return { videoPath, videoBytes, thumbnailPath };
}
