// The fake HeyGen server on its own, spoken to with plain fetch: if it drifts from the reference,
// the client tests that run against it prove nothing.
import { createHash, createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHeygen, type FakeHeygen } from './index.js';
import { zipFolder } from './make-zip.js';

const FIXTURE = join(import.meta.dirname, '..', 'unit', 'cloud', 'fixtures', 'project');
let fake: FakeHeygen;
let zipBase64: string;
let zipBytes: Buffer;

const api = (path: string, init: RequestInit & { key?: string | null } = {}) => {
  const headers = new Headers(init.headers);
  if (init.key !== null) headers.set('x-api-key', init.key ?? fake.apiKey);
  if (typeof init.body === 'string' && !headers.has('content-type')) headers.set('content-type', 'application/json');
  return fetch(fake.url + path, { ...init, headers });
};
const create = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api('/v3/hyperframes/renders', { method: 'POST', body: JSON.stringify(body), headers });
const base64Project = () => ({ type: 'base64', media_type: 'application/zip', data: zipBase64 });

beforeAll(async () => {
  fake = await startFakeHeygen();
  zipBytes = await readFile(await zipFolder(FIXTURE));
  zipBase64 = zipBytes.toString('base64');
});
afterAll(() => fake.close());

describe('auth and envelopes', () => {
  it('answers 401 authentication_failed in the error envelope, with doc_url, without a key or with a wrong one', async () => {
    for (const key of [null, 'wrong-key']) {
      const res = await api('/v3/hyperframes/renders', { key });
      expect(res.status).toBe(401);
      const { error } = await res.json();
      expect(error.code).toBe('authentication_failed');
      expect(error.doc_url).toMatch(/^https:\/\/.+authentication_failed$/);
      expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    }
  });
  it('accepts an OAuth token as Authorization: Bearer, and records which credential and client source came', async () => {
    const local = await startFakeHeygen({ bearerTokens: ['oauth-token-123456'] });
    try {
      const res = await fetch(`${local.url}/v3/hyperframes/renders`, {
        headers: { authorization: 'Bearer oauth-token-123456', 'x-heygen-client-source': 'framesmith' },
      });
      expect(res.status).toBe(200);
      expect(local.controls.requests('renders.list').at(-1)).toMatchObject({ auth: 'bearer', clientSource: 'framesmith' });
      expect((await fetch(`${local.url}/v3/hyperframes/renders`, { headers: { authorization: 'Bearer other' } })).status).toBe(401);
    } finally {
      await local.close();
    }
  });
  it('wraps success in {data}', async () => {
    const res = await api('/v3/webhooks/event-types');
    expect((await res.json()).data.map((e: { event_type: string }) => e.event_type)).toContain('hyperframes_video.success');
  });
});

describe('render validation', () => {
  const cases: [Record<string, unknown>, number, string][] = [
    [{}, 400, 'project'],
    [{ project: { type: 'zip' } }, 400, 'project.type'],
    [{ project: { type: 'asset_id', asset_id: 'nope' } }, 400, 'project.asset_id'],
    [{ project: { type: 'url', url: 'http://example.com/p.zip' } }, 400, 'project.url'],
    [
      { project: { type: 'base64', media_type: 'application/zip', data: Buffer.from('not a zip').toString('base64') } },
      400,
      'project.data',
    ],
    [{ project: { type: 'asset_id', asset_id: 'x', extra: 1 } }, 400, 'project.extra'],
    [{ fps: 0 }, 400, 'fps'],
    [{ fps: 24.5 }, 400, 'fps'],
    [{ quality: 'ultra' }, 400, 'quality'],
    [{ format: 'gif' }, 400, 'format'],
    [{ resolution: '4k', format: 'webm' }, 400, 'resolution'],
    [{ aspect_ratio: '4:3' }, 400, 'aspect_ratio'],
    [{ aspect_ratio: '9:16' }, 400, 'aspect_ratio'],
    [{ title: 'x'.repeat(501) }, 400, 'title'],
    [{ callback_id: 'x'.repeat(257) }, 400, 'callback_id'],
    [{ composition: 'missing.html' }, 400, 'composition'],
    [{ callback_url: 'http://example.com/hook' }, 400, 'callback_url'],
    [{ surprise: true }, 400, 'surprise'],
  ];
  for (const [extra, status, param] of cases) {
    it(`rejects ${JSON.stringify(extra).slice(0, 60)} naming ${param}`, async () => {
      const body = 'project' in extra || Object.keys(extra).length === 0 ? extra : { project: base64Project(), ...extra };
      const res = await create(body);
      expect(res.status).toBe(status);
      expect((await res.json()).error.param).toBe(param);
    });
  }
  it('accepts a valid render with 202 and counts it', async () => {
    const before = fake.state.rendersCreated;
    const res = await create({ project: base64Project(), fps: 24, quality: 'draft', title: 'ok' });
    expect(res.status).toBe(202);
    const { data } = await res.json();
    expect(data).toMatchObject({ status: 'queued' });
    expect(data.render_id).toMatch(/^hfr_/);
    expect(fake.state.rendersCreated).toBe(before + 1);
  });
});

describe('render lifecycle and storage', () => {
  it('moves queued → rendering → completed on GETs and serves a real MP4 and PNG without auth', async () => {
    const { data } = await (await create({ project: base64Project() })).json();
    const seen: string[] = [];
    let detail: Record<string, string | null> = {};
    for (let i = 0; i < 6 && detail.status !== 'completed'; i++) {
      detail = (await (await api(`/v3/hyperframes/renders/${data.render_id}`)).json()).data;
      seen.push(detail.status!);
    }
    expect(seen).toEqual(['queued', 'rendering', 'rendering', 'completed']);
    const video = await fetch(detail.video_url!);
    expect(video.status).toBe(200);
    const bytes = Buffer.from(await video.arrayBuffer());
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    const thumb = Buffer.from(await (await fetch(detail.thumbnail_url!)).arrayBuffer());
    expect(thumb.subarray(1, 4).toString('latin1')).toBe('PNG');
    const withKey = await fetch(detail.video_url!, { headers: { 'x-api-key': fake.apiKey } });
    expect(withKey.status).toBe(400);
    const tampered = await fetch(
      detail.video_url!.replace(/X-Amz-Signature=(\w)/, (_, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`),
    );
    expect(tampered.status).toBe(403);
    fake.controls.advance(4000);
    expect((await fetch(detail.video_url!)).status).toBe(403);
  });
  it('fails renders on request, with failure_message', async () => {
    fake.controls.failNext('Composition threw: boom');
    const { data } = await (await create({ project: base64Project() })).json();
    fake.controls.advance(10);
    const detail = (await (await api(`/v3/hyperframes/renders/${data.render_id}`)).json()).data;
    expect(detail).toMatchObject({ status: 'failed', failure_message: 'Composition threw: boom', video_url: null });
  });
  it('deletes, then answers 404 naming the render', async () => {
    const { data } = await (await create({ project: base64Project() })).json();
    expect((await (await api(`/v3/hyperframes/renders/${data.render_id}`, { method: 'DELETE' })).json()).data.render_id).toBe(
      data.render_id,
    );
    const res = await api(`/v3/hyperframes/renders/${data.render_id}`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('hyperframes_render_not_found');
  });
});

describe('pagination', () => {
  it('lists newest first with tokens and validates limit and token', async () => {
    const local = await startFakeHeygen();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${local.url}/v3/hyperframes/renders`, {
          method: 'POST',
          headers: { 'x-api-key': local.apiKey, 'content-type': 'application/json' },
          body: JSON.stringify({ project: base64Project() }),
        });
        ids.push((await res.json()).data.render_id);
      }
      const pages: string[][] = [];
      let token: string | null = null;
      do {
        const page: { data: { render_id: string }[]; has_more: boolean; next_token: string | null } = await (
          await fetch(`${local.url}/v3/hyperframes/renders?limit=2${token ? `&token=${token}` : ''}`, {
            headers: { 'x-api-key': local.apiKey },
          })
        ).json();
        pages.push(page.data.map((d) => d.render_id));
        expect(page.has_more).toBe(page.next_token !== null);
        token = page.next_token;
      } while (token);
      expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
      expect(pages.flat()).toEqual([...ids].reverse());
      for (const q of ['limit=0', 'limit=101', 'limit=abc', 'token=garbage']) {
        const res = await fetch(`${local.url}/v3/hyperframes/renders?${q}`, { headers: { 'x-api-key': local.apiKey } });
        expect(res.status).toBe(400);
        expect((await res.json()).error.param).toBe(q.split('=')[0]);
      }
    } finally {
      await local.close();
    }
  });
});

describe('idempotency', () => {
  it('replays the first answer for the same key, even with another body (HeyGen logs a warning)', async () => {
    const before = fake.state.rendersCreated;
    const body = { project: base64Project(), title: 'idem' };
    const a = await (await create(body, { 'idempotency-key': 'idem-1' })).json();
    const second = await create(body, { 'idempotency-key': 'idem-1' });
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect((await second.json()).data.render_id).toBe(a.data.render_id);
    expect(fake.state.rendersCreated).toBe(before + 1);
    const other = await create({ ...body, title: 'other' }, { 'idempotency-key': 'idem-1' });
    expect(other.status).toBe(202);
    expect((await other.json()).data.render_id).toBe(a.data.render_id);
    expect(fake.state.replayWarnings.at(-1)).toMatch(/idem-1: replayed with a different body/);
    const bad = await create(body, { 'idempotency-key': 'has spaces' });
    expect((await bad.json()).error.param).toBe('Idempotency-Key');
  });
  it('answers 409 request_in_progress to a duplicate while the first is still running', async () => {
    fake.controls.inject({ route: 'renders.create', kind: 'hold', delayMs: 300 });
    const body = { project: base64Project(), title: 'held' };
    const first = create(body, { 'idempotency-key': 'idem-held' });
    await new Promise((r) => setTimeout(r, 100));
    const dup = await create(body, { 'idempotency-key': 'idem-held' });
    expect(dup.status).toBe(409);
    expect((await dup.json()).error.code).toBe('request_in_progress');
    const a = await (await first).json();
    const after = await (await create(body, { 'idempotency-key': 'idem-held' })).json();
    expect(after.data.render_id).toBe(a.data.render_id);
  });
  it('scopes keys per endpoint: the same key on the direct-upload route is independent', async () => {
    const h = { 'idempotency-key': 'idem-scope' };
    await create({ project: base64Project() }, h);
    const up = await api('/v3/assets/direct-uploads', {
      method: 'POST',
      headers: h,
      body: JSON.stringify({ filename: 'p.zip', content_type: 'application/zip', size_bytes: 10 }),
    });
    expect(up.status).toBe(200);
    expect((await up.json()).data.asset_id).toMatch(/^asset_/);
  });
});

describe('account limits', () => {
  it('runs at most concurrencyLimit renders at once: beyond, 429 rate_limit_exceeded with Retry-After, and the key is not used up', async () => {
    const local = await startFakeHeygen({ concurrencyLimit: 2, concurrencyRetryAfter: 2 });
    try {
      const post = (key: string) =>
        fetch(`${local.url}/v3/hyperframes/renders`, {
          method: 'POST',
          headers: { 'x-api-key': local.apiKey, 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify({ project: base64Project() }),
        });
      expect((await post('c1')).status).toBe(202);
      expect((await post('c2')).status).toBe(202);
      const third = await post('c3');
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toBe('2');
      expect((await third.json()).error).toMatchObject({ code: 'rate_limit_exceeded', doc_url: expect.stringMatching(/^https:/) });
      local.controls.advance(10);
      expect((await post('c3')).status).toBe(202);
      expect(local.state.maxActive).toBe(2);
    } finally {
      await local.close();
    }
  });
});

describe('uploads', () => {
  it('direct upload: rejects auth headers and altered headers, checks the checksum, answers 409 while propagating', async () => {
    const local = await startFakeHeygen({ completeConflicts: 2 });
    try {
      const sha = createHash('sha256').update(zipBytes).digest('hex');
      const h = { 'x-api-key': local.apiKey, 'content-type': 'application/json' };
      const created = (
        await (
          await fetch(`${local.url}/v3/assets/direct-uploads`, {
            method: 'POST',
            headers: h,
            body: JSON.stringify({ filename: 'p.zip', content_type: 'application/zip', size_bytes: zipBytes.length, checksum_sha256: sha }),
          })
        ).json()
      ).data;
      expect(created).toMatchObject({ status: 'pending_upload', max_bytes: 209715200 });
      const put = (headers: Record<string, string>, body: Buffer = zipBytes) =>
        fetch(created.upload_url, { method: 'PUT', headers, body: new Uint8Array(body) });
      expect((await put({ ...created.upload_headers, 'x-api-key': local.apiKey })).status).toBe(400);
      expect((await put({ 'content-type': 'application/zip' })).status).toBe(403);
      const corrupt = Buffer.from(zipBytes);
      corrupt[corrupt.length - 1] ^= 0xff;
      expect((await put(created.upload_headers, corrupt)).status).toBe(400);
      expect((await put(created.upload_headers)).status).toBe(200);
      const complete = () =>
        fetch(`${local.url}/v3/assets/${created.asset_id}/complete`, {
          method: 'POST',
          headers: h,
          body: JSON.stringify({ checksum_sha256: sha }),
        });
      expect((await complete()).status).toBe(409);
      expect((await complete()).status).toBe(409);
      const done = await complete();
      expect(done.status).toBe(200);
      expect((await done.json()).data).toMatchObject({ asset_id: created.asset_id, status: 'processing' });
      expect((await complete()).status).toBe(200);
      const render = await fetch(`${local.url}/v3/hyperframes/renders`, {
        method: 'POST',
        headers: h,
        body: JSON.stringify({ project: { type: 'asset_id', asset_id: created.asset_id } }),
      });
      expect(render.status).toBe(202);
    } finally {
      await local.close();
    }
  });
  it('simple multipart upload returns an asset usable for a render', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(zipBytes)]), 'p.zip');
    const res = await api('/v3/assets', { method: 'POST', body: form });
    const { data } = await res.json();
    expect(data).toMatchObject({ mime_type: 'application/zip', size_bytes: zipBytes.length });
    expect((await create({ project: { type: 'asset_id', asset_id: data.asset_id } })).status).toBe(202);
  });
});

describe('webhooks', () => {
  it('signs deliveries to registered endpoints and posts unsigned ones to callback_url', async () => {
    const received: { path: string; headers: Record<string, unknown>; body: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ path: req.url!, headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    try {
      const ep = (
        await (
          await api('/v3/webhooks/endpoints', {
            method: 'POST',
            body: JSON.stringify({ url: `${hook}/registered`, events: ['hyperframes_video.success'] }),
          })
        ).json()
      ).data;
      expect(ep.secret).toMatch(/^whsec_/);
      const list = (await (await api('/v3/webhooks/endpoints')).json()).data;
      const listed = list.find((e: { endpoint_id: string }) => e.endpoint_id === ep.endpoint_id);
      expect(listed.secret).toBeNull();
      expect(listed.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
      const rotated = (await (await api(`/v3/webhooks/endpoints/${ep.endpoint_id}/rotate-secret`, { method: 'POST' })).json()).data;
      expect(rotated.secret).not.toBe(ep.secret);
      expect(Object.keys(rotated).sort()).toEqual(['endpoint_id', 'secret']);
      const { data } = await (await create({ project: base64Project(), callback_url: `${hook}/callback`, callback_id: 'corr-1' })).json();
      fake.controls.advance(10);
      await fake.controls.flushWebhooks();
      const signed = received.find((r) => r.path === '/registered')!;
      const unsigned = received.find((r) => r.path === '/callback')!;
      expect(JSON.parse(unsigned.body)).toMatchObject({
        event_type: 'hyperframes_video.success',
        event_data: { render_id: data.render_id, callback_id: 'corr-1' },
      });
      expect(unsigned.headers['heygen-signature']).toBeUndefined();
      expect(signed.headers['heygen-signature']).toBe(createHmac('sha256', rotated.secret).update(signed.body).digest('hex'));
      expect(Math.abs(Number(signed.headers['heygen-timestamp']) - Date.now() / 1000)).toBeLessThan(300);
      expect(signed.headers['heygen-event-id']).toMatch(/^evt_/);
      expect((await api(`/v3/webhooks/endpoints/${ep.endpoint_id}`, { method: 'DELETE' })).status).toBe(200);
      expect((await api(`/v3/webhooks/endpoints/${ep.endpoint_id}`, { method: 'DELETE' })).status).toBe(404);
      const bad = await api('/v3/webhooks/endpoints', {
        method: 'POST',
        body: JSON.stringify({ url: 'https://x.example', events: ['nope'] }),
      });
      expect((await bad.json()).error.param).toBe('events');
    } finally {
      receiver.close();
    }
  });
});

describe('fault switches', () => {
  it('injects statuses with Retry-After for N requests, then recovers', async () => {
    fake.controls.inject({ route: 'renders.list', kind: 'status', status: 429, retryAfter: 3, times: 2 });
    const a = await api('/v3/hyperframes/renders');
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('3');
    expect((await api('/v3/hyperframes/renders')).status).toBe(429);
    expect((await api('/v3/hyperframes/renders')).status).toBe(200);
    expect(
      fake.controls
        .requests('renders.list')
        .slice(-3)
        .map((r) => r.status),
    ).toEqual([429, 429, 200]);
  });
  it('drops connections, before or after the request took effect', async () => {
    fake.controls.inject({ route: 'renders.list', kind: 'drop' });
    await expect(api('/v3/hyperframes/renders')).rejects.toThrow();
    const before = fake.state.rendersCreated;
    fake.controls.inject({ route: 'renders.create', kind: 'drop', after: true });
    await expect(create({ project: base64Project() })).rejects.toThrow();
    expect(fake.state.rendersCreated).toBe(before + 1);
  });
  it('expires download links like time does, and cuts a download short of its Content-Length', async () => {
    const own = await startFakeHeygen({ urlTtlSeconds: 10 });
    try {
      const { data } = await (
        await fetch(`${own.url}/v3/hyperframes/renders`, {
          method: 'POST',
          headers: { 'x-api-key': own.apiKey, 'content-type': 'application/json' },
          body: JSON.stringify({ project: base64Project() }),
        })
      ).json();
      own.controls.advance(10);
      const detail = (
        await (await fetch(`${own.url}/v3/hyperframes/renders/${data.render_id}`, { headers: { 'x-api-key': own.apiKey } })).json()
      ).data;
      own.controls.inject({ route: 'storage.get', kind: 'expired' });
      const switched = await fetch(detail.video_url);
      const switchedText = await switched.text();
      own.controls.inject({ route: 'storage.get', kind: 'truncate' });
      const cut = await fetch(detail.video_url);
      const length = Number(cut.headers.get('content-length'));
      await expect(cut.arrayBuffer()).rejects.toThrow();
      expect(length).toBeGreaterThan(1000);
      own.controls.advance(11);
      const aged = await fetch(detail.video_url);
      expect([switched.status, aged.status]).toEqual([403, 403]);
      expect(switchedText).toBe(await aged.text());
      expect(switchedText).toContain('<Code>AccessDenied</Code><Message>Request has expired</Message>');
      const fresh = (
        await (await fetch(`${own.url}/v3/hyperframes/renders/${data.render_id}`, { headers: { 'x-api-key': own.apiKey } })).json()
      ).data;
      const again = await fetch(fresh.video_url);
      expect(again.status).toBe(200);
      expect((await again.arrayBuffer()).byteLength).toBe(length);
    } finally {
      await own.close();
    }
  });
  it('answers slowly when asked, and 5xx after doing the work', async () => {
    fake.controls.inject({ route: 'webhooks.eventTypes', kind: 'slow', delayMs: 50 });
    expect((await api('/v3/webhooks/event-types')).status).toBe(200);
    const before = fake.state.rendersCreated;
    fake.controls.inject({ route: 'renders.create', kind: 'status', status: 503, after: true });
    expect((await create({ project: base64Project() })).status).toBe(503);
    expect(fake.state.rendersCreated).toBe(before + 1);
  });
  it('redirects, answers a raw body, stalls and trickles when asked (the hostile-server probes)', async () => {
    fake.controls.inject({ route: 'renders.list', kind: 'redirect', location: 'http://127.0.0.1:9/elsewhere' });
    const moved = await api('/v3/hyperframes/renders', { redirect: 'manual' });
    expect([moved.status, moved.headers.get('location')]).toEqual([307, 'http://127.0.0.1:9/elsewhere']);
    fake.controls.inject({ route: 'renders.list', kind: 'raw', body: '{"data": null}' });
    expect(await (await api('/v3/hyperframes/renders')).text()).toBe('{"data": null}');
    fake.controls.inject({ route: 'webhooks.eventTypes', kind: 'stall', afterBytes: 3 });
    const stalled = await api('/v3/webhooks/event-types');
    const reader = stalled.body!.getReader();
    expect((await reader.read()).value!.length).toBe(3);
    const next = await Promise.race([reader.read().then(() => 'more'), new Promise((r) => setTimeout(() => r('nothing'), 300))]);
    expect(next).toBe('nothing');
    await reader.cancel();
    fake.controls.inject({ route: 'webhooks.eventTypes', kind: 'trickle', intervalMs: 20 });
    const slow = await api('/v3/webhooks/event-types');
    const r2 = slow.body!.getReader();
    expect((await r2.read()).value!.length).toBe(1);
    await r2.cancel();
  });
  it("tampers with a render's detail on request", async () => {
    const { data } = await (await create({ project: base64Project() })).json();
    fake.controls.tamper(data.render_id, { format: '../../x', video_url: 'file:///etc/passwd' });
    const detail = (await (await api(`/v3/hyperframes/renders/${data.render_id}`)).json()).data;
    expect(detail).toMatchObject({ format: '../../x', video_url: 'file:///etc/passwd' });
  });
});

describe('the other signature convention', () => {
  it('signs with X-HeyGen-Signature (no timestamp) when asked', async () => {
    const local = await startFakeHeygen({ signatureConvention: 'X-HeyGen-Signature' });
    const received: { headers: Record<string, unknown>; body: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => (received.push({ headers: req.headers, body }), res.end('ok')));
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const h = { 'x-api-key': local.apiKey, 'content-type': 'application/json' };
      const ep = (
        await (
          await fetch(`${local.url}/v3/webhooks/endpoints`, {
            method: 'POST',
            headers: h,
            body: JSON.stringify({ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/x` }),
          })
        ).json()
      ).data;
      await fetch(`${local.url}/v3/hyperframes/renders`, {
        method: 'POST',
        headers: h,
        body: JSON.stringify({ project: base64Project() }),
      });
      local.controls.advance(10);
      await local.controls.flushWebhooks();
      const [d] = received;
      expect(d.headers['x-heygen-signature']).toBe(createHmac('sha256', ep.secret).update(d.body).digest('hex'));
      expect(d.headers['heygen-timestamp']).toBeUndefined();
    } finally {
      receiver.close();
      await local.close();
    }
  });
});
