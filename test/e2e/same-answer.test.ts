/**
 * One rule, one answer: the same bad input typed to every command that takes it gets the same
 * error code, message, hint and exit code, whether the render is local or in the cloud (a dry
 * run: checked, zipped, nothing sent) and whether it is a render or a snapshot.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { tempDir, useFixture } from '../helpers/fixtures.js';

/** What a user reads: the error line (code included), its hint and the exit code. */
function answer(r: CliResult): { error: string; hint: string; exit: number | null } {
  const lines = r.stderr.split('\n');
  const at = lines.findIndex((l) => l.startsWith('error '));
  return {
    error: lines[at] ?? `(no error line) ${r.stderr}`,
    hint:
      lines
        .slice(at + 1)
        .find((l) => l.trim().startsWith('hint:'))
        ?.trim() ?? '',
    exit: r.code,
  };
}

// A key for the dry runs (nothing is sent); the API URL points nowhere in case something were.
const env = { HEYGEN_API_KEY: 'test-key-not-sent', HEYGEN_API_URL: 'http://127.0.0.1:9/' };

async function answers(commands: string[][]) {
  const out = [];
  for (const args of commands) out.push({ args: args.join(' '), ...answer(await runCli(args, { env })) });
  return out;
}

function expectOneAnswer(results: Awaited<ReturnType<typeof answers>>, code: string, exit: number) {
  for (const r of results) {
    expect(r.error, r.args).toContain(`[${code}]`);
    expect(r.exit, r.args).toBe(exit);
  }
  const shown = results.map((r) => `${r.error}\n${r.hint}`);
  expect(new Set(shown).size, `different answers:\n${results.map((r) => `${r.args}\n  ${r.error}\n  ${r.hint}`).join('\n')}`).toBe(1);
}

describe('the same bad input gets the same answer everywhere', () => {
  const dir = useFixture('render-vars');
  const out = join(tempDir(), 'v.mp4');
  const render = (...flags: string[]) => ['render', dir, '-o', out, ...flags];
  const cloud = (...flags: string[]) => ['render', dir, '--cloud', '--dry-run', ...flags];
  const snapshot = (...flags: string[]) => ['snapshot', dir, '--at', '0.5', '--out', tempDir(), ...flags];

  it('--variables that is not JSON', async () => {
    expectOneAnswer(
      await answers([render('--variables', '{bad'), cloud('--variables', '{bad'), snapshot('--variables', '{bad')]),
      'invalid_variables_json',
      2,
    );
  });

  it('--variables that is JSON but not an object', async () => {
    expectOneAnswer(
      await answers([render('--variables', '[1]'), cloud('--variables', '[1]'), snapshot('--variables', '[1]')]),
      'invalid_variables_json',
      2,
    );
  });

  it('--variables-file that does not exist', async () => {
    const missing = join(tempDir(), 'nothing.json');
    expectOneAnswer(
      await answers([render('--variables-file', missing), cloud('--variables-file', missing), snapshot('--variables-file', missing)]),
      'variables_file_unreadable',
      2,
    );
  });

  it('--variables-file holding broken JSON', async () => {
    const file = join(tempDir(), 'vars.json');
    writeFileSync(file, '{"title": ');
    expectOneAnswer(
      await answers([render('--variables-file', file), cloud('--variables-file', file), snapshot('--variables-file', file)]),
      'invalid_variables_json',
      2,
    );
  });

  it('--fps 0 and --fps 29.97', async () => {
    expectOneAnswer(await answers([render('--fps', '0'), cloud('--fps', '0')]), 'invalid_fps', 2);
    expectOneAnswer(await answers([render('--fps', '29.97'), cloud('--fps', '29.97')]), 'invalid_fps', 2);
  });

  it('--resolution 4k with --format webm', async () => {
    expectOneAnswer(
      await answers([render('--resolution', '4k', '--format', 'webm'), cloud('--resolution', '4k', '--format', 'webm')]),
      'invalid_option',
      2,
    );
  });

  it('--resolution 8k, to a render, a cloud render and a new project', async () => {
    const created = join(tempDir(), 'new-project');
    expectOneAnswer(
      await answers([render('--resolution', '8k'), cloud('--resolution', '8k'), ['new', created, '--resolution', '8k']]),
      'invalid_option',
      2,
    );
  });

  it('-o naming one format and --format another, to a render and a cloud render', async () => {
    const mp4 = join(tempDir(), 'x.mp4');
    const results = await answers([['render', dir, '-o', mp4, '--format', 'mov'], cloud('-o', mp4, '--format', 'mov')]);
    expectOneAnswer(results, 'output_extension_mismatch', 2);
    expect(results[0].error).toContain(`-o ${mp4} ends in .mp4, but --format is mov.`);
    expect(results[0].hint).toBe('hint: Leave out --format (the extension picks it), or name the file *.mov.');
  });

  it('a value a flag does not take (--quality ultra, --format gif)', async () => {
    expectOneAnswer(await answers([render('--quality', 'ultra'), cloud('--quality', 'ultra')]), 'invalid_option', 2);
    expectOneAnswer(await answers([render('--format', 'gif'), cloud('--format', 'gif')]), 'invalid_option', 2);
  });
});
