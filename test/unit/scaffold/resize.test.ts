import { describe, expect, it } from 'vitest';
import { resizeCompositionHtml } from '../../../src/scaffold/resize.js';

const size = { width: 1080, height: 1920 };

describe('resizeCompositionHtml', () => {
  it('rewrites only the root size attributes and keeps every other byte', () => {
    const html = `<!doctype html>\n<html lang="en">\n<head><style>#root{width:1920px}</style></head>\n<body>\n  <div id="root" data-composition-id="main"\n       data-width="1920"   data-height='1080' data-duration="5">\n    <p data-width="1920">not a composition</p>\n  </div>\n</body>\n</html>\n`;
    const { html: out, changed } = resizeCompositionHtml(html, size);
    expect(changed).toBe(1);
    expect(out).toBe(html.replace('data-width="1920"   data-height=\'1080\'', 'data-width="1080"   data-height="1920"'));
    expect(out).toContain('<p data-width="1920">not a composition</p>');
    expect(out).toContain('#root{width:1920px}');
  });

  it('reaches sub-composition roots inside <template> and unquoted values', () => {
    const html = `<template id="t">\n  <div id="scene" data-composition-id="scene" data-width=1920 data-height=1080 data-duration="3"></div>\n</template>\n`;
    const { html: out, changed } = resizeCompositionHtml(html, size);
    expect(changed).toBe(1);
    expect(out).toBe(html.replace('data-width=1920 data-height=1080', 'data-width="1080" data-height="1920"'));
  });

  it('leaves a file without composition sizes untouched', () => {
    const html = '<div data-composition-id="host" data-composition-src="compositions/a.html"></div>\n';
    expect(resizeCompositionHtml(html, size)).toEqual({ html, changed: 0 });
  });

  it('handles non-ASCII text before the root (offsets are in characters, not bytes)', () => {
    const html = '<html><body><p>Größe — ✓</p><div data-composition-id="m" data-width="1" data-height="2"></div></body></html>';
    const { html: out } = resizeCompositionHtml(html, size);
    expect(out).toBe('<html><body><p>Größe — ✓</p><div data-composition-id="m" data-width="1080" data-height="1920"></div></body></html>');
  });
});
