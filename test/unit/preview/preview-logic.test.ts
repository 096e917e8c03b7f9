/**
 * The preview's pure decisions, without a browser: how problems are merged and attributed, which
 * timeline rows a composition gets, what a typed zoom means, where a platform's safe zones fall on
 * a composition, which console warnings are GSAP's and where the call was, what is JSON, and
 * which clips make sound.
 */
import { describe, expect, test, vi } from 'vitest';
import type { RuntimeProblem } from '../../../shared/control.js';
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { LiveDescription } from '../../../shared/live.js';
import type { AssetRef } from '../../../shared/model.js';
import { callerLocation, classifyGsapWarning, findKey } from '../../../runtime/gsap-warnings.js';
import { attributeText } from '../../../preview/instances-panel.js';
import { mergeProblems } from '../../../preview/problems.js';
import { soundTracks } from '../../../preview/sound.js';
import { platformsFor, zonesFor } from '../../../preview/stage.js';
import { buildTimeline, firstOverlapping, visibleRows } from '../../../preview/timeline-data.js';
import { parseZoom } from '../../../preview/topbar.js';
import { isJsonVariable, jsonProblem } from '../../../preview/variable-controls.js';

// The runtime's modules read a few browser globals when they load; these stand in for a page.
vi.hoisted(() => {
  const g = globalThis as Record<string, unknown>;
  g.location = { href: 'http://127.0.0.1:5173/__framesmith/', origin: 'http://127.0.0.1:5173' };
  g.window = Object.assign(globalThis, { requestAnimationFrame: (f: () => void) => setTimeout(f, 0), reportError: () => {} });
});

const noVars = { variableFor: () => null, assets: () => [] as AssetRef[] };

describe('problems', () => {
  test('a timeline never registered after a script error is that error’s consequence, not a second entry', () => {
    const runtime: RuntimeProblem[] = [
      {
        kind: 'page-error',
        code: 'page_error',
        message: 'Uncaught TypeError: tl.fromm is not a function',
        loc: { file: 'index.html', line: 11, column: 8 },
      },
      {
        kind: 'timeline',
        code: 'timeline_not_registered',
        message: 'No GSAP timeline was registered for composition "main".',
        hint: 'Register it synchronously…',
        loc: { file: 'index.html', line: 0, column: 0 },
      },
    ];
    const shown = mergeProblems([], null, [], runtime, [], noVars);
    expect(shown).toHaveLength(1);
    expect(shown[0].consequences.map((c) => c.code)).toEqual(['timeline_not_registered']);
    expect(shown[0].consequences[0].hint).toMatch(/follows from the error above/);
  });

  test('a missing file lint found and the page failed to load is one entry, at the referencing line', () => {
    const lint: Diagnostic[] = [
      {
        severity: 'error',
        code: 'missing_local_asset',
        message: '"images/a.png" does not exist',
        loc: { file: 'index.html', line: 6, column: 5 },
      },
    ];
    const assets = [
      { url: 'images/a.png', path: 'images/a.png', exists: false, loc: { file: 'index.html', line: 6, column: 5 } } as AssetRef,
    ];
    const runtime: RuntimeProblem[] = [
      {
        kind: 'asset',
        code: 'asset_load_failed',
        message: 'Failed to load <img> images/a.png',
        url: 'http://127.0.0.1:5173/images/a.png',
        loc: { file: 'images/a.png', line: 0, column: 0 },
      },
    ];
    const shown = mergeProblems(lint, null, [], runtime, [], { variableFor: () => null, assets: () => assets });
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ code: 'missing_local_asset', note: 'The page failed to load it too.' });
  });

  test('a load that fails for a variable’s value names the variable and has no file link; a sound that also fails to decode is the same entry', () => {
    const url = 'http://127.0.0.1:5173/x.mp3';
    const runtime: RuntimeProblem[] = [
      {
        kind: 'asset',
        code: 'asset_load_failed',
        message: 'Failed to load <audio> x.mp3',
        url,
        loc: { file: 'x.mp3', line: 0, column: 0 },
      },
    ];
    const shown = mergeProblems(
      [],
      null,
      [],
      runtime,
      [{ code: 'audio_decode_failed', message: 'x.mp3 could not be decoded', url, severity: 'error' }],
      {
        variableFor: () => ({ id: 'music', label: 'Music' }),
        assets: () => [],
      },
    );
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ source: 'variable', variable: { id: 'music' }, loc: undefined });
    expect(shown[0].note).toMatch(/cannot be played either/);
  });

  test('a 1 MB message is cut', () => {
    const shown = mergeProblems([], null, [], [{ kind: 'page-error', code: 'page_error', message: 'x'.repeat(1_000_000) }], [], noVars);
    expect(shown[0].message.length).toBeLessThan(2100);
  });
});

describe('GSAP warnings', () => {
  test('are recognised by their messages', () => {
    expect(classifyGsapWarning('GSAP target #nope not found. https://gsap.com')?.code).toBe('gsap_target_not_found');
    expect(classifyGsapWarning('Invalid property colr set to blue Missing plugin? gsap.registerPlugin()')?.code).toBe(
      'gsap_invalid_property',
    );
    expect(classifyGsapWarning('my own warning')).toBeNull();
  });

  test('the caller is the first frame outside the file that warned', () => {
    const stack = [
      'Error',
      '    at console.warn (http://127.0.0.1:5173/__framesmith/runtime.js?v=1:1:100)',
      '    at _warn (http://127.0.0.1:5173/vendor/gsap.min.js:10:200)',
      '    at Tween (http://127.0.0.1:5173/vendor/gsap.min.js:10:900)',
      '    at Timeline.to (http://127.0.0.1:5173/vendor/gsap.min.js:10:1200)',
      '    at http://127.0.0.1:5173/app.js:9:4',
    ].join('\n');
    expect(callerLocation(stack)).toEqual({ file: 'app.js', line: 9, column: 4 });
  });

  test('a property written as a key is found at its line and column', () => {
    expect(findKey('const a = 1;\ntl.to("#b", { x: 1,\n  colr: "red" });', 'colr')).toEqual({ line: 3, column: 3 });
    expect(findKey('gsap.to(el, {"colr":1})', 'colr')).toEqual({ line: 1, column: 14 });
    expect(findKey('const colrful = 1;', 'colr')).toBeNull();
  });
});

describe('timeline rows', () => {
  const live: LiveDescription = {
    duration: 6,
    fps: 30,
    compositions: [
      {
        key: '',
        parent: null,
        compositionId: 'main',
        file: 'index.html',
        hostId: null,
        start: 0,
        end: 6,
        offset: 0,
        hasTimeline: true,
        timelineDuration: 6,
        truncated: false,
        clips: [
          { id: 'a', tag: 'div', kind: 'element', start: 0, end: 2, track: 1, startExpr: '0', index: 0 },
          { id: 'b', tag: 'div', kind: 'element', start: 1, end: 1, track: 1, startExpr: '1', index: 1 },
          { id: 'n', tag: 'p', kind: 'element', start: 0, end: 1, track: null, startExpr: '0', index: 2 },
          { id: 's', tag: 'div', kind: 'composition', start: 2, end: 5, track: 0, startExpr: '2', index: 3, mounts: 's' },
        ],
        tweens: [
          { start: 0, end: 1, kind: 'to', targets: '#a', props: ['x'], ease: null },
          { start: 0.5, end: 2, kind: 'from', targets: '#a', props: ['y'], ease: null },
          { start: 0.6, end: 0.7, kind: 'to', targets: '#a', props: ['z'], ease: null },
          { start: 0.65, end: 0.9, kind: 'to', targets: '#a', props: ['w'], ease: null },
        ],
        labels: [{ name: 'intro', time: 0 }],
      },
      {
        key: 's',
        parent: '',
        compositionId: 'scene',
        file: 'scene.html',
        hostId: 's',
        start: 2,
        end: 5,
        offset: 2,
        hasTimeline: false,
        timelineDuration: null,
        truncated: false,
        clips: [{ id: 't', tag: 'h1', kind: 'element', start: 2, end: 5, track: 0, startExpr: '0', index: 0 }],
        tweens: [],
        labels: [],
      },
    ],
  };

  test('a composition row, its tracks in order, loose clips packed, then the nested composition', () => {
    const data = buildTimeline(null, live, 'index.html');
    expect(data.rows.map((r) => `${'  '.repeat(r.depth)}${r.label}`)).toEqual(['main', '  T0', '  T1', '  ·', '  #s', '    T0']);
    expect(data.rows[2].items.map((i) => [i.label, i.invalid])).toEqual([
      ['#a', null],
      ['#b', 'zero duration: never shown'],
    ]);
    // Overlapping tweens get different sub-lanes; a fourth overlapping one takes the lane that frees first.
    expect(data.comps.get('')!.tweens.map((t) => t.lane)).toEqual([0, 1, 2, 2]);
    expect(visibleRows(data, new Set(['s'])).map((r) => r.label)).toEqual(['main', 'T0', 'T1', '·', '#s']);
    expect(visibleRows(data, new Set([''])).map((r) => r.label)).toEqual(['main']);
  });

  test('the first item that can overlap a time is found by binary search on running ends', () => {
    expect(firstOverlapping(new Float64Array([1, 3, 3, 7]), 2)).toBe(1);
    expect(firstOverlapping(new Float64Array([1, 3, 3, 7]), 8)).toBe(4);
    expect(firstOverlapping(new Float64Array([1, 3, 3, 7]), 0)).toBe(0);
  });
});

describe('zoom, safe zones, JSON, sound, attributes', () => {
  test('typed zooms', () => {
    expect(parseZoom('150')).toBe(1.5);
    expect(parseZoom('75%')).toBe(0.75);
    expect(parseZoom('2x')).toBe(2);
    expect(parseZoom('width')).toBe('fit-width');
    expect(parseZoom('FIT')).toBe('fit');
    expect(parseZoom('100000')).toBe(8);
    expect(parseZoom('big')).toBeNull();
  });

  test('platforms by aspect; a square video gets the part of the 9:16 overlay that falls on it', () => {
    expect(platformsFor(1080, 1920)).toEqual(['tiktok', 'reels', 'shorts']);
    expect(platformsFor(1920, 1080)).toEqual(['youtube']);
    expect(platformsFor(1440, 1080)).toEqual([]);
    const tiktok = zonesFor('tiktok', 1080, 1920);
    expect(tiktok.map((z) => [z.label, z.y, z.h])).toEqual([
      ['Tabs, search', 0, 210],
      ['Like, comment, share', 640, 840],
      ['Caption, sound', 1480, 440],
    ]);
    // 1080×1080 shown at full width in the middle of a 1920 px tall screen: from y 420 to 1500.
    expect(zonesFor('tiktok', 1080, 1080).map((z) => [z.label, z.y, z.h])).toEqual([
      ['Like, comment, share', 220, 840],
      ['Caption, sound', 1060, 20],
    ]);
    // Scaled with the composition.
    expect(zonesFor('youtube', 1280, 720).map((z) => Math.round(z.h))).toEqual([93, 100]);
  });

  test('JSON variables and their errors', () => {
    expect(isJsonVariable({ id: 'd', type: 'string', label: 'D', default: '[{"a":1}]' })).toBe(true);
    expect(isJsonVariable({ id: 'd', type: 'string', label: 'D', default: 'hello' })).toBe(false);
    expect(jsonProblem('[1, 2]')).toBeNull();
    expect(jsonProblem('[1,\n 2,')).toMatch(/^not valid JSON: .*line 2/);
  });

  test('sound comes from unmuted audio and videos with data-has-audio, cut to their composition', () => {
    const media = (kind: 'audio' | 'video', audible: boolean) => ({
      src: `http://h/${kind}`,
      kind,
      mediaStart: 0,
      rate: 1,
      volume: 1,
      muted: !audible,
      audible,
      sourceDuration: 10,
    });
    const live: LiveDescription = {
      duration: 10,
      fps: 30,
      compositions: [
        {
          key: '',
          parent: null,
          compositionId: 'm',
          file: 'i.html',
          hostId: null,
          start: 0,
          end: 10,
          offset: 0,
          hasTimeline: false,
          timelineDuration: null,
          truncated: false,
          tweens: [],
          labels: [],
          clips: [
            { id: 'a', tag: 'audio', kind: 'audio', start: 0, end: 4, track: 0, startExpr: '0', index: 0, media: media('audio', true) },
            { id: 'v', tag: 'video', kind: 'video', start: 0, end: 4, track: 1, startExpr: '0', index: 1, media: media('video', false) },
          ],
        },
        {
          key: 's',
          parent: '',
          compositionId: 's',
          file: 's.html',
          hostId: 's',
          start: 2,
          end: 3,
          offset: 2,
          hasTimeline: false,
          timelineDuration: null,
          truncated: false,
          tweens: [],
          labels: [],
          clips: [
            { id: 'b', tag: 'audio', kind: 'audio', start: 2, end: 8, track: 0, startExpr: '0', index: 0, media: media('audio', true) },
          ],
        },
      ],
    };
    expect(soundTracks(live).map((t) => [t.label, t.start, t.end])).toEqual([
      ['#a', 0, 4],
      ['#b', 2, 3],
    ]);
  });

  test('copy as attribute escapes for a single-quoted HTML attribute', () => {
    expect(attributeText({ title: "Bob's & co" })).toBe(`data-variable-values='{"title":"Bob&#39;s &amp; co"}'`);
  });
});
