// `npm pack` / `npm publish` hooks: prepack (`strip`: builds, then writes the manifest to pack)
// and postpack (`restore`). FRAMESMITH_PACK_SKIP_BUILD=1 skips the build (the pack test packs a
// copy of an up-to-date build). The `prepare` script builds framesmith in a
// clone (`npm ci`), but inside the package it would only make npm warn every user that framesmith
// "has install scripts" (and scripts/build.mjs is not shipped). So prepack writes package.json
// without it, keeping the exact original bytes beside it, and postpack puts the original back.
// A pack that died half-way leaves the backup: the next prepack (or `restore`) restores it first.
// For `npm publish` (npm_command=publish) it also writes dist/published.json: a project that
// `framesmith new` creates from a registry install then depends on the registry version
// (src/scaffold/framesmith-dependency.ts); a package file made by `npm pack` has no such mark.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = join(root, 'package.json');
const backup = join(root, '.package.json.before-pack');
const published = join(root, 'dist', 'published.json');

function restore() {
  if (existsSync(backup)) renameSync(backup, manifest);
  rmSync(published, { force: true });
}

const mode = process.argv[2];
if (mode === 'strip') {
  restore();
  if (process.env.FRAMESMITH_PACK_SKIP_BUILD !== '1')
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  const text = readFileSync(manifest, 'utf8');
  const pkg = JSON.parse(text);
  if (pkg.scripts?.prepare) {
    writeFileSync(backup, text);
    delete pkg.scripts.prepare;
    writeFileSync(`${manifest}.tmp`, `${JSON.stringify(pkg, null, 2)}\n`);
    renameSync(`${manifest}.tmp`, manifest);
  }
  if (process.env.npm_command === 'publish') writeFileSync(published, `${JSON.stringify({ version: pkg.version })}\n`);
} else if (mode === 'restore') {
  restore();
} else {
  console.error('usage: node scripts/pack-manifest.mjs strip|restore');
  process.exit(2);
}
