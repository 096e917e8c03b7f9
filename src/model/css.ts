/**
 * CSS for the model: postcss parses style blocks, inline styles and .css files; url() and @import
 * references come out with their location in the user's file.
 */
import postcss, { type Root } from 'postcss';
import valueParser from 'postcss-value-parser';
import type { SourceLocation } from '../shared/diagnostics.js';
import type { AssetKind } from '../shared/model.js';

/** One parsed .css file of the project. */
export interface ParsedCssFile {
  file: string;
  source: string;
  root: Root;
}

export interface CssRef {
  url: string;
  kind: AssetKind;
  /** True for @import (another stylesheet). */
  isImport: boolean;
  loc: SourceLocation;
}

/** Parses CSS; null when it does not parse (lint reports that). */
export function parseCss(source: string, from: string): Root | null {
  try {
    return postcss.parse(source, { from });
  } catch {
    return null;
  }
}

/** Maps a position inside embedded CSS to the enclosing file: `base` is where the CSS text starts. */
export function offsetLocation(base: SourceLocation, line: number, column: number): SourceLocation {
  return { file: base.file, line: base.line + line - 1, column: line === 1 ? base.column + column - 1 : column };
}

function urlsInValue(value: string): string[] {
  const out: string[] = [];
  valueParser(value).walk((node) => {
    if (node.type === 'function' && node.value.toLowerCase() === 'url') {
      const arg = node.nodes[0];
      if (arg) out.push(arg.value);
      return false;
    }
    return undefined;
  });
  return out;
}

function importUrl(params: string): string | null {
  const parsed = valueParser(params).nodes[0];
  if (!parsed) return null;
  if (parsed.type === 'string') return parsed.value;
  if (parsed.type === 'function' && parsed.value.toLowerCase() === 'url') return parsed.nodes[0]?.value ?? null;
  return null;
}

/** Every url() and @import in a parsed stylesheet, located relative to `base`. */
export function cssRefs(root: Root, base: SourceLocation): CssRef[] {
  const refs: CssRef[] = [];
  const at = (node: { source?: { start?: { line: number; column: number } } }) =>
    offsetLocation(base, node.source?.start?.line ?? 1, node.source?.start?.column ?? 1);
  root.walkAtRules('import', (rule) => {
    const url = importUrl(rule.params);
    if (url) refs.push({ url, kind: 'style', isImport: true, loc: at(rule) });
  });
  root.walkDecls((decl) => {
    const inFontFace = decl.parent?.type === 'atrule' && (decl.parent as { name?: string }).name === 'font-face';
    for (const url of urlsInValue(decl.value)) {
      refs.push({ url, kind: inFontFace && decl.prop === 'src' ? 'font' : 'image', isImport: false, loc: at(decl) });
    }
  });
  return refs;
}

/** url() references of an inline `style=""` attribute. */
export function inlineStyleRefs(style: string, loc: SourceLocation): CssRef[] {
  const root = parseCss(`x{${style}}`, loc.file);
  if (!root) return [];
  const refs: CssRef[] = [];
  root.walkDecls((decl) => {
    for (const url of urlsInValue(decl.value)) refs.push({ url, kind: 'image', isImport: false, loc });
  });
  return refs;
}
