/**
 * The HeyGen v3 HyperFrames API as TypeScript types: every request body and `data` payload the
 * client sends or reads, reconciled with HeyGen's generated client (heygen-com/hyperframes,
 * packages/cli/src/cloud/_gen/types.ts) and heygen-cli's schemas (gen/*.go). What the client
 * sends is exactly these fields; what it reads is checked by schema.ts, which fills the fields the
 * published client marks optional with `null`, so callers handle them.
 */

export const RENDER_STATUSES = ['queued', 'rendering', 'completed', 'failed'] as const;
export type RenderStatus = (typeof RENDER_STATUSES)[number];
// The render parameters' vocabulary is shared with local renders (src/options/render-params.ts).
export {
  QUALITIES,
  FORMATS,
  RESOLUTIONS,
  ASPECT_RATIOS,
  type RenderQuality,
  type RenderFormat,
  type RenderResolution,
  type AspectRatio,
} from '../options/render-params.js';
import type { AspectRatio, RenderFormat, RenderQuality, RenderResolution } from '../options/render-params.js';

/** How the project zip reaches the renderer: exactly one of the three. */
export type ProjectInput =
  { type: 'asset_id'; asset_id: string } | { type: 'url'; url: string } | { type: 'base64'; media_type: 'application/zip'; data: string };

/** Body of `POST /v3/hyperframes/renders`. */
export interface CreateRenderRequest {
  project: ProjectInput;
  fps?: number;
  quality?: RenderQuality;
  format?: RenderFormat;
  resolution?: RenderResolution;
  aspect_ratio?: AspectRatio;
  composition?: string;
  variables?: Record<string, unknown>;
  title?: string;
  callback_id?: string;
  callback_url?: string;
}

/** `data` of the 202 answer to a create. HeyGen's generated client lists only `render_id`; `status` defaults to `queued`. */
export interface CreateRenderResponse {
  render_id: string;
  status: RenderStatus;
}

/** `HyperframesRenderDetail`: one render as `GET /v3/hyperframes/renders/{id}` returns it. */
export interface RenderDetail {
  render_id: string;
  status: RenderStatus;
  format: RenderFormat;
  title: string | null;
  callback_id: string | null;
  /** Short-lived presigned link; download without auth headers. */
  video_url: string | null;
  thumbnail_url: string | null;
  /** Seconds. */
  duration: number | null;
  fps: number | null;
  /** As the server reports them (display only): `standard`, `1080p`, `16:9`… */
  quality: RenderQuality | (string & {}) | null;
  resolution: RenderResolution | (string & {}) | null;
  aspect_ratio: AspectRatio | (string & {}) | null;
  composition: string | null;
  /** Unix seconds (an ISO text is kept as given). */
  created_at: number | string | null;
  completed_at: number | string | null;
  failure_message: string | null;
}

/** `GET /v3/hyperframes/renders` (not unwrapped: the page fields sit beside `data`). */
export interface ListRendersResponse {
  data: RenderDetail[];
  has_more: boolean;
  next_token: string | null;
}

export interface ListRendersQuery {
  /** 1–100, default 10. */
  limit?: number;
  token?: string;
}

export interface DeleteRenderResponse {
  render_id: string;
}

/** Body of `POST /v3/assets/direct-uploads`. */
export interface CreateDirectUploadRequest {
  filename: string;
  content_type: string;
  size_bytes: number;
  /** Lower-case hex SHA-256 of the bytes (optional for the API; framesmith always sends it, so the storage enforces it). */
  checksum_sha256?: string;
}

export interface CreateDirectUploadResponse {
  asset_id: string;
  /** Presigned: PUT the bytes here with `upload_headers` and no auth header. */
  upload_url: string;
  /** Sent verbatim on the PUT (the signature covers them); non-text values are dropped. */
  upload_headers: Record<string, string>;
  expires_in_seconds: number | null;
  max_bytes: number | null;
  status: 'pending_upload' | (string & {});
}

export interface CompleteUploadRequest {
  checksum_sha256?: string;
}

/** `status` is `processing` after completion: the asset is usable for renders at once. */
export interface CompleteUploadResponse {
  asset_id: string;
  url: string | null;
  mime_type: string | null;
  size_bytes: number | null;
  status: 'processing' | (string & {});
}

/** `data` of `POST /v3/assets` (multipart, ≤32 MB). */
export interface SimpleUploadResponse {
  asset_id: string;
  url: string | null;
  mime_type: string | null;
  size_bytes: number | null;
}

export const WEBHOOK_EVENTS = ['hyperframes_video.success', 'hyperframes_video.fail'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number] | (string & {});

export interface CreateWebhookEndpointRequest {
  url: string;
  events?: WebhookEventType[];
  entity_id?: string;
}

export interface WebhookEndpoint {
  endpoint_id: string;
  url: string;
  /** Empty: every event (the API sends `null` for that). */
  events: WebhookEventType[];
  status: string;
  /** ISO 8601 text per heygen-cli's schema; unix seconds accepted too. */
  created_at: number | string | null;
  /** Present only on create and rotate-secret. */
  secret?: string | null;
}

export interface UpdateWebhookEndpointRequest {
  url?: string;
  events?: WebhookEventType[];
}

export interface WebhookEventTypeInfo {
  event_type: WebhookEventType;
  description?: string;
}

/** What a webhook POST carries. */
export interface WebhookPayload {
  event_type: WebhookEventType;
  event_data: { render_id: string; callback_id?: string | null; [key: string]: unknown };
}

/** `{"error": {...}}` as the API sends it (`StandardAPIError` in HeyGen's generated types). */
export interface ApiErrorBody {
  code?: string;
  message?: string;
  param?: string | null;
  doc_url?: string | null;
}

/** Error codes the published clients name, with what framesmith does about them. */
export const API_ERROR_CODES = [
  'invalid_parameter',
  'authentication_failed',
  'unauthorized',
  'insufficient_credit',
  'forbidden',
  'hyperframes_render_not_found',
  'not_found',
  'request_in_progress',
  'hyperframes_project_too_large',
  'hyperframes_project_invalid',
  'rate_limit_exceeded',
  'internal_error',
] as const;
