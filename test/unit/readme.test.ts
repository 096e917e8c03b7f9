/** The README's quick start is the two commands a fresh machine needs; CI runs the same test command. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..', '..');

it('the quick start has the two commands a fresh machine needs, and CI runs the same test command', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const quick = readme.split('## Quick start')[1].split('\n## ')[0];
  const blocks = [...quick.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].trim());
  expect(blocks.slice(0, 2)).toEqual(['npm ci && node bin/framesmith.js dev templates/data-chart', './.ci/run']);
  const ci = readFileSync(join(REPO, '.ci', 'run'), 'utf8');
  expect(ci).toMatch(/^\s*npm test\b/m);
});
