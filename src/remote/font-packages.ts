/**
 * @fontsource packages framesmith does not ship (families HeyGen's cloud fetches from Google
 * Fonts), from the npm registry through the content cache: the whole package unpacked once into
 * the cache folder, then read as a folder. Shaped as the fonts module's package provider
 * (registered by src/fonts/packages.ts). Imports nothing of src/fonts, so no import cycle.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { defaultContentCache } from './content-cache.js';
import { NpmRegistry } from './npm-registry.js';
import { isOfflineFromEnv } from './offline.js';

const FONT_PACKAGE = /^@fontsource(-variable)?\/[a-z0-9-]+$/;

export const npmFontPackageProvider = {
  name: 'npm registry (framesmith cache)',
  /** The unpacked package folder, fetched first when needed; null when the registry has no such package or cannot be reached. */
  async find(name: string, context: { projectDir: string }): Promise<string | null> {
    if (!FONT_PACKAGE.test(name)) return null;
    try {
      const npm = new NpmRegistry({ cache: defaultContentCache(), projectDir: context.projectDir, offline: isOfflineFromEnv() });
      return (await npm.packageDir(name, 'latest')).dir;
    } catch {
      return null;
    }
  },
  /** The folder when a version of the package is already unpacked in the cache (no network). */
  findCached(name: string): string | null {
    if (!FONT_PACKAGE.test(name)) return null;
    const base = join(defaultContentCache().dir, 'packages');
    if (!existsSync(base)) return null;
    let best: { dir: string; version: string } | null = null;
    for (const registry of readdirSync(base)) {
      const scopeDir = join(base, registry, name.split('/')[0]);
      if (!existsSync(scopeDir)) continue;
      for (const entry of readdirSync(scopeDir)) {
        const m = new RegExp(`^${name.split('/')[1]}@(.+)$`).exec(entry);
        if (!m || !semver.valid(m[1]) || !existsSync(join(scopeDir, entry, '.framesmith-complete'))) continue;
        if (!best || semver.gt(m[1], best.version)) best = { dir: join(scopeDir, entry), version: m[1] };
      }
    }
    return best?.dir ?? null;
  },
};
