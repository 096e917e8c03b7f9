/**
 * `framesmith build` on broken or risky projects: it refuses exactly what HeyGen's renderer
 * refuses (with the problem, where, what to do, and no zip); what the renderer renders through
 * it builds, with a warning that says what is wrong; and a file that must not ship never does.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPromise as openZip } from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../src/build/build-bundle.js';
import { FramesmithError } from '../../src/core/errors.js';
import { useFixture } from '../helpers/fixtures.js';
import { launchBrowser } from '../helpers/page.js';
import { runCli } from '../helpers/cli.js';

type Browser = Awaited<ReturnType<typeof launchBrowser>>;
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function zipNames(path: string): Promise<string[]> {
  const zip = await openZip(path, { lazyEntries: true, autoClose: false });
  const names: string[] = [];
  try {
    for await (const e of zip.eachEntry()) names.push(e.fileName);
  } finally {
    zip.close();
  }
  return names;
}

/** Runs the build and returns the error it throws (the test fails if it does not throw). */
async function buildError(dir: string, check = true): Promise<FramesmithError> {
  try {
    await buildBundle({ dir, browser, check });
  } catch (e) {
    expect(e).toBeInstanceOf(FramesmithError);
    return e as FramesmithError;
  }
  throw new Error('the build succeeded but should have failed');
}

/** Nothing in build/: no zip, no temp file, no staging folder. */
function expectNoOutput(dir: string): void {
  const out = join(dir, 'build');
  expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
}

const motion = (dir: string, code: string) => appendFileSync(join(dir, 'js', 'motion.js'), `\n${code}\n`);

/** Builds and returns the result (the test fails if it throws). */
async function buildOk(dir: string) {
  return buildBundle({ dir, browser });
}

describe('build refuses what HeyGen refuses', () => {
  it('a syntax error in the script that registers the timeline: refused, with the file and line, the lint error beside it', async () => {
    const dir = useFixture('build-classic');
    motion(dir, 'tl.to("#box", { y: 10, duration: 1 }');
    const e = await buildError(dir);
    expect(e.code).toBe('timeline_script_failure');
    expect(e.message).toMatch(
      /No timeline was registered for composition "main": a script threw ".*SyntaxError|missing \) after argument list/,
    );
    expect(e.message).toMatch(/HeyGen's renderer refuses this render/);
    expect(e.loc).toMatchObject({ file: 'js/motion.js' });
    expectNoOutput(dir);
  });

  it('a syntax error through the CLI: exit 1, the cause on stderr, the lint finding as a warning, no zip', async () => {
    const dir = useFixture('build-classic');
    motion(dir, 'const = 1;');
    const r = await runCli(['build', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/js\/motion\.js:7:7: .*is not valid JavaScript.*HeyGen renders it anyway/);
    expect(r.stderr).toMatch(/\[timeline_script_failure\]/);
    expect(r.stdout).toBe('');
    expectNoOutput(dir);
  });

  it('a timeline property HeyGen does not provide (tl.labels) before the timeline registers: refused in seconds, with the fix', async () => {
    const dir = useFixture('build-classic');
    writeFileSync(
      join(dir, 'js', 'motion.js'),
      'const tl = gsap.timeline({ paused: true });\ntl.to("#box", { x: 240, duration: 1 }).addLabel("hold5");\ntl.to("#box", { x: 480, duration: 1 }, tl.labels.hold5 + 0.05);\nwindow.__timelines = { main: tl };\n',
    );
    const started = performance.now();
    const e = await buildError(dir);
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(e.code).toBe('timeline_script_failure');
    expect(e.message).toMatch(/`tl\.labels` is undefined in HeyGen's renderer \(js\/motion\.js:3\)/);
    expect(e.hint).toMatch(/use the label name as the position, e\.g\. "hold5\+=0\.05"/i);
    expect(e.loc).toMatchObject({ file: 'js/motion.js', line: 3 });
    expectNoOutput(dir);
  });

  it('a 201 MB file: refused before zipping, naming the largest files', async () => {
    const dir = useFixture('build-classic');
    mkdirSync(join(dir, 'media'));
    writeFileSync(join(dir, 'media', 'huge.mp4'), '');
    truncateSync(join(dir, 'media', 'huge.mp4'), 201 * 1024 * 1024); // sparse: no real disk use
    // Referenced, so it ships (media nothing names is left out of the bundle instead).
    writeFileSync(join(dir, 'clips.json'), '{"clip":"media/huge.mp4"}');
    const e = await buildError(dir, false);
    expect(e.code).toBe('bundle_too_large');
    expect(e.message).toMatch(/over the 209\.7 MB upload limit\. Largest: media\/huge\.mp4 \(210\.8 MB\)/);
    expect(e.hint).toMatch(/\.framesmithignore/);
    expectNoOutput(dir);
  });
});

describe('build goes on, with a warning, where HeyGen renders anyway', () => {
  const codes = (r: Awaited<ReturnType<typeof buildOk>>) => r.warnings.map((w) => w.code);

  it('GSAP from a CDN that cannot be had (CDN and registry unreachable): warnings naming the URL, what is lacking and the fix; the build succeeds', async () => {
    const dir = useFixture('build-classic');
    const html = join(dir, 'index.html');
    writeFileSync(
      html,
      readFileSync(html, 'utf8').replace('vendor/gsap.min.js', 'https://cdn.jsdelivr.net/npm/gsap@3.13.0/dist/gsap.min.js'),
    );
    const result = await buildBundle({ dir, browser });
    expect(result.check?.blocked).toEqual(['https://cdn.jsdelivr.net/npm/gsap@3.13.0/dist/gsap.min.js']);
    const unavailable = result.warnings.find((w) => w.code === 'remote_unavailable')!;
    expect(unavailable.message).toMatch(
      /^Could not load https:\/\/cdn\.jsdelivr\.net\/npm\/gsap@3\.13\.0\/dist\/gsap\.min\.js: .*npm registry http:\/\/127\.0\.0\.1:\d+\/.*its script does not run/,
    );
    expect(unavailable.hint).toMatch(/framesmith vendor/);
  });

  // A project file that does not exist is refused on purpose, although HeyGen renders without it.
  it('an asset that 404s (referenced in CSS): refused, lint names the file', async () => {
    const dir = useFixture('build-classic');
    appendFileSync(join(dir, 'css', 'style.css'), '#root { background: url(../img/bg.png); }\n');
    const e = await buildError(dir);
    expect(e.code).toBe('lint_failed');
    expect(e.details.map((d) => d.code)).toEqual(['missing_local_asset']);
    expect(e.loc?.file).toBe('css/style.css');
    expect(e.message).toMatch(/"\.\.\/img\/bg\.png" does not exist/);
    expectNoOutput(dir);
  });

  it('an asset that 404s only at run time: refused, the browser check names it', async () => {
    const dir = useFixture('build-classic');
    motion(dir, 'const late = new Image(); late.src = "img/late.png"; document.getElementById("root").appendChild(late);');
    const e = await buildError(dir);
    expect(e.code).toBe('asset_load_failed');
    expect(e.message).toMatch(/img\/late\.png/);
    expect(e.hint).toMatch(/HeyGen's renderer would render the video without it/);
    expectNoOutput(dir);
  });

  it('an upper/lower case mismatch: lint names the real file, the check refuses the missing one', async () => {
    const dir = useFixture('build-classic');
    const html = join(dir, 'index.html');
    writeFileSync(html, readFileSync(html, 'utf8').replace('css/style.css', 'css/Style.css'));
    const r = await buildBundle({ dir, check: false });
    const w = r.warnings.find((x) => x.code === 'asset_case_mismatch')!;
    expect(w.message).toMatch(/"css\/Style\.css" differs in letter case from the file css\/style\.css/);
    expect(w.loc).toMatchObject({ file: 'index.html', line: 5 });
    // No file has that name (nor would the cloud's): the check refuses it, on purpose.
    const e = await buildError(dir);
    expect(e.code).toBe('asset_load_failed');
    expect(e.message).toMatch(/css\/Style\.css/);
    expect(e.hint).toMatch(/case-sensitive/);
  });

  it('a script that throws after its timeline registered: the page error with its file and line', async () => {
    const dir = useFixture('build-classic');
    motion(dir, 'document.getElementById("missing").textContent = "x";');
    const r = await buildOk(dir);
    const w = r.warnings.find((x) => x.code === 'page_error')!;
    expect(w.message).toMatch(/Cannot set properties of null/);
    expect(w.loc).toMatchObject({ file: 'js/motion.js', line: 7 });
  });

  it('a timeline that is never registered, with no error: HeyGen waits 45 s, then renders it without animation', async () => {
    const dir = useFixture('build-classic');
    writeFileSync(
      join(dir, 'js', 'motion.js'),
      'const tl = gsap.timeline({ paused: true });\nif (location.hash === "#ready") { window.__timelines = { main: tl }; }\n',
    );
    const r = await buildOk(dir);
    const w = r.warnings.find((x) => x.code === 'timeline_not_registered')!;
    expect(w.message).toMatch(
      /No GSAP timeline was registered for composition "main".*waits 45 s for it, then renders without its animation/,
    );
  });

  it('frames that are blank at every sampled time', async () => {
    const dir = useFixture('build-classic');
    appendFileSync(join(dir, 'css', 'style.css'), '#box { display: none; }\n');
    const r = await buildOk(dir);
    expect(r.warnings.find((x) => x.code === 'blank_frames')?.message).toMatch(
      /Every sampled frame \(0\.00 s, 0\.97 s, 1\.97 s\) of index\.html is one flat colour/,
    );
  });

  it('--strict refuses every lint error, as the official `render --strict` does', async () => {
    const dir = useFixture('build-classic');
    appendFileSync(join(dir, 'css', 'style.css'), '#root { background: url(../img/bg.png); }\n');
    const e = await buildBundle({ dir, browser, strict: true }).then(
      () => null,
      (err: unknown) => err as FramesmithError,
    );
    expect(e?.code).toBe('lint_failed');
    expect(e?.details.map((d) => d.code)).toEqual(['missing_local_asset']);
    expectNoOutput(dir);
  });

  it('--strict refuses a lint error HeyGen renders through, which a plain build only reports', async () => {
    const dir = useFixture('build-classic');
    const html = join(dir, 'index.html');
    writeFileSync(html, readFileSync(html, 'utf8').replace('data-width="640" data-height="360"', ''));
    const e = await buildBundle({ dir, browser, strict: true }).then(
      () => null,
      (err: unknown) => err as FramesmithError,
    );
    expect(e?.code).toBe('lint_failed');
    expectNoOutput(dir);
    expect(codes(await buildOk(dir)).length).toBeGreaterThan(0);
  });
});

describe('build leaves out what must not ship', () => {
  it('a .env file never reaches the zip', async () => {
    const dir = useFixture('build-classic');
    writeFileSync(join(dir, '.env'), 'HEYGEN_API_KEY=sk-very-secret-123\n');
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'config'), '[core]\n');
    const result = await buildBundle({ dir, browser });
    const names = await zipNames(result.zipPath);
    expect(names).toEqual(['css/style.css', 'index.html', 'js/motion.js', 'vendor/gsap.min.js']);
    expect(readFileSync(result.zipPath).includes('sk-very-secret-123')).toBe(false);
    expect(result.skipped).toEqual(
      expect.arrayContaining([
        { rel: '.env', reason: 'dotfile' },
        { rel: '.git', reason: 'dotfile' },
      ]),
    );
  });

  it('a symlink to /etc is not followed: the zip has no /etc files and a warning says why', async () => {
    const dir = useFixture('build-classic');
    symlinkSync('/etc', join(dir, 'system'));
    const result = await buildBundle({ dir, browser });
    const names = await zipNames(result.zipPath);
    expect(names.some((n) => n.startsWith('system'))).toBe(false);
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'file_refused', message: 'system links to /etc, outside the project; left out of the zip.' }),
    ]);
  });

  it('a reference through a symlink to /etc is a lint error', async () => {
    const dir = useFixture('build-classic');
    symlinkSync('/etc', join(dir, 'system'));
    const html = join(dir, 'index.html');
    writeFileSync(html, readFileSync(html, 'utf8').replace('<div id="box"', '<img alt="" src="system/hostname" />\n      <div id="box"'));
    const e = await buildError(dir);
    expect(e.details.map((d) => d.code)).toEqual(['file_refused']);
    expect(e.message).toMatch(/"system\/hostname": system\/hostname leads to \/etc\/hostname, outside the project/);
    expectNoOutput(dir);
  });

  it('.framesmithignore patterns, node_modules, renders and snapshots stay out', async () => {
    const dir = useFixture('build-classic');
    for (const d of ['notes', 'node_modules/x', 'renders', 'snapshots']) mkdirSync(join(dir, d), { recursive: true });
    writeFileSync(join(dir, 'notes', 'todo.txt'), 'x');
    writeFileSync(join(dir, 'cover.psd'), 'x');
    writeFileSync(join(dir, 'node_modules', 'x', 'index.js'), 'x');
    writeFileSync(join(dir, 'renders', 'out.mp4'), 'x');
    writeFileSync(join(dir, 'snapshots', 'a.png'), 'x');
    writeFileSync(join(dir, '.framesmithignore'), '# drafts\nnotes/\n*.psd\n');
    const result = await buildBundle({ dir, check: false });
    expect(await zipNames(result.zipPath)).toEqual(['css/style.css', 'index.html', 'js/motion.js', 'vendor/gsap.min.js']);
  });

  it('a remote file that cannot be had is a warning (lint: not cached; check: unavailable); the build succeeds', async () => {
    const dir = useFixture('build-classic');
    const html = join(dir, 'index.html');
    writeFileSync(
      html,
      readFileSync(html, 'utf8').replace('<div id="box"', '<img alt="" src="https://assets.example.org/logo.png" />\n      <div id="box"'),
    );
    const result = await buildBundle({ dir, browser });
    expect(result.check?.blocked).toEqual(['https://assets.example.org/logo.png']);
    expect(result.warnings.map((w) => w.code)).toEqual(['remote_not_cached', 'remote_unavailable']);
    expect(result.warnings[1].message).toMatch(
      /^Could not load https:\/\/assets\.example\.org\/logo\.png: its host name does not resolve \(offline\?\); the image is not drawn/,
    );
  });
});
