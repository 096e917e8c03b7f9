/** Google Fonts stylesheet URLs read into families, faces, subsets and display (css and css2). */
import { describe, expect, it } from 'vitest';
import { isGoogleFontsCssUrl, isGoogleFontsFileUrl, parseGoogleFontsUrl, weightCovers } from '../../../src/fonts/google-fonts-url.js';

describe('parseGoogleFontsUrl', () => {
  it('reads css2 weights, display, and several families', () => {
    const r = parseGoogleFontsUrl(
      'https://fonts.googleapis.com/css2?family=Nunito+Sans:wght@400;600;700;800;900&family=Inter&display=swap',
    )!;
    expect(r.api).toBe('css2');
    expect(r.display).toBe('swap');
    expect(r.families.map((f) => f.family)).toEqual(['Nunito Sans', 'Inter']);
    expect(r.families[0].faces).toEqual([400, 600, 700, 800, 900].map((weight) => ({ style: 'normal', weight })));
    expect(r.families[1].faces).toEqual([{ style: 'normal', weight: 400 }]);
    expect(r.problems).toEqual([]);
  });

  it('reads css2 ital,wght tuples, ranges and other axes', () => {
    const r = parseGoogleFontsUrl('https://fonts.googleapis.com/css2?family=Inter:ital,opsz,wght@0,14..32,100..900;1,14..32,400')!;
    expect(r.families[0].faces).toEqual([
      { style: 'normal', weight: { min: 100, max: 900 } },
      { style: 'italic', weight: 400 },
    ]);
    expect(r.families[0].axes).toEqual({ opsz: { min: 14, max: 32 } });
    expect(parseGoogleFontsUrl('https://fonts.googleapis.com/css2?family=Lora:ital@1')!.families[0].faces).toEqual([
      { style: 'italic', weight: 400 },
    ]);
  });

  it('reads css v1 variants, | separated families, subset= and &amp; from HTML', () => {
    const r = parseGoogleFontsUrl(
      '//fonts.googleapis.com/css?family=Roboto:300,400italic,700i,bold|Open+Sans:b,bi&amp;subset=latin,cyrillic&amp;display=block',
    )!;
    expect(r.api).toBe('css');
    expect(r.families[0]).toMatchObject({
      family: 'Roboto',
      faces: [
        { style: 'normal', weight: 300 },
        { style: 'italic', weight: 400 },
        { style: 'italic', weight: 700 },
        { style: 'normal', weight: 700 },
      ],
    });
    expect(r.families[1]).toMatchObject({
      family: 'Open Sans',
      faces: [
        { style: 'normal', weight: 700 },
        { style: 'italic', weight: 700 },
      ],
    });
    expect(r.subsets).toEqual(['latin', 'cyrillic']);
    expect(r.display).toBe('block');
  });

  it('keeps text= and names the parts it could not read', () => {
    const r = parseGoogleFontsUrl('https://fonts.googleapis.com/css2?family=Inter:wght@abc;700&text=Hello')!;
    expect(r.text).toBe('Hello');
    expect(r.families[0].faces).toEqual([{ style: 'normal', weight: 700 }]);
    expect(r.problems).toEqual(['family "Inter": "abc" is not a number or range']);
    const missingAt = parseGoogleFontsUrl('https://fonts.googleapis.com/css2?family=Inter:wght')!;
    expect(missingAt.problems[0]).toMatch(/has no "@"/);
  });

  it('is null for anything else', () => {
    expect(parseGoogleFontsUrl('https://example.com/css2?family=Inter')).toBeNull();
    expect(parseGoogleFontsUrl('https://fonts.googleapis.com/icon?family=Material+Icons')).toBeNull();
    expect(parseGoogleFontsUrl('fonts/inter.css')).toBeNull();
    expect(isGoogleFontsCssUrl('https://fonts.googleapis.com/css?family=Lato')).toBe(true);
    expect(isGoogleFontsFileUrl('https://fonts.gstatic.com/s/inter/v13/x.woff2')).toBe(true);
  });
});

it('weightCovers tells whether a face serves a weight', () => {
  expect(weightCovers({ min: 100, max: 900 }, 300)).toBe(true);
  expect(weightCovers(400, 300)).toBe(false);
  expect(weightCovers({ min: 200, max: 700 }, { min: 100, max: 900 })).toBe(false);
});
