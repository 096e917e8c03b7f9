/**
 * A Google Fonts stylesheet answered from @fontsource packages, as Google would answer it: every
 * family of the URL, the faces it asks for, every subset with its unicode-range. Google refuses
 * (HTTP 400) a stylesheet that asks for a face a family does not have, and the cloud then gets no
 * faces from it; `refused` says so, and names the faces.
 */
import { parseGoogleFontsUrl, cssWeight, type FaceRequirement } from './google-fonts-url.js';
import { fontsourceCss, fontsourcePackageName, type FontFile, type FontsourcePackage } from './fontsource.js';
import { findFontPackage, fontFileUrl, type FontPackageProvider } from './packages.js';

export interface GoogleCssResult {
  /** The stylesheet ('' when refused or when a family has no package). */
  css: string;
  /** Packages used, one per family. */
  packages: FontsourcePackage[];
  /** Families no @fontsource package was found for. */
  unavailable: string[];
  /** Faces Google does not have: it answers the whole URL with HTTP 400. */
  refused: { family: string; faces: string[] }[];
}

/**
 * Builds the stylesheet a Google Fonts CSS URL stands for from @fontsource packages (framesmith's
 * own, the project's, or a registered provider's: the npm-registry cache). `fileUrl` places each
 * font file (default: the local servers' /__framesmith/fonts/… path). Null when `url` is not a
 * Google Fonts stylesheet URL.
 */
export async function googleFontsCss(
  url: string,
  options: { projectDir: string; fileUrl?: (file: FontFile) => string; providers?: readonly FontPackageProvider[] },
): Promise<GoogleCssResult | null> {
  const request = parseGoogleFontsUrl(url);
  if (!request) return null;
  const result: GoogleCssResult = { css: '', packages: [], unavailable: [], refused: [] };
  const parts: string[] = [];
  for (const fam of request.families) {
    const variable = fam.faces.some((f) => typeof f.weight !== 'number');
    const find = (name: string) => findFontPackage(name, options.projectDir, options.providers);
    const found =
      (variable ? await find(fontsourcePackageName(fam.family, true)) : null) ?? (await find(fontsourcePackageName(fam.family)));
    if (!found) {
      result.unavailable.push(fam.family);
      continue;
    }
    result.packages.push(found.pkg);
    const out = fontsourceCss(
      found.pkg,
      { faces: fam.faces, subsets: request.subsets.length ? request.subsets : undefined },
      { family: fam.family, url: options.fileUrl ?? fontFileUrl, display: request.display ?? 'auto' },
    );
    if (out.missing.length) result.refused.push({ family: fam.family, faces: out.missing.map(describe) });
    parts.push(out.css);
  }
  if (!result.refused.length && !result.unavailable.length) result.css = parts.join('\n\n') + '\n';
  return result;
}

function describe(face: FaceRequirement): string {
  return `${face.style === 'italic' ? 'italic ' : ''}${cssWeight(face.weight)}`;
}
