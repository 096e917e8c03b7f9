/**
 * What every route handler of the fake server receives, and the pieces they share: the render
 * detail with fresh presigned links, the webhook payloads, and the clock ticks.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { presign } from './http-util.js';
import type { MediaCache } from './media.js';
import { deliver, settle, type FakeState } from './state.js';
import type { FakeRender, Fault, RequestRecord, RouteName } from './types.js';

export interface FakeApp {
  state: FakeState;
  baseUrl: string;
  media: MediaCache;
}

export interface RouteCtx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: string[];
  app: FakeApp;
  /** A fault taken for this request (`truncate`, `expired`, `hold`, `stall`, `trickle` act inside handlers). */
  fault?: Fault;
  /** This request's line in the request log. */
  record: RequestRecord;
}

/** A JSON answer, or null when the handler wrote the response itself. */
export type RouteResult = { status: number; body: unknown; headers?: Record<string, string> } | null;

export interface Route {
  method: string;
  pattern: RegExp;
  name: RouteName;
  /** API routes need the key; storage routes must NOT carry one. */
  auth: boolean;
  handle(ctx: RouteCtx): Promise<RouteResult>;
}

export const FORMAT_OF = (r: FakeRender) => (r.body.format as string | undefined) ?? 'mp4';
export const ASPECT_OF = (r: FakeRender) => (r.body.aspect_ratio as string | undefined) ?? '16:9';

/** HyperframesRenderDetail of a render, with links signed now. */
export function renderDetail(app: FakeApp, r: FakeRender): Record<string, unknown> {
  const done = r.status === 'completed';
  const expires = app.state.clock + app.state.options.urlTtlSeconds;
  const b = r.body;
  return {
    ...renderFields(app, r, done, expires, b),
    ...app.state.tampered.get(r.render_id),
  };
}

function renderFields(app: FakeApp, r: FakeRender, done: boolean, expires: number, b: Record<string, unknown>): Record<string, unknown> {
  return {
    render_id: r.render_id,
    status: r.status,
    format: FORMAT_OF(r),
    title: b.title ?? null,
    callback_id: b.callback_id ?? null,
    video_url: done
      ? presign(app.state.presignSecret, app.baseUrl, 'GET', `/_storage/renders/${r.render_id}/video.${FORMAT_OF(r)}`, expires)
      : null,
    thumbnail_url: done
      ? presign(app.state.presignSecret, app.baseUrl, 'GET', `/_storage/renders/${r.render_id}/thumbnail.png`, expires)
      : null,
    duration: done ? 1 : null,
    fps: b.fps ?? 30,
    quality: b.quality ?? 'standard',
    resolution: b.resolution ?? '1080p',
    aspect_ratio: ASPECT_OF(r),
    composition: b.composition ?? 'index.html',
    created_at: r.createdAt,
    completed_at: r.completedAt,
    failure_message: r.status === 'failed' && r.outcome.status === 'failed' ? r.outcome.message : null,
  };
}

/** Moves the fake clock, settles renders and sends the webhooks of those that ended. */
export function tick(app: FakeApp, seconds: number): void {
  app.state.clock += seconds;
  for (const r of settle(app.state)) {
    const ok = r.status === 'completed';
    const event_type = ok ? 'hyperframes_video.success' : 'hyperframes_video.fail';
    const detail = renderDetail(app, r);
    const payload = {
      event_type,
      event_data: {
        render_id: r.render_id,
        callback_id: detail.callback_id,
        status: r.status,
        video_url: detail.video_url,
        thumbnail_url: detail.thumbnail_url,
        failure_message: detail.failure_message,
      },
    };
    if (typeof r.body.callback_url === 'string') deliver(app.state, 'callback', r.body.callback_url, payload, null);
    for (const ep of app.state.endpoints.values()) {
      if (ep.events.length === 0 || ep.events.includes(event_type)) deliver(app.state, 'endpoint', ep.url, payload, ep.secret);
    }
  }
}
