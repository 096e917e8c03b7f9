/**
 * Small HTTP helpers of the fake server: reading bodies, the `{data}` / `{error}` envelopes, and
 * the presigned-URL signing that stands in for S3's.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteCtx } from './app.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** `400 invalid_parameter` naming `param`. */
export const invalid = (param: string, message: string) => new HttpError(400, 'invalid_parameter', message, param);

export async function readBody(req: IncomingMessage, limit = 300 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw new HttpError(413, 'payload_too_large', `Request body over ${limit} bytes`);
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readBody(req);
  if (!raw.length) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_parameter', 'Request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new HttpError(400, 'invalid_parameter', 'Request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Where an error code is documented; HeyGen's envelope carries `doc_url` (the address format is the fake's guess [i]). */
export const docUrlFor = (code: string) => `https://developers.heygen.com/reference/errors#${code}`;

export function sendError(res: ServerResponse, e: HttpError): void {
  const error: Record<string, unknown> = { code: e.code, message: e.message };
  if (e.param) error.param = e.param;
  error.doc_url = docUrlFor(e.code);
  sendJson(res, e.status, { error }, { 'x-request-id': `req_${Math.random().toString(36).slice(2, 12)}`, ...e.headers });
}

/** S3-style XML error for the storage routes, which speak no JSON envelope. */
export function sendStorageError(res: ServerResponse, status: number, code: string, message: string): void {
  const xml = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
  res.end(xml);
}

/** Signs `method path` until `expires` (unix seconds) with the server's secret. */
export function presign(secret: string, baseUrl: string, method: string, path: string, expires: number): string {
  const sig = createHmac('sha256', secret).update(`${method}\n${path}\n${expires}`).digest('hex');
  const q = new URLSearchParams({ 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256', 'X-Amz-Expires': String(expires), 'X-Amz-Signature': sig });
  return `${baseUrl}${path}?${q}`;
}

/** 'ok', 'bad' (missing or wrong signature) or 'expired' for a presigned request. */
export function checkPresigned(secret: string, method: string, url: URL, now: number): 'ok' | 'bad' | 'expired' {
  const expires = Number(url.searchParams.get('X-Amz-Expires'));
  const sig = url.searchParams.get('X-Amz-Signature') ?? '';
  const want = createHmac('sha256', secret).update(`${method}\n${url.pathname}\n${expires}`).digest('hex');
  if (sig.length !== want.length || !timingSafeEqual(Buffer.from(sig), Buffer.from(want))) return 'bad';
  return now > expires ? 'expired' : 'ok';
}

/** https, or (test mode only) http on a loopback host. */
export function isAllowedCallbackUrl(value: unknown, testMode: boolean): boolean {
  if (typeof value !== 'string') return false;
  try {
    const u = new URL(value);
    if (u.protocol === 'https:') return true;
    return testMode && u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

/**
 * A body that stalls (`stall`: the first `afterBytes`, then nothing, the connection left open) or
 * trickles (`trickle`: a byte every `intervalMs`, for as long as the client listens). Headers must
 * have been written, with the full Content-Length. Resolves when the client goes away.
 */
export function slowBody(ctx: RouteCtx, bytes: Buffer): Promise<void> {
  const { res, fault } = ctx;
  return new Promise((resolve) => {
    res.on('close', resolve);
    if (fault?.kind === 'stall') {
      res.write(bytes.subarray(0, fault.afterBytes ?? 1));
      return;
    }
    const interval = fault?.kind === 'trickle' ? fault.intervalMs : 1000;
    let at = 0;
    const timer = setInterval(() => {
      if (res.destroyed || at >= bytes.length) {
        clearInterval(timer);
        if (!res.destroyed) res.end();
        return;
      }
      res.write(bytes.subarray(at, at + 1));
      at++;
    }, interval);
    res.on('close', () => clearInterval(timer));
  });
}
