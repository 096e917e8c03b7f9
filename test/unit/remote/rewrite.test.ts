import { describe, expect, it } from 'vitest';
import { rewriteCss, rewriteHtml, rewriteImportMap, rewriteJs, type UrlMap } from '../../../src/remote/rewrite.js';

const upper: UrlMap = (url) => (url.startsWith('https://') ? `LOCAL/${url.slice(8)}` : null);

describe('URL rewriting', () => {
  it('CSS: url() in every quoting, @import both forms, not inside comments', () => {
    const css = `@import "https://a.org/x.css";\n@import url(https://a.org/y.css);\nb { background: url('https://a.org/i.png'), url(https://a.org/j.png); }\n/* url(https://a.org/no.png) */\ni { background: url(local.png); }`;
    const out = rewriteCss(css, upper);
    expect(out.changed).toBe(4);
    expect(out.text).toBe(
      `@import "LOCAL/a.org/x.css";\n@import url("LOCAL/a.org/y.css");\nb { background: url('LOCAL/a.org/i.png'), url("LOCAL/a.org/j.png"); }\n/* url(https://a.org/no.png) */\ni { background: url(local.png); }`,
    );
  });

  it('CSS: tells fonts from images and stylesheets', () => {
    const kinds: string[] = [];
    rewriteCss(
      '@font-face { src: url(https://f.org/a.woff2) format("woff2"); }\nb { background: url(https://f.org/b.png) }\n@import url(https://f.org/c.css);',
      (u, ctx) => (kinds.push(`${ctx.kind}:${u.split('/').pop()}`), null),
    );
    expect(kinds.sort()).toEqual(['font:a.woff2', 'image:b.png', 'style:c.css']);
  });

  it('HTML: attributes (entities decoded, re-escaped), srcset, inline style, <style>, templates; lines and everything else kept', () => {
    const html = `<!doctype html>\n<html><head>\n<link rel="stylesheet" href="https://fonts.example/css2?family=A&amp;display=swap">\n<link rel="preconnect" href="https://fonts.example">\n<style>b { background: url(https://a.org/i.png) }</style>\n</head><body>\n<img src="https://a.org/1.png" srcset="https://a.org/1.png 1x, https://a.org/2.png 2x" alt="">\n<div style="background: url('https://a.org/bg.png')"></div>\n<template><script src="https://a.org/t.js"></script></template>\n<a href="https://a.org/page">a link is not loaded</a>\n</body></html>\n`;
    const out = rewriteHtml(html, upper);
    expect(out.changed).toBe(7);
    expect(out.text.split('\n').length).toBe(html.split('\n').length);
    expect(out.text).toContain('<link rel="stylesheet" href="LOCAL/fonts.example/css2?family=A&amp;display=swap">');
    expect(out.text).toContain('<link rel="preconnect" href="https://fonts.example">');
    expect(out.text).toContain('<style>b { background: url("LOCAL/a.org/i.png") }</style>');
    expect(out.text).toContain('<img src="LOCAL/a.org/1.png" srcset="LOCAL/a.org/1.png 1x, LOCAL/a.org/2.png 2x" alt="">');
    expect(out.text).toContain(`<div style="background: url('LOCAL/a.org/bg.png')"></div>`);
    expect(out.text).toContain('<template><script src="LOCAL/a.org/t.js"></script></template>');
    expect(out.text).toContain('<a href="https://a.org/page">');
  });

  it('HTML: inline module imports, classic import() and import map targets (not keys)', () => {
    const html = `<script type="importmap">{"imports": {"https://a.org/k.js": "https://a.org/v.js"}}</script>\n<script type="module">import x from "https://a.org/m.js"; const y = "https://a.org/not-an-import.js";</script>\n<script>import("https://a.org/d.js")</script>`;
    const out = rewriteHtml(html, upper);
    expect(out.text).toBe(
      `<script type="importmap">{"imports": {"https://a.org/k.js": "LOCAL/a.org/v.js"}}</script>\n<script type="module">import x from "LOCAL/a.org/m.js"; const y = "https://a.org/not-an-import.js";</script>\n<script>import("LOCAL/a.org/d.js")</script>`,
    );
  });

  it('JS: static, re-export and dynamic specifiers; code that does not parse is left alone', () => {
    expect(
      rewriteJs(
        'import "https://a.org/a.js";\nexport * from "https://a.org/b.js";\nexport { c } from \'https://a.org/c.js\';\nimport(`https://a.org/d.js`);',
        upper,
      ).text,
    ).toBe(
      'import "LOCAL/a.org/a.js";\nexport * from "LOCAL/a.org/b.js";\nexport { c } from "LOCAL/a.org/c.js";\nimport("LOCAL/a.org/d.js");',
    );
    expect(rewriteJs('import "https://a.org/a.js" +;', upper)).toEqual({ text: 'import "https://a.org/a.js" +;', changed: 0 });
  });

  it('import maps that are not JSON are left alone', () => {
    expect(rewriteImportMap('{ broken', upper)).toEqual({ text: '{ broken', changed: 0 });
  });
});
