/**
 * `createCloudClient()`: typed methods for every route of the HyperFrames v3 API. Each method is
 * one request (plus retries) whose answer is checked by its schema (schema.ts); the upload,
 * polling, download and batch flows are built on top in their own files. The credential lives in
 * a closure; the client object itself holds only where it came from.
 */
import { randomUUID } from 'node:crypto';
import { FramesmithError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { PACKAGE_VERSION } from '../core/paths.js';
import { resolveBaseUrl, wrapApiKey, type ResolvedApiKey } from './api-key.js';
import { CloudApiError } from './errors.js';
import { EXIT } from '../core/exit-codes.js';
import { apiRequest, type ApiRequest, type HttpContext } from './http.js';
import { linkPolicyFor, type LinkPolicy } from './net-policy.js';
import { backoffDelay, resolveRetry, sleep, type RetryOptions } from './retry.js';
import * as S from './schema.js';
import type * as T from './types.js';

export interface CloudClientOptions {
  /** The API key, or the result of `resolveCredential()`/`resolveApiKey()` (whose source is named in 401 messages). */
  apiKey?: string | ResolvedApiKey;
  /** An OAuth access token, sent as `Authorization: Bearer` instead of `x-api-key`. */
  accessToken?: string;
  /** Default: `HEYGEN_API_URL`, else https://api.heygen.com. */
  baseUrl?: string;
  logger?: Logger;
  retry?: RetryOptions;
}

export interface CallOptions {
  signal?: AbortSignal;
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_:.-]{1,255}$/;

/** A fresh Idempotency-Key. */
export function newIdempotencyKey(): string {
  return `framesmith-${randomUUID()}`;
}

/** Throws a usage error unless `key` is 1–255 characters of `[A-Za-z0-9_:.-]`, naming the first bad character. */
export function checkIdempotencyKey(key: string): void {
  if (IDEMPOTENCY_KEY.test(key)) return;
  const bad = [...key].find((c) => !/[A-Za-z0-9_:.-]/.test(c));
  const why = !key.length
    ? 'it is empty'
    : key.length > 255
      ? `it is ${key.length} characters long`
      : `"${bad === ' ' ? 'a space' : JSON.stringify(bad).slice(1, -1)}" is not allowed`;
  throw new FramesmithError(
    'invalid_option',
    `--idempotency-key must be 1–255 characters of letters, digits, _ : . or -; ${why} in "${key.slice(0, 40)}${key.length > 40 ? '…' : ''}".`,
    {
      hint: 'Use e.g. a UUID or "campaign-42:row-7".',
      exitCode: EXIT.usage,
    },
  );
}

const enc = encodeURIComponent;

/** Creates a client. Nothing is sent until a method is called. */
export function createCloudClient(options: CloudClientOptions) {
  if (options.apiKey === undefined && options.accessToken === undefined) {
    throw new FramesmithError('missing_api_key', 'createCloudClient needs apiKey or accessToken.', { exitCode: EXIT.auth });
  }
  const key =
    options.apiKey === undefined
      ? wrapApiKey(options.accessToken!, 'option', 'the accessToken option', 'access_token')
      : typeof options.apiKey === 'string'
        ? wrapApiKey(options.apiKey, 'option', 'the apiKey option')
        : options.apiKey;
  const baseUrl = resolveBaseUrl(options.baseUrl);
  let policy: Promise<LinkPolicy> | null = null;
  const http: HttpContext = {
    baseUrl,
    key,
    logger: options.logger ?? silentLogger,
    retry: resolveRetry(options.retry),
    userAgent: `framesmith/${PACKAGE_VERSION}`,
    linkPolicy: () => (policy ??= linkPolicyFor(baseUrl)),
  };
  const req = <R>(r: ApiRequest<R>) => apiRequest<R>(http, r);

  const renders = {
    /**
     * `POST /v3/hyperframes/renders`; always sends an Idempotency-Key (generated unless given) and
     * returns it. A repeat with the same key within 24 h gets the first render back.
     */
    async create(body: T.CreateRenderRequest, opts: CallOptions & { idempotencyKey?: string; rateLimitToCaller?: boolean } = {}) {
      const idempotencyKey = opts.idempotencyKey ?? newIdempotencyKey();
      checkIdempotencyKey(idempotencyKey);
      const data = await req({
        method: 'POST',
        path: '/v3/hyperframes/renders',
        body,
        idempotencyKey,
        signal: opts.signal,
        schema: S.createRenderData,
        rateLimitToCaller: opts.rateLimitToCaller,
        resumeHint: `A render may have been created: run the same command again with --idempotency-key ${idempotencyKey} to get it back instead of a second one (\`framesmith renders list\` shows it).`,
      });
      return { ...data, idempotency_key: idempotencyKey };
    },
    async get(renderId: string, opts: CallOptions = {}) {
      const detail = await req({
        method: 'GET',
        path: `/v3/hyperframes/renders/${enc(renderId)}`,
        resource: { kind: 'render', id: renderId },
        signal: opts.signal,
        schema: S.renderDetail,
        resumeHint: `The render goes on in the cloud; follow it later with: framesmith renders get ${renderId} --download`,
      });
      if (detail.render_id !== renderId)
        throw S.badResponse(`GET /v3/hyperframes/renders/${renderId}`, 'data.render_id', `is "${detail.render_id}", another render`);
      return detail;
    },
    list: (query: T.ListRendersQuery = {}, opts: CallOptions = {}) =>
      req({
        method: 'GET',
        path: '/v3/hyperframes/renders',
        query: { limit: query.limit, token: query.token },
        root: 'body',
        schema: S.renderPage,
        signal: opts.signal,
      }),
    /** Follows `next_token` until the last page (or `max` renders). */
    async listAll(opts: CallOptions & { pageSize?: number; max?: number } = {}): Promise<T.RenderDetail[]> {
      const out: T.RenderDetail[] = [];
      const seen = new Set<string>();
      let token: string | undefined;
      do {
        const page = await renders.list({ limit: opts.pageSize ?? 100, token }, opts);
        out.push(...page.data);
        token = page.has_more && page.next_token ? page.next_token : undefined;
        // A server that hands out the same cursor twice would make this loop forever.
        if (token && seen.has(token)) break;
        if (token) seen.add(token);
      } while (token && (opts.max === undefined || out.length < opts.max));
      return opts.max === undefined ? out : out.slice(0, opts.max);
    },
    delete: (renderId: string, opts: CallOptions = {}) =>
      req({
        method: 'DELETE',
        path: `/v3/hyperframes/renders/${enc(renderId)}`,
        resource: { kind: 'render', id: renderId },
        signal: opts.signal,
        schema: S.deleteRenderData,
      }),
  };

  const assets = {
    /** Step 1 of a direct upload. Sent with an Idempotency-Key so a retried create reuses the asset. */
    createDirectUpload: (body: T.CreateDirectUploadRequest, opts: CallOptions & { idempotencyKey?: string } = {}) =>
      req({
        method: 'POST',
        path: '/v3/assets/direct-uploads',
        body,
        idempotencyKey: opts.idempotencyKey ?? newIdempotencyKey(),
        signal: opts.signal,
        schema: S.directUploadData,
      }),
    /** Step 3: finalises the asset. Retries 409 (upload still propagating) with backoff; idempotent. */
    async complete(assetId: string, body: T.CompleteUploadRequest = {}, opts: CallOptions = {}) {
      const tries = Math.max(6, http.retry.retries + 1);
      for (let n = 0; ; n++) {
        try {
          return await req({
            method: 'POST',
            path: `/v3/assets/${enc(assetId)}/complete`,
            body,
            idempotent: true,
            resource: { kind: 'asset', id: assetId },
            signal: opts.signal,
            schema: S.completeUploadData,
          });
        } catch (error) {
          if (!(error instanceof CloudApiError && error.status === 409) || n + 1 >= tries) throw error;
          const wait = backoffDelay(n, http.retry);
          http.logger.debug(`upload ${assetId} not visible yet (409); completing again in ${wait} ms`);
          await sleep(wait, opts.signal);
        }
      }
    },
    /** `POST /v3/assets` (multipart field `file`, ≤32 MB). */
    upload(file: Blob, filename: string, opts: CallOptions = {}) {
      const form = new FormData();
      form.append('file', file, filename);
      return req({
        method: 'POST',
        path: '/v3/assets',
        body: form,
        idempotencyKey: newIdempotencyKey(),
        signal: opts.signal,
        long: true,
        schema: S.simpleUploadData,
      });
    },
  };

  const endpointPage = S.pageOf(S.webhookEndpoint);
  const webhooks = {
    createEndpoint: (body: T.CreateWebhookEndpointRequest, opts: CallOptions = {}) =>
      req({ method: 'POST', path: '/v3/webhooks/endpoints', body, signal: opts.signal, schema: S.webhookEndpoint }),
    /** Every endpoint: follows `next_token` when the API pages them (heygen-cli's schema does). */
    async listEndpoints(opts: CallOptions = {}): Promise<T.WebhookEndpoint[]> {
      const out: T.WebhookEndpoint[] = [];
      const seen = new Set<string>();
      let token: string | undefined;
      do {
        // A bare list in `data` (the reference) or a page with has_more/next_token (heygen-cli): both read.
        const page = await req({
          method: 'GET',
          path: '/v3/webhooks/endpoints',
          query: { limit: 100, token },
          root: 'body',
          signal: opts.signal,
          schema: (v, p, c) =>
            Array.isArray(v) ? { data: S.list(S.webhookEndpoint)(v, p, c), has_more: false, next_token: null } : endpointPage(v, p, c),
        });
        out.push(...page.data);
        token = page.has_more && page.next_token && !seen.has(page.next_token) ? page.next_token : undefined;
        if (token) seen.add(token);
      } while (token);
      return out;
    },
    updateEndpoint: (endpointId: string, body: T.UpdateWebhookEndpointRequest, opts: CallOptions = {}) =>
      req({
        method: 'PATCH',
        path: `/v3/webhooks/endpoints/${enc(endpointId)}`,
        body,
        idempotent: true,
        resource: { kind: 'webhook endpoint', id: endpointId },
        signal: opts.signal,
        schema: S.webhookEndpoint,
      }),
    deleteEndpoint: (endpointId: string, opts: CallOptions = {}) =>
      req({
        method: 'DELETE',
        path: `/v3/webhooks/endpoints/${enc(endpointId)}`,
        resource: { kind: 'webhook endpoint', id: endpointId },
        signal: opts.signal,
        schema: S.withDefault(S.object({ endpoint_id: S.optional(S.id) }), { endpoint_id: undefined }),
      }),
    /** A new secret; heygen-cli documents the answer as just `endpoint_id` and `secret`. */
    async rotateSecret(endpointId: string, opts: CallOptions = {}): Promise<{ endpoint_id: string; secret: string }> {
      const data = await req({
        method: 'POST',
        path: `/v3/webhooks/endpoints/${enc(endpointId)}/rotate-secret`,
        resource: { kind: 'webhook endpoint', id: endpointId },
        signal: opts.signal,
        schema: S.rotatedSecretData,
      });
      return { endpoint_id: data.endpoint_id ?? endpointId, secret: data.secret };
    },
    eventTypes: async (opts: CallOptions = {}) => {
      const page = await req({
        method: 'GET',
        path: '/v3/webhooks/event-types',
        root: 'body',
        signal: opts.signal,
        schema: S.pageOf(S.eventTypeInfo),
      });
      return page.data;
    },
  };

  return {
    baseUrl: http.baseUrl,
    /** Where the credential was read from (never the credential). */
    keySource: key.sourceLabel,
    /** `api_key` or `access_token`. */
    credentialKind: key.kind,
    renders,
    assets,
    webhooks,
    /** Internal: the transport, for the presigned upload/download flows. */
    http,
  };
}

export type CloudClient = ReturnType<typeof createCloudClient>;
