/**
 * Which `framesmith` dependency a new project gets, so that `npm install` in it installs today:
 * - framesmith installed from the npm registry: the registry version, `^<version>`;
 * - installed from a package file (`npm install ./framesmith-x.tgz`, `npx --package ./….tgz`): that
 *   file, `file:<absolute path>`, found in the lockfile npm wrote beside the install;
 * - run from a clone or any folder outside node_modules (`node bin/framesmith.js`, `npm link`):
 *   that folder, `file:<absolute path>` (npm links to it);
 * - anything else (a global install from a package file: npm keeps no record of the file): the
 *   installed folder itself, which npm links to.
 * Whether this copy came from the registry is read from the lockfile (a registry URL), or, for a
 * global install (no lockfile), from dist/published.json, which scripts/pack-manifest.mjs writes
 * only for `npm publish`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

export type DependencySource = 'registry' | 'package-file' | 'folder' | 'installed-folder';

export interface FramesmithDependency {
  /** The value for package.json, e.g. `^0.1.0` or `file:/home/me/framesmith-0.1.0.tgz`. */
  spec: string;
  source: DependencySource;
  /** One line for the terminal: where the dependency points and why. */
  description: string;
}

export interface DependencyFacts {
  /** The framesmith package folder this code runs from (a real path). */
  packageRoot: string;
  version: string;
  /** Whether this copy was published to the registry (dist/published.json exists). */
  published?: boolean;
}

/** Reads `resolved` of framesmith's entry in the lockfiles npm writes beside an install. */
function resolvedFromLockfiles(packageRoot: string): string | null {
  // packageRoot is <root>/node_modules/framesmith (maybe nested deeper); the lock root is the
  // folder that holds the outermost node_modules on the way.
  const parts = packageRoot.split(sep);
  const first = parts.indexOf('node_modules');
  if (first < 1) return null;
  const root = parts.slice(0, first).join(sep) || sep;
  const key = relative(root, packageRoot).split(sep).join('/');
  for (const lock of [
    join(root, 'node_modules', '.package-lock.json'),
    join(root, 'package-lock.json'),
    join(root, 'npm-shrinkwrap.json'),
  ]) {
    if (!existsSync(lock)) continue;
    try {
      const data = JSON.parse(readFileSync(lock, 'utf8')) as { packages?: Record<string, { resolved?: string }> };
      const resolved = data.packages?.[key]?.resolved;
      if (!resolved) continue;
      if (resolved.startsWith('file:')) {
        const path = resolved.slice('file:'.length);
        return isAbsolute(path) ? path : resolve(root, path);
      }
      return resolved;
    } catch {
      // a broken lockfile tells nothing; try the next one
    }
  }
  return null;
}

/** The dependency to write; see the module comment for the rules. */
export function framesmithDependency(facts: DependencyFacts): FramesmithDependency {
  const { packageRoot, version } = facts;
  const insideNodeModules = packageRoot.split(sep).includes('node_modules');
  if (!insideNodeModules) {
    return {
      spec: `file:${packageRoot}`,
      source: 'folder',
      description: `file:${packageRoot} (the framesmith folder this command ran from; npm links to it)`,
    };
  }
  if (facts.published) {
    return { spec: `^${version}`, source: 'registry', description: `^${version} from the npm registry` };
  }
  const resolved = resolvedFromLockfiles(packageRoot);
  if (resolved && /^https?:\/\//.test(resolved)) {
    return { spec: `^${version}`, source: 'registry', description: `^${version} from the npm registry` };
  }
  if (resolved && !/^[a-z]+:/i.test(resolved) && resolved.endsWith('.tgz') && existsSync(resolved)) {
    return {
      spec: `file:${resolved}`,
      source: 'package-file',
      description: `file:${resolved} (the package file this framesmith was installed from)`,
    };
  }
  return {
    spec: `file:${packageRoot}`,
    source: 'installed-folder',
    description: `file:${packageRoot} (this installed framesmith; npm links to it. Use \`npm install -D <path to framesmith-${version}.tgz>\` in the project to pin the package file instead)`,
  };
}

/** The facts of the running framesmith. */
export function currentDependencyFacts(packageRoot: string, version: string): DependencyFacts {
  return { packageRoot, version, published: existsSync(join(packageRoot, 'dist', 'published.json')) };
}
