/**
 * The retry policy of the cloud client: which failures are worth another attempt and how long to
 * wait. Exponential backoff with "equal jitter" (half fixed, half random) so that many clients
 * failing together do not retry together, bounded in attempts and in each wait.
 */
import { CancelledError } from '../core/errors.js';

export interface RetryOptions {
  /** Further attempts after the first (default 4). */
  retries?: number;
  /** First backoff in ms (default 500); doubles each attempt. */
  baseDelayMs?: number;
  /** Longest single wait in ms, Retry-After included (default 30 000). */
  maxDelayMs?: number;
  /** Whole-request limit for API calls in ms, up to the last byte of the answer (default 60 000). Not retried. */
  timeoutMs?: number;
  /** Long transfers (downloads, uploads) fail as stalled when fewer than `stallMinBytes` moved in `stallWindowMs` (default 32 KiB in 30 s). */
  stallWindowMs?: number;
  stallMinBytes?: number;
}

export type ResolvedRetry = Required<RetryOptions>;

export const DEFAULT_RETRY: ResolvedRetry = {
  retries: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  timeoutMs: 60_000,
  stallWindowMs: 30_000,
  stallMinBytes: 32 * 1024,
};

export function resolveRetry(options: RetryOptions = {}): ResolvedRetry {
  const pick = (v: number | undefined, d: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : d);
  return {
    retries: Math.floor(pick(options.retries, DEFAULT_RETRY.retries)),
    baseDelayMs: pick(options.baseDelayMs, DEFAULT_RETRY.baseDelayMs),
    maxDelayMs: pick(options.maxDelayMs, DEFAULT_RETRY.maxDelayMs),
    timeoutMs: pick(options.timeoutMs, DEFAULT_RETRY.timeoutMs),
    stallWindowMs: pick(options.stallWindowMs, DEFAULT_RETRY.stallWindowMs) || DEFAULT_RETRY.stallWindowMs,
    stallMinBytes: pick(options.stallMinBytes, DEFAULT_RETRY.stallMinBytes),
  };
}

/** Wait before attempt `attempt + 1` (attempt counts from 0). */
export function backoffDelay(attempt: number, policy: ResolvedRetry, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(exp / 2 + random() * (exp / 2));
}

/**
 * `Retry-After` as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable.
 * Capped by the policy so a hostile or buggy header cannot stall the CLI for hours.
 */
export function parseRetryAfter(header: string | null, policy: ResolvedRetry, now = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  const trimmed = header.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return null;
    ms = at - now;
  }
  return Math.max(0, Math.min(policy.maxDelayMs, Math.round(ms)));
}

/** Statuses that are retried: rate limiting and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status <= 599);
}

/** Resolves after `ms`, or rejects with CancelledError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
