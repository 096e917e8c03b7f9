/**
 * A Google Fonts stylesheet (`fonts.googleapis.com/css2?family=…`) made from the families'
 * @fontsource packages on the npm registry: the faces the URL asks for (families, weights,
 * styles, subsets), as `@font-face` rules. The content cache serves it when Google Fonts cannot be
 * reached (font files then come from the same packages through their npm CDN URLs), and `vendor`
 * writes it into the project with the font files and their licence.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FramesmithError } from '../core/errors.js';
import { fontsourceCss, fontsourceId, readFontsourcePackage, type FontFile, type FontsourcePackage } from '../fonts/fontsource.js';
import { isGoogleFontsCssUrl, parseGoogleFontsUrl, cssWeight } from '../fonts/google-fonts-url.js';
import { googleFontsCss } from '../fonts/google-css.js';
import type { NpmRegistry } from './npm-registry.js';
import type { FallbackResult, RemoteResolver } from './resolver.js';
import type { ExpectedKind } from './http.js';

export interface FontsourceStylesheet {
  css: string;
  /** The packages used and the files the CSS names. */
  packages: { pkg: FontsourcePackage; files: FontFile[] }[];
  /** e.g. `@fontsource/nunito@5.2.7: 900 normal`. */
  detail: string;
}

/** An installed package folder (framesmith's own dependencies, then the project's), or null. */
function installedPackage(name: string, projectDir?: string): FontsourcePackage | null {
  for (const from of [import.meta.url, ...(projectDir ? [join(projectDir, 'package.json')] : [])]) {
    try {
      return readFontsourcePackage(dirname(createRequire(from).resolve(`${name}/package.json`)));
    } catch {
      /* not there */
    }
  }
  return null;
}

/**
 * The @fontsource package of a family: static first for fixed weights, variable first for ranges;
 * an installed copy first (framesmith ships the families HeyGen's engine embeds, pinned to the
 * engine's files), else the npm registry through the cache.
 */
async function familyPackage(
  npm: NpmRegistry,
  family: string,
  wantsRange: boolean,
  url: string,
  projectDir?: string,
): Promise<FontsourcePackage> {
  const id = fontsourceId(family);
  const names = wantsRange ? [`@fontsource-variable/${id}`, `@fontsource/${id}`] : [`@fontsource/${id}`, `@fontsource-variable/${id}`];
  for (const name of names) {
    const installed = installedPackage(name, projectDir);
    if (installed) return installed;
  }
  const missing: string[] = [];
  for (const name of names) {
    try {
      const { dir } = await npm.packageDir(name, 'latest');
      return readFontsourcePackage(dir);
    } catch (error) {
      const code = (error as FramesmithError).code;
      if (code === 'npm_package_not_found' || code === 'npm_version_not_found') {
        missing.push(name);
        continue;
      }
      throw error;
    }
  }
  throw new FramesmithError(
    'font_family_not_in_fontsource',
    `${url} asks for the family "${family}", which @fontsource does not have (no ${missing.join(' or ')} on the npm registry).`,
    {
      hint: 'Check the family name; or add the font files to the project (fonts/) with an @font-face rule for them.',
    },
  );
}

/** The stylesheet for a Google Fonts CSS URL; `fileUrl` says how the CSS points at each font file. */
export async function fontsourceStylesheet(
  url: string,
  npm: NpmRegistry,
  fileUrl: (pkg: FontsourcePackage, file: FontFile) => string,
  projectDir?: string,
): Promise<FontsourceStylesheet> {
  const request = parseGoogleFontsUrl(url);
  if (!request || !request.families.length) {
    throw new FramesmithError(
      'font_family_not_in_fontsource',
      `${url} names no font family framesmith can read${request?.problems.length ? ` (${request.problems.join('; ')})` : ''}.`,
      { hint: 'Check the URL (family=Name:wght@400;700).' },
    );
  }
  const parts: string[] = [];
  const packages: FontsourceStylesheet['packages'] = [];
  const details: string[] = [];
  for (const fam of request.families) {
    const wantsRange = fam.faces.some((f) => typeof f.weight !== 'number');
    const pkg = await familyPackage(npm, fam.family, wantsRange, url, projectDir);
    const { css, files, missing } = fontsourceCss(
      pkg,
      { faces: fam.faces, subsets: request.subsets.length ? request.subsets : undefined },
      { url: (f) => fileUrl(pkg, f), display: request.display ?? 'auto', family: fam.family },
    );
    if (missing.length) {
      const list = missing.map((m) => `${cssWeight(m.weight)} ${m.style}`).join(', ');
      throw new FramesmithError(
        'font_family_not_in_fontsource',
        `${url} asks for ${fam.family} ${list}, which ${pkg.name}@${pkg.version} does not have (it has ${pkg.weights.join(', ')}${pkg.styles.includes('italic') ? ', italic too' : ''}).`,
        {
          hint: 'Ask only for weights and styles the family has; Google Fonts refuses such a stylesheet too.',
        },
      );
    }
    parts.push(`/* ${fam.family}: ${pkg.name}@${pkg.version} (${pkg.license}) */\n${css}`);
    packages.push({ pkg, files });
    details.push(`${pkg.name}@${pkg.version}: ${fam.faces.map((f) => `${cssWeight(f.weight)} ${f.style}`).join(', ')}`);
  }
  return { css: `${parts.join('\n\n')}\n`, packages, detail: details.join('; ') };
}

/** The npm CDN URL of a package file (routed to the registry by the content cache when the CDN is unreachable). */
export function fontsourceFileCdnUrl(pkg: FontsourcePackage, file: FontFile): string {
  return `https://cdn.jsdelivr.net/npm/${pkg.name}@${pkg.version}/${file.file}`;
}

/**
 * The content cache's fallback for Google Fonts CSS: the same faces from @fontsource, built by the
 * fonts module's `googleFontsCss` (framesmith's pinned packages, the project's, then the npm
 * registry: all-or-nothing, as Google answers); font files through their npm CDN URLs.
 */
export async function googleFontsFallback(url: string, _expect: ExpectedKind, resolver: RemoteResolver): Promise<FallbackResult | null> {
  if (!isGoogleFontsCssUrl(url)) return null;
  const request = parseGoogleFontsUrl(url);
  if (!request || !request.families.length) {
    throw new FramesmithError(
      'font_family_not_in_fontsource',
      `${url} names no font family framesmith can read${request?.problems.length ? ` (${request.problems.join('; ')})` : ''}.`,
      { hint: 'Check the URL (family=Name:wght@400;700).' },
    );
  }
  // The resolver's own registry too (its cache and offline setting), after the registered providers.
  const registry = {
    name: 'npm registry',
    find: async (name: string) => (await resolver.npm.packageDir(name, 'latest').catch(() => null))?.dir ?? null,
  };
  const sheet = await googleFontsCss(url, {
    projectDir: process.cwd(),
    fileUrl: (f) => fontsourceFileCdnUrl(f.package, f),
    providers: [registry],
  });
  if (!sheet) return null;
  if (sheet.unavailable.length) {
    throw new FramesmithError(
      'font_family_not_in_fontsource',
      `${url} asks for ${sheet.unavailable.map((f) => `"${f}"`).join(', ')}, which @fontsource does not have (no such package on the npm registry, or it cannot be reached).`,
      {
        hint: 'Check the family name; or add the font files to the project (fonts/) with an @font-face rule for them.',
      },
    );
  }
  if (sheet.refused.length) {
    const list = sheet.refused.map((r) => `${r.family} ${r.faces.join(', ')}`).join('; ');
    throw new FramesmithError(
      'font_family_not_in_fontsource',
      `${url} asks for ${list}, which the family's @fontsource package does not have.`,
      {
        hint: 'Ask only for weights and styles the family has; Google Fonts refuses such a stylesheet too.',
      },
    );
  }
  const detail = sheet.packages.map((p) => `${p.name}@${p.version}`).join('; ');
  return { bytes: Buffer.from(sheet.css), contentType: 'text/css; charset=utf-8', source: 'fontsource', detail };
}
