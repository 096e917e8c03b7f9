/**
 * Asset references: every kind of reference in HTML and CSS, each resolved (HTML from the
 * project root, CSS files from their folder), flagged external/inline/outside, checked for
 * existence with exact letter case, and located where it is written.
 */
import { cpSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseProject, srcsetUrls } from '../../../src/model/index.js';
import type { AssetRef } from '../../../shared/model.js';
import { tempDir } from '../../helpers/fixtures.js';
import { at, fixture, parseFixture } from './helpers.js';

const pick = (a: AssetRef) => [a.url, a.kind, a.via, a.path, a.exists];

describe('references in HTML', () => {
  test('every attribute that loads something, with its kind and resolved path', async () => {
    const { model } = await parseFixture('css-urls');
    const attrs = model.assets.filter((a) => a.via === 'attribute').map(pick);
    expect(attrs).toEqual([
      ['css/app.css', 'style', 'attribute', 'css/app.css', true],
      ['fonts/inter.woff2', 'font', 'attribute', 'fonts/inter.woff2', true],
      ['https://cdn.example.com/gsap.js', 'script', 'attribute', null, false],
      ['images/a.png?v=2#top', 'image', 'attribute', 'images/a.png', true],
      ['images/a.png', 'image', 'attribute', 'images/a.png', true], // srcset
      ['images/b.png', 'image', 'attribute', 'images/b.png', true],
      ['images/b.png', 'image', 'attribute', 'images/b.png', true], // <picture><source srcset>
      ['images/a.png', 'image', 'attribute', 'images/a.png', true],
      ['images/poster.jpg', 'image', 'attribute', 'images/poster.jpg', true],
      ['media/clip.webm', 'media', 'attribute', 'media/clip.webm', true],
      ['media/subs.vtt', 'other', 'attribute', 'media/subs.vtt', true],
      ['images/a.png', 'image', 'attribute', 'images/a.png', true], // svg <image href>
      ['#dot', 'other', 'attribute', null, false],
      ['icons.svg#star', 'other', 'attribute', 'icons.svg', true],
      ['doc.pdf', 'other', 'attribute', 'doc.pdf', true],
      ['anim.swf', 'other', 'attribute', 'anim.swf', true],
      ['frame.html', 'document', 'attribute', 'frame.html', true],
      ['//cdn.example.com/x.png', 'image', 'attribute', null, false],
      ['../outside.png', 'image', 'attribute', null, false],
      ['images/', 'image', 'attribute', 'images', false], // a folder is not a file
      ['data:image/png;base64,AAAA', 'image', 'attribute', null, false],
    ]);
    // rel=preconnect loads nothing and is not a reference.
    expect(model.assets.some((a) => a.url.includes('fonts.gstatic.com'))).toBe(false);
  });

  test('external, inline and outside-the-root flags, and where each is written', async () => {
    const { model } = await parseFixture('css-urls');
    const by = (url: string) => model.assets.find((a) => a.url === url)!;
    expect(by('https://cdn.example.com/gsap.js')).toMatchObject({
      external: true,
      inline: false,
      outsideRoot: false,
      loc: at('css-urls', 'index.html', 'src="https://cdn'),
    });
    expect(by('//cdn.example.com/x.png')).toMatchObject({ external: true });
    expect(by('data:image/png;base64,AAAA')).toMatchObject({ inline: true, external: false, path: null });
    expect(by('#dot')).toMatchObject({ inline: true });
    expect(by('../outside.png')).toMatchObject({
      outsideRoot: true,
      path: null,
      exists: false,
      loc: at('css-urls', 'index.html', 'src="../outside.png"'),
    });
    expect(by('images/poster.jpg').loc).toEqual(at('css-urls', 'index.html', 'poster='));
  });

  test('srcset candidates, including data: URLs with commas', () => {
    expect(srcsetUrls('a.png 1x, b.png 2x')).toEqual(['a.png', 'b.png']);
    expect(srcsetUrls('  a.png,  b.png 640w ,  c.png  ')).toEqual(['a.png', 'b.png', 'c.png']);
    // As in the HTML spec, a comma inside a URL does not split it; only trailing ones end it.
    expect(srcsetUrls('a.png,b.png 2x')).toEqual(['a.png,b.png']);
    expect(srcsetUrls('data:image/png;base64,AA== 1x, d.png 2x')).toEqual(['data:image/png;base64,AA==', 'd.png']);
  });
});

describe('references in CSS', () => {
  test('style blocks, inline styles and .css files (with @import) at their own line and column', async () => {
    const { model, css } = await parseFixture('css-urls');
    const cssRefs = model.assets
      .filter((a) => a.via !== 'attribute')
      .map((a) => [a.url, a.kind, a.via, a.path, a.exists, `${a.loc.file}:${a.loc.line}:${a.loc.column}`]);
    const loc = (file: string, needle: string) => {
      const l = at('css-urls', file, needle);
      return `${l.file}:${l.line}:${l.column}`;
    };
    expect(cssRefs).toEqual([
      ['images/hero.jpg', 'image', 'inline-style', 'images/hero.jpg', true, loc('index.html', "url('images/hero.jpg')")],
      ['css/extra.css', 'style', 'style-tag', 'css/extra.css', true, loc('index.html', '@import')],
      ['images/hero.jpg', 'image', 'style-tag', 'images/hero.jpg', true, loc('index.html', 'url("images/hero.jpg")')],
      ['images/missing.png', 'image', 'style-tag', 'images/missing.png', false, loc('index.html', 'url(images/missing.png)')],
      // .css files resolve from their own folder.
      ['theme.css', 'style', 'css-file', 'css/theme.css', true, loc('css/app.css', '@import')],
      ['../fonts/inter.woff2', 'font', 'css-file', 'fonts/inter.woff2', true, loc('css/app.css', 'url(../fonts')],
      ['../images/a.png', 'image', 'css-file', 'images/a.png', true, loc('css/app.css', 'url(../images/a.png)')],
      ['../images/nope.png', 'image', 'css-file', 'images/nope.png', false, loc('css/app.css', 'url("../images/nope.png")')],
      ['app.css', 'style', 'css-file', 'css/app.css', true, loc('css/extra.css', '@import')],
      ['../images/b.png', 'image', 'css-file', 'images/b.png', true, loc('css/extra.css', 'url(')],
      ['paper.jpg', 'image', 'css-file', 'css/paper.jpg', true, loc('css/theme.css', 'url(')],
    ]);
    // Each stylesheet read once, even when imported twice.
    expect([...css.keys()].sort()).toEqual(['css/app.css', 'css/extra.css', 'css/theme.css']);
    expect(css.get('css/theme.css')).toMatchObject({ file: 'css/theme.css', source: 'body { background: url(paper.jpg); }\n' });
    expect(css.get('css/theme.css')!.root.nodes).toHaveLength(1);
  });

  test('sub-composition files: HTML from the project root, their .css files from their folder', async () => {
    const { model, css } = await parseFixture('sub-compositions');
    const from = (file: string) => model.assets.filter((a) => a.loc.file === file).map(pick);
    expect(from('compositions/card.html')).toEqual([
      ['assets/pic.png', 'image', 'attribute', 'assets/pic.png', true],
      ['assets/bg.png', 'image', 'style-tag', 'assets/bg.png', true],
    ]);
    expect(from('compositions/parts/badge.html')).toEqual([['assets/pic.png', 'image', 'attribute', 'assets/pic.png', true]]);
    expect(from('compositions/panel.css')).toEqual([['../assets/bg.png', 'image', 'css-file', 'assets/bg.png', true]]);
    expect(from('index.html').map((r) => r[0])).toEqual(['compositions/card.html', '/compositions/card.html', 'compositions/panel.html']);
    expect([...css.keys()]).toEqual(['compositions/panel.css']);
  });
});

describe('letter case and links', () => {
  test('a file that exists only with other letter case, in a file or folder name', async () => {
    const { model, css } = await parseFixture('case-mismatch');
    const by = (url: string) => model.assets.find((a) => a.url === url)!;
    expect(by('images/Logo.png')).toMatchObject({
      exists: false,
      caseMismatch: 'images/logo.png',
      path: 'images/Logo.png',
      loc: at('case-mismatch', 'index.html', 'src="images/Logo.png"'),
    });
    expect(by('images/logo.png')).toMatchObject({ exists: true, caseMismatch: null });
    expect(by('CSS/main.css')).toMatchObject({ exists: false, caseMismatch: 'css/main.css' });
    // A stylesheet the renderer will not find is not followed.
    expect(css.size).toBe(0);
    // Facts only: lint reports them.
    expect(model.diagnostics).toEqual([]);
  });

  test('a symlink to a file counts as the file', async () => {
    const dir = join(tempDir('framesmith-model-'), 'p');
    cpSync(fixture('case-mismatch'), dir, { recursive: true });
    symlinkSync('logo.png', join(dir, 'images', 'Logo.png'));
    const { model } = await parseProject(dir);
    expect(model.assets.find((a) => a.url === 'images/Logo.png')).toMatchObject({ exists: true, caseMismatch: null });
  });
});
