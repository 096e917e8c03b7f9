/**
 * Idempotency-Key as HeyGen documents it for mutations (developers.heygen.com, the
 * `Idempotency-Key` header of every v3 POST): 1–255 characters of `[A-Za-z0-9_:.-]`; scoped per
 * endpoint and per resource (method + path + key); a repeat within 24 h replays the first answer,
 * even when the body differs (HeyGen logs a warning: here `state.replayWarnings`); a repeat while the
 * first is still in flight gets 409 `request_in_progress`. A request that was refused (4xx/429)
 * does not use the key up, so the same key may be sent again.
 */
import { createHash } from 'node:crypto';
import type { RouteCtx, RouteResult } from './app.js';
import { HttpError, invalid } from './http-util.js';

export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_:.-]{1,255}$/;
const DAY = 86_400;

/** Runs `handle` once per key; later requests with the key get its answer again. */
export async function idempotent(ctx: RouteCtx, body: unknown, handle: () => Promise<RouteResult>): Promise<RouteResult> {
  const key = ctx.req.headers['idempotency-key'];
  if (key === undefined) return handle();
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))
    throw invalid('Idempotency-Key', 'Idempotency-Key must be 1-255 characters of [A-Za-z0-9_:.-]');
  const { state } = ctx.app;
  const scope = `${ctx.req.method} ${ctx.url.pathname} ${key}`;
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(body ?? null))
    .digest('hex');
  const record = state.idempotency.get(scope);
  if (record && state.clock - record.at < DAY) {
    if (record.pending) throw new HttpError(409, 'request_in_progress', 'A request with this Idempotency-Key is still in progress');
    if (record.fingerprint !== fingerprint) state.replayWarnings.push(`${scope}: replayed with a different body`);
    ctx.record.replayed = true;
    return { status: record.status, body: record.body, headers: { 'idempotent-replayed': 'true' } };
  }
  state.idempotency.set(scope, { fingerprint, pending: true, status: 0, body: null, at: state.clock });
  try {
    if (ctx.fault?.kind === 'hold') await new Promise((r) => setTimeout(r, (ctx.fault as { delayMs: number }).delayMs));
    const result = await handle();
    state.idempotency.set(scope, {
      fingerprint,
      pending: false,
      status: result?.status ?? 200,
      body: result?.body ?? null,
      at: state.clock,
    });
    return result;
  } catch (error) {
    state.idempotency.delete(scope);
    throw error;
  }
}
