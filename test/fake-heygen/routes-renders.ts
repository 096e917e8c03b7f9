/**
 * `/v3/hyperframes/renders`: create (with Idempotency-Key replay), get (auto-advancing the clock),
 * list (newest first, opaque tokens) and delete.
 */
import { renderDetail, tick, type Route } from './app.js';
import { HttpError, invalid, readJson } from './http-util.js';
import { idempotent } from './idempotency.js';
import { activeRenders, newId } from './state.js';
import type { FakeRender } from './types.js';
import { validateRenderBody } from './validate-render.js';

function liveRender(routeCtx: Parameters<Route['handle']>[0]): FakeRender {
  const id = decodeURIComponent(routeCtx.params[0]);
  const r = routeCtx.app.state.renders.get(id);
  if (!r || r.deleted) throw new HttpError(404, 'hyperframes_render_not_found', `Render ${id} not found`);
  return r;
}

const encodeToken = (seq: number) => Buffer.from(JSON.stringify({ before: seq })).toString('base64url');
function decodeToken(token: string): number {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { before?: unknown };
    if (typeof v.before === 'number') return v.before;
  } catch {
    // fall through
  }
  throw invalid('token', 'token is not a valid pagination token');
}

export const renderRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/v3\/hyperframes\/renders$/,
    name: 'renders.create',
    auth: true,
    async handle(ctx) {
      const { state } = ctx.app;
      const body = await readJson(ctx.req);
      return idempotent(ctx, body, async () => {
        await validateRenderBody(body, state.assets, state.options.testMode);
        // The account runs at most `concurrencyLimit` jobs at once; beyond that, 429 (the key is not used up).
        if (activeRenders(state) >= state.options.concurrencyLimit) {
          throw new HttpError(
            429,
            'rate_limit_exceeded',
            `Concurrent render limit reached (${state.options.concurrencyLimit}); retry after a render finishes`,
            undefined,
            { 'retry-after': String(state.options.concurrencyRetryAfter) },
          );
        }
        const render: FakeRender = {
          seq: ++state.seq,
          render_id: newId('hfr'),
          body,
          status: 'queued',
          createdAt: state.clock,
          completedAt: null,
          outcome: state.nextOutcomes.shift() ?? { status: 'completed' },
          deleted: false,
        };
        state.renders.set(render.render_id, render);
        state.rendersCreated++;
        state.maxActive = Math.max(state.maxActive, activeRenders(state));
        return { status: 202, body: { data: { render_id: render.render_id, status: 'queued' } } };
      });
    },
  },
  {
    method: 'GET',
    pattern: /^\/v3\/hyperframes\/renders\/([^/]+)$/,
    name: 'renders.get',
    auth: true,
    async handle(ctx) {
      const r = liveRender(ctx);
      const step = ctx.app.state.options.autoAdvance;
      if (step !== false && step > 0) tick(ctx.app, step);
      return { status: 200, body: { data: renderDetail(ctx.app, r) } };
    },
  },
  {
    method: 'GET',
    pattern: /^\/v3\/hyperframes\/renders$/,
    name: 'renders.list',
    auth: true,
    async handle(ctx) {
      const rawLimit = ctx.url.searchParams.get('limit');
      const limit = rawLimit === null ? 10 : Number(rawLimit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalid('limit', 'limit must be an integer between 1 and 100');
      const token = ctx.url.searchParams.get('token');
      const before = token ? decodeToken(token) : Infinity;
      const all = [...ctx.app.state.renders.values()].filter((r) => !r.deleted && r.seq < before).sort((a, b) => b.seq - a.seq);
      const page = all.slice(0, limit);
      const hasMore = all.length > limit;
      return {
        status: 200,
        body: {
          data: page.map((r) => renderDetail(ctx.app, r)),
          has_more: hasMore,
          next_token: hasMore ? encodeToken(page[page.length - 1].seq) : null,
        },
      };
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/v3\/hyperframes\/renders\/([^/]+)$/,
    name: 'renders.delete',
    auth: true,
    async handle(ctx) {
      const r = liveRender(ctx);
      r.deleted = true;
      return { status: 200, body: { data: { render_id: r.render_id } } };
    },
  },
];
