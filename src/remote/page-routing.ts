/**
 * A headless composition page's requests to other origins, answered from Node: http(s) URLs
 * through the remote resolver (content cache, network, npm registry, @fontsource), so the page
 * itself never reaches the network and a later run is offline and byte-stable; any other scheme is
 * refused. What was loaded, from where, and what could not be had is recorded for the command's
 * warnings. Used by snapshot, render and the build check (src/browser/composition-page.ts).
 */
import type { Page, Route } from 'playwright-core';
import type { ExpectedKind } from './http.js';
import { defaultRemoteResolver, type RemoteFile, type RemoteResolver } from './resolver.js';

export interface RemoteLoad {
  url: string;
  kind: string;
  via: RemoteFile['via'];
  source: RemoteFile['source'];
  detail?: string;
  networkError?: string;
  repaired?: string;
}

export interface RemoteFailure {
  url: string;
  kind: string;
  code: string;
  reason: string;
}

export interface RemoteRequestLog {
  /** Every request the page made to another origin (counted per request). */
  requests: number;
  loaded: Map<string, RemoteLoad>;
  failed: Map<string, RemoteFailure>;
  /** URLs of other schemes, refused. */
  refused: string[];
  /** Requests that would send rather than load (POST, PUT…, e.g. a form or sendBeacon): refused, nothing left the machine. */
  sent: string[];
}

const KIND: Record<string, ExpectedKind> = {
  script: 'script',
  stylesheet: 'style',
  font: 'font',
  image: 'image',
  media: 'media',
  document: 'document',
  texttrack: 'data',
};
const SHOWN_KIND: Record<string, string> = { stylesheet: 'style' };

export function newRemoteLog(): RemoteRequestLog {
  return { requests: 0, loaded: new Map(), failed: new Map(), refused: [], sent: [] };
}

/** Serves `bytes` for a request, honouring a single byte range (media elements ask for ranges). */
async function fulfill(route: Route, file: RemoteFile): Promise<void> {
  const headers: Record<string, string> = {
    'content-type': file.contentType,
    'access-control-allow-origin': '*',
    'timing-allow-origin': '*',
    'accept-ranges': 'bytes',
  };
  const range = /^bytes=(\d*)-(\d*)$/.exec(route.request().headers().range ?? '');
  const size = file.bytes.length;
  if (range && (range[1] || range[2])) {
    let start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
    let end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start >= size) return route.fulfill({ status: 416, headers: { ...headers, 'content-range': `bytes */${size}` }, body: '' });
    start = Math.max(0, start);
    end = Math.max(start, end);
    return route.fulfill({
      status: 206,
      headers: { ...headers, 'content-range': `bytes ${start}-${end}/${size}` },
      body: file.bytes.subarray(start, end + 1),
    });
  }
  return route.fulfill({ status: 200, headers, body: file.bytes });
}

/**
 * Routes every request of `page` whose URL `isLocal` refuses: http(s) through `resolver` (default:
 * the process's), others refused. Returns the log it fills.
 */
export async function routeRemoteRequests(
  page: Page,
  isLocal: (url: URL) => boolean,
  resolver: RemoteResolver = defaultRemoteResolver(),
  log: RemoteRequestLog = newRemoteLog(),
): Promise<RemoteRequestLog> {
  await page.route(
    (url) => !isLocal(url) && url.protocol !== 'data:' && url.protocol !== 'blob:',
    async (route) => {
      const request = route.request();
      const url = request.url();
      const type = request.resourceType();
      const kind = SHOWN_KIND[type] ?? (KIND[type] ? type : 'other');
      log.requests++;
      if (!/^https?:/i.test(url)) {
        log.refused.push(url);
        return route.abort('blockedbyclient').catch(() => {});
      }
      if (request.method() !== 'GET' && request.method() !== 'HEAD') {
        // A page may load files, never send anything (src/browser/page-isolation.ts reports it).
        log.sent.push(url);
        return route.abort('blockedbyclient').catch(() => {});
      }
      try {
        const file = await resolver.get(url, KIND[type] ?? 'any');
        if (!log.loaded.has(url))
          log.loaded.set(url, {
            url,
            kind,
            via: file.via,
            source: file.source,
            detail: file.detail,
            networkError: file.networkError,
            repaired: file.repaired,
          });
        await fulfill(route, file).catch(() => {});
      } catch (error) {
        const e = error as { code?: string; message?: string };
        if (!log.failed.has(url))
          log.failed.set(url, { url, kind, code: e.code ?? 'remote_unavailable', reason: e.message ?? String(error) });
        await route.abort('failed').catch(() => {});
      }
    },
  );
  return log;
}
