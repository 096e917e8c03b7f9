/**
 * `framesmith snapshot` through the real CLI: stills a user can open, the same bytes on every run
 * and in any --at order, variables that change pixels, and a clear error with location and a
 * non-zero exit (and no PNG) for every bad input.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FIXTURES, tempDir, useFixture } from '../helpers/fixtures.js';
import { PNG } from '../helpers/png.js';
import { sha1 } from '../helpers/page.js';

const pngsIn = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.png')) : []);

describe('snapshot writes stills', () => {
  test('PNG files at the requested times, at the composition size, identical across runs and orders', async () => {
    const dir = useFixture('gsap-basic');
    const outA = tempDir();
    const outB = tempDir();
    const a = await runCli(['snapshot', dir, '--at', '0.3,1,2.5', '--out', outA]);
    expect(a.stderr).toContain('3 stills');
    expect(a.code).toBe(0);
    expect(a.stdout.trim().split('\n')).toHaveLength(3);
    expect(pngsIn(outA).sort()).toEqual(['still-0.300s.png', 'still-1.000s.png', 'still-2.500s.png']);
    const b = await runCli(['snapshot', dir, '--at', '2.5,0.3,1', '--out', outB]);
    expect(b.code).toBe(0);
    for (const f of pngsIn(outA)) expect(sha1(readFileSync(join(outB, f))), f).toBe(sha1(readFileSync(join(outA, f))));
    const still = PNG.decode(readFileSync(join(outA, 'still-1.000s.png')));
    expect([still.width, still.height]).toEqual([1280, 720]);
    expect(still.distinctColors()).toBeGreaterThan(10);
    expect(sha1(readFileSync(join(outA, 'still-0.300s.png')))).not.toBe(sha1(readFileSync(join(outA, 'still-1.000s.png'))));
  });

  test('--variables changes the pixels; --json prints one object', async () => {
    const dir = useFixture('gsap-basic');
    const out = tempDir();
    const r = await runCli([
      'snapshot',
      dir,
      '--at',
      '2',
      '--out',
      out,
      '--json',
      '--variables',
      '{"accent":"#00ff00","headline":"Hello"}',
    ]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.ok).toBe(true);
    expect(result.stills).toHaveLength(1);
    const png = PNG.decode(readFileSync(result.stills[0].file));
    expect(png.count(([r, g, b]) => r < 10 && g > 245 && b < 10)).toBeGreaterThan(5000);
    // The name carries a hash of the values (the same values in another order, the same name), so
    // stills of other values never overwrite these.
    expect(result.variablesHash).toMatch(/^[0-9a-f]{8}$/);
    expect(basename(result.stills[0].file)).toBe(`still-2.000s-${result.variablesHash}.png`);
    const again = await runCli(['snapshot', dir, '--at', '2', '--out', out, '--variables', '{"headline":"Hello","accent":"#00ff00"}']);
    expect(again.stdout.trim()).toBe(relative(process.cwd(), result.stills[0].file));
    expect(again.stderr).toContain(`variables ${result.variablesHash}: {"headline":"Hello","accent":"#00ff00"}`);
    const other = await runCli(['snapshot', dir, '--at', '2', '--out', out, '--variables', '{"headline":"Bye"}']);
    expect(other.code).toBe(0);
    expect(pngsIn(out)).toHaveLength(2);
  });

  test('--json carries the warnings it does not print (an undeclared variable)', async () => {
    const dir = useFixture('gsap-basic');
    const r = await runCli(['snapshot', dir, '--at', '1', '--out', tempDir(), '--json', '--variables', '{"nope":1}']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/warning/);
    const result = JSON.parse(r.stdout);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'variable_undeclared',
        message: expect.stringMatching(/^variables: "nope" is not a declared variable \(declared: /),
      }),
    ]);
  });

  test('a misspelt variable is warned about with the declared name it is close to', async () => {
    const dir = useFixture('gsap-basic');
    const r = await runCli(['snapshot', dir, '--at', '1', '--out', tempDir(), '--variables', '{"headine":"Hi"}']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('"headine" is not a declared variable; did you mean "headline"?');
  });

  test('--count spreads stills over the duration into <project>/snapshots', async () => {
    const dir = useFixture('gsap-basic');
    const r = await runCli(['snapshot', dir, '--count', '3']);
    expect(r.code).toBe(0);
    expect(pngsIn(join(dir, 'snapshots')).sort()).toEqual(['still-0.000s.png', 'still-1.483s.png', 'still-2.967s.png']);
  });

  test('--frames (a frame range everywhere) is refused with the flag that counts stills', async () => {
    const dir = useFixture('gsap-basic');
    const r = await runCli(['snapshot', dir, '--frames', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--frames is a frame range (as in `framesmith render --frames 0-89`); the number of stills is --count.');
    expect(r.stderr).toContain('hint: Use --count 3 for 3 stills');
    expect(existsSync(join(dir, 'snapshots'))).toBe(false);
  });
});

describe('snapshot goes on, with a warning, where HeyGen renders anyway', () => {
  async function expectWarning(args: string[], pattern: RegExp) {
    const out = tempDir();
    const r = await runCli(['snapshot', ...args, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(pattern);
    expect(pngsIn(out)).toHaveLength(1);
    return r;
  }
  test("missing width and height: HeyGen's default size, 1080x1920", async () => {
    const r = await expectWarning(
      [join(FIXTURES, 'bad-missing-size'), '--at', '0'],
      /index\.html:\d+:\d+.*data-width.*HeyGen renders it anyway/,
    );
    expect(r.stderr).toMatch(/1 still \(1080x1920\)/);
  });
  test('an unknown clip reference', async () => {
    await expectWarning([join(FIXTURES, 'bad-clip-ref'), '--at', '0'], /index\.html:\d+:\d+.*"intr".*places it at 0 s/);
  });
  test('a cycle of clip references', async () => {
    await expectWarning([join(FIXTURES, 'bad-clip-cycle'), '--at', '0'], /cycle.*a → b → a|cycle.*b → a → b/);
  });
  test('a timeline never registered, with no error', async () => {
    await expectWarning(
      [useFixture('bad-no-timeline'), '--at', '0'],
      /No GSAP timeline was registered for composition "main".*renders without its animation/,
    );
  });
});

describe('snapshot refuses what HeyGen refuses, clearly', () => {
  async function expectFailure(args: string[], pattern: RegExp, out = tempDir()) {
    const r = await runCli(['snapshot', ...args, '--out', out]);
    expect(r.code, r.stderr).not.toBe(0);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).toMatch(/hint: /);
    expect(r.stderr).not.toMatch(/crashed| {4}at /);
    expect(pngsIn(out)).toEqual([]);
    return r;
  }
  test('an asset that 404s: refused on purpose (HeyGen would render without it)', async () => {
    await expectFailure([useFixture('bad-asset-404'), '--at', '0'], /images\/logo\.png/);
  });

  test('not a folder', async () => {
    const file = join(tempDir(), 'note.txt');
    writeFileSync(file, 'hi');
    await expectFailure([file, '--at', '0'], /not a folder|not a directory/i);
  });
  test('a folder without an entry HTML', async () => {
    await expectFailure([join(FIXTURES, 'no-entry'), '--at', '0'], /index\.html/);
  });
  test('no composition root', async () => {
    await expectFailure(
      [join(FIXTURES, 'bad-no-root'), '--at', '0'],
      /index\.html.*data-composition-id|data-composition-id[^\n]*index\.html/,
    );
  });
  test('broken JSON in --variables', async () => {
    const r = await expectFailure(
      [useFixture('gsap-basic'), '--at', '0', '--variables', '{headline: hi}'],
      /--variables is not valid JSON/,
    );
    expect(r.code).toBe(2);
  });
  test('a script that throws before its timeline registers names the script and line', async () => {
    await expectFailure(
      [useFixture('bad-script-throws'), '--at', '0'],
      /js\/app\.js:3:\d+: .*Cannot read properties of undefined.*HeyGen's renderer refuses this render/,
    );
  });
  test('a time outside the composition', async () => {
    await expectFailure([useFixture('gsap-basic'), '--at', '1,9'], /--at 9 is outside the composition \(0–3 s\)/);
  });
});
