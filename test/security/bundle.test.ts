/**
 * What leaves the machine: the zip `build` writes (and `render --cloud` uploads) holds no secret,
 * also when links with ordinary names point at them; entry names are checked before anything is
 * archived and the zip is read back; a name that is not UTF-8 is refused with its bytes shown.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import archiver from 'archiver';
import { createWriteStream } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../../src/browser/launch.js';
import { buildBundle } from '../../src/build/build-bundle.js';
import { collectProjectFiles } from '../../src/build/collect-files.js';
import { checkZipNames, readZipNames, verifyZip, zipNameProblem } from '../../src/build/zip-names.js';
import { isFramesmithError, type FramesmithError } from '../../src/core/errors.js';
import { runCli } from '../helpers/cli.js';
import { REPO, tempDir, useFixture } from '../helpers/fixtures.js';
import { plantSecrets, SECRET, SECRETS } from './helpers.js';

async function buildError(dir: string, browser?: LaunchedBrowser): Promise<FramesmithError> {
  try {
    await buildBundle({ dir, browser, check: Boolean(browser) });
  } catch (e) {
    if (isFramesmithError(e)) return e;
    throw e;
  }
  throw new Error('the build succeeded');
}

describe('zip entry names', () => {
  it.each([
    ['a\\..\\..\\..\\evil.txt', /climbs out/],
    ['../evil.txt', /climbs out/],
    ['zz:index.html', /":"/],
    ['C:/evil.txt', /drive letter/],
    ['/etc/evil', /absolute/],
    ['a/./b.txt', /"\." segment/],
    ['a//b.txt', /empty/],
    ['line\nbreak.txt', /control character U\+000A/],
    ['bell\u0007.txt', /control character U\+0007/],
    ['caf\uFFFD.png', /not valid Unicode/],
    ['lone\uD800.png', /not valid Unicode/],
  ])('refuses %j', (name, why) => {
    expect(zipNameProblem(name)).toMatch(why);
  });
  it.each(['index.html', 'fonts/Inter Variable.woff2', 'café/naïve.png', '日本語.html', 'a-b_c.d/e'])('accepts %j', (name) => {
    expect(zipNameProblem(name)).toBeNull();
  });
  it('refuses names that become the same entry after separator or Unicode normalization', () => {
    expect(() => checkZipNames(['a/b.txt', 'a\\b.txt'])).toThrow(/would be the same zip entry "a\/b.txt"/);
    expect(() => checkZipNames(['caf\u00e9.png', 'cafe\u0301.png'])).toThrow(/same zip entry/);
  });
  it('reading the zip back catches an entry list that differs from the checked one', async () => {
    const zip = join(tempDir(), 'x.zip');
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(zip);
      const a = archiver('zip');
      out.on('close', () => resolve());
      a.on('error', reject);
      a.pipe(out);
      a.append('one', { name: 'index.html' });
      a.append('two', { name: 'index.html' });
      void a.finalize();
    });
    expect(await readZipNames(zip)).toEqual(['index.html', 'index.html']);
    await expect(verifyZip(zip, ['index.html'])).rejects.toThrow(/does not list the checked files/);
    await expect(verifyZip(zip, ['index.html', 'index.html'])).resolves.toBeUndefined();
  });
});

describe('build', () => {
  let browser: LaunchedBrowser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  it('puts no secret in the zip, through any link; each link left out is a file_refused warning', async () => {
    const dir = useFixture('build-classic');
    plantSecrets(dir);
    const result = await buildBundle({ dir, browser });
    const names = await readZipNames(result.zipPath);
    expect(names).toEqual(['css/style.css', 'index.html', 'js/motion.js', 'vendor/gsap.min.js']);
    expect(readFileSync(result.zipPath).includes(SECRET)).toBe(false);
    const refused = result.warnings.filter((w) => w.code === 'file_refused').map((w) => w.loc?.file);
    for (const s of SECRETS) expect(refused).toContain(s.link);
    expect(refused).toEqual(expect.arrayContaining(['assets', 'chain.txt', 'hop.txt']));
  });

  it('a page that references a linked secret fails lint with file_refused, and nothing is written', async () => {
    const dir = useFixture('build-classic');
    plantSecrets(dir);
    const html = join(dir, 'index.html');
    writeFileSync(
      html,
      readFileSync(html, 'utf8').replace('</head>', '<link rel="preload" as="font" href="fonts/extra.woff2" crossorigin>\n</head>'),
    );
    const e = await buildError(dir);
    expect(e.details.map((d) => d.code)).toContain('file_refused');
    expect(e.message).toMatch(/"fonts\/extra\.woff2": fonts\/extra\.woff2 is or is inside a dotfile or dot folder \(\.env\)/);
    expect(existsSync(join(dir, 'build'))).toBe(false);
  });

  test.each([
    ['a link with an ordinary name', () => '../fonts/extra.woff2?raw'],
    ['the absolute path of .env', (dir: string) => `${dir}/.env?raw`],
    ["Vite's /@fs/ form", (dir: string) => `/@fs${dir}/.env?raw`],
    ['a file outside the project', (dir: string) => `${dir}/../outside-secret.txt?raw`],
  ])('a module script importing a secret (%s) with ?raw cannot bundle it', async (_how, spec) => {
    const dir = useFixture('build-module');
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    symlinkSync(join(REPO, 'node_modules', 'gsap'), join(dir, 'node_modules', 'gsap'));
    plantSecrets(dir);
    const main = join(dir, 'src', 'main.ts');
    writeFileSync(main, `import leak from '${spec(dir)}';\nconsole.log(leak);\n${readFileSync(main, 'utf8')}`);
    const e = await buildError(dir, browser);
    expect(e.code).toBe('bundle_failed');
    expect(e.message).not.toContain(SECRET);
    // No zip, and nothing of the staging left behind.
    expect(existsSync(join(dir, 'build')) ? readdirSync(join(dir, 'build')) : []).toEqual([]);
  });

  test.each([
    ['a\\..\\..\\..\\evil.txt', /climbs out/],
    ['zz:index.html', /":"/],
    ['tab\there.txt', /control character/],
  ])('refuses the file name %j before zipping, naming it; no zip is written', async (name, why) => {
    const dir = useFixture('build-classic');
    writeFileSync(join(dir, name), 'x');
    const e = await buildError(dir);
    expect(e.code).toBe('bundle_name_invalid');
    expect(e.message).toContain(JSON.stringify(name));
    expect(e.message).toMatch(why);
    expect(existsSync(join(dir, 'build'))).toBe(false);
  });

  it('refuses two names that are one entry once \\ is /', async () => {
    const dir = useFixture('build-classic');
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a', 'b.txt'), '1');
    writeFileSync(join(dir, 'a\\b.txt'), '2');
    const e = await buildError(dir);
    expect(e.message).toMatch(/"a\/b\.txt" and "a\\\\b\.txt"|"a\\\\b\.txt" and "a\/b\.txt"/);
  });

  it('keeps non-ASCII names exactly (the zip read back lists them as written)', async () => {
    const dir = useFixture('build-classic');
    mkdirSync(join(dir, 'bilder'));
    copyFileSync(join(dir, 'css', 'style.css'), join(dir, 'bilder', 'café ünïcode.css'));
    const result = await buildBundle({ dir, browser, check: false });
    expect(await readZipNames(result.zipPath)).toContain('bilder/café ünïcode.css');
  });

  it('a file name that is not UTF-8 is refused with the path shown as bytes, in build and in render --cloud bundling', async () => {
    const dir = useFixture('build-classic');
    // Raw bytes: "caf" + 0xE9 (Latin-1 é) + ".png": not UTF-8.
    const bad = Buffer.concat([Buffer.from(join(dir, 'css') + '/caf'), Buffer.from([0xe9]), Buffer.from('.png')]);
    writeFileSync(bad, 'x');
    const collected = await collectProjectFiles(dir);
    expect(collected.badNames).toEqual(['css/caf\\xe9.png']);
    const build = await runCli(['build', dir]);
    expect(build.code).toBe(1);
    expect(build.stderr).toContain('css/caf\\xe9.png');
    expect(build.stderr).toContain('[file_name_not_utf8]');
    expect(build.stderr).not.toMatch(/crashed/);
    const cloud = await runCli(['render', dir, '--cloud', '--dry-run']);
    expect(cloud.code).toBe(1);
    expect(cloud.stderr).toContain('css/caf\\xe9.png');
    expect(cloud.stderr).not.toMatch(/crashed/);
  });
});
