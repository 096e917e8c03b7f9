import { mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentCache, parseSize } from '../../../src/remote/content-cache.js';
import { fetchRemote } from '../../../src/remote/http.js';
import { RemoteResolver } from '../../../src/remote/resolver.js';
import { NpmRegistry } from '../../../src/remote/npm-registry.js';
import { startFakeRegistry, startServer, type FakeRegistry, type TestServer } from '../../helpers/remote-servers.js';

let cdn: TestServer;
let registry: FakeRegistry;
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'fs-remote-'));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  cdn = await startServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/ok.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end('window.ok = 1;');
    if (path === '/font.woff2') return void res.writeHead(200, { 'content-type': 'font/woff2' }).end(Buffer.from('wOF2 binary'));
    if (path === '/missing.js') return void res.writeHead(404).end('not here');
    if (path === '/broken.js') return void res.writeHead(503).end('down');
    if (path === '/slow.js') return void setTimeout(() => res.writeHead(200).end('late'), 3000);
    if (path === '/loop-a') return void res.writeHead(302, { location: '/loop-b' }).end();
    if (path === '/loop-b') return void res.writeHead(302, { location: '/loop-a' }).end();
    if (path === '/hop') return void res.writeHead(301, { location: '/ok.js' }).end();
    if (path === '/to-ftp') return void res.writeHead(302, { location: 'ftp://example.org/x.js' }).end();
    if (path === '/big.bin') return void res.writeHead(200, { 'content-length': 4096 }).end(Buffer.alloc(4096));
    if (path === '/big-chunked.bin') {
      res.writeHead(200);
      for (let i = 0; i < 8; i++) res.write(Buffer.alloc(1024));
      return void res.end();
    }
    if (path === '/login.woff2')
      return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>Sign in</body></html>');
    if (path === '/login.js')
      return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html><head><title>Error</title></head></html>');
    res.writeHead(404).end();
  });
  registry = await startFakeRegistry({
    anim: { '1.0.0': { files: { 'package.json': '{"main":"anim.js"}', 'anim.js': 'window.anim = "from npm";' } } },
  });
});
afterAll(async () => {
  await cdn.close();
  await registry.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('fetchRemote', () => {
  const get = (path: string, options: Partial<Parameters<typeof fetchRemote>[1]> = {}) =>
    fetchRemote(`${cdn.origin}${path}`, { maxBytes: 2048, ...options });
  it('fetches and follows redirects', async () => {
    expect((await get('/ok.js')).bytes.toString()).toBe('window.ok = 1;');
    const hop = await get('/hop');
    expect(hop.finalUrl).toBe(`${cdn.origin}/ok.js`);
  });
  it('names the URL and the problem for each bad answer', async () => {
    await expect(get('/missing.js')).rejects.toMatchObject({
      code: 'remote_not_found',
      message: `${cdn.origin}/missing.js does not exist (HTTP 404).`,
    });
    await expect(get('/broken.js')).rejects.toMatchObject({ code: 'remote_http_error', message: expect.stringContaining('HTTP 503') });
    await expect(get('/slow.js', { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'remote_timeout',
      message: `${cdn.origin}/slow.js did not answer within 0.3 s.`,
    });
    await expect(get('/loop-a')).rejects.toMatchObject({
      code: 'remote_redirect_loop',
      message: expect.stringContaining('redirects in a loop'),
    });
    await expect(get('/to-ftp')).rejects.toMatchObject({ code: 'remote_unsupported_scheme', message: expect.stringContaining('ftp:') });
    await expect(get('/big.bin')).rejects.toMatchObject({
      code: 'remote_too_large',
      message: expect.stringContaining('over the 2 KiB limit'),
      hint: expect.stringContaining('FRAMESMITH_CACHE_MAX_ENTRY'),
    });
    await expect(get('/big-chunked.bin')).rejects.toMatchObject({ code: 'remote_too_large' });
    await expect(get('/login.woff2', { expect: 'font' })).rejects.toMatchObject({
      code: 'remote_unexpected_html',
      message: expect.stringContaining('returned an HTML page where a font was expected'),
    });
    await expect(get('/login.js', { expect: 'script' })).rejects.toMatchObject({ code: 'remote_unexpected_html' });
    expect((await get('/font.woff2', { expect: 'font' })).bytes.toString()).toBe('wOF2 binary');
    await expect(fetchRemote('file:///etc/passwd', { maxBytes: 10 })).rejects.toMatchObject({
      code: 'remote_unsupported_scheme',
      message: 'file:///etc/passwd uses the file: scheme; only http(s) URLs and project files can be loaded.',
    });
    const closed = await startServer(() => {});
    await closed.close();
    await expect(fetchRemote(`${closed.origin}/x.js`, { maxBytes: 10 })).rejects.toMatchObject({
      code: 'remote_unreachable',
      message: expect.stringContaining('connection was refused'),
    });
  });
});

describe('content cache', () => {
  it('stores atomically, detects truncated and corrupted entries and never serves them', async () => {
    const cache = new ContentCache({ dir: tmp() });
    await cache.put('https://x/a.js', Buffer.from('abcdef'), { contentType: 'text/javascript', source: 'network' });
    expect(cache.hasSync('https://x/a.js')).toBe(true);
    const hit = await cache.get('https://x/a.js');
    expect(hit.status === 'hit' && hit.bytes.toString()).toBe('abcdef');
    // Truncated body.
    truncateSync(cache.pathsOf('https://x/a.js').body, 3);
    expect(await cache.get('https://x/a.js')).toEqual({ status: 'corrupt', reason: 'it is truncated (3 of 6 bytes)' });
    expect(await cache.get('https://x/a.js')).toEqual({ status: 'miss' });
    // Same size, other bytes.
    await cache.put('https://x/a.js', Buffer.from('abcdef'), { contentType: null, source: 'network' });
    writeFileSync(cache.pathsOf('https://x/a.js').body, 'abcxyz');
    expect(await cache.get('https://x/a.js')).toEqual({ status: 'corrupt', reason: 'its content does not match its SHA-256' });
    // Unreadable record.
    await cache.put('https://x/a.js', Buffer.from('abcdef'), { contentType: null, source: 'network' });
    writeFileSync(cache.pathsOf('https://x/a.js').record, '{"key":');
    expect((await cache.get('https://x/a.js')).status).toBe('corrupt');
    // No temp files are left.
    expect(readdirSync(join(cache.dir, 'content')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses an entry over the per-entry cap and evicts the least recently used past the total cap', async () => {
    const cache = new ContentCache({ dir: tmp(), maxEntryBytes: 100, maxTotalBytes: 250 });
    await expect(cache.put('k', Buffer.alloc(101), { contentType: null, source: 'network' })).rejects.toMatchObject({
      code: 'remote_too_large',
    });
    await cache.put('a', Buffer.alloc(100), { contentType: null, source: 'network' });
    await new Promise((r) => setTimeout(r, 20));
    await cache.put('b', Buffer.alloc(100), { contentType: null, source: 'network' });
    await new Promise((r) => setTimeout(r, 20));
    await cache.get('a'); // a is now more recent than b
    await new Promise((r) => setTimeout(r, 20));
    await cache.put('c', Buffer.alloc(100), { contentType: null, source: 'network' });
    expect((await cache.get('b')).status).toBe('miss');
    expect((await cache.get('a')).status).toBe('hit');
    expect((await cache.get('c')).status).toBe('hit');
    expect(await cache.usage()).toEqual({ bytes: 200, entries: 2 });
  });

  it('reads sizes with K/M/G', () => {
    expect(parseSize('50M', 'X')).toBe(50 * 1024 * 1024);
    expect(parseSize('1.5k', 'X')).toBe(1536);
    expect(parseSize('1024', 'X')).toBe(1024);
    expect(() => parseSize('lots', 'FRAMESMITH_CACHE_MAX_ENTRY')).toThrow(/FRAMESMITH_CACHE_MAX_ENTRY="lots" is not a size/);
  });
});

describe('RemoteResolver', () => {
  const resolver = (dir: string, offline = false) => {
    const cache = new ContentCache({ dir });
    return new RemoteResolver({
      cache,
      offline,
      npm: new NpmRegistry({ cache, offline, config: { registry: registry.url, scopes: {}, tokens: {} } }),
    });
  };

  it('fetches once, then serves from the cache offline and byte for byte', async () => {
    const dir = tmp();
    const url = `${cdn.origin}/ok.js`;
    const before = cdn.requests.length;
    const first = await resolver(dir).get(url, 'script');
    expect(first.via).toBe('network');
    const second = await resolver(dir, true).get(url, 'script');
    expect(second.via).toBe('cache');
    expect(second.bytes.equals(first.bytes)).toBe(true);
    expect(cdn.requests.length).toBe(before + 1);
  });

  it('fills an npm CDN URL the CDN cannot serve from the registry, and caches it under the URL', async () => {
    const dir = tmp();
    const url = 'https://cdn.jsdelivr.net/npm/anim@1.0.0/anim.js';
    const r = await resolver(dir).get(url, 'script');
    expect(r).toMatchObject({ via: 'npm', detail: 'anim@1.0.0/anim.js' });
    expect(r.bytes.toString()).toBe('window.anim = "from npm";');
    expect(r.networkError).toMatch(/cdn\.jsdelivr\.net.*could not be fetched/);
    const again = await resolver(dir, true).get(url, 'script');
    expect(again).toMatchObject({ via: 'cache', source: 'npm' });
  });

  it('a module CDN URL becomes a module re-exporting the package entry', async () => {
    const dir = tmp();
    const r = await resolver(dir).get('https://esm.sh/anim@1.0.0', 'script');
    expect(r.bytes.toString()).toBe('export * from "https://esm.sh/anim@1.0.0/anim.js";\n');
  });

  it('says why a URL could not be had, and refetches a damaged cache entry', async () => {
    const dir = tmp();
    await expect(resolver(dir).get(`${cdn.origin}/missing.js`, 'script')).rejects.toMatchObject({
      code: 'remote_unavailable',
      message: `${cdn.origin}/missing.js does not exist (HTTP 404).`,
    });
    await expect(resolver(dir).get('https://cdn.jsdelivr.net/npm/no-such-pkg@1/x.js', 'script')).rejects.toMatchObject({
      code: 'remote_unavailable',
      message: expect.stringMatching(
        /^https:\/\/cdn\.jsdelivr\.net\/npm\/no-such-pkg@1\/x\.js could not be loaded: its host name does not resolve \(offline\?\); There is no npm package named "no-such-pkg"/,
      ),
    });
    await expect(resolver(dir).get('https://cdn.jsdelivr.net/npm/anim@7.0.0/anim.js', 'script')).rejects.toMatchObject({
      message: expect.stringContaining('npm package "anim" has no version matching "7.0.0"'),
    });
    await expect(resolver(dir, true).get(`${cdn.origin}/never-fetched.js`)).rejects.toMatchObject({
      code: 'remote_unavailable',
      message: expect.stringContaining('offline'),
    });
    const url = `${cdn.origin}/ok.js`;
    await resolver(dir).get(url);
    truncateSync(new ContentCache({ dir }).pathsOf(url).body, 2);
    const again = await resolver(dir).get(url);
    expect(again).toMatchObject({
      via: 'network',
      repaired: 'the cached copy was damaged (it is truncated (2 of 14 bytes)) and was removed',
    });
    truncateSync(new ContentCache({ dir }).pathsOf(url).body, 2);
    await expect(resolver(dir, true).get(url)).rejects.toMatchObject({
      message: expect.stringMatching(/cached copy was damaged .* and was removed; framesmith is offline/),
    });
  });
});
