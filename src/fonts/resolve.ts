/**
 * How HeyGen's engine resolves a composition's font families, family by family, and the
 * `@font-face` rules framesmith injects so a local page draws what the cloud draws:
 *
 * 1. A family with an `@font-face` in an HTML file of the composition is the project's own: the
 *    engine leaves it alone.
 * 2. A family the engine knows (its 18 families and the names it maps onto them) gets the
 *    engine's embedded faces (latin, fixed weights, `font-display: block`) under the name as
 *    written. For Inter, Montserrat, Roboto and Poppins the engine also adds Google Fonts' faces
 *    for every weight 100–900 and italic 400/700 (its request for the other families asks for
 *    faces they lack, which Google refuses): these come from the same @fontsource package here.
 * 3. Any other family is asked of Google Fonts, through the page's own Google Fonts stylesheet
 *    for it if there is one, else with the engine's 100–900 + italic request; framesmith draws it
 *    from the @fontsource package of that family when it can find one (its dependencies, the
 *    project's node_modules, the npm-registry cache).
 * 4. Otherwise the cloud has no face for it, and the next family in the list is drawn.
 *
 * With {@link FONTS_AS_OFFLINE_ENGINE_ENV} set to `1`, step 2 stops at the embedded faces: that is
 * what the official engine CLI draws when it cannot reach Google Fonts (its Google request throws,
 * it keeps the embedded faces only, Inter 500 is then drawn with the 400 face). It exists ONLY so
 * the parity harness can compare with that offline CLI; users get the cloud's faces.
 *
 * Only `font-family` declarations of `<style>` blocks and `style` attributes count (the entry
 * and its sub-compositions), not linked .css files nor the `font` shorthand: the engine does not
 * read those when it supplies faces.
 */
import type { SourceLocation } from '../../shared/diagnostics.js';
import { canonicalFont, ENGINE_LATIN_RANGE, GOOGLE_DEFAULT_FACES, normalizeFamily, type CanonicalFont } from './engine-fonts.js';
import { fontsourcePackageName, selectFontFiles, fontFaceRule, type FontFile, type FontsourcePackage } from './fontsource.js';
import { parseGoogleFontsUrl, type FaceRequirement, type FontStyle, type WeightSpec } from './google-fonts-url.js';
import { findFontPackage, findFontPackageSync, fontFileUrl, type FoundPackage } from './packages.js';
import { customPropertyMap, declaredFamilies, engineNormalized, isLookupFamily, type DocumentFontScan } from './scan.js';

/** One face the cloud has for a family. */
export interface CloudFace {
  style: FontStyle;
  weight: WeightSpec;
  /** Where it comes from: the engine's embedded faces, Google Fonts, or the project's @font-face. */
  source: 'engine' | 'google' | 'project';
}

export type FamilyStatus =
  /** The project declares an @font-face for it. */
  | 'project'
  /** One of the engine's own families. */
  | 'engine'
  /** A name the engine maps onto one of its families (Helvetica → Inter). */
  | 'alias'
  /** The cloud takes it from Google Fonts. */
  | 'google'
  /** The cloud has no face for it. */
  | 'unresolved';

/** How one family is drawn in the cloud, and whether framesmith can draw it the same way. */
export interface FamilyResolution {
  /** The family as first written. */
  family: string;
  status: FamilyStatus;
  /** The engine family it is drawn with (engine and alias). */
  canonical: CanonicalFont | null;
  /** Faces the cloud has for it (empty when unresolved; for project families, its @font-face rules). */
  faces: CloudFace[];
  /** The @fontsource package framesmith draws it from, when it has one. */
  package: FontsourcePackage | null;
  /** Where the package came from (`framesmith`, `project`, a provider). */
  packageFrom: string | null;
  /** framesmith has every file the cloud uses for it (false: a local page differs from the cloud). */
  local: boolean;
  /** Why the cloud cannot resolve it, or why framesmith has no copy (one sentence). */
  reason?: string;
  /** Every place it is named (font-family declarations the engine reads). */
  uses: SourceLocation[];
  /** True when it is reached only through a custom property's fallback. */
  optional: boolean;
  /** The project's Google Fonts stylesheets that name it. */
  googleStylesheets: string[];
}

/** What the served page gets: one `<style>` of rules, and the families behind them. */
export interface FontPlan {
  families: FamilyResolution[];
  /** The @font-face rules to inject (file URLs under /__framesmith/fonts/), one per line. */
  rules: string[];
  /** Custom properties of the whole composition (for the generic-primary insertion). */
  customProperties: Map<string, string>;
}

const ALL_FACES_REQUEST = GOOGLE_DEFAULT_FACES as readonly FaceRequirement[];

/**
 * Environment variable: `1` draws the engine's embedded families as the official engine CLI does
 * OFFLINE (embedded faces only, no Google Fonts faces). Set by the parity harness only.
 */
export const FONTS_AS_OFFLINE_ENGINE_ENV = 'FRAMESMITH_FONTS_AS_OFFLINE_ENGINE';

/** Whether {@link FONTS_AS_OFFLINE_ENGINE_ENV} is on (read at each plan, so a harness can set it late). */
export function fontsAsOfflineEngine(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[FONTS_AS_OFFLINE_ENGINE_ENV] === '1';
}

/** Whether Google answers the engine's 100–900 + italic request for this family. */
export function answersDefaultRequest(pkg: FontsourcePackage): boolean {
  return (
    selectFontFiles(pkg, { faces: ALL_FACES_REQUEST, subsets: [pkg.subsets.includes('latin') ? 'latin' : pkg.subsets[0]] }).missing
      .length === 0
  );
}

function facesOf(files: readonly FontFile[], source: CloudFace['source']): CloudFace[] {
  const out: CloudFace[] = [];
  for (const f of files) {
    if (!out.some((x) => x.style === f.style && JSON.stringify(x.weight) === JSON.stringify(f.weight)))
      out.push({ style: f.style, weight: f.weight, source });
  }
  return out;
}

function parseWeight(w: string): WeightSpec | null {
  const parts = w
    .trim()
    .split(/\s+/)
    .map((p) => (p === 'normal' ? 400 : p === 'bold' ? 700 : Number(p)));
  if (!parts.length || parts.some((p) => !Number.isFinite(p))) return null;
  return parts.length === 1 ? parts[0] : { min: Math.min(...parts), max: Math.max(...parts) };
}

/** Face rule for injection: one line, the family as written, display block. */
function rule(file: FontFile, family: string, range?: string): string {
  return fontFaceRule(file, {
    family,
    url: fontFileUrl,
    display: 'block',
    unicodeRange: range === undefined ? undefined : () => range,
  }).replace(/\n\s*/g, ' ');
}

/** Files for the faces the page's Google Fonts stylesheets ask for this family (Google refuses a stylesheet asking for a face the family lacks). */
function linkedFiles(pkg: FontsourcePackage, key: string, urls: readonly string[]): FontFile[] {
  const files: FontFile[] = [];
  for (const url of urls) {
    const fam = parseGoogleFontsUrl(url)?.families.find((f) => normalizeFamily(f.family) === key);
    if (!fam) continue;
    const sel = selectFontFiles(pkg, { faces: fam.faces });
    if (sel.missing.length === 0) for (const f of sel.files) if (!files.some((x) => x.file === f.file)) files.push(f);
  }
  return files;
}

/** Requested families of the composition, in order of first use, as the engine collects them. */
function requestedFamilies(scans: readonly DocumentFontScan[], customProperties: ReadonlyMap<string, string>) {
  const requested = new Map<string, { family: string; optional: boolean; uses: SourceLocation[] }>();
  for (const scan of scans) {
    for (const decl of scan.declarations) {
      for (const { family, optional } of declaredFamilies(decl.value, customProperties)) {
        if (!isLookupFamily(family)) continue;
        const key = family.toLowerCase();
        const seen = requested.get(key);
        if (seen) {
          seen.optional = seen.optional && optional;
          if (!seen.uses.some((u) => u.file === decl.loc.file && u.line === decl.loc.line)) seen.uses.push(decl.loc);
        } else requested.set(key, { family, optional, uses: [decl.loc] });
      }
    }
  }
  return requested;
}

/** The @fontsource packages a composition's fonts may be drawn from. */
export function wantedPackages(scans: readonly DocumentFontScan[]): string[] {
  const out = new Set<string>();
  const normalized = engineNormalized(scans);
  for (const { family } of requestedFamilies(normalized, customPropertyMap(normalized)).values()) {
    const canonical = canonicalFont(family);
    out.add(canonical ? canonical.package : fontsourcePackageName(family));
  }
  return [...out];
}

/**
 * Resolves every family as the engine would in the cloud, after fetching the packages it needs
 * that are not on disk yet (through the registered providers). See {@link planFontsSync}.
 */
export async function planFonts(scans: readonly DocumentFontScan[], projectDir: string): Promise<FontPlan> {
  const found = new Map<string, FoundPackage | null>();
  for (const name of wantedPackages(scans)) found.set(name, await findFontPackage(name, projectDir));
  return planFontsWith(scans, (name) => found.get(name) ?? findFontPackageSync(name, projectDir));
}

/**
 * Resolves every family a composition names, as the engine would in the cloud, and builds the
 * rules to inject, with the packages already on disk. `scans` are the entry's and its
 * sub-compositions' files.
 */
export function planFontsSync(scans: readonly DocumentFontScan[], projectDir: string): FontPlan {
  return planFontsWith(scans, (name) => findFontPackageSync(name, projectDir));
}

function planFontsWith(originalScans: readonly DocumentFontScan[], findPackage: (name: string) => FoundPackage | null): FontPlan {
  const scans = engineNormalized(originalScans);
  const customProperties = customPropertyMap(originalScans);
  const existing = new Set<string>();
  for (const s of scans) for (const f of s.fontFaces) existing.add(f);
  const googleByFamily = new Map<string, string[]>();
  for (const s of scans) {
    for (const g of s.googleStylesheets) {
      for (const fam of parseGoogleFontsUrl(g.url)?.families ?? []) {
        const key = normalizeFamily(fam.family);
        googleByFamily.set(key, [...(googleByFamily.get(key) ?? []), g.url]);
      }
    }
  }
  const families: FamilyResolution[] = [];
  const rules: string[] = [];
  const requested = [...requestedFamilies(scans, customPropertyMap(scans)).values()].sort(
    (a, b) => Number(a.optional) - Number(b.optional),
  );
  for (const { family, optional, uses } of requested) {
    const key = normalizeFamily(family);
    const base = { family, uses, optional, googleStylesheets: googleByFamily.get(key) ?? [] };
    if (existing.has(key)) {
      const faces: CloudFace[] = [];
      for (const s of scans) {
        for (const r of s.faceRules) {
          if (r.family !== key) continue;
          const weight = parseWeight(r.weight) ?? 400;
          faces.push({
            style: r.style.toLowerCase().startsWith('italic') || r.style.toLowerCase().startsWith('oblique') ? 'italic' : 'normal',
            weight,
            source: 'project',
          });
        }
      }
      const rulesHere = scans.flatMap((s) => s.faceRules.filter((r) => r.family === key));
      if (rulesHere.length && rulesHere.every((r) => !r.hasFile)) {
        // Only local() sources: a font installed on the author's machine, not on the cloud's.
        families.push({
          ...base,
          status: 'unresolved',
          canonical: null,
          faces: [],
          package: null,
          packageFrom: null,
          local: true,
          reason: `its @font-face names only local() fonts, which HeyGen's render machines do not have (and the engine then supplies none)`,
        });
        continue;
      }
      families.push({ ...base, status: 'project', canonical: null, faces, package: null, packageFrom: null, local: true });
      continue;
    }
    const canonical = canonicalFont(family);
    if (canonical) {
      const status: FamilyStatus = canonical.family.toLowerCase() === key ? 'engine' : 'alias';
      const found = findPackage(canonical.package);
      if (!found) {
        families.push({
          ...base,
          status,
          canonical,
          faces: canonical.weights.map((weight) => ({ style: 'normal', weight, source: 'engine' })),
          package: null,
          packageFrom: null,
          local: false,
          reason: `${canonical.package} is not installed here (${canonical.shipped ? 'reinstall framesmith' : 'too large for framesmith to ship; install it in the project'})`,
        });
        continue;
      }
      const pkg = found.pkg;
      const bundled = selectFontFiles(pkg, {
        faces: canonical.weights.map((weight) => ({ style: 'normal', weight })),
        subsets: ['latin'],
      }).files;
      // Offline (parity with the official CLI only): Google Fonts is unreachable, the engine's
      // request for the other weights fails and it keeps its embedded faces; so does the page's
      // own Google Fonts stylesheet.
      const offline = fontsAsOfflineEngine();
      const supplement = !offline && answersDefaultRequest(pkg) ? selectFontFiles(pkg, { faces: ALL_FACES_REQUEST }).files : [];
      // The page's own Google Fonts stylesheets for it load in the cloud too.
      const linked = offline ? [] : linkedFiles(pkg, key, base.googleStylesheets).filter((f) => !supplement.some((s) => s.file === f.file));
      // Google's faces first, the engine's latin faces last: for latin text at the engine's
      // weights its own files win, as in the engine's stylesheet (placed after the page's).
      for (const f of [...linked, ...supplement]) rules.push(rule(f, family));
      for (const f of bundled) rules.push(rule(f, family, ENGINE_LATIN_RANGE));
      const faces = [...facesOf(bundled, 'engine')];
      for (const g of facesOf([...linked, ...supplement], 'google'))
        if (!faces.some((b) => b.style === g.style && JSON.stringify(b.weight) === JSON.stringify(g.weight))) faces.push(g);
      families.push({ ...base, status, canonical, faces, package: pkg, packageFrom: found.from, local: true });
      continue;
    }
    // Google Fonts, through the page's stylesheets for it or the engine's own request.
    const found = findPackage(fontsourcePackageName(family));
    if (!found) {
      families.push({
        ...base,
        status: base.googleStylesheets.length ? 'google' : 'unresolved',
        canonical: null,
        faces: [],
        package: null,
        packageFrom: null,
        local: false,
        reason: base.googleStylesheets.length
          ? `${fontsourcePackageName(family)} is not installed here nor in framesmith's cache`
          : `HeyGen's engine does not know "${family}" and no @fontsource package of that name was found; the cloud asks Google Fonts for it with every weight 100–900 and italics, which only succeeds for families that have all of them`,
      });
      continue;
    }
    const pkg = found.pkg;
    let files = linkedFiles(pkg, key, base.googleStylesheets);
    if (!files.length && answersDefaultRequest(pkg)) files = selectFontFiles(pkg, { faces: ALL_FACES_REQUEST }).files;
    if (!files.length) {
      families.push({
        ...base,
        status: 'unresolved',
        canonical: null,
        faces: [],
        package: pkg,
        packageFrom: found.from,
        local: true,
        reason: base.googleStylesheets.length
          ? `the page's Google Fonts stylesheet asks for faces ${pkg.family} does not have, so Google refuses it`
          : `${pkg.family} lacks some of the faces the engine asks Google Fonts for (weights 100–900 and italic 400/700), so Google refuses the request; link a Google Fonts stylesheet naming the weights you use, or ship the font`,
      });
      continue;
    }
    for (const f of files) rules.push(rule(f, family));
    families.push({
      ...base,
      status: 'google',
      canonical: null,
      faces: facesOf(files, 'google'),
      package: pkg,
      packageFrom: found.from,
      local: true,
    });
  }
  return { families, rules, customProperties };
}

/** The CSS weight-matching rule: which available weight the browser draws for `want`. */
export function matchWeight(want: number, available: readonly WeightSpec[]): number | null {
  const points = new Set<number>();
  for (const a of available) {
    if (typeof a === 'number') points.add(a);
    else if (want >= a.min && want <= a.max) return want;
    else {
      points.add(a.min);
      points.add(a.max);
    }
  }
  const list = [...points].sort((a, b) => a - b);
  if (!list.length) return null;
  if (list.includes(want)) return want;
  const below = list.filter((w) => w < want).reverse();
  const above = list.filter((w) => w > want);
  if (want >= 400 && want <= 500) {
    const upTo500 = above.filter((w) => w <= 500);
    return upTo500[0] ?? below[0] ?? above[0] ?? null;
  }
  if (want < 400) return below[0] ?? above[0] ?? null;
  return above[0] ?? below[0] ?? null;
}
