/**
 * `framesmith lint` as a user runs it: the human report (grouped by file, ✗/⚠, code, message,
 * Fix:), `--json` as one object on stdout, exit 1 only when there are errors, and clear errors
 * for a folder that is not a project.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useFixture } from '../helpers/fixtures.js';

describe('framesmith lint (CLI)', () => {
  it('prints findings grouped by file with a Fix line, and exits 1 on errors', async () => {
    const dir = useFixture('lint/asset_case_mismatch/fires');
    const r = await runCli(['lint', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^◆ {2}Linting .*index\.html$/m);
    expect(r.stdout).toMatch(/^index\.html$/m);
    expect(r.stdout).toMatch(/✗ \d+:\d+ asset_case_mismatch: "img\/Logo\.PNG" differs in letter case from the file img\/logo\.png/);
    expect(r.stdout).toMatch(/Fix: Write "img\/logo\.png"/);
    expect(r.stdout).toMatch(/◇ {2}1 error, 0 warnings/);
  });

  it('exits 0 with warnings only', async () => {
    const dir = useFixture('lint/css_transition_used/fires');
    const r = await runCli(['lint', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/⚠ \d+:\d+ css_transition_used/);
    expect(r.stdout).toMatch(/0 errors, 1 warning/);
  });

  it('--json prints one object with every finding', async () => {
    const dir = useFixture('lint/non_deterministic_code/fires');
    const r = await runCli(['lint', dir, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: false, errorCount: 1, warningCount: 0, entry: 'index.html' });
    expect(out.findings).toEqual([
      expect.objectContaining({
        file: 'index.html',
        code: 'non_deterministic_code',
        severity: 'error',
        line: expect.any(Number),
        column: expect.any(Number),
        fixHint: expect.any(String),
      }),
    ]);
    expect(out.findings[0].message).toContain('Math.random()');
  });

  it('reads sub-composition files too', async () => {
    const dir = useFixture('lint/subcomposition_root_styled_by_class/fires');
    const r = await runCli(['lint', dir]);
    expect(r.stdout).toMatch(/Linting .*2 files/);
    expect(r.stdout).toMatch(/^compositions\/card\.html$/m);
  });

  it('a clean project prints 0 errors, 0 warnings', async () => {
    const r = await runCli(['lint', useFixture('lint/css_transition_used/passes')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/◇ {2}0 errors, 0 warnings/);
  });

  it('a file instead of a folder, or a folder without index.html, is a clear error', async () => {
    const dir = useFixture('lint/css_transition_used/passes');
    const notDir = await runCli(['lint', join(dir, 'index.html')]);
    expect(notDir.code).toBe(1);
    expect(notDir.stderr).toMatch(/is not a folder/);
    writeFileSync(join(dir, 'other.html'), '<!doctype html><html><body></body></html>');
    const noEntry = await runCli(['lint', dir, '--composition', 'nope.html']);
    expect(noEntry.code).toBe(1);
    expect(noEntry.stderr).toMatch(/No nope\.html/);
  });
});
