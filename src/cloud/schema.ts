/**
 * One schema per API answer: what the client reads from each endpoint, checked before it is used
 * and normalised into the types of types.ts. Liberal where HeyGen's published clients are (fields
 * they mark optional may be missing or null, unknown fields are ignored, an unknown status is
 * kept as text), strict where a value reaches the disk or the network: ids are plain tokens,
 * `format` is one of the API's formats, links are absolute http(s) URLs. Every text the server
 * sent for display is cleaned (secrets redacted, control characters removed) here, once.
 * A mismatch throws `cloud_bad_response` naming the field (`data.status`).
 */
import { FramesmithError } from '../core/errors.js';
import { cleanServerText } from './api-key.js';
import { EXIT } from '../core/exit-codes.js';
import {
  FORMATS,
  type CreateRenderResponse,
  type RenderDetail,
  type ListRendersResponse,
  type CreateDirectUploadResponse,
  type CompleteUploadResponse,
  type SimpleUploadResponse,
  type WebhookEndpoint,
  type WebhookEventTypeInfo,
  type RenderStatus,
  type RenderFormat,
} from './types.js';

/** A value that does not fit: `path` names the field, `problem` what is wrong with it. */
export class BadShape extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path} ${problem}`);
  }
}

export interface ReadCtx {
  /** Secrets to redact from every text. */
  secrets: readonly string[];
}

export type Schema<T> = (value: unknown, path: string, ctx: ReadCtx) => T;

function describe(v: unknown, ctx: ReadCtx): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `"${cleanServerText(v, ctx.secrets, 40)}"`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

const fail = (path: string, v: unknown, ctx: ReadCtx, want: string): never => {
  throw new BadShape(path, v === undefined ? `is missing (${want} expected)` : `is ${describe(v, ctx)}, not ${want}`);
};

/** Text for display: cleaned and capped. */
export const text =
  (max = 2000): Schema<string> =>
  (v, path, ctx) =>
    typeof v === 'string' ? cleanServerText(v, ctx.secrets, max) : fail(path, v, ctx, 'text');

/** Ids that may become part of a file name or a URL path: letters, digits, `_` and `-`. */
export const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
export const id: Schema<string> = (v, path, ctx) =>
  typeof v === 'string' && ID.test(v) ? v : fail(path, v, ctx, 'an id of letters, digits, _ and -');

/** Opaque tokens passed back as they came (pagination cursors): printable ASCII, no spaces. */
export const token: Schema<string> = (v, path, ctx) =>
  typeof v === 'string' && /^[\x21-\x7e]{1,2048}$/.test(v) ? v : fail(path, v, ctx, 'a token');

/** An absolute http(s) URL (where it may lead is checked when it is used: net-policy.ts). */
export const link: Schema<string> = (v, path, ctx) => {
  if (typeof v !== 'string') return fail(path, v, ctx, 'a URL');
  let u: URL | null;
  try {
    u = new URL(v);
  } catch {
    u = null;
  }
  return u && (u.protocol === 'https:' || u.protocol === 'http:') ? v : fail(path, v, ctx, 'an http(s) URL');
};

export const num: Schema<number> = (v, path, ctx) => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return fail(path, v, ctx, 'a number');
};

export const bool: Schema<boolean> = (v, path, ctx) => (typeof v === 'boolean' ? v : fail(path, v, ctx, 'true or false'));

export const oneOf =
  <T extends string>(values: readonly T[]): Schema<T> =>
  (v, path, ctx) =>
    typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : fail(path, v, ctx, `one of ${values.join(', ')}`);

/** Missing or null → `null`. */
export const nullable =
  <T>(s: Schema<T>): Schema<T | null> =>
  (v, path, ctx) =>
    v === undefined || v === null ? null : s(v, path, ctx);

/** Missing (or null) → `fallback`. */
export const withDefault =
  <T>(s: Schema<T>, fallback: T): Schema<T> =>
  (v, path, ctx) =>
    v === undefined || v === null ? fallback : s(v, path, ctx);

/** Missing → undefined; present → checked. */
export const optional =
  <T>(s: Schema<T>): Schema<T | undefined> =>
  (v, path, ctx) =>
    v === undefined ? undefined : s(v, path, ctx);

export const list =
  <T>(item: Schema<T>): Schema<T[]> =>
  (v, path, ctx) =>
    Array.isArray(v) ? v.map((x, i) => item(x, `${path}[${i}]`, ctx)) : fail(path, v, ctx, 'a list');

/** An object with these fields (others are ignored); the result has exactly the listed keys. */
export const object =
  <S extends Record<string, Schema<unknown>>>(shape: S): Schema<{ [K in keyof S]: ReturnType<S[K]> }> =>
  (v, path, ctx) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(path, v, ctx, 'an object');
    const out: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(shape)) {
      const r = s((v as Record<string, unknown>)[k], `${path}.${k}`, ctx);
      if (r !== undefined) out[k] = r;
    }
    return out as { [K in keyof S]: ReturnType<S[K]> };
  };

/** Unix seconds, or an ISO date as some endpoints send it (kept as given). */
export const timestamp: Schema<number | string> = (v, path, ctx) =>
  typeof v === 'number' && Number.isFinite(v)
    ? v
    : typeof v === 'string' && v.length <= 64
      ? cleanServerText(v, ctx.secrets, 64)
      : fail(path, v, ctx, 'a time');

/** `upload_headers`: text, numbers and booleans become header values; anything else is dropped. */
export const headerMap: Schema<Record<string, string>> = (v, path, ctx) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(path, v, ctx, 'an object of headers');
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k)) throw new BadShape(`${path}.${k}`, 'is not a valid header name');
    if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') {
      const value = String(x);
      if (/[\r\n\u0000]/.test(value)) throw new BadShape(`${path}.${k}`, 'holds a line break');
      out[k] = value;
    }
  }
  return out;
};

/** A status: the four the API documents, or (liberal) any other word, kept so polling goes on. */
const status: Schema<RenderStatus> = (v, path, ctx) =>
  typeof v === 'string' && /^[a-z_]{1,40}$/.test(v) ? (v as RenderStatus) : fail(path, v, ctx, 'a status');

// ── The answers, endpoint by endpoint ────────────────────────────────────────────────────────

/** `POST /v3/hyperframes/renders` → `data`. HeyGen's generated client lists only `render_id`. */
export const createRenderData: Schema<CreateRenderResponse> = object({
  render_id: id,
  status: withDefault(status, 'queued' as RenderStatus),
});

/** `HyperframesRenderDetail`. */
export const renderDetail: Schema<RenderDetail> = object({
  render_id: id,
  status,
  format: withDefault(oneOf(FORMATS), 'mp4' as RenderFormat),
  title: nullable(text(500)),
  callback_id: nullable(text(256)),
  video_url: nullable(link),
  thumbnail_url: nullable(link),
  duration: nullable(num),
  fps: nullable(num),
  quality: nullable(text(40)),
  resolution: nullable(text(40)),
  aspect_ratio: nullable(text(40)),
  composition: nullable(text(512)),
  created_at: nullable(timestamp),
  completed_at: nullable(timestamp),
  failure_message: nullable(text(2000)),
}) as Schema<RenderDetail>;

/** `GET /v3/hyperframes/renders` (the whole body). */
export const renderPage: Schema<ListRendersResponse> = object({
  data: withDefault(list(renderDetail), []),
  has_more: withDefault(bool, false),
  next_token: nullable(token),
});

export const deleteRenderData = withDefault(object({ render_id: optional(id) }), { render_id: undefined });

export const directUploadData: Schema<CreateDirectUploadResponse> = object({
  asset_id: id,
  upload_url: link,
  upload_headers: withDefault(headerMap, {}),
  expires_in_seconds: nullable(num),
  max_bytes: nullable(num),
  status: withDefault(text(40), 'pending_upload'),
}) as Schema<CreateDirectUploadResponse>;

export const completeUploadData: Schema<CompleteUploadResponse> = object({
  asset_id: id,
  url: nullable(text(4096)),
  mime_type: nullable(text(200)),
  size_bytes: nullable(num),
  status: withDefault(text(40), 'processing'),
}) as Schema<CompleteUploadResponse>;

export const simpleUploadData: Schema<SimpleUploadResponse> = object({
  asset_id: id,
  url: nullable(text(4096)),
  mime_type: nullable(text(200)),
  size_bytes: nullable(num),
}) as Schema<SimpleUploadResponse>;

/** A webhook endpoint. heygen-cli's schema: `created_at` ISO text, `events` null = every event. */
export const webhookEndpoint: Schema<WebhookEndpoint> = object({
  endpoint_id: id,
  url: text(2048),
  events: withDefault(list(text(100)), []),
  status: withDefault(text(40), 'enabled'),
  created_at: nullable(timestamp),
  secret: optional(nullable(text(500))),
}) as Schema<WebhookEndpoint>;

/** A page of endpoints or event types: a list in `data`, maybe with `has_more`/`next_token`. */
export const pageOf = <T>(item: Schema<T>) =>
  object({ data: withDefault(list(item), []), has_more: withDefault(bool, false), next_token: nullable(token) });

/** `rotate-secret`: heygen-cli documents only `endpoint_id` and `secret`. */
export const rotatedSecretData = object({ endpoint_id: optional(id), secret: text(500) });

export const eventTypeInfo: Schema<WebhookEventTypeInfo> = object({
  event_type: text(100),
  description: optional(text(500)),
}) as Schema<WebhookEventTypeInfo>;

/** The one `cloud_bad_response`: an answer of the wrong shape, naming the field and what is wrong. */
export function badResponse(where: string, field: string, problem: string): FramesmithError {
  return new FramesmithError('cloud_bad_response', `HeyGen's answer to ${where} does not have the documented shape: ${field} ${problem}.`, {
    hint: 'Nothing was written. Try again in a minute; if it persists, check HEYGEN_API_URL (it must point at the HeyGen API) and report the answer with --verbose.',
    exitCode: EXIT.failed,
  });
}

/** Reads an answer with its schema; a mismatch becomes `cloud_bad_response` naming the field. */
export function readAnswer<T>(schema: Schema<T>, value: unknown, where: string, root: string, ctx: ReadCtx): T {
  try {
    return schema(value, root, ctx);
  } catch (error) {
    if (!(error instanceof BadShape)) throw error;
    throw badResponse(where, error.path, error.problem);
  }
}
