/**
 * HTML access for the model: parse5 trees with source locations, and small helpers to walk
 * elements, read attributes and turn nodes into `file:line:col`.
 */
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import type { SourceLocation } from '../../shared/diagnostics.js';
import { FramesmithError } from '../core/errors.js';
import { countStartTags, limits, SIZE_HINT, tooManyElementsMessage } from '../security/budgets.js';

export type HtmlDocument = DefaultTreeAdapterMap['document'];
export type HtmlElement = DefaultTreeAdapterMap['element'];
export type HtmlNode = DefaultTreeAdapterMap['node'];
export type HtmlTemplate = DefaultTreeAdapterMap['template'];

/** One parsed HTML file of the project. */
export interface ParsedHtmlFile {
  /** Project-relative path, forward slashes. */
  file: string;
  source: string;
  document: HtmlDocument;
}

/**
 * Parses one HTML file with source locations (parse5 never throws: it repairs, like a browser).
 * Throws `file_too_large` for a file with more elements than the budget allows.
 */
export function parseHtmlFile(file: string, source: string): ParsedHtmlFile {
  const limit = limits().htmlElements;
  const count = countStartTags(source);
  if (count > limit)
    throw new FramesmithError('file_too_large', tooManyElementsMessage(file, count, limit), {
      hint: SIZE_HINT,
      loc: { file, line: 0, column: 0 },
    });
  return { file, source, document: parse(source, { sourceCodeLocationInfo: true }) };
}

export function isElement(node: HtmlNode): node is HtmlElement {
  return 'tagName' in node;
}

export function attr(el: HtmlElement, name: string): string | null {
  const a = el.attrs.find((x) => x.name === name);
  return a ? a.value : null;
}

export function hasAttr(el: HtmlElement, name: string): boolean {
  return el.attrs.some((x) => x.name === name);
}

/** Child nodes, with a <template>'s content standing in for its (empty) children. */
function childrenOf(node: HtmlNode, intoTemplates: boolean): HtmlNode[] {
  if (isElement(node) && node.tagName === 'template') return intoTemplates ? (node as HtmlTemplate).content.childNodes : [];
  return 'childNodes' in node ? (node.childNodes as HtmlNode[]) : [];
}

/**
 * Elements under `node` in document order (not `node` itself). Iterative, with an explicit stack:
 * markup nested thousands deep must not overflow the call stack.
 */
export function* descendants(node: HtmlNode, { intoTemplates = false } = {}): Generator<HtmlElement> {
  const stack: HtmlNode[] = [...childrenOf(node, intoTemplates)].reverse();
  while (stack.length) {
    const child = stack.pop()!;
    if (!isElement(child)) continue;
    yield child;
    const kids = childrenOf(child, intoTemplates);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
}

/** The first element (document order, templates included) nested deeper than `limit`, or null. */
export function firstTooDeep(doc: HtmlNode, limit: number): { el: HtmlElement; depth: number } | null {
  const stack: { node: HtmlNode; depth: number }[] = childrenOf(doc, true)
    .map((n) => ({ node: n, depth: 1 }))
    .reverse();
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (!isElement(node)) continue;
    if (depth > limit) return { el: node, depth };
    const kids = childrenOf(node, true);
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ node: kids[i], depth: depth + 1 });
  }
  return null;
}

/** The parent element, or null at the top of a document or of a <template>'s content. */
export function parentElement(el: HtmlElement): HtmlElement | null {
  const p = el.parentNode as HtmlNode | null;
  return p && isElement(p) ? p : null;
}

/** Whether `el` sits inside a <template>'s content. */
export function inTemplate(el: HtmlElement): boolean {
  let n: HtmlNode | null = el;
  while (n) {
    const parent: HtmlNode | null = (n as { parentNode?: HtmlNode | null }).parentNode ?? null;
    if (!parent) return n.nodeName === '#document-fragment';
    n = parent;
  }
  return false;
}

/** `<body>` of a full document, or null. */
export function bodyOf(doc: HtmlDocument): HtmlElement | null {
  const html = doc.childNodes.find((n) => isElement(n) && n.tagName === 'html') as HtmlElement | undefined;
  return (html?.childNodes.find((n) => isElement(n) && n.tagName === 'body') as HtmlElement | undefined) ?? null;
}

/** `<html>` of a document (parse5 always creates one). */
export function htmlElementOf(doc: HtmlDocument): HtmlElement | null {
  return (doc.childNodes.find((n) => isElement(n) && n.tagName === 'html') as HtmlElement | undefined) ?? null;
}

/** Text content of an element's direct text children (a <style> or <script> body). */
export function textOf(el: HtmlElement): string {
  return el.childNodes.map((n) => (n.nodeName === '#text' ? (n as DefaultTreeAdapterMap['textNode']).value : '')).join('');
}

/** Where an element (or one of its attributes) is written, 1-based. */
export function nodeLocation(file: ParsedHtmlFile, node: HtmlElement, attrName?: string): SourceLocation {
  const loc = node.sourceCodeLocation;
  const at = (attrName && loc?.attrs?.[attrName]) || loc?.startTag || loc;
  return { file: file.file, line: at?.startLine ?? 0, column: at?.startCol ?? 0 };
}

/** Whether the file starts with a doctype: a full document rather than a fragment or template. */
export function hasDoctype(doc: HtmlDocument): boolean {
  return doc.childNodes.some((n) => n.nodeName === '#documentType');
}

/**
 * Where the value of an attribute starts (after `name="`), 1-based, so a problem inside the
 * value (a url() in style="") can point at the right column.
 */
export function attrValueLocation(file: ParsedHtmlFile, node: HtmlElement, attrName: string): SourceLocation {
  const at = node.sourceCodeLocation?.attrs?.[attrName];
  if (!at) return nodeLocation(file, node, attrName);
  const text = file.source.slice(at.startOffset, at.endOffset);
  const eq = text.indexOf('=');
  if (eq < 0) return nodeLocation(file, node, attrName);
  let i = eq + 1;
  while (i < text.length && /\s/.test(text[i])) i++;
  if (text[i] === '"' || text[i] === "'") i++;
  return positionAt(file, at.startOffset + i);
}

/** 1-based line and column of a character offset in the file. */
export function positionAt(file: ParsedHtmlFile, offset: number): SourceLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = file.source.indexOf('\n'); i !== -1 && i < offset; i = file.source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { file: file.file, line, column: offset - lineStart + 1 };
}

/** Where the text inside an element (a <style>/<script> body) starts, 1-based. */
export function contentLocation(file: ParsedHtmlFile, el: HtmlElement): SourceLocation {
  const end = el.sourceCodeLocation?.startTag;
  return { file: file.file, line: end?.endLine ?? 0, column: end?.endCol ?? 0 };
}
