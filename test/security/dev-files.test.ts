/**
 * What `framesmith dev` serves: every kind of secret, behind a link with an ordinary name (and
 * directly), under every query form Vite knows and through Vite's own URL forms, gets exactly
 * the answer a missing file gets; Vite never reads one on a module's behalf (`?raw` imports, CSS
 * `@import` and `url()`), and a link's target is never shown.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DevServer } from '../../src/dev/index.js';
import { useFixture } from '../helpers/fixtures.js';
import { startDev } from '../e2e/dev-helpers.js';
import { plantSecrets, rawRequest, SECRET, secretPaths } from './helpers.js';

const QUERIES = [
  '',
  '?raw',
  '?import',
  '?url',
  '?inline',
  '?worker',
  '?worker_file&type=module',
  '?sharedworker',
  '?t=1',
  '?import&raw',
  '?import&url',
  '?v=1a2b',
  '?direct',
  '?html-proxy&index=0.js',
];
const AS_MODULE = { 'sec-fetch-dest': 'script', 'sec-fetch-mode': 'cors', 'sec-fetch-site': 'same-origin' };
const AS_STYLE = { 'sec-fetch-dest': 'style', 'sec-fetch-mode': 'no-cors', 'sec-fetch-site': 'same-origin' };

describe('dev serves no secret, under any name or query', () => {
  let dir: string;
  let server: DevServer;
  let missing: { status: number; body: string };
  beforeAll(async () => {
    dir = useFixture('dev-basic');
    plantSecrets(dir);
    // A module and a stylesheet that try to pull a secret in on the server's side.
    writeFileSync(
      join(dir, 'steal.js'),
      `import a from './fonts/extra.woff2?raw';\nimport b from './hop.txt?raw';\nimport c from './css/theme.css?inline';\nexport default [a, b, c];\n`,
    );
    writeFileSync(
      join(dir, 'steal.css'),
      `@import "./css/theme.css";\n.a { background: url(./img/photo.png); }\n.b { background: url(/fonts/extra.woff2); }\n`,
    );
    // An allowed link: its URL stays its own.
    mkdirSync(join(dir, 'pictures'));
    writeFileSync(join(dir, 'pictures', 'big.png'), Buffer.alloc(20_000, 7));
    symlinkSync(join(dir, 'pictures', 'big.png'), join(dir, 'shown.png'));
    server = await startDev(dir);
    missing = await rawRequest(server.origin, '/no-such-file.txt');
  });
  afterAll(() => server?.close());

  test('a missing file answers 404 "Not found", without a path', () => {
    expect(missing.status).toBe(404);
    expect(missing.body).toBe('Not found');
  });

  test.each(secretPaths())('%s: every query form, as a page, a module and a stylesheet would ask', async (path) => {
    for (const query of QUERIES) {
      for (const headers of [{}, AS_MODULE, AS_STYLE]) {
        for (const method of ['GET', 'HEAD']) {
          const r = await rawRequest(server.origin, `/${path}${query}`, { method, headers });
          expect([path, query, method, r.status]).toEqual([path, query, method, 404]);
          if (method === 'GET') expect(r.body).toBe(missing.body);
          expect(r.body).not.toContain(SECRET);
        }
      }
    }
  });

  test.each(secretPaths())("%s: through Vite's /@fs/ and /@id/ forms and encoded paths", async (path) => {
    const abs = join(dir, path);
    const forms = [
      `/@fs${abs}`,
      `/@fs${abs}?raw`,
      `/@fs${abs}?import`,
      `/@id/${abs}?raw`,
      `/@id${abs}?import&raw`,
      `/${path.split('/').map(encodeURIComponent).join('/')}?raw`,
      `//${path}`,
      `/./${path}`,
      `/${path.replace(/\./g, '%2E')}`,
      `/${path.replace(/\//g, '%2F')}?url`,
    ];
    for (const form of forms) {
      const r = await rawRequest(server.origin, form, { headers: AS_MODULE });
      expect([form, r.status]).toEqual([form, 404]);
      expect(r.body).not.toContain(SECRET);
    }
  });

  test("a module importing secrets gets no secret: the imports keep the links' own URLs, which are refused", async () => {
    const mod = await rawRequest(server.origin, '/steal.js', { headers: AS_MODULE });
    expect(mod.body).not.toContain(SECRET);
    expect(mod.body).not.toMatch(/\.env|\.npmrc/);
    for (const [, url] of mod.body.matchAll(/from\s+"([^"]+)"/g)) {
      const r = await rawRequest(server.origin, url, { headers: AS_MODULE });
      expect([url, r.status]).toEqual([url, 404]);
      expect(r.body).not.toContain(SECRET);
    }
  });

  test('a stylesheet cannot pull a secret in through @import or url()', async () => {
    for (const query of ['', '?direct', '?inline', '?import']) {
      const r = await rawRequest(server.origin, `/steal.css${query}`, {
        headers: query === '?direct' || query === '' ? AS_STYLE : AS_MODULE,
      });
      expect(r.body).not.toContain(SECRET);
      expect(r.body).not.toContain(dir);
    }
  });

  test("?import of an allowed link answers with the link's URL, not where it points", async () => {
    const r = await rawRequest(server.origin, '/shown.png?import', { headers: AS_MODULE });
    expect(r.status).toBe(200);
    expect(r.body).toContain('"/shown.png"');
    expect(r.body).not.toContain('pictures');
  });
});
