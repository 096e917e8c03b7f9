/** The human report of `framesmith vendor`: a table of what became what, what could not be had and why. */
import { formatTable } from '../core/table.js';
import type { VendorResult } from './vendor.js';

const FROM: Record<string, string> = { npm: 'npm registry', fontsource: '@fontsource', network: 'downloaded', cache: 'framesmith cache' };

/** Lines for stderr; the last says what happened overall. */
export function formatVendorReport(r: VendorResult): string[] {
  const lines: string[] = [];
  if (r.vendored.length) {
    const rows = r.vendored.map((v) => [
      v.url,
      v.path + (v.extra.length ? ` (+${v.extra.length} file${v.extra.length > 1 ? 's' : ''})` : ''),
      `${FROM[v.from] ?? v.from}${v.detail ? `: ${v.detail}` : ''}`,
      v.license ?? 'unknown',
    ]);
    lines.push(...formatTable(['remote URL', 'became', 'from', 'licence'], rows), '');
  }
  for (const f of r.rewritten)
    lines.push(
      `${r.dryRun ? 'would rewrite' : 'rewrote'} ${f.file}${f.references ? `: ${f.references} reference${f.references > 1 ? 's' : ''}` : ''}`,
    );
  for (const h of r.removedHints)
    lines.push(
      `${r.dryRun ? 'would remove' : 'removed'} <link rel="preconnect"> to ${h.href} from ${h.file} (nothing loads from there any more)`,
    );
  for (const u of r.unresolved)
    lines.push(
      `could not vendor ${u.url} (in ${u.referencedFrom.join(', ')}): ${u.reason.startsWith(u.url) ? u.reason.slice(u.url.length + 1) : u.reason} [${u.code}]`,
    );
  const n = r.written.length;
  if (!r.vendored.length && !r.unresolved.length) lines.push('Nothing to vendor: the project loads no remote files.');
  else if (!n && !r.unresolved.length) lines.push('Nothing to do: every remote file is already vendored.');
  else
    lines.push(
      `${r.dryRun ? 'Dry run: would write' : 'Wrote'} ${n} file${n === 1 ? '' : 's'}${r.unresolved.length ? `; ${r.unresolved.length} URL${r.unresolved.length > 1 ? 's' : ''} could not be vendored (their references are unchanged)` : ''}.`,
    );
  return lines;
}
