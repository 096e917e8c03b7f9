/**
 * Checking a webhook delivery, in one file so the scheme can change in one place.
 *
 * What the sources say (see docs: cloud page, "Receiving webhooks"):
 * - HeyGen's own API text (heygen-cli `gen/ai-clipping.go`, the `callback_url` field) says
 *   deliveries to a per-request `callback_url` are NOT HMAC-signed, and that registered endpoints
 *   (`/v3/webhooks/endpoints`, secret `whsec_…`) get the signature header.
 * - Public receivers check one of two conventions: `Heygen-Signature` (hex HMAC-SHA256 of the raw
 *   body keyed by the secret) with `Heygen-Timestamp` (unix seconds) and `Heygen-Event-Id`; or
 *   `X-HeyGen-Signature` (the same hex HMAC of the raw body, no timestamp). HeyGen's older API
 *   called the header `Signature`. All are accepted; the result says which one was found.
 * Where there is a timestamp it must be within ±300 s (configurable). Where there is an event id
 * (header, or `event_id` in the body) a set of ids already seen catches replays. A delivery with
 * no signature at all is reported as `unsigned`: confirm it with the API (webhook-confirm.ts)
 * instead of trusting the body.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'heygen-signature';
export const TIMESTAMP_HEADER = 'heygen-timestamp';
export const EVENT_ID_HEADER = 'heygen-event-id';
/** The other convention seen in receivers: hex HMAC of the raw body, no timestamp. */
export const X_SIGNATURE_HEADER = 'x-heygen-signature';
/** The header name of HeyGen's older webhook API. */
export const LEGACY_SIGNATURE_HEADER = 'signature';
export const DEFAULT_TOLERANCE_SEC = 300;

export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/** Which signature was found: the header it came in. */
export type SignatureConvention = 'Heygen-Signature' | 'X-HeyGen-Signature' | 'Signature';

export interface VerifyWebhookOptions {
  /** The raw body exactly as received (do not re-serialise parsed JSON). */
  payload: string | Buffer | Uint8Array;
  /** Request headers (a Headers object or Node's `req.headers`). */
  headers?: WebhookHeaders;
  /** The signature and timestamp given directly (they win over `headers`). */
  signature?: string;
  timestamp?: string | number;
  eventId?: string;
  secret: string;
  /** Allowed clock difference in seconds (default 300). */
  toleranceSec?: number;
  /** Unix seconds "now", for tests and replays. */
  now?: number;
  /** Event ids already processed: a delivery whose id is in it is refused; a valid one is added. */
  seen?: { has(id: string): boolean; add?(id: string): unknown };
}

export type WebhookFailure =
  'unsigned' | 'missing_signature' | 'missing_timestamp' | 'bad_timestamp' | 'expired' | 'mismatch' | 'reserialised' | 'replayed';

export type WebhookVerification =
  | { ok: true; convention: SignatureConvention; timestamp: number | null; eventId: string | null; message: string }
  | {
      ok: false;
      convention: SignatureConvention | 'unsigned';
      reason: WebhookFailure;
      timestamp: number | null;
      eventId: string | null;
      message: string;
    };

function header(headers: WebhookHeaders | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [k, v] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

/** Hex HMAC-SHA256 of the raw body: what every convention carries. */
export function computeWebhookSignature(payload: string | Buffer | Uint8Array, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** Whether any of the (comma/space separated, optionally `sha256=`/`v1=`-prefixed) signatures matches. */
function matches(signature: string, payload: string | Buffer | Uint8Array, secret: string): boolean {
  const expected = Buffer.from(computeWebhookSignature(payload, secret), 'hex');
  return signature
    .split(/[,\s]+/)
    .map((s) => s.replace(/^(sha256|v1)[=,]/i, '').trim())
    .filter(Boolean)
    .some((c) => /^[0-9a-fA-F]+$/.test(c) && c.length === expected.length * 2 && timingSafeEqual(Buffer.from(c, 'hex'), expected));
}

/** The event id from the header, else `event_id` in the body (some payloads carry it there). */
function eventIdOf(options: VerifyWebhookOptions, text: string): string | null {
  const fromHeader = options.eventId ?? header(options.headers, EVENT_ID_HEADER);
  if (fromHeader) return fromHeader;
  try {
    const body = JSON.parse(text) as { event_id?: unknown };
    return typeof body?.event_id === 'string' && body.event_id ? body.event_id : null;
  } catch {
    return null;
  }
}

/**
 * Checks a delivery under whichever convention it carries. Never throws for a bad delivery; says
 * why it is bad, and which convention (or none) it found.
 */
export function verifyWebhook(options: VerifyWebhookOptions): WebhookVerification {
  const text = typeof options.payload === 'string' ? options.payload : Buffer.from(options.payload).toString('utf8');
  let convention: SignatureConvention | null = null;
  let signature = options.signature;
  if (signature !== undefined)
    convention = options.timestamp !== undefined || header(options.headers, TIMESTAMP_HEADER) ? 'Heygen-Signature' : 'X-HeyGen-Signature';
  else {
    for (const [name, conv] of [
      [SIGNATURE_HEADER, 'Heygen-Signature'],
      [X_SIGNATURE_HEADER, 'X-HeyGen-Signature'],
      [LEGACY_SIGNATURE_HEADER, 'Signature'],
    ] as const) {
      const v = header(options.headers, name);
      if (v !== undefined) {
        signature = v;
        convention = conv;
        break;
      }
    }
  }
  const eventId = eventIdOf(options, text);
  const rawTs = options.timestamp ?? header(options.headers, TIMESTAMP_HEADER);
  const base = { eventId, timestamp: null as number | null };
  if (!convention) {
    return {
      ok: false,
      convention: 'unsigned',
      reason: 'unsigned',
      ...base,
      message:
        "The delivery carries no signature (no Heygen-Signature, X-HeyGen-Signature or Signature header). HeyGen does not sign deliveries to a render's callback_url: do not trust the body; fetch the render with the API for its real state.",
    };
  }
  if (!signature) return { ok: false, convention, reason: 'missing_signature', ...base, message: `The ${convention} header is empty.` };
  let timestamp: number | null = null;
  if (convention === 'Heygen-Signature' || (rawTs !== undefined && rawTs !== '')) {
    if (rawTs === undefined || rawTs === '')
      return {
        ok: false,
        convention,
        reason: 'missing_timestamp',
        ...base,
        message: 'No Heygen-Timestamp header: a Heygen-Signature delivery must carry one.',
      };
    let ts = Number(rawTs);
    if (!Number.isFinite(ts) || !/^\s*\d+(\.\d+)?\s*$/.test(String(rawTs)))
      return {
        ok: false,
        convention,
        reason: 'bad_timestamp',
        ...base,
        message: `Heygen-Timestamp is not unix seconds: "${String(rawTs).slice(0, 40)}".`,
      };
    if (ts > 1e11) ts = Math.floor(ts / 1000); // milliseconds, liberally
    timestamp = Math.floor(ts);
    const now = options.now ?? Math.floor(Date.now() / 1000);
    const tolerance = options.toleranceSec ?? DEFAULT_TOLERANCE_SEC;
    if (Math.abs(now - timestamp) > tolerance) {
      return {
        ok: false,
        convention,
        reason: 'expired',
        eventId,
        timestamp,
        message: `The timestamp is ${Math.abs(now - timestamp)} s from now, more than the ${tolerance} s allowed (a replayed or delayed delivery, or a wrong clock).`,
      };
    }
  }
  if (!matches(signature, options.payload, options.secret)) {
    // A receiver that parsed the JSON and serialised it again no longer has the signed bytes: say so.
    let reserialised: boolean;
    try {
      const parsed = JSON.parse(text);
      reserialised = [JSON.stringify(parsed), JSON.stringify(parsed, null, 2), JSON.stringify(parsed, null, 4)].some(
        (t) => t !== text && matches(signature!, t, options.secret),
      );
    } catch {
      reserialised = false;
    }
    if (reserialised) {
      return {
        ok: false,
        convention,
        reason: 'reserialised',
        eventId,
        timestamp,
        message: `The ${convention} signature matches this body only once it is re-serialised as compact JSON: the body given is not the raw bytes received. Verify the raw request body, before any JSON parsing.`,
      };
    }
    return {
      ok: false,
      convention,
      reason: 'mismatch',
      eventId,
      timestamp,
      message: `The ${convention} signature does not match the body and secret (a wrong secret, or a body changed or re-serialised on the way).`,
    };
  }
  if (eventId && options.seen?.has(eventId)) {
    return {
      ok: false,
      convention,
      reason: 'replayed',
      eventId,
      timestamp,
      message: `Event ${eventId} was already received: a replayed delivery (HeyGen retries deliveries; handle each event id once).`,
    };
  }
  if (eventId) options.seen?.add?.(eventId);
  return {
    ok: true,
    convention,
    eventId,
    timestamp,
    message: `Signature valid (${convention}${timestamp !== null ? `, timestamp within ±${options.toleranceSec ?? DEFAULT_TOLERANCE_SEC} s` : ', no timestamp in this convention'}${eventId ? `, event ${eventId}` : ''}).`,
  };
}

export type VerifyWebhookResult =
  | { ok: true; timestamp: number; eventId: string | null; convention: SignatureConvention }
  | { ok: false; reason: WebhookFailure; message: string; convention: SignatureConvention | 'unsigned' };

/**
 * The strict check of the `Heygen-Signature` convention (signature and timestamp both required),
 * kept for receivers written against it. Prefer `verifyWebhook`, which accepts every convention.
 */
export function verifyWebhookSignature(options: VerifyWebhookOptions): VerifyWebhookResult {
  const signature =
    options.signature ??
    header(options.headers, SIGNATURE_HEADER) ??
    header(options.headers, X_SIGNATURE_HEADER) ??
    header(options.headers, LEGACY_SIGNATURE_HEADER);
  if (!signature) return { ok: false, reason: 'missing_signature', convention: 'unsigned', message: 'No Heygen-Signature header.' };
  const r = verifyWebhook({ ...options, signature, timestamp: options.timestamp ?? header(options.headers, TIMESTAMP_HEADER) ?? '' });
  if (!r.ok) return { ok: false, reason: r.reason, message: r.message, convention: r.convention };
  return { ok: true, timestamp: r.timestamp!, eventId: r.eventId, convention: r.convention };
}
