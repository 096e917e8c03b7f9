/** @fontsource packages read as font data, and @font-face CSS generated from them (real packages). */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  fontsourceCss,
  fontsourceId,
  fontsourcePackageName,
  orderSubsets,
  readFontsourcePackage,
  selectFontFiles,
} from '../../../src/fonts/fontsource.js';

const require = createRequire(import.meta.url);
const pkgDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

describe('readFontsourcePackage', () => {
  it('reads a static package', () => {
    const pkg = readFontsourcePackage(pkgDir('@fontsource/oswald'));
    expect(pkg).toMatchObject({
      name: '@fontsource/oswald',
      id: 'oswald',
      family: 'Oswald',
      variable: false,
      styles: ['normal'],
      license: 'OFL-1.1',
    });
    expect(pkg.weights).toEqual([200, 300, 400, 500, 600, 700]);
    expect(pkg.unicodeRanges.latin).toMatch(/^U\+0000-00FF/);
    expect(pkg.licenseFile).toMatch(/LICENSE$/);
  });

  it('reads a variable package', () => {
    const pkg = readFontsourcePackage(pkgDir('@fontsource-variable/inter'));
    expect(pkg.variable).toBe(true);
    expect(pkg.axes?.wght).toEqual({ min: 100, max: 900, default: 400 });
  });

  it('refuses a folder that is not one, naming it', () => {
    expect(() => readFontsourcePackage('/nonexistent/pkg')).toThrow(/\/nonexistent\/pkg is not a readable @fontsource package/);
  });
});

describe('selectFontFiles / fontsourceCss', () => {
  it('serves the requested weights and styles for the requested subsets, latin last', () => {
    const pkg = readFontsourcePackage(pkgDir('@fontsource/inter'));
    const sel = selectFontFiles(pkg, {
      faces: [
        { style: 'normal', weight: 300 },
        { style: 'italic', weight: 700 },
      ],
      subsets: ['latin', 'cyrillic'],
    });
    expect(sel.files.map((f) => f.file)).toEqual([
      'files/inter-cyrillic-300-normal.woff2',
      'files/inter-latin-300-normal.woff2',
      'files/inter-cyrillic-700-italic.woff2',
      'files/inter-latin-700-italic.woff2',
    ]);
    expect(sel.missing).toEqual([]);
  });

  it('lists faces a family does not have as missing', () => {
    const pkg = readFontsourcePackage(pkgDir('@fontsource/oswald'));
    const sel = selectFontFiles(pkg, {
      faces: [
        { style: 'normal', weight: 100 },
        { style: 'italic', weight: 400 },
        { style: 'normal', weight: { min: 300, max: 500 } },
      ],
      subsets: ['latin'],
    });
    expect(sel.missing).toEqual([
      { style: 'normal', weight: 100 },
      { style: 'italic', weight: 400 },
    ]);
    expect(sel.files.map((f) => f.weight)).toEqual([300, 400, 500]);
  });

  it('serves a weight from a variable package through its wght file', () => {
    const pkg = readFontsourcePackage(pkgDir('@fontsource-variable/space-grotesk'));
    const out = fontsourceCss(
      pkg,
      { faces: [{ style: 'normal', weight: 500 }], subsets: ['latin'] },
      { url: (f) => `/fonts/${f.file}`, display: 'block' },
    );
    expect(out.css).toBe(
      [
        '@font-face {',
        '  font-family: "Space Grotesk";',
        '  font-style: normal;',
        '  font-weight: 300 700;',
        '  font-display: block;',
        '  src: url("/fonts/files/space-grotesk-latin-wght-normal.woff2") format("woff2-variations");',
        `  unicode-range: ${pkg.unicodeRanges.latin};`,
        '}',
      ].join('\n'),
    );
    expect(selectFontFiles(pkg, { faces: [{ style: 'normal', weight: 900 }] }).missing).toHaveLength(1);
  });

  it('renames the family and replaces ranges on request', () => {
    const pkg = readFontsourcePackage(pkgDir('@fontsource/lato'));
    const out = fontsourceCss(
      pkg,
      { faces: [{ style: 'normal', weight: 400 }], subsets: ['latin'] },
      { family: 'My "Lato"', url: () => 'x.woff2', unicodeRange: () => '' },
    );
    expect(out.css).toContain('font-family: "My \\"Lato\\"";');
    expect(out.css).not.toContain('unicode-range');
  });
});

it('names packages as fontsource does', () => {
  expect(fontsourceId('Nunito Sans')).toBe('nunito-sans');
  expect(fontsourceId('M PLUS 1p')).toBe('m-plus-1p');
  expect(fontsourcePackageName('IBM Plex Mono')).toBe('@fontsource/ibm-plex-mono');
  expect(fontsourcePackageName('Inter', true)).toBe('@fontsource-variable/inter');
  expect(orderSubsets(['latin', 'latin-ext', 'cyrillic'])).toEqual(['cyrillic', 'latin-ext', 'latin']);
});
