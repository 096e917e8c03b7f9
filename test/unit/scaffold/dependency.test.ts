// Which framesmith dependency `new` writes, for each way framesmith can be installed; npm's own
// layouts are reproduced on disk (the end-to-end check with a real npm is test/e2e/pack.test.ts).
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchesWorkspacePattern } from '../../../src/scaffold/enclosing-project.js';
import { framesmithDependency } from '../../../src/scaffold/framesmith-dependency.js';
import { packageNameFor } from '../../../src/scaffold/project-package.js';
import { closest, didYouMean } from '../../../shared/suggest.js';

const temp = () => realpathSync(mkdtempSync(join(tmpdir(), 'framesmith-dep-')));

/** <root>/node_modules/framesmith with `lock` written as <root>/<lockName>. */
function installed(lockName: string | null, resolved: string) {
  const root = join(temp(), 'project');
  const packageRoot = join(root, 'node_modules', 'framesmith');
  mkdirSync(packageRoot, { recursive: true });
  if (lockName)
    writeFileSync(
      join(root, lockName),
      JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/framesmith': { version: '0.1.0', resolved } } }),
    );
  return { root, packageRoot };
}

describe('the framesmith dependency of a new project', () => {
  it('is the folder when framesmith runs from a clone (outside node_modules)', () => {
    expect(framesmithDependency({ packageRoot: '/home/me/framesmith', version: '0.1.0' })).toMatchObject({
      spec: 'file:/home/me/framesmith',
      source: 'folder',
    });
  });

  it('is the registry version when the lockfile says it came from a registry, or the package was published', () => {
    const { packageRoot } = installed('package-lock.json', 'https://registry.npmjs.org/framesmith/-/framesmith-0.1.0.tgz');
    expect(framesmithDependency({ packageRoot, version: '0.1.0' })).toMatchObject({
      spec: '^0.1.0',
      source: 'registry',
      description: '^0.1.0 from the npm registry',
    });
    expect(framesmithDependency({ packageRoot: '/usr/lib/node_modules/framesmith', version: '0.1.0', published: true })).toMatchObject({
      spec: '^0.1.0',
      source: 'registry',
    });
  });

  it('is the package file it was installed from, read from the hidden lockfile (relative paths resolved) or package-lock.json', () => {
    for (const lock of ['node_modules/.package-lock.json', 'package-lock.json']) {
      const { root, packageRoot } = installed(lock, 'file:../files/framesmith-0.1.0.tgz');
      const file = join(root, '..', 'files', 'framesmith-0.1.0.tgz');
      mkdirSync(join(root, '..', 'files'), { recursive: true });
      writeFileSync(file, 'tgz');
      expect(framesmithDependency({ packageRoot, version: '0.1.0' })).toMatchObject({
        spec: `file:${realpathSync(file)}`,
        source: 'package-file',
      });
    }
  });

  it('is the installed folder when the package file is gone or nothing recorded it (a global install)', () => {
    const { packageRoot } = installed('package-lock.json', 'file:/nowhere/framesmith-0.1.0.tgz');
    const dep = framesmithDependency({ packageRoot, version: '0.1.0' });
    expect(dep).toMatchObject({ spec: `file:${packageRoot}`, source: 'installed-folder' });
    expect(dep.description).toContain('npm install -D <path to framesmith-0.1.0.tgz>');
    expect(framesmithDependency({ packageRoot: '/usr/lib/node_modules/framesmith', version: '0.1.0' }).source).toBe('installed-folder');
  });
});

describe('names and suggestions', () => {
  it('makes an npm package name from any folder name', () => {
    expect(packageNameFor('/x/Q3 Vidéo, Final!')).toBe('q3-video-final');
    expect(packageNameFor('/x/日本')).toBe('framesmith-video');
  });

  it('matches npm workspace patterns', () => {
    expect(matchesWorkspacePattern('videos/*', 'videos/q3')).toBe(true);
    expect(matchesWorkspacePattern('./videos/*/', 'videos/q3')).toBe(true);
    expect(matchesWorkspacePattern('videos/*', 'videos/q3/sub')).toBe(false);
    expect(matchesWorkspacePattern('apps/**', 'apps/a/b')).toBe(true);
    expect(matchesWorkspacePattern('tools/cli', 'tools/cli')).toBe(true);
    expect(matchesWorkspacePattern('packages/*', 'clips/intro')).toBe(false);
  });

  it('suggests the closest name only when it is close', () => {
    expect(closest('headine', ['headline', 'value', 'delta'])).toBe('headline');
    expect(closest('titlecard', ['blank', 'title-card'])).toBe('title-card');
    expect(closest('out-patern', ['out-pattern', 'name-pattern'])).toBe('out-pattern');
    expect(closest('qualty', ['quality', 'format'])).toBe('quality');
    expect(closest('zzz', ['headline', 'value'])).toBeNull();
    expect(closest('showgrid', ['showGrid'])).toBe('showGrid');
    expect(didYouMean('vlaue', ['value'])).toBe(' Did you mean "value"?');
    expect(didYouMean('xyz', ['value'])).toBe('');
  });
});
