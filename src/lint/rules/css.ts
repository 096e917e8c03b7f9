/**
 * Rules about style sheets: they parse, they use no CSS transitions (wall-clock animation), and
 * every font family they name is shipped with an @font-face (or is a generic family).
 */
import valueParser from 'postcss-value-parser';
import { attr, nodeLocation } from '../../model/index.js';
import type { SourceLocation } from '../../shared/diagnostics.js';
import type { LintContext } from '../context.js';
import { GENERIC_FAMILIES, SUBSTITUTED_FAMILIES } from './font-names.js';

/** Family names of a `font-family` value, quotes removed, as written; var() and other functions are skipped. */
export function familyNames(value: string): string[] {
  const out: string[] = [];
  for (const part of valueParser(value.replace(/!important\s*$/i, '')).nodes.reduce<string[][]>((acc, n) => {
    if (n.type === 'div' && n.value === ',') acc.push([]);
    else if (n.type === 'function') acc[acc.length - 1].push('\0');
    else if (n.type === 'word' || n.type === 'string') acc[acc.length - 1].push(n.value);
    return acc;
  }, [[]])) {
    if (part.includes('\0') || !part.length) continue;
    out.push(part.join(' ').trim());
  }
  return out;
}

function hasTime(value: string): boolean {
  return valueParser(value).nodes.some((n) => n.type === 'word' && /^[+]?(\d*\.)?\d+m?s$/i.test(n.value) && parseFloat(n.value) > 0);
}

export function cssRules(ctx: LintContext): void {
  const declared = new Set<string>();
  const used: { family: string; loc: SourceLocation }[] = [];
  for (const sheet of ctx.styles) {
    if (sheet.error?.code) {
      ctx.report(sheet.error.code, sheet.error.loc, sheet.error.message);
      continue;
    }
    if (sheet.error) {
      ctx.report('css_parse_error', sheet.error.loc, `The CSS in ${sheet.file} does not parse: ${sheet.error.message}.`);
      continue;
    }
    sheet.root!.walkDecls((decl) => {
      const prop = decl.prop.toLowerCase();
      const inFontFace = decl.parent?.type === 'atrule' && (decl.parent as { name: string }).name.toLowerCase() === 'font-face';
      if (prop === 'font-family') {
        const names = familyNames(decl.value);
        if (inFontFace) names.forEach((n) => declared.add(n.toLowerCase()));
        else for (const family of names) used.push({ family, loc: ctx.cssLocation(sheet, decl) });
      } else if (prop === 'font' && !inFontFace && /,|["']/.test(decl.value)) {
        // The shorthand ends with the family list; take what follows the size (the last number with a unit).
        const m = /(?:^|\s)[\d.]+(?:px|pt|em|rem|%|vw|vh|cq\w+|ex|ch)?(?:\/[\w.%]+)?\s+(.+)$/.exec(decl.value);
        if (m) for (const family of familyNames(m[1])) used.push({ family, loc: ctx.cssLocation(sheet, decl) });
      }
      if ((prop === 'transition' || prop === 'transition-duration') && hasTime(decl.value)) {
        ctx.report('css_transition_used', ctx.cssLocation(sheet, decl), `"${decl.prop}: ${decl.value}" animates on the wall clock; renders seek frames and cannot reproduce it.`);
      }
    });
  }
  for (const file of ctx.html.values()) {
    for (const el of ctx.elements(file)) {
      const style = attr(el, 'style');
      if (!style || !/font-family/i.test(style)) continue;
      const m = /font-family\s*:\s*([^;]+)/i.exec(style);
      if (m) for (const family of familyNames(m[1])) used.push({ family, loc: nodeLocation(file, el, 'style') });
    }
  }
  // Google Fonts stylesheets declare their families for us (the network rule flags the link).
  for (const ref of ctx.model.assets) {
    if (!ref.external || !/fonts\.googleapis\.com/i.test(ref.url)) continue;
    try {
      const u = new URL(ref.url.replace(/&amp;/g, '&'), 'https://fonts.googleapis.com');
      for (const f of u.searchParams.getAll('family')) for (const spec of f.split('|')) declared.add(spec.split(':')[0].replace(/\+/g, ' ').trim().toLowerCase());
    } catch {
      /* not a URL: nothing declared */
    }
  }
  const seen = new Set<string>();
  for (const { family, loc } of used) {
    const key = family.toLowerCase();
    if (declared.has(key) || GENERIC_FAMILIES.has(key) || seen.has(key)) continue;
    seen.add(key);
    if (SUBSTITUTED_FAMILIES.has(key)) {
      ctx.report('font_not_bundled', loc, `"${family}" has no @font-face in the project: the cloud substitutes its own font for it, while previews and local renders use whatever this machine has.`);
    } else {
      ctx.report('font_family_without_font_face', loc, `Font family "${family}" is used without an @font-face, and the renderer has no copy of it: text falls back to another font.`);
    }
  }
}
