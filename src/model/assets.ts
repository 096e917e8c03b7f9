/**
 * Every reference from the project's HTML and CSS to another file or URL: script and link
 * sources, media and image sources (srcset too), SVG hrefs, sub-composition files, and CSS url()
 * and @import in <style> blocks, inline styles and .css files (followed recursively).
 * HTML references resolve from the project root (the contract); CSS files from their folder.
 */
import { posix } from 'node:path';
import type { SourceLocation } from '../shared/diagnostics.js';
import type { AssetKind, AssetRef } from '../shared/model.js';
import { cssRefs, inlineStyleRefs, parseCss, type CssRef, type ParsedCssFile } from './css.js';
import { resolveRef, type ProjectFiles } from './files.js';
import { attr, contentLocation, descendants, nodeLocation, textOf, type HtmlElement, type ParsedHtmlFile } from './html.js';

interface RawRef {
  url: string;
  kind: AssetKind;
  via: AssetRef['via'];
  loc: SourceLocation;
  baseDir: string;
}

const MEDIA_TAGS = new Set(['video', 'audio', 'source', 'track']);

function linkKind(el: HtmlElement): AssetKind | null {
  const rel = (attr(el, 'rel') ?? '').toLowerCase().split(/\s+/);
  if (rel.includes('stylesheet')) return 'style';
  if (rel.some((r) => r === 'preconnect' || r === 'dns-prefetch' || r === 'canonical' || r === 'alternate')) return null;
  if (rel.includes('preload') || rel.includes('prefetch')) {
    const as = attr(el, 'as');
    return as === 'font' ? 'font' : as === 'script' ? 'script' : as === 'style' ? 'style' : as === 'image' ? 'image' : 'other';
  }
  return rel.includes('icon') ? 'image' : 'other';
}

function srcsetUrls(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim().split(/\s+/)[0])
    .filter(Boolean);
}

/** Attribute references of one HTML file (including template content). */
function htmlRefs(file: ParsedHtmlFile): { refs: RawRef[]; styleBlocks: { css: string; loc: SourceLocation }[] } {
  const refs: RawRef[] = [];
  const styleBlocks: { css: string; loc: SourceLocation }[] = [];
  const add = (el: HtmlElement, name: string, kind: AssetKind, url = attr(el, name)) => {
    if (url !== null) refs.push({ url, kind, via: 'attribute', loc: nodeLocation(file, el, name), baseDir: '' });
  };
  for (const el of descendants(file.document, { intoTemplates: true })) {
    const tag = el.tagName;
    if (tag === 'script') add(el, 'src', 'script');
    else if (tag === 'link') {
      const kind = linkKind(el);
      if (kind) add(el, 'href', kind);
    } else if (tag === 'img' || tag === 'input') {
      add(el, 'src', 'image');
      const srcset = attr(el, 'srcset');
      if (srcset) for (const url of srcsetUrls(srcset)) add(el, 'srcset', 'image', url);
    } else if (MEDIA_TAGS.has(tag)) {
      const parentTag = tag === 'source' ? ((el.parentNode as HtmlElement | null)?.tagName ?? '') : tag;
      add(el, 'src', parentTag === 'picture' ? 'image' : 'media');
      if (tag === 'video') add(el, 'poster', 'image');
      const srcset = attr(el, 'srcset');
      if (srcset) for (const url of srcsetUrls(srcset)) add(el, 'srcset', 'image', url);
    } else if (tag === 'image' || tag === 'feImage') {
      add(el, 'href', 'image');
      add(el, 'xlink:href', 'image');
    } else if (tag === 'object') add(el, 'data', 'other');
    else if (tag === 'embed' || tag === 'iframe') add(el, 'src', tag === 'iframe' ? 'document' : 'other');
    else if (tag === 'style') styleBlocks.push({ css: textOf(el), loc: contentLocation(file, el) });
    if (attr(el, 'data-composition-src') !== null) add(el, 'data-composition-src', 'document');
    const style = attr(el, 'style');
    if (style && /url\(/i.test(style)) {
      for (const r of inlineStyleRefs(style, nodeLocation(file, el, 'style'))) refs.push({ ...r, via: 'inline-style', baseDir: '' });
    }
  }
  return { refs, styleBlocks };
}

function toRaw(r: CssRef, via: AssetRef['via'], baseDir: string): RawRef {
  return { url: r.url, kind: r.kind, via, loc: r.loc, baseDir };
}

/**
 * Collects the references of the given HTML files, reading and parsing the local stylesheets
 * they use into `cssFiles`.
 */
export function collectAssets(htmlFiles: ParsedHtmlFile[], files: ProjectFiles, cssFiles: Map<string, ParsedCssFile>): AssetRef[] {
  const raw: RawRef[] = [];
  const queue: string[] = [];
  for (const file of htmlFiles) {
    const { refs, styleBlocks } = htmlRefs(file);
    raw.push(...refs);
    for (const block of styleBlocks) {
      const root = parseCss(block.css, file.file);
      if (root) raw.push(...cssRefs(root, block.loc).map((r) => toRaw(r, 'style-tag', '')));
    }
  }
  const out: AssetRef[] = [];
  const finish = (r: RawRef) => {
    const resolved = resolveRef(r.url, r.baseDir);
    const facts = resolved.path !== null ? files.lookup(resolved.path) : { exists: false, caseMismatch: null };
    const ref: AssetRef = {
      url: r.url,
      kind: r.kind,
      via: r.via,
      external: resolved.external,
      inline: resolved.inline,
      path: resolved.path,
      outsideRoot: resolved.outsideRoot,
      exists: facts.exists,
      caseMismatch: facts.caseMismatch,
      loc: r.loc,
    };
    out.push(ref);
    if (ref.kind === 'style' && ref.exists && ref.path && /\.css$/i.test(ref.path) && !cssFiles.has(ref.path)) queue.push(ref.path);
  };
  raw.forEach(finish);
  // Stylesheets, and the stylesheets they import, each once.
  while (queue.length) {
    const path = queue.shift()!;
    if (cssFiles.has(path)) continue;
    const source = files.read(path);
    const root = parseCss(source, path);
    cssFiles.set(path, { file: path, source, root: root ?? parseCss('', path)! });
    if (!root) continue;
    const dir = posix.dirname(path) === '.' ? '' : posix.dirname(path);
    for (const r of cssRefs(root, { file: path, line: 1, column: 1 })) finish(toRaw(r, 'css-file', dir));
  }
  return out;
}
