/**
 * Remote files in snapshot and render, through the CLI, against real servers on 127.0.0.1: the
 * first run fills the content cache, later runs are offline and byte-stable; an npm CDN URL the
 * CDN cannot serve comes from the registry; every bad remote input is a warning that names the
 * URL, what the picture lacks and the fix, and never stops the render; a damaged cache entry is
 * never served; a URL of another scheme is an error; a failed render leaves nothing behind.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentCache } from '../../src/remote/content-cache.js';
import { runCli } from '../helpers/cli.js';
import { GSAP_MIN, useFixture } from '../helpers/fixtures.js';
import { PNG } from '../helpers/png.js';
import { startFakeRegistry, startServer, type FakeRegistry, type TestServer } from '../helpers/remote-servers.js';

let cdn: TestServer;
let cdnUp = true;
let registry: FakeRegistry;
const temps: string[] = [];
const temp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
};

beforeAll(async () => {
  const gsap = readFileSync(GSAP_MIN);
  cdn = await startServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (!cdnUp) return void req.socket.destroy();
    if (path === '/lib/gsap.min.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(gsap);
    if (path === '/img/big.png')
      return void res.writeHead(200, { 'content-type': 'image/png', 'content-length': 200 * 1024 }).end(Buffer.alloc(200 * 1024));
    if (path === '/img/slow.png') return void setTimeout(() => res.writeHead(200).end('late'), 5000);
    if (path === '/loop') return void res.writeHead(302, { location: '/loop2' }).end();
    if (path === '/loop2') return void res.writeHead(302, { location: '/loop' }).end();
    if (path === '/login.js')
      return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>Please sign in</body></html>');
    res.writeHead(404).end('not found');
  });
  registry = await startFakeRegistry({
    gsap: { '3.14.2': { files: { 'package.json': '{"main":"dist/gsap.js","license":"Standard no charge"}', 'dist/gsap.min.js': gsap } } },
  });
});
afterAll(async () => {
  await cdn.close();
  await registry.close();
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** render-vars with GSAP from `gsapUrl` and extra markup in the root. */
function project(gsapUrl: string, extra = ''): string {
  const dir = useFixture('render-vars');
  const html = join(dir, 'index.html');
  writeFileSync(
    html,
    readFileSync(html, 'utf8')
      .replace('<script src="vendor/gsap.min.js"></script>', `<script src="${gsapUrl}"></script>`)
      .replace('<div id="bar"', `${extra}<div id="bar"`),
  );
  rmSync(join(dir, 'vendor'), { recursive: true, force: true });
  return dir;
}

const barX = (png: PNG) => {
  // The bar is the only orange thing on the 130–150 px rows.
  for (let x = 0; x < png.width; x++) {
    const [r, g, b] = png.pixel(x, 140);
    if (r > 200 && g > 120 && g < 200 && b < 80) return x;
  }
  return -1;
};

describe('remote files in snapshot and render', () => {
  it('the first run fills the cache; later runs are offline and give the same bytes', async () => {
    const cache = temp('fs-cache-');
    const dir = project(`${cdn.origin}/lib/gsap.min.js`);
    const env = { FRAMESMITH_CACHE_DIR: cache };
    const before = cdn.requests.length;
    const first = await runCli(['snapshot', dir, '--at', '0.5', '--out', join(dir, 'a'), '--json'], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).remote).toMatchObject({
      loaded: [{ url: `${cdn.origin}/lib/gsap.min.js`, via: 'network', kind: 'script' }],
      failed: [],
    });
    expect(cdn.requests.length).toBe(before + 1);
    cdnUp = false;
    try {
      const second = await runCli(['snapshot', dir, '--at', '0.5', '--out', join(dir, 'b'), '--json'], { env });
      expect(second.code, second.stderr).toBe(0);
      const result = JSON.parse(second.stdout);
      expect(result.remote.loaded).toMatchObject([{ via: 'cache' }]);
      expect(result.warnings).toEqual([]);
      const a = readFileSync(join(dir, 'a', 'still-0.500s.png'));
      const b = readFileSync(join(dir, 'b', 'still-0.500s.png'));
      expect(b.equals(a)).toBe(true);
      // GSAP ran: the bar moved half way.
      expect(barX(PNG.decode(b))).toBeGreaterThan(100);

      // A damaged entry is never served: removed, reported, the picture lacks it (the CDN is down).
      truncateSync(new ContentCache({ dir: cache }).pathsOf(`${cdn.origin}/lib/gsap.min.js`).body, 100);
      const third = await runCli(['snapshot', dir, '--at', '0.5', '--out', join(dir, 'c')], { env });
      expect(third.code, third.stderr).toBe(0);
      expect(third.stderr).toContain(
        `Could not load ${cdn.origin}/lib/gsap.min.js: the cached copy was damaged (it is truncated (100 of ${readFileSync(GSAP_MIN).length} bytes)) and was removed; `,
      );
      expect(third.stderr).toContain('its script does not run');
      // The script error that follows is a warning too, explained.
      expect(third.stderr).toContain(
        `Cannot read properties of null (reading 'timeline') (probably because ${cdn.origin}/lib/gsap.min.js could not be loaded)`,
      );
      expect(third.stderr).toContain('framesmith vendor');
      expect(barX(PNG.decode(readFileSync(join(dir, 'c', 'still-0.500s.png'))))).toBeLessThan(30);
    } finally {
      cdnUp = true;
    }
    // Online again: fetched again, and said so.
    await new ContentCache({ dir: cache }).put(`${cdn.origin}/lib/gsap.min.js`, Buffer.from('damaged'), {
      contentType: null,
      source: 'network',
    });
    writeFileSync(new ContentCache({ dir: cache }).pathsOf(`${cdn.origin}/lib/gsap.min.js`).body, 'dAmAgEd');
    const fourth = await runCli(['snapshot', dir, '--at', '0.5', '--out', join(dir, 'd')], { env });
    expect(fourth.code, fourth.stderr).toBe(0);
    expect(fourth.stderr).toContain('the cached copy was damaged (its content does not match its SHA-256) and was removed; fetched again');
    expect(readFileSync(join(dir, 'd', 'still-0.500s.png')).equals(readFileSync(join(dir, 'a', 'still-0.500s.png')))).toBe(true);
  });

  it('an npm CDN URL the CDN cannot serve comes from the npm registry (integrity checked), then from the cache', async () => {
    const cache = temp('fs-cache-');
    const dir = project('https://cdn.jsdelivr.net/npm/gsap@3.14.2/dist/gsap.min.js');
    const env = { FRAMESMITH_CACHE_DIR: cache, FRAMESMITH_NPM_REGISTRY: registry.url };
    const r = await runCli(['render', dir, '-o', join(dir, 'out.mp4'), '--fps', '10', '--no-thumbnail', '--json'], {
      env,
      timeoutMs: 90_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.remote.loaded).toMatchObject([
      { url: 'https://cdn.jsdelivr.net/npm/gsap@3.14.2/dist/gsap.min.js', via: 'npm', detail: 'gsap@3.14.2/dist/gsap.min.js' },
    ]);
    expect(result.warnings).toEqual([]);
    expect(registry.tarballs()).toBeGreaterThanOrEqual(1);
    const tarballs = registry.tarballs();
    const again = await runCli(['snapshot', dir, '--at', '1', '--out', join(dir, 's'), '--json'], {
      env: { FRAMESMITH_CACHE_DIR: cache, FRAMESMITH_OFFLINE: '1' },
    });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).remote.loaded).toMatchObject([{ via: 'cache', source: 'npm' }]);
    expect(registry.tarballs()).toBe(tarballs);
    expect(barX(PNG.decode(readFileSync(join(dir, 's', 'still-1.000s.png'))))).toBeGreaterThan(200);
  });

  it('404, timeout, redirect loop, over the cap, HTML instead of a script: warnings naming each URL; the render goes on (exit 0)', async () => {
    const cache = temp('fs-cache-');
    const C = cdn.origin;
    const dir = project(
      `${C}/lib/gsap.min.js`,
      `<img src="${C}/img/missing.png" alt=""><img src="${C}/img/slow.png" alt=""><img src="${C}/loop" alt=""><img src="${C}/img/big.png" alt=""><script src="${C}/login.js"></script>`,
    );
    const env = { FRAMESMITH_CACHE_DIR: cache, FRAMESMITH_FETCH_TIMEOUT_MS: '800', FRAMESMITH_CACHE_MAX_ENTRY: '100K' };
    const r = await runCli(['render', dir, '--fps', '10', '--no-thumbnail', '--json'], { env, timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    const byUrl = Object.fromEntries(
      result.warnings
        .filter((w: { code: string }) => w.code === 'remote_unavailable')
        .map((w: { message: string }) => [w.message.split(' ')[3].replace(/:$/, ''), w.message]),
    );
    expect(byUrl[`${C}/img/missing.png`]).toBe(
      `Could not load ${C}/img/missing.png: does not exist (HTTP 404); the image is not drawn. It is a warning, not an error: the cloud has a network.`,
    );
    expect(byUrl[`${C}/img/slow.png`]).toContain('did not answer within 0.8 s');
    expect(byUrl[`${C}/loop`]).toContain('redirects in a loop');
    expect(byUrl[`${C}/img/big.png`]).toContain('is 200 KiB, over the 100 KiB limit for one cached file');
    expect(byUrl[`${C}/login.js`]).toContain('returned an HTML page where a script was expected; its script does not run');
    expect(
      result.warnings.every(
        (w: { hint?: string; code: string }) => w.code !== 'remote_unavailable' || w.hint?.includes('framesmith vendor'),
      ),
    ).toBe(true);
    expect(result.blocked.sort()).toEqual([`${C}/img/big.png`, `${C}/img/missing.png`, `${C}/img/slow.png`, `${C}/login.js`, `${C}/loop`]);
    expect(existsSync(join(dir, 'renders', 'render-vars.mp4'))).toBe(true);
  });

  it('a URL of another scheme is an error in lint, build, snapshot and render (no still, no video), and a failed render leaves no renders/ folder', async () => {
    const dir = project('vendor/gsap.min.js', '<img src="ftp://example.org/logo.png" alt="">');
    // GSAP stays local here (a missing local file would stop snapshot first, for its own reason).
    cpSync(join(useFixture('render-vars'), 'vendor'), join(dir, 'vendor'), { recursive: true });
    const lint = await runCli(['lint', dir], { env: { FRAMESMITH_CACHE_DIR: temp('fs-cache-') } });
    expect(lint.code).toBe(1);
    expect(lint.stdout).toMatch(
      /unsupported_url_scheme: ftp:\/\/example\.org\/logo\.png uses a scheme framesmith and the cloud cannot load; the image is not drawn/,
    );
    const snap = await runCli(['snapshot', dir, '--at', '0'], { env: { FRAMESMITH_CACHE_DIR: temp('fs-cache-') } });
    expect(snap.stderr).toMatch(
      /error index\.html: ftp:\/\/example\.org\/logo\.png uses a scheme framesmith and the cloud cannot load; whatever uses it is missing\. \[unsupported_url_scheme\]/,
    );
    // Refused on purpose, as lint and build refuse it (the cloud would draw a hole): exit 1, no still.
    expect(snap.code).toBe(1);
    expect(existsSync(join(dir, 'snapshots'))).toBe(false);
    const build = await runCli(['build', dir, '-o', join(temp('fs-zip-'), 'out.zip')], {
      env: { FRAMESMITH_CACHE_DIR: temp('fs-cache-') },
    });
    expect(build.code).toBe(1);
    expect(build.stderr).toMatch(/ftp:\/\/example\.org\/logo\.png uses a scheme framesmith and the cloud cannot load/);
    const rendered = await runCli(['render', dir, '--no-thumbnail'], {
      env: { FRAMESMITH_CACHE_DIR: temp('fs-cache-') },
      timeoutMs: 60_000,
    });
    expect(rendered.code).toBe(1);
    expect(rendered.stderr).toMatch(
      /error .*ftp:\/\/example\.org\/logo\.png uses a scheme framesmith and the cloud cannot load; whatever uses it is missing\. \[unsupported_url_scheme\]/,
    );
    expect(readdirSync(dir)).not.toContain('renders');
    const thrower = useFixture('render-throws');
    // A script that throws before its timeline registers: a render HeyGen refuses too. (A throw
    // inside a timeline callback renders there, with a warning here.)
    const page = join(thrower, 'index.html');
    writeFileSync(
      page,
      readFileSync(page, 'utf8').replace(/tl\.call\(\(\) => \{ throw (new Error\('[^']*'\)); \}, \[\], 1\);/, 'throw $1;'),
    );
    const render = await runCli(['render', thrower, '--no-thumbnail'], {
      env: { FRAMESMITH_CACHE_DIR: temp('fs-cache-') },
      timeoutMs: 60_000,
    });
    expect(render.code).toBe(1);
    expect(readdirSync(thrower)).not.toContain('renders');
  });
});
