/**
 * Shapes of the fake HeyGen server: its options, its inspectable state and the faults a test can
 * inject. The server follows shared/reference/heygen-api.md; where the reference marks something
 * inferred, the fake picks the reading documented in README.md beside this file.
 */

export type RouteName =
  | 'renders.create'
  | 'renders.get'
  | 'renders.list'
  | 'renders.delete'
  | 'assets.directUpload'
  | 'assets.complete'
  | 'assets.upload'
  | 'storage.put'
  | 'storage.get'
  | 'webhooks.create'
  | 'webhooks.list'
  | 'webhooks.update'
  | 'webhooks.delete'
  | 'webhooks.rotate'
  | 'webhooks.eventTypes';

/** A fault applied to the next `times` requests of `route` (`*` = any API route), after letting `skip` of them through. */
export type Fault = { route: RouteName | '*'; times?: number; skip?: number } & (
  | {
      kind: 'status';
      status: number;
      /** Seconds, sent as Retry-After. */
      retryAfter?: number;
      code?: string;
      message?: string;
      param?: string;
      /** Handle the request first (e.g. create the render), then answer with this status. */
      after?: boolean;
    }
  /** Destroy the socket without answering; with `after`, only once the request took effect. */
  | { kind: 'drop'; after?: boolean }
  /** Wait before handling (real milliseconds). */
  | { kind: 'slow'; delayMs: number }
  /** Storage downloads only: send half the body, then cut the connection. */
  | { kind: 'truncate' }
  /** Storage routes only: answer 403 AccessDenied "Request has expired", as a link past its lifetime does. */
  | { kind: 'expired' }
  /** renders.create and assets routes: keep the request in flight this long (real ms) once its Idempotency-Key is recorded. */
  | { kind: 'hold'; delayMs: number }
  /** Answer with this body (and status, default 200) instead of the real one: wrong shapes, `{"data": null}`. */
  | { kind: 'raw'; status?: number; body: string; headers?: Record<string, string> }
  /** Send the headers (with the full Content-Length) and `afterBytes` of the body (default 1), then nothing more. */
  | { kind: 'stall'; afterBytes?: number }
  /** Send the body one byte every `intervalMs`. */
  | { kind: 'trickle'; intervalMs: number }
  /** Answer with a redirect to `location` (default status 307). */
  | { kind: 'redirect'; location: string; status?: number }
);

export interface FakeHeygenOptions {
  /** Keys accepted in `x-api-key` (default ['test-key-0123456789abcdef']). */
  apiKeys?: string[];
  /** Tokens accepted as `Authorization: Bearer`. */
  bearerTokens?: string[];
  /** Fake seconds the clock moves on each GET of one render (default 1; false = only `advance`). */
  autoAdvance?: number | false;
  /** Fake seconds a render stays queued (default 2) and rendering (default 2): with auto-advance 1, GETs see queued, rendering, rendering, completed. */
  queuedSeconds?: number;
  renderingSeconds?: number;
  /** Allow http://127.0.0.1 / localhost callback and webhook URLs (default true). Never in production. */
  testMode?: boolean;
  /** Lifetime of presigned links in fake seconds (default 3600). */
  urlTtlSeconds?: number;
  /** `assets/{id}/complete` answers 409 this many times after the PUT (default 0). */
  completeConflicts?: number;
  /**
   * Renders that may be queued or rendering at once (default 10, the limit of pay-as-you-go
   * accounts); a create beyond it answers 429 `rate_limit_exceeded` with Retry-After.
   */
  concurrencyLimit?: number;
  /** Retry-After (seconds) of that 429 (default 1). */
  concurrencyRetryAfter?: number;
  /** How registered endpoints' deliveries are signed (default 'Heygen-Signature'). */
  signatureConvention?: 'Heygen-Signature' | 'X-HeyGen-Signature';
}

export interface FakeAsset {
  asset_id: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  /** Null when the create did not send one (it is optional); filled from the PUT's bytes. */
  checksum_sha256: string | null;
  status: 'pending_upload' | 'uploaded' | 'processing';
  bytes: Buffer | null;
  conflictsLeft: number;
}

export interface FakeRender {
  seq: number;
  render_id: string;
  body: Record<string, unknown>;
  status: 'queued' | 'rendering' | 'completed' | 'failed';
  createdAt: number;
  completedAt: number | null;
  /** How it ends; `queuedSeconds`/`renderingSeconds` override the server's for this render (a long one among short ones). */
  outcome: ({ status: 'completed' } | { status: 'failed'; message: string }) & { queuedSeconds?: number; renderingSeconds?: number };
  deleted: boolean;
}

export interface FakeEndpoint {
  endpoint_id: string;
  url: string;
  events: string[];
  status: 'enabled';
  created_at: number;
  secret: string;
}

export interface Delivery {
  kind: 'callback' | 'endpoint';
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Receiver's status, or the error text when it could not be reached. */
  result: number | string;
}

export interface RequestRecord {
  method: string;
  path: string;
  route: RouteName | null;
  status: number | 'dropped';
  idempotencyKey: string | null;
  /** Whether the request carried x-api-key or Authorization (never the value). */
  hadAuth: boolean;
  /** Which credential header it carried: `key` (x-api-key), `bearer` (Authorization), or null. */
  auth: 'key' | 'bearer' | null;
  /** The X-HeyGen-Client-Source header, as sent. */
  clientSource: string | null;
  /** 'true' when an Idempotency-Key replay answered it. */
  replayed?: boolean;
}
