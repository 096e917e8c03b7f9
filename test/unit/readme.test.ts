/** README.md is made from docs/readme/ and the commands' definitions; these fail when it drifts. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..', '..');

it('README.md is what scripts/readme.mjs writes (run it after editing docs/readme/ or a command)', () => {
  const r = spawnSync(process.execPath, [join(REPO, 'scripts', 'readme.mjs'), '--check'], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});

it('the quick start has the two commands a fresh machine needs, and CI runs the same test command', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const quick = readme.split('## Quick start')[1].split('\n## ')[0];
  const blocks = [...quick.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].trim());
  expect(blocks.slice(0, 2)).toEqual(['npm ci && node bin/framesmith.js dev templates/data-chart', './.ci/run']);
  const ci = readFileSync(join(REPO, '.ci', 'run'), 'utf8');
  expect(ci).toMatch(/^\s*npm test\b/m);
});
