// Figures for issue 5: lint of a template (median, in-process and as a CLI run), build of a
// template with --no-check and with the Chromium check, and zipping 200 files / 50 MB.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median, tempDir, templateProject, timeCommand } from './lib.mjs';

export const title = 'lint and build (issue 5)';

export async function run(ctx) {
  const dist = (p) => pathToFileURL(join(ctx.root, 'dist', 'node', p)).href;
  const { lintProject } = await import(dist('lint/index.js'));
  const { buildBundle } = await import(dist('build/build-bundle.js'));
  const { collectProjectFiles } = await import(dist('build/collect-files.js'));
  const { writeZip } = await import(dist('build/zip.js'));
  const cli = join(ctx.root, 'bin', 'framesmith.js');

  const dir = templateProject(ctx.root, 'social-promo', '9:16');
  await lintProject(dir); // warm the module cache
  const lintMs = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await lintProject(dir);
    lintMs.push(performance.now() - t0);
  }
  ctx.figure('build', 'lint social-promo (5 files), in-process median', median(lintMs), 'ms', '< 150 ms');
  const lintCli = [0, 1, 2].map(() => timeCommand(process.execPath, [cli, 'lint', dir]).ms);
  ctx.figure('build', 'framesmith lint social-promo, CLI wall median', median(lintCli), 'ms');

  const noCheck = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await buildBundle({ dir, check: false });
    noCheck.push(performance.now() - t0);
  }
  ctx.figure('build', 'build social-promo --no-check, in-process median', median(noCheck), 'ms', '< 1 s');
  ctx.figure('build', 'framesmith build --no-check, CLI wall', timeCommand(process.execPath, [cli, 'build', dir, '--no-check']).ms, 'ms');

  const withCheck = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await buildBundle({ dir });
    withCheck.push(performance.now() - t0);
  }
  ctx.figure('build', 'build social-promo with the Chromium check (browser launch included), median', median(withCheck), 'ms', '< 3 s');
  ctx.figure('build', 'framesmith build (with check), CLI wall', timeCommand(process.execPath, [cli, 'build', dir]).ms, 'ms');

  // 200 files, 50 MB: 150 incompressible media-like files (stored) and 50 compressible text files.
  const big = tempDir('framesmith-bench-zip-');
  mkdirSync(join(big, 'media'));
  mkdirSync(join(big, 'data'));
  const mediaSize = Math.floor((45 * 1024 * 1024) / 150);
  for (let i = 0; i < 150; i++) writeFileSync(join(big, 'media', `clip-${String(i).padStart(3, '0')}.mp4`), randomBytes(mediaSize));
  const text = JSON.stringify(Array.from({ length: 4000 }, (_, i) => ({ i, label: `row ${i}`, value: (i * 7919) % 1000 })));
  for (let i = 0; i < 50; i++)
    writeFileSync(join(big, 'data', `rows-${String(i).padStart(2, '0')}.json`), text.slice(0, Math.floor((5 * 1024 * 1024) / 50)));
  const zipMs = [];
  for (let i = 0; i < 3; i++) {
    const out = join(tempDir(), 'big.zip');
    const t0 = performance.now();
    const files = await collectProjectFiles(big);
    await writeZip(files.files, out);
    zipMs.push(performance.now() - t0);
    rmSync(out, { force: true });
  }
  ctx.figure('build', 'collect + zip 200 files / 50 MB, median', median(zipMs), 'ms', '< 2 s');
  rmSync(big, { recursive: true, force: true });
}
