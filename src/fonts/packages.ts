/**
 * Where framesmith finds @fontsource packages, and how their files reach a page. Packages are
 * looked up in framesmith's own dependencies (the engine's families), then in the project's
 * node_modules, then in providers registered by other parts of framesmith (the content cache
 * that fills itself from the npm registry). Files are served under
 * `/__framesmith/fonts/<package>@<version>/files/<file>` by the local servers, only for packages
 * found this way, only .woff2/.woff under `files/`.
 */
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { readFontsourcePackage, type FontFile, type FontsourcePackage } from './fontsource.js';
import { ownPackageDir } from './engine-fonts.js';
import { npmFontPackageProvider } from '../remote/font-packages.js';

/** URL path prefix under which the servers expose font files. */
export const FONT_URL_PREFIX = '/__framesmith/fonts/';

/** A source of @fontsource packages besides framesmith's and the project's node_modules. */
export interface FontPackageProvider {
  /** Short name for messages, e.g. `npm registry cache`. */
  readonly name: string;
  /**
   * Folder of the unpacked package `name` (e.g. `@fontsource/nunito-sans`), or null when this
   * provider cannot supply it. May fetch it first; must not throw for a missing package.
   */
  find(name: string, context: { projectDir: string }): Promise<string | null>;
  /** The folder when the package is already on disk (no network); used by lint. */
  findCached?(name: string, context: { projectDir: string }): string | null;
}

const providers: FontPackageProvider[] = [];

/** Adds a provider (asked after framesmith's and the project's packages). Returns a remover. */
export function registerFontPackageProvider(provider: FontPackageProvider): () => void {
  providers.push(provider);
  return () => {
    const i = providers.indexOf(provider);
    if (i >= 0) providers.splice(i, 1);
  };
}

/** Packages handed out so far, by `name@version`: the only ones the servers serve files of. */
const known = new Map<string, FontsourcePackage>();

function remember(pkg: FontsourcePackage): FontsourcePackage {
  known.set(`${pkg.name}@${pkg.version}`, pkg);
  return pkg;
}

function projectPackageDir(name: string, projectDir: string): string | null {
  try {
    return dirname(createRequire(join(projectDir, 'package.json')).resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

function tryRead(dir: string | null): FontsourcePackage | null {
  if (!dir) return null;
  try {
    return readFontsourcePackage(dir);
  } catch {
    return null;
  }
}

/** Where a package was found: `framesmith`, `project`, or a provider's name. */
export interface FoundPackage {
  pkg: FontsourcePackage;
  from: string;
}

/** Like {@link findFontPackage}, without fetching: what is on disk already. */
export function findFontPackageSync(name: string, projectDir: string): FoundPackage | null {
  const own = tryRead(ownPackageDir(name));
  if (own) return { pkg: remember(own), from: 'framesmith' };
  const local = tryRead(projectPackageDir(name, projectDir));
  if (local) return { pkg: remember(local), from: 'project' };
  for (const p of providers) {
    let dir: string | null;
    try {
      dir = p.findCached?.(name, { projectDir }) ?? null;
    } catch {
      dir = null;
    }
    const pkg = tryRead(dir);
    if (pkg) return { pkg: remember(pkg), from: p.name };
  }
  return null;
}

/**
 * Finds an @fontsource package: framesmith's dependency first (the exact versions the engine
 * embeds), then the project's node_modules, then the registered providers, then `extra` ones
 * (a caller's own, e.g. a remote resolver's registry). Null when none has it.
 */
export async function findFontPackage(
  name: string,
  projectDir: string,
  extra: readonly FontPackageProvider[] = [],
): Promise<FoundPackage | null> {
  const own = tryRead(ownPackageDir(name));
  if (own) return { pkg: remember(own), from: 'framesmith' };
  const local = tryRead(projectPackageDir(name, projectDir));
  if (local) return { pkg: remember(local), from: 'project' };
  for (const p of [...providers, ...extra]) {
    let dir: string | null;
    try {
      dir = await p.find(name, { projectDir });
    } catch {
      dir = null;
    }
    const pkg = tryRead(dir);
    if (pkg) return { pkg: remember(pkg), from: p.name };
  }
  return null;
}

/** The URL path a page loads a font file from. */
export function fontFileUrl(file: FontFile): string {
  return `${FONT_URL_PREFIX}${file.package.name}@${file.package.version}/${file.file}`;
}

/**
 * The file on disk for a font URL path (`/__framesmith/fonts/@fontsource/inter@5.3.0/files/x.woff2`),
 * or null when the path names no known package or leaves its `files/` folder.
 */
export function fontFileForUrl(pathname: string): string | null {
  if (!pathname.startsWith(FONT_URL_PREFIX)) return null;
  let rest: string;
  try {
    rest = decodeURIComponent(pathname.slice(FONT_URL_PREFIX.length));
  } catch {
    return null;
  }
  const m = /^((?:@[^/]+\/)?[^/@]+)@([^/]+)\/(files\/[^/]+\.woff2?)$/.exec(rest);
  if (!m) return null;
  const pkg = known.get(`${m[1]}@${m[2]}`);
  if (!pkg) return null;
  const filesDir = resolve(pkg.dir, 'files');
  const file = resolve(pkg.dir, m[3]);
  return file.startsWith(filesDir + sep) ? file : null;
}

// Families framesmith does not ship (Nunito Sans, Roboto Slab…): @fontsource packages from the npm
// registry through the content cache (src/remote/font-packages.ts, which imports nothing of src/fonts).
registerFontPackageProvider(npmFontPackageProvider);
