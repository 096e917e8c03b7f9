/**
 * Nothing hangs: a composition whose script never returns (while loading, while a seek runs a
 * timeline callback, while a render draws a frame) fails with `page_stuck`, naming the
 * composition, the time sought and the script position, and leaves no browser running; Ctrl+C
 * ends framesmith within 2 s with exit 130, never "crashed". A short FRAMESMITH_PAGE_TIMEOUT keeps
 * these bounded.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it, test } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { tempDir, vendorGsap } from '../helpers/fixtures.js';
import { processesWithEnv } from '../e2e/render-helpers.js';

const MARK = 'FRAMESMITH_TEST_RUN';

/**
 * A 4 s composition whose timeline calls `stuck()` at 2 s. `window.__keepGoing` is never set,
 * so the loop never ends (lint cannot see that: the loop has a condition).
 */
function stuckProject(where: 'seek' | 'load'): { dir: string; loopLine: number } {
  const dir = join(tempDir(), 'stuck');
  mkdirSync(dir, { recursive: true });
  const lines = [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"></head>',
    '<body>',
    '<div id="root" data-composition-id="main" data-width="320" data-height="180" data-start="0" data-duration="4"><div id="b" style="width:40px;height:40px;background:#e33"></div></div>',
    '<script src="vendor/gsap.min.js"></script>',
    '<script>',
    'function stuck() {',
    '  while (window.__keepGoing !== false) {}',
    '}',
    'const tl = gsap.timeline({ paused: true });',
    "tl.to('#b', { x: 200, duration: 4 });",
    where === 'seek' ? 'tl.call(stuck, null, 2);' : 'stuck();',
    'window.__timelines = { main: tl };',
    '</script>',
    '</body></html>',
  ];
  writeFileSync(join(dir, 'index.html'), `${lines.join('\n')}\n`);
  vendorGsap(dir);
  return { dir, loopLine: lines.indexOf('  while (window.__keepGoing !== false) {}') + 1 };
}

const SHORT = { FRAMESMITH_PAGE_TIMEOUT: '2' };

/** Runs the CLI with a marker in its environment; returns how it ended and what it left running. */
async function runMarked(args: string[], env: NodeJS.ProcessEnv = {}) {
  const mark = randomUUID();
  const r = await runCli(args, { env: { ...SHORT, ...env, [MARK]: mark }, timeoutMs: 60_000 });
  // Let the kernel reap the browser's processes.
  for (let i = 0; i < 20 && processesWithEnv(MARK, mark).length; i++) await new Promise((res) => setTimeout(res, 100));
  return { ...r, left: processesWithEnv(MARK, mark) };
}

describe('a page stuck in script is stopped', () => {
  it('snapshot --at 3: page_stuck names the composition, the time sought and the loop; exit 1; no browser left', async () => {
    const { dir, loopLine } = stuckProject('seek');
    const r = await runMarked(['snapshot', dir, '--at', '3']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('[page_stuck]');
    expect(r.stderr).toMatch(
      new RegExp(
        `^error index\\.html:${loopLine}:\\d+: The page of index\\.html was still running a script \\(at index\\.html:${loopLine}:\\d+ in stuck\\(\\)\\) after 2 s of seeking to 3\\.000 s; its renderer was stopped\\.`,
        'm',
      ),
    );
    expect(r.stderr).not.toMatch(/crashed/);
    expect(r.left).toEqual([]);
  }, 60_000);

  it('a script that never returns while the page loads: page_stuck while loading', async () => {
    const { dir, loopLine } = stuckProject('load');
    const r = await runMarked(['snapshot', dir, '--at', '1'], { FRAMESMITH_PAGE_TIMEOUT: '2' });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`index\\.html:${loopLine}:\\d+.*after \\d+ s of loading; its renderer was stopped.*\\[page_stuck\\]`),
    );
    expect(r.left).toEqual([]);
  }, 60_000);

  it('build: the browser check stops the stuck page and reports it; nothing is written', async () => {
    const { dir, loopLine } = stuckProject('seek');
    const r = await runMarked(['build', dir]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`index\\.html:${loopLine}:\\d+.*still running a script.*\\[page_stuck\\]`));
    expect(r.stderr).not.toMatch(/crashed/);
    expect(r.left).toEqual([]);
    expect(existsSync(join(dir, 'build')) ? readdirSync(join(dir, 'build')) : []).toEqual([]);
  }, 60_000);

  it('render: the frame at 2 s is where it stops, with its number and time; no video is left', async () => {
    const { dir, loopLine } = stuckProject('seek');
    const out = join(tempDir(), 'stuck.mp4');
    const r = await runMarked(['render', dir, '-o', out, '--fps', '10', '--workers', '1', '--no-thumbnail']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`index\\.html:${loopLine}:\\d+.*still running a script.*of drawing frame 2\\d \\(2\\.\\d+ s\\).*\\[page_stuck\\]`),
    );
    expect(r.left).toEqual([]);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dirname(out))).toEqual([]);
  }, 60_000);
});

describe('Ctrl+C', () => {
  /** Starts the CLI, sends SIGINT once `ready(stderr)` holds (or after `afterMs`), measures until exit. */
  async function interrupt(args: string[], afterMs: number, env: NodeJS.ProcessEnv = {}) {
    const mark = randomUUID();
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, NO_COLOR: '1', CI: '1', ...env, [MARK]: mark },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    await new Promise((r) => setTimeout(r, afterMs));
    const sent = performance.now();
    child.kill('SIGINT');
    const end = await exited;
    const ms = performance.now() - sent;
    for (let i = 0; i < 20 && processesWithEnv(MARK, mark).length; i++) await new Promise((res) => setTimeout(res, 100));
    return { ...end, ms, stderr, left: processesWithEnv(MARK, mark) };
  }

  test('during a stuck seek: exit 130 within 2 s, "Cancelled.", no crash, no browser left', async () => {
    const { dir } = stuckProject('seek');
    // The page is stuck after about a second; the deadline (60 s) is far away.
    const r = await interrupt(['snapshot', dir, '--at', '3'], 4000, { FRAMESMITH_PAGE_TIMEOUT: '60' });
    expect(r.code, r.stderr).toBe(130);
    expect(r.ms).toBeLessThan(2000);
    expect(r.stderr).toMatch(/Cancelled\./);
    expect(r.stderr).not.toMatch(/crashed/);
    expect(r.left).toEqual([]);
  }, 60_000);

  test('during a stuck build check: exit 130 within 2 s, no crash', async () => {
    const { dir } = stuckProject('seek');
    const r = await interrupt(['build', dir], 5000, { FRAMESMITH_PAGE_TIMEOUT: '60' });
    expect(r.code, r.stderr).toBe(130);
    expect(r.ms).toBeLessThan(2000);
    expect(r.stderr).not.toMatch(/crashed/);
    expect(r.left).toEqual([]);
  }, 60_000);

  test('during the lint of a large file (a long synchronous parse): ends at once, no crash', async () => {
    const dir = join(tempDir(), 'large');
    mkdirSync(dir, { recursive: true });
    const rows = '<div class="r"><span>row</span><span>value</span></div>\n'.repeat(150_000);
    writeFileSync(
      join(dir, 'index.html'),
      `<!doctype html><html><body><div id="root" data-composition-id="main" data-width="320" data-height="180" data-duration="1">${rows}</div><script>window.__timelines={};</script></body></html>`,
    );
    const r = await interrupt(['lint', dir], 1500);
    expect(r.code === 130 || r.signal === 'SIGINT', `${r.code} ${r.signal} ${r.stderr}`).toBe(true);
    expect(r.ms).toBeLessThan(2000);
    expect(r.stderr).not.toMatch(/crashed/);
  }, 60_000);
});
