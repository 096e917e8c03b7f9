/**
 * The package.json of a new project: scripts that run framesmith, and framesmith itself as a
 * devDependency at the version that created the project. An existing package.json (with
 * `--force`) is merged into, never replaced, so the user's fields and other scripts survive.
 */
import { basename } from 'node:path';
import { FramesmithError } from '../core/errors.js';
import { PACKAGE_VERSION } from '../core/paths.js';

export const PROJECT_SCRIPTS: Record<string, string> = {
  dev: 'framesmith dev',
  build: 'framesmith build',
  render: 'framesmith render',
};

/** An npm-valid package name from a folder name. */
export function packageNameFor(dir: string): string {
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  return name || 'framesmith-video';
}

/** Text of the package.json to write; `existing` is the current file's text when there is one. */
export function projectPackageJson(dir: string, existing?: string): string {
  let base: Record<string, unknown> = { name: packageNameFor(dir), version: '0.1.0', private: true };
  if (existing !== undefined) {
    try {
      const parsed: unknown = JSON.parse(existing);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      base = parsed as Record<string, unknown>;
    } catch {
      throw new FramesmithError('invalid_package_json', `${dir}/package.json exists but is not a JSON object, so framesmith cannot add its scripts to it.`, {
        hint: 'Fix or remove that package.json, then run `framesmith new` again.',
      });
    }
  }
  const scripts = { ...(base.scripts as Record<string, string> | undefined), ...PROJECT_SCRIPTS };
  const devDependencies = { ...(base.devDependencies as Record<string, string> | undefined), framesmith: `^${PACKAGE_VERSION}` };
  return `${JSON.stringify({ ...base, scripts, devDependencies }, null, 2)}\n`;
}
