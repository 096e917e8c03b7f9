/**
 * The build summary for people (the `--json` form is the BuildResult itself): what went into the
 * zip, where it is, and the facts a cloud render request needs.
 */
import { relative } from 'node:path';
import type { BuildResult } from './build-bundle.js';
import { describeLeftOut } from './output-exclusion.js';
import { formatBytes } from './zip.js';

/** Lines printed after a build; `cwd` shortens the zip path. */
export function formatBuildSummary(r: BuildResult, cwd = process.cwd()): string {
  const largest = [...r.files].sort((a, b) => b.size - a.size).slice(0, 3);
  const vars = r.variables.length ? r.variables.map((v) => `${v.id} (${v.type}, default ${JSON.stringify(v.default)})`).join(', ') : 'none';
  const lines = [
    `zip         ${relative(cwd, r.zipPath) || r.zipPath}`,
    `size        ${formatBytes(r.size)} (${r.files.length} files, ${formatBytes(r.totalBytes)} before compression)`,
    `largest     ${largest.map((f) => `${f.path} ${formatBytes(f.size)}`).join(', ')}`,
    `sha256      ${r.sha256}`,
    `entry       ${r.entry}`,
    `frame       ${r.width}x${r.height}, ${r.duration} s at ${r.fps} fps`,
    `aspect      ${r.aspectRatio ?? 'none the cloud renders (16:9, 9:16 or 1:1 needed)'}`,
    `variables   ${vars}`,
    `bundler     ${r.bundler === 'vite' ? 'Vite (module scripts)' : 'none (copied as written)'}`,
    `check       ${r.check ? `${r.check.frames.length} frames OK in Chromium${r.check.blocked.length ? `, ${r.check.blocked.length} unavailable or blocked (see the warnings)` : ''}` : 'skipped (--no-check)'}`,
  ];
  if (r.leftOut.length) lines.splice(3, 0, `left out    ${describeLeftOut(r.leftOut, formatBytes)} (--include keeps them)`);
  if (r.warnings.length) lines.push(`warnings    ${r.warnings.length}`);
  return lines.join('\n');
}
