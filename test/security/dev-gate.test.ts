/**
 * The dev server's gate: every endpoint (Vite's `/__open-in-editor` included) answers only the
 * preview's own pages; `--host <address>` binds that address and warns beyond loopback; Vite's
 * cache is private to the user; error pages show no absolute path.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import WebSocket from 'ws';
import type { DevServer } from '../../src/dev/index.js';
import { ensurePrivateDir } from '../../src/security/private-dir.js';
import { DEV_STATE_PATH, DEV_WS_PATH } from '../../shared/dev-protocol.js';
import { tempDir, useFixture } from '../helpers/fixtures.js';
import { spawnDev, startDev } from '../e2e/dev-helpers.js';
import { rawRequest } from './helpers.js';

const CROSS_SITE_IMG = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' };

describe("every endpoint answers only the preview's own pages", () => {
  let dir: string;
  let server: DevServer;
  let opened: string;
  const previousEditor = process.env.LAUNCH_EDITOR;
  beforeAll(async () => {
    dir = useFixture('dev-basic');
    // A stand-in editor that records what it was asked to open.
    const work = tempDir();
    opened = join(work, 'opened.txt');
    const editor = join(work, 'editor.sh');
    writeFileSync(editor, `#!/bin/sh\necho "$@" >> '${opened}'\n`);
    chmodSync(editor, 0o755);
    process.env.LAUNCH_EDITOR = editor;
    writeFileSync(join(dir, 'broken.js'), "import x from './no-such-module.js';\nexport default x;\n");
    writeFileSync(join(dir, 'broken.ts'), 'const x: number = ;\n');
    server = await startDev(dir);
  });
  afterAll(async () => {
    process.env.LAUNCH_EDITOR = previousEditor;
    if (previousEditor === undefined) delete process.env.LAUNCH_EDITOR;
    await server?.close();
  });

  const host = () => new URL(server.origin).host;
  const wasOpened = () => (existsSync(opened) ? readFileSync(opened, 'utf8') : '');
  const settle = () => new Promise((r) => setTimeout(r, 500));

  test.each([
    ['a page of another site (Origin)', { origin: 'https://evil.example' }],
    ['another local port (Origin)', { origin: 'http://127.0.0.1:1' }],
    ['an <img> on another site (Sec-Fetch-Site, no Origin)', CROSS_SITE_IMG],
    [
      'another local site (Sec-Fetch-Site: same-site)',
      { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' },
    ],
  ])('/__open-in-editor refuses %s and opens nothing', async (_who, headers) => {
    for (const file of ['/etc/passwd', 'index.html', `${dir}/index.html`]) {
      const r = await rawRequest(server.origin, `/__open-in-editor?file=${encodeURIComponent(file)}`, { headers });
      expect(r.status).toBe(403);
    }
    await settle();
    expect(wasOpened()).toBe('');
  });

  test('/__open-in-editor from the preview opens a project file, and nothing outside the project or secret', async () => {
    const own = { origin: server.origin, 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' };
    for (const file of ['/etc/passwd', '../outside.txt', '.env', `${dir}/.git/config`]) {
      const r = await rawRequest(server.origin, `/__open-in-editor?file=${encodeURIComponent(file)}`, { headers: own });
      expect([file, r.status]).toEqual([file, 404]);
    }
    const ok = await rawRequest(server.origin, `/__open-in-editor?file=${encodeURIComponent('index.html:3:5')}`, { headers: own });
    expect(ok.status).toBe(200);
    await settle();
    expect(wasOpened()).toContain(join(dir, 'index.html'));
    expect(wasOpened()).not.toMatch(/passwd|\.env|\.git/);
  });

  test.each([
    ['the state API', DEV_STATE_PATH],
    ['the preview UI script', '/__framesmith/overlay/overlay.js'],
    ['the runtime', '/__framesmith/runtime.js'],
    ['a project file', '/index.html'],
    ['a module', '/broken.js'],
    ["Vite's client", '/@vite/client'],
  ])('%s refuses a foreign Origin and a cross-site no-cors request', async (_what, path) => {
    expect((await rawRequest(server.origin, path, { headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await rawRequest(server.origin, path, { headers: CROSS_SITE_IMG })).status).toBe(403);
    expect((await rawRequest(server.origin, path, { headers: { host: 'evil.example' } })).status).toBe(403);
  });

  test('a link from another site may still open the preview (a top-level navigation), nothing else', async () => {
    const nav = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' };
    expect((await rawRequest(server.origin, '/__framesmith/', { headers: nav })).status).toBe(200);
    expect((await rawRequest(server.origin, '/', { headers: nav })).status).toBe(302);
    expect((await rawRequest(server.origin, '/index.html', { headers: nav })).status).toBe(403);
    expect((await rawRequest(server.origin, '/__open-in-editor?file=index.html', { headers: nav })).status).toBe(403);
  });

  test("websockets (framesmith's and Vite's) open only for the preview's own origin", async () => {
    const attempt = (path: string, origin: string, protocol?: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://${host()}${path}`, protocol ? [protocol] : [], { origin });
        ws.on('open', () => (ws.close(), resolve('open')));
        ws.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
        ws.on('error', () => resolve('error'));
      });
    expect(await attempt(DEV_WS_PATH, 'https://evil.example')).toBe('refused 403');
    expect(await attempt('/', 'https://evil.example', 'vite-hmr')).toBe('refused 403');
    expect(await attempt(DEV_WS_PATH, server.origin)).toBe('open');
  });

  test.each(['/broken.js', '/broken.ts', '/broken.ts?import', '/@fs/etc/passwd', '/../etc/passwd'])(
    'the error answer for %s shows no absolute path',
    async (path) => {
      const r = await rawRequest(server.origin, path, {
        headers: { origin: server.origin, 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'script' },
      });
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.body).not.toContain(dir);
      expect(r.body).not.toMatch(/\/(tmp|home|root|Users|work|etc)\//);
    },
  );

  it("Vite's cache is private (0700) under the user's cache folder", () => {
    const base = process.env.FRAMESMITH_CACHE_DIR!;
    const vite = join(base, 'vite');
    expect(existsSync(vite)).toBe(true);
    expect(statSync(vite).mode & 0o777).toBe(0o700);
  });
});

describe("Vite's cache folder", () => {
  it('is refused when someone else could write it or it is a symlink; a fresh one is private', async () => {
    const base = join(tempDir(), 'cache');
    mkdirSync(base, { recursive: true });
    const fresh = await ensurePrivateDir(base, join(base, 'vite', 'abc'));
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
    mkdirSync(join(base, 'open'), { mode: 0o777 });
    chmodSync(join(base, 'open'), 0o777);
    await expect(ensurePrivateDir(base, join(base, 'open', 'x'))).rejects.toThrow(/others may write to it/);
    symlinkSync(tempDir(), join(base, 'linked'));
    await expect(ensurePrivateDir(base, join(base, 'linked', 'x'))).rejects.toThrow(/is a symlink/);
  });

  it('is refused when it belongs to another user', async () => {
    // As root, make a folder of another user; otherwise root's own folders are another user's.
    const asRoot = process.getuid?.() === 0;
    const base = asRoot ? join(tempDir(), 'theirs') : '/usr';
    if (asRoot) {
      mkdirSync(base);
      chownSync(base, 65534, 65534);
    }
    await expect(ensurePrivateDir(base, base)).rejects.toThrow(/belongs to another user/);
  });

  it('a planted cache folder stops `framesmith dev` with a clear error, unless the project has node_modules to use instead', async () => {
    const cache = tempDir();
    const dir = useFixture('dev-basic');
    mkdirSync(join(cache, 'vite'), { mode: 0o777 });
    chmodSync(join(cache, 'vite'), 0o777);
    const { runCli } = await import('../helpers/cli.js');
    const r = await runCli(['dev', dir, '--port', '0'], { env: { FRAMESMITH_CACHE_DIR: cache }, timeoutMs: 20_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cache folder .*vite is not safe to run code from: others may write to it.*\[cache_unsafe\]/s);
    expect(r.stderr).not.toMatch(/crashed/);
  });
});

describe('--host', () => {
  it('--host=127.0.0.2 listens on that address only, and says nothing about the network', async () => {
    const dir = useFixture('dev-basic');
    const dev = await spawnDev([dir, '--port', '0', '--host=127.0.0.2']);
    try {
      const url = new URL(dev.url);
      expect(url.hostname).toBe('127.0.0.2');
      const reach = (host: string) =>
        new Promise<boolean>((resolve) => {
          const s = connect(Number(url.port), host, () => (s.destroy(), resolve(true)));
          s.on('error', () => resolve(false));
        });
      expect(await reach('127.0.0.2')).toBe(true);
      expect(await reach('127.0.0.1')).toBe(false);
      expect(dev.stderr()).not.toMatch(/served to the network/);
    } finally {
      dev.child.kill('SIGINT');
      await dev.exit;
    }
  });

  it('beyond loopback it warns that the project is served to the network', async () => {
    const dir = useFixture('dev-basic');
    const dev = await spawnDev([dir, '--port', '0', '--host']);
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(dev.stderr()).toMatch(/the project is served to the network on 0\.0\.0\.0:\d+/);
    } finally {
      dev.child.kill('SIGINT');
      await dev.exit;
    }
  });

  it('an address that is not this machine is a clear error (exit 1), not a crash', async () => {
    const { runCli } = await import('../helpers/cli.js');
    const r = await runCli(['dev', useFixture('dev-basic'), '--port', '0', '--host=192.0.2.1'], { timeoutMs: 20_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--host 192\.0\.2\.1 is not an address of this machine/);
  });
});
