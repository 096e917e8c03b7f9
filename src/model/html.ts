/**
 * HTML access for the model: parse5 trees with source locations, and small helpers to walk
 * elements, read attributes and turn nodes into `file:line:col`.
 */
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import type { SourceLocation } from '../shared/diagnostics.js';

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

export function parseHtmlFile(file: string, source: string): ParsedHtmlFile {
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

/** Elements under `node` in document order (not `node` itself). */
export function* descendants(node: HtmlNode, { intoTemplates = false } = {}): Generator<HtmlElement> {
  for (const child of childrenOf(node, intoTemplates)) {
    if (isElement(child)) {
      yield child;
      yield* descendants(child, { intoTemplates });
    }
  }
}

/** The nearest ancestor element, crossing from a template's content to the template. */
export function parentElement(el: HtmlElement): HtmlElement | null {
  let p = el.parentNode as HtmlNode | null;
  while (p && !isElement(p)) {
    // A template's content fragment has no parent; find the template that owns it.
    p = (p as { parentNode?: HtmlNode | null }).parentNode ?? null;
  }
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

/** Where the text inside an element (a <style>/<script> body) starts, 1-based. */
export function contentLocation(file: ParsedHtmlFile, el: HtmlElement): SourceLocation {
  const end = el.sourceCodeLocation?.startTag;
  return { file: file.file, line: end?.endLine ?? 0, column: end?.endCol ?? 0 };
}
