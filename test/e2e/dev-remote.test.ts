/**
 * Remote files in the dev preview: the composition's CDN script, remote stylesheet (with its own
 * url()), module import and an unreachable image go through the dev server's remote-file
 * endpoint, answered from the content cache / network / npm registry. The browser talks to no
 * other origin; the missing image is a warning naming the URL, not the error overlay.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../../src/browser/launch.js';
import type { DevServer } from '../../src/dev/index.js';
import { GSAP_MIN, useFixture } from '../helpers/fixtures.js';
import { startFakeRegistry, startServer, type FakeRegistry, type TestServer } from '../helpers/remote-servers.js';
import { memoryLogger, openPreview, rawGet, startDev, waitFrame } from './dev-helpers.js';

let cdn: TestServer;
let registry: FakeRegistry;
let browser: LaunchedBrowser;
let server: DevServer;
let dir: string;
let cache: string;
const saved = { cache: process.env.FRAMESMITH_CACHE_DIR, registry: process.env.FRAMESMITH_NPM_REGISTRY };
const logger = memoryLogger();

beforeAll(async () => {
  cdn = await startServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/css/look.css')
      return void res
        .writeHead(200, { 'content-type': 'text/css' })
        .end('#title { color: rgb(0, 200, 0); } #root { background-image: url(/img/dot.svg); }');
    if (path === '/img/dot.svg')
      return void res
        .writeHead(200, { 'content-type': 'image/svg+xml' })
        .end('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
    res.writeHead(404).end();
  });
  registry = await startFakeRegistry({
    gsap: { '3.14.2': { files: { 'dist/gsap.min.js': readFileSync(GSAP_MIN) } } },
    tiny: { '1.0.0': { files: { 'package.json': '{"module":"index.js"}', 'index.js': 'export const answer = 42;' } } },
  });
  cache = mkdtempSync(join(tmpdir(), 'fs-dev-cache-'));
  // The dev server runs in this process: point its resolver at the local registry and a fresh cache.
  process.env.FRAMESMITH_CACHE_DIR = cache;
  process.env.FRAMESMITH_NPM_REGISTRY = registry.url;
  dir = useFixture('render-vars');
  const html = join(dir, 'index.html');
  writeFileSync(
    html,
    readFileSync(html, 'utf8')
      .replace(
        '<script src="vendor/gsap.min.js"></script>',
        '<script src="https://cdn.jsdelivr.net/npm/gsap@3.14.2/dist/gsap.min.js"></script>',
      )
      .replace('</head>', `<link rel="stylesheet" href="${cdn.origin}/css/look.css"></head>`)
      .replace('<div id="bar"', '<img src="https://images.example.invalid/photo.jpg" alt=""><div id="bar"')
      .replace(
        '</body>',
        '<script type="module">import { answer } from "https://esm.sh/tiny@1.0.0"; window.__answer = answer;</script></body>',
      ),
  );
  browser = await launchBrowser();
  server = await startDev(dir, { logger });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await cdn.close();
  await registry.close();
  process.env.FRAMESMITH_CACHE_DIR = saved.cache;
  process.env.FRAMESMITH_NPM_REGISTRY = saved.registry;
  rmSync(cache, { recursive: true, force: true });
});

describe('dev preview with remote files', () => {
  test('remote files come through the dev server; nothing else is contacted; an unreachable image is a warning', async () => {
    const page = await openPreview(browser, server);
    const foreign: string[] = [];
    page.context().on('request', (r) => {
      if (!r.url().startsWith(server.origin) && !r.url().startsWith('data:')) foreign.push(r.url());
    });
    await page.reload();
    await page.waitForFunction(() => window.__framesmithDev?.updates.length >= 1);
    // GSAP (from the registry) drives the bar: seek to the end and read the iframe.
    await page.keyboard.press('End');
    await waitFrame(page, 9);
    const frame = page.frames().find((f) => f.url().includes('/index.html'))!;
    expect(await frame.evaluate(() => typeof (window as Window & { gsap?: unknown }).gsap)).toBe('object');
    expect(await frame.evaluate(() => (window as Window & { __answer?: unknown }).__answer)).toBe(42);
    expect(await frame.evaluate(() => getComputedStyle(document.getElementById('title')!).color)).toBe('rgb(0, 200, 0)');
    expect(await frame.evaluate(() => getComputedStyle(document.getElementById('root')!).backgroundImage)).toContain(
      `/__framesmith/remote/http/127.0.0.1:${new URL(cdn.origin).port}/img/dot.svg`,
    );
    expect(foreign).toEqual([]);
    // No error overlay; the image is a warning in the problems list (the top bar's badge counts
    // it as a warning, not an error) and in the terminal.
    expect(await page.locator('.error-overlay').isHidden()).toBe(true);
    await page.waitForFunction(() => document.querySelector('.problems-popover')?.textContent?.includes('photo.jpg'));
    expect(await page.locator('.problems-badge').innerText()).toMatch(/^\d+ warnings?$/);
    await page.locator('.problems-badge').click();
    await expect.poll(() => page.locator('.problems-popover').isVisible()).toBe(true);
    const panel = await page.locator('.problems-popover').innerText();
    expect(panel).toContain('Could not load https://images.example.invalid/photo.jpg');
    expect(panel).toContain('framesmith vendor');
    expect(logger.lines.join('\n')).toMatch(
      /warning Could not load https:\/\/images\.example\.invalid\/photo\.jpg: its host name does not resolve/,
    );
    await page.context().close();
  });

  test('the endpoint refuses requests from other sites', async () => {
    const res = await rawGet(server.origin, '/__framesmith/remote/https/cdn.jsdelivr.net/npm/gsap@3.14.2/dist/gsap.min.js', {
      'sec-fetch-site': 'cross-site',
    });
    expect(res.status).toBe(403);
    const ok = await rawGet(server.origin, '/__framesmith/remote/https/cdn.jsdelivr.net/npm/gsap@3.14.2/dist/gsap.min.js', {
      'sec-fetch-site': 'same-origin',
    });
    expect(ok.status).toBe(200);
    expect(ok.body.length).toBe(readFileSync(GSAP_MIN).length);
    // Byte ranges, as media elements ask for them.
    const part = await rawGet(server.origin, '/__framesmith/remote/https/cdn.jsdelivr.net/npm/gsap@3.14.2/dist/gsap.min.js', {
      range: 'bytes=0-9',
    });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 0-9/${readFileSync(GSAP_MIN).length}`);
    expect(part.body).toBe(readFileSync(GSAP_MIN, 'utf8').slice(0, 10));
  });
});
