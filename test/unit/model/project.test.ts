/**
 * Opening a project: the folder, the entry HTML, the composition root, loadProject's strict
 * form, and listEntries. These are the inputs that stop the parser with a FramesmithError.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { listEntries, loadProject, parseProject } from '../../../src/model/index.js';
import { tempDir } from '../../helpers/fixtures.js';
import { at, fixture, parseFixture, rejection } from './helpers.js';

describe('the project folder and its entry', () => {
  test('a folder that does not exist', async () => {
    const err = await rejection(parseProject(fixture('no-such-project')));
    expect(err).toMatchObject({ code: 'project_not_found', message: expect.stringContaining('no-such-project does not exist') });
    expect(err.hint).toContain('framesmith new');
  });

  test('a file instead of a folder', async () => {
    const err = await rejection(parseProject(join(fixture('basic'), 'index.html')));
    expect(err).toMatchObject({ code: 'project_not_a_folder', message: expect.stringMatching(/index\.html is not a folder/) });
    expect(err.hint).toContain('--composition');
  });

  test('no index.html names the entries that exist', async () => {
    const err = await rejection(parseFixture('bad-no-entry'));
    expect(err).toMatchObject({ code: 'entry_not_found', message: expect.stringContaining('No index.html in the project folder') });
    expect(err.hint).toBe('Pass --composition with one of: other.html.');
    const model = await loadProject(fixture('bad-no-entry'), { composition: 'other.html' });
    expect(model.entry).toBe('other.html');
  });

  test('no HTML at all says how to start', async () => {
    const err = await rejection(parseFixture('bad-empty-folder'));
    expect(err.code).toBe('entry_not_found');
    expect(err.hint).toMatch(/Create index\.html.*framesmith new/);
  });

  test('an entry written with other letter case names the real file', async () => {
    const err = await rejection(parseFixture('bad-entry-case'));
    expect(err.code).toBe('entry_not_found');
    expect(err.hint).toContain('The file is named Index.html');
  });

  test('--composition outside the project, or missing', async () => {
    const outside = await rejection(parseFixture('basic', { composition: '../other/index.html' }));
    expect(outside).toMatchObject({ code: 'entry_outside_project', message: expect.stringContaining('../other/index.html') });
    const missing = await rejection(parseFixture('entries', { composition: 'nope.html' }));
    expect(missing.message).toContain('No nope.html');
    expect(missing.hint).toBe('Pass --composition with one of: index.html, alt/square.htm, vertical.html.');
  });

  test('--composition picks another entry, also by absolute path inside the project', async () => {
    const { model } = await parseFixture('entries', { composition: 'vertical.html' });
    expect([model.entry, model.composition.width, model.composition.height]).toEqual(['vertical.html', 1080, 1920]);
    const abs = await parseProject(fixture('entries'), { composition: join(fixture('entries'), 'alt', 'square.htm') });
    expect(abs.model.entry).toBe('alt/square.htm');
  });
});

describe('the composition root', () => {
  test('no element with data-composition-id points at the one that looks like the root', async () => {
    const err = await rejection(parseFixture('bad-no-root'));
    expect(err).toMatchObject({
      code: 'root_missing_composition_id',
      message: 'index.html has no composition root: no element in <body> has data-composition-id.',
    });
    expect(err.loc).toEqual(at('bad-no-root', 'index.html', '<div id="stage"'));
    expect(err.hint).toContain('data-composition-id="main" data-width="1920"');
  });

  test('an empty entry file', async () => {
    const err = await rejection(parseFixture('bad-empty-entry'));
    expect(err).toMatchObject({ code: 'root_missing_composition_id', loc: { file: 'index.html', line: 1, column: 1 } });
  });

  test('an entry wrapped in <template> is an error, and the rest is still read', async () => {
    const { model } = await parseFixture('bad-entry-template');
    expect(model.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'standalone_composition_wrapped_in_template',
        message: 'index.html wraps its composition in <template>; an entry file must be a full document.',
        loc: at('bad-entry-template', 'index.html', '<div id="root"'),
      }),
    ]);
    expect(model.composition).toMatchObject({ id: 'main', width: 1920, duration: 10, inTemplate: true });
  });
});

describe('loadProject', () => {
  test('errors HeyGen renders through stay in the model, with its default size where the root has none', async () => {
    const model = await loadProject(fixture('bad-root-missing'));
    expect(model.diagnostics.map((d) => d.code)).toEqual(['root_missing_dimensions', 'root_composition_missing_duration_source']);
    expect(model.diagnostics[0].hint).toContain('data-width="1920"');
    expect([model.composition.width, model.composition.height]).toEqual([1080, 1920]);
  });

  test('throws for what HeyGen refuses (a sub-composition file it cannot use), with only those errors as details', async () => {
    const err = await rejection(loadProject(fixture('bad-several')));
    const where = (needle: string) => at('bad-several', 'index.html', needle);
    expect(err).toMatchObject({ code: 'missing_or_empty_sub_composition', loc: where('data-composition-src') });
    expect(err.details.map((d) => [d.code, d.loc])).toEqual([['missing_or_empty_sub_composition', where('data-composition-src')]]);
    // The others are still in the model, in reading order.
    const { model } = await parseFixture('bad-several');
    expect(model.diagnostics.map((d) => [d.code, d.loc])).toEqual([
      ['root_missing_dimensions', where('<div id="root"')],
      ['unknown_start_reference', where('data-start="intro')],
      ['missing_or_empty_sub_composition', where('data-composition-src')],
    ]);
  });

  test('returns the model when there is no error', async () => {
    const model = await loadProject(fixture('basic'));
    expect(model.composition.id).toBe('main');
  });
});

describe('listEntries', () => {
  test('full documents with a root outside <template>, index.html first', async () => {
    // Fragments, templates, pages without a root are not entries.
    expect(await listEntries(fixture('entries'))).toEqual(['index.html', 'alt/square.htm', 'vertical.html']);
    const { model } = await parseFixture('entries');
    expect(model.entries).toEqual(['index.html', 'alt/square.htm', 'vertical.html']);
  });

  test('dependencies, outputs and dotfolders are not searched', async () => {
    const dir = join(tempDir('framesmith-entries-'), 'p');
    cpSync(fixture('entries'), dir, { recursive: true });
    const page = readFileSync(join(dir, 'index.html'), 'utf8');
    for (const folder of ['node_modules/pkg', 'dist', 'renders', 'snapshots', '.cache']) {
      mkdirSync(join(dir, folder), { recursive: true });
      writeFileSync(join(dir, folder, 'index.html'), page);
    }
    writeFileSync(join(dir, '.draft.html'), page);
    expect(await listEntries(dir)).toEqual(['index.html', 'alt/square.htm', 'vertical.html']);
  });

  test('a folder without entries gives an empty list', async () => {
    expect(await listEntries(fixture('bad-empty-folder'))).toEqual([]);
  });
});
