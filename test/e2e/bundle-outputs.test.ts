// Outputs never ship: a render written into the project folder, old zips, snapshot stills and
// media nothing references stay out of the zip (listed, with the bytes saved), referenced files
// ship even from renders/, --include keeps what the rules leave out, a file the page builds a
// name for at run time is explained when the check misses it, and a dry run shows what it would send.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { zipEntries } from '../../src/commands/dry-run-summary.js';
import { runCli } from '../helpers/cli.js';
import { useFixture } from '../helpers/fixtures.js';

/** A small valid PNG of `bytes` total size (a 1x1 image padded by a text chunk would be overkill: any bytes do here). */
const blob = (bytes: number) => Buffer.alloc(bytes, 7);

/** gsap-basic plus what a working folder accumulates. */
function messyProject(): string {
  const dir = useFixture('gsap-basic');
  const html = readFileSync(join(dir, 'index.html'), 'utf8')
    .replace(
      '<div id="outro"',
      '<img id="logo" class="clip" data-start="0" data-duration="3" data-track-index="3" src="assets/used.png" alt=""><img id="intro" class="clip" data-start="0" data-duration="3" data-track-index="4" src="renders/intro.png" alt="">\n    <div id="outro"',
    )
    .replace(
      'const tl = gsap.timeline',
      "const photo = 'media/photo-2.jpg'; // named in a script string: counts as a reference\n    const tl = gsap.timeline",
    );
  writeFileSync(join(dir, 'index.html'), html);
  const png = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'contact-sheet.png'));
  mkdirSync(join(dir, 'assets'));
  mkdirSync(join(dir, 'media'));
  mkdirSync(join(dir, 'renders'));
  mkdirSync(join(dir, 'stills'));
  writeFileSync(join(dir, 'assets', 'used.png'), png);
  writeFileSync(join(dir, 'renders', 'intro.png'), png);
  writeFileSync(join(dir, 'media', 'photo-2.jpg'), blob(2_000));
  writeFileSync(join(dir, 'q3.mp4'), blob(300_000));
  writeFileSync(join(dir, 'q3.png'), blob(40_000));
  writeFileSync(join(dir, 'old-build.zip'), blob(100_000));
  writeFileSync(join(dir, 'stills', 'still-1.000s-1a2b3c4d.png'), blob(20_000));
  writeFileSync(join(dir, 'assets', 'unused.jpg'), blob(5_000));
  return dir;
}

describe('framesmith build leaves outputs out', () => {
  it('lists what it left out with the bytes saved, and ships what the composition references', async () => {
    const dir = messyProject();
    const r = await runCli(['build', dir]);
    expect(r.code, r.stderr).toBe(0);
    const zip = r.stdout.trim();
    const names = (await zipEntries(zip)).map((e) => e.path);
    expect(names).toEqual(
      expect.arrayContaining(['index.html', 'assets/used.png', 'renders/intro.png', 'media/photo-2.jpg', 'vendor/gsap.min.js']),
    );
    for (const gone of ['q3.mp4', 'q3.png', 'old-build.zip', 'stills/still-1.000s-1a2b3c4d.png', 'assets/unused.jpg'])
      expect(names).not.toContain(gone);
    expect(r.stderr).toContain(
      'left out    q3.mp4 300.0 kB (render output), old-build.zip 100.0 kB (zip), q3.png 40.0 kB (render output), stills/still-1.000s-1a2b3c4d.png 20.0 kB (snapshot), assets/unused.jpg 5.0 kB (not referenced): 465.0 kB saved (--include keeps them)',
    );

    const json = JSON.parse((await runCli(['build', dir, '--no-check', '--json'])).stdout);
    expect(json.leftOutBytes).toBe(465_000);
    expect(json.leftOut).toContainEqual({ rel: 'q3.mp4', size: 300_000, reason: 'render-output' });
  });

  it('--include keeps files the rules leave out (repeated or comma-separated, gitignore patterns)', async () => {
    const dir = messyProject();
    const r = await runCli(['build', dir, '--no-check', '--include', 'q3.mp4,stills/*', '--include', '*.zip']);
    expect(r.code, r.stderr).toBe(0);
    const names = (await zipEntries(r.stdout.trim())).map((e) => e.path);
    expect(names).toEqual(expect.arrayContaining(['q3.mp4', 'stills/still-1.000s-1a2b3c4d.png', 'old-build.zip']));
    expect(names).not.toContain('assets/unused.jpg');
  });

  it('a file whose name the page builds at run time fails the check with the --include that fixes it', async () => {
    const dir = useFixture('gsap-basic');
    mkdirSync(join(dir, 'frames'));
    writeFileSync(join(dir, 'frames', 'f-1.png'), readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'contact-sheet.png')));
    writeFileSync(
      join(dir, 'index.html'),
      readFileSync(join(dir, 'index.html'), 'utf8').replace(
        'window.__timelines = ',
        "const pic = new Image(); pic.src = 'frames/f-' + (1) + '.png'; document.getElementById('root').appendChild(pic);\n    window.__timelines = ",
      ),
    );
    const r = await runCli(['build', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('frames/f-1.png');
    expect(r.stderr).toContain(
      "hint: frames/f-1.png was left out of the bundle: no file of the project names it, so framesmith took it for an output or unused media. Keep it with --include 'frames/f-1.png'.",
    );
    const fixed = await runCli(['build', dir, '--include', 'frames/']);
    expect(fixed.code, fixed.stderr).toBe(0);
  });
});

describe('framesmith render --cloud --dry-run', () => {
  it('shows the zip path, every file in it and the variables that would be sent; ships files the values name', async () => {
    const dir = messyProject();
    writeFileSync(join(dir, 'assets', 'alt.png'), readFileSync(join(dir, 'assets', 'used.png')));
    const r = await runCli(['render', '--cloud', dir, '--dry-run', '--variables', '{"headline":"Q3","logo":"assets/alt.png"}'], {
      env: { HEYGEN_API_KEY: '' },
    });
    expect(r.code, r.stderr).toBe(0);
    const zip = join(dir, 'build', 'gsap-basic.zip');
    expect(r.stderr).toMatch(/^zip {9}\S*gsap-basic\.zip \(\d/m);
    const entries = await zipEntries(zip);
    expect(r.stderr).toContain(`files       ${entries.length} files,`);
    for (const e of entries) expect(r.stderr).toMatch(new RegExp(`^ {14}${e.path.replace(/[.]/g, '\\.')} `, 'm'));
    expect(entries.map((e) => e.path)).toContain('assets/alt.png');
    expect(r.stderr).toContain('request     the zip inline (base64); aspect_ratio 16:9');
    expect(r.stderr).toContain('variables   {"headline":"Q3","logo":"assets/alt.png"}');
    expect(r.stderr).toContain('Nothing was uploaded or submitted (--dry-run).');
    expect(r.stdout).toBe('');
  });

  it('--include is refused without --cloud (a local render bundles nothing)', async () => {
    const r = await runCli(['render', useFixture('gsap-basic'), '--include', '*.mp4']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--include works only with --cloud.');
  });
});
