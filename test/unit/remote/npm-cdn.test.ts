import { describe, expect, it } from 'vitest';
import { exportsTarget, parseNpmCdnUrl } from '../../../src/remote/npm-cdn.js';

const p = (url: string) => {
  const r = parseNpmCdnUrl(url);
  return r && { cdn: r.cdn, name: r.name, range: r.range, file: r.file, form: r.form };
};

describe('parseNpmCdnUrl', () => {
  it('reads jsDelivr /npm/ URLs', () => {
    expect(p('https://cdn.jsdelivr.net/npm/gsap@3.14.2/dist/gsap.min.js')).toEqual({
      cdn: 'jsdelivr',
      name: 'gsap',
      range: '3.14.2',
      file: 'dist/gsap.min.js',
      form: 'file',
    });
    expect(p('https://cdn.jsdelivr.net/npm/three@0.160.0/build/three.module.js')).toMatchObject({
      name: 'three',
      range: '0.160.0',
      file: 'build/three.module.js',
    });
    expect(p('https://cdn.jsdelivr.net/npm/gsap')).toMatchObject({ name: 'gsap', range: 'latest', file: null, form: 'file' });
    expect(p('//fastly.jsdelivr.net/npm/@fontsource/inter@5/latin-400.css')).toMatchObject({
      name: '@fontsource/inter',
      range: '5',
      file: 'latin-400.css',
    });
    expect(p('https://cdn.jsdelivr.net/npm/gsap@3/+esm')).toMatchObject({ name: 'gsap', range: '3', file: null, form: 'module' });
    expect(p('https://cdn.jsdelivr.net/npm/gsap@%5E3.12/dist/gsap.js')).toMatchObject({ range: '^3.12' });
    expect(p('https://cdn.jsdelivr.net/gh/user/repo@1/file.js')).toBeNull();
    expect(p('https://cdn.jsdelivr.net/combine/npm/a,npm/b')).toBeNull();
    expect(p('https://cdn.jsdelivr.net/npm/gsap@3/dist/')).toBeNull();
  });
  it('reads unpkg, esm.sh, esm.run and Skypack URLs', () => {
    expect(p('https://unpkg.com/three@0.160.0/build/three.module.js')).toMatchObject({
      cdn: 'unpkg',
      name: 'three',
      file: 'build/three.module.js',
      form: 'file',
    });
    expect(p('https://unpkg.com/lodash-es@4?module')).toMatchObject({ cdn: 'unpkg', form: 'module', file: null });
    expect(p('https://esm.sh/gsap@3.12.5')).toEqual({ cdn: 'esm.sh', name: 'gsap', range: '3.12.5', file: null, form: 'module' });
    expect(p('https://esm.sh/gsap@3.12.5/ScrollTrigger?bundle')).toMatchObject({ file: 'ScrollTrigger', form: 'module' });
    expect(p('https://esm.sh/v135/gsap@3.12.5/es2022/gsap.mjs')).toMatchObject({ name: 'gsap', range: '3.12.5', file: null });
    expect(p('https://esm.sh/@react-three/fiber@8')).toMatchObject({ name: '@react-three/fiber', range: '8' });
    expect(p('https://esm.run/canvas-confetti@1')).toMatchObject({ cdn: 'jsdelivr', form: 'module', name: 'canvas-confetti' });
    expect(p('https://cdn.skypack.dev/animejs@3.2.1')).toMatchObject({ cdn: 'skypack', name: 'animejs', form: 'module' });
    expect(p('https://cdn.skypack.dev/-/animejs@v3.2.1-abc/dist=es2019/animejs.js')).toBeNull();
  });
  it('maps cdnjs libraries to npm packages', () => {
    expect(parseNpmCdnUrl('https://cdnjs.cloudflare.com/ajax/libs/gsap/3.12.5/gsap.min.js')).toMatchObject({
      cdn: 'cdnjs',
      name: 'gsap',
      range: '3.12.5',
      file: 'gsap.min.js',
      dirs: ['dist', ''],
    });
    expect(parseNpmCdnUrl('https://cdnjs.cloudflare.com/ajax/libs/three.js/r128/three.min.js')).toMatchObject({
      name: 'three',
      range: '0.128.0',
      file: 'three.min.js',
    });
    expect(parseNpmCdnUrl('https://cdnjs.cloudflare.com/ajax/libs/lodash.js/4.17.21/lodash.min.js')).toMatchObject({
      name: 'lodash',
      range: '4.17.21',
    });
    expect(parseNpmCdnUrl('https://cdnjs.cloudflare.com/ajax/libs/animejs/3.2.1/anime.min.js')).toMatchObject({
      name: 'animejs',
      file: 'anime.min.js',
    });
    expect(parseNpmCdnUrl('https://cdnjs.cloudflare.com/ajax/libs/some-unknown-lib/1.0.0/x.js')).toBeNull();
  });
  it('leaves other URLs alone', () => {
    expect(parseNpmCdnUrl('https://fonts.googleapis.com/css2?family=Inter')).toBeNull();
    expect(parseNpmCdnUrl('https://example.com/npm/gsap@3/x.js')).toBeNull();
    expect(parseNpmCdnUrl('ftp://cdn.jsdelivr.net/npm/gsap')).toBeNull();
    expect(parseNpmCdnUrl('not a url')).toBeNull();
  });
});

describe('exportsTarget', () => {
  it('follows conditions and patterns', () => {
    const m = {
      exports: {
        '.': { types: './t.d.ts', import: './index.js', require: './dist/x.js' },
        './*': { import: './*.js', require: './dist/*.js' },
        './dist/*': './dist/*.js',
      },
    };
    expect(exportsTarget(m, '.')).toBe('index.js');
    expect(exportsTarget(m, './ScrollTrigger')).toBe('ScrollTrigger.js');
    expect(exportsTarget({ exports: './main.mjs' }, '.')).toBe('main.mjs');
    expect(exportsTarget({ exports: { browser: './b.js', default: './d.js' } }, '.')).toBe('b.js');
    expect(exportsTarget({}, '.')).toBeNull();
  });
});
