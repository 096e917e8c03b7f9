/**
 * `startFakeHeygen()`: a fake of HeyGen's v3 HyperFrames API on 127.0.0.1 (random port) for the
 * tests, the only stand-in framesmith's suites use. Real HTTP, the reference's routes, envelopes,
 * validations and status codes, a render state machine on a controllable clock, presigned storage
 * URLs on the same server, webhooks, and switches to inject failures. See README.md beside it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tick, type FakeApp, type Route } from './app.js';
import { HttpError, sendError, sendJson, slowBody } from './http-util.js';
import { createMediaCache } from './media.js';
import { assetRoutes } from './routes-assets.js';
import { renderRoutes } from './routes-renders.js';
import { webhookRoutes } from './routes-webhooks.js';
import { createState, resolveOptions, type FakeState } from './state.js';
import type { FakeHeygenOptions, Fault, RouteName } from './types.js';

export type { FakeHeygenOptions, Fault, RouteName } from './types.js';

const ROUTES: Route[] = [...renderRoutes, ...assetRoutes, ...webhookRoutes];

const DEFAULT_CODES: Record<number, string> = {
  400: 'invalid_parameter',
  401: 'authentication_failed',
  402: 'insufficient_credit',
  403: 'forbidden',
  404: 'not_found',
  409: 'request_in_progress',
  413: 'hyperframes_project_too_large',
  429: 'rate_limit_exceeded',
  500: 'internal_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
};

export interface FakeHeygenControls {
  /** Moves the fake clock (seconds), moving renders along and firing their webhooks. */
  advance(seconds?: number): void;
  /** Applies a fault to the next `times` (default 1) requests of a route. */
  inject(fault: Fault): void;
  clearFaults(): void;
  /** The next `count` renders created will end `failed` with this message. */
  failNext(message: string, count?: number): void;
  /**
   * Outcomes of the next renders in creation order: 'completed', a failure message, or completed
   * after waiting and rendering these many fake seconds (a long render among short ones).
   */
  queueOutcomes(outcomes: ('completed' | { failed: string } | { queuedSeconds?: number; renderingSeconds?: number })[]): void;
  /** Waits until every webhook POST sent so far has been answered. */
  flushWebhooks(): Promise<void>;
  /** Requests that reached a route, in order (auth values are never recorded). */
  requests(route?: RouteName): FakeState['requests'];
  /** Forces detail fields of a render (a hostile or broken server): `render_id`, `format`, `video_url`, `title`… */
  tamper(renderId: string, fields: Record<string, unknown>): void;
}

export interface FakeHeygen {
  url: string;
  /** One accepted API key. */
  apiKey: string;
  state: FakeState;
  controls: FakeHeygenControls;
  close(): Promise<void>;
}

function takeFault(state: FakeState, route: Route): (Fault & { left: number }) | null {
  const i = state.faults.findIndex((f) => f.route === route.name || (f.route === '*' && route.auth));
  if (i < 0) return null;
  const f = state.faults[i];
  if (f.skip) {
    f.skip--;
    return null;
  }
  if (--f.left <= 0) state.faults.splice(i, 1);
  return f;
}

function faultError(f: Extract<Fault, { kind: 'status' }>): HttpError {
  const headers: Record<string, string> = f.status === 429 ? { 'retry-after': String(f.retryAfter ?? 1) } : {};
  return new HttpError(f.status, f.code ?? DEFAULT_CODES[f.status] ?? 'error', f.message ?? `Injected ${f.status}`, f.param, headers);
}

function authorized(state: FakeState, req: IncomingMessage): boolean {
  const key = req.headers['x-api-key'];
  if (typeof key === 'string' && state.options.apiKeys.includes(key)) return true;
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  return Boolean(bearer && state.options.bearerTokens.includes(bearer));
}

async function handle(app: FakeApp, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', app.baseUrl);
  const route = ROUTES.find((r) => r.method === req.method && r.pattern.test(url.pathname));
  const auth = req.headers['x-api-key'] ? 'key' : req.headers.authorization ? 'bearer' : null;
  const record: FakeState['requests'][number] = {
    method: req.method ?? '',
    path: url.pathname,
    route: route?.name ?? null,
    status: 0,
    idempotencyKey: (req.headers['idempotency-key'] as string) ?? null,
    hadAuth: auth !== null,
    auth,
    clientSource: (req.headers['x-heygen-client-source'] as string) ?? null,
  };
  app.state.requests.push(record);
  const drop = () => {
    record.status = 'dropped';
    req.socket.destroy();
  };
  // Answers before the handler runs still get their status in the request log.
  const answer = (e: HttpError) => {
    record.status = e.status;
    sendError(res, e);
  };
  if (!route) return answer(new HttpError(404, 'not_found', `No route ${req.method} ${url.pathname}`));
  const fault = takeFault(app.state, route);
  if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs));
  if (res.destroyed || req.socket.destroyed) return void (record.status = 'dropped');
  if (fault?.kind === 'drop' && !fault.after) return drop();
  if (fault?.kind === 'status' && !fault.after) return answer(faultError(fault));
  if (fault?.kind === 'redirect') {
    record.status = fault.status ?? 307;
    res.writeHead(record.status, { location: fault.location, 'content-length': 0 });
    return void res.end();
  }
  try {
    if (route.auth && !authorized(app.state, req)) throw new HttpError(401, 'authentication_failed', 'Invalid or missing API key');
    if (fault?.kind === 'raw') {
      // The answer a broken or hostile server gives instead of doing the work.
      record.status = fault.status ?? 200;
      res.writeHead(record.status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(fault.body),
        ...fault.headers,
      });
      return void res.end(fault.body);
    }
    const result = await route.handle({
      req,
      res,
      url,
      params: url.pathname.match(route.pattern)!.slice(1),
      app,
      fault: fault ?? undefined,
      record,
    });
    if (!result) return;
    if (fault?.kind === 'drop') return drop();
    if (fault?.kind === 'status') return sendError(res, faultError(fault));
    if (route.auth && (fault?.kind === 'stall' || fault?.kind === 'trickle')) {
      const text = Buffer.from(JSON.stringify(result.body));
      record.status = result.status;
      res.writeHead(result.status, { 'content-type': 'application/json', 'content-length': text.length, ...result.headers });
      return void (await slowBody({ req, res, url, params: [], app, fault, record }, text));
    }
    sendJson(res, result.status, result.body, result.headers);
  } catch (error) {
    if (error instanceof HttpError) return sendError(res, error);
    sendError(res, new HttpError(500, 'internal_error', `Fake server bug: ${(error as Error).message}`));
  } finally {
    if (record.status === 0) record.status = res.statusCode;
  }
}

/** Starts the fake server. Always `close()` it (afterAll). */
export async function startFakeHeygen(options: FakeHeygenOptions = {}): Promise<FakeHeygen> {
  const state = createState(resolveOptions(options));
  const media = await createMediaCache();
  const app: FakeApp = { state, baseUrl: '', media };
  const server = createServer((req, res) => {
    handle(app, req, res).catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  app.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const controls: FakeHeygenControls = {
    advance: (seconds = 1) => tick(app, seconds),
    inject: (fault) => void state.faults.push({ ...fault, left: fault.times ?? 1 }),
    clearFaults: () => void state.faults.splice(0),
    failNext: (message, count = 1) => {
      for (let i = 0; i < count; i++) state.nextOutcomes.push({ status: 'failed', message });
    },
    queueOutcomes: (outcomes) => {
      for (const o of outcomes)
        state.nextOutcomes.push(
          o === 'completed'
            ? { status: 'completed' }
            : 'failed' in o
              ? { status: 'failed', message: o.failed }
              : { status: 'completed', queuedSeconds: o.queuedSeconds, renderingSeconds: o.renderingSeconds },
        );
    },
    flushWebhooks: async () => {
      while (state.pending.size) await Promise.all([...state.pending]);
    },
    requests: (route) => state.requests.filter((r) => !route || r.route === route),
    tamper: (renderId, fields) => void state.tampered.set(renderId, { ...state.tampered.get(renderId), ...fields }),
  };
  return {
    url: app.baseUrl,
    apiKey: state.options.apiKeys[0],
    state,
    controls,
    async close() {
      await controls.flushWebhooks();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await media.close();
    },
  };
}
