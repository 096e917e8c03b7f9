/**
 * Re-sizes a composition file for `framesmith new --aspect`: the data-width/data-height of every
 * element carrying data-composition-id (the root, sub-composition roots inside <template>, hosts
 * that declare a size) get the new numbers. The file is parsed with parse5 for the attribute
 * locations and only those attribute spans are rewritten, so everything else stays byte for byte.
 */
import { parse } from 'parse5';
import type { DefaultTreeAdapterMap } from 'parse5';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

interface Edit {
  start: number;
  end: number;
  text: string;
}

function isElement(node: Node): node is Element {
  return 'tagName' in node;
}

function* elements(node: Node): Generator<Element> {
  if (isElement(node)) {
    yield node;
    // A <template>'s markup lives in its content fragment, not in childNodes.
    if (node.tagName === 'template') {
      const content = (node as DefaultTreeAdapterMap['template']).content;
      for (const child of content.childNodes) yield* elements(child);
    }
  }
  if ('childNodes' in node) for (const child of node.childNodes) yield* elements(child);
}

export interface ResizeResult {
  html: string;
  /** How many composition elements were re-sized. */
  changed: number;
}

/** Returns `html` with every composition element's data-width/data-height set to the given size. */
export function resizeCompositionHtml(html: string, size: { width: number; height: number }): ResizeResult {
  const doc = parse(html, { sourceCodeLocationInfo: true });
  const edits: Edit[] = [];
  let changed = 0;
  for (const el of elements(doc)) {
    const names = new Set(el.attrs.map((a) => a.name));
    if (!names.has('data-composition-id')) continue;
    const locs = el.sourceCodeLocation?.attrs;
    if (!locs) continue;
    let touched = false;
    for (const [attr, value] of [
      ['data-width', size.width],
      ['data-height', size.height],
    ] as const) {
      const loc = locs[attr];
      if (!loc) continue;
      edits.push({ start: loc.startOffset, end: loc.endOffset, text: `${attr}="${value}"` });
      touched = true;
    }
    if (touched) changed++;
  }
  let out = html;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { html: out, changed };
}
