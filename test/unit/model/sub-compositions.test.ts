/**
 * Sub-compositions: files found from the project root, template-wrapped or full documents,
 * recursively, each with its own variables and per-instance values; and every way a host can
 * fail (missing file, letter case, id mismatch, no id, bad values, loops, outside the project,
 * empty file), each an error at the host's attribute.
 */
import { describe, expect, test } from 'vitest';
import { at, diagnosticsOf, only, parseFixture } from './helpers.js';

describe('valid sub-compositions', () => {
  test('instances: window, playback offset, values, and the parsed child', async () => {
    const { model, html } = await parseFixture('sub-compositions');
    expect(model.diagnostics).toEqual([]);
    const [scene1, scene2, panel] = model.composition.subCompositions;
    expect(scene1).toMatchObject({
      hostId: 'scene1',
      compositionId: 'card',
      src: 'compositions/card.html',
      start: 0,
      duration: 4,
      end: 4,
      track: 0,
      playbackStart: 0,
      variableValues: { label: 'First' },
    });
    expect(scene1.loc).toEqual(at('sub-compositions', 'index.html', '<div id="scene1"'));
    // A leading slash is the project root too; the same file parsed for each host, read once.
    expect(scene2).toMatchObject({ src: '/compositions/card.html', start: 4, duration: 3, end: 7, playbackStart: 1, variableValues: {} });
    expect(scene2.composition?.file).toBe('compositions/card.html');
    expect([...html.keys()]).toEqual(['index.html', 'compositions/card.html', 'compositions/panel.html', 'compositions/parts/badge.html']);

    const card = scene1.composition!;
    expect(card).toMatchObject({
      id: 'card',
      file: 'compositions/card.html',
      elementId: 'card',
      width: 1920,
      height: 1080,
      duration: 4,
      inTemplate: true,
    });
    expect(card.variables).toEqual([{ id: 'label', type: 'string', label: 'Label', default: 'Card' }]);
    expect(card.clips.map((c) => [c.id, c.start, c.end])).toEqual([
      ['inner', 0.5, 1.5],
      ['inner2', 1.5, 2.5],
    ]);
    expect(card.loc).toEqual(at('sub-compositions', 'compositions/card.html', '<div id="card"'));

    // A full-document child declares its variables on <html> and loads its own child.
    expect(panel).toMatchObject({ compositionId: 'panel', start: 7, duration: 5, end: 12 });
    expect(panel.composition).toMatchObject({ id: 'panel', inTemplate: false, width: 0, height: 0, duration: 5 });
    expect(panel.composition!.variables.map((v) => v.id)).toEqual(['count']);
    expect(panel.composition!.subCompositions[0]).toMatchObject({ compositionId: 'badge', start: 1, duration: 2, end: 3 });
    expect(panel.composition!.subCompositions[0].composition?.file).toBe('compositions/parts/badge.html');
  });
});

describe('hosts that cannot load their file', () => {
  const hostAttr = (project: string) => at(project, 'index.html', 'data-composition-src');

  test('a missing file', async () => {
    const d = only(await diagnosticsOf('bad-sub-missing'), 'missing_or_empty_sub_composition');
    expect(d).toMatchObject({
      severity: 'error',
      message: 'data-composition-src="compositions/intro.html": compositions/intro.html does not exist in the project.',
      hint: expect.stringContaining('from the project root'),
      loc: hostAttr('bad-sub-missing'),
    });
  });

  test('a path in other letter case names the real file', async () => {
    const d = only(await diagnosticsOf('bad-sub-case'), 'missing_or_empty_sub_composition');
    expect(d).toMatchObject({
      message: 'data-composition-src="Compositions/Intro.html" differs in letter case from the file compositions/intro.html.',
      hint: 'Write "compositions/intro.html": file names are case-sensitive in the cloud renderer.',
      loc: hostAttr('bad-sub-case'),
    });
  });

  test("the child's root has another id", async () => {
    const { model } = await parseFixture('bad-sub-id-mismatch');
    expect(only(model.diagnostics, 'missing_or_empty_sub_composition')).toMatchObject({
      message: 'The host asks for data-composition-id="intro", but the root of compositions/intro.html is "opening".',
      loc: hostAttr('bad-sub-id-mismatch'),
    });
    expect(model.composition.subCompositions[0].composition).toBeNull();
  });

  test('a host without data-composition-id', async () => {
    const d = only(await diagnosticsOf('bad-sub-host-no-id'), 'host_missing_composition_id');
    expect(d).toMatchObject({
      message: 'The element that loads compositions/intro.html has no data-composition-id.',
      loc: hostAttr('bad-sub-host-no-id'),
    });
  });

  test('data-variable-values that is not JSON, or not an object', async () => {
    const { model } = await parseFixture('bad-sub-values');
    const where = (n: number) => at('bad-sub-values', 'index.html', 'data-variable-values', n);
    expect(model.diagnostics.map((x) => [x.code, x.loc])).toEqual([
      ['invalid_variable_values_json', where(0)],
      ['invalid_variable_values_json', where(1)],
    ]);
    expect(model.diagnostics[0].message).toMatch(/^data-variable-values is not valid JSON \(.+\)\.$/);
    expect(model.diagnostics[1].message).toBe('data-variable-values is an array, not a JSON object.');
    expect(model.diagnostics[1].hint).toContain(`data-variable-values='{"title":"Scene 1"}'`);
    expect(model.composition.subCompositions.map((s) => s.variableValues)).toEqual([{}, {}]);
  });

  test('files that load each other name the loop, at the host that closes it', async () => {
    const d = only(await diagnosticsOf('bad-sub-cycle'), 'subcomposition_cycle');
    expect(d).toMatchObject({
      message: 'Sub-compositions load each other in a loop: index.html → compositions/a.html → compositions/b.html → compositions/a.html.',
      loc: at('bad-sub-cycle', 'compositions/b.html', 'data-composition-src'),
    });
    const self = only(await diagnosticsOf('bad-sub-self'), 'subcomposition_cycle');
    expect(self).toMatchObject({
      message: 'Sub-compositions load each other in a loop: index.html → index.html.',
      loc: hostAttr('bad-sub-self'),
    });
  });

  test('a path above the project root', async () => {
    const d = only(await diagnosticsOf('bad-sub-outside'), 'invalid_parent_traversal_in_asset_path');
    expect(d).toMatchObject({
      message: expect.stringContaining('"../shared/intro.html" climbs above the project root'),
      loc: hostAttr('bad-sub-outside'),
    });
  });

  test('an empty file, and a file without a composition root', async () => {
    const d = await diagnosticsOf('bad-sub-empty');
    expect(d.map((x) => [x.code, x.message, x.loc])).toEqual([
      [
        'missing_or_empty_sub_composition',
        'compositions/intro.html (loaded by "intro") is empty.',
        at('bad-sub-empty', 'index.html', 'data-composition-src', 0),
      ],
      [
        'missing_or_empty_sub_composition',
        'compositions/outro.html (loaded by "outro") has no element with data-composition-id.',
        at('bad-sub-empty', 'index.html', 'data-composition-src', 1),
      ],
    ]);
    expect(d[1].hint).toContain('<template><div data-composition-id="outro"');
  });

  test("a child's own problems are reported in the child's file, once even when mounted twice", async () => {
    const { model } = await parseFixture('bad-sub-child-errors');
    const where = (needle: string) => at('bad-sub-child-errors', 'compositions/card.html', needle);
    expect(model.diagnostics.map((x) => [x.code, x.message, x.loc])).toEqual([
      [
        'invalid_composition_variables_declaration',
        'Invalid variable declaration: variable "n": default must be a number, got "two".',
        where('data-composition-variables'),
      ],
      ['start_reference_cycle', '#p: start references form a cycle: p → q → p.', where('data-start="q"')],
      ['start_reference_cycle', '#q: start references form a cycle: p → q → p.', where('data-start="p"')],
    ]);
    expect(model.composition.subCompositions.map((s) => [s.start, s.composition?.id])).toEqual([
      [0, 'card'],
      [2, 'card'],
    ]);
  });
});
