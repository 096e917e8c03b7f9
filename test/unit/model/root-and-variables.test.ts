/**
 * The root element's attributes and the variable declarations: the facts of a valid project,
 * and each bad value as an error diagnostic with its code, message and place.
 */
import { describe, expect, test } from 'vitest';
import { at, diagnosticsOf, fixture, only, parseFixture } from './helpers.js';

describe('root attributes', () => {
  test('a valid root', async () => {
    const { model } = await parseFixture('basic');
    expect(model.root).toBe(fixture('basic'));
    expect(model.entry).toBe('index.html');
    expect(model.composition).toMatchObject({
      id: 'main',
      file: 'index.html',
      elementId: 'root',
      width: 1920,
      height: 1080,
      start: 0,
      duration: 10,
      fps: 25,
      noTimeline: false,
      inTemplate: false,
      loc: at('basic', 'index.html', '<div id="root"'),
    });
    expect(model.diagnostics).toEqual([]);
    const sub = await parseFixture('sub-compositions');
    expect([sub.model.composition.fps, sub.model.composition.noTimeline]).toEqual([null, true]);
  });

  test('missing width, height and duration', async () => {
    const d = await diagnosticsOf('bad-root-missing');
    const root = at('bad-root-missing', 'index.html', '<div id="root"');
    expect(d).toEqual([
      {
        severity: 'error',
        code: 'root_missing_dimensions',
        message: 'The composition root "main" has no data-width and no data-height.',
        hint: expect.stringContaining('data-width="1920" data-height="1080"'),
        loc: root,
      },
      {
        severity: 'error',
        code: 'root_composition_missing_duration_source',
        message: 'The composition root "main" has no data-duration.',
        hint: expect.stringContaining('data-duration="10"'),
        loc: root,
      },
    ]);
  });

  test('values that are not valid numbers point at their attribute', async () => {
    const d = await diagnosticsOf('bad-root-values');
    const where = (needle: string) => at('bad-root-values', 'index.html', needle);
    expect(d.map((x) => [x.code, x.message, x.loc])).toEqual(
      expect.arrayContaining([
        ['invalid_attribute_value', 'data-width="wide" is not a number above 0.', where('data-width')],
        ['invalid_attribute_value', 'data-duration="-2" is not a number above 0.', where('data-duration')],
        ['invalid_attribute_value', 'data-start="later" is not a number of at least 0.', where('data-start')],
        // An empty required attribute reads as missing: one clear message.
        ['root_missing_dimensions', 'The composition root "main" has no data-height.', where('<div id="root"')],
        ['invalid_fps', 'data-fps="500" is not a whole number from 1 to 240.', where('data-fps')],
      ]),
    );
    expect(d).toHaveLength(5);
    expect(d.every((x) => x.severity === 'error' && x.hint)).toBe(true);
  });

  test('a zero duration and a fractional fps', async () => {
    const d = await diagnosticsOf('bad-root-fps');
    expect(only(d, 'invalid_attribute_value')).toMatchObject({
      message: 'data-duration="0" is not a number above 0.',
      loc: at('bad-root-fps', 'index.html', 'data-duration'),
    });
    expect(only(d, 'invalid_fps')).toMatchObject({
      message: 'data-fps="29.97" is not a whole number from 1 to 240.',
      hint: expect.stringContaining('whole numbers only'),
    });
  });

  test('an empty data-composition-id', async () => {
    const d = only(await diagnosticsOf('bad-root-empty-id'), 'root_missing_composition_id');
    expect(d).toMatchObject({
      severity: 'error',
      message: expect.stringContaining('empty data-composition-id'),
      loc: at('bad-root-empty-id', 'index.html', 'data-composition-id'),
    });
  });
});

describe('variable declarations', () => {
  test('declared on <html>, validated and kept in order', async () => {
    const { model } = await parseFixture('basic');
    expect(model.composition.variables).toEqual([
      { id: 'title', type: 'string', label: 'Title', default: 'Hello' },
      { id: 'accent', type: 'color', label: 'Accent', default: '#ff0066' },
    ]);
  });

  test('broken JSON', async () => {
    const d = only(await diagnosticsOf('bad-variables-json'), 'invalid_composition_variables_declaration');
    expect(d).toMatchObject({
      severity: 'error',
      message: expect.stringMatching(/^data-composition-variables on <html> is not valid JSON \(.+\)\.$/),
      hint: expect.stringContaining('JSON array inside single quotes'),
      loc: at('bad-variables-json', 'index.html', 'data-composition-variables'),
    });
  });

  test('an object instead of an array', async () => {
    const d = only(await diagnosticsOf('bad-variables-not-array'), 'invalid_composition_variables_declaration');
    expect(d.message).toBe('Invalid variable declaration: data-composition-variables must be a JSON array of declarations.');
    expect(d.hint).toContain('even for one');
  });

  test('each bad entry is its own error; good entries are kept', async () => {
    const { model } = await parseFixture('bad-variables-entries');
    const loc = at('bad-variables-entries', 'index.html', 'data-composition-variables');
    expect(model.diagnostics.map((x) => [x.code, x.message, x.loc])).toEqual([
      [
        'invalid_composition_variables_declaration',
        'Invalid variable declaration: variable "count": default must be a number, got "3".',
        loc,
      ],
      [
        'invalid_composition_variables_declaration',
        'Invalid variable declaration: variable "style": an enum needs a non-empty "options" array of {value, label}.',
        loc,
      ],
      [
        'invalid_composition_variables_declaration',
        'Invalid variable declaration: variable "size": "type" must be one of string, number, color, boolean, enum, font, image.',
        loc,
      ],
    ]);
    expect(model.diagnostics[1].hint).toContain('"options"');
    expect(model.composition.variables.map((v) => v.id)).toEqual(['ok']);
  });

  test('the same id on <html> and on the root', async () => {
    const { model } = await parseFixture('bad-variables-duplicate');
    const d = only(model.diagnostics, 'invalid_composition_variables_declaration');
    expect(d.message).toBe('Invalid variable declaration: variable "title" is declared twice (on <html> and on the root).');
    expect(d.loc).toEqual(at('bad-variables-duplicate', 'index.html', 'data-composition-variables', 1));
    expect(model.composition.variables).toEqual([expect.objectContaining({ id: 'title', label: 'Title' })]);
  });
});
