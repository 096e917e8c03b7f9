/**
 * The composition model parser: facts it extracts (root, clips with resolved windows,
 * sub-compositions, media, variables, assets) and every bad input, each with its code, a clear
 * message and the file:line:col where it is.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { listEntries, loadProject, parseProject } from '../../src/model/index.js';
import { FramesmithError } from '../../src/core/errors.js';
import { tempDir } from '../helpers/fixtures.js';

function project(files: Record<string, string>): string {
  const dir = tempDir('framesmith-model-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const page = (root: string, { head = '', html = '', after = '' } = {}) =>
  `<!doctype html>\n<html lang="en"${html}>\n<head><meta charset="utf-8">${head}</head>\n<body>\n${root}\n${after}</body>\n</html>\n`;

const ROOT_ATTRS = 'id="root" data-composition-id="main" data-width="1920" data-height="1080" data-start="0" data-duration="10"';

async function codes(files: Record<string, string>) {
  const { model } = await parseProject(project(files));
  return model.diagnostics;
}

describe('a valid project', () => {
  test('root facts, resolved clips, media, variables', async () => {
    const dir = project({
      'index.html': page(
        `<div ${ROOT_ATTRS} data-fps="25">
  <div id="intro" class="clip" data-start="0" data-duration="2" data-track-index="0"></div>
  <div id="body" class="clip" data-start="intro + 0.5" data-duration="3" data-track-index="0"></div>
  <div id="outro" class="clip" data-start="body" data-duration="1" data-track-index="1"></div>
  <video id="v" src="media/clip.mp4" muted playsinline data-start="1" data-track-index="2" data-media-start="0.5"></video>
  <img id="logo" class="clip" src="images/Logo.png" data-start="0" data-duration="10" data-track-index="3">
</div>`,
        { html: ` data-composition-variables='[{"id":"title","type":"string","label":"Title","default":"Hi"},{"id":"n","type":"number","label":"N","default":3}]'` },
      ),
      'media/clip.mp4': 'x',
      'images/Logo.png': 'x',
    });
    const model = await loadProject(dir);
    expect(model.entry).toBe('index.html');
    const c = model.composition;
    expect([c.id, c.width, c.height, c.duration, c.fps, c.start]).toEqual(['main', 1920, 1080, 10, 25, 0]);
    expect(c.clips.map((k) => [k.id, k.start, k.end, k.track])).toEqual([
      ['intro', 0, 2, 0],
      ['body', 2.5, 5.5, 0],
      ['outro', 5.5, 6.5, 1],
      ['v', 1, null, 2],
      ['logo', 0, 10, 3],
    ]);
    expect(c.media).toEqual([expect.objectContaining({ id: 'v', kind: 'video', src: 'media/clip.mp4', start: 1, duration: null, muted: true, mediaStart: 0.5 })]);
    expect(c.variables.map((v) => v.id)).toEqual(['title', 'n']);
    expect(model.diagnostics).toEqual([]);
    expect(model.assets.find((a) => a.url === 'images/Logo.png')).toMatchObject({ exists: true, kind: 'image', path: 'images/Logo.png' });
  });

  test('sub-compositions are parsed with their own variables, instance values and paths from the project root', async () => {
    const dir = project({
      'index.html': page(`<div ${ROOT_ATTRS}>
  <div id="scene" class="clip" data-composition-id="card" data-composition-src="compositions/card.html" data-start="1" data-track-index="0" data-variable-values='{"label":"A"}'></div>
</div>`),
      'compositions/card.html': `<template>
  <div id="card" data-composition-id="card" data-width="1920" data-height="1080" data-duration="4"
       data-composition-variables='[{"id":"label","type":"string","label":"Label","default":"Card"}]'>
    <img class="pic" src="assets/pic.png">
    <div class="clip" id="inner" data-start="0.5" data-duration="1" data-track-index="0"></div>
  </div>
  <style>.pic { background: url(assets/bg.png); }</style>
</template>`,
      'assets/pic.png': 'x',
    });
    const { model, html } = await parseProject(dir);
    const [sub] = model.composition.subCompositions;
    expect(sub).toMatchObject({ compositionId: 'card', src: 'compositions/card.html', start: 1, duration: 4, end: 5, variableValues: { label: "A" } });
    expect(model.composition.clips[0]).toMatchObject({ id: 'scene', kind: 'composition', start: 1, duration: 4, end: 5 });
    expect(sub.composition?.variables.map((v) => v.id)).toEqual(['label']);
    expect(sub.composition?.clips.map((k) => [k.id, k.start])).toEqual([['inner', 0.5]]);
    expect(sub.composition?.inTemplate).toBe(true);
    expect([...html.keys()]).toEqual(['index.html', 'compositions/card.html']);
    const pic = model.assets.find((a) => a.url === 'assets/pic.png');
    expect(pic).toMatchObject({ path: 'assets/pic.png', exists: true, loc: { file: 'compositions/card.html', line: 4 } });
    expect(model.assets.find((a) => a.url === 'assets/bg.png')).toMatchObject({ exists: false, via: 'style-tag', loc: { file: 'compositions/card.html', line: 7 } });
  });

  test('assets: CSS files followed, external and case mismatch flagged, paths above the root caught', async () => {
    const dir = project({
      'index.html': page(`<div ${ROOT_ATTRS} style="background-image: url('img/Back.PNG')"><img src="../secret.png"></div>`, {
        head: '<link rel="stylesheet" href="css/app.css"><script src="https://cdn.example.com/gsap.js"></script>',
      }),
      'css/app.css': '@import "theme.css";\n.a { background: url(../img/dot.png); }\n@font-face { font-family: X; src: url(../fonts/x.woff2); }\n',
      'css/theme.css': 'body { background: url("paper.jpg"); }',
      'img/back.png': 'x',
      'img/dot.png': 'x',
    });
    const { model, css } = await parseProject(dir);
    const by = (url: string) => model.assets.find((a) => a.url === url);
    expect(by('img/Back.PNG')).toMatchObject({ exists: false, caseMismatch: 'img/back.png', via: 'inline-style' });
    expect(by('https://cdn.example.com/gsap.js')).toMatchObject({ external: true, kind: 'script' });
    expect(by('../secret.png')).toMatchObject({ outsideRoot: true, path: null });
    expect(by('../img/dot.png')).toMatchObject({ path: 'img/dot.png', exists: true, via: 'css-file', loc: { file: 'css/app.css', line: 2 } });
    expect(by('../fonts/x.woff2')).toMatchObject({ kind: 'font', exists: false });
    expect(by('paper.jpg')).toMatchObject({ path: 'css/paper.jpg', loc: { file: 'css/theme.css', line: 1 } });
    expect([...css.keys()].sort()).toEqual(['css/app.css', 'css/theme.css']);
  });

  test('listEntries finds full documents with a root, index.html first', async () => {
    const dir = project({
      'index.html': page(`<div ${ROOT_ATTRS}></div>`),
      'alt/vertical.html': page(`<div ${ROOT_ATTRS}></div>`),
      'compositions/part.html': '<template><div data-composition-id="part"></div></template>',
      'notes.html': '<!doctype html><html><body><p>hi</p></body></html>',
      'node_modules/x/index.html': page(`<div ${ROOT_ATTRS}></div>`),
    });
    expect(await listEntries(dir)).toEqual(['index.html', 'alt/vertical.html']);
  });
});

describe('bad input', () => {
  test('not a folder, missing folder, no entry', async () => {
    const dir = project({ 'a.txt': 'x', 'other.html': page(`<div ${ROOT_ATTRS}></div>`) });
    await expect(parseProject(join(dir, 'a.txt'))).rejects.toMatchObject({ code: 'project_not_a_folder' });
    await expect(parseProject(join(dir, 'nope'))).rejects.toMatchObject({ code: 'project_not_found' });
    const err = await parseProject(dir).catch((e) => e as FramesmithError);
    expect(err).toMatchObject({ code: 'entry_not_found', message: expect.stringContaining('index.html') });
    expect(err.hint).toContain('--composition with one of: other.html');
  });

  test('an entry named with other letter case says so', async () => {
    const err = await parseProject(project({ 'Index.html': page(`<div ${ROOT_ATTRS}></div>`) })).catch((e) => e as FramesmithError);
    expect(err.hint).toContain('Index.html');
  });

  test('no composition root names the element that looks like one', async () => {
    const err = await parseProject(project({ 'index.html': page('<div id="stage" data-width="10" data-height="10"></div>') })).catch((e) => e as FramesmithError);
    expect(err).toMatchObject({ code: 'root_missing_composition_id', loc: { file: 'index.html', line: 5, column: 1 } });
  });

  test('missing size and duration', async () => {
    const d = await codes({ 'index.html': page('<div id="root" data-composition-id="main" data-start="0"></div>') });
    expect(d.map((x) => x.code)).toEqual(['root_missing_dimensions', 'root_composition_missing_duration_source']);
    expect(d[0]).toMatchObject({ severity: 'error', message: expect.stringContaining('data-width or data-height'), loc: { file: 'index.html', line: 5, column: 1 } });
  });

  test('invalid numbers point at the attribute', async () => {
    const d = await codes({ 'index.html': page('<div id="root" data-composition-id="main" data-width="wide" data-height="1080" data-duration="-2" data-fps="500"></div>') });
    expect(d.map((x) => x.code)).toEqual(expect.arrayContaining(['invalid_attribute_value', 'invalid_fps']));
    expect(d.find((x) => x.message.includes('data-width="wide"'))?.loc).toEqual({ file: 'index.html', line: 5, column: 43 });
  });

  test('variables: broken JSON, not an array, wrong default type, enum without options', async () => {
    const broken = await codes({ 'index.html': page(`<div ${ROOT_ATTRS}></div>`, { html: ` data-composition-variables='[{"id":}]'` }) });
    expect(broken[0]).toMatchObject({ code: 'invalid_composition_variables_declaration', message: expect.stringContaining('not valid JSON'), loc: { file: 'index.html', line: 2, column: 17 } });
    const notArray = await codes({ 'index.html': page(`<div ${ROOT_ATTRS}></div>`, { html: ` data-composition-variables='{"id":"x"}'` }) });
    expect(notArray[0].message).toContain('JSON array');
    const wrong = await codes({
      'index.html': page(`<div ${ROOT_ATTRS}></div>`, {
        html: ` data-composition-variables='[{"id":"n","type":"number","label":"N","default":"3"},{"id":"s","type":"enum","label":"S","default":"a"}]'`,
      }),
    });
    expect(wrong.map((x) => x.message)).toEqual([expect.stringContaining('"n": default must be a number'), expect.stringContaining('"s": an enum needs')]);
  });

  test('unknown clip reference and cycles name the ids', async () => {
    const unknown = await codes({ 'index.html': page(`<div ${ROOT_ATTRS}><div id="a" data-start="ghost + 1" data-duration="1"></div></div>`) });
    expect(unknown[0]).toMatchObject({ code: 'unknown_start_reference', message: expect.stringContaining('"ghost"'), loc: { file: 'index.html', line: 5, column: 126 } });
    const cycle = await codes({
      'index.html': page(`<div ${ROOT_ATTRS}><div id="a" data-start="b" data-duration="1"></div><div id="b" data-start="a" data-duration="1"></div></div>`),
    });
    expect(cycle.map((x) => x.code)).toEqual(['start_reference_cycle', 'start_reference_cycle']);
    expect(cycle[0].message).toContain('a → b → a');
  });

  test('sub-compositions: missing file, wrong id, bad instance values, cycles', async () => {
    const d = await codes({
      'index.html': page(`<div ${ROOT_ATTRS}>
  <div id="x" data-composition-id="x" data-composition-src="compositions/missing.html" data-start="0"></div>
  <div id="y" data-composition-id="y" data-composition-src="compositions/y.html" data-start="0" data-variable-values='{oops}'></div>
  <div id="z" data-composition-id="z" data-composition-src="compositions/z.html" data-start="0"></div>
</div>`),
      'compositions/y.html': '<template><div data-composition-id="other" data-width="10" data-height="10" data-duration="1"></div></template>',
      'compositions/z.html': '<template><div data-composition-id="z" data-width="10" data-height="10" data-duration="1"><div data-composition-id="z" data-composition-src="compositions/z.html" data-start="0"></div></div></template>',
    });
    expect(d.map((x) => [x.code, x.loc?.line])).toEqual([
      ['missing_or_empty_sub_composition', 6],
      ['missing_or_empty_sub_composition', 7],
      ['subcomposition_cycle', 1],
      ['invalid_variable_values_json', 7],
    ]);
    expect(d[1].message).toContain('has no root with data-composition-id="y" (it has "other")');
    expect(d[2].message).toContain('index.html → compositions/z.html → compositions/z.html');
  });

  test('loadProject throws the first error with the others as details', async () => {
    const dir = project({ 'index.html': page('<div id="root" data-composition-id="main"></div>') });
    const err = await loadProject(dir).catch((e) => e as FramesmithError);
    expect(err).toBeInstanceOf(FramesmithError);
    expect(err.code).toBe('root_missing_dimensions');
    expect(err.details.map((x) => x.code)).toEqual(['root_composition_missing_duration_source']);
  });
});
