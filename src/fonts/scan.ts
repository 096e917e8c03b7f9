/**
 * What HeyGen's engine reads of an HTML file's fonts, read the same way: `font-family`
 * declarations in `<style>` blocks (outside @font-face), in `style=""` attributes and in
 * `data-font-family` attributes; custom properties (`--font: …`) the declarations may name;
 * families that already have an `@font-face` in the file; Google Fonts stylesheets linked or
 * `@import`ed. Linked .css files are not read: the engine does not look into them when it
 * resolves fonts (it renders them, but supplies no face for a family named only there).
 *
 * Each declaration keeps where it is (for lint) and, when its first family is a generic one, the
 * offset where the engine's deterministic primary (`Inter, `) goes (for the served page).
 */
import postcss, { type ChildNode, type Container, type Declaration, type Root } from 'postcss';
import {
  attr,
  attrValueLocation,
  contentLocation,
  descendants,
  nodeLocation,
  offsetLocation,
  positionAt,
  type HtmlElement,
  type ParsedHtmlFile,
} from '../model/index.js';
import type { SourceLocation } from '../../shared/diagnostics.js';
import { isGoogleFontsCssUrl } from './google-fonts-url.js';
import { CSS_WIDE_KEYWORDS, DETERMINISTIC_PRIMARY, GENERIC_FAMILIES, normalizeFamily } from './engine-fonts.js';

/** One `font-family` the engine reads. */
export interface FontFamilyDeclaration {
  file: string;
  loc: SourceLocation;
  surface: 'style' | 'inline' | 'data-font-family';
  /** The value as written (trimmed). */
  value: string;
  /** `font-weight` / `font-style` declared beside it (same rule or attribute), as written. */
  weight?: string;
  style?: string;
  /** Offset in the file where the value starts, when the file text equals the value there. */
  valueOffset: number | null;
}

/** A custom property declaration (`--x: …`), which the engine also normalises. */
export interface CustomPropertyDeclaration {
  name: string;
  value: string;
  valueOffset: number | null;
}

/** A weight or style set without a family beside it (it applies to whatever family is inherited). */
export interface LooseFaceDeclaration {
  file: string;
  loc: SourceLocation;
  weight?: string;
  style?: string;
}

/** Families named only in the `font` shorthand, which the engine does not read. */
export interface ShorthandFamily {
  family: string;
  loc: SourceLocation;
  weight?: string;
  style?: string;
}

/** What one HTML file says about fonts. */
export interface DocumentFontScan {
  file: string;
  declarations: FontFamilyDeclaration[];
  customProperties: CustomPropertyDeclaration[];
  /** Families with an @font-face somewhere in the file's text (lower case). */
  fontFaces: Set<string>;
  /** Google Fonts stylesheet URLs: unconditional `<link rel=stylesheet>` and top-level `@import`. */
  googleStylesheets: { url: string; loc: SourceLocation }[];
  /** Local stylesheets the file links (project-relative hrefs as written). */
  linkedStylesheets: { href: string; loc: SourceLocation }[];
  shorthand: ShorthandFamily[];
  loose: LooseFaceDeclaration[];
  /** @font-face rules of the file's `<style>` blocks: family (lower case), weight, style as written, and whether `src` names a file (not only `local()`). */
  faceRules: { family: string; weight: string; style: string; hasFile: boolean }[];
}

/**
 * The families of a `font-family` value, quotes removed, case kept. Only top-level commas split
 * (`var(--x, a, b)` stays one entry), as the engine reads it.
 */
export function splitFamilies(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  out.push(value.slice(start));
  return out.map((p) => p.trim().replace(/^['"]/, '').replace(/['"]$/, '').trim()).filter(Boolean);
}

/** `var(--name, fallback)rest` at the start of a value, or null. Offsets are into `value`. */
export function leadingVar(value: string): { name: string; fallback: string | null; fallbackOffset: number; rest: string } | null {
  const lead = value.length - value.trimStart().length;
  const trimmed = value.trim();
  if (!trimmed.toLowerCase().startsWith('var(')) return null;
  let depth = 0;
  for (let i = 0; i < trimmed.length; i++) {
    const c = trimmed[i];
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth !== 0) continue;
      const inner = trimmed.slice(4, i);
      const comma = inner.indexOf(',');
      const name = (comma < 0 ? inner : inner.slice(0, comma)).trim();
      if (!/^--[A-Za-z0-9_-]+$/.test(name)) return null;
      return {
        name,
        fallback: comma < 0 ? null : inner.slice(comma + 1),
        fallbackOffset: lead + 4 + comma + 1,
        rest: trimmed.slice(i + 1),
      };
    }
  }
  return null;
}

/**
 * Where in `value` the engine inserts its primary family (`Inter, `): at the start when the first
 * family is generic, inside a leading `var()`'s fallback when the variable is not defined in the
 * document. Null when the value is left alone.
 */
export function primaryInsertion(value: string, defined: (name: string) => boolean): number | null {
  const v = leadingVar(value);
  if (v) {
    if (v.fallback === null || defined(v.name)) return null;
    const inner = primaryInsertion(v.fallback, defined);
    return inner === null ? null : v.fallbackOffset + inner;
  }
  const families = splitFamilies(value);
  if (!families.length || !GENERIC_FAMILIES.has(normalizeFamily(families[0]))) return null;
  return value.length - value.trimStart().length;
}

/** The text the engine puts in front of a generic first family. */
export const PRIMARY_PREFIX = `${DETERMINISTIC_PRIMARY}, `;

/**
 * Families a declaration asks the engine for, resolving a leading `var()` through the
 * document's custom properties (a family reached only through a fallback is optional).
 */
export function declaredFamilies(
  value: string,
  customProperties: ReadonlyMap<string, string>,
  depth = 0,
  optional = false,
): { family: string; optional: boolean }[] {
  const families = splitFamilies(value);
  const v = depth < 8 ? leadingVar(value) : null;
  if (!v) return families.map((family) => ({ family, optional }));
  const resolved = customProperties.get(v.name);
  const source = resolved || v.fallback;
  if (source === null || source === undefined) return families.map((family) => ({ family, optional }));
  const primary = declaredFamilies(source, customProperties, depth + 1, !resolved || depth > 0);
  if (!primary.length) return [];
  return [...primary, ...families.slice(1).map((family) => ({ family, optional }))];
}

/** A family the engine would look up (not generic, not a keyword, not a var()). */
export function isLookupFamily(family: string): boolean {
  const n = normalizeFamily(family);
  return Boolean(n) && !n.startsWith('var(') && !GENERIC_FAMILIES.has(n) && !CSS_WIDE_KEYWORDS.has(n);
}

/** Families with an @font-face in a text, found as the engine finds them (its first font-family). */
export function fontFaceFamilies(text: string): Set<string> {
  const out = new Set<string>();
  const opening = /@font-face\s*\{/gi;
  const family = /font-family\s*:/gi;
  while (opening.exec(text)) {
    family.lastIndex = opening.lastIndex;
    let decl = family.exec(text);
    while (decl && text[family.lastIndex] === ';') decl = family.exec(text);
    if (!decl) break;
    const start = family.lastIndex;
    const semicolon = text.indexOf(';', start);
    if (semicolon < 0) break;
    const end = text.indexOf('}', semicolon + 1);
    if (end < 0) break;
    const name = normalizeFamily(text.slice(start, semicolon));
    if (name) out.add(name);
    opening.lastIndex = end + 1;
  }
  return out;
}

function parseCss(css: string): Root | null {
  try {
    return postcss.parse(css);
  } catch {
    return null;
  }
}

function inFontFace(node: ChildNode): boolean {
  const p = node.parent as Container | undefined;
  return p?.type === 'atrule' && (p as unknown as { name: string }).name.toLowerCase() === 'font-face';
}

/** Font-related declarations of one rule body (a rule, or an inline style). */
function ruleFacts(container: Container): { family?: Declaration; weight?: string; style?: string; font?: Declaration } {
  const out: { family?: Declaration; weight?: string; style?: string; font?: Declaration } = {};
  for (const node of container.nodes ?? []) {
    if (node.type !== 'decl') continue;
    const prop = node.prop.toLowerCase();
    if (prop === 'font-family') out.family = node;
    else if (prop === 'font-weight') out.weight = node.value.trim();
    else if (prop === 'font-style') out.style = node.value.trim();
    else if (prop === 'font') out.font = node;
  }
  return out;
}

/** The `font` shorthand split into style, weight and family list (null for system keywords). */
export function parseFontShorthand(value: string): { style?: string; weight?: string; families: string[] } | null {
  const m =
    /^(.*?)(?:^|\s)((?:\d*\.)?\d+(?:px|pt|pc|em|rem|%|vw|vh|vmin|vmax|ex|ch|cm|mm|in|q|lh|rlh|cq\w+)|xx-small|x-small|small|medium|large|x-large|xx-large|xxx-large|smaller|larger)(?:\s*\/\s*\S+)?\s+(.+)$/i.exec(
      value.trim(),
    );
  if (!m) return null;
  const before = m[1].trim().toLowerCase().split(/\s+/).filter(Boolean);
  const weight = before.find((w) => /^(bold|bolder|lighter|\d{1,4})$/.test(w));
  const style = before.find((w) => /^(italic|oblique)$/.test(w));
  return { weight, style, families: splitFamilies(m[3]) };
}

interface CssContext {
  file: ParsedHtmlFile;
  /** Offset in the file where the CSS text starts. */
  base: number;
  /** Location in the file where the CSS text starts. */
  baseLoc: SourceLocation;
  /** Whether CSS offsets map 1:1 onto the file (false for attribute values with entities). */
  exact: boolean;
  surface: 'style' | 'inline';
  /** Inline styles are parsed wrapped in `*{…}`: subtract this from offsets and columns. */
  shift: number;
}

function scanCss(root: Root, ctx: CssContext, scan: DocumentFontScan): void {
  root.walkAtRules(/^font-face$/i, (rule) => {
    const get = (prop: string) =>
      (rule.nodes ?? []).find((n): n is Declaration => n.type === 'decl' && n.prop.toLowerCase() === prop)?.value.trim();
    const family = get('font-family');
    if (family)
      scan.faceRules.push({
        family: normalizeFamily(splitFamilies(family)[0] ?? ''),
        weight: get('font-weight') ?? '400',
        style: get('font-style') ?? 'normal',
        hasFile: /url\(/i.test(get('src') ?? ''),
      });
  });
  const loc = (node: { source?: { start?: { line: number; column: number } } }): SourceLocation => {
    const s = node.source?.start ?? { line: 1, column: 1 };
    return offsetLocation(ctx.baseLoc, s.line, s.line === 1 ? s.column - ctx.shift : s.column);
  };
  const valueOffset = (decl: Declaration): number | null => {
    const start = decl.source?.start?.offset;
    if (!ctx.exact || start === undefined) return null;
    const lead = decl.prop.length + (decl.raws.between ?? ':').length;
    return ctx.base + start - ctx.shift + lead;
  };
  const visited = new Set<Container>();
  root.walkDecls((decl) => {
    if (decl.prop.startsWith('--')) {
      scan.customProperties.push({ name: decl.prop, value: decl.value, valueOffset: valueOffset(decl) });
      return;
    }
    if (inFontFace(decl)) return;
    const parent = decl.parent as Container | undefined;
    if (!parent || visited.has(parent)) return;
    const prop = decl.prop.toLowerCase();
    if (prop !== 'font-family' && prop !== 'font-weight' && prop !== 'font-style' && prop !== 'font') return;
    visited.add(parent);
    const facts = ruleFacts(parent);
    if (facts.family) {
      scan.declarations.push({
        file: ctx.file.file,
        loc: loc(facts.family),
        surface: ctx.surface,
        value: facts.family.value.trim(),
        weight: facts.weight,
        style: facts.style,
        valueOffset: valueOffset(facts.family),
      });
    } else if (facts.weight || facts.style) {
      scan.loose.push({
        file: ctx.file.file,
        loc: loc(parent.nodes?.find((n) => n.type === 'decl' && /^font-(weight|style)$/i.test((n as Declaration).prop)) ?? parent),
        weight: facts.weight,
        style: facts.style,
      });
    }
    if (facts.font) {
      const parsed = parseFontShorthand(facts.font.value);
      if (parsed) {
        for (const family of parsed.families)
          scan.shorthand.push({ family, loc: loc(facts.font), weight: parsed.weight ?? facts.weight, style: parsed.style ?? facts.style });
      }
    }
  });
}

function isUnconditional(el: HtmlElement): boolean {
  const media = (attr(el, 'media') ?? '').trim().toLowerCase();
  const type = (attr(el, 'type') ?? '').trim().toLowerCase();
  return (
    (media === '' || media === 'all' || media === 'screen') &&
    (type === '' || type === 'text/css') &&
    !(attr(el, 'title') ?? '').trim() &&
    attr(el, 'disabled') === null
  );
}

/** Reads one parsed HTML file as the engine reads its fonts. */
export function scanFontDocument(file: ParsedHtmlFile): DocumentFontScan {
  const scan: DocumentFontScan = {
    file: file.file,
    declarations: [],
    customProperties: [],
    fontFaces: fontFaceFamilies(file.source),
    googleStylesheets: [],
    linkedStylesheets: [],
    shorthand: [],
    loose: [],
    faceRules: [],
  };
  for (const el of descendants(file.document, { intoTemplates: true })) {
    if (el.tagName === 'style') {
      const text = el.childNodes.map((n) => (n.nodeName === '#text' ? (n as { value: string }).value : '')).join('');
      const first = el.childNodes[0]?.sourceCodeLocation;
      const base = first?.startOffset ?? el.sourceCodeLocation?.startTag?.endOffset ?? 0;
      const root = parseCss(text);
      if (!root) continue;
      const exact = file.source.slice(base, base + text.length) === text;
      scanCss(root, { file, base, baseLoc: contentLocation(file, el), exact, surface: 'style', shift: 0 }, scan);
      if (isUnconditional(el)) {
        for (const node of root.nodes) {
          if (node.type !== 'atrule' || node.name.toLowerCase() !== 'import') continue;
          const m = /^\s*(?:url\(\s*)?['"]?([^'")\s]+)['"]?\s*\)?\s*(.*)$/i.exec(node.params);
          const media = (m?.[2] ?? '').trim().toLowerCase();
          if (m && (media === '' || media === 'all' || media === 'screen') && isGoogleFontsCssUrl(m[1])) {
            const s = node.source?.start ?? { line: 1, column: 1 };
            scan.googleStylesheets.push({ url: m[1], loc: offsetLocation(contentLocation(file, el), s.line, s.column) });
          }
        }
      }
    } else if (el.tagName === 'link') {
      const rel = (attr(el, 'rel') ?? '').toLowerCase().split(/\s+/);
      const href = attr(el, 'href');
      if (!href || !rel.includes('stylesheet') || rel.includes('alternate')) continue;
      if (isGoogleFontsCssUrl(href)) {
        if (isUnconditional(el)) scan.googleStylesheets.push({ url: href, loc: nodeLocation(file, el, 'href') });
      } else if (!/^[a-z][a-z0-9+.-]*:|^\/\//i.test(href)) scan.linkedStylesheets.push({ href, loc: nodeLocation(file, el, 'href') });
    }
    const style = attr(el, 'style');
    if (style && /font|--/i.test(style)) {
      const at = el.sourceCodeLocation?.attrs?.style;
      const valueLoc = attrValueLocation(file, el, 'style');
      let base = -1;
      if (at) {
        const raw = file.source.slice(at.startOffset, at.endOffset);
        const i = raw.indexOf(style, raw.indexOf('=') + 1);
        if (i >= 0) base = at.startOffset + i;
      }
      const root = parseCss(`*{${style}}`);
      if (root) scanCss(root, { file, base: base < 0 ? 0 : base, baseLoc: valueLoc, exact: base >= 0, surface: 'inline', shift: 2 }, scan);
    }
    const dataFamily = attr(el, 'data-font-family');
    if (dataFamily !== null) {
      const at = el.sourceCodeLocation?.attrs?.['data-font-family'];
      let offset: number | null = null;
      if (at) {
        const raw = file.source.slice(at.startOffset, at.endOffset);
        const i = raw.indexOf(dataFamily, raw.indexOf('=') + 1);
        if (i >= 0 && dataFamily) offset = at.startOffset + i;
      }
      scan.declarations.push({
        file: file.file,
        loc: nodeLocation(file, el, 'data-font-family'),
        surface: 'data-font-family',
        value: dataFamily.trim(),
        valueOffset: offset === null ? null : offset + (dataFamily.length - dataFamily.trimStart().length),
      });
    }
  }
  return scan;
}

/** Custom properties of several scans, later declarations winning (as the engine collects them). */
export function customPropertyMap(scans: readonly DocumentFontScan[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const s of scans) for (const p of s.customProperties) map.set(p.name, p.value);
  return map;
}

/**
 * Offsets in `scan`'s file where the engine's primary family goes: every font-family,
 * data-font-family and custom property whose first family is generic. `defined` tells whether a
 * custom property is set anywhere in the composition.
 */
export function primaryInsertions(scan: DocumentFontScan, defined: (name: string) => boolean): number[] {
  const out: number[] = [];
  for (const d of scan.declarations) {
    if (d.valueOffset === null) continue;
    const at = primaryInsertion(d.value, defined);
    if (at !== null) out.push(d.valueOffset + at);
  }
  for (const p of scan.customProperties) {
    if (p.valueOffset === null) continue;
    const at = primaryInsertion(p.value, defined);
    if (at !== null) out.push(p.valueOffset + at);
  }
  return out;
}

/**
 * The scans as the engine sees them after its rewrite: each value whose first family is generic
 * with `Inter, ` in front (custom properties too). For reading families; offsets stay the
 * original ones, so edits still use the unchanged scans.
 */
export function engineNormalized(scans: readonly DocumentFontScan[]): DocumentFontScan[] {
  const original = customPropertyMap(scans);
  const defined = (name: string) => Boolean(original.get(name));
  const fix = (value: string) => {
    const at = primaryInsertion(value, defined);
    return at === null ? value : value.slice(0, at) + PRIMARY_PREFIX + value.slice(at);
  };
  return scans.map((scan) => ({
    ...scan,
    declarations: scan.declarations.map((d) => ({ ...d, value: fix(d.value) })),
    customProperties: scan.customProperties.map((p) => ({ ...p, value: fix(p.value) })),
  }));
}

/** `text` with `insert` placed at each offset (offsets into the original text). */
export function insertAt(text: string, offsets: readonly number[], insert: string): string {
  let out = text;
  for (const o of [...new Set(offsets)].sort((a, b) => b - a)) out = out.slice(0, o) + insert + out.slice(o);
  return out;
}

/** Location helper for callers that have only an offset. */
export function locationAt(file: ParsedHtmlFile, offset: number): SourceLocation {
  return positionAt(file, offset);
}
