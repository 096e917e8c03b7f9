/**
 * What a template project carries besides its own files: GSAP and the woff2 fonts it names in
 * template.json, copied from framesmith's installed npm packages with their licence notes. The
 * same routine fills `templates/<name>/` at build time (scripts/vendor-templates.mjs) and a new
 * project (`framesmith new`), so the list of files lives only here. Nothing is fetched: a cloud
 * render must not depend on the network.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FramesmithError } from '../core/errors.js';
import { PACKAGE_ROOT } from '../core/paths.js';

/** A font family shipped with the templates: the npm package and the woff2 files to copy. */
export interface FontSpec {
  /** CSS family name the templates' @font-face rules declare. */
  family: string;
  package: string;
  /** File names inside the package's `files/` folder. */
  files: string[];
}

/** Fonts a template may list in its template.json `fonts` array, by key. */
export const FONT_CATALOG: Record<string, FontSpec> = {
  inter: { family: 'Inter', package: '@fontsource-variable/inter', files: ['inter-latin-wght-normal.woff2'] },
  'space-grotesk': {
    family: 'Space Grotesk',
    package: '@fontsource-variable/space-grotesk',
    files: ['space-grotesk-latin-wght-normal.woff2'],
  },
  'instrument-serif': {
    family: 'Instrument Serif',
    package: '@fontsource/instrument-serif',
    files: ['instrument-serif-latin-400-normal.woff2', 'instrument-serif-latin-400-italic.woff2'],
  },
};

/** Folders inside a project that this module writes (generated, not authored). */
export const VENDOR_DIRS = ['vendor', 'fonts'] as const;
export const GSAP_FILE = 'vendor/gsap.min.js';

/** Finds an installed package's folder the way Node resolves it: node_modules of each ancestor. */
export function findPackageDir(name: string, from = PACKAGE_ROOT): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new FramesmithError('vendor_package_missing', `The npm package ${name} is not installed next to framesmith.`, {
    hint: 'Reinstall framesmith (`npm install`): its templates copy GSAP and fonts from its own dependencies.',
  });
}

/** Writes through a temp file and a rename, so a crash never leaves half a file behind. */
export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

async function copyAtomic(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  const tmp = `${to}.${process.pid}.tmp`;
  await copyFile(from, tmp);
  await rename(tmp, to);
}

/** The leading `/*! ... *\/` banner of a minified file (GSAP keeps its licence terms there). */
function leadingBanner(source: string): string {
  const match = /^\s*\/\*!?([\s\S]*?)\*\//.exec(source);
  return match ? match[1].replace(/^\s*\* ?/gm, '').trim() : '';
}

/** Relative paths (POSIX) of every file `vendorInto` writes for these font keys. */
export function vendoredPaths(fonts: readonly string[]): string[] {
  const paths = [GSAP_FILE, 'vendor/GSAP-LICENSE.txt'];
  for (const key of fonts) {
    const spec = fontSpec(key);
    paths.push(...spec.files.map((f) => `fonts/${f}`), `fonts/LICENSE-${key}.txt`);
  }
  return paths;
}

function fontSpec(key: string): FontSpec {
  const spec = FONT_CATALOG[key];
  if (!spec) {
    throw new FramesmithError('unknown_font', `Unknown font "${key}" in template.json.`, {
      hint: `Known fonts: ${Object.keys(FONT_CATALOG).join(', ')}.`,
    });
  }
  return spec;
}

/**
 * Copies GSAP (+ its licence note) into `<dir>/vendor/` and the named fonts (+ their OFL text)
 * into `<dir>/fonts/`. Returns the relative paths written.
 */
export async function vendorInto(dir: string, fonts: readonly string[]): Promise<string[]> {
  const gsapDir = findPackageDir('gsap');
  const gsapPkg = JSON.parse(await readFile(join(gsapDir, 'package.json'), 'utf8')) as { version: string; license?: string };
  const gsapSource = await readFile(join(gsapDir, 'dist', 'gsap.min.js'), 'utf8');
  await copyAtomic(join(gsapDir, 'dist', 'gsap.min.js'), join(dir, GSAP_FILE));
  const note = [
    `vendor/gsap.min.js is GSAP ${gsapPkg.version}, copied unchanged from the npm package "gsap" (dist/gsap.min.js).`,
    `Licence (package.json): ${gsapPkg.license ?? 'see the banner below'}`,
    '',
    'Banner of the file:',
    leadingBanner(gsapSource),
    '',
  ].join('\n');
  await writeFileAtomic(join(dir, 'vendor', 'GSAP-LICENSE.txt'), note);

  for (const key of fonts) {
    const spec = fontSpec(key);
    const pkgDir = findPackageDir(spec.package);
    for (const file of spec.files) await copyAtomic(join(pkgDir, 'files', file), join(dir, 'fonts', file));
    const licence = await readFile(join(pkgDir, 'LICENSE'), 'utf8');
    await writeFileAtomic(join(dir, 'fonts', `LICENSE-${key}.txt`), `${spec.family} (npm package ${spec.package})\n\n${licence}`);
  }
  return vendoredPaths(fonts);
}
