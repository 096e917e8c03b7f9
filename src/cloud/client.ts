/**
 * `createCloudClient()`: typed methods for every route of the HyperFrames v3 API. Each method is
 * one request (plus retries); the upload, polling and download flows are built on top in their
 * own files. The key lives in the closure; the client object itself holds only where it came from.
 */
import { randomUUID } from 'node:crypto';
import { FramesmithError, isFramesmithError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { PACKAGE_VERSION } from '../core/paths.js';
import { resolveBaseUrl, wrapApiKey, type ResolvedApiKey } from './api-key.js';
import { CLOUD_EXIT } from './exit-codes.js';
import { apiRequest, type FetchLike, type HttpContext } from './http.js';
import { backoffDelay, resolveRetry, sleep, type RetryOptions } from './retry.js';
import type * as T from './types.js';

export interface CloudClientOptions {
  /** The key, or the result of `resolveApiKey()` (whose source is named in 401 messages). */
  apiKey: string | ResolvedApiKey;
  /** Default: `HEYGEN_API_URL`, else https://api.heygen.com. */
  baseUrl?: string;
  fetch?: FetchLike;
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

/** Throws a usage error unless `key` is 1–255 characters of `[A-Za-z0-9_:.-]`. */
export function checkIdempotencyKey(key: string): void {
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new FramesmithError('invalid_option', `--idempotency-key must be 1–255 characters of letters, digits, _ : . or -, got "${key.slice(0, 40)}".`, {
      hint: 'Use e.g. a UUID or "campaign-42:row-7".',
      exitCode: CLOUD_EXIT.usage,
    });
  }
}

const enc = encodeURIComponent;

/** Creates a client. Nothing is sent until a method is called. */
export function createCloudClient(options: CloudClientOptions) {
  const key = typeof options.apiKey === 'string' ? wrapApiKey(options.apiKey, 'option', 'the apiKey option') : options.apiKey;
  const http: HttpContext = {
    baseUrl: resolveBaseUrl(options.baseUrl),
    key,
    fetch: options.fetch ?? globalThis.fetch,
    logger: options.logger ?? silentLogger,
    retry: resolveRetry(options.retry),
    userAgent: `framesmith/${PACKAGE_VERSION}`,
  };
  const req = <R>(r: Parameters<typeof apiRequest>[1]) => apiRequest<R>(http, r);

  const renders = {
    /** `POST /v3/hyperframes/renders`; always sends an Idempotency-Key (generated unless given) and returns it. */
    async create(body: T.CreateRenderRequest, opts: CallOptions & { idempotencyKey?: string } = {}) {
      const idempotencyKey = opts.idempotencyKey ?? newIdempotencyKey();
      checkIdempotencyKey(idempotencyKey);
      const data = await req<T.CreateRenderResponse>({ method: 'POST', path: '/v3/hyperframes/renders', body, idempotencyKey, signal: opts.signal });
      return { ...data, idempotency_key: idempotencyKey };
    },
    get: (renderId: string, opts: CallOptions = {}) =>
      req<T.RenderDetail>({ method: 'GET', path: `/v3/hyperframes/renders/${enc(renderId)}`, resource: { kind: 'render', id: renderId }, signal: opts.signal }),
    list: (query: T.ListRendersQuery = {}, opts: CallOptions = {}) =>
      req<T.ListRendersResponse>({ method: 'GET', path: '/v3/hyperframes/renders', query: { limit: query.limit, token: query.token }, raw: true, signal: opts.signal }),
    /** Follows `next_token` until the last page (or `max` renders). */
    async listAll(opts: CallOptions & { pageSize?: number; max?: number } = {}): Promise<T.RenderDetail[]> {
      const out: T.RenderDetail[] = [];
      let token: string | undefined;
      do {
        const page = await renders.list({ limit: opts.pageSize ?? 100, token }, opts);
        out.push(...page.data);
        token = page.has_more && page.next_token ? page.next_token : undefined;
      } while (token && (opts.max === undefined || out.length < opts.max));
      return opts.max === undefined ? out : out.slice(0, opts.max);
    },
    delete: (renderId: string, opts: CallOptions = {}) =>
      req<T.DeleteRenderResponse>({ method: 'DELETE', path: `/v3/hyperframes/renders/${enc(renderId)}`, resource: { kind: 'render', id: renderId }, signal: opts.signal }),
  };

  const assets = {
    /** Step 1 of a direct upload. Sent with an Idempotency-Key so a retried create reuses the asset. */
    createDirectUpload: (body: T.CreateDirectUploadRequest, opts: CallOptions & { idempotencyKey?: string } = {}) =>
      req<T.CreateDirectUploadResponse>({ method: 'POST', path: '/v3/assets/direct-uploads', body, idempotencyKey: opts.idempotencyKey ?? newIdempotencyKey(), signal: opts.signal }),
    /** Step 3: finalises the asset. Retries 409 (upload still propagating) with backoff; idempotent. */
    async complete(assetId: string, body: T.CompleteUploadRequest = {}, opts: CallOptions = {}) {
      const tries = Math.max(6, http.retry.retries + 1);
      for (let n = 0; ; n++) {
        try {
          return await req<T.CompleteUploadResponse>({ method: 'POST', path: `/v3/assets/${enc(assetId)}/complete`, body, idempotent: true, resource: { kind: 'asset', id: assetId }, signal: opts.signal });
        } catch (error) {
          if (!(isFramesmithError(error) && error.code === 'cloud_conflict') || n + 1 >= tries) throw error;
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
      return req<T.SimpleUploadResponse>({ method: 'POST', path: '/v3/assets', body: form, idempotencyKey: newIdempotencyKey(), signal: opts.signal, timeoutMs: 0 });
    },
  };

  const webhooks = {
    createEndpoint: (body: T.CreateWebhookEndpointRequest, opts: CallOptions = {}) =>
      req<T.WebhookEndpoint>({ method: 'POST', path: '/v3/webhooks/endpoints', body, signal: opts.signal }),
    listEndpoints: async (opts: CallOptions = {}) => {
      const data = await req<T.WebhookEndpoint[] | { endpoints?: T.WebhookEndpoint[] }>({ method: 'GET', path: '/v3/webhooks/endpoints', signal: opts.signal });
      return Array.isArray(data) ? data : (data?.endpoints ?? []);
    },
    updateEndpoint: (endpointId: string, body: T.UpdateWebhookEndpointRequest, opts: CallOptions = {}) =>
      req<T.WebhookEndpoint>({ method: 'PATCH', path: `/v3/webhooks/endpoints/${enc(endpointId)}`, body, idempotent: true, resource: { kind: 'webhook endpoint', id: endpointId }, signal: opts.signal }),
    deleteEndpoint: (endpointId: string, opts: CallOptions = {}) =>
      req<{ endpoint_id: string }>({ method: 'DELETE', path: `/v3/webhooks/endpoints/${enc(endpointId)}`, resource: { kind: 'webhook endpoint', id: endpointId }, signal: opts.signal }),
    rotateSecret: (endpointId: string, opts: CallOptions = {}) =>
      req<T.WebhookEndpoint>({ method: 'POST', path: `/v3/webhooks/endpoints/${enc(endpointId)}/rotate-secret`, resource: { kind: 'webhook endpoint', id: endpointId }, signal: opts.signal }),
    eventTypes: async (opts: CallOptions = {}) => {
      const data = await req<T.WebhookEventTypeInfo[] | { event_types?: T.WebhookEventTypeInfo[] }>({ method: 'GET', path: '/v3/webhooks/event-types', signal: opts.signal });
      return Array.isArray(data) ? data : (data?.event_types ?? []);
    },
  };

  return {
    baseUrl: http.baseUrl,
    /** Where the key was read from (never the key). */
    keySource: key.sourceLabel,
    renders,
    assets,
    webhooks,
    /** Internal: the transport, for the presigned upload/download flows. */
    http,
  };
}

export type CloudClient = ReturnType<typeof createCloudClient>;
