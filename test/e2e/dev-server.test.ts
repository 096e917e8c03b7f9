/**
 * `framesmith dev` as a server, through raw HTTP and websocket clients and the real CLI: what a
 * composition document looks like when served, what it refuses (`..`, dotfiles, symlinks out,
 * foreign hosts and origins), a busy port, Ctrl+C, bad folders.
 */
import { readFileSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import type { DevServer } from '../../src/dev/index.js';
import { DEV_WS_PATH, type DevServerMessage } from '../../shared/dev-protocol.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, useFixture } from '../helpers/fixtures.js';
import { rawGet, spawnDev, startDev } from './dev-helpers.js';

describe('serving a plain project (no package.json)', () => {
  let dir: string;
  let server: DevServer;
  beforeAll(async () => {
    dir = useFixture('dev-basic');
    const outside = join(dirname(dir), 'outside-secret.txt');
    writeFileSync(outside, 'TOP SECRET');
    writeFileSync(join(dir, '.env'), 'HEYGEN_API_KEY=sk-should-never-leak');
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'config'), '[core] secret');
    symlinkSync('/etc', join(dir, 'etc-link'));
    symlinkSync(outside, join(dir, 'linked-secret.txt'));
    server = await startDev(dir);
  });
  afterAll(() => server?.close());

  test('the preview page is at /__framesmith/ and / leads to it', async () => {
    const page = await rawGet(server.origin, '/__framesmith/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('/__framesmith/overlay/overlay.js');
    const root = await rawGet(server.origin, '/?composition=index.html');
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/__framesmith/?composition=index.html');
  });

  test('a composition document is the user file plus the runtime, with nothing of Vite', async () => {
    const original = readFileSync(join(dir, 'index.html'), 'utf8');
    const doc = await rawGet(server.origin, '/index.html', { 'sec-fetch-dest': 'iframe' });
    expect(doc.status).toBe(200);
    const runtimeSrc = /<script src="(\/__framesmith\/runtime\.js\?v=\w+)"><\/script>/.exec(doc.body)?.[1];
    expect(runtimeSrc).toBeDefined();
    expect(doc.body).not.toContain('@vite');
    // Only the two runtime tags are added, on the <head> line: user line numbers stay true.
    expect(doc.body.replace(/<script>window\.__framesmithBoot=[^<]*<\/script><script src="[^"]+"><\/script>/, '')).toBe(original);
    expect(doc.body.split('\n').length).toBe(original.split('\n').length);
    // The versioned runtime is kept by the browser across reloads.
    const runtime = await rawGet(server.origin, runtimeSrc!);
    expect(runtime.status).toBe(200);
    expect(runtime.headers['cache-control']).toMatch(/immutable/);
    expect(runtime.body).toContain('__framesmith');
  });

  test('variables in the iframe URL become the boot options; bad JSON is ignored', async () => {
    const withVars = await rawGet(
      server.origin,
      `/index.html?__fsboot=${encodeURIComponent(JSON.stringify({ variables: { title: 'Hi </script>' } }))}`,
      { 'sec-fetch-dest': 'iframe' },
    );
    expect(withVars.body).toContain(
      'window.__framesmithBoot={"paint":"raf","engineMode":"preview","variables":{"title":"Hi \\u003c/script>"}}',
    );
    const bad = await rawGet(server.origin, '/index.html?__fsboot=%7Bnot-json', { 'sec-fetch-dest': 'iframe' });
    expect(bad.status).toBe(200);
    expect(bad.body).toContain('window.__framesmithBoot={"paint":"raf","engineMode":"preview"}');
  });

  test('classic scripts, stylesheets and fetched HTML come back exactly as written', async () => {
    const script = await rawGet(server.origin, '/app.js', { 'sec-fetch-dest': 'script', 'sec-fetch-mode': 'no-cors' });
    expect(script.body).toBe(readFileSync(join(dir, 'app.js'), 'utf8'));
    const css = await rawGet(server.origin, '/style.css', { 'sec-fetch-dest': 'style', 'sec-fetch-mode': 'no-cors' });
    expect(css.body).toBe(readFileSync(join(dir, 'style.css'), 'utf8'));
    expect(css.headers['content-type']).toMatch(/text\/css/);
    const fetched = await rawGet(server.origin, '/index.html', { 'sec-fetch-dest': 'empty', 'sec-fetch-mode': 'cors' });
    expect(fetched.body).toBe(readFileSync(join(dir, 'index.html'), 'utf8'));
  });

  test('the state API gives the model and lint findings', async () => {
    const r = await rawGet(server.origin, '/__framesmith/api/state?composition=index.html');
    const state = JSON.parse(r.body);
    expect(state.model.composition).toMatchObject({ id: 'main', width: 640, height: 360, duration: 2 });
    expect(state.model.composition.variables.map((v: { id: string }) => v.id)).toEqual(['title', 'boxColor', 'size', 'showTitle', 'mode']);
    expect(state.entries).toEqual(['index.html']);
    expect(state.fatal).toBeNull();
  });

  test.each([
    '/../outside-secret.txt',
    '/../../../../etc/passwd',
    '/%2e%2e/outside-secret.txt',
    '/..%2f..%2fetc/passwd',
    '/.env',
    '/.env?raw',
    '/.env?import',
    '/.git/config',
    '/%2eenv',
    '/etc-link/passwd',
    '/linked-secret.txt',
    '/linked-secret.txt?raw',
    '/@fs/etc/passwd',
    '/@fs/etc/passwd?raw',
  ])('refuses %s with the answer a missing file gets (404)', async (path) => {
    const r = await rawGet(server.origin, path);
    const missing = await rawGet(server.origin, '/no-such-file.txt');
    expect(r.status).toBe(404);
    expect(r.body).toBe(missing.body);
    expect(r.body).not.toMatch(/root:|SECRET|sk-should-never-leak|\[core\]/);
  });

  test('refuses a dotfile through /@fs/ and a request naming another host (DNS rebinding)', async () => {
    const viaFs = await rawGet(server.origin, `/@fs${dir}/.env`);
    expect(viaFs.status).toBe(404);
    expect(viaFs.body).not.toContain('sk-should-never-leak');
    const foreign = await rawGet(server.origin, '/index.html', { host: 'evil.example.com' });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatch(/not this machine/);
  });

  test('the websocket refuses another Origin and serves its own', async () => {
    const wsUrl = `${server.origin.replace('http', 'ws')}${DEV_WS_PATH}`;
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(wsUrl, { origin: 'https://evil.example.com' });
      ws.on('open', () => (ws.close(), resolve('open')));
      ws.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
      ws.on('error', (e) => resolve(`error ${e.message}`));
    });
    expect(refused).toBe('refused 403');
    const noOrigin = await new Promise<string>((resolve) => {
      const ws = new WebSocket(wsUrl);
      ws.on('open', () => (ws.close(), resolve('open')));
      ws.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
      ws.on('error', (e) => resolve(`error ${e.message}`));
    });
    expect(noOrigin).toBe('refused 403');
    // Its own origin is served: a change in the project is announced, then the new state.
    const messages = await new Promise<DevServerMessage[]>((resolve, reject) => {
      const got: DevServerMessage[] = [];
      const ws = new WebSocket(wsUrl, { origin: server.origin });
      ws.on('open', () => {
        ws.send(JSON.stringify({ type: 'watch', composition: 'index.html' }));
        writeFileSync(join(dir, 'notes.txt'), 'changed');
      });
      ws.on('message', (data) => {
        got.push(JSON.parse(String(data)));
        if (got.length === 2) {
          ws.close();
          resolve(got);
        }
      });
      ws.on('error', reject);
    });
    expect(messages.map((m) => m.type)).toEqual(['change', 'state']);
    expect(messages[0]).toMatchObject({ kind: 'reload', files: ['notes.txt'] });
  });
});

describe('the command', () => {
  let blocker: Server;
  let busyPort: number;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    busyPort = (blocker.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

  test('a busy port moves to the next free one and says so; Ctrl+C stops it cleanly', async () => {
    const dir = useFixture('dev-basic');
    const dev = await spawnDev([dir, '--port', String(busyPort)]);
    try {
      const port = Number(new URL(dev.url).port);
      expect(port).toBeGreaterThan(busyPort);
      expect(new URL(dev.url).hostname).toBe('127.0.0.1');
      expect(dev.stderr()).toContain(`port ${busyPort} is in use; using ${port} instead`);
      const page = await rawGet(dev.url, '/__framesmith/');
      expect(page.status).toBe(200);
    } finally {
      dev.child.kill('SIGINT');
    }
    expect(await dev.exit).toBe(0);
    expect(dev.stderr()).toContain('stopping');
    expect(dev.stderr()).not.toMatch(/error|Error/);
  });

  test('a folder that does not exist, and a folder without the entry, fail with a hint', async () => {
    const missing = await runCli(['dev', join(tempDir(), 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/does not exist/);
    expect(missing.stderr).toMatch(/hint: /);
    const dir = useFixture('dev-basic');
    const noEntry = await runCli(['dev', dir, '--composition', 'other.html']);
    expect(noEntry.code).toBe(1);
    expect(noEntry.stderr).toMatch(/No other\.html/);
    expect(noEntry.stderr).toMatch(/--composition with one of: index\.html/);
  });
});
