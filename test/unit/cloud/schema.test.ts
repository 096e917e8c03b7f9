// Every answer is read by its schema: liberal where HeyGen's published clients are (optional
// fields, unknown fields, a bare payload), strict where a value reaches a path or the network, and
// every mismatch a `cloud_bad_response` naming the field.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as S from '../../../src/cloud/schema.js';
import { FramesmithError } from '../../../src/core/errors.js';
import type { CreateRenderRequest } from '../../../src/cloud/types.js';
import { startFakeHeygen, type FakeHeygen } from '../../fake-heygen/index.js';
import { zipFolder } from '../../fake-heygen/make-zip.js';
import { clientFor, FIXTURE } from './helpers.js';

const ctx = { secrets: ['sk_SECRET_KEY_123'] };
const read = <T>(schema: S.Schema<T>, v: unknown) => S.readAnswer(schema, v, 'GET /x', 'data', ctx);
const bad = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(FramesmithError);
    expect((e as FramesmithError).code).toBe('cloud_bad_response');
    return (e as FramesmithError).message;
  }
  throw new Error('expected cloud_bad_response');
};

describe('schemas', () => {
  it("a create answer: only render_id is required (HeyGen's generated client); status defaults to queued", () => {
    expect(read(S.createRenderData, { render_id: 'hfr_1' })).toEqual({ render_id: 'hfr_1', status: 'queued' });
    expect(bad(() => read(S.createRenderData, null))).toBe(
      "HeyGen's answer to GET /x does not have the documented shape: data is null, not an object.",
    );
    expect(bad(() => read(S.createRenderData, {}))).toMatch(/data\.render_id is missing/);
    expect(bad(() => read(S.createRenderData, { render_id: '../../etc' }))).toMatch(/data\.render_id is "\.\.\/\.\.\/etc", not an id/);
  });

  it("a render detail: optional fields become null, the format must be one of the API's, text is cleaned", () => {
    const d = read(S.renderDetail, { render_id: 'hfr_2', status: 'rendering', format: 'webm', extra: 'ignored' });
    expect(d).toMatchObject({
      render_id: 'hfr_2',
      status: 'rendering',
      format: 'webm',
      title: null,
      video_url: null,
      failure_message: null,
    });
    expect('extra' in d).toBe(false);
    expect(read(S.renderDetail, { render_id: 'hfr_2', status: 'some_new_state' }).status).toBe('some_new_state');
    expect(bad(() => read(S.renderDetail, { render_id: 'hfr_2', status: 'done', format: '../../x' }))).toMatch(
      /data\.format is "\.\.\/\.\.\/x", not one of mp4, webm, mov/,
    );
    expect(bad(() => read(S.renderDetail, { render_id: 'hfr_2', status: 'done', video_url: 'javascript:alert(1)' }))).toMatch(
      /data\.video_url .* not an http\(s\) URL/,
    );
    expect(bad(() => read(S.renderDetail, { render_id: 'hfr_2' }))).toMatch(/data\.status is missing/);
    const t = read(S.renderDetail, {
      render_id: 'hfr_2',
      status: 'failed',
      title: '\u001b[2J\u001b[31mred\u001b[0m\rover',
      failure_message: 'key sk_SECRET_KEY_123 \u202eevil\u0007',
    });
    expect(t.title).toBe('redover');
    expect(t.failure_message).toBe('key *** evil');
  });

  it('lists, uploads and endpoints: missing pages are empty, header values coerced, events null means all', () => {
    expect(S.readAnswer(S.renderPage, {}, 'GET /x', 'body', ctx)).toEqual({ data: [], has_more: false, next_token: null });
    expect(
      bad(() =>
        S.readAnswer(
          S.renderPage,
          {
            data: [
              { render_id: 'hfr_1', status: 'queued' },
              { render_id: 'x y', status: 'queued' },
            ],
          },
          'GET /x',
          'body',
          ctx,
        ),
      ),
    ).toMatch(/body\.data\[1\]\.render_id/);
    const up = read(S.directUploadData, {
      asset_id: 'asset_1',
      upload_url: 'https://s3.example/u',
      upload_headers: { 'Content-Type': 'application/zip', 'x-amz-meta-n': 3, nested: { a: 1 } },
    });
    expect(up.upload_headers).toEqual({ 'Content-Type': 'application/zip', 'x-amz-meta-n': '3' });
    expect(up.max_bytes).toBeNull();
    expect(
      bad(() =>
        read(S.directUploadData, {
          asset_id: 'asset_1',
          upload_url: 'https://s3.example/u',
          upload_headers: { 'x-a': 'v\r\nInjected: 1' },
        }),
      ),
    ).toMatch(/upload_headers\.x-a holds a line break/);
    expect(
      read(S.webhookEndpoint, {
        endpoint_id: 'ep_1',
        url: 'https://h.example',
        events: null,
        status: 'enabled',
        created_at: '2026-03-25T12:00:00Z',
      }),
    ).toMatchObject({ events: [], created_at: '2026-03-25T12:00:00Z' });
  });
});

describe('through the client', () => {
  let fake: FakeHeygen;
  let body: CreateRenderRequest;
  beforeAll(async () => {
    fake = await startFakeHeygen();
    body = {
      project: { type: 'base64', media_type: 'application/zip', data: (await readFile(await zipFolder(FIXTURE))).toString('base64') },
    };
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.controls.clearFaults());

  const cases: [string, string, string, RegExp][] = [
    [
      '{"data": null} on create',
      'renders.create',
      '{"data": null}',
      /answer to POST \/v3\/hyperframes\/renders .* data is null, not an object/,
    ],
    ['a bare array on create', 'renders.create', '[1,2]', /body is a list, not an object/],
    ['HTML from a proxy', 'renders.create', '<html>502</html>', /not JSON/],
    ['{"data": {}} on create', 'renders.create', '{"data": {}}', /data\.render_id is missing/],
  ];
  for (const [name, route, raw, message] of cases) {
    it(`${name}: cloud_bad_response naming the field, exit 1`, async () => {
      fake.controls.inject({ route: route as 'renders.create', kind: 'raw', status: 202, body: raw });
      const e = (await clientFor(fake)
        .renders.create(body)
        .catch((x) => x)) as FramesmithError;
      expect([e.code, e.exitCode]).toEqual(['cloud_bad_response', 1]);
      expect(e.message).toMatch(message);
    });
  }

  it("reads a bare payload without the envelope, as HeyGen's own client does", async () => {
    fake.controls.inject({ route: 'renders.create', kind: 'raw', status: 202, body: '{"render_id":"hfr_bare"}' });
    expect(await clientFor(fake).renders.create(body)).toMatchObject({ render_id: 'hfr_bare', status: 'queued' });
  });

  it('a GET answered with another render is refused', async () => {
    const { render_id } = await clientFor(fake).renders.create(body);
    fake.controls.tamper(render_id, { render_id: 'hfr_someone_else' });
    const e = (await clientFor(fake)
      .renders.get(render_id)
      .catch((x) => x)) as FramesmithError;
    expect(e.code).toBe('cloud_bad_response');
    expect(e.message).toContain('data.render_id is "hfr_someone_else", another render');
  });
});
