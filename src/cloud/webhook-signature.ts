/**
 * The webhook signature scheme, kept in this one file so it can change in one place. As the
 * reference describes it (inferred from HeyGen's public pages): registered endpoints receive
 * `Heygen-Signature` = hex HMAC-SHA256 of the raw request body keyed by the endpoint secret
 * (`whsec_…`, used as-is), `Heygen-Timestamp` = unix seconds, rejected outside ±300 s, and
 * `Heygen-Event-Id`. Per-request `callback_url` deliveries are not signed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'heygen-signature';
export const TIMESTAMP_HEADER = 'heygen-timestamp';
export const EVENT_ID_HEADER = 'heygen-event-id';
export const DEFAULT_TOLERANCE_SEC = 300;

export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  /** The raw body exactly as received (do not re-serialise parsed JSON). */
  payload: string | Buffer | Uint8Array;
  /** Request headers (a Headers object or Node's `req.headers`), or the two values directly. */
  headers?: WebhookHeaders;
  signature?: string;
  timestamp?: string | number;
  secret: string;
  /** Allowed clock difference in seconds (default 300). */
  toleranceSec?: number;
  /** Unix seconds "now", for tests and replays. */
  now?: number;
}

export type VerifyWebhookResult =
  | { ok: true; timestamp: number; eventId: string | null }
  | { ok: false; reason: 'missing_signature' | 'missing_timestamp' | 'bad_timestamp' | 'expired' | 'mismatch'; message: string };

function header(headers: WebhookHeaders | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [k, v] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

/** Hex HMAC-SHA256 of the raw body: what HeyGen puts in `Heygen-Signature`. */
export function computeWebhookSignature(payload: string | Buffer | Uint8Array, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/**
 * Checks a webhook delivery: signature present and equal (constant-time) to the HMAC of the raw
 * body, timestamp within ±toleranceSec. Never throws for a bad delivery; returns why it is bad.
 * Accepts several comma- or space-separated signatures (secret rotation) and an optional `sha256=`.
 */
export function verifyWebhookSignature(options: VerifyWebhookOptions): VerifyWebhookResult {
  const signature = options.signature ?? header(options.headers, SIGNATURE_HEADER);
  const rawTs = options.timestamp ?? header(options.headers, TIMESTAMP_HEADER);
  if (!signature) return { ok: false, reason: 'missing_signature', message: 'No Heygen-Signature header.' };
  if (rawTs === undefined || rawTs === '') return { ok: false, reason: 'missing_timestamp', message: 'No Heygen-Timestamp header.' };
  const ts = Number(rawTs);
  if (!Number.isInteger(ts)) return { ok: false, reason: 'bad_timestamp', message: `Heygen-Timestamp is not unix seconds: "${rawTs}".` };
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSec ?? DEFAULT_TOLERANCE_SEC;
  if (Math.abs(now - ts) > tolerance) {
    return { ok: false, reason: 'expired', message: `The timestamp is ${Math.abs(now - ts)} s from now, more than the ${tolerance} s allowed (replayed or delayed delivery, or a wrong clock).` };
  }
  const expected = Buffer.from(computeWebhookSignature(options.payload, options.secret), 'hex');
  const candidates = signature.split(/[,\s]+/).map((s) => s.replace(/^(sha256|v1)[=,]/, '').trim()).filter(Boolean);
  const matches = candidates.some((c) => {
    if (!/^[0-9a-fA-F]+$/.test(c) || c.length !== expected.length * 2) return false;
    return timingSafeEqual(Buffer.from(c, 'hex'), expected);
  });
  if (!matches) return { ok: false, reason: 'mismatch', message: 'The signature does not match the body and secret (wrong secret, or the body was changed or re-serialised).' };
  return { ok: true, timestamp: ts, eventId: header(options.headers, EVENT_ID_HEADER) ?? null };
}
