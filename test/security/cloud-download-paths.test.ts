// Probe 3 of issue 13: `renders get --download` must not write where the server says. A render id
// or format holding `../`, and download links to file://, the link-local metadata address or the
// local network: refused before any byte is written or any connection made, with no retries.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeHeygen, type FakeHeygen } from '../fake-heygen/index.js';
import { cli, expectClean, filesIn, KEY, makeRender, tempDir } from './cloud-helpers.js';

let fake: FakeHeygen;
beforeAll(async () => {
  fake = await startFakeHeygen({ apiKeys: [KEY], autoAdvance: false });
});
afterAll(() => fake.close());
beforeEach(() => fake.controls.clearFaults());

/** A work folder two levels down, so a `../` escape would land in folders the test can see. */
async function nested() {
  const root = await tempDir();
  const cwd = join(root, 'a', 'b');
  await import('node:fs/promises').then((fs) => fs.mkdir(cwd, { recursive: true }));
  return { root, cwd };
}

describe('ids and formats from the server', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['a render_id holding ../', { render_id: '../../../evil' }, /data\.render_id is "\.\.\/\.\.\/\.\.\/evil", not an id/],
    ['a format holding ../', { format: '../../../../evil' }, /data\.format is "\.\.\/\.\.\/\.\.\/\.\.\/evil", not one of mp4, webm, mov/],
    ['an absolute format', { format: '/tmp/evil' }, /data\.format is "\/tmp\/evil", not one of mp4, webm, mov/],
  ];
  for (const [name, fields, message] of cases) {
    it(`${name}: cloud_bad_response, nothing written anywhere`, async () => {
      const id = await makeRender(fake, { finished: true });
      fake.controls.tamper(id, fields);
      const { root, cwd } = await nested();
      const storage = fake.controls.requests('storage.get').length;
      const r = await cli(fake, ['renders', 'get', id, '--download'], { cwd });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/\[cloud_bad_response\]/);
      expect(await filesIn(root)).toEqual(['a', join('a', 'b')]);
      expect(fake.controls.requests('storage.get').length).toBe(storage);
      expectClean(r);
    });
  }

  it('a render id with ../ in the create answer of `render --cloud` is refused before it names anything', async () => {
    fake.controls.inject({
      route: 'renders.create',
      kind: 'raw',
      status: 202,
      body: '{"data":{"render_id":"../../../../tmp/evil","status":"queued"}}',
    });
    const { root, cwd } = await nested();
    const r = await cli(fake, ['render', '--cloud', '--asset-id', 'asset_x', '--no-wait'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/data\.render_id is "\.\.\/\.\.\/\.\.\/\.\.\/tmp\/evil", not an id/);
    expect(await filesIn(root)).toEqual(['a', join('a', 'b')]);
  });
});

describe('download links', () => {
  const cases: [string, string, RegExp][] = [
    ['file://', 'file:///etc/passwd', /data\.video_url is "file:\/\/\/etc\/passwd", not an http\(s\) URL/],
    [
      'the link-local metadata address',
      'https://169.254.169.254/latest/meta-data/iam.mp4',
      /169\.254\.169\.254 is a link-local address \(where cloud metadata services answer\)/,
    ],
    ['the IPv6-mapped metadata address', 'https://[::ffff:169.254.169.254]/x.mp4', /is a link-local address/],
    ['an address on the local network', 'https://10.20.30.40/x.mp4', /10\.20\.30\.40 is an address on the local network/],
    ['plain http to another host', 'http://downloads.example.com/x.mp4', /plain http to another host than the API/],
  ];
  for (const [name, url, message] of cases) {
    it(`${name}: refused at once (no retries), nothing written`, async () => {
      const id = await makeRender(fake, { finished: true });
      fake.controls.tamper(id, { video_url: url });
      const { cwd } = await nested();
      const gets = fake.controls.requests('renders.get').length;
      const r = await cli(fake, ['renders', 'get', id, '--download', '--verbose'], { cwd });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/retrying/);
      expect(r.stderr).not.toMatch(/cut off|starting again/);
      expect(fake.controls.requests('renders.get').length - gets).toBe(1);
      expect(existsSync(join(cwd, 'renders')) ? await readdir(join(cwd, 'renders')) : []).toEqual([]);
      expectClean(r);
    });
  }

  it('the video goes under renders/ of the current folder, named by the validated id, nothing above it', async () => {
    const id = await makeRender(fake, { finished: true });
    const { root, cwd } = await nested();
    const r = await cli(fake, ['renders', 'get', id, '--download'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(join(cwd, 'renders', `${id}.mp4`));
    expect((await filesIn(root)).filter((f) => !f.startsWith(join('a', 'b', 'renders')) && f !== 'a' && f !== join('a', 'b'))).toEqual([]);
    expect(dirname(r.stdout.trim())).toBe(join(cwd, 'renders'));
  });
});
