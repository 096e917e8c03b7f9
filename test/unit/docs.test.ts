/**
 * The docs hold together: the generated parts (command reference, lint rules, exit and error codes)
 * match the code, every relative link leads somewhere, the README stays short, and the
 * programmatic API page imports only names the package exports.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { CLOUD_EXIT } from '../../src/cloud/exit-codes.js';
import { EXIT_CODES } from '../../src/core/exit-codes.js';

const REPO = join(import.meta.dirname, '..', '..');
const pages = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(REPO, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

it('the generated parts of docs/ are what scripts/docs.mjs writes (run `node scripts/docs.mjs` after changing a command, a rule or an error)', () => {
  const r = spawnSync(process.execPath, [join(REPO, 'scripts', 'docs.mjs'), '--check'], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});

it('the README is short and links to the pages that hold the rest', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  expect(readme.split('\n').length).toBeLessThanOrEqual(150);
  for (const page of [
    'getting-started',
    'composition',
    'dev',
    'templates',
    'lint',
    'build',
    'render',
    'cloud',
    'errors',
    'api',
    'limitations',
    'cli',
  ]) {
    expect(readme).toContain(`](docs/${page}.md)`);
  }
  expect(readme).toContain('](CONTRIBUTING.md)');
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

it('every relative link in the README, CONTRIBUTING.md and docs/ points to a file (and heading) that exists', () => {
  const broken: string[] = [];
  for (const page of pages) {
    const text = readFileSync(join(REPO, page), 'utf8').replace(/```[\s\S]*?```/g, '');
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [path, anchor] = target.split('#');
      const file = path ? resolve(dirname(join(REPO, page)), path) : join(REPO, page);
      if (!existsSync(file)) {
        broken.push(`${page}: ${target} (no such file)`);
        continue;
      }
      if (anchor && file.endsWith('.md')) {
        const headings =
          readFileSync(file, 'utf8')
            .replace(/```[\s\S]*?```/g, '')
            .match(/^#{1,6} .*$/gm) ?? [];
        if (!headings.some((h) => slug(h.replace(/^#+ /, '')) === anchor)) broken.push(`${page}: ${target} (no such heading)`);
      }
    }
  }
  expect(broken).toEqual([]);
});

it('docs/api.md imports only what the package exports', async () => {
  const text = readFileSync(join(REPO, 'docs', 'api.md'), 'utf8');
  const entry = { framesmith: await import('../../src/index.js'), 'framesmith/cloud': await import('../../src/cloud/index.js') };
  const missing: string[] = [];
  for (const [, names, from] of text.matchAll(/import \{([^}]+)\} from '([^']+)'/g)) {
    const mod = entry[from as keyof typeof entry];
    expect(mod, `docs/api.md imports from ${from}`).toBeDefined();
    for (const name of names
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean))
      if (!(name in mod)) missing.push(`${name} from ${from}`);
  }
  expect(missing).toEqual([]);
});

it('every cloud exit code is listed in the exit code table', () => {
  const listed = new Set(EXIT_CODES.map((e) => e.code));
  for (const [name, code] of Object.entries(CLOUD_EXIT)) expect(listed.has(code), `CLOUD_EXIT.${name} = ${code}`).toBe(true);
});
