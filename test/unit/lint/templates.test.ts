/**
 * No false positives on our own templates: every template created at every aspect (as
 * `framesmith new` does) lints with no finding at all, and the lint reads each HTML, CSS and
 * script file the composition uses.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintProject } from '../../../src/lint/index.js';
import { createProject } from '../../../src/scaffold/create-project.js';
import { REPO, tempDir } from '../../helpers/fixtures.js';

const templates = readdirSync(join(REPO, 'templates')).filter((n) => existsSync(join(REPO, 'templates', n, 'template.json')));
const base = tempDir('framesmith-lint-templates-');

describe('lint on the templates', () => {
  it('finds the templates', () => expect(templates.length).toBeGreaterThanOrEqual(5));
  for (const template of templates) {
    for (const aspect of ['16:9', '9:16', '1:1'] as const) {
      it(`${template} ${aspect}: no findings`, async () => {
        const dir = join(base, `${template}-${aspect.replace(':', 'x')}`);
        await createProject({ dir, template, aspect });
        const result = await lintProject(dir);
        expect(result.diagnostics).toEqual([]);
        expect(result.files).toContain('index.html');
        expect(result.files.some((f) => f.startsWith('vendor/'))).toBe(false);
      });
    }
  }
  it('a 4k project lints clean too', async () => {
    const dir = join(base, 'title-4k');
    await createProject({ dir, template: 'title-card', resolution: '4k' });
    expect((await lintProject(dir)).diagnostics).toEqual([]);
  });
});
