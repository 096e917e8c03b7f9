// `npm run bench`: prints the performance figures the issues ask for. Each bench/<name>.bench.mjs
// exports `title` and `run(ctx)`; run them all, or only those named: `npm run bench -- snapshot render`.
// Figures are printed, never asserted: machines are noisy, tests stay about behaviour.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'dist', 'node', 'cli.js'))) {
  console.error('framesmith is not built: run `npm run build` first.');
  process.exit(1);
}
const only = process.argv.slice(2);
const files = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const rows = [];
const ctx = {
  root,
  /** Records one figure: name, value, unit, optional target text. */
  figure(section, name, value, unit, target = '') {
    rows.push({ section, name, value, unit, target });
    const shown = typeof value === 'number' ? (Number.isInteger(value) ? value : value.toFixed(2)) : value;
    console.log(`  ${name}: ${shown} ${unit}${target ? `   (target ${target})` : ''}`);
  },
  log: (s) => console.log(`  ${s}`),
};

for (const file of files) {
  const mod = await import(pathToFileURL(join(root, 'bench', file)).href);
  console.log(`\n== ${mod.title ?? file} ==`);
  try {
    await mod.run(ctx);
  } catch (error) {
    console.log(`  FAILED: ${error?.stack ?? error}`);
    process.exitCode = 1;
  }
}
console.log(
  `\n${rows.length} figures on ${process.platform} ${process.arch}, ${(await import('node:os')).cpus().length} cores, node ${process.version}`,
);
