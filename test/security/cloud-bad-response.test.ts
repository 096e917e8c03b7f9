// Probe 7 (the API part) of issue 13: an answer with the right envelope and the wrong shape
// (`{"data": null}` and friends) crashed `render --cloud`. Every answer is now read by its schema:
// a clear cloud_bad_response naming the field, exit 1, never "framesmith crashed" (exit 70).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeHeygen, type FakeHeygen, type RouteName } from '../fake-heygen/index.js';
import { cli, expectClean, KEY, makeRender, tempDir } from './cloud-helpers.js';

let fake: FakeHeygen;
beforeAll(async () => {
  fake = await startFakeHeygen({ apiKeys: [KEY] });
});
afterAll(() => fake.close());
beforeEach(() => fake.controls.clearFaults());

const cases: [string, RouteName, string, string[] | ((id: string) => string[]), RegExp][] = [
  [
    '{"data": null} to render --cloud',
    'renders.create',
    '{"data": null}',
    ['render', '--cloud', '--asset-id', 'asset_1', '--no-wait'],
    /POST \/v3\/hyperframes\/renders does not have the documented shape: data is null, not an object/,
  ],
  [
    'a create answer without render_id',
    'renders.create',
    '{"data": {"status": "queued"}}',
    ['render', '--cloud', '--asset-id', 'asset_1', '--no-wait'],
    /data\.render_id is missing/,
  ],
  [
    '{"data": null} to renders get',
    'renders.get',
    '{"data": null}',
    (id) => ['renders', 'get', id],
    /GET \/v3\/hyperframes\/renders\/hfr_\w+ does not have the documented shape: data is null/,
  ],
  [
    'a status that is a number',
    'renders.get',
    '{"data": {"render_id": "__ID__", "status": 3}}',
    (id) => ['renders', 'get', id, '--download'],
    /data\.status is number 3, not a status/,
  ],
  [
    'a list whose data is an object',
    'renders.list',
    '{"data": {"renders": []}}',
    ['renders', 'list'],
    /body\.data is an object, not a list/,
  ],
  [
    'a webhook endpoint without its id',
    'webhooks.create',
    '{"data": {"url": "https://h.example"}}',
    ['webhooks', 'add', 'https://h.example/x'],
    /data\.endpoint_id is missing/,
  ],
  [
    'an upload answer whose headers hold a line break',
    'assets.directUpload',
    '{"data": {"asset_id": "asset_1", "upload_url": "https://s.example/u", "upload_headers": {"x-a": "1\\r\\nx-api-key: leak"}}}',
    [],
    /upload_headers\.x-a holds a line break/,
  ],
];

describe('answers of the wrong shape', () => {
  for (const [name, route, raw, args, message] of cases) {
    if (!Array.isArray(args) || args.length) {
      it(`${name}: cloud_bad_response naming the field, exit 1, no crash`, async () => {
        const id = await makeRender(fake);
        fake.controls.inject({ route, kind: 'raw', status: route === 'renders.create' ? 202 : 200, body: raw.replace('__ID__', id) });
        const r = await cli(fake, typeof args === 'function' ? args(id) : args, { cwd: await tempDir() });
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).toMatch(/\[cloud_bad_response\]/);
        expectClean(r);
      });
    }
  }

  it('the direct upload of a batch: a header with a line break never reaches the PUT', async () => {
    const { zipFolder } = await import('../fake-heygen/make-zip.js');
    const { FIXTURE } = await import('./cloud-helpers.js');
    const { writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const cwd = await tempDir();
    const zip = await zipFolder(FIXTURE);
    await writeFile(join(cwd, 'rows.json'), '[{"headline":"a"},{"headline":"b"}]');
    const [, , raw, , message] = cases.at(-1)!;
    fake.controls.inject({ route: 'assets.directUpload', kind: 'raw', body: raw });
    const puts = fake.controls.requests('storage.put').length;
    // A batch always uploads its zip as an asset (the direct upload), so the answer above is read.
    const { runCloudRender } = await import('../../src/cloud/run-cloud-render.js');
    const { createCloudClient } = await import('../../src/cloud/client.js');
    const e = await runCloudRender({
      zip,
      cwd,
      client: createCloudClient({ apiKey: KEY, baseUrl: fake.url }),
      batch: { file: 'rows.json' },
    }).catch((x) => x);
    expect(e.code).toBe('cloud_bad_response');
    expect(e.message).toMatch(message);
    expect(fake.controls.requests('storage.put').length).toBe(puts);
  });
});
