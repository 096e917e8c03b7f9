/**
 * Words for what the cloud draws: one line per family for lint's report, the family drawn in
 * place of one the cloud cannot resolve, and the weights a family is used at that the cloud has
 * no face for (the browser then draws the nearest one, by CSS's matching rules).
 */
import type { SourceLocation } from '../../shared/diagnostics.js';
import { GENERIC_FAMILIES, normalizeFamily } from './engine-fonts.js';
import type { WeightSpec } from './google-fonts-url.js';
import { matchWeight, type FamilyResolution, type FontPlan } from './resolve.js';
import { customPropertyMap, declaredFamilies, engineNormalized, type DocumentFontScan } from './scan.js';

/** One family as lint reports it. */
export interface FontSummary {
  family: string;
  status: FamilyResolution['status'];
  /** What the cloud draws, in words. */
  cloud: string;
  /** Whether framesmith draws the same here. */
  local: boolean;
  /** For an unresolved family: what is drawn instead. */
  fallback?: string;
}

function weightList(weights: readonly WeightSpec[]): string {
  const points = [...new Set(weights.filter((w): w is number => typeof w === 'number'))].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < points.length;) {
    let j = i;
    while (j + 1 < points.length && points[j + 1] - points[j] === 100) j++;
    parts.push(j - i >= 2 ? `${points[i]}–${points[j]}` : points.slice(i, j + 1).join(', '));
    i = j + 1;
  }
  for (const w of weights) if (typeof w !== 'number') parts.push(`${w.min}–${w.max}`);
  return parts.join(', ');
}

function facesText(r: FamilyResolution): string {
  const upright = r.faces.filter((f) => f.style === 'normal').map((f) => f.weight);
  const italic = r.faces.filter((f) => f.style === 'italic').map((f) => f.weight);
  return `weights ${weightList(upright)}${italic.length ? `, italic ${weightList(italic)}` : ', no italic'}`;
}

/**
 * What is drawn where `family` has no face: the next family of the first declaration naming it
 * that the cloud resolves, or the generic family it ends with.
 */
export function fallbackFor(family: string, originalScans: readonly DocumentFontScan[], plan: FontPlan): string {
  const scans = engineNormalized(originalScans);
  const key = normalizeFamily(family);
  const props = customPropertyMap(scans);
  const resolved = new Map(plan.families.map((f) => [normalizeFamily(f.family), f]));
  for (const scan of scans) {
    for (const d of scan.declarations) {
      const list = declaredFamilies(d.value, props).map((x) => x.family);
      const i = list.findIndex((f) => normalizeFamily(f) === key);
      if (i < 0) continue;
      for (const next of list.slice(i + 1)) {
        const n = normalizeFamily(next);
        if (GENERIC_FAMILIES.has(n)) return `the renderer's ${n} font (in the cloud, whatever its system has)`;
        const r = resolved.get(n);
        if (r && r.status !== 'unresolved') return r.canonical ? r.canonical.family : r.family;
      }
      return "the renderer's default font";
    }
  }
  return "the renderer's default font";
}

/** The per-family lines of lint's report. */
export function summarizeFonts(plan: FontPlan, scans: readonly DocumentFontScan[]): FontSummary[] {
  return plan.families.map((r) => {
    const here = r.local ? '' : `; no copy here: ${r.reason}`;
    switch (r.status) {
      case 'project':
        return {
          family: r.family,
          status: r.status,
          cloud: `the project's own @font-face${r.faces.length ? ` (${facesText(r)})` : ''}`,
          local: true,
        };
      case 'engine':
        return { family: r.family, status: r.status, cloud: `HeyGen's ${r.canonical!.family} (${facesText(r)})${here}`, local: r.local };
      case 'alias':
        return {
          family: r.family,
          status: r.status,
          cloud: `${r.canonical!.family}, HeyGen's stand-in for "${r.family}" (${facesText(r)})${here}`,
          local: r.local,
        };
      case 'google':
        return {
          family: r.family,
          status: r.status,
          cloud: `Google Fonts' ${r.package?.family ?? r.family}${r.faces.length ? ` (${facesText(r)})` : ''}${here}`,
          local: r.local,
        };
      default: {
        const fallback = fallbackFor(r.family, scans, plan);
        return { family: r.family, status: r.status, cloud: `no face: ${fallback} instead`, local: true, fallback };
      }
    }
  });
}

/** A weight or style a family is used at that the cloud has no face for. */
export interface FaceMismatch {
  family: string;
  loc: SourceLocation;
  want: { weight: number; style: 'normal' | 'italic' };
  /** What is drawn: the nearest weight, and whether the browser slants an upright face. */
  drawn: { weight: number; synthesizedItalic: boolean; synthesizedBold: boolean };
  available: string;
}

function numericWeight(w: string | undefined): number | null {
  if (!w) return null;
  const v = w
    .trim()
    .toLowerCase()
    .replace(/\s*!important$/, '');
  if (v === 'normal') return 400;
  if (v === 'bold') return 700;
  const n = Number(v);
  return Number.isFinite(n) && n >= 1 && n <= 1000 ? n : null;
}

function styleOf(s: string | undefined): 'normal' | 'italic' {
  return s && /^(italic|oblique)/i.test(s.trim()) ? 'italic' : 'normal';
}

/**
 * Uses of a family at a weight or style the cloud has no face for. A weight counts for a family
 * when it is set beside the family's font-family, or (a rule setting only the weight) in a file
 * that names that family alone.
 */
export function faceMismatches(plan: FontPlan, originalScans: readonly DocumentFontScan[]): FaceMismatch[] {
  const scans = engineNormalized(originalScans);
  const out: FaceMismatch[] = [];
  const props = customPropertyMap(scans);
  const byKey = new Map(plan.families.map((f) => [normalizeFamily(f.family), f]));
  const check = (r: FamilyResolution, weightText: string | undefined, styleText: string | undefined, loc: SourceLocation) => {
    if (r.status === 'unresolved' || !r.faces.length) return;
    const weight = numericWeight(weightText) ?? 400;
    const style = styleOf(styleText);
    if (weightText === undefined && styleText === undefined) return;
    const sameStyle = r.faces.filter((f) => f.style === style);
    const pool = sameStyle.length ? sameStyle : r.faces.filter((f) => f.style === 'normal');
    const drawn = matchWeight(
      weight,
      pool.map((f) => f.weight),
    );
    if (drawn === null) return;
    const synthesizedItalic = style === 'italic' && !sameStyle.length;
    if (drawn === weight && !synthesizedItalic) return;
    if (out.some((m) => m.family === r.family && m.want.weight === weight && m.want.style === style)) return;
    out.push({
      family: r.family,
      loc,
      want: { weight, style },
      drawn: { weight: drawn, synthesizedItalic, synthesizedBold: weight >= 600 && drawn < 600 },
      available: facesText(r),
    });
  };
  for (const scan of scans) {
    const familiesHere = new Set<string>();
    for (const d of scan.declarations) {
      const list = declaredFamilies(d.value, props).map((x) => normalizeFamily(x.family));
      const first = list.map((k) => byKey.get(k)).find((r) => r && r.status !== 'unresolved');
      if (first) {
        familiesHere.add(normalizeFamily(first.family));
        check(first, d.weight, d.style, d.loc);
      }
    }
    if (familiesHere.size === 1) {
      const r = byKey.get([...familiesHere][0])!;
      for (const l of scan.loose) check(r, l.weight, l.style, l.loc);
    }
  }
  return out;
}
