/**
 * Rewrites the URLs a composition's files load, in place and nothing else: HTML attributes
 * (script/link/img/media/source/iframe/svg sources, srcset, poster, inline `style=""`), `<style>`
 * blocks, inline module scripts' imports and `<script type="importmap">` targets; CSS `url()` and
 * `@import`; JS module specifiers. Each URL is offered to a callback that returns its replacement
 * (or null to keep it). Lines stay where they were, so error locations stay true.
 * `vendor` points remote URLs at local files with it; the dev server points them at its own
 * remote-file endpoint.
 */
import { parse, parseFragment } from 'parse5';
import { srcsetUrls } from '../model/assets.js';
import { rewriteSpecifiers } from './js-imports.js';

export type UrlContext = {
  kind: 'script' | 'style' | 'font' | 'image' | 'media' | 'document' | 'other';
  via: 'attribute' | 'css' | 'css-import' | 'module-import' | 'importmap';
};
export type UrlMap = (url: string, ctx: UrlContext) => string | null;

interface Edit {
  start: number;
  end: number;
  text: string;
}

function apply(source: string, edits: Edit[]): string {
  let out = source;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** Comment ranges of a CSS text (URLs inside comments are left alone). */
function cssComments(css: string): [number, number][] {
  const out: [number, number][] = [];
  const re = /\/\*[\s\S]*?(\*\/|$)/g;
  for (let m; (m = re.exec(css));) out.push([m.index, m.index + m[0].length]);
  return out;
}

const FONT_EXT = /\.(woff2?|ttf|otf|eot)(\?|#|$)/i;
const IMAGE_EXT = /\.(png|jpe?g|gif|webp|avif|svg|ico|bmp)(\?|#|$)/i;

/** Rewrites `url()` and `@import` in CSS text. */
export function rewriteCss(css: string, map: UrlMap): { text: string; changed: number } {
  const comments = cssComments(css);
  const inComment = (i: number) => comments.some(([a, b]) => i >= a && i < b);
  const edits: Edit[] = [];
  // @import "x" / @import 'x' (the url() form is handled below, as an import).
  const importRe = /@import\s+(["'])([^"']*)\1/gi;
  for (let m; (m = importRe.exec(css));) {
    if (inComment(m.index)) continue;
    const next = map(m[2], { kind: 'style', via: 'css-import' });
    if (next !== null && next !== m[2]) {
      const start = m.index + m[0].indexOf(m[1]) + 1;
      edits.push({ start, end: start + m[2].length, text: next.replace(/["'\\]/g, (c) => `\\${c}`) });
    }
  }
  const urlRe = /url\(\s*(?:(["'])((?:\\.|(?!\1).)*)\1|([^"')\s][^)\s]*))\s*\)/gi;
  for (let m; (m = urlRe.exec(css));) {
    if (inComment(m.index)) continue;
    const value = m[2] ?? m[3];
    const before = css.slice(Math.max(0, m.index - 40), m.index);
    const isImport = /@import\s*$/i.test(before);
    const kind: UrlContext['kind'] = isImport
      ? 'style'
      : FONT_EXT.test(value) || /src\s*:\s*[^;{}]*$/i.test(before)
        ? 'font'
        : IMAGE_EXT.test(value)
          ? 'image'
          : 'other';
    const next = map(value, { kind, via: isImport ? 'css-import' : 'css' });
    if (next === null || next === value) continue;
    const quote = m[1] ?? '"';
    edits.push({
      start: m.index,
      end: m.index + m[0].length,
      text: `url(${quote}${next.replace(new RegExp(`[${quote}\\\\]`, 'g'), (c) => `\\${c}`)}${quote})`,
    });
  }
  return { text: apply(css, edits), changed: edits.length };
}

/** Rewrites the `imports`/`scopes` targets of an import map (JSON), keeping its layout. */
export function rewriteImportMap(json: string, map: UrlMap): { text: string; changed: number } {
  let parsed: { imports?: Record<string, unknown>; scopes?: Record<string, Record<string, unknown>> };
  try {
    parsed = JSON.parse(json);
  } catch {
    return { text: json, changed: 0 };
  }
  const targets = new Set<string>();
  for (const v of Object.values(parsed.imports ?? {})) if (typeof v === 'string') targets.add(v);
  for (const scope of Object.values(parsed.scopes ?? {}))
    for (const v of Object.values(scope ?? {})) if (typeof v === 'string') targets.add(v);
  const edits: Edit[] = [];
  const re = /"((?:\\.|[^"\\])*)"/g;
  for (let m; (m = re.exec(json));) {
    let value: string;
    try {
      value = JSON.parse(m[0]) as string;
    } catch {
      continue;
    }
    // Only values (a key is followed by a colon).
    if (/^\s*:/.test(json.slice(m.index + m[0].length)) || !targets.has(value)) continue;
    const next = map(value, { kind: 'script', via: 'importmap' });
    if (next !== null && next !== value) edits.push({ start: m.index, end: m.index + m[0].length, text: JSON.stringify(next) });
  }
  return { text: apply(json, edits), changed: edits.length };
}

/** Rewrites a module's import specifiers. */
export function rewriteJs(code: string, map: UrlMap): { text: string; changed: number } {
  const r = rewriteSpecifiers(code, (s) => map(s.value, { kind: 'script', via: 'module-import' }));
  return { text: r.code, changed: r.changed };
}

type Loc = { startOffset: number; endOffset: number; startTag?: Loc; endTag?: Loc; attrs?: Record<string, Loc> };
type Node = {
  nodeName: string;
  tagName?: string;
  attrs?: { name: string; value: string; prefix?: string }[];
  childNodes?: Node[];
  content?: Node;
  value?: string;
  sourceCodeLocation?: Loc | null;
};

const escapeAttr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

function linkKind(rel: string, as: string): UrlContext['kind'] | null {
  const rels = rel.toLowerCase().split(/\s+/);
  if (rels.includes('stylesheet')) return 'style';
  if (rels.includes('modulepreload')) return 'script';
  if (rels.includes('preload') || rels.includes('prefetch'))
    return (
      (
        { font: 'font', script: 'script', style: 'style', image: 'image', audio: 'media', video: 'media', document: 'document' } as Record<
          string,
          UrlContext['kind']
        >
      )[as.toLowerCase()] ?? 'other'
    );
  if (rels.some((r) => r.includes('icon'))) return 'image';
  return null;
}

/** Rewrites the URLs of an HTML document (or fragment). */
export function rewriteHtml(html: string, map: UrlMap, options: { fragment?: boolean } = {}): { text: string; changed: number } {
  const doc = (options.fragment
    ? parseFragment(html, { sourceCodeLocationInfo: true })
    : parse(html, { sourceCodeLocationInfo: true })) as unknown as Node;
  const edits: Edit[] = [];
  let changed = 0;
  const attrOf = (el: Node, name: string) => el.attrs?.find((a) => (a.prefix ? `${a.prefix}:${a.name}` : a.name) === name)?.value ?? null;
  const rewriteAttr = (el: Node, name: string, value: string) => {
    const loc = el.sourceCodeLocation?.attrs?.[name] ?? el.sourceCodeLocation?.startTag?.attrs?.[name];
    if (!loc) return;
    edits.push({ start: loc.startOffset, end: loc.endOffset, text: `${name}="${escapeAttr(value)}"` });
  };
  const urlAttr = (el: Node, name: string, kind: UrlContext['kind']) => {
    const value = attrOf(el, name);
    if (value === null || !value.trim()) return;
    const next = map(value.trim(), { kind, via: 'attribute' });
    if (next !== null && next !== value.trim()) {
      rewriteAttr(el, name, next);
      changed++;
    }
  };
  const srcsetAttr = (el: Node) => {
    const value = attrOf(el, 'srcset');
    if (!value) return;
    let out = value;
    let n = 0;
    for (const u of srcsetUrls(value)) {
      const next = map(u, { kind: 'image', via: 'attribute' });
      if (next !== null && next !== u) {
        out = out.replace(u, next);
        n++;
      }
    }
    if (n) {
      rewriteAttr(el, 'srcset', out);
      changed += n;
    }
  };
  const textEdit = (el: Node, rewrite: (text: string) => { text: string; changed: number }) => {
    const child = el.childNodes?.[0];
    const loc = child?.sourceCodeLocation;
    if (!child || child.nodeName !== '#text' || !loc) return;
    const raw = html.slice(loc.startOffset, loc.endOffset);
    const r = rewrite(raw);
    if (r.changed) {
      edits.push({ start: loc.startOffset, end: loc.endOffset, text: r.text });
      changed += r.changed;
    }
  };
  const visit = (node: Node) => {
    const tag = node.tagName;
    if (tag) {
      if (tag === 'script') {
        const type = (attrOf(node, 'type') ?? '').trim().toLowerCase();
        urlAttr(node, 'src', 'script');
        if (type === 'importmap') textEdit(node, (t) => rewriteImportMap(t, map));
        // Module scripts' imports; a classic script's only module specifiers are its import() calls.
        else if ((type === 'module' || type === '' || /javascript|ecmascript/.test(type)) && attrOf(node, 'src') === null)
          textEdit(node, (t) => rewriteJs(t, map));
      } else if (tag === 'link') {
        const kind = linkKind(attrOf(node, 'rel') ?? '', attrOf(node, 'as') ?? '');
        if (kind) urlAttr(node, 'href', kind);
      } else if (tag === 'img') {
        urlAttr(node, 'src', 'image');
        srcsetAttr(node);
      } else if (tag === 'video' || tag === 'audio') {
        urlAttr(node, 'src', 'media');
        if (tag === 'video') urlAttr(node, 'poster', 'image');
      } else if (tag === 'source') {
        urlAttr(node, 'src', 'media');
        srcsetAttr(node);
      } else if (tag === 'track') urlAttr(node, 'src', 'other');
      else if (tag === 'iframe') urlAttr(node, 'src', 'document');
      else if (tag === 'image' || tag === 'feImage') {
        urlAttr(node, 'href', 'image');
        urlAttr(node, 'xlink:href', 'image');
      } else if (tag === 'style') textEdit(node, (t) => rewriteCss(t, map));
      const style = attrOf(node, 'style');
      if (style && /url\(/i.test(style)) {
        const r = rewriteCss(style, map);
        if (r.changed) {
          rewriteAttr(node, 'style', r.text);
          changed += r.changed;
        }
      }
    }
    for (const c of node.childNodes ?? []) visit(c);
    if (node.content) visit(node.content);
  };
  visit(doc);
  return { text: apply(html, edits), changed };
}
