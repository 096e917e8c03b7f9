/**
 * Google Fonts stylesheet URLs (`https://fonts.googleapis.com/css?…` and `/css2?…`) read into
 * what they ask for: which families, in which weights and styles (single values or ranges),
 * which subsets, which `font-display`, and `text=` when the request is limited to some
 * characters. framesmith uses it to know which faces a page expects from Google Fonts, to draw
 * them from @fontsource packages instead (snapshot, render, dev, `framesmith vendor`).
 *
 * Both syntaxes are read:
 * - css2: `family=Name:ital,wght@0,400;0,700;1,400`, `family=Name:wght@100..900`,
 *   `family=Name:ital@1`, `family=Name` (regular only); one `family=` per family; other axes
 *   (`opsz`, `wdth`, `GRAD`, …) are kept as ranges but do not make faces of their own.
 * - css (v1): `family=Roboto:300,400,700italic|Open+Sans:400i,b` with `&subset=latin,cyrillic`;
 *   weight words (`regular`, `bold`, `italic`, `bolditalic`, `b`, `i`, `bi`, `r`) are understood.
 */

/** Hosts that serve the Google Fonts CSS API. */
export const GOOGLE_FONTS_CSS_HOSTS: ReadonlySet<string> = new Set(['fonts.googleapis.com']);
/** Host that serves the font files the CSS names. */
export const GOOGLE_FONTS_FILE_HOST = 'fonts.gstatic.com';

/** `normal` or `italic`, as in CSS `font-style`. */
export type FontStyle = 'normal' | 'italic';

/** A weight: one value (`400`) or an inclusive range (`100..900`, a variable font's span). */
export type WeightSpec = number | { min: number; max: number };

/** One face a stylesheet asks for. */
export interface FaceRequirement {
  style: FontStyle;
  weight: WeightSpec;
}

/** One family of a Google Fonts URL and the faces asked for it. */
export interface GoogleFamilyRequest {
  /** Family name as Google spells it, `+` decoded to spaces: `Nunito Sans`. */
  family: string;
  /** The faces, in URL order, without duplicates. A bare `family=Name` gives `[400 normal]`. */
  faces: FaceRequirement[];
  /**
   * Axes named in a css2 spec other than `ital` and `wght` (e.g. `opsz: {min: 14, max: 32}`),
   * for a variable font; a single value has min = max.
   */
  axes: Record<string, { min: number; max: number }>;
}

/** A parsed Google Fonts CSS URL. */
export interface GoogleFontsRequest {
  /** The URL as given (absolute). */
  url: string;
  api: 'css' | 'css2';
  families: GoogleFamilyRequest[];
  /** `display=` (`swap`, `block`, `fallback`, `optional`, `auto`), when given. */
  display?: string;
  /** Subsets named with v1's `subset=` (css2 serves every subset with unicode-range). */
  subsets: string[];
  /** `text=`: the request only covers these characters. */
  text?: string;
  /** Problems with parts of the URL that were skipped (each names the part). */
  problems: string[];
}

/** True for an http(s) URL of the Google Fonts CSS API (`/css` or `/css2`). `&amp;` is accepted. */
export function isGoogleFontsCssUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return Boolean(parsed && GOOGLE_FONTS_CSS_HOSTS.has(parsed.hostname.toLowerCase()) && /^\/css2?\/?$/.test(parsed.pathname));
}

/** True for a URL of Google's font file host (`fonts.gstatic.com`). */
export function isGoogleFontsFileUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return Boolean(parsed && parsed.hostname.toLowerCase() === GOOGLE_FONTS_FILE_HOST);
}

function parseUrl(url: string): URL | null {
  try {
    // Protocol-relative URLs (`//fonts.googleapis.com/…`) are common in old pages.
    const parsed = new URL(url.trim().replace(/&amp;/gi, '&'), 'https://invalid.invalid/');
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    return parsed;
  } catch {
    return null;
  }
}

const WEIGHT_WORDS: Record<string, number> = {
  thin: 100,
  hairline: 100,
  extralight: 200,
  ultralight: 200,
  light: 300,
  regular: 400,
  normal: 400,
  book: 400,
  medium: 500,
  semibold: 600,
  demibold: 600,
  bold: 700,
  extrabold: 800,
  ultrabold: 800,
  black: 900,
  heavy: 900,
};

/**
 * Parses a Google Fonts CSS URL. Returns null when `url` is not one (see
 * {@link isGoogleFontsCssUrl}). Families whose spec cannot be read are listed in `problems` and
 * given the regular face, as Google would refuse them.
 */
export function parseGoogleFontsUrl(url: string): GoogleFontsRequest | null {
  if (!isGoogleFontsCssUrl(url)) return null;
  const parsed = parseUrl(url)!;
  const api = parsed.pathname.replace(/\/$/, '') === '/css2' ? 'css2' : 'css';
  const problems: string[] = [];
  const families: GoogleFamilyRequest[] = [];
  const values = parsed.searchParams.getAll('family');
  for (const value of values) {
    const specs = api === 'css2' ? [value] : value.split('|');
    for (const spec of specs) {
      if (!spec.trim()) continue;
      const family = api === 'css2' ? parseCss2Family(spec, problems) : parseCss1Family(spec, problems);
      if (!family) continue;
      const existing = families.find((f) => f.family.toLowerCase() === family.family.toLowerCase());
      if (existing) {
        for (const face of family.faces) addFace(existing.faces, face);
        Object.assign(existing.axes, family.axes);
      } else families.push(family);
    }
  }
  const display = parsed.searchParams.get('display')?.trim().toLowerCase() || undefined;
  const subsets = (parsed.searchParams.get('subset') ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const text = parsed.searchParams.get('text') ?? undefined;
  return { url: parsed.href, api, families, display, subsets, text: text || undefined, problems };
}

function sameWeight(a: WeightSpec, b: WeightSpec): boolean {
  if (typeof a === 'number' || typeof b === 'number') return a === b;
  return a.min === b.min && a.max === b.max;
}

function addFace(faces: FaceRequirement[], face: FaceRequirement): void {
  if (!faces.some((f) => f.style === face.style && sameWeight(f.weight, face.weight))) faces.push(face);
}

function familyName(raw: string): string {
  return raw.replace(/\+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** `100` or `100..900` (css2). */
function parseAxisValue(raw: string): { min: number; max: number } | null {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*(?:\.\.\s*(-?\d+(?:\.\d+)?))?\s*$/.exec(raw);
  if (!m) return null;
  const a = Number(m[1]);
  const b = m[2] === undefined ? a : Number(m[2]);
  return { min: Math.min(a, b), max: Math.max(a, b) };
}

function weightOf(range: { min: number; max: number }): WeightSpec {
  return range.min === range.max ? range.min : { min: range.min, max: range.max };
}

function parseCss2Family(spec: string, problems: string[]): GoogleFamilyRequest | null {
  const colon = spec.indexOf(':');
  const family = familyName(colon < 0 ? spec : spec.slice(0, colon));
  if (!family) {
    problems.push(`family "${spec}" has no name`);
    return null;
  }
  const result: GoogleFamilyRequest = { family, faces: [], axes: {} };
  if (colon < 0) {
    result.faces.push({ style: 'normal', weight: 400 });
    return result;
  }
  const rest = spec.slice(colon + 1);
  const at = rest.indexOf('@');
  if (at < 0) {
    problems.push(`family "${family}": "${rest}" has no "@" (expected e.g. ${family.replace(/ /g, '+')}:wght@400;700)`);
    result.faces.push({ style: 'normal', weight: 400 });
    return result;
  }
  const axes = rest
    .slice(0, at)
    .split(',')
    .map((a) => a.trim());
  const tuples = rest
    .slice(at + 1)
    .split(';')
    .filter((t) => t.trim());
  const ital = axes.indexOf('ital');
  const wght = axes.indexOf('wght');
  for (const tuple of tuples) {
    const parts = tuple.split(',');
    if (parts.length !== axes.length) {
      problems.push(`family "${family}": "${tuple}" does not give one value per axis (${axes.join(',')})`);
      continue;
    }
    const ranges = parts.map(parseAxisValue);
    const bad = ranges.findIndex((r) => r === null);
    if (bad >= 0) {
      problems.push(`family "${family}": "${parts[bad]}" is not a number or range`);
      continue;
    }
    axes.forEach((axis, i) => {
      if (i === ital || i === wght) return;
      const r = ranges[i]!;
      const prev = result.axes[axis];
      result.axes[axis] = prev ? { min: Math.min(prev.min, r.min), max: Math.max(prev.max, r.max) } : r;
    });
    const weight: WeightSpec = wght >= 0 ? weightOf(ranges[wght]!) : 400;
    if (ital >= 0) {
      const r = ranges[ital]!;
      // ital is 0 or 1; a range 0..1 asks for both styles.
      if (r.min <= 0) addFace(result.faces, { style: 'normal', weight });
      if (r.max >= 1) addFace(result.faces, { style: 'italic', weight });
    } else addFace(result.faces, { style: 'normal', weight });
  }
  if (!result.faces.length) result.faces.push({ style: 'normal', weight: 400 });
  return result;
}

/** One css v1 variant: `400`, `700italic`, `400i`, `bold`, `bolditalic`, `b`, `i`, `bi`, `r`. */
function parseCss1Variant(raw: string): FaceRequirement | null {
  const v = raw.trim().toLowerCase();
  if (!v) return null;
  const short: Record<string, FaceRequirement> = {
    r: { style: 'normal', weight: 400 },
    i: { style: 'italic', weight: 400 },
    b: { style: 'normal', weight: 700 },
    bi: { style: 'italic', weight: 700 },
    italic: { style: 'italic', weight: 400 },
  };
  if (short[v]) return short[v];
  const m = /^(\d{3}|[a-z]+?)?(italic|i)?$/.exec(v);
  if (!m) return null;
  const style: FontStyle = m[2] ? 'italic' : 'normal';
  if (!m[1]) return { style, weight: 400 };
  const weight = /^\d+$/.test(m[1]) ? Number(m[1]) : WEIGHT_WORDS[m[1]];
  return weight ? { style, weight } : null;
}

function parseCss1Family(spec: string, problems: string[]): GoogleFamilyRequest | null {
  const [rawName, rawVariants] = spec.split(':', 2);
  const family = familyName(rawName);
  if (!family) {
    problems.push(`family "${spec}" has no name`);
    return null;
  }
  const result: GoogleFamilyRequest = { family, faces: [], axes: {} };
  // A third `:part` was the old per-family subset list; the subset parameter carries it too.
  for (const variant of (rawVariants ?? '').split(',')) {
    if (!variant.trim()) continue;
    const face = parseCss1Variant(variant);
    if (face) addFace(result.faces, face);
    else problems.push(`family "${family}": "${variant}" is not a weight or style`);
  }
  if (!result.faces.length) result.faces.push({ style: 'normal', weight: 400 });
  return result;
}

/** `weight` as CSS writes it in @font-face: `400` or `100 900`. */
export function cssWeight(weight: WeightSpec): string {
  return typeof weight === 'number' ? String(weight) : `${weight.min} ${weight.max}`;
}

/** Whether a face of weight `have` (a value or a variable span) serves a request for `want`. */
export function weightCovers(have: WeightSpec, want: WeightSpec): boolean {
  const h = typeof have === 'number' ? { min: have, max: have } : have;
  const w = typeof want === 'number' ? { min: want, max: want } : want;
  return h.min <= w.min && h.max >= w.max;
}
