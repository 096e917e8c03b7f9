/**
 * Where framesmith's own files are, whether running from `dist/node` (installed) or from `src`
 * (tests): the package root is the nearest folder above this file with framesmith's package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'framesmith') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('framesmith: cannot find its own package.json');
    dir = parent;
  }
}

/** Absolute path of the framesmith package. */
export const PACKAGE_ROOT = findPackageRoot();
/** The built composition runtime, runtime.js (`npm run build` writes it from runtime/). */
export const RUNTIME_DIST = join(PACKAGE_ROOT, 'dist', 'runtime');
/** The built preview page, overlay.js and overlay.css (`npm run build` writes them from preview/). */
export const PREVIEW_DIST = join(PACKAGE_ROOT, 'dist', 'preview');
/** Bundled project templates. */
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');

export const PACKAGE_VERSION: string = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;
