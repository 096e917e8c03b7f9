/**
 * `framesmith vendor` end to end, through the CLI, against real HTTP servers on 127.0.0.1: a
 * CDN-like server (files, a 404, a stylesheet with its own url()/@import) and a registry-like
 * server with real tarballs (an npm package, an ES module package with siblings, an @fontsource
 * family). The jsDelivr/esm.sh/Google Fonts hosts do not resolve here, so those URLs are filled
 * from the local registry, as on a machine that reaches only the npm registry.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startFakeRegistry, startServer, type FakeRegistry, type TestServer } from '../helpers/remote-servers.js';

let cdn: TestServer;
let registry: FakeRegistry;
const temps: string[] = [];
const temp = (prefix = 'fs-vendor-') => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
};
let cache: string;
const env = () => ({ FRAMESMITH_CACHE_DIR: cache, FRAMESMITH_NPM_REGISTRY: registry.url });

beforeAll(async () => {
  cdn = await startServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const files: Record<string, [string, string]> = {
      '/styles/site.css': [
        'text/css',
        '@import "more.css";\nbody { background: url(../img/bg.png); }\n@font-face { font-family: X; src: url("/fonts/x.woff2"); }\n',
      ],
      '/styles/more.css': ['text/css', 'h1 { color: red; }\n'],
      '/img/bg.png': ['image/png', '\x89PNG fake bg'],
      '/img/tex.png': ['image/png', '\x89PNG fake texture'],
      '/fonts/x.woff2': ['font/woff2', 'wOF2 fake'],
    };
    const f = files[path];
    if (!f) return void res.writeHead(404).end('no');
    res.writeHead(200, { 'content-type': f[0] }).end(f[1]);
  });
  registry = await startFakeRegistry({
    anim: {
      '1.0.0': {
        files: {
          'package.json': '{"main":"dist/anim.js","license":"MIT"}',
          'dist/anim.js': 'window.anim = 1;',
          'dist/anim.min.js': 'window.anim=1',
          LICENSE: 'MIT License (anim)',
        },
      },
    },
    esmod: {
      '2.0.0': {
        files: {
          'package.json': '{"module":"src/index.js","license":"ISC","dependencies":{"anim":"^1.0.0"}}',
          'src/index.js': 'export * from "./core.js";\nexport { default } from "./core.js";\nimport "anim/dist/anim.js";\n',
          'src/core.js': 'export const v = 2; export default v;\n',
          LICENSE: 'ISC (esmod)',
        },
      },
    },
    '@fontsource/testfam': {
      '5.0.0': {
        files: {
          'package.json': '{"license":"OFL-1.1"}',
          'metadata.json': JSON.stringify({
            id: 'testfam',
            family: 'Testfam',
            subsets: ['latin'],
            weights: [400, 700],
            styles: ['normal'],
            license: 'OFL-1.1',
          }),
          'unicode.json': JSON.stringify({ latin: 'U+0000-00FF' }),
          'files/testfam-latin-400-normal.woff2': 'wOF2 400',
          'files/testfam-latin-700-normal.woff2': 'wOF2 700',
          LICENSE: 'SIL Open Font License (testfam)',
        },
      },
    },
  });
});
afterAll(async () => {
  await cdn.close();
  await registry.close();
  for (const d of temps) {
    chmodTree(d, 0o755);
    rmSync(d, { recursive: true, force: true });
  }
});

function chmodTree(dir: string, mode: number): void {
  if (!existsSync(dir)) return;
  chmodSync(dir, mode);
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) chmodTree(join(dir, e.name), mode);
}

/** A project that loads remote files every way a composition does. */
function project(): string {
  cache = temp('fs-vendor-cache-');
  const dir = join(temp(), 'proj');
  mkdirSync(join(dir, 'compositions'), { recursive: true });
  mkdirSync(join(dir, 'css'));
  const CDN = cdn.origin;
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html>
<html>
  <head>
    <link rel="preconnect" href="https://fonts.googleapis.com" />
    <link rel="preconnect" href="https://esm.sh" />
    <link href="https://fonts.googleapis.com/css2?family=Testfam:wght@400;700&display=swap" rel="stylesheet" />
    <link rel="stylesheet" href="${CDN}/styles/site.css" />
    <link rel="stylesheet" href="css/local.css" />
    <script src="https://cdn.jsdelivr.net/npm/anim@1.0.0/dist/anim.min.js"></script>
    <script src="https://cdn.jsdelivr.net/npm/anim@9.9.9/dist/anim.js"></script>
    <script src="https://unpkg.com/no-such-package-here@1/x.js"></script>
    <script type="importmap">{ "imports": { "esmod": "https://esm.sh/esmod@2.0.0" } }</script>
  </head>
  <body>
    <div id="root" data-composition-id="main" data-width="320" data-height="180" data-start="0" data-duration="1">
      <img src="${CDN}/img/missing.png" alt="" />
      <div data-composition-id="sub" data-composition-src="compositions/sub.html" data-start="0" data-duration="1"></div>
    </div>
    <script type="module">
      import v from "esmod";
      import { v as w } from "https://cdn.jsdelivr.net/npm/esmod@2.0.0/src/core.js";
      window.__timelines = { main: null };
    </script>
  </body>
</html>
`,
  );
  writeFileSync(
    join(dir, 'compositions', 'sub.html'),
    `<template id="sub-t"><div data-composition-id="sub" data-width="320" data-height="180"><script src="https://cdn.jsdelivr.net/npm/anim@1.0.0/dist/anim.min.js"></script><style>@import url("https://fonts.googleapis.com/css2?family=Nofam");</style></div></template>\n`,
  );
  writeFileSync(
    join(dir, 'css', 'local.css'),
    `.grain { background-image: url("${CDN}/img/tex.png"); }\n/* url(${CDN}/img/in-a-comment.png) */\n`,
  );
  return dir;
}

/** Every file under dir with its SHA-256 (to prove nothing changed). */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

describe('framesmith vendor', () => {
  it('copies every remote file, rewrites the references, lists what it could not have (exit 9), and a second run changes nothing', async () => {
    const dir = project();
    const r = await runCli(['vendor', dir], { env: env() });
    expect(r.code, r.stderr).toBe(9);
    const host = `127.0.0.1_${new URL(cdn.origin).port}`;
    const index = readFileSync(join(dir, 'index.html'), 'utf8');
    // npm CDN URL → the exact file of the exact version, with the licence beside it.
    expect(index).toContain('<script src="vendor/anim@1.0.0/dist/anim.min.js"></script>');
    expect(readFileSync(join(dir, 'vendor/anim@1.0.0/dist/anim.min.js'), 'utf8')).toBe('window.anim=1');
    expect(readFileSync(join(dir, 'vendor/anim@1.0.0/LICENSE'), 'utf8')).toBe('MIT License (anim)');
    // Google Fonts → @fontsource faces as local @font-face, files and licence.
    expect(index).toContain('<link href="fonts/testfam.css" rel="stylesheet" />');
    // The hint to a host nothing loads from any more goes; the one to a host still used (Nofam below) stays.
    expect(index).not.toContain('esm.sh');
    expect(index).toContain('<link rel="preconnect" href="https://fonts.googleapis.com" />');
    const css = readFileSync(join(dir, 'fonts/testfam.css'), 'utf8');
    expect(css).toMatch(
      /font-family: "Testfam";\s+font-style: normal;\s+font-weight: 400;[\s\S]*src: url\("testfam\/testfam-latin-400-normal\.woff2"\)/,
    );
    expect(css).toContain('font-weight: 700;');
    expect(readFileSync(join(dir, 'fonts/testfam/testfam-latin-700-normal.woff2'), 'utf8')).toBe('wOF2 700');
    expect(readFileSync(join(dir, 'fonts/testfam/LICENSE'), 'utf8')).toContain('Open Font License');
    // A remote stylesheet, its @import and its url()s (relative, root-relative) come along, rewritten.
    expect(index).toContain(`<link rel="stylesheet" href="vendor/${host}/styles/site.css" />`);
    const site = readFileSync(join(dir, `vendor/${host}/styles/site.css`), 'utf8');
    expect(site).toContain('@import "more.css";');
    expect(site).toContain('url(../img/bg.png)');
    expect(site).toContain('url("../../../fonts/' + host + '/fonts/x.woff2")');
    expect(readFileSync(join(dir, `fonts/${host}/fonts/x.woff2`), 'utf8')).toBe('wOF2 fake');
    expect(readFileSync(join(dir, `vendor/${host}/img/bg.png`), 'utf8')).toBe('\x89PNG fake bg');
    // A local stylesheet's remote url() (not the one in a comment), relative to the stylesheet.
    expect(readFileSync(join(dir, 'css/local.css'), 'utf8')).toBe(
      `.grain { background-image: url("../vendor/${host}/img/tex.png"); }\n/* url(${cdn.origin}/img/in-a-comment.png) */\n`,
    );
    // Import maps and module imports; esm.sh's module form → the package's ES entry, its siblings, and its bare import.
    expect(index).toContain('"esmod": "./vendor/esmod@2.0.0/src/index.js"');
    expect(index).toContain('import { v as w } from "./vendor/esmod@2.0.0/src/core.js";');
    expect(readFileSync(join(dir, 'vendor/esmod@2.0.0/src/core.js'), 'utf8')).toBe('export const v = 2; export default v;\n');
    const entry = readFileSync(join(dir, 'vendor/esmod@2.0.0/src/index.js'), 'utf8');
    expect(entry).toContain('export * from "./core.js";');
    expect(entry).toContain('import "../../anim@1.0.0/dist/anim.js";');
    expect(existsSync(join(dir, 'vendor/anim@1.0.0/dist/anim.js'))).toBe(true);
    // Sub-compositions resolve from the project root.
    const sub = readFileSync(join(dir, 'compositions/sub.html'), 'utf8');
    expect(sub).toContain('<script src="vendor/anim@1.0.0/dist/anim.min.js"></script>');
    // What could not be had: named with the reason; the reference is unchanged.
    expect(index).toContain(`<img src="${cdn.origin}/img/missing.png" alt="" />`);
    expect(sub).toContain('https://fonts.googleapis.com/css2?family=Nofam');
    expect(r.stderr).toContain(`could not vendor ${cdn.origin}/img/missing.png (in index.html): does not exist (HTTP 404).`);
    expect(r.stderr).toMatch(
      /could not vendor https:\/\/fonts\.googleapis\.com\/css2\?family=Nofam \(in compositions\/sub\.html\): .*"Nofam", which @fontsource does not have/,
    );
    // The table says what became what.
    expect(r.stderr).toMatch(
      /https:\/\/cdn\.jsdelivr\.net\/npm\/anim@1\.0\.0\/dist\/anim\.min\.js\s+vendor\/anim@1\.0\.0\/dist\/anim\.min\.js \(\+1 file\)\s+npm registry: anim@1\.0\.0\/dist\/anim\.min\.js\s+MIT/,
    );
    expect(r.stderr).toMatch(
      /could not vendor https:\/\/cdn\.jsdelivr\.net\/npm\/anim@9\.9\.9\/dist\/anim\.js \(in index\.html\): .*npm package "anim" has no version matching "9\.9\.9"/,
    );
    expect(r.stderr).toMatch(
      /could not vendor https:\/\/unpkg\.com\/no-such-package-here@1\/x\.js \(in index\.html\): .*There is no npm package named "no-such-package-here"/,
    );
    expect(r.stderr).toMatch(/4 URLs could not be vendored/);

    // A second run: the same two are still missing, nothing is written.
    const before = tree(dir);
    const again = await runCli(['vendor', dir, '--json'], { env: env() });
    expect(again.code).toBe(9);
    const result = JSON.parse(again.stdout);
    expect(result.written).toEqual([]);
    expect(result.unresolved.map((u: { url: string }) => u.url).sort()).toEqual(
      [
        `${cdn.origin}/img/missing.png`,
        'https://cdn.jsdelivr.net/npm/anim@9.9.9/dist/anim.js',
        'https://fonts.googleapis.com/css2?family=Nofam',
        'https://unpkg.com/no-such-package-here@1/x.js',
      ].sort(),
    );
    expect(tree(dir)).toEqual(before);
  });

  it('--dry-run changes nothing and says what it would do', async () => {
    const dir = project();
    const before = tree(dir);
    const r = await runCli(['vendor', dir, '--dry-run', '--json'], { env: env() });
    expect(r.code).toBe(9);
    const result = JSON.parse(r.stdout);
    expect(result.dryRun).toBe(true);
    expect(result.written).toContain('vendor/anim@1.0.0/dist/anim.min.js');
    expect(result.written).toContain('index.html');
    expect(tree(dir)).toEqual(before);
  });

  it('a project folder that cannot be written: exit 2, the folder named, nothing changed', async () => {
    const dir = project();
    // Warm the cache (the cache stays writable; the project does not).
    const before = tree(dir);
    let r;
    if (process.getuid?.() === 0) {
      // root writes anywhere: run as nobody, with a cache nobody may write.
      chmodTree(cache, 0o777);
      chmodTree(join(dir, '..'), 0o755);
      r = await runCli(['vendor', dir], { env: env(), wrap: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'] });
    } else {
      chmodTree(dir, 0o555);
      r = await runCli(['vendor', dir], { env: env() });
      chmodTree(dir, 0o755);
    }
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `Could not write .* in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the project folder is not writable \\(EACCES\\)\\. Nothing was changed\\.`,
      ),
    );
    expect(tree(dir)).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['compositions', 'css', 'index.html']);
  });

  it('a project with nothing remote: nothing to do, exit 0', async () => {
    const dir = join(temp(), 'plain');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><html><body><div id="root" data-composition-id="main" data-width="320" data-height="180" data-start="0" data-duration="1"></div></body></html>',
    );
    cache = temp('fs-vendor-cache-');
    const r = await runCli(['vendor', dir], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Nothing to vendor: the project loads no remote files.');
    expect(statSync(dir).isDirectory()).toBe(true);
  });
});

describe('framesmith cache', () => {
  it('says where the cache is and what it holds, and --clear empties it', async () => {
    const dir = project();
    await runCli(['vendor', dir, '--dry-run'], { env: env() });
    const info = await runCli(['cache', '--json'], { env: env() });
    expect(info.code).toBe(0);
    const before = JSON.parse(info.stdout);
    expect(before).toMatchObject({ dir: cache, maxEntryBytes: 50 * 1024 * 1024 });
    expect(before.entries).toBeGreaterThan(3);
    const human = await runCli(['cache'], { env: env() });
    expect(human.stdout.trim()).toBe(cache);
    expect(human.stderr).toMatch(new RegExp(`${before.entries} cached files, [\\d.]+ MiB of 2048\\.0 MiB`));
    const cleared = await runCli(['cache', '--clear', '--json'], { env: env() });
    expect(JSON.parse(cleared.stdout)).toMatchObject({ entries: 0, bytes: 0, cleared: { entries: before.entries } });
    expect(existsSync(join(cache, 'packages'))).toBe(false);
  });
});
