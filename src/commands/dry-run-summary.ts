/**
 * What `framesmith render --cloud --dry-run` shows a person: the zip that would be uploaded (its
 * path, size and every file in it) and, per render request, the variables and parameters that
 * would be sent. (`--json` prints the same facts as data.)
 */
import { stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { openPromise as openZip } from 'yauzl';
import { formatBytes } from '../build/zip.js';
import type { RunCloudRenderResult } from '../cloud/run-cloud-render.js';

/** Files inside a zip, in its order, with their uncompressed sizes. */
export async function zipEntries(zipPath: string): Promise<{ path: string; size: number }[]> {
  const zip = await openZip(zipPath, { lazyEntries: true, autoClose: false });
  const out: { path: string; size: number }[] = [];
  try {
    for await (const e of zip.eachEntry()) if (!e.fileName.endsWith('/')) out.push({ path: e.fileName, size: e.uncompressedSize });
  } finally {
    zip.close();
  }
  return out;
}

function describeProject(p: RunCloudRenderResult['requests'][number]['project']): string {
  if (p.type === 'base64') return 'the zip inline (base64)';
  if (p.type === 'asset_id') return p.asset_id.startsWith('<') ? 'the zip as an uploaded asset' : `asset ${p.asset_id}`;
  return `url ${p.url}`;
}

/** The lines to print (stderr) for a dry run. */
export async function formatDryRun(r: RunCloudRenderResult, cwd = process.cwd()): Promise<string[]> {
  const lines: string[] = [];
  if (r.zipPath) {
    const size = (await stat(r.zipPath)).size;
    const files = await zipEntries(r.zipPath);
    const total = files.reduce((n, f) => n + f.size, 0);
    lines.push(`zip         ${relative(cwd, r.zipPath) || r.zipPath} (${formatBytes(size)})`);
    lines.push(`files       ${files.length} files, ${formatBytes(total)} before compression:`);
    const width = Math.max(...files.map((f) => f.path.length));
    for (const f of files) lines.push(`              ${f.path.padEnd(width)}  ${formatBytes(f.size).padStart(9)}`);
  }
  for (const [i, req] of r.requests.entries()) {
    const { project, variables, ...params } = req as typeof req & { variables?: Record<string, unknown> };
    const label = r.requests.length > 1 ? `request ${i + 1}`.padEnd(11) : 'request    ';
    const settings = Object.entries(params)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(', ');
    lines.push(`${label} ${describeProject(project)}${settings ? `; ${settings}` : ''}`);
    lines.push(`variables   ${variables && Object.keys(variables).length ? JSON.stringify(variables) : 'none (the declared defaults)'}`);
  }
  lines.push('Nothing was uploaded or submitted (--dry-run).');
  return lines;
}
