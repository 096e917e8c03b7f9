import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentCache } from '../../../src/remote/content-cache.js';
import { fetchCdnFile, parseNpmCdnUrl } from '../../../src/remote/npm-cdn.js';
import { NpmRegistry, readRegistryConfig, verifyIntegrity } from '../../../src/remote/npm-registry.js';
import { startFakeRegistry, type FakeRegistry } from '../../helpers/remote-servers.js';

let registry: FakeRegistry;
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'fs-npm-'));
  dirs.push(d);
  return d;
};
const open = (options: { offline?: boolean; dir?: string } = {}) =>
  new NpmRegistry({
    cache: new ContentCache({ dir: options.dir ?? tmp() }),
    config: { registry: registry.url, scopes: {}, tokens: {} },
    offline: options.offline,
  });

beforeAll(async () => {
  registry = await startFakeRegistry(
    {
      anim: {
        '1.0.0': { files: { 'package.json': '{"main":"dist/anim.js"}', 'dist/anim.js': 'window.anim=1;', LICENSE: 'MIT licence text' } },
        '1.2.0': {
          files: {
            'package.json': '{"main":"dist/anim.js","module":"esm/index.js"}',
            'dist/anim.js': 'window.anim=12;',
            'dist/anim.min.js': 'window.anim=12',
            'esm/index.js': 'export * from "./core.js";',
            'esm/core.js': 'export const v = 12;',
            'LICENSE.md': 'MIT',
          },
        },
        '2.0.0-beta.1': { files: { 'dist/anim.js': 'beta' } },
      },
      '@acme/kit': {
        '0.3.0': {
          files: {
            'package.json': '{"exports":{".":{"import":"./m/kit.mjs","require":"./c/kit.cjs"},"./*":"./m/*.mjs"}}',
            'm/kit.mjs': 'export default 1;',
            'm/extra.mjs': 'export const x = 1;',
            'c/kit.cjs': 'module.exports = 1',
          },
        },
      },
      broken: { '1.0.0': { files: { 'index.js': 'ok' }, tamper: true } },
    },
    { anim: { next: '2.0.0-beta.1', latest: '1.2.0' } },
  );
});
afterAll(async () => {
  await registry.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('npm registry', () => {
  it('resolves ranges, tags and exact versions as npm does', async () => {
    const npm = open();
    expect((await npm.resolve('anim', '^1.0.0')).version).toBe('1.2.0');
    expect((await npm.resolve('anim', '1.0.0')).version).toBe('1.0.0');
    expect((await npm.resolve('anim', '')).version).toBe('1.2.0');
    expect((await npm.resolve('anim', 'next')).version).toBe('2.0.0-beta.1');
    expect((await npm.resolve('@acme/kit', '0.3')).version).toBe('0.3.0');
  });

  it('takes one file out of the verified tarball, and serves it again offline from the cache', async () => {
    const dir = tmp();
    const before = registry.tarballs();
    const f = await open({ dir }).file('anim', '1.2.0', 'dist/anim.js');
    expect(f.bytes.toString()).toBe('window.anim=12;');
    expect(f.contentType).toMatch(/javascript/);
    expect(registry.tarballs()).toBe(before + 1);
    const again = await open({ dir, offline: true }).file('anim', '1.2.0', 'dist/anim.js');
    expect(again.bytes.toString()).toBe('window.anim=12;');
    // A range resolved before resolves offline from the cached metadata too.
    const listing = await open({ dir, offline: true }).listing('anim', '^1');
    expect(listing.version).toBe('1.2.0');
    expect(listing.licenseFile).toBe('LICENSE.md');
    expect(registry.tarballs()).toBe(before + 1);
  });

  it('refuses a tarball that does not match the registry integrity', async () => {
    await expect(open().file('broken', '1.0.0', 'index.js')).rejects.toMatchObject({
      code: 'npm_integrity_mismatch',
      message: expect.stringContaining('broken@1.0.0'),
    });
  });

  it('names a package, version or file that does not exist', async () => {
    const npm = open();
    await expect(npm.resolve('no-such-pkg', '1.0.0')).rejects.toMatchObject({
      code: 'npm_package_not_found',
      message: expect.stringContaining('no-such-pkg'),
    });
    await expect(npm.resolve('anim', '9.9.9')).rejects.toMatchObject({
      code: 'npm_version_not_found',
      hint: expect.stringContaining('1.2.0'),
    });
    await expect(npm.file('anim', '1.2.0', 'dist/nope.js')).rejects.toMatchObject({
      code: 'npm_file_not_found',
      message: expect.stringContaining('dist/nope.js'),
    });
    await expect(npm.resolve('Not A Name', '1')).rejects.toMatchObject({ code: 'npm_package_not_found' });
  });

  it('says the registry is unreachable when offline with nothing cached', async () => {
    await expect(open({ offline: true }).resolve('anim', '^1')).rejects.toMatchObject({ code: 'npm_registry_unreachable' });
    const dead = new NpmRegistry({
      cache: new ContentCache({ dir: tmp() }),
      config: { registry: 'http://127.0.0.1:9/', scopes: {}, tokens: {} },
    });
    await expect(dead.resolve('anim', '^1')).rejects.toMatchObject({
      code: 'npm_registry_unreachable',
      message: expect.stringContaining('http://127.0.0.1:9/'),
    });
  });

  it('checks SRI strings and shasums', () => {
    const b = Buffer.from('abc');
    expect(
      verifyIntegrity(b, 'sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==', null).ok,
    ).toBe(true);
    expect(verifyIntegrity(b, 'sha512-AAAA', null).ok).toBe(false);
    expect(verifyIntegrity(b, null, 'a9993e364706816aba3e25717850c26c9cd0d89d').ok).toBe(true);
    expect(verifyIntegrity(b, null, null)).toEqual({ ok: false, algorithm: 'none' });
  });

  it('reads the registry from FRAMESMITH_NPM_REGISTRY, npm variables and .npmrc files', () => {
    const home = tmp();
    const project = tmp();
    writeFileSync(
      join(home, '.npmrc'),
      'registry=https://user.example/\n@acme:registry=https://acme.example/npm\n//acme.example/npm/:_authToken=${ACME_TOKEN}\n',
    );
    writeFileSync(join(project, '.npmrc'), '# project\nregistry = "https://project.example/"\n');
    const env = { NPM_CONFIG_USERCONFIG: join(home, '.npmrc'), ACME_TOKEN: 's3cret' };
    const c = readRegistryConfig(project, env);
    expect(c).toEqual({
      registry: 'https://project.example/',
      scopes: { '@acme': 'https://acme.example/npm/' },
      tokens: { '//acme.example/npm/': 's3cret' },
    });
    expect(readRegistryConfig(project, { ...env, npm_config_registry: 'https://env.example' }).registry).toBe('https://env.example/');
    expect(readRegistryConfig(project, { ...env, FRAMESMITH_NPM_REGISTRY: 'http://127.0.0.1:1' }).registry).toBe('http://127.0.0.1:1/');
    expect(readRegistryConfig(undefined, { NPM_CONFIG_USERCONFIG: join(home, 'none') }).registry).toBe('https://registry.npmjs.org/');
  });
});

describe('npm CDN URLs from the registry', () => {
  const fileOf = async (url: string) => {
    const ref = parseNpmCdnUrl(url.replace('REG', registry.origin));
    expect(ref, url).not.toBeNull();
    const r = await fetchCdnFile(open(), ref!);
    return `${r.name}@${r.version}/${r.path}`;
  };
  it('resolves default files, exact files, module entries and subpaths', async () => {
    expect(await fileOf('https://cdn.jsdelivr.net/npm/anim@1.2.0')).toBe('anim@1.2.0/dist/anim.min.js');
    expect(await fileOf('https://cdn.jsdelivr.net/npm/anim@1.0.0')).toBe('anim@1.0.0/dist/anim.js');
    expect(await fileOf('https://unpkg.com/anim@^1')).toBe('anim@1.2.0/dist/anim.js');
    expect(await fileOf('https://cdn.jsdelivr.net/npm/anim@1/dist/anim.js')).toBe('anim@1.2.0/dist/anim.js');
    expect(await fileOf('https://esm.sh/anim@1.2.0')).toBe('anim@1.2.0/esm/index.js');
    expect(await fileOf('https://esm.sh/@acme/kit@0.3.0')).toBe('@acme/kit@0.3.0/m/kit.mjs');
    expect(await fileOf('https://esm.sh/@acme/kit@0.3.0/extra')).toBe('@acme/kit@0.3.0/m/extra.mjs');
    expect(await fileOf('https://cdn.jsdelivr.net/npm/@acme/kit@0.3.0/+esm')).toBe('@acme/kit@0.3.0/m/kit.mjs');
    expect(await fileOf('https://cdn.skypack.dev/anim@1.2.0')).toBe('anim@1.2.0/esm/index.js');
  });
  it('uses the plain file for a .min.js jsDelivr would minify on request', async () => {
    const ref = parseNpmCdnUrl('https://cdn.jsdelivr.net/npm/anim@1.0.0/dist/anim.min.js')!;
    const r = await fetchCdnFile(open(), ref);
    expect(r.path).toBe('dist/anim.js');
    expect(r.note).toMatch(/minif/);
  });
  it('names the missing file of a CDN URL', async () => {
    const ref = parseNpmCdnUrl('https://cdn.jsdelivr.net/npm/anim@1.2.0/dist/other.js')!;
    await expect(fetchCdnFile(open(), ref)).rejects.toMatchObject({
      code: 'npm_file_not_found',
      message: expect.stringContaining('anim@1.2.0'),
    });
  });
});
