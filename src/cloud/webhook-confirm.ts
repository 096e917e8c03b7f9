/**
 * An unsigned delivery (to a render's `callback_url`) proves nothing by itself: anyone who knows
 * the URL can post one. `confirmDelivery` reads the render id from the body and asks the API for
 * the render's real state, so a receiver acts on what HeyGen says, not on what was posted.
 */
import { FramesmithError } from '../core/errors.js';
import type { CloudClient } from './client.js';
import { EXIT } from '../core/exit-codes.js';
import { ID } from './schema.js';
import type { RenderDetail } from './types.js';

export interface DeliveryConfirmation {
  renderId: string;
  /** The event the body claims (`hyperframes_video.success`…), and the status that goes with it. */
  claimedEvent: string | null;
  claimedStatus: 'completed' | 'failed' | null;
  /** The render as the API returns it: use its status and links, not the body's. */
  detail: RenderDetail;
  /** The body's claim matches the render's state (and `callback_id` where both have one). */
  consistent: boolean;
  message: string;
}

/** Reads `event_type` and `event_data.render_id` from a delivery body (throws `webhook_bad_payload`). */
export function readDelivery(payload: string | Buffer | Uint8Array): {
  eventType: string | null;
  renderId: string;
  callbackId: string | null;
} {
  const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
  let body: { event_type?: unknown; event_data?: { render_id?: unknown; callback_id?: unknown } } | null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  const renderId = body?.event_data?.render_id;
  if (typeof renderId !== 'string' || !ID.test(renderId)) {
    throw new FramesmithError('webhook_bad_payload', 'The delivery body has no event_data.render_id (or it is not a render id).', {
      hint: 'Pass the raw body of a hyperframes_video.* delivery: {"event_type": …, "event_data": {"render_id": "hfr_…", …}}.',
      exitCode: EXIT.usage,
    });
  }
  return {
    eventType: typeof body?.event_type === 'string' ? body.event_type : null,
    renderId,
    callbackId: typeof body?.event_data?.callback_id === 'string' ? body.event_data.callback_id : null,
  };
}

/** Fetches the render a delivery names and compares its state with the delivery's claim. */
export async function confirmDelivery(
  client: CloudClient,
  payload: string | Buffer | Uint8Array,
  opts: { signal?: AbortSignal } = {},
): Promise<DeliveryConfirmation> {
  const { eventType, renderId, callbackId } = readDelivery(payload);
  const claimedStatus = eventType === 'hyperframes_video.success' ? 'completed' : eventType === 'hyperframes_video.fail' ? 'failed' : null;
  const detail = await client.renders.get(renderId, { signal: opts.signal });
  const statusOk = claimedStatus === null ? detail.status === 'completed' || detail.status === 'failed' : detail.status === claimedStatus;
  const callbackOk = !callbackId || !detail.callback_id || callbackId === detail.callback_id;
  const consistent = statusOk && callbackOk;
  const claim = eventType ? `${eventType} (${claimedStatus ?? 'an event framesmith does not know'})` : 'no event_type';
  const message = consistent
    ? `Render ${renderId} is ${detail.status} according to the API, as the delivery says (${claim}).`
    : !callbackOk
      ? `The delivery's callback_id does not match render ${renderId}'s: do not act on it.`
      : `The delivery claims ${claim}, but the API says render ${renderId} is ${detail.status}: do not act on the body.`;
  return { renderId, claimedEvent: eventType, claimedStatus, detail, consistent, message };
}
