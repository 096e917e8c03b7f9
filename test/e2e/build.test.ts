/**
 * `framesmith build` end to end: every template and a module-script project (TypeScript, an npm
 * import of gsap, a CSS import) are built with the browser check, unzipped, and loaded from a
 * plain static server: they animate, and the templates show the same pixels as their source
 * folder served the way dev and snapshot serve it. The same input gives the same zip bytes.
 */
import { mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openPromise as openZip } from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../src/build/build-bundle.js';
import { createProject } from '../../src/scaffold/create-project.js';
import { readdirSync, existsSync } from 'node:fs';
import { REPO, tempDir, useFixture } from '../helpers/fixtures.js';
import { hashFrames, launchBrowser, openProject } from '../helpers/page.js';
import { PNG } from '../helpers/png.js';
import { runCli } from '../helpers/cli.js';

type Browser = Awaited<ReturnType<typeof launchBrowser>>;
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Extracts a zip into a new temp folder; returns the folder and the entry names in zip order. */
async function unzip(zipPath: string): Promise<{ dir: string; names: string[] }> {
  const dir = tempDir('framesmith-unzip-');
  const names: string[] = [];
  const zip = await openZip(zipPath, { lazyEntries: true, autoClose: false });
  try {
    for await (const entry of zip.eachEntry()) {
      names.push(entry.fileName);
      const chunks: Buffer[] = [];
      for await (const c of await zip.openReadStreamPromise(entry)) chunks.push(c as Buffer);
      mkdirSync(dirname(join(dir, entry.fileName)), { recursive: true });
      writeFileSync(join(dir, entry.fileName), Buffer.concat(chunks));
    }
  } finally {
    zip.close();
  }
  return { dir, names };
}

const templates = readdirSync(join(REPO, 'templates')).filter((n) => existsSync(join(REPO, 'templates', n, 'template.json')));

describe('build of every template', () => {
  for (const template of templates) {
    it(`${template}: zip renders standalone, as the source does`, async () => {
      const dir = join(tempDir(), template);
      const created = await createProject({ dir, template });
      const result = await buildBundle({ dir, browser });
      expect(result).toMatchObject({
        ok: true,
        entry: 'index.html',
        width: created.width,
        height: created.height,
        duration: created.duration,
        bundler: 'copy',
      });
      expect(result.aspectRatio).toMatch(/^(16:9|9:16|1:1)$/);
      expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(result.check?.frames).toHaveLength(3);
      expect(result.warnings).toEqual([]);
      const { dir: unzipped, names } = await unzip(result.zipPath);
      expect(names).toContain('index.html');
      expect(names).toEqual([...names].sort());
      expect(names.some((n) => n.startsWith('.') || n.includes('node_modules') || n.startsWith('build/'))).toBe(false);

      const size = { width: created.width, height: created.height };
      const fps = 30;
      const frames = [Math.round(created.duration * fps * 0.08), Math.round(created.duration * fps * 0.5)];
      const built = await openProject(browser, unzipped, size);
      const source = await openProject(browser, dir, size);
      try {
        const a = await hashFrames(built.page, frames);
        const b = await hashFrames(source.page, frames);
        expect(a.get(frames[0])).not.toBe(a.get(frames[1]));
        expect([...a.values()]).toEqual([...b.values()]);
        expect(built.page.blocked).toEqual([]);
      } finally {
        await built.close();
        await source.close();
      }
    });
  }
});

describe('build of a module-script project', () => {
  it('bundles TypeScript and gsap from node_modules into standalone files that animate', async () => {
    const dir = useFixture('build-module');
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    symlinkSync(join(REPO, 'node_modules', 'gsap'), join(dir, 'node_modules', 'gsap'));
    const result = await buildBundle({ dir, browser });
    expect(result.bundler).toBe('vite');
    const { dir: unzipped, names } = await unzip(result.zipPath);
    expect(names).toContain('index.html');
    expect(names.some((n) => n.endsWith('.ts') || n === 'package.json' || n.includes('node_modules'))).toBe(false);
    const html = readFileSync(join(unzipped, 'index.html'), 'utf8');
    expect(html).toMatch(/src="\.\/assets\/[\w-]+\.js"/);
    expect(html).not.toMatch(/src="\/|main\.ts/);

    const opened = await openProject(browser, unzipped, { width: 640, height: 360 });
    try {
      expect(opened.page.info.hasTimeline).toBe(true);
      await opened.page.seekTime(0);
      const start = PNG.decode(await opened.page.capture());
      await opened.page.seekTime(1.5);
      const later = PNG.decode(await opened.page.capture());
      const red = ([r, g, b]: number[]) => r > 200 && g < 80 && b < 80;
      // The box starts at the left edge and is three quarters across at 1.5 s (x = 360 px).
      expect(red(start.pixel(40, 180))).toBe(true);
      expect(red(start.pixel(400, 180))).toBe(false);
      expect(red(later.pixel(40, 180))).toBe(false);
      expect(red(later.pixel(400, 180))).toBe(true);
      expect(await opened.page.problems()).toEqual([]);
    } finally {
      await opened.close();
    }
  });
});

describe('reproducible zips', () => {
  it('the same input zipped twice gives the same bytes, whatever the file times', async () => {
    const dir = useFixture('build-classic');
    const first = await buildBundle({ dir, check: false, out: join(dir, 'build', 'one.zip') });
    utimesSync(join(dir, 'js', 'motion.js'), new Date(2020, 1, 1), new Date(2020, 1, 1));
    const second = await buildBundle({ dir, check: false, out: join(dir, 'build', 'two.zip') });
    expect(second.sha256).toBe(first.sha256);
    expect(readFileSync(second.zipPath).equals(readFileSync(first.zipPath))).toBe(true);
    const { names } = await unzip(first.zipPath);
    expect(names).toEqual(['css/style.css', 'index.html', 'js/motion.js', 'vendor/gsap.min.js']);
  });

  it('CLI: --json prints one object with the summary; --out names the zip', async () => {
    const dir = useFixture('build-classic');
    const out = join(tempDir(), 'promo.zip');
    const r = await runCli(['build', dir, '--out', out, '--json', '--no-check']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      ok: true,
      zipPath: out,
      entry: 'index.html',
      width: 640,
      height: 360,
      duration: 2,
      fps: 30,
      aspectRatio: '16:9',
      variables: [],
      check: null,
    });
    expect(json.size).toBe(readFileSync(out).length);
  });

  it('CLI: the human summary names the zip, size, sha256, frame and aspect', async () => {
    const dir = useFixture('build-classic');
    const r = await runCli(['build', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(join(dir, 'build', 'build-classic.zip'));
    expect(r.stderr).toMatch(/✓ check: frames 0, 29, 59/);
    expect(r.stderr).toMatch(/sha256 +[0-9a-f]{64}/);
    expect(r.stderr).toMatch(/frame +640x360, 2 s at 30 fps/);
    expect(r.stderr).toMatch(/aspect +16:9/);
  });
});
