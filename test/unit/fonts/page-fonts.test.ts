/**
 * The served page's font edits and the per-family resolution, on small documents: where `Inter, `
 * goes (and where not), the injected style's place, what each family resolves to, and that the
 * user's line numbers stay true.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeFontFragment, composeFontPage, FONT_STYLE_ATTR } from '../../../src/fonts/page-fonts.js';
import { fontFileForUrl } from '../../../src/fonts/packages.js';
import { tempDir } from '../../helpers/fixtures.js';

const page = (head: string, body = '<div id="root" data-composition-id="main"></div>') =>
  `<!doctype html>\n<html>\n<head>\n${head}\n</head>\n<body>\n${body}\n</body>\n</html>\n`;

async function compose(head: string, body?: string, files: Record<string, string> = {}) {
  const dir = tempDir();
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return composeFontPage(dir, { file: 'index.html', source: page(head, body) });
}

describe('the served entry document', () => {
  it('puts Inter before a generic first family (style blocks, style attributes, custom properties, var() fallbacks) and nowhere else', async () => {
    const { html } = await compose(
      '<style>\n  a { font-family: sans-serif; }\n  b { font-family: "Lato", sans-serif; }\n  :root { --f: monospace; --defined: Roboto; }\n  c { font-family: var(--nope, serif); }\n  d { font-family: var(--defined, serif); }\n  @font-face { font-family: "X"; src: url(x.woff2); }\n</style>',
      '<p style="font-family: serif">x</p>',
    );
    expect(html).toContain('a { font-family: Inter, sans-serif; }');
    expect(html).toContain('b { font-family: "Lato", sans-serif; }');
    expect(html).toContain('--f: Inter, monospace;');
    expect(html).toContain('c { font-family: var(--nope, Inter, serif); }');
    expect(html).toContain('d { font-family: var(--defined, serif); }');
    expect(html).toContain('<p style="font-family: Inter, serif">');
  });

  it('adds one style line at the end of <head> and keeps every other line where it was', async () => {
    const source = '<style>\n  h1 { font-family: Inter; }\n</style>';
    const { html, plan } = await compose(source, '<h1>Hi</h1>\n<script>\nthrow new Error("line 10")\n</script>');
    const lines = html.split('\n');
    expect(lines.length).toBe(page(source, '<h1>Hi</h1>\n<script>\nthrow new Error("line 10")\n</script>').split('\n').length);
    expect(lines.findIndex((l) => l.includes('throw new Error'))).toBe(10);
    const styleLine = lines.find((l) => l.includes(FONT_STYLE_ATTR))!;
    expect(styleLine.startsWith(`<style ${FONT_STYLE_ATTR}>@font-face {`)).toBe(true);
    expect(styleLine.endsWith('</style></head>')).toBe(true);
    // The engine's own latin 400/700/900 come last, with its unicode-range; Google's weights before.
    expect(plan.rules.at(-1)).toContain('inter-latin-900-normal.woff2');
    expect(plan.rules.at(-1)).toContain('unicode-range: U+0000-00FF, U+0131');
    expect(plan.rules.some((r) => r.includes('inter-latin-300-normal.woff2'))).toBe(true);
    const url = /url\("([^"]+latin-400-normal\.woff2)"\)/.exec(styleLine)![1];
    expect(fontFileForUrl(url)).toMatch(/@fontsource\/inter\/files\/inter-latin-400-normal\.woff2$/);
    expect(fontFileForUrl(url.replace('files/', 'files/../package.json#'))).toBeNull();
  });

  it('resolves each family as the engine does', async () => {
    const { plan } = await compose(
      '<style>\n  @font-face { font-family: Brand; src: url(fonts/brand.woff2); }\n  @font-face { font-family: Mine; src: local("Mine Regular"); }\n  z { font-family: Mine; }\n  a { font-family: Brand, Helvetica, "Foobar Sans", Oswald, sans-serif; }\n  b { font: 12px Lato; }\n</style>\n<link rel="stylesheet" href="app.css">',
      '<div id="root" data-composition-id="main"><div data-composition-src="compositions/s.html" data-composition-id="s"></div></div>',
      {
        'compositions/s.html': '<template><div data-composition-id="s"><style>.t { font-family: "Roboto Slab"; }</style></div></template>',
        'app.css': 'x { font-family: Poppins; }',
      },
    );
    const status = Object.fromEntries(plan.families.map((f) => [f.family, [f.status, f.canonical?.family ?? null]]));
    expect(status).toEqual({
      Brand: ['project', null],
      Mine: ['unresolved', null],
      Helvetica: ['alias', 'Inter'],
      'Foobar Sans': ['unresolved', null],
      Oswald: ['engine', 'Oswald'],
      'Roboto Slab': ['unresolved', null],
    });
    // No Lato (shorthand only) and no Poppins (linked .css file only): the engine reads neither.
    expect(plan.rules.some((r) => /lato|poppins/i.test(r))).toBe(false);
    // Oswald lacks weight 100 and italics: Google refuses the engine's request, only its own faces.
    expect(plan.families.find((f) => f.family === 'Oswald')!.faces.map((f) => f.weight)).toEqual([400, 700]);
  });
});

describe('FRAMESMITH_FONTS_AS_OFFLINE_ENGINE=1 (parity with the offline official CLI only)', () => {
  const head =
    '<link href="https://fonts.googleapis.com/css2?family=Inter:wght@500" rel="stylesheet">\n<style>\n  a { font-family: Inter; font-weight: 500; }\n  b { font-family: Oswald; }\n</style>';
  const interFiles = (rules: string[]) => rules.flatMap((r) => /inter-[a-z-]+-(\d+)-normal\.woff2/.exec(r)?.[1] ?? []);

  it("the engine's embedded families get their embedded faces only: no Google supplement, no faces from the page's Google Fonts link", async () => {
    process.env.FRAMESMITH_FONTS_AS_OFFLINE_ENGINE = '1';
    try {
      const { plan } = await compose(head);
      expect(new Set(interFiles(plan.rules))).toEqual(new Set(['400', '700', '900']));
      expect(plan.families.find((f) => f.family === 'Inter')!.faces.map((f) => [f.weight, f.source])).toEqual([
        [400, 'engine'],
        [700, 'engine'],
        [900, 'engine'],
      ]);
      expect(plan.families.find((f) => f.family === 'Oswald')!.faces.map((f) => f.weight)).toEqual([400, 700]);
    } finally {
      delete process.env.FRAMESMITH_FONTS_AS_OFFLINE_ENGINE;
    }
  });

  it("without it, the cloud's faces: Google's Inter weights 100-900 as well", async () => {
    const { plan } = await compose(head);
    expect(new Set(interFiles(plan.rules))).toEqual(new Set(['100', '200', '300', '400', '500', '600', '700', '800', '900']));
    expect(plan.families.find((f) => f.family === 'Inter')!.faces.some((f) => f.weight === 500 && f.source === 'google')).toBe(true);
  });
});

it('a sub-composition file gets the generic rewrite only', () => {
  const out = composeFontFragment('s.html', '<template><div><style>.a { font-family: ui-monospace, monospace; }</style></div></template>');
  expect(out).toBe('<template><div><style>.a { font-family: Inter, ui-monospace, monospace; }</style></div></template>');
});

describe('googleFontsCss', () => {
  it("answers a Google Fonts stylesheet from framesmith's @fontsource packages, as Google would", async () => {
    const { googleFontsCss } = await import('../../../src/fonts/google-css.js');
    const ok = (await googleFontsCss('https://fonts.googleapis.com/css2?family=Nunito:wght@900&family=Oswald:wght@300..500&display=swap', {
      projectDir: tempDir(),
    }))!;
    expect(ok.refused).toEqual([]);
    expect(ok.css).toContain('font-family: "Nunito";');
    expect(ok.css).toContain('nunito-latin-900-normal.woff2');
    expect(ok.css).toContain('font-display: swap;');
    expect(ok.css.match(/oswald-latin-\d00-normal/g)).toEqual([
      'oswald-latin-300-normal',
      'oswald-latin-400-normal',
      'oswald-latin-500-normal',
    ]);
    // Oswald has no weight 100: Google refuses the whole stylesheet.
    const refused = (await googleFontsCss('https://fonts.googleapis.com/css2?family=Oswald:wght@100;400', { projectDir: tempDir() }))!;
    expect(refused).toMatchObject({ css: '', refused: [{ family: 'Oswald', faces: ['100'] }] });
    const unknown = (await googleFontsCss('https://fonts.googleapis.com/css?family=No+Such+Family', { projectDir: tempDir() }))!;
    expect(unknown).toMatchObject({ css: '', unavailable: ['No Such Family'] });
  });
});
