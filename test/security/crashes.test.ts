/**
 * No crashes on hostile inputs: markup nested 5,000 deep, 50 MB of nested markup, millions of
 * elements, CSS and script code nested thousands deep, a file that cannot be read. Each is a
 * clear error with exit 1 from lint, build and snapshot (exit 70 is for real bugs only); a file
 * at the limit still passes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, test } from 'vitest';
import { lintProject } from '../../src/lint/index.js';
import { DEFAULT_LIMITS, SCRIPT_DEPTH } from '../../src/security/budgets.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, vendorGsap } from '../helpers/fixtures.js';

const TIMELINE = `<script src="vendor/gsap.min.js"></script><script>const tl = gsap.timeline({ paused: true }); tl.to('#root', { opacity: 1, duration: 1 }); window.__timelines = { main: tl };</script>`;

/** A project whose root holds `body`, with extra head markup and files. */
function project(body: string, { head = '', files = {} as Record<string, string | Buffer> } = {}): string {
  const dir = join(tempDir(), 'hostile');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8">${head}</head><body><div id="root" data-composition-id="main" data-width="1280" data-height="720" data-start="0" data-duration="1">${body}</div>${TIMELINE}</body></html>`,
  );
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  vendorGsap(dir);
  return dir;
}

const nested = (n: number, tag = 'div') => `${`<${tag}>`.repeat(n)}x${`</${tag}>`.repeat(n)}`;

describe('hostile inputs are clear errors, exit 1, from every command', () => {
  // Snapshot reads what the parser checks (markup, file sizes); CSS and script code go to Chromium as written.
  test.each([
    ['markup nested 5,000 deep', () => project(nested(5000)), 'nesting_too_deep', true],
    ['50 MB of nested markup', () => project(nested((50 * 1024 * 1024) / 11)), 'file_too_large', true],
    ['a million tiny elements in 7 MB', () => project('<i></i>'.repeat(1_000_000)), 'file_too_large', true],
    [
      'CSS nested 5,000 deep',
      () => project('<p>x</p>', { head: `<style>${'a{'.repeat(5000)}color:red${'}'.repeat(5000)}</style>` }),
      'nesting_too_deep',
      false,
    ],
    [
      'calc() nested 5,000 deep in a .css file',
      () =>
        project('<p>x</p>', {
          head: '<link rel="stylesheet" href="s.css">',
          files: { 's.css': `.b{width:${'calc('.repeat(5000)}1px${')'.repeat(5000)}}` },
        }),
      'nesting_too_deep',
      false,
    ],
    [
      'arrow functions nested 2,000 deep in a script file',
      () =>
        project('<p>x</p>', {
          head: '<script src="deep.js"></script>',
          files: { 'deep.js': `${'(()=>{'.repeat(2000)}${'})()'.repeat(2000)}` },
        }),
      'nesting_too_deep',
      false,
    ],
    [
      'a 12 MB stylesheet',
      () =>
        project('<p>x</p>', { head: '<link rel="stylesheet" href="big.css">', files: { 'big.css': Buffer.alloc(12 * 1024 * 1024, 0x20) } }),
      'file_too_large',
      false,
    ],
  ])(
    '%s',
    async (_what, make, code, snapshotRefuses) => {
      const dir = make();
      for (const args of [
        ['lint', dir],
        ['build', dir, '--no-check'],
        ['snapshot', dir, '--at', '0'],
      ]) {
        const r = await runCli(args, { timeoutMs: 120_000 });
        const refuses = args[0] !== 'snapshot' || snapshotRefuses;
        if (refuses) {
          expect([args[0], r.code], r.stderr.slice(0, 2000)).toEqual([args[0], 1]);
          expect(r.stdout + r.stderr).toContain(code);
        } else {
          // Chromium's own result (drawn, or a page error): never a crash of framesmith.
          expect([0, 1]).toContain(r.code);
        }
        expect(r.stderr).not.toMatch(/crashed|heap out of memory|FATAL/);
      }
    },
    240_000,
  );

  it('an output path through a file: exit 1 naming the path, no crash', async () => {
    const dir = project('<p>x</p>');
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, 'x');
    const snap = await runCli(['snapshot', dir, '--at', '0', '--out', join(blocker, 'stills')]);
    expect(snap.code, snap.stderr).toBe(1);
    expect(snap.stderr).toContain(`${blocker}/stills`);
    expect(snap.stderr).toContain('[file_error]');
    const build = await runCli(['build', dir, '--no-check', '--out', join(blocker, 'x.zip')]);
    expect(build.code, build.stderr).toBe(1);
    expect(build.stderr).toContain(blocker);
    for (const r of [snap, build]) expect(r.stderr).not.toMatch(/crashed/);
  });
});

describe('inputs at the limits pass', () => {
  it(`markup nested ${DEFAULT_LIMITS.depth} deep (html, body and the root included)`, async () => {
    const result = await lintProject(project(nested(DEFAULT_LIMITS.depth - 3, 'span')));
    expect(result.diagnostics.filter((d) => d.code === 'nesting_too_deep')).toEqual([]);
    const over = await lintProject(project(nested(DEFAULT_LIMITS.depth - 2, 'span')));
    expect(over.diagnostics.map((d) => d.code)).toContain('nesting_too_deep');
  });

  it(`CSS nested ${DEFAULT_LIMITS.depth} deep, and script code ${SCRIPT_DEPTH} brackets deep`, async () => {
    const css = `${'a{'.repeat(DEFAULT_LIMITS.depth)}color:red${'}'.repeat(DEFAULT_LIMITS.depth)}`;
    const js = `const v = ${'['.repeat(SCRIPT_DEPTH)}${']'.repeat(SCRIPT_DEPTH)};`;
    const result = await lintProject(project('<p>x</p>', { head: `<style>${css}</style><script>${js}</script>` }));
    expect(result.diagnostics.filter((d) => d.code === 'nesting_too_deep' || d.code === 'css_parse_error')).toEqual([]);
  });

  it('a 20 MB page of 499,000 elements is read and linted', async () => {
    const filler = 'lorem ipsum dolor sit amet '.repeat(Math.floor((DEFAULT_LIMITS.htmlBytes - 499_000 * 7 - 2048) / 27));
    const result = await lintProject(project(`${'<i></i>'.repeat(499_000)}<p>${filler}</p>`));
    expect(result.diagnostics.filter((d) => d.code === 'file_too_large')).toEqual([]);
  }, 120_000);
});
