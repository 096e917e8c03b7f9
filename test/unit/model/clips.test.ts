/**
 * Clips and media: which elements are clips, their resolved windows (numbers and `id ± n`
 * references), media facts, and every start that cannot be resolved as an error at its
 * data-start naming the ids involved, placed where HeyGen's renderer places it.
 */
import { describe, expect, test } from 'vitest';
import { at, diagnosticsOf, parseFixture } from './helpers.js';

describe('clips of a valid composition', () => {
  test('windows resolved from numbers and references to the end of other clips', async () => {
    const { model } = await parseFixture('basic');
    const clips = model.composition.clips.map((c) => [
      c.id,
      c.kind,
      c.tag,
      c.startExpr,
      c.start,
      c.duration,
      c.end,
      c.track,
      c.hasClipClass,
    ]);
    expect(clips).toEqual([
      ['intro', 'element', 'div', '0', 0, 2, 2, 0, true],
      ['body', 'element', 'div', 'intro + 0.5', 2.5, 3, 5.5, 0, true],
      ['outro', 'element', 'div', 'body - 1', 4.5, 2, 6.5, 1, true],
      ['late', 'element', 'div', 'outro', 6.5, 1, 7.5, 1, false],
      ['logo', 'image', 'img', '1', 1, 9, 10, 2, true],
      ['bg', 'video', 'video', '0', 0, null, null, 3, false],
      ['music', 'audio', 'audio', 'intro', 2, 8, 10, 4, false],
      // Nested inside a plain element, still a clip of the composition; <template> content is not.
      ['nested', 'element', 'span', '2', 2, 1, 3, 5, true],
    ]);
    expect(model.composition.clips[1].loc).toEqual(at('basic', 'index.html', '<div id="body"'));
  });

  test('media elements: source, window, trims, volume, rate, audio flags', async () => {
    const { model } = await parseFixture('basic');
    expect(model.composition.media).toEqual([
      {
        id: 'bg',
        kind: 'video',
        src: 'media/bg.mp4',
        start: 0,
        duration: null,
        track: 3,
        mediaStart: 0.5,
        volume: 0.5,
        playbackRate: 2,
        muted: true,
        hasAudio: false,
        loc: at('basic', 'index.html', '<video'),
      },
      {
        id: 'music',
        kind: 'audio',
        src: 'media/music.mp3',
        start: 2,
        duration: 8,
        track: 4,
        mediaStart: 0,
        volume: 1,
        playbackRate: 1,
        muted: false,
        hasAudio: true,
        loc: at('basic', 'index.html', '<audio'),
      },
    ]);
  });

  test('sub-composition hosts are clips of kind composition, lasting as long as their child', async () => {
    const { model } = await parseFixture('sub-compositions');
    expect(model.composition.clips.map((c) => [c.id, c.kind, c.start, c.duration, c.end])).toEqual([
      ['scene1', 'composition', 0, 4, 4],
      ['scene2', 'composition', 4, 3, 7],
      ['panel', 'composition', 7, 5, 12],
    ]);
  });
});

describe('starts that cannot be resolved', () => {
  test('an unknown id is an error; a clip that depends on it follows it from 0 s, as in HeyGen', async () => {
    const { model } = await parseFixture('bad-clip-unknown-ref');
    expect(model.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'unknown_start_reference',
        message: `#body: data-start="intr + 1" refers to "intr", but no clip in this composition has that id. HeyGen's renderer places it at 0 s.`,
        hint: expect.stringContaining('id (or data-composition-id) of another element'),
        loc: at('bad-clip-unknown-ref', 'index.html', 'data-start="intr'),
      },
    ]);
    const after = model.composition.clips.find((c) => c.id === 'after')!;
    const body = model.composition.clips.find((c) => c.id === 'body')!;
    expect([body.start, body.end, after.start]).toEqual([0, null, body.duration ?? 0]);
  });

  test('cycles of two, three and one clip name the chain', async () => {
    const { model } = await parseFixture('bad-clip-cycle');
    const where = (id: string) => at('bad-clip-cycle', 'index.html', `data-start="${id}`);
    expect(model.diagnostics.map((x) => [x.code, x.message, x.loc])).toEqual([
      ['start_reference_cycle', '#a: start references form a cycle: a → b → a.', where('b')],
      ['start_reference_cycle', '#b: start references form a cycle: a → b → a.', where('a + 0.5')],
      ['start_reference_cycle', '#x: start references form a cycle: x → z → y → x.', where('z')],
      ['start_reference_cycle', '#y: start references form a cycle: x → z → y → x.', where('x')],
      ['start_reference_cycle', '#z: start references form a cycle: x → z → y → x.', where('y - 0.5')],
      ['start_reference_cycle', '#self: start references form a cycle: self → self.', where('self')],
    ]);
    expect(model.diagnostics[0].hint).toContain('Break the cycle');
    // Clips that cannot be placed have no end, so nothing downstream reasons about a made-up window.
    expect(model.composition.clips.map((c) => c.end)).toEqual([null, null, null, null, null, null]);
  });

  test('a reference to a clip whose length is unknown (media without data-duration) counts from its start, as in HeyGen', async () => {
    const { model } = await parseFixture('bad-clip-ref-no-duration');
    expect(model.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(model.composition.clips.find((c) => c.id === 'title')).toMatchObject({ start: 1, end: 3 });
  });

  test('starts that are neither seconds nor references, and negative starts', async () => {
    const d = await diagnosticsOf('bad-clip-start');
    const where = (v: string) => at('bad-clip-start', 'index.html', `data-start="${v}"`);
    expect(d.map((x) => [x.code, x.message, x.loc])).toEqual([
      [
        'invalid_data_start',
        `#soon: data-start="soon!" is not a number of seconds or "clip-id [+|- seconds]". HeyGen's renderer places it at 0 s.`,
        where('soon!'),
      ],
      ['invalid_data_start', '#neg: data-start="-1" is negative.', where('-1')],
      [
        'invalid_data_start',
        `#empty: data-start="" is not a number of seconds or "clip-id [+|- seconds]". HeyGen's renderer places it at 0 s.`,
        where(''),
      ],
    ]);
  });

  test('bad durations, tracks and media values point at their attribute', async () => {
    const d = await diagnosticsOf('bad-clip-values');
    const where = (a: string) => at('bad-clip-values', 'index.html', a);
    expect(d.map((x) => [x.code, x.message, x.loc])).toEqual([
      ['invalid_attribute_value', 'data-duration="abc" is not a number of at least 0.', where('data-duration="abc"')],
      ['invalid_attribute_value', 'data-track-index="1.5" is not a whole number of at least 0.', where('data-track-index="1.5"')],
      ['invalid_attribute_value', 'data-volume="2" is not a number from 0 to 1.', where('data-volume')],
      ['invalid_attribute_value', 'data-playback-rate="0" is not a number from 0.1 to 5.', where('data-playback-rate')],
      ['invalid_attribute_value', 'data-media-start="-3" is not a number of at least 0.', where('data-media-start')],
    ]);
    expect(d[2].hint).toBe('Write data-volume as a number from 0 to 1, e.g. data-volume="0.8".');
  });
});
