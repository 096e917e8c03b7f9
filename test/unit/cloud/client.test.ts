// The typed client against the fake server: envelopes, retries that never duplicate a render,
// error messages per status, and the key absent from every error and log line.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCloudClient } from '../../../src/cloud/client.js';
import { resolveApiKey, resolveCredential } from '../../../src/cloud/api-key.js';
import { CloudApiError } from '../../../src/cloud/errors.js';
import { FramesmithError } from '../../../src/core/errors.js';
import type { CreateRenderRequest } from '../../../src/cloud/types.js';
import { startFakeHeygen, type FakeHeygen } from '../../fake-heygen/index.js';
import { zipFolder } from '../../fake-heygen/make-zip.js';
import { clientFor, FAST_RETRY, FIXTURE, recordingLogger } from './helpers.js';

const KEY = 'sk_test_VERY_SECRET_0123456789';
let fake: FakeHeygen;
let body: CreateRenderRequest;

async function caught(p: Promise<unknown>): Promise<FramesmithError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(FramesmithError);
    return e as FramesmithError;
  }
  throw new Error('expected a rejection');
}

/** Asserts the key appears nowhere in the error, however it is printed. */
function expectNoKey(e: unknown, key = KEY) {
  expect(inspect(e, { showHidden: true, depth: 10 })).not.toContain(key);
  expect(JSON.stringify(e)).not.toContain(key);
  expect(String((e as Error).message) + String((e as FramesmithError).hint)).not.toContain(key);
}

beforeAll(async () => {
  fake = await startFakeHeygen({ apiKeys: [KEY] });
  const zip = await readFile(await zipFolder(FIXTURE));
  body = { project: { type: 'base64', media_type: 'application/zip', data: zip.toString('base64') } };
});
afterAll(() => fake.close());
beforeEach(() => fake.controls.clearFaults());

describe('renders', () => {
  it('creates, gets, lists all pages and deletes', async () => {
    const client = clientFor(fake);
    const created = await client.renders.create(body);
    expect(created.status).toBe('queued');
    expect(created.idempotency_key).toMatch(/^framesmith-/);
    expect((await client.renders.get(created.render_id)).render_id).toBe(created.render_id);
    for (let i = 0; i < 4; i++) await client.renders.create(body);
    const page = await client.renders.list({ limit: 2 });
    expect(page.data).toHaveLength(2);
    expect(page.has_more).toBe(true);
    const all = await client.renders.listAll({ pageSize: 2 });
    expect(all.length).toBe(fake.state.rendersCreated);
    expect(all[all.length - 1].render_id).toBe(created.render_id);
    await client.renders.delete(created.render_id);
    const gone = await caught(client.renders.get(created.render_id));
    expect(gone.code).toBe('cloud_not_found');
    expect(gone.message).toContain(created.render_id);
    expect(gone.exitCode).toBe(4);
  });

  it('retries a create whose answer was lost, with the same Idempotency-Key, creating one render', async () => {
    const client = clientFor(fake);
    const before = fake.state.rendersCreated;
    fake.controls.inject({ route: 'renders.create', kind: 'drop', after: true });
    fake.controls.inject({ route: 'renders.create', kind: 'status', status: 502, after: true });
    const created = await client.renders.create(body);
    expect(fake.state.rendersCreated).toBe(before + 1);
    const keys = fake.controls
      .requests('renders.create')
      .slice(-3)
      .map((r) => r.idempotencyKey);
    expect(new Set(keys).size).toBe(1);
    expect((await client.renders.get(created.render_id)).render_id).toBe(created.render_id);
  });

  it('waits out 429s (Retry-After), 5xx and drops on GET', async () => {
    const client = clientFor(fake);
    const { render_id } = await client.renders.create(body);
    fake.controls.inject({ route: 'renders.get', kind: 'status', status: 429, retryAfter: 0 });
    fake.controls.inject({ route: 'renders.get', kind: 'status', status: 500 });
    fake.controls.inject({ route: 'renders.get', kind: 'drop' });
    const n = fake.controls.requests('renders.get').length;
    expect((await client.renders.get(render_id)).render_id).toBe(render_id);
    expect(fake.controls.requests('renders.get').length - n).toBe(4);
  });

  it('a timeout is not retried (the deadline is the budget, as in heygen-cli): exit 6 with the resume command', async () => {
    const client = clientFor(fake, { retry: { ...FAST_RETRY, timeoutMs: 300 } });
    const { render_id } = await client.renders.create(body);
    fake.controls.inject({ route: 'renders.get', kind: 'slow', delayMs: 1000 });
    const n = fake.controls.requests('renders.get').length;
    const e = await caught(client.renders.get(render_id));
    expect([e.code, e.exitCode]).toEqual(['cloud_unreachable', 6]);
    expect(e.message).toMatch(/did not arrive in full in time/);
    expect(e.hint).toContain(`framesmith renders get ${render_id} --download`);
    expect(fake.controls.requests('renders.get').length - n).toBe(1);
  });

  it('does not retry a webhook endpoint create on 5xx (it has no idempotency key)', async () => {
    const client = clientFor(fake);
    fake.controls.inject({ route: 'webhooks.create', kind: 'status', status: 500, after: true });
    const e = await caught(client.webhooks.createEndpoint({ url: 'https://hooks.example/x' }));
    expect(e.code).toBe('cloud_server_error');
    expect(fake.controls.requests('webhooks.create').length).toBe(1);
  });
});

describe('error messages', () => {
  const cases: [string, object, string, number, RegExp][] = [
    ['400', { status: 400, param: 'fps', message: 'fps must be an integer' }, 'cloud_invalid_parameter', 2, /"fps"/],
    ['402', { status: 402 }, 'cloud_no_credits', 5, /no credits/],
    ['403', { status: 403 }, 'cloud_forbidden', 3, /not allowed/],
    ['413', { status: 413 }, 'cloud_too_large', 2, /too large/],
    ['429 exhausted', { status: 429, retryAfter: 0, times: 10 }, 'cloud_rate_limited', 6, /too many requests.*after 5 attempts/],
    ['503 exhausted', { status: 503, times: 10 }, 'cloud_server_error', 6, /503.*after 5 attempts/],
  ];
  for (const [name, fault, code, exit, message] of cases) {
    it(`${name} → ${code}, exit ${exit}`, async () => {
      fake.controls.inject({ route: 'renders.create', kind: 'status', ...(fault as { status: number }) });
      const e = await caught(clientFor(fake).renders.create(body));
      expect([e.code, e.exitCode]).toEqual([code, exit]);
      expect(e.message).toMatch(message);
      expectNoKey(e);
    });
  }

  it('401 says where the key was read from, never the key', async () => {
    const wrong = 'sk_wrong_ANOTHER_SECRET_999';
    const client = createCloudClient({ apiKey: resolveApiKey({ env: { HEYGEN_API_KEY: wrong } }), baseUrl: fake.url, retry: FAST_RETRY });
    const e = await caught(client.renders.list());
    expect([e.code, e.exitCode]).toEqual(['cloud_unauthorized', 3]);
    expect(e.message).toContain('HEYGEN_API_KEY environment variable');
    expectNoKey(e, wrong);
  });

  it('a server that echoes the key back gets it redacted', async () => {
    fake.controls.inject({ route: 'renders.list', kind: 'status', status: 400, message: `bad key ${KEY}`, param: KEY });
    const e = await caught(clientFor(fake).renders.list());
    expect(e.message).toContain('***');
    expectNoKey(e);
  });

  it('dropped connections every time end in cloud_unreachable, exit 6', async () => {
    fake.controls.inject({ route: 'renders.list', kind: 'drop', times: 10 });
    const e = await caught(clientFor(fake).renders.list());
    expect([e.code, e.exitCode]).toEqual(['cloud_unreachable', 6]);
    expect(e.message).toMatch(/connection failed.*after 5 attempts/);
    expectNoKey(e);
  });

  it('logs requests and retries at debug level without the key', async () => {
    const { logger, out } = recordingLogger();
    const client = clientFor(fake, { logger });
    fake.controls.inject({ route: 'renders.list', kind: 'status', status: 500 });
    await client.renders.list();
    expect(out.text).toMatch(/GET \/v3\/hyperframes\/renders → 500/);
    expect(out.text).toMatch(/retrying/);
    expect(out.text).not.toContain(KEY);
  });
});

describe('webhook endpoints', () => {
  it('creates (secret shown once), lists, updates, rotates, deletes; lists event types', async () => {
    const client = clientFor(fake);
    const ep = await client.webhooks.createEndpoint({ url: 'https://hooks.example/a', events: ['hyperframes_video.fail'] });
    expect(ep.secret).toMatch(/^whsec_/);
    const listed = (await client.webhooks.listEndpoints()).find((e) => e.endpoint_id === ep.endpoint_id)!;
    expect(listed.secret ?? null).toBeNull();
    expect((await client.webhooks.updateEndpoint(ep.endpoint_id, { events: ['hyperframes_video.success'] })).events).toEqual([
      'hyperframes_video.success',
    ]);
    expect((await client.webhooks.rotateSecret(ep.endpoint_id)).secret).not.toBe(ep.secret);
    await client.webhooks.deleteEndpoint(ep.endpoint_id);
    const e = await caught(client.webhooks.deleteEndpoint(ep.endpoint_id));
    expect(e.message).toContain(ep.endpoint_id);
    expect((await client.webhooks.eventTypes()).map((t) => t.event_type)).toEqual(['hyperframes_video.success', 'hyperframes_video.fail']);
  });
});

describe("reconciled with HeyGen's published clients", () => {
  it('sends X-HeyGen-Client-Source: framesmith on API calls, never on presigned storage requests', async () => {
    const client = clientFor(fake);
    const { render_id } = await client.renders.create(body);
    expect(fake.controls.requests('renders.create').at(-1)!.clientSource).toBe('framesmith');
    fake.controls.advance(10);
    const cwd = (await import('node:os')).tmpdir();
    const { downloadRenderOutputs } = await import('../../../src/cloud/download.js');
    const dir = await (await import('node:fs/promises')).mkdtemp(`${cwd}/fs-cs-`);
    await downloadRenderOutputs(await client.renders.get(render_id), { client, cwd: dir });
    expect(fake.controls.requests('storage.get').at(-1)).toMatchObject({ clientSource: null, hadAuth: false });
  });

  it('error answers carry doc_url and the request id into the hint; known codes get their own advice', async () => {
    fake.controls.inject({
      route: 'renders.create',
      kind: 'status',
      status: 413,
      code: 'hyperframes_project_too_large',
      message: 'Project exceeds 200 MB',
    });
    const e = await caught(clientFor(fake).renders.create(body));
    expect(e).toBeInstanceOf(CloudApiError);
    expect(e.hint).toMatch(/200 MB limit.*Docs: https:\/\/\S+hyperframes_project_too_large Request id: req_\w+\./);
    expect((e as CloudApiError).apiCode).toBe('hyperframes_project_too_large');
  });

  it('a create that meets its own first attempt still running (409 request_in_progress) waits and gets the same render', async () => {
    const client = clientFor(fake);
    const before = fake.state.rendersCreated;
    fake.controls.inject({ route: 'renders.create', kind: 'hold', delayMs: 400 });
    const first = client.renders.create(body, { idempotencyKey: 'in-progress-1' });
    await new Promise((r) => setTimeout(r, 100));
    const second = await client.renders.create(body, { idempotencyKey: 'in-progress-1' });
    expect(second.render_id).toBe((await first).render_id);
    expect(fake.state.rendersCreated).toBe(before + 1);
    expect(fake.controls.requests('renders.create').some((r) => r.status === 409)).toBe(true);
  });
});

describe('OAuth access tokens', () => {
  it('are sent as Authorization: Bearer (no x-api-key), and a rejected one is named as a token, never printed', async () => {
    const TOKEN = 'oauth_TOKEN_0123456789abcdef';
    const local = await startFakeHeygen({ apiKeys: ['unused-key-000'], bearerTokens: [TOKEN] });
    try {
      const client = createCloudClient({ accessToken: TOKEN, baseUrl: local.url, retry: FAST_RETRY });
      expect(client.credentialKind).toBe('access_token');
      await client.renders.list();
      expect(local.controls.requests('renders.list').at(-1)).toMatchObject({ auth: 'bearer', status: 200 });
      const wrong = createCloudClient({
        apiKey: resolveCredential({ env: { HEYGEN_ACCESS_TOKEN: 'oauth_EXPIRED_999999' } }),
        baseUrl: local.url,
        retry: FAST_RETRY,
      });
      const e = await caught(wrong.renders.list());
      expect([e.code, e.exitCode]).toEqual(['cloud_unauthorized', 3]);
      expect(e.message).toMatch(/rejected the access token read from the HEYGEN_ACCESS_TOKEN environment variable/);
      expect(e.hint).toMatch(/access tokens expire/);
      expectNoKey(e, 'oauth_EXPIRED_999999');
      expect(inspect(client, { depth: 6, showHidden: true })).not.toContain(TOKEN);
    } finally {
      await local.close();
    }
  });
});

describe('redirects', () => {
  async function listener() {
    const seen: { url: string; key: boolean; auth: boolean }[] = [];
    const server = createServer((req, res) => {
      seen.push({ url: req.url!, key: req.headers['x-api-key'] !== undefined, auth: req.headers.authorization !== undefined });
      res.end('{"data":[]}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { seen, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(r)) };
  }

  it('a redirect to another origin is refused: the key is never sent there', async () => {
    const other = await listener();
    try {
      for (const status of [301, 302, 307, 308]) {
        fake.controls.inject({ route: 'renders.list', kind: 'redirect', status, location: `${other.url}/v3/hyperframes/renders` });
        const e = await caught(clientFor(fake).renders.list());
        expect(e.code).toBe('cloud_redirect_refused');
        expect(e.message).toMatch(
          new RegExp(`redirect \\(${status}\\) to another origin, ${other.url}; the API key is sent only to ${fake.url}`),
        );
        expectNoKey(e);
      }
      expect(other.seen).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('a redirect on the same origin is followed, with the key', async () => {
    fake.controls.inject({ route: 'renders.list', kind: 'redirect', location: `${fake.url}/v3/hyperframes/renders?limit=3` });
    const n = fake.controls.requests('renders.list').length;
    const page = await clientFor(fake).renders.list();
    expect(Array.isArray(page.data)).toBe(true);
    expect(
      fake.controls
        .requests('renders.list')
        .slice(n)
        .map((r) => [r.status, r.auth]),
    ).toEqual([
      [307, 'key'],
      [200, 'key'],
    ]);
  });

  it('a POST redirected with 302/303 (which would become a GET) is refused, not replayed as something else', async () => {
    fake.controls.inject({ route: 'renders.create', kind: 'redirect', status: 303, location: `${fake.url}/v3/hyperframes/renders` });
    const e = await caught(clientFor(fake).renders.create(body));
    expect(e.code).toBe('cloud_redirect_refused');
    expect(e.message).toMatch(/would change POST into GET/);
  });
});
