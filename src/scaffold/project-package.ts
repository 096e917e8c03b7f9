/**
 * The package.json of a new project: scripts that run framesmith, and framesmith itself as a
 * devDependency that installs today (see framesmith-dependency.ts). An existing package.json (with
 * `--force`) is merged into, never replaced, so the user's fields and other scripts survive, and a
 * framesmith dependency it already lists is kept.
 */
import { basename } from 'node:path';
import { FramesmithError } from '../core/errors.js';

export const PROJECT_SCRIPTS: Record<string, string> = {
  dev: 'framesmith dev',
  build: 'framesmith build',
  render: 'framesmith render',
};

/** An npm-valid package name from a folder name (accents dropped: `Vidéo` → `video`). */
export function packageNameFor(dir: string): string {
  const name = basename(dir)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  return name || 'framesmith-video';
}

export interface ProjectPackage {
  text: string;
  /** The framesmith dependency the file ends up with, and whether it was already there. */
  framesmith: { spec: string; kept: boolean };
}

/**
 * Text of the package.json to write; `existing` is the current file's text when there is one,
 * `dependency` the framesmith spec to add when the file lists none.
 */
export function projectPackageJson(dir: string, dependency: string, existing?: string): ProjectPackage {
  let base: Record<string, unknown> = { name: packageNameFor(dir), version: '0.1.0', private: true };
  if (existing !== undefined) {
    try {
      const parsed: unknown = JSON.parse(existing);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      base = parsed as Record<string, unknown>;
    } catch {
      throw new FramesmithError(
        'invalid_package_json',
        `${dir}/package.json exists but is not a JSON object, so framesmith cannot add its scripts to it.`,
        {
          hint: 'Fix or remove that package.json, then run `framesmith new` again.',
        },
      );
    }
  }
  const scripts = { ...(base.scripts as Record<string, string> | undefined), ...PROJECT_SCRIPTS };
  const deps = base.dependencies as Record<string, string> | undefined;
  const devDeps = base.devDependencies as Record<string, string> | undefined;
  const listed = deps?.framesmith ?? devDeps?.framesmith;
  if (typeof listed === 'string') {
    return { text: `${JSON.stringify({ ...base, scripts }, null, 2)}\n`, framesmith: { spec: listed, kept: true } };
  }
  const devDependencies = { ...devDeps, framesmith: dependency };
  return { text: `${JSON.stringify({ ...base, scripts, devDependencies }, null, 2)}\n`, framesmith: { spec: dependency, kept: false } };
}
