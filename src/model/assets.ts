/**
 * Every reference from the project's HTML and CSS to another file or URL: script and link
 * sources, media, image and poster sources (srcset too), object/embed/iframe, SVG hrefs,
 * sub-composition files, and CSS url() and @import in <style> blocks, inline styles and .css
 * files (followed recursively, each read once).
 *
 * The parser records facts only (external, inline, path, outsideRoot, exists, caseMismatch,
 * refused by the file-access policy);
 * lint turns them into diagnostics. HTML attributes resolve from the page's folder (the project
 * root for index.html; sub-composition files are written from the project root too), CSS files
 * from their own folder, as a browser resolves them.
 */
import { posix } from 'node:path';
import type { SourceLocation } from '../../shared/diagnostics.js';
import type { AssetKind, AssetRef } from '../../shared/model.js';
import { cssRefs, inlineStyleRefs, parseCss, type ParsedCssFile } from './css.js';
import { resolveRef, type FileLookup, type ProjectFiles } from './files.js';
import { FramesmithError } from '../core/errors.js';
import { describeRefusal } from '../security/file-policy.js';
import {
  attr,
  attrValueLocation,
  contentLocation,
  descendants,
  nodeLocation,
  parentElement,
  textOf,
  type HtmlElement,
  type ParsedHtmlFile,
} from './html.js';

interface RawRef {
  url: string;
  kind: AssetKind;
  via: AssetRef['via'];
  loc: SourceLocation;
  baseDir: string;
}

const PRELOAD_KINDS: Record<string, AssetKind> = {
  font: 'font',
  script: 'script',
  style: 'style',
  image: 'image',
  audio: 'media',
  video: 'media',
  document: 'document',
};
const NOT_LOADED_RELS = new Set([
  'preconnect',
  'dns-prefetch',
  'canonical',
  'alternate',
  'author',
  'license',
  'help',
  'search',
  'next',
  'prev',
]);

function linkKind(el: HtmlElement): AssetKind | null {
  const rels = (attr(el, 'rel') ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  if (rels.includes('stylesheet')) return 'style';
  if (rels.includes('modulepreload')) return 'script';
  if (rels.includes('preload') || rels.includes('prefetch')) return PRELOAD_KINDS[(attr(el, 'as') ?? '').toLowerCase()] ?? 'other';
  if (rels.some((r) => r.includes('icon'))) return 'image';
  if (rels.length && rels.every((r) => NOT_LOADED_RELS.has(r))) return null;
  return 'other';
}

/** URLs of a srcset: each candidate is a URL, then optional descriptors, separated by commas. */
export function srcsetUrls(value: string): string[] {
  const urls: string[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && /[\s,]/.test(value[i])) i++;
    let j = i;
    while (j < value.length && !/\s/.test(value[j])) j++;
    // A URL may itself contain commas (data: URLs); only trailing ones end the candidate.
    let url = value.slice(i, j);
    const trailing = /,+$/.exec(url);
    if (trailing) url = url.slice(0, -trailing[0].length);
    if (url) urls.push(url);
    i = j;
    if (!trailing) {
      while (i < value.length && value[i] !== ',') i++;
    }
  }
  return urls;
}

/** Attribute references, <style> blocks and inline styles of one HTML file (template content included). */
function htmlRefs(file: ParsedHtmlFile, baseDir: string): { refs: RawRef[]; styleBlocks: { css: string; loc: SourceLocation }[] } {
  const refs: RawRef[] = [];
  const styleBlocks: { css: string; loc: SourceLocation }[] = [];
  const add = (el: HtmlElement, name: string, kind: AssetKind, url = attr(el, name), base = baseDir) => {
    if (url !== null && url.trim() !== '') refs.push({ url, kind, via: 'attribute', loc: nodeLocation(file, el, name), baseDir: base });
  };
  const addSrcset = (el: HtmlElement) => {
    const srcset = attr(el, 'srcset');
    if (srcset) for (const url of srcsetUrls(srcset)) add(el, 'srcset', 'image', url);
  };
  for (const el of descendants(file.document, { intoTemplates: true })) {
    const tag = el.tagName;
    if (tag === 'script') add(el, 'src', 'script');
    else if (tag === 'link') {
      const kind = linkKind(el);
      if (kind) add(el, 'href', kind);
    } else if (tag === 'img') {
      add(el, 'src', 'image');
      addSrcset(el);
    } else if (tag === 'input' && (attr(el, 'type') ?? '').toLowerCase() === 'image') add(el, 'src', 'image');
    else if (tag === 'video' || tag === 'audio') {
      add(el, 'src', 'media');
      if (tag === 'video') add(el, 'poster', 'image');
    } else if (tag === 'source') {
      const inPicture = parentElement(el)?.tagName === 'picture';
      add(el, 'src', inPicture ? 'image' : 'media');
      addSrcset(el);
    } else if (tag === 'track') add(el, 'src', 'other');
    else if (tag === 'image' || tag === 'feImage' || tag === 'use') {
      // SVG: href or the older xlink:href; a bare #fragment points inside the document (inline).
      add(el, 'href', tag === 'use' ? 'other' : 'image');
      add(el, 'xlink:href', tag === 'use' ? 'other' : 'image');
    } else if (tag === 'object') add(el, 'data', 'other');
    else if (tag === 'embed') add(el, 'src', 'other');
    else if (tag === 'iframe') add(el, 'src', 'document');
    else if (tag === 'style') styleBlocks.push({ css: textOf(el), loc: contentLocation(file, el) });
    // The runtime fetches sub-compositions from the project root, whichever page loads them.
    if (attr(el, 'data-composition-src') !== null) add(el, 'data-composition-src', 'document', undefined, '');
    const style = attr(el, 'style');
    if (style && /url\(/i.test(style)) {
      for (const r of inlineStyleRefs(style, attrValueLocation(file, el, 'style')))
        refs.push({ url: r.url, kind: r.kind, via: 'inline-style', loc: r.loc, baseDir });
    }
  }
  return { refs, styleBlocks };
}

/**
 * Collects the references of the given HTML files, reading and parsing the local stylesheets
 * they load (and those stylesheets' @imports) into `cssFiles`. `baseDirOf` gives the folder an
 * HTML file's references resolve from.
 */
export function collectAssets(
  htmlFiles: ParsedHtmlFile[],
  files: ProjectFiles,
  cssFiles: Map<string, ParsedCssFile>,
  baseDirOf: (file: string) => string = () => '',
  report: (code: string, message: string, loc: SourceLocation, hint?: string) => void = () => {},
): AssetRef[] {
  const out: AssetRef[] = [];
  const queue: { path: string; loc: SourceLocation }[] = [];
  const record = (r: RawRef) => {
    const resolved = resolveRef(r.url, r.baseDir);
    const found: FileLookup = resolved.path !== null ? files.lookup(resolved.path) : { exists: false, caseMismatch: null };
    const refused = found.refused && resolved.path ? describeRefusal(resolved.path, found.refused) : null;
    out.push({
      url: r.url,
      kind: r.kind,
      via: r.via,
      ...resolved,
      exists: found.exists,
      caseMismatch: found.caseMismatch,
      refused,
      loc: r.loc,
    });
    if (r.kind === 'style' && found.exists && resolved.path && !cssFiles.has(resolved.path) && !queue.some((q) => q.path === resolved.path))
      queue.push({ path: resolved.path, loc: r.loc });
  };
  for (const file of htmlFiles) {
    const baseDir = baseDirOf(file.file);
    const { refs, styleBlocks } = htmlRefs(file, baseDir);
    refs.forEach(record);
    for (const block of styleBlocks) {
      const root = parseCss(block.css, file.file);
      if (root) for (const r of cssRefs(root, block.loc)) record({ url: r.url, kind: r.kind, via: 'style-tag', loc: r.loc, baseDir });
    }
  }
  // Stylesheets, and the stylesheets they import, each read once.
  while (queue.length) {
    const { path, loc } = queue.shift()!;
    if (cssFiles.has(path)) continue;
    let source: string;
    try {
      source = files.read(path);
    } catch (error) {
      if (!(error instanceof FramesmithError)) throw error;
      report(error.code, error.message, loc, error.hint);
      continue;
    }
    const root = parseCss(source, path);
    cssFiles.set(path, { file: path, source, root: root ?? parseCss('', path)! });
    if (!root) continue;
    const dir = posix.dirname(path) === '.' ? '' : posix.dirname(path);
    for (const r of cssRefs(root, { file: path, line: 1, column: 1 }))
      record({ url: r.url, kind: r.kind, via: 'css-file', loc: r.loc, baseDir: dir });
  }
  return out;
}
