/**
 * CSS for the model: postcss parses style blocks, inline styles and .css files, and
 * postcss-value-parser finds url() and @import references, each located at its own line and
 * column in the user's file (also when the CSS sits inside an HTML file).
 */
import postcss, { type Declaration, type Root } from 'postcss';
import valueParser from 'postcss-value-parser';
import type { SourceLocation } from '../../shared/diagnostics.js';
import type { AssetKind } from '../../shared/model.js';
import { bracketDepthOver, limits } from '../security/budgets.js';

/** One parsed .css file of the project. */
export interface ParsedCssFile {
  /** Project-relative path, forward slashes. */
  file: string;
  source: string;
  /** The parsed sheet; empty when the file does not parse (lint reports the syntax error). */
  root: Root;
}

/** A url() or @import found in CSS. */
export interface CssRef {
  url: string;
  kind: AssetKind;
  /** True for @import (another stylesheet). */
  isImport: boolean;
  loc: SourceLocation;
}

/**
 * Parses CSS; null when it does not parse or nests deeper than the budget (lint reports either
 * with its own location).
 */
export function parseCss(source: string, from: string): Root | null {
  if (bracketDepthOver(source, limits().depth)) return null;
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

type Positioned = { source?: { start?: { line: number; column: number } } };

function startOf(node: Positioned): { line: number; column: number } {
  return { line: node.source?.start?.line ?? 1, column: node.source?.start?.column ?? 1 };
}

/** url() arguments in a declaration, with the column each url() starts at when it can be known. */
function urlsInDecl(decl: Declaration): { url: string; line: number; column: number }[] {
  const raw = (decl.raws as { value?: { raw?: string } }).value?.raw ?? decl.value;
  const start = startOf(decl);
  const prefix = decl.prop + (decl.raws.between ?? ':');
  const out: { url: string; line: number; column: number }[] = [];
  valueParser(raw).walk((node) => {
    if (node.type !== 'function' || node.value.toLowerCase() !== 'url') return undefined;
    const arg = node.nodes[0];
    if (arg && arg.value.trim()) {
      const before = prefix + raw.slice(0, node.sourceIndex);
      // Exact column when the value runs on the declaration's line; else the declaration's start.
      const column = before.includes('\n') ? start.column : start.column + before.length;
      out.push({ url: arg.value.trim(), line: start.line, column });
    }
    return false;
  });
  return out;
}

function importUrl(params: string): string | null {
  const first = valueParser(params).nodes.find((n) => n.type !== 'space');
  if (!first) return null;
  if (first.type === 'string') return first.value;
  if (first.type === 'function' && first.value.toLowerCase() === 'url') return first.nodes[0]?.value ?? null;
  return null;
}

/** Every url() and @import in a parsed stylesheet, located relative to `base` (where its text starts). */
export function cssRefs(root: Root, base: SourceLocation): CssRef[] {
  const refs: CssRef[] = [];
  root.walk((node) => {
    if (node.type === 'atrule' && node.name.toLowerCase() === 'import') {
      const url = importUrl(node.params);
      const at = startOf(node);
      if (url) refs.push({ url, kind: 'style', isImport: true, loc: offsetLocation(base, at.line, at.column) });
    } else if (node.type === 'decl') {
      const parent = node.parent;
      const inFontFace = parent?.type === 'atrule' && (parent as { name: string }).name.toLowerCase() === 'font-face';
      const kind: AssetKind = inFontFace && node.prop.toLowerCase() === 'src' ? 'font' : 'image';
      for (const u of urlsInDecl(node)) refs.push({ url: u.url, kind, isImport: false, loc: offsetLocation(base, u.line, u.column) });
    }
  });
  return refs;
}

/** url() references of an inline `style=""` attribute; `valueLoc` is where the attribute value starts. */
export function inlineStyleRefs(style: string, valueLoc: SourceLocation): CssRef[] {
  // Wrapped in `x{…}` to parse as a rule: shift columns on the first line back by those 2 characters.
  const root = parseCss(`x{${style}}`, valueLoc.file);
  if (!root) return [];
  return cssRefs(root, { ...valueLoc, column: valueLoc.column - 2 });
}
