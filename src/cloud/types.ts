/**
 * The HeyGen v3 HyperFrames API as TypeScript types: every request body and `data` payload the
 * client sends or reads (see shared/reference/heygen-api.md). Fields the reference marks nullable
 * are `| null` here so callers handle them.
 */

export const RENDER_STATUSES = ['queued', 'rendering', 'completed', 'failed'] as const;
export type RenderStatus = (typeof RENDER_STATUSES)[number];
// The render parameters' vocabulary is shared with local renders (src/options/render-params.ts).
export { QUALITIES, FORMATS, RESOLUTIONS, ASPECT_RATIOS, type RenderQuality, type RenderFormat, type RenderResolution, type AspectRatio } from '../options/render-params.js';
import type { AspectRatio, RenderFormat, RenderQuality, RenderResolution } from '../options/render-params.js';

/** How the project zip reaches the renderer: exactly one of the three. */
export type ProjectInput =
  | { type: 'asset_id'; asset_id: string }
  | { type: 'url'; url: string }
  | { type: 'base64'; media_type: 'application/zip'; data: string };

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

/** `data` of the 202 answer to a create. */
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
  quality: RenderQuality | null;
  resolution: RenderResolution | null;
  aspect_ratio: AspectRatio | null;
  composition: string | null;
  /** Unix seconds. */
  created_at: number | null;
  completed_at: number | null;
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
  /** Lower-case hex SHA-256 of the bytes. */
  checksum_sha256: string;
}

export interface CreateDirectUploadResponse {
  asset_id: string;
  /** Presigned: PUT the bytes here with `upload_headers` and no auth header. */
  upload_url: string;
  upload_headers: Record<string, string>;
  expires_in_seconds: number;
  max_bytes: number;
  status: 'pending_upload';
}

export interface CompleteUploadRequest {
  checksum_sha256?: string;
}

export interface CompleteUploadResponse {
  asset_id: string;
  url: string;
  mime_type: string;
  size_bytes: number;
  status: string;
}

/** `data` of `POST /v3/assets` (multipart, ≤32 MB). */
export interface SimpleUploadResponse {
  asset_id: string;
  url: string;
  mime_type: string;
  size_bytes: number;
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
  events: WebhookEventType[];
  status: string;
  created_at: number | string | null;
  /** Present only on create and rotate-secret. */
  secret?: string;
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

/** `{"error": {...}}` as the API sends it. */
export interface ApiErrorBody {
  code?: string;
  message?: string;
  param?: string | null;
  doc_url?: string | null;
}
