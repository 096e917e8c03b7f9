/**
 * @fontsource packages (npm's copies of the Google Fonts families) read as font data: which
 * weights, styles and subsets a package has, where each file is, and the `@font-face` CSS that
 * serves chosen faces from it. A static package (`@fontsource/inter`) has one file per subset,
 * weight and style (`files/inter-latin-400-normal.woff2`); a variable one
 * (`@fontsource-variable/inter`) one per subset, axis set and style
 * (`files/inter-latin-wght-normal.woff2`, weights 100–900 in one file).
 *
 * Used by the engine-font injection (snapshot, render, dev, build check), by lint, and by the
 * remote-resource code that answers Google Fonts stylesheet requests and `framesmith vendor`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FramesmithError } from '../core/errors.js';
import { cssWeight, weightCovers, type FaceRequirement, type FontStyle, type WeightSpec } from './google-fonts-url.js';

/** A variable axis of a variable package (`wght`, `opsz`, `slnt`, …). */
export interface FontAxis {
  min: number;
  max: number;
  default: number;
}

/** An @fontsource package, read from its folder. */
export interface FontsourcePackage {
  /** npm name: `@fontsource/inter` or `@fontsource-variable/inter`. */
  name: string;
  version: string;
  /** Absolute folder of the package (holds package.json, metadata.json, files/). */
  dir: string;
  /** Fontsource id, the family's slug: `nunito-sans`. */
  id: string;
  /** Family name: `Nunito Sans`. */
  family: string;
  /** A variable package (files per axis set instead of per weight). */
  variable: boolean;
  /** Weights the family has (for a variable package, the static instances Google lists). */
  weights: number[];
  styles: FontStyle[];
  /** Subsets in the package, e.g. `latin`, `latin-ext`, `cyrillic`. */
  subsets: string[];
  /** Variable axes (metadata.json `variable`), or null for a static family. */
  axes: Record<string, FontAxis> | null;
  /** unicode-range of each subset (unicode.json). */
  unicodeRanges: Record<string, string>;
  /** SPDX id of the licence (`OFL-1.1`, `Apache-2.0`). */
  license: string;
  /** Absolute path of the LICENSE file, when the package has one. */
  licenseFile: string | null;
}

/** One font file of a package, for one subset, style and weight (or weight span). */
export interface FontFile {
  package: FontsourcePackage;
  subset: string;
  style: FontStyle;
  weight: WeightSpec;
  /** Path relative to the package folder, forward slashes: `files/inter-latin-400-normal.woff2`. */
  file: string;
  /** The subset's unicode-range (empty when the package does not say). */
  unicodeRange: string;
}

/** Fontsource's id for a family name: `Nunito Sans` → `nunito-sans`. */
export function fontsourceId(family: string): string {
  return family
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** npm package name of a family: `@fontsource/nunito-sans` (or `@fontsource-variable/…`). */
export function fontsourcePackageName(family: string, variable = false): string {
  return `${variable ? '@fontsource-variable' : '@fontsource'}/${fontsourceId(family)}`;
}

interface RawMetadata {
  id?: string;
  family?: string;
  subsets?: string[];
  weights?: number[];
  styles?: string[];
  variable?: false | Record<string, { default?: string; min?: string; max?: string }>;
  license?: { type?: string } | string;
}

const packageCache = new Map<string, FontsourcePackage>();

function invalid(dir: string, what: string, cause?: unknown): FramesmithError {
  return new FramesmithError('fontsource_package_invalid', `${dir} is not a readable @fontsource package: ${what}.`, {
    hint: 'Reinstall the package (or delete it from the framesmith cache folder so it is fetched again).',
    cause,
  });
}

/**
 * Reads an @fontsource package folder (package.json, metadata.json, unicode.json). Results are
 * cached per folder. Throws `fontsource_package_invalid` when the folder is not one.
 */
export function readFontsourcePackage(dir: string): FontsourcePackage {
  const cached = packageCache.get(dir);
  if (cached) return cached;
  let pkgJson: { name?: string; version?: string };
  let meta: RawMetadata;
  try {
    pkgJson = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    meta = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8'));
  } catch (e) {
    throw invalid(dir, 'package.json or metadata.json is missing or not JSON', e);
  }
  if (!pkgJson.name || !meta.id || !meta.family || !Array.isArray(meta.subsets) || !Array.isArray(meta.weights)) {
    throw invalid(dir, 'metadata.json lacks id, family, subsets or weights');
  }
  let unicodeRanges: Record<string, string> = {};
  try {
    unicodeRanges = JSON.parse(readFileSync(join(dir, 'unicode.json'), 'utf8'));
  } catch {
    /* older packages: faces without unicode-range */
  }
  const axes: Record<string, FontAxis> | null =
    meta.variable && typeof meta.variable === 'object'
      ? Object.fromEntries(
          Object.entries(meta.variable).map(([k, v]) => [k, { min: Number(v.min), max: Number(v.max), default: Number(v.default) }]),
        )
      : null;
  const licenseFile = ['LICENSE', 'LICENSE.txt', 'OFL.txt'].map((f) => join(dir, f)).find((f) => existsSync(f)) ?? null;
  const result: FontsourcePackage = {
    name: pkgJson.name,
    version: pkgJson.version ?? '0.0.0',
    dir,
    id: meta.id,
    family: meta.family,
    variable: pkgJson.name.startsWith('@fontsource-variable/'),
    weights: [...meta.weights].sort((a, b) => a - b),
    styles: (meta.styles ?? ['normal']).filter((s): s is FontStyle => s === 'normal' || s === 'italic'),
    subsets: meta.subsets,
    axes,
    unicodeRanges,
    license: typeof meta.license === 'string' ? meta.license : (meta.license?.type ?? 'OFL-1.1'),
    licenseFile,
  };
  packageCache.set(dir, result);
  return result;
}

/**
 * Subsets in the order Google Fonts writes them: the others first, then `latin-ext`, `latin`
 * last, so that where ranges overlap the browser prefers the latin file (later rules win).
 */
export function orderSubsets(subsets: readonly string[]): string[] {
  const rank = (s: string) => (s === 'latin' ? 2 : s === 'latin-ext' ? 1 : 0);
  return [...subsets].sort((a, b) => rank(a) - rank(b));
}

/** What to take from a package. */
export interface FontFileRequest {
  /** Faces wanted; default every weight and style of the package. */
  faces?: readonly FaceRequirement[];
  /** Subsets wanted; default every subset of the package. Unknown subsets are ignored. */
  subsets?: readonly string[];
}

/** The files for a request, and the faces the package does not have. */
export interface FontFileSelection {
  files: FontFile[];
  /** Requested faces the package cannot serve (a weight or style it does not have). */
  missing: FaceRequirement[];
}

/** The axis-set part of a variable file name: `wght` when the package has that axis. */
function variableAxisTag(pkg: FontsourcePackage): string {
  return pkg.axes?.wght ? 'wght' : 'standard';
}

/**
 * The package's files for the requested faces and subsets (woff2 only). For a static package a
 * weight range takes every weight inside it; for a variable package a face is served by the
 * `wght` file when the axis spans the requested weight. Files that are not on disk are skipped
 * (a face whose files are all absent counts as missing).
 */
export function selectFontFiles(pkg: FontsourcePackage, request: FontFileRequest = {}): FontFileSelection {
  const subsets = orderSubsets(request.subsets ? pkg.subsets.filter((s) => request.subsets!.includes(s)) : pkg.subsets);
  const wanted: FaceRequirement[] =
    request.faces?.slice() ??
    (pkg.variable && pkg.axes?.wght
      ? pkg.styles.map((style) => ({ style, weight: { min: pkg.axes!.wght.min, max: pkg.axes!.wght.max } }))
      : pkg.styles.flatMap((style) => pkg.weights.map((weight) => ({ style, weight }))));
  const files: FontFile[] = [];
  const missing: FaceRequirement[] = [];
  const seen = new Set<string>();
  const add = (face: { style: FontStyle; weight: WeightSpec }, name: (subset: string) => string): boolean => {
    let any = false;
    for (const subset of subsets) {
      const file = `files/${name(subset)}`;
      if (!existsSync(join(pkg.dir, file))) continue;
      any = true;
      if (seen.has(file)) continue;
      seen.add(file);
      files.push({ package: pkg, subset, style: face.style, weight: face.weight, file, unicodeRange: pkg.unicodeRanges[subset] ?? '' });
    }
    return any;
  };
  for (const face of wanted) {
    if (!pkg.styles.includes(face.style)) {
      missing.push(face);
      continue;
    }
    if (pkg.variable) {
      const axis = pkg.axes?.wght;
      const span: WeightSpec = axis ? { min: axis.min, max: axis.max } : 400;
      const tag = variableAxisTag(pkg);
      if (!weightCovers(span, face.weight) || !add({ style: face.style, weight: span }, (s) => `${pkg.id}-${s}-${tag}-${face.style}.woff2`))
        missing.push(face);
      continue;
    }
    const weights =
      typeof face.weight === 'number'
        ? pkg.weights.filter((w) => w === face.weight)
        : pkg.weights.filter((w) => w >= (face.weight as { min: number }).min && w <= (face.weight as { max: number }).max);
    if (!weights.length) {
      missing.push(face);
      continue;
    }
    let any = false;
    for (const weight of weights) any = add({ style: face.style, weight }, (s) => `${pkg.id}-${s}-${weight}-${face.style}.woff2`) || any;
    if (!any) missing.push(face);
  }
  return { files, missing };
}

/** How the generated CSS names and points at the files. */
export interface FontFaceCssOptions {
  /** The family name the rules declare; default the package's family. */
  family?: string;
  /** The URL of a file in the CSS (a served path, a relative path in a vendored project, …). */
  url(file: FontFile): string;
  /** `font-display`; default `swap` (what Google Fonts links usually ask for). */
  display?: string;
  /** Replace every file's unicode-range (e.g. the engine's own latin range); '' to leave it out. */
  unicodeRange?: (file: FontFile) => string;
}

function cssString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\a ')}"`;
}

/** One `@font-face` rule for a file. */
export function fontFaceRule(file: FontFile, options: FontFaceCssOptions): string {
  const range = options.unicodeRange ? options.unicodeRange(file) : file.unicodeRange;
  const format = file.package.variable ? 'woff2-variations' : 'woff2';
  return [
    '@font-face {',
    `  font-family: ${cssString(options.family ?? file.package.family)};`,
    `  font-style: ${file.style};`,
    `  font-weight: ${cssWeight(file.weight)};`,
    `  font-display: ${options.display ?? 'swap'};`,
    `  src: url(${cssString(options.url(file))}) format("${format}");`,
    ...(range ? [`  unicode-range: ${range};`] : []),
    '}',
  ].join('\n');
}

/** `@font-face` rules for the files, in order, separated by blank lines. */
export function fontFaceCss(files: readonly FontFile[], options: FontFaceCssOptions): string {
  return files.map((f) => fontFaceRule(f, options)).join('\n\n');
}

/**
 * One step from a package to CSS: the files for `request` and their `@font-face` rules.
 * `missing` lists the faces the package lacks (Google Fonts answers such a request with HTTP
 * 400 for the whole stylesheet; callers decide whether to serve the rest).
 */
export function fontsourceCss(
  pkg: FontsourcePackage,
  request: FontFileRequest,
  options: FontFaceCssOptions,
): FontFileSelection & { css: string } {
  const selection = selectFontFiles(pkg, request);
  return { ...selection, css: fontFaceCss(selection.files, options) };
}
