// Probe 2 of issue 13: the API answers with a redirect to another host. The key must not follow:
// redirects are handled by hand, same origin only (with the key), anything else refused.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHeygen, type FakeHeygen } from '../fake-heygen/index.js';
import { cli, expectClean, KEY, tempDir } from './cloud-helpers.js';

let fake: FakeHeygen;
let other: { url: string; seen: IncomingHttpHeaders[]; close(): Promise<unknown> };

beforeAll(async () => {
  fake = await startFakeHeygen({ apiKeys: [KEY], bearerTokens: ['oauth_PROBE_TOKEN_4242'] });
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  other = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise((r) => server.close(r)) };
});
afterAll(async () => {
  await other.close();
  await fake.close();
});

describe('a 307 from the API to another host', () => {
  it('renders list: refused, the other host receives nothing, the key is not printed', async () => {
    fake.controls.inject({ route: 'renders.list', kind: 'redirect', status: 307, location: `${other.url}/v3/hyperframes/renders` });
    const r = await cli(fake, ['renders', 'list'], { cwd: await tempDir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `HeyGen answered GET /v3/hyperframes/renders with a redirect (307) to another origin, ${other.url}; the API key is sent only to ${fake.url}, so framesmith did not follow it.`,
    );
    expect(r.stderr).toMatch(/\[cloud_redirect_refused\]/);
    expect(other.seen).toEqual([]);
    expectClean(r);
  });

  it('an OAuth token is kept to the API origin the same way', async () => {
    fake.controls.inject({ route: 'renders.list', kind: 'redirect', status: 308, location: `${other.url}/steal` });
    const r = await cli(fake, ['renders', 'list'], {
      cwd: await tempDir(),
      env: { HEYGEN_API_KEY: undefined, HEYGEN_ACCESS_TOKEN: 'oauth_PROBE_TOKEN_4242' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the access token is sent only to/);
    expect(other.seen).toEqual([]);
    expect(r.stderr + r.stdout).not.toContain('oauth_PROBE_TOKEN_4242');
  });

  it('a create (POST) redirected elsewhere is refused before anything is rendered', async () => {
    fake.controls.inject({ route: 'renders.create', kind: 'redirect', status: 307, location: `${other.url}/v3/hyperframes/renders` });
    const before = fake.state.rendersCreated;
    const r = await cli(fake, ['render', '--cloud', '--asset-id', 'asset_none', '--no-wait'], { cwd: await tempDir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/POST \/v3\/hyperframes\/renders with a redirect \(307\) to another origin/);
    expect(fake.state.rendersCreated).toBe(before);
    expect(other.seen).toEqual([]);
    expectClean(r);
  });

  it('a redirect within the API origin is still followed, with the key', async () => {
    fake.controls.inject({ route: 'renders.list', kind: 'redirect', status: 307, location: `${fake.url}/v3/hyperframes/renders?limit=5` });
    const r = await cli(fake, ['renders', 'list', '--json'], { cwd: await tempDir() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).ok).toBe(true);
    expect(
      fake.controls
        .requests('renders.list')
        .slice(-2)
        .map((q) => [q.status, q.auth]),
    ).toEqual([
      [307, 'key'],
      [200, 'key'],
    ]);
  });
});
