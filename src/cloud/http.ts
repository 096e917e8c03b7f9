/**
 * The one place that talks HTTP to HeyGen: auth header, JSON envelopes, per-attempt timeouts and
 * the retry loop. API calls (`apiRequest`) and presigned transfers (`sendWithRetry` with no auth)
 * share the loop so they back off the same way.
 */
import { CancelledError, FramesmithError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ResolvedApiKey } from './api-key.js';
import { apiError, networkError, parseErrorBody, type RequestContext } from './errors.js';
import { backoffDelay, isRetryableStatus, parseRetryAfter, sleep, type ResolvedRetry } from './retry.js';
import { CLOUD_EXIT } from './exit-codes.js';

export type FetchLike = typeof fetch;

/** Everything a request needs; built once by `createCloudClient`. */
export interface HttpContext {
  baseUrl: string;
  key: ResolvedApiKey;
  fetch: FetchLike;
  logger: Logger;
  retry: ResolvedRetry;
  userAgent: string;
}

export interface SendOptions {
  /** For messages and logs: `PUT upload`, `GET /v3/...`. */
  label: string;
  ctx: Pick<HttpContext, 'logger' | 'retry'>;
  signal?: AbortSignal;
  /** Whether 5xx and dropped connections may be retried (429 always is: nothing was done). */
  safeToRepeat: boolean;
  /** Per-attempt limit; 0 = none (long transfers). */
  timeoutMs: number;
  /** Builds the error for a network failure after the last attempt. */
  onNetworkError(error: unknown, attempts: number, timedOut: boolean): FramesmithError;
}

/**
 * Runs `attempt` until it returns a response that is not worth retrying, or attempts run out.
 * Returns the last response (which may be an error status); throws only for network failures.
 */
export async function sendWithRetry(attempt: (signal: AbortSignal) => Promise<Response>, opts: SendOptions): Promise<{ response: Response; attempts: number }> {
  const { retry, logger } = opts.ctx;
  for (let n = 0; ; n++) {
    if (opts.signal?.aborted) throw new CancelledError();
    const timeout = opts.timeoutMs > 0 ? AbortSignal.timeout(opts.timeoutMs) : undefined;
    const signals = [opts.signal, timeout].filter((s): s is AbortSignal => Boolean(s));
    const signal = signals.length ? AbortSignal.any(signals) : new AbortController().signal;
    let response: Response | null = null;
    let failure: unknown = null;
    const started = Date.now();
    try {
      response = await attempt(signal);
    } catch (error) {
      if (opts.signal?.aborted) throw new CancelledError();
      failure = error;
    }
    const timedOut = Boolean(timeout?.aborted);
    logger.debug(`${opts.label} → ${response ? response.status : timedOut ? 'timeout' : 'connection failed'} (${Date.now() - started} ms)`);
    const canRetry =
      n < retry.retries &&
      (response ? response.status === 429 || (opts.safeToRepeat && isRetryableStatus(response.status)) : opts.safeToRepeat);
    if (!canRetry) {
      if (response) return { response, attempts: n + 1 };
      throw opts.onNetworkError(failure, n + 1, timedOut);
    }
    const fromHeader = response?.status === 429 ? parseRetryAfter(response.headers.get('retry-after'), retry) : null;
    const wait = fromHeader ?? backoffDelay(n, retry);
    await response?.body?.cancel().catch(() => {});
    const why = response ? `HTTP ${response.status}` : timedOut ? 'a timeout' : 'a dropped connection';
    const note = `${opts.label}: retrying in ${(wait / 1000).toFixed(1)} s after ${why} (attempt ${n + 2} of ${retry.retries + 1})`;
    if (wait >= 2000) logger.info(note);
    else logger.debug(note);
    await sleep(wait, opts.signal);
  }
}

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  /** JSON body, or FormData for the multipart upload. */
  body?: unknown;
  idempotencyKey?: string;
  signal?: AbortSignal;
  resource?: { kind: RequestContext['resourceKind']; id: string };
  /** The call has no side effect when repeated (complete, GET, DELETE). */
  idempotent?: boolean;
  /** Return the whole JSON body instead of its `data` (list pages). */
  raw?: boolean;
  timeoutMs?: number;
}

/** Sends one API request with auth and retries; returns the unwrapped `data`. */
export async function apiRequest<T>(ctx: HttpContext, req: ApiRequest): Promise<T> {
  const url = new URL(ctx.baseUrl + req.path);
  for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = { 'x-api-key': ctx.key.value(), accept: 'application/json', 'user-agent': ctx.userAgent };
  let body: RequestInit['body'];
  if (req.body instanceof FormData) body = req.body;
  else if (req.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(req.body);
  }
  if (req.idempotencyKey) headers['idempotency-key'] = req.idempotencyKey;
  const rc: RequestContext = {
    method: req.method,
    path: req.path,
    resourceId: req.resource?.id,
    resourceKind: req.resource?.kind,
    keySource: ctx.key.sourceLabel,
    secrets: [ctx.key.value()],
  };
  const safe = req.method === 'GET' || req.method === 'DELETE' || Boolean(req.idempotencyKey) || Boolean(req.idempotent);
  const { response, attempts } = await sendWithRetry((signal) => ctx.fetch(url, { method: req.method, headers, body, signal }), {
    label: `${req.method} ${req.path}`,
    ctx,
    signal: req.signal,
    safeToRepeat: safe,
    timeoutMs: req.timeoutMs ?? ctx.retry.timeoutMs,
    onNetworkError: (error, n, timedOut) => networkError(error, { ...rc, attempts: n }, ctx.baseUrl, timedOut),
  });
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw networkError(error, { ...rc, attempts }, ctx.baseUrl, false);
  }
  if (!response.ok) throw apiError(response.status, parseErrorBody(text), { ...rc, attempts });
  if (!text) return undefined as T;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new FramesmithError('cloud_bad_response', `HeyGen answered ${req.method} ${req.path} with something that is not JSON.`, {
      hint: 'Check HEYGEN_API_URL: it must point at the API, not a web page.',
      exitCode: CLOUD_EXIT.other,
    });
  }
  if (req.raw) return parsed as T;
  return (parsed && typeof parsed === 'object' && 'data' in parsed ? (parsed as { data: unknown }).data : parsed) as T;
}
