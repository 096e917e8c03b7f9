/**
 * What snapshot, render and the build check say about a page's remote files, worded by the rule
 * table (shared/resource-rules.ts): one warning per URL that could not be had (with the
 * reason, what the picture lacks and the fix), one line summing up what was loaded and from where.
 */
import type { Logger } from '../core/logger.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import { resourceDiagnostic } from '../../shared/resource-rules.js';
import type { RemoteFailure, RemoteLoad, RemoteRequestLog } from './page-routing.js';

/** The remote part of a command's result (JSON-friendly). */
export interface RemoteSummary {
  /** Requests the page(s) made to other origins; none reached the network from the page. */
  requests: number;
  /** Remote files used, with where they came from. */
  loaded: RemoteLoad[];
  /** Remote files that could not be had. */
  failed: RemoteFailure[];
}

/** Merges the logs of several pages (render workers). */
export function summarizeRemote(logs: RemoteRequestLog[]): RemoteSummary {
  const loaded = new Map<string, RemoteLoad>();
  const failed = new Map<string, RemoteFailure>();
  let requests = 0;
  for (const log of logs) {
    requests += log.requests;
    for (const [u, l] of log.loaded) if (!loaded.has(u)) loaded.set(u, l);
    for (const [u, f] of log.failed) if (!failed.has(u) && !loaded.has(u)) failed.set(u, f);
    for (const u of log.refused)
      if (!failed.has(u)) failed.set(u, { url: u, kind: 'other', code: 'unsupported_url_scheme', reason: 'only http(s) URLs are loaded' });
  }
  return { requests, loaded: [...loaded.values()], failed: [...failed.values()] };
}

/** Diagnostics for a summary, by the rule table. */
export function remoteDiagnostics(summary: RemoteSummary): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of summary.failed)
    out.push(
      resourceDiagnostic(f.code === 'unsupported_url_scheme' ? 'unsupported_scheme' : 'remote_unavailable', {
        url: f.url,
        kind: f.kind,
        reason: reasonWithoutUrl(f.reason, f.url),
      }),
    );
  for (const l of summary.loaded) {
    if (l.via === 'npm') out.push(resourceDiagnostic('remote_from_registry', { url: l.url, kind: l.kind, detail: l.detail }));
    else if (l.via === 'fontsource') out.push(resourceDiagnostic('remote_from_fontsource', { url: l.url, kind: l.kind, detail: l.detail }));
    else
      out.push(
        resourceDiagnostic('remote_loaded', {
          url: l.url,
          kind: l.kind,
          detail: l.via === 'cache' ? 'from the cache' : 'from the network, now cached',
        }),
      );
  }
  return out;
}

/** "X could not be fetched: why" → "why" (the warning names the URL already). */
export function reasonWithoutUrl(reason: string, url: string): string {
  let r = reason;
  for (const lead of [`${url} could not be loaded: `, `${url} could not be fetched: `]) r = r.split(lead).join('');
  r = r.split(`; ${url} `).join('; ');
  return r.startsWith(`${url} `) ? r.slice(url.length + 1) : r;
}

/** Prints the warnings, and one line on what was loaded from where. */
export function reportRemote(logger: Logger, summary: RemoteSummary): void {
  for (const d of remoteDiagnostics(summary)) if (d.severity !== 'info') logger.diagnostic(d);
  if (!summary.loaded.length) return;
  const n = (via: RemoteLoad['via']) => summary.loaded.filter((l) => l.via === via).length;
  const parts = [
    ['cache', 'from the cache'],
    ['network', 'from the network'],
    ['npm', 'from the npm registry'],
    ['fontsource', 'from @fontsource'],
  ]
    .map(([via, words]) => [n(via as RemoteLoad['via']), words] as const)
    .filter(([k]) => k > 0)
    .map(([k, words]) => `${k} ${words}`);
  logger.info(`remote files: ${summary.loaded.length} loaded (${parts.join(', ')}); \`framesmith vendor\` copies them into the project`);
  for (const l of summary.loaded) if (l.via === 'npm' || l.via === 'fontsource') logger.debug(`  ${l.url} ← ${l.detail ?? l.via}`);
  for (const l of summary.loaded) if (l.repaired) logger.warn(`${l.url}: ${l.repaired}; fetched again`, 'cache_entry_corrupt');
}
