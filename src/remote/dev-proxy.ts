/**
 * Remote files in the dev preview. The preview's composition page never talks to the network:
 * the dev server rewrites the remote URLs of the documents, sub-compositions, stylesheets and
 * module scripts it serves to its own endpoint, `/__framesmith/remote/<scheme>/<host>/<path>`,
 * which answers from the remote resolver (content cache, network, npm registry, @fontsource),
 * exactly as snapshot and render get them. The path keeps the remote file's own folder layout, so
 * the relative URLs inside a remote stylesheet or module resolve within the endpoint; its absolute
 * and root-relative ones are rewritten when the file is served.
 *
 * URLs a script builds at run time (`img.src = "https://…"`) are not seen here: the page asks
 * for them directly (see docs: limitations).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../core/logger.js';
import { sendText } from '../serve/send-file.js';
import { proxyPathOfRemoteUrl, remoteUrlFromProxyPath, resourceDiagnostic, REMOTE_PROXY_PREFIX } from '../../shared/resource-rules.js';
import type { ExpectedKind } from './http.js';
import { defaultRemoteResolver, type RemoteResolver } from './resolver.js';
import { rewriteCss, rewriteHtml, rewriteJs, type UrlMap } from './rewrite.js';
import { reasonWithoutUrl } from './report.js';

/** Absolute http(s) URLs (and protocol-relative ones) → the endpoint's path; `base` resolves root-relative ones of a remote file. */
function toProxy(base?: string): UrlMap {
  return (url) => {
    const u = url.trim();
    if (/^(https?:)?\/\//i.test(u)) return proxyPathOfRemoteUrl(u);
    if (base && u.startsWith('/') && !u.startsWith('//')) return proxyPathOfRemoteUrl(new URL(u, base).href);
    return null;
  };
}

/** A composition document or sub-composition with its remote URLs pointed at the endpoint. */
export function proxyRemoteUrlsInHtml(html: string, fragment = false): string {
  if (!/(https?:)?\/\//i.test(html)) return html;
  return rewriteHtml(html, toProxy(), { fragment }).text;
}

export function proxyRemoteUrlsInCss(css: string, base?: string): string {
  if (!base && !/(https?:)?\/\//i.test(css)) return css;
  return rewriteCss(css, toProxy(base)).text;
}

export function proxyRemoteUrlsInJs(code: string, base?: string): string {
  if (!base && !/(https?:)?\/\//i.test(code)) return code;
  return rewriteJs(code, toProxy(base)).text;
}

const DEST_KIND: Record<string, ExpectedKind> = {
  script: 'script',
  style: 'style',
  font: 'font',
  image: 'image',
  audio: 'media',
  video: 'media',
  track: 'data',
  iframe: 'document',
  document: 'document',
};

export interface RemoteProxy {
  handle(req: IncomingMessage, res: ServerResponse, pathAndQuery: string): Promise<void>;
}

/** The endpoint's handler. Failures answer 502 with the reason and are logged once per URL, worded by the rule table. */
export function createRemoteProxy(logger: Logger, resolver?: RemoteResolver): RemoteProxy {
  const warned = new Set<string>();
  return {
    async handle(req, res, pathAndQuery) {
      // Vite marks some module imports with ?import; it is not part of the remote URL.
      const url = remoteUrlFromProxyPath(
        pathAndQuery.replace(/([?&])import(&|$)/, (_, a: string, b: string) => (b ? a : '')).replace(/\?$/, ''),
      );
      if (!url) return sendText(res, 404, 'Not found');
      // Only the preview's own pages may make the server fetch (a page on another site may not).
      const site = req.headers['sec-fetch-site'];
      if (site && site !== 'same-origin' && site !== 'none')
        return sendText(res, 403, 'Forbidden: remote files are served to the preview only');
      const dest = String(req.headers['sec-fetch-dest'] ?? '');
      const expect = DEST_KIND[dest] ?? 'any';
      try {
        const file = await (resolver ?? defaultRemoteResolver()).get(url, expect);
        let body: Buffer = file.bytes;
        const type = file.contentType.toLowerCase();
        if (type.includes('css') || /\.css(\?|$)/i.test(url)) body = Buffer.from(proxyRemoteUrlsInCss(body.toString('utf8'), url));
        else if ((type.includes('javascript') || /\.m?js(\?|$)/i.test(url)) && (dest === 'script' || dest === '' || dest === 'worker')) {
          const text = body.toString('utf8');
          const rewritten = proxyRemoteUrlsInJs(text, url);
          if (rewritten !== text) body = Buffer.from(rewritten);
        }
        if (file.via === 'npm' || file.via === 'fontsource')
          logger.info(`${url} ← ${file.via === 'npm' ? 'npm registry' : '@fontsource'} (${file.detail ?? ''})`);
        const headers = {
          'content-type': file.contentType,
          'cache-control': 'no-cache',
          'access-control-allow-origin': '*',
          'accept-ranges': 'bytes',
        };
        // Media elements seek with byte ranges.
        const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ''));
        if (range && (range[1] || range[2])) {
          const size = body.length;
          const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
          const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
          if (start >= size || start > end) {
            res.writeHead(416, { ...headers, 'content-range': `bytes */${size}` });
            return void res.end();
          }
          res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${size}`, 'content-length': end - start + 1 });
          return void res.end(req.method === 'HEAD' ? undefined : body.subarray(start, end + 1));
        }
        res.writeHead(200, { ...headers, 'content-length': body.length });
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch (error) {
        const reason = (error as Error).message;
        if (!warned.has(url)) {
          warned.add(url);
          const kind = expect === 'data' || expect === 'any' ? 'other' : expect;
          logger.diagnostic(resourceDiagnostic('remote_unavailable', { url, kind, reason: reasonWithoutUrl(reason, url) }));
        }
        sendText(res, 502, reason);
      }
    },
  };
}

export { REMOTE_PROXY_PREFIX };
