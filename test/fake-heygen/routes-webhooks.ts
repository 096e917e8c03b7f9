/**
 * `/v3/webhooks/endpoints` (create, list, update, delete, rotate-secret) and
 * `/v3/webhooks/event-types`. Secrets are shown only by create and rotate-secret.
 */
import { randomBytes } from 'node:crypto';
import type { Route, RouteCtx } from './app.js';
import { HttpError, invalid, isAllowedCallbackUrl, readJson } from './http-util.js';
import { newId } from './state.js';
import type { FakeEndpoint } from './types.js';

export const EVENT_TYPES = [
  { event_type: 'hyperframes_video.success', description: 'A HyperFrames render completed' },
  { event_type: 'hyperframes_video.fail', description: 'A HyperFrames render failed' },
];

const newSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;
/** As heygen-cli's schema shows an endpoint: `created_at` ISO 8601, `events` null for "every event", `secret` null outside create/rotate. */
const view = ({ secret: _secret, created_at, events, ...rest }: FakeEndpoint) => ({
  ...rest,
  events: events.length ? events : null,
  created_at: new Date(created_at * 1000).toISOString(),
  secret: null,
});

function checkEvents(events: unknown): string[] {
  if (events === undefined || events === null) return [];
  const known = EVENT_TYPES.map((e) => e.event_type);
  if (!Array.isArray(events) || !events.every((e) => typeof e === 'string' && known.includes(e)))
    throw invalid('events', `events must be a list of ${known.join(', ')}`);
  return events as string[];
}

function endpointOf(ctx: RouteCtx): FakeEndpoint {
  const id = decodeURIComponent(ctx.params[0]);
  const ep = ctx.app.state.endpoints.get(id);
  if (!ep) throw new HttpError(404, 'webhook_endpoint_not_found', `Webhook endpoint ${id} not found`);
  return ep;
}

export const webhookRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/v3\/webhooks\/endpoints$/,
    name: 'webhooks.create',
    auth: true,
    async handle(ctx) {
      const b = await readJson(ctx.req);
      if (!isAllowedCallbackUrl(b.url, ctx.app.state.options.testMode)) throw invalid('url', 'url must be an https URL');
      if (b.entity_id !== undefined && typeof b.entity_id !== 'string') throw invalid('entity_id', 'entity_id must be a string');
      const ep: FakeEndpoint = {
        endpoint_id: newId('ep'),
        url: b.url as string,
        events: checkEvents(b.events),
        status: 'enabled',
        created_at: ctx.app.state.clock,
        secret: newSecret(),
      };
      ctx.app.state.endpoints.set(ep.endpoint_id, ep);
      return { status: 200, body: { data: { ...view(ep), secret: ep.secret } } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/v3\/webhooks\/endpoints$/,
    name: 'webhooks.list',
    auth: true,
    async handle(ctx) {
      // Paginated like the other lists (heygen-cli: limit 1–100, default 10; opaque `token`).
      const rawLimit = ctx.url.searchParams.get('limit');
      const limit = rawLimit === null ? 10 : Number(rawLimit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalid('limit', 'limit must be an integer between 1 and 100');
      const all = [...ctx.app.state.endpoints.values()];
      const token = ctx.url.searchParams.get('token');
      const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) : 0;
      if (!Number.isInteger(start) || start < 0) throw invalid('token', 'token is not a valid pagination token');
      const page = all.slice(start, start + limit);
      const hasMore = start + limit < all.length;
      return {
        status: 200,
        body: {
          data: page.map(view),
          has_more: hasMore,
          next_token: hasMore ? Buffer.from(String(start + limit)).toString('base64url') : null,
        },
      };
    },
  },
  {
    method: 'PATCH',
    pattern: /^\/v3\/webhooks\/endpoints\/([^/]+)$/,
    name: 'webhooks.update',
    auth: true,
    async handle(ctx) {
      const ep = endpointOf(ctx);
      const b = await readJson(ctx.req);
      if (b.url !== undefined) {
        if (!isAllowedCallbackUrl(b.url, ctx.app.state.options.testMode)) throw invalid('url', 'url must be an https URL');
        ep.url = b.url as string;
      }
      if (b.events !== undefined) ep.events = checkEvents(b.events);
      return { status: 200, body: { data: view(ep) } };
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/v3\/webhooks\/endpoints\/([^/]+)$/,
    name: 'webhooks.delete',
    auth: true,
    async handle(ctx) {
      const ep = endpointOf(ctx);
      ctx.app.state.endpoints.delete(ep.endpoint_id);
      return { status: 200, body: { data: {} } };
    },
  },
  {
    method: 'POST',
    pattern: /^\/v3\/webhooks\/endpoints\/([^/]+)\/rotate-secret$/,
    name: 'webhooks.rotate',
    auth: true,
    async handle(ctx) {
      const ep = endpointOf(ctx);
      ep.secret = newSecret();
      return { status: 200, body: { data: { endpoint_id: ep.endpoint_id, secret: ep.secret } } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/v3\/webhooks\/event-types$/,
    name: 'webhooks.eventTypes',
    auth: true,
    async handle() {
      return { status: 200, body: { data: EVENT_TYPES, has_more: false, next_token: null } };
    },
  },
];
