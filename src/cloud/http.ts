/**
 * The one place that talks HTTP to HeyGen: the credential header, JSON envelopes and their
 * schemas, whole-request deadlines, redirects and the retry loop. API calls (`apiRequest`) and
 * presigned transfers (`sendWithRetry`, no credential) back off the same way.
 *
 * Redirects are handled here by hand: an answer that redirects to the API's own origin is
 * followed (with the credential); one that points anywhere else is refused, so the key or token
 * never reaches another host. Timeouts are not retried (as in heygen-cli: the deadline is the
 * budget), so a stalled or trickling answer fails once, on time.
 */
import { CancelledError, FramesmithError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { authHeaders, credentialNoun, type ResolvedApiKey } from './api-key.js';
import { apiError, networkError, parseErrorBody, type RequestContext } from './errors.js';
import { EXIT } from '../core/exit-codes.js';
import type { LinkPolicy } from './net-policy.js';
import { backoffDelay, isRetryableStatus, parseRetryAfter, sleep, type ResolvedRetry } from './retry.js';
import { badResponse, readAnswer, type Schema } from './schema.js';
import { send, TransportError, type TransportRequest, type TransportResponse } from './transport.js';

/** Everything a request needs; built once by `createCloudClient`. */
export interface HttpContext {
  baseUrl: string;
  key: ResolvedApiKey;
  logger: Logger;
  retry: ResolvedRetry;
  userAgent: string;
  /** Where presigned links may lead (computed once from the base URL). */
  linkPolicy(): Promise<LinkPolicy>;
}

/** framesmith names itself to HeyGen as its own clients do (`X-HeyGen-Client-Source`), with its own name. */
export const CLIENT_SOURCE_HEADER = 'x-heygen-client-source';
export const CLIENT_SOURCE = 'framesmith';

export interface SendOptions {
  /** For messages and logs: `PUT upload`, `GET /v3/...`. */
  label: string;
  ctx: Pick<HttpContext, 'logger' | 'retry'>;
  signal?: AbortSignal;
  /** Whether 5xx and dropped connections may be retried (429 always is: nothing was done). */
  safeToRepeat: boolean;
  /** Builds the error for a network failure after the last attempt (or at once for timeouts). */
  onNetworkError(error: unknown, attempts: number): FramesmithError;
}

const stopped = (signal?: AbortSignal) => Boolean(signal?.aborted);

/**
 * Runs `attempt` until it returns a response that is not worth retrying, or attempts run out.
 * Returns the last response (which may be an error status); throws for network failures. Used for
 * the presigned transfers, whose bodies the caller reads.
 */
export async function sendWithRetry(
  attempt: (signal?: AbortSignal) => Promise<TransportResponse>,
  opts: SendOptions,
): Promise<{ response: TransportResponse; attempts: number }> {
  const { retry, logger } = opts.ctx;
  for (let n = 0; ; n++) {
    if (stopped(opts.signal)) throw new CancelledError();
    let response: TransportResponse | null = null;
    let failure: unknown = null;
    const started = Date.now();
    try {
      response = await attempt(opts.signal);
    } catch (error) {
      if (stopped(opts.signal)) throw new CancelledError();
      failure = error;
    }
    const kind = failure instanceof TransportError ? failure.kind : 'network';
    logger.debug(`${opts.label} → ${response ? response.status : kind} (${Date.now() - started} ms)`);
    const canRetry =
      n < retry.retries &&
      (response
        ? response.status === 429 || (opts.safeToRepeat && isRetryableStatus(response.status))
        : opts.safeToRepeat && kind === 'network');
    if (!canRetry) {
      if (response) return { response, attempts: n + 1 };
      throw opts.onNetworkError(failure, n + 1);
    }
    const fromHeader = response?.status === 429 ? parseRetryAfter(response.headers.get('retry-after'), retry) : null;
    const wait = fromHeader ?? backoffDelay(n, retry);
    response?.discard();
    const why = response ? `HTTP ${response.status}` : 'a dropped connection';
    const note = `${opts.label}: retrying in ${(wait / 1000).toFixed(1)} s after ${why} (attempt ${n + 2} of ${retry.retries + 1})`;
    if (wait >= 2000) logger.info(note);
    else logger.debug(note);
    await sleep(wait, opts.signal);
  }
}

export interface ApiRequest<T> {
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
  /** The schema of the answer, and whether it applies to `data` (default) or the whole body (list pages). */
  schema: Schema<T>;
  root?: 'data' | 'body';
  /** A long upload: a progress watchdog instead of the whole-request deadline. */
  long?: boolean;
  /** 429s are not retried here: the caller (a batch) waits for a free slot itself. */
  rateLimitToCaller?: boolean;
  /** Added to errors: how to pick the work up again. */
  resumeHint?: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/** Sends one API request, following redirects that stay on the API's origin. */
async function sendToApi(ctx: HttpContext, first: URL, init: Omit<TransportRequest, 'url'>, label: string): Promise<TransportResponse> {
  const origin = new URL(ctx.baseUrl).origin;
  let url = first;
  for (let hop = 0; ; hop++) {
    const res = await send({ ...init, url });
    const location = res.headers.get('location');
    if (!REDIRECTS.has(res.status) || !location) return res;
    res.discard();
    let next: URL | null;
    try {
      next = new URL(location, url);
    } catch {
      next = null;
    }
    const keepsMethod = res.status === 307 || res.status === 308 || init.method === 'GET' || init.method === 'DELETE';
    if (!next || next.origin !== origin || !keepsMethod || hop >= MAX_REDIRECTS) {
      const where = next ? next.origin : 'an unreadable address';
      const sameHostHttps = next && next.hostname === url.hostname && next.protocol === 'https:' && url.protocol === 'http:';
      const why =
        !next || next.origin !== origin
          ? `to another origin, ${where}; the ${credentialNoun(ctx.key)} is sent only to ${origin}, so framesmith did not follow it`
          : hop >= MAX_REDIRECTS
            ? `${MAX_REDIRECTS} times in a row`
            : `that would change ${init.method} into GET`;
      throw new FramesmithError('cloud_redirect_refused', `HeyGen answered ${label} with a redirect (${res.status}) ${why}.`, {
        hint: sameHostHttps
          ? `Set HEYGEN_API_URL to ${next!.origin} (https).`
          : 'Check HEYGEN_API_URL (unset it for https://api.heygen.com); a proxy between you and HeyGen may be redirecting.',
        exitCode: EXIT.failed,
      });
    }
    ctx.logger.debug(`${label} → ${res.status}, following to ${next.pathname} on the same origin`);
    url = next;
  }
}

/** Sends one API request with the credential and retries; returns the answer read by its schema. */
export async function apiRequest<T>(ctx: HttpContext, req: ApiRequest<T>): Promise<T> {
  const url = new URL(ctx.baseUrl + req.path);
  for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = {
    ...authHeaders(ctx.key),
    accept: 'application/json',
    'user-agent': ctx.userAgent,
    [CLIENT_SOURCE_HEADER]: CLIENT_SOURCE,
  };
  let body: Buffer | undefined;
  if (req.body instanceof FormData) {
    // Encoded once (≤ 32 MB), so every attempt sends the same bytes with the same boundary.
    const encoded = new Response(req.body);
    headers['content-type'] = encoded.headers.get('content-type')!;
    body = Buffer.from(await encoded.arrayBuffer());
  } else if (req.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = Buffer.from(JSON.stringify(req.body));
  }
  if (req.idempotencyKey) headers['idempotency-key'] = req.idempotencyKey;
  const secrets = [ctx.key.value()];
  const rc: RequestContext = {
    method: req.method,
    path: req.path,
    resourceId: req.resource?.id,
    resourceKind: req.resource?.kind,
    keySource: ctx.key.sourceLabel,
    credential: credentialNoun(ctx.key),
    secrets,
    resumeHint: req.resumeHint,
  };
  const label = `${req.method} ${req.path}`;
  const safe = req.method === 'GET' || req.method === 'DELETE' || Boolean(req.idempotencyKey) || Boolean(req.idempotent);
  const { retry, logger } = ctx;
  const firstStarted = Date.now();
  for (let n = 0; ; n++) {
    if (stopped(req.signal)) throw new CancelledError();
    const started = Date.now();
    let answer: { status: number; headers: Headers; text: string } | null = null;
    let failure: unknown = null;
    try {
      const res = await sendToApi(
        ctx,
        url,
        {
          method: req.method,
          headers: body ? { ...headers, 'content-length': String(body.length) } : headers,
          body,
          signal: req.signal,
          deadlineMs: req.long ? 0 : retry.timeoutMs,
          stall: req.long ? { windowMs: retry.stallWindowMs, minBytes: retry.stallMinBytes } : undefined,
        },
        label,
      );
      answer = { status: res.status, headers: res.headers, text: await res.text() };
    } catch (error) {
      if (stopped(req.signal)) throw new CancelledError();
      if (error instanceof FramesmithError) throw error;
      failure = error;
    }
    const kind = failure instanceof TransportError ? failure.kind : 'network';
    logger.debug(`${label} → ${answer ? answer.status : kind} (${Date.now() - started} ms)`);
    if (!answer) {
      if (n < retry.retries && safe && kind === 'network') {
        const wait = backoffDelay(n, retry);
        logger.debug(
          `${label}: retrying in ${(wait / 1000).toFixed(1)} s after a dropped connection (attempt ${n + 2} of ${retry.retries + 1})`,
        );
        await sleep(wait, req.signal);
        continue;
      }
      throw networkError(failure, { ...rc, attempts: n + 1 }, ctx.baseUrl);
    }
    const { status } = answer;
    if (status >= 200 && status < 300) return parseAnswer(answer.text, req, label, secrets);
    const errorBody = parseErrorBody(answer.text);
    const retryAfter = parseRetryAfter(answer.headers.get('retry-after'), retry);
    const inProgress = status === 409 && errorBody.code === 'request_in_progress' && Boolean(req.idempotencyKey);
    // 409 request_in_progress: the first request with this key is still running; the repeat will replay its answer.
    let retryable = false;
    // Waited out for as long as one request may take (the deadline), however many polls that is.
    if (inProgress) retryable = Date.now() - firstStarted < Math.max(retry.timeoutMs, 1000);
    else if (status === 429) retryable = !req.rateLimitToCaller && n < retry.retries;
    else if (safe && isRetryableStatus(status)) retryable = n < retry.retries;
    if (!retryable) {
      throw apiError(
        status,
        errorBody,
        { ...rc, attempts: n + 1 },
        { requestId: answer.headers.get('x-request-id'), retryAfterMs: retryAfter },
      );
    }
    const wait = retryAfter ?? backoffDelay(n, retry);
    const why = inProgress ? 'the same request still in progress (409)' : `HTTP ${status}`;
    const note = `${label}: retrying in ${(wait / 1000).toFixed(1)} s after ${why} (attempt ${n + 2} of ${retry.retries + 1})`;
    if (wait >= 2000) logger.info(note);
    else logger.debug(note);
    await sleep(wait, req.signal);
  }
}

function parseAnswer<T>(text: string, req: ApiRequest<T>, label: string, secrets: string[]): T {
  let parsed: unknown;
  if (text.trim() === '') parsed = undefined;
  else {
    try {
      parsed = JSON.parse(text);
    } catch {
      throw badResponse(label, 'the body', 'is not JSON (is HEYGEN_API_URL the API, not a web page?)');
    }
  }
  if ((req.root ?? 'data') === 'body') return readAnswer(req.schema, parsed, label, 'body', { secrets });
  // The v3 envelope is {"data": …}; HeyGen's own client also reads a bare payload, so do we.
  const enveloped = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) && 'data' in parsed;
  return readAnswer(
    req.schema,
    enveloped ? (parsed as { data: unknown }).data : parsed,
    label,
    enveloped || parsed === undefined ? 'data' : 'body',
    { secrets },
  );
}
