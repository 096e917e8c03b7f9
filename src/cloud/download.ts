/**
 * Fetching a finished render's video and thumbnail. The links come from the server, so they are
 * checked first (net-policy.ts: https only, no address on this machine, the local network or the
 * link-local range unless the API is there) and fetched with no credential; the render id and
 * format that name the file are checked before they touch a path. The links are presigned and
 * short-lived: when one has expired (403/404/410) the render is fetched again for fresh links,
 * once. Bytes go to a hidden temp file in the target folder, created before the first byte, checked
 * against Content-Length, then renamed, so a half-written video never sits under the final name
 * and a failed attempt leaves nothing behind; a body cut off or stalled mid-way is fetched again
 * from the start (three attempts in all).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FramesmithError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { isBelow } from '../core/inside.js';
import type { CloudClient } from './client.js';
import { EXIT } from '../core/exit-codes.js';
import { transferError } from './errors.js';
import { sendWithRetry } from './http.js';
import { linkPolicyFor, refuseLink, type LinkPolicy } from './net-policy.js';
import { backoffDelay, resolveRetry, sleep, type ResolvedRetry } from './retry.js';
import { badResponse, ID } from './schema.js';
import { send, TransportError, type TransportResponse } from './transport.js';
import { FORMATS, type RenderDetail } from './types.js';
import { DEFAULT_API_URL } from './api-key.js';

export interface DownloadOptions {
  /** Video path; default `renders/<render_id>.<format>` under `cwd`. */
  outPath?: string;
  cwd?: string;
  /** Used to refresh expired links, for the link policy and for retries/logging. */
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

/** Throws `cloud_bad_response` unless the id and format can safely name a file. */
export function checkOutputNaming(detail: Pick<RenderDetail, 'render_id' | 'format'>): void {
  const shown = (v: unknown, n: number) =>
    `"${String(v)
      .slice(0, n)
      .replace(/[^\x20-\x7e]/g, '?')}"`;
  if (typeof detail.render_id !== 'string' || !ID.test(detail.render_id))
    throw badResponse('a render lookup', 'render_id', `is ${shown(detail.render_id, 60)}, not an id of letters, digits, _ and -`);
  if (!(FORMATS as readonly string[]).includes(detail.format))
    throw badResponse(
      `the lookup of render ${detail.render_id}`,
      'format',
      `is ${shown(detail.format, 20)}, not one of ${FORMATS.join(', ')}`,
    );
}

/** Where a render's video goes by default: always inside `<cwd>/renders`. */
export function defaultOutputPath(detail: Pick<RenderDetail, 'render_id' | 'format'>, cwd = process.cwd()): string {
  checkOutputNaming(detail);
  const folder = join(resolve(cwd), 'renders');
  const path = join(folder, `${detail.render_id}.${detail.format}`);
  // The video must be a file below renders/ (renders/ itself is a folder, never the video).
  if (!isBelow(folder, path)) throw badResponse(`the lookup of render ${detail.render_id}`, 'render_id', `would write outside ${folder}`);
  return path;
}

/** The storage refused the presigned link (403/404/410): it expired, or the render's files moved. */
class LinkExpired extends Error {}
/** The body stopped short of Content-Length, the connection dropped or stalled mid-way: worth fetching again. */
class CutOff extends Error {}

/** Restarts of a cut-off download before giving up (so three attempts in all). */
const CUT_OFF_RETRIES = 2;
/** Redirects a storage link may take (each hop checked like the link itself). */
const MAX_HOPS = 3;

interface Ctx {
  retry: ResolvedRetry;
  logger: Logger;
  policy: LinkPolicy;
  secrets: string[];
  renderId: string;
  resume: string;
}

function refused(why: string, ctx: Ctx): FramesmithError {
  return new FramesmithError('cloud_link_refused', `The download link of render ${ctx.renderId} was not fetched: ${why}.`, {
    hint: `framesmith fetches links only over https, and never from this machine, the local network or link-local addresses unless the API itself is there. Nothing was written.`,
    exitCode: EXIT.failed,
  });
}

/** GETs a storage link with no credential, following at most MAX_HOPS redirects that pass the policy. */
async function getLink(url: string, ctx: Ctx, signal?: AbortSignal, onReceived?: (n: number) => void): Promise<TransportResponse> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const why = refuseLink(current, ctx.policy);
    if (why) throw refused(why, ctx);
    const { response } = await sendWithRetry(
      (s) =>
        send({
          method: 'GET',
          url: new URL(current),
          signal: s,
          policy: ctx.policy,
          stall: { windowMs: ctx.retry.stallWindowMs, minBytes: ctx.retry.stallMinBytes },
          onReceived,
        }),
      {
        label: `GET ${basename(new URL(current).pathname)}`,
        ctx,
        signal,
        safeToRepeat: true,
        onNetworkError: (e, attempts) =>
          e instanceof TransportError && e.kind === 'refused'
            ? refused(e.message, ctx)
            : transferError(e, `Downloading render ${ctx.renderId}`, attempts, ctx.secrets, ctx.resume),
      },
    );
    const location = response.headers.get('location');
    if (![301, 302, 303, 307, 308].includes(response.status) || !location) return response;
    response.discard();
    if (hop >= MAX_HOPS) throw refused(`it redirected more than ${MAX_HOPS} times`, ctx);
    try {
      current = new URL(location, current).toString();
    } catch {
      throw refused('it redirected to an unreadable address', ctx);
    }
  }
}

async function fetchToFile(url: string, target: string, ctx: Ctx, opts: DownloadOptions, progress: boolean): Promise<number> {
  let expected: number | null = null;
  let received = 0;
  const response = await getLink(url, ctx, opts.signal);
  if (response.status === 403 || response.status === 404 || response.status === 410) {
    response.discard();
    throw new LinkExpired(String(response.status));
  }
  if (response.status < 200 || response.status >= 300) {
    response.discard();
    throw new FramesmithError('cloud_download_failed', `Downloading ${basename(target)} failed: the storage answered ${response.status}.`, {
      hint: `The render is finished in the cloud; try again later with \`${ctx.resume}\`.`,
      exitCode: EXIT.unavailable,
    });
  }
  const total = Number(response.headers.get('content-length') ?? NaN);
  expected = Number.isFinite(total) && total >= 0 ? total : null;
  await mkdir(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.part`);
  // The temp file exists before the first byte arrives, so removing it after a failure always
  // removes it (a stream that opens lazily could create it after the cleanup ran).
  const handle = await open(temp, 'wx');
  const file = handle.createWriteStream();
  let diskError: Error | null = null;
  file.on('error', (e) => (diskError = e));
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      if (progress) opts.onProgress?.(received, expected);
      done(null, chunk);
    },
  });
  try {
    try {
      await pipeline(response.body, counter, file, { signal: opts.signal });
    } catch (error) {
      if (opts.signal?.aborted) throw error;
      if (diskError) {
        throw new FramesmithError('cloud_download_write', `Could not write ${target}: ${(diskError as Error).message}.`, {
          hint: `Free some space or pick another place with -o, then: ${ctx.resume}`,
          exitCode: EXIT.failed,
        });
      }
      const stalled = error instanceof TransportError && (error.kind === 'stalled' || error.kind === 'timeout');
      // A dropped or stalled connection, or a body shorter than Content-Length, surfaces here.
      throw new CutOff(
        stalled
          ? `it stalled after ${received} bytes (${error.message})`
          : expected === null
            ? `the connection dropped after ${received} bytes`
            : `it stopped at ${received} of ${expected} bytes`,
      );
    }
    if (expected !== null && received !== expected) throw new CutOff(`it stopped at ${received} of ${expected} bytes`);
    await rename(temp, target);
  } catch (error) {
    response.discard();
    if (!file.closed) await new Promise<void>((done) => file.once('close', () => done()).destroy());
    await handle.close().catch(() => {});
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
  checkOutputNaming(detail);
  if (detail.status !== 'completed' || !detail.video_url) {
    throw new FramesmithError(
      'cloud_render_not_ready',
      `Render ${detail.render_id} is ${detail.status}; there is no video to download yet.`,
      {
        hint:
          detail.status === 'failed'
            ? `It failed: ${detail.failure_message ?? 'no reason given'}.`
            : `Wait for it and download: framesmith renders get ${detail.render_id} --download`,
        exitCode: detail.status === 'failed' ? EXIT.renderFailed : EXIT.failed,
      },
    );
  }
  const logger = options.logger ?? options.client?.http.logger ?? silentLogger;
  const videoPath = options.outPath ? resolve(options.cwd ?? process.cwd(), options.outPath) : defaultOutputPath(detail, options.cwd);
  const retryCommand = `framesmith renders get ${detail.render_id} --download`;
  const ctx: Ctx = {
    retry: options.client?.http.retry ?? resolveRetry(),
    logger,
    policy: options.client ? await options.client.http.linkPolicy() : await linkPolicyFor(DEFAULT_API_URL),
    secrets: options.client ? [options.client.http.key.value()] : [],
    renderId: detail.render_id,
    resume: retryCommand,
  };
  let current = detail;
  // A body cut off mid-way is fetched again from the start, after a short backoff.
  const fetchWhole = async (url: string, target: string, progress: boolean) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fetchToFile(url, target, ctx, options, progress);
      } catch (error) {
        if (!(error instanceof CutOff) || options.signal?.aborted) throw error;
        if (attempt >= CUT_OFF_RETRIES) {
          throw new FramesmithError(
            'cloud_download_interrupted',
            `The download of render ${detail.render_id} was cut off ${attempt + 1} times (last time ${error.message}); nothing was kept under ${basename(target)}.`,
            {
              hint: `The render is finished in the cloud. Fetch it again with: ${retryCommand}`,
              exitCode: EXIT.unavailable,
            },
          );
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
        throw new FramesmithError(
          'cloud_link_expired',
          `The download link of render ${detail.render_id} has expired (the storage answered ${error.message}).`,
          {
            hint: `Fetch fresh links: ${retryCommand}`,
            exitCode: EXIT.failed,
          },
        );
      }
      // Presigned links are short-lived: ask for the render again, which signs new ones, and retry once.
      logger.info(`The download link of render ${detail.render_id} expired (${error.message}); fetching fresh links`);
      current = await options.client.renders.get(detail.render_id, { signal: options.signal });
      const url = pick(current);
      if (!url)
        throw new FramesmithError(
          'cloud_download_failed',
          `Render ${detail.render_id} no longer has a download link (status ${current.status}).`,
          { hint: 'List your renders with `framesmith renders list`.', exitCode: EXIT.failed },
        );
      try {
        return await fetchWhole(url, target, progress);
      } catch (again) {
        if (again instanceof LinkExpired) {
          throw new FramesmithError(
            'cloud_link_expired',
            `The storage refused the fresh download link of render ${detail.render_id} too (it answered ${again.message}).`,
            {
              hint: `The render is finished in the cloud; try again in a minute with: ${retryCommand}`,
              exitCode: EXIT.failed,
            },
          );
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
      if (options.signal?.aborted) throw error;
      // The video is what was asked for; a missing thumbnail is worth a warning, not a failure.
      logger.warn(`Could not download the thumbnail: ${(error as Error).message}`);
    }
  }
  return { videoPath, videoBytes, thumbnailPath };
}
