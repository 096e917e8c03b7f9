/**
 * `framesmith render` as a user meets it beyond the happy path: Ctrl+C mid-render, batches from
 * JSON and CSV (a bad row reported while the others render, --fail-fast), every bad input with
 * its message, exit code and no file left behind, --json on stdout with progress on stderr, and
 * the thumbnail beside the video. Small 320x180 compositions at 10 fps keep it quick.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { REPO, tempDir, useFixture } from '../helpers/fixtures.js';
import { PNG } from '../helpers/png.js';
import { frameAt, framemd5, leftovers, processesWithEnv, videoStream } from './render-helpers.js';

const MARK = 'FRAMESMITH_TEST_RUN';

/** Mean absolute difference of the RGB values of two frames inside a box [x0, x1) × [y0, y1). */
function boxDiff(a: PNG, b: PNG, x0: number, y0: number, x1: number, y1: number): number {
  let sum = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const p = a.pixel(x, y);
      const q = b.pixel(x, y);
      sum += Math.abs(p[0] - q[0]) + Math.abs(p[1] - q[1]) + Math.abs(p[2] - q[2]);
    }
  }
  return sum / ((x1 - x0) * (y1 - y0) * 3);
}

// Where render-vars draws what: the headline text, and the moving bar every row shares.
const HEADLINE = [16, 20, 300, 70] as const;
const BAR = [0, 125, 320, 155] as const;

/** Processes a CLI run started (they inherit its marker), with their command names. */
function markedProcesses(mark: string): { pid: number; comm: string }[] {
  return processesWithEnv(MARK, mark).map((pid) => {
    let comm = '?';
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      // exited meanwhile
    }
    return { pid, comm };
  });
}

async function noneLeft(mark: string): Promise<{ pid: number; comm: string }[]> {
  // The CLI waits for its children; a moment's grace covers the kernel reaping them.
  for (let i = 0; i < 20; i++) {
    const left = markedProcesses(mark);
    if (!left.length) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
  return markedProcesses(mark);
}

/** All files under a folder, recursively (relative names). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

/** Starts the CLI, waits until stderr matches `when`, sends SIGINT; returns what ran then and how it ended. */
async function interruptWhen(args: string[], when: (stderr: string) => boolean, cwd = REPO) {
  const mark = randomUUID();
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', CI: '1', [MARK]: mark },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const during = await new Promise<{ pid: number; comm: string }[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stderr did not show the moment within 60 s:\n${stderr}`)), 60_000);
    let matched = false;
    child.on('close', (code) => {
      clearTimeout(timer);
      if (!matched) reject(new Error(`the CLI exited (${code}) before the moment came:\n${stderr}`));
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      if (!matched && (matched = when(stderr))) {
        clearTimeout(timer);
        resolve(markedProcesses(mark));
      }
    });
  });
  child.kill('SIGINT');
  const code = await exited;
  return { during, code, stdout, stderr, left: await noneLeft(mark) };
}

describe('Ctrl+C', () => {
  test('SIGINT mid-render exits 130, says it was interrupted, leaves no file and no browser or ffmpeg', async () => {
    const dir = useFixture('render-long');
    const outDir = join(tempDir(), 'out');
    let tempSeen = false;
    // When progress shows frames written, the partial file is there (and gone after).
    const r = await interruptWhen(['render', dir, '-o', join(outDir, 'long.mp4'), '--fps', '10', '--workers', '2'], (s) => {
      if (!/Rendering [1-9]\d*\/1200/.test(s)) return false;
      tempSeen = existsSync(outDir) && leftovers(outDir).length > 0;
      return true;
    });
    expect(
      r.during.some((p) => /ffmpeg/.test(p.comm)),
      JSON.stringify(r.during),
    ).toBe(true);
    expect(
      r.during.some((p) => /chrom|headless/i.test(p.comm)),
      JSON.stringify(r.during),
    ).toBe(true);
    expect(tempSeen).toBe(true); // the partial file existed while rendering
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/error Render interrupted; .*no video was written/);
    expect(r.stdout).toBe('');
    expect(filesUnder(outDir)).toEqual([]);
    expect(r.left).toEqual([]);
  }, 90_000);

  test('SIGINT during the second row of a batch keeps the first video and nothing of the second', async () => {
    const dir = useFixture('render-long');
    const work = tempDir();
    writeFileSync(join(work, 'rows.json'), JSON.stringify([{}, {}, {}]));
    const r = await interruptWhen(
      ['render', dir, '--batch', 'rows.json', '--out-pattern', 'out/{index}.mp4', '--fps', '10', '--frames', '0-299', '--no-thumbnail'],
      (s) => /Row 2\/3 [1-9]\d*\/300/.test(s),
      work,
    );
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/error Render interrupted; .*no video was written/);
    expect(filesUnder(join(work, 'out'))).toEqual(['1.mp4']);
    expect(videoStream(join(work, 'out', '1.mp4')).nb_read_frames).toBe('300');
    expect(r.left).toEqual([]);
  }, 90_000);
});

describe('batch', () => {
  test('--batch rows.json: 3 videos named by the pattern, frames differ where the headline differs', async () => {
    const dir = useFixture('render-vars');
    const work = tempDir();
    writeFileSync(join(work, 'rows.json'), JSON.stringify([{ headline: 'Alpha' }, { headline: 'Bravo' }, { headline: 'Charlie' }]));
    const r = await runCli(['render', dir, '--batch', 'rows.json', '--out-pattern', 'renders/{headline}.mp4', '--fps', '10', '--json'], {
      cwd: work,
      timeoutMs: 90_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ ok: true, total: 3, rendered: 3, failed: 0 });
    const names = ['Alpha', 'Bravo', 'Charlie'];
    expect(result.rows.map((o: { output: string }) => o.output)).toEqual(names.map((n) => join(work, 'renders', `${n}.mp4`)));
    expect(filesUnder(join(work, 'renders'))).toEqual(names.flatMap((n) => [`${n}.mp4`, `${n}.png`]));
    const frames = names.map((n) => frameAt(join(work, 'renders', `${n}.mp4`), 5));
    for (const n of names)
      expect(videoStream(join(work, 'renders', `${n}.mp4`))).toMatchObject({ width: 320, height: 180, nb_read_frames: '10' });
    // Different headlines: different text pixels; the bar, the same in every row, stays the same.
    expect(boxDiff(frames[0], frames[1], ...HEADLINE)).toBeGreaterThan(5);
    expect(boxDiff(frames[1], frames[2], ...HEADLINE)).toBeGreaterThan(5);
    expect(boxDiff(frames[0], frames[1], ...BAR)).toBeLessThan(1);
    expect(boxDiff(frames[0], frames[2], ...BAR)).toBeLessThan(1);
  }, 90_000);

  test('--batch: frames no row differs in yet (an intro) are drawn once and shared, and each video equals its separate render', async () => {
    const dir = useFixture('render-shared');
    const work = tempDir();
    writeFileSync(join(work, 'rows.json'), JSON.stringify([{ headline: 'Alpha' }, { headline: 'Beta' }, { headline: 'Gamma' }]));
    const r = await runCli(
      ['render', dir, '--batch', 'rows.json', '--out-pattern', 'out/{index}.mp4', '--fps', '10', '--no-thumbnail', '--json'],
      { cwd: work, timeoutMs: 120_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout).rows;
    // The headline fades in from 1 s (frame 10): frames 0-10 show the same picture in every row.
    expect(rows[0].result).toMatchObject({ frames: 20, shared: 0 });
    for (const row of rows.slice(1)) {
      expect(row.result.shared).toBe(11);
      expect(row.result.captured + row.result.reused + row.result.shared).toBe(20);
    }
    for (const [i, headline] of ['Beta', 'Gamma'].entries()) {
      const alone = join(work, `alone-${i}.mp4`);
      const one = await runCli(['render', dir, '-o', alone, '--fps', '10', '--no-thumbnail', '--variables', JSON.stringify({ headline })], {
        timeoutMs: 60_000,
      });
      expect(one.code, one.stderr).toBe(0);
      expect(framemd5(join(work, 'out', `${i + 2}.mp4`))).toEqual(framemd5(alone));
    }
    const first = framemd5(join(work, 'out', '1.mp4'));
    const second = framemd5(join(work, 'out', '2.mp4'));
    expect(second.slice(0, 11)).toEqual(first.slice(0, 11));
    expect(second.slice(12)).not.toEqual(first.slice(12));
  }, 180_000);

  test('--batch: a page with a canvas (drawn by script, invisible to the fingerprint) never shares frames', async () => {
    const dir = useFixture('render-shared');
    const html = join(dir, 'index.html');
    writeFileSync(
      html,
      readFileSync(html, 'utf8').replace('<div id="bar"></div>', '<div id="bar"></div><canvas width="8" height="8"></canvas>'),
    );
    const work = tempDir();
    writeFileSync(join(work, 'rows.json'), JSON.stringify([{ headline: 'Alpha' }, { headline: 'Beta' }]));
    const r = await runCli(
      [
        'render',
        dir,
        '--batch',
        'rows.json',
        '--out-pattern',
        'out/{index}.mp4',
        '--fps',
        '10',
        '--frames',
        '0-9',
        '--no-thumbnail',
        '--json',
      ],
      { cwd: work, timeoutMs: 120_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).rows.map((row: { result: { shared: number } }) => row.result.shared)).toEqual([0, 0]);
  }, 120_000);

  test('--batch rows.csv with a header row: a row with a wrong type under --strict-variables fails, the others render, exit 1', async () => {
    const dir = useFixture('render-vars');
    const work = tempDir();
    writeFileSync(join(work, 'rows.csv'), 'headline,size\nAlpha,20\nBravo,oops\nCharlie,30\n');
    const r = await runCli(
      [
        'render',
        dir,
        '--batch',
        'rows.csv',
        '--out-pattern',
        'out/{index}-{headline}.{format}',
        '--fps',
        '10',
        '--strict-variables',
        '--no-thumbnail',
      ],
      { cwd: work, timeoutMs: 90_000 },
    );
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/Row 2\/3 failed: .*"size" must be a number, got "oops"/);
    expect(r.stderr).toMatch(/2\/3 rendered, 1 failed/);
    // stdout lists the videos written, one a line, for scripts.
    expect(r.stdout.trim().split('\n')).toEqual(['out/1-Alpha.mp4', 'out/3-Charlie.mp4']);
    expect(filesUnder(join(work, 'out'))).toEqual(['1-Alpha.mp4', '3-Charlie.mp4']);
    expect(
      boxDiff(frameAt(join(work, 'out', '1-Alpha.mp4'), 3), frameAt(join(work, 'out', '3-Charlie.mp4'), 3), ...HEADLINE),
    ).toBeGreaterThan(5);
  }, 90_000);

  test('a row whose composition throws is reported and the next row still renders; --fail-fast stops there', async () => {
    const dir = useFixture('render-vars');
    const work = tempDir();
    writeFileSync(join(work, 'rows.json'), JSON.stringify([{ headline: 'Alpha' }, { headline: 'crash' }, { headline: 'Charlie' }]));
    const all = await runCli(['render', dir, '--batch', 'rows.json', '--out-pattern', 'a/{headline}.mp4', '--fps', '10', '--json'], {
      cwd: work,
      timeoutMs: 90_000,
    });
    expect(all.code, all.stderr).toBe(1);
    const result = JSON.parse(all.stdout);
    expect(result.rows.map((o: { status: string }) => o.status)).toEqual(['rendered', 'failed', 'rendered']);
    expect(result.rows[1].error.message).toMatch(/no data for this row/);
    expect(all.stderr).toMatch(
      /Row 2\/3 failed: No timeline was registered for composition "main": a script threw "Uncaught Error: no data for this row"/,
    );
    expect(filesUnder(join(work, 'a'))).toEqual(['Alpha.mp4', 'Alpha.png', 'Charlie.mp4', 'Charlie.png']);

    const fast = await runCli(['render', dir, '--batch', 'rows.json', '--out-pattern', 'b/{headline}.mp4', '--fps', '10', '--fail-fast'], {
      cwd: work,
      timeoutMs: 90_000,
    });
    expect(fast.code, fast.stderr).toBe(1);
    expect(fast.stderr).toMatch(/3\s+skipped\s+b\/Charlie\.mp4/);
    expect(fast.stderr).toMatch(/1\/3 rendered, 1 failed/);
    expect(filesUnder(join(work, 'b'))).toEqual(['Alpha.mp4', 'Alpha.png']);
  }, 120_000);

  test('variable warnings name their row: on stderr, and per row in --json', async () => {
    const dir = useFixture('render-vars');
    const work = tempDir();
    writeFileSync(join(work, 'rows.json'), JSON.stringify([{ headline: 'Alpha' }, { headline: 'Bravo', size: 'big' }]));
    const args = ['render', dir, '--batch', 'rows.json', '--fps', '10', '--frames', '0-1', '--no-thumbnail'];
    const plain = await runCli([...args, '--out-pattern', 'a/{index}.mp4'], { cwd: work, timeoutMs: 90_000 });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toMatch(/warning row 2: variables: "size" must be a number, got "big"/);
    expect(plain.stderr).not.toMatch(/row 1:/);

    const r = await runCli([...args, '--out-pattern', 'b/{index}.mp4', '--json'], { cwd: work, timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/warning/);
    const result = JSON.parse(r.stdout);
    const warning = { severity: 'warning', code: 'variable_invalid', message: 'row 2: variables: "size" must be a number, got "big"' };
    expect(result.rows[0].warnings).toEqual([]);
    expect(result.rows[1].warnings).toEqual([warning]);
    expect(result.warnings).toEqual([warning]);
  }, 120_000);

  test('CSV booleans read yes/no/1/0 in any case; names are file-name-safe with the values kept in the summary; a warned row says so', async () => {
    const dir = useFixture('render-vars');
    // This copy gets a boolean that changes the pixels: SHOUT uppercases the headline.
    const html = readFileSync(join(dir, 'index.html'), 'utf8')
      .replace('"min":10,"max":100}]', '"min":10,"max":100},{"id":"shout","type":"boolean","label":"Shout","default":false}]')
      .replace(
        "if (vars.headline === 'crash')",
        "if (vars.shout === true) document.querySelector('[data-var-text]').style.textTransform = 'uppercase';\n    if (vars.headline === 'crash')",
      );
    writeFileSync(join(dir, 'index.html'), html);
    const work = tempDir();
    writeFileSync(join(work, 'rows.csv'), 'headline,shout,size\n"ab, cd",YES,20\n"ab, cd",no,20\n"Q3/Q4 ""plan""",1,big\n');
    const r = await runCli(
      [
        'render',
        dir,
        '--batch',
        'rows.csv',
        '--out-pattern',
        'out/{index}-{headline}.mp4',
        '--fps',
        '10',
        '--frames',
        '0-1',
        '--no-thumbnail',
      ],
      { cwd: work, timeoutMs: 90_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/"shout" must be/);
    expect(filesUnder(join(work, 'out'))).toEqual(['1-ab-cd.mp4', '2-ab-cd.mp4', '3-Q3-Q4-plan.mp4']);
    expect(r.stderr).toMatch(/1\s+rendered\s+out\/1-ab-cd\.mp4\s+headline "ab, cd"/);
    expect(r.stderr).toMatch(/3\s+rendered with warnings\s+out\/3-Q3-Q4-plan\.mp4\s+headline "Q3\/Q4 \\"plan\\""/);
    expect(r.stderr).toMatch(/warning row 3: variables: "size" must be a number, got "big"/);
    // YES and no were read as booleans: the shouted headline differs from the quiet one.
    expect(
      boxDiff(frameAt(join(work, 'out', '1-ab-cd.mp4'), 0), frameAt(join(work, 'out', '2-ab-cd.mp4'), 0), ...HEADLINE),
    ).toBeGreaterThan(5);
  }, 120_000);

  test('an unknown placeholder in a local --out-pattern: the hint names what works locally, not {render_id}', async () => {
    const dir = useFixture('render-vars');
    const work = tempDir();
    writeFileSync(join(work, 'rows.json'), JSON.stringify([{ headline: 'Alpha' }]));
    const r = await runCli(['render', dir, '--batch', 'rows.json', '--out-pattern', 'out/{title}.mp4', '--fps', '10'], {
      cwd: work,
      timeoutMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/uses \{title\}, which row 1 does not have/);
    expect(r.stderr).toMatch(/hint: Use variable ids present in every row, \{index\} or \{format\}\./);
    expect(r.stderr).not.toContain('{render_id}');
    expect(existsSync(join(work, 'out'))).toBe(false);
  });
});

describe('bad inputs: a message that says what to do, an exit code, no file', () => {
  const bad = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const dir = useFixture('render-vars');
    const outDir = join(tempDir(), 'out');
    const mark = randomUUID();
    const out = args.includes('-o') ? [] : ['-o', join(outDir, 'v.mp4')];
    const r = await runCli(['render', dir, ...out, '--fps', '10', ...args], { env: { [MARK]: mark, ...env }, timeoutMs: 60_000 });
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/crashed|\n\s+at /);
    expect(filesUnder(outDir)).toEqual([]);
    expect(await noneLeft(mark)).toEqual([]);
    return r;
  };

  test('ffmpeg not on PATH: how to install it, exit 1, and the browser started meanwhile is closed', async () => {
    const r = await bad([], { PATH: '/nonexistent' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ffmpeg was not found on PATH/);
    expect(r.stderr).toContain('apt-get install ffmpeg');
    expect(r.stderr).toContain('brew install ffmpeg');
    expect(r.stderr).toContain('FRAMESMITH_FFMPEG');
  });

  test('FRAMESMITH_FFMPEG pointing nowhere names the path', async () => {
    const r = await bad([], { FRAMESMITH_FFMPEG: '/nonexistent/ffmpeg' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ffmpeg was not found at \/nonexistent\/ffmpeg/);
  });

  test('FRAMESMITH_BROWSER pointing nowhere: names it and says how to install a Chromium', async () => {
    const r = await bad([], { FRAMESMITH_BROWSER: '/nonexistent/chromium' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/FRAMESMITH_BROWSER points to \/nonexistent\/chromium, which is not an executable file/);
    expect(r.stderr).toContain('apt-get install chromium');
  });

  // Hides every Chromium the search knows in a private mount namespace (root on Linux, as in CI).
  test('no Chromium on the machine: says how to install one', async () => {
    expect(spawnSync('unshare', ['-m', 'true']).status, 'this test needs `unshare -m` (root on Linux)').toBe(0);
    const dir = useFixture('render-vars');
    const out = join(tempDir(), 'v.mp4');
    const hide = [
      '/usr/bin/chromium-headless-shell',
      '/usr/lib/chromium/headless_shell',
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome',
      '/usr/bin/google-chrome-stable',
      '/opt/google/chrome/chrome',
    ];
    const script = `for p in ${hide.join(' ')}; do [ -e "$p" ] && mount --bind /dev/null "$p"; done; exec "$0" "$@"`;
    const r = spawnSync('unshare', ['-m', 'sh', '-c', script, process.execPath, CLI, 'render', dir, '-o', out, '--fps', '10'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', CI: '1', FRAMESMITH_BROWSER: '' },
    });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/No Chromium or Chrome found on this machine/);
    expect(r.stderr).toContain('apt-get install chromium');
    expect(r.stderr).toContain('FRAMESMITH_BROWSER');
    expect(existsSync(out)).toBe(false);
  });

  test('an output path under a regular file: says which part is a file, exit 2', async () => {
    const work = tempDir();
    writeFileSync(join(work, 'notes.txt'), 'x');
    const dir = useFixture('render-vars');
    const r = await runCli(['render', dir, '-o', join(work, 'notes.txt', 'v.mp4'), '--fps', '10']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      `Cannot write the video to ${join(work, 'notes.txt', 'v.mp4')}: ${join(work, 'notes.txt')} is a file, not a folder`,
    );
    expect(r.stderr).toMatch(/hint: Pick another -o path/);
    expect(readdirSync(work)).toEqual(['notes.txt']);
  });

  test('an output folder that takes no files (/proc): exit 2 and a hint', async () => {
    const r = await bad(['-o', '/proc/framesmith-test.mp4']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Cannot write the video to \/proc\/framesmith-test\.mp4: /);
    expect(r.stderr).toMatch(/hint: Pass -o with a path in a folder you can write to/);
    expect(existsSync('/proc/framesmith-test.mp4')).toBe(false);
  });

  test.each(['0', '241', '29.97', 'abc'])('--fps %s: whole numbers 1–240 only, as the cloud, exit 2', async (fps) => {
    const r = await bad(['--fps', fps]);
    expect(r.code).toBe(2);
    // As typed: numbers bare, anything else quoted (the same text `render --cloud` prints).
    const shown = Number.isFinite(Number(fps)) ? fps : `"${fps}"`;
    expect(r.stderr).toContain(`--fps must be a whole number from 1 to 240, got ${shown}. [invalid_fps]`);
    expect(r.stderr).toMatch(/hint: .*24, 25, 30 or 60/);
  });

  test('--resolution 4k --format webm is refused as the cloud refuses it, exit 2', async () => {
    const out = join(tempDir(), 'v.webm');
    const r = await bad(['--resolution', '4k', '--format', 'webm', '-o', out]);
    expect(existsSync(out)).toBe(false);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--resolution 4k works only with --format mp4, not webm/);
  });

  test('an aspect the cloud does not take (1000x700): a warning, and the render goes on', async () => {
    const dir = useFixture('render-odd-aspect');
    const out = join(tempDir(), 'odd.mp4');
    const r = await runCli(['render', dir, '-o', out, '--fps', '10', '--no-thumbnail'], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning index\.html is 1000x700, which is not 16:9, 9:16 or 1:1: the cloud will refuse it/);
    expect(videoStream(out)).toMatchObject({ width: 1000, height: 700, nb_read_frames: '5' });
  });

  test('a composition that throws mid-render: rendered, as HeyGen renders it, with a warning naming the error and its time', async () => {
    const dir = useFixture('render-throws');
    const out = join(tempDir(), 't.mp4');
    const r = await runCli(['render', dir, '-o', out, '--fps', '10', '--no-thumbnail'], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning index\.html:\d+:\d+: chart data ran out at one second \(at 1\.000 s\)/);
    expect(videoStream(out)).toMatchObject({ nb_read_frames: '20' });
  });

  // A real full disk: a 64 KiB tmpfs with 4 KiB left (mounting needs root, as in CI).
  test('disk full: says so, exit 1, removes the partial video and thumbnail', async () => {
    const dir = useFixture('render-long');
    const disk = tempDir();
    expect(
      spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk]).status,
      'this test needs `mount -t tmpfs` (root on Linux)',
    ).toBe(0);
    try {
      writeFileSync(join(disk, 'filler'), Buffer.alloc(60_000));
      const out = join(disk, 'long.mp4');
      const r = await runCli(['render', dir, '-o', out, '--fps', '10', '--frames', '0-99'], { timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`error The disk is full: ffmpeg could not finish encoding the video (${out}). [disk_full]`);
      expect(r.stderr).toMatch(/hint: Free some space, or write the video to another disk with -o/);
      expect(readdirSync(disk)).toEqual(['filler']);
    } finally {
      spawnSync('umount', [disk]);
    }
  });

  test('disk full during a batch: finished rows stay, the failed row is named and removed, the rest are skipped', async () => {
    const dir = useFixture('render-long');
    const work = tempDir();
    writeFileSync(join(work, 'rows.json'), JSON.stringify([{}, {}, {}, {}]));
    writeFileSync(join(work, 'one.json'), JSON.stringify([{}]));
    const args = (rows: string, pattern: string) => [
      'render',
      dir,
      '--batch',
      rows,
      '--out-pattern',
      pattern,
      '--fps',
      '10',
      '--frames',
      '0-59',
    ];
    // One row's video and thumbnail, rendered where there is room, size the disk: room for two rows and a half.
    const sized = await runCli(args('one.json', 'sized/{index}.mp4'), { cwd: work, timeoutMs: 60_000 });
    expect(sized.code, sized.stderr).toBe(0);
    const row = statSync(join(work, 'sized', '1.mp4')).size + statSync(join(work, 'sized', '1.png')).size;
    const disk = join(work, 'disk');
    mkdirSync(disk);
    const size = 64 * 1024 + Math.ceil((2.5 * row) / 4096) * 4096;
    expect(
      spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', disk]).status,
      'this test needs `mount -t tmpfs` (root on Linux)',
    ).toBe(0);
    try {
      writeFileSync(join(disk, 'filler'), Buffer.alloc(64 * 1024));
      const r = await runCli(args('rows.json', 'disk/{index}.mp4'), { cwd: work, timeoutMs: 120_000 });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(
        `error Row 3/4 failed: The disk is full: ffmpeg could not finish encoding the video (${join(disk, '3.mp4')}).`,
      );
      expect(r.stderr).toContain(
        `Stopped the batch: the disk is full. Row 3 (${join(disk, '3.mp4')}) was not written and left nothing behind; 2 finished rows kept, 1 not rendered.`,
      );
      expect(r.stdout.trim().split('\n')).toEqual(['disk/1.mp4', 'disk/2.mp4']);
      expect(readdirSync(disk).sort()).toEqual(['1.mp4', '1.png', '2.mp4', '2.png', 'filler']);
      expect(videoStream(join(disk, '2.mp4')).nb_read_frames).toBe('60');
    } finally {
      spawnSync('umount', [disk]);
    }
  }, 180_000);
});

describe('--json, progress and the thumbnail', () => {
  test('--json prints exactly one JSON object on stdout; the thumbnail is the middle frame, beside the video', async () => {
    const dir = useFixture('render-vars');
    const out = join(tempDir(), 'v.mp4');
    const r = await runCli(['render', dir, '-o', out, '--fps', '10', '--json'], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({
      ok: true,
      output: out,
      thumbnail: join(out, '..', 'v.png'),
      frames: 10,
      fps: 10,
      width: 320,
      height: 180,
      format: 'mp4',
      quality: 'standard',
    });
    expect(r.stdout.trim().startsWith('{') && r.stdout.trim().endsWith('}')).toBe(true);
    const png = readFileSync(join(out, '..', 'v.png'));
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const thumb = PNG.decode(png);
    expect([thumb.width, thumb.height]).toEqual([320, 180]);
    expect(thumb.distinctColors()).toBeGreaterThan(10);
    // Frame 4 of 0–9 is the middle one; the video's copy went through yuv420p, so nearly equal.
    const frame = frameAt(out, 4);
    expect(boxDiff(thumb, frame, 0, 0, 320, 180)).toBeLessThan(4);
    expect(boxDiff(thumb, frameAt(out, 0), 0, 0, 320, 180)).toBeGreaterThan(boxDiff(thumb, frame, 0, 0, 320, 180));
  });

  test('--json keeps the warnings in the result (aspect, variables, blocked requests), stdout one JSON object', async () => {
    const dir = useFixture('render-vars');
    const html = readFileSync(join(dir, 'index.html'), 'utf8')
      .replace('data-width="320"', 'data-width="300"')
      .replace(
        '<script src="vendor/gsap.min.js">',
        '<script>fetch("https://example.invalid/data.json").catch(() => {});</script><script src="vendor/gsap.min.js">',
      );
    writeFileSync(join(dir, 'index.html'), html);
    const out = join(tempDir(), 'w.mp4');
    const r = await runCli(['render', dir, '-o', out, '--fps', '10', '--no-thumbnail', '--variables', '{"size":500}', '--json'], {
      timeoutMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/warning/);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ ok: true, output: out, width: 300, blocked: ['https://example.invalid/data.json'] });
    expect(result.warnings.map((w: { code: string }) => w.code).sort()).toEqual([
      'aspect_unsupported',
      'remote_unavailable',
      'variable_invalid',
    ]);
    const messages = result.warnings.map((w: { message: string }) => w.message).join('\n');
    expect(messages).toContain('index.html is 300x180, which is not 16:9, 9:16 or 1:1');
    expect(messages).toContain('variables: "size" is 500, above max 100');
    expect(messages).toContain('Could not load https://example.invalid/data.json: its host name does not resolve');
    expect(result.warnings.find((w: { code: string }) => w.code === 'remote_unavailable').hint).toContain('framesmith vendor');
  });

  test('without a TTY progress is plain lines on stderr and stdout holds only the video path; --no-thumbnail writes no PNG', async () => {
    const dir = useFixture('render-vars');
    const work = tempDir();
    mkdirSync(join(work, 'out'));
    const r = await runCli(['render', dir, '-o', 'out/v.mp4', '--fps', '10', '--no-thumbnail'], { cwd: work, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('out/v.mp4\n');
    const lines = r.stderr.split('\n');
    expect(lines).toContain('Rendering 0/10');
    expect(lines.some((l) => /^Rendering: 10 frames in \d+\.\d s/.test(l))).toBe(true);
    expect(r.stderr).not.toMatch(/\r|\x1b\[/);
    expect(readdirSync(join(work, 'out'))).toEqual(['v.mp4']);
  });
});
