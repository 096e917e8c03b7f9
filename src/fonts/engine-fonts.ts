/**
 * The fonts HeyGen's engine (hyperframes 0.8.170, the version behind the cloud renderer) knows,
 * as facts read from its behaviour: 18 canonical families whose faces it embeds (the latin files
 * of @fontsource packages at fixed weights), the family names it maps onto them (`Helvetica` →
 * Inter, `Georgia` → EB Garamond, …), the CSS generic families it does not look up, and the family
 * it puts in front of a generic first family (`font-family: sans-serif` renders as
 * `Inter, sans-serif`). framesmith depends on the same @fontsource packages, at the versions whose
 * files are byte-identical to the engine's embedded faces (test/unit/fonts/engine-fonts.test.ts
 * checks the hashes), so text draws with the cloud's faces.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/** The engine version this table describes. */
export const ENGINE_VERSION = '0.8.170';

/** A family the engine embeds. */
export interface CanonicalFont {
  /** The engine's key, also the @fontsource id: `eb-garamond`. */
  key: string;
  /** Display name: `EB Garamond`. */
  family: string;
  /** npm package of the faces. */
  package: string;
  /** Weights embedded (normal style, latin subset). */
  weights: readonly number[];
  /** framesmith depends on the package (false: too large to ship; found in the project or fetched). */
  shipped: boolean;
}

const C = (key: string, family: string, weights: number[], shipped = true): CanonicalFont => ({
  key,
  family,
  package: `@fontsource/${key}`,
  weights,
  shipped,
});

/** The 18 families the engine embeds, with the weights it embeds. */
export const CANONICAL_FONTS: readonly CanonicalFont[] = [
  C('inter', 'Inter', [400, 700, 900]),
  C('montserrat', 'Montserrat', [400, 700, 900]),
  C('outfit', 'Outfit', [400, 700, 900]),
  C('nunito', 'Nunito', [400, 700, 900]),
  C('oswald', 'Oswald', [400, 700]),
  C('league-gothic', 'League Gothic', [400]),
  C('archivo-black', 'Archivo Black', [400]),
  C('space-mono', 'Space Mono', [400, 700]),
  C('ibm-plex-mono', 'IBM Plex Mono', [400, 700]),
  C('jetbrains-mono', 'JetBrains Mono', [400, 700]),
  C('eb-garamond', 'EB Garamond', [400, 700]),
  C('playfair-display', 'Playfair Display', [400, 700, 900]),
  C('source-code-pro', 'Source Code Pro', [400, 700]),
  // 82 MB unpacked (Japanese glyphs in hundreds of files): not a framesmith dependency.
  C('noto-sans-jp', 'Noto Sans JP', [400, 700], false),
  C('roboto', 'Roboto', [400, 700, 900]),
  C('open-sans', 'Open Sans', [400, 700]),
  C('lato', 'Lato', [400, 700, 900]),
  C('poppins', 'Poppins', [400, 700, 900]),
];

const BY_KEY = new Map(CANONICAL_FONTS.map((f) => [f.key, f]));

const ALIAS_GROUPS: Record<string, string[]> = {
  inter: [
    'helvetica neue',
    'helvetica',
    'arial',
    'helvetica bold',
    'sf pro',
    'sf pro display',
    'sf pro text',
    'sf pro rounded',
    'avenir',
    'avenir next',
    'lucida grande',
    'geneva',
    'optima',
    'verdana',
    'tahoma',
    'trebuchet ms',
    'calibri',
    'candara',
    'corbel',
    'lucida sans',
    'lucida sans unicode',
    'noto sans',
    'dejavu sans',
    'liberation sans',
  ],
  montserrat: ['futura', 'din alternate', 'arial black'],
  'league-gothic': ['bebas neue'],
  'jetbrains-mono': [
    'courier new',
    'courier',
    'sf mono',
    'menlo',
    'monaco',
    'consolas',
    'lucida console',
    'lucida sans typewriter',
    'andale mono',
    'dejavu sans mono',
    'liberation mono',
  ],
  'eb-garamond': [
    'garamond',
    'georgia',
    'palatino',
    'palatino linotype',
    'book antiqua',
    'cambria',
    'times',
    'times new roman',
    'dejavu serif',
    'liberation serif',
  ],
  'noto-sans-jp': ['noto sans japanese'],
  roboto: ['segoe ui'],
};

/** Lower-case family name → canonical key: each canonical family by its name, plus the aliases. */
export const FONT_ALIASES: ReadonlyMap<string, string> = new Map([
  ...CANONICAL_FONTS.map((f) => [f.family.toLowerCase(), f.key] as [string, string]),
  ...Object.entries(ALIAS_GROUPS).flatMap(([key, names]) => names.map((n) => [n, key] as [string, string])),
]);

/** Generic families the engine never looks up (lower case). */
export const GENERIC_FAMILIES: ReadonlySet<string> = new Set([
  'sans-serif',
  'serif',
  'monospace',
  'cursive',
  'fantasy',
  'system-ui',
  'ui-sans-serif',
  'ui-serif',
  'ui-monospace',
  'emoji',
  'math',
  'fangsong',
  '-apple-system',
  'blinkmacsystemfont',
]);

/** CSS-wide keywords: not family names. */
export const CSS_WIDE_KEYWORDS: ReadonlySet<string> = new Set(['inherit', 'initial', 'unset', 'revert', 'revert-layer']);

/** The family the engine puts in front of a font-family list that starts with a generic family. */
export const DETERMINISTIC_PRIMARY = 'Inter';

/**
 * The unicode-range the engine gives its embedded (latin-subset) faces. Characters outside it
 * come from the Google Fonts faces it adds, or fall back.
 */
export const ENGINE_LATIN_RANGE =
  'U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304, U+0308, U+0329, U+2000-206F, U+2074, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, U+FFFD';

/**
 * What the engine asks Google Fonts for, for any family it resolves there (and, on top of its
 * embedded faces, for the canonical families): weights 100–900 upright and 400/700 italic. Google
 * answers such a request only when the family has every one of these faces (else HTTP 400, and
 * the engine gets nothing from it).
 */
export const GOOGLE_DEFAULT_FACES: readonly { style: 'normal' | 'italic'; weight: number }[] = [
  ...[100, 200, 300, 400, 500, 600, 700, 800, 900].map((weight) => ({ style: 'normal' as const, weight })),
  { style: 'italic', weight: 400 },
  { style: 'italic', weight: 700 },
];

/** Lower-cased, trimmed, quotes removed: how the engine compares family names. */
export function normalizeFamily(family: string): string {
  return family
    .trim()
    .replace(/^['"]|['"]$/g, '')
    .trim()
    .toLowerCase();
}

export function isGenericFamily(family: string): boolean {
  return GENERIC_FAMILIES.has(normalizeFamily(family));
}

/** The canonical family the engine draws `family` with, or null when it does not know the name. */
export function canonicalFont(family: string): CanonicalFont | null {
  const key = FONT_ALIASES.get(normalizeFamily(family));
  return key ? (BY_KEY.get(key) ?? null) : null;
}

const require = createRequire(import.meta.url);

/** Folder of a package framesmith depends on, or null when it is not installed. */
export function ownPackageDir(name: string): string | null {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}
