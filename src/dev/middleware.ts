/**
 * Every request to the dev server passes here first: the gate in request-guard.ts refuses foreign
 * origins and hosts, and files the file-access policy refuses. framesmith answers its own URLs (the
 * preview page and UI, the runtime, the state API) and the files a render loads untouched
 * (composition documents with the runtime injected, classic scripts, stylesheets, sub-composition
 * HTML); everything else (module scripts, images, fonts, media, Vite's URLs) goes on to Vite,
 * after the gate in request-guard.ts has allowed it.
 */
import { existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promises as fs } from 'node:fs';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import type { ViteDevServer } from 'vite';
import { PREVIEW_DIST, RUNTIME_DIST } from '../core/paths.js';
import { RUNTIME_URL_PATH } from '../serve/inject.js';
import { isDocumentRequest } from '../serve/static-server.js';
import {
  DEV_ASSETS_PATH,
  DEV_BOOT_PARAM,
  DEV_CACHED_FILES_HEADER,
  DEV_BOOT_PATH,
  DEV_EDITOR_PATH,
  DEV_PAGE_PATH,
  DEV_PREFIX,
  DEV_STATE_PATH,
  DEV_THUMB_PATH,
  type DevPageConfig,
  type DevState,
} from '../../shared/dev-protocol.js';
import { BOOT_BODY_LIMIT, type BootStash } from './boot-stash.js';
import { composeDocument } from './documents.js';
import type { OpenRequest, OpenResult } from './editor.js';
import { checkAbsolutePath, checkRequestPath, foreignRequest, isOwnOrigin, publicMessage, rawPath } from './request-guard.js';
import { sendBody, sendFile, sendText } from '../serve/send-file.js';
import { shellPage } from './shell-page.js';
import { STUDIO_API_PATH } from '../../shared/studio-protocol.js';
import type { Studio } from './studio.js';
import { FONT_URL_PREFIX } from '../fonts/packages.js';
import { servedFontFile, servedFragment, type FontPageCache } from '../fonts/serve.js';
import {
  createRemoteProxy,
  proxyRemoteUrlsInCss,
  proxyRemoteUrlsInHtml,
  REMOTE_PROXY_PREFIX,
  type RemoteProxy,
} from '../remote/dev-proxy.js';
import type { Logger } from '../core/logger.js';

export interface MiddlewareContext {
  /** Project folder (a realpath). */
  root: string;
  /** The host the server listens on (for the Host header check). */
  host: string;
  /** Folders outside the project Vite may serve from (its dependency cache, its client). */
  allowedOutside: string[];
  page: DevPageConfig;
  state(composition: string): Promise<DevState>;
  /** Vite, once loaded. */
  vite(): Promise<ViteDevServer>;
  /** Boot options posted by the page (too large for a URL). */
  stash: BootStash;
  /** Opens a project file in the user's editor. */
  openInEditor(req: OpenRequest): Promise<OpenResult>;
  /** Filmstrip thumbnails by id. */
  thumb(id: string): Buffer | undefined;
  /** The render panel's and dataset view's API (STUDIO_API_PATH). */
  studio?: Studio;
  /** Where remote-file failures are reported (the terminal). */
  logger?: Logger;
}

/** Reads a request body up to `limit` bytes; null when it is larger. */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sendJson = (res: ServerResponse, status: number, value: unknown) => {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
};

const RUNTIME_FILE = join(RUNTIME_DIST, 'runtime.js');
const OVERLAY_FILES = new Set(['overlay.js', 'overlay.css', 'overlay.js.map']);
/** Vite's endpoint that opens a file in the user's editor. */
const OPEN_IN_EDITOR = '/__open-in-editor';

/**
 * Vite answers a file outside its allow list with a 403 page that names absolute paths. The
 * gate refuses those first; should Vite still refuse one, it is answered as missing, without
 * the page.
 */
function maskRefusals(res: ServerResponse): void {
  const write = res.write.bind(res) as (...a: unknown[]) => boolean;
  const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
  let masked = false;
  const mask = () => {
    if (masked || res.statusCode !== 403 || res.headersSent) return masked;
    masked = true;
    res.statusCode = 404;
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.removeHeader('content-length');
    return true;
  };
  res.write = ((...a: unknown[]) => (mask() ? true : write(...a))) as typeof res.write;
  res.end = ((...a: unknown[]) => (mask() ? end('Not found') : end(...a))) as typeof res.end;
}

/** Sources only Vite can serve (they need a transform). */
const MODULE_SOURCE = /\.(ts|tsx|mts|cts|jsx|vue|svelte)$/i;

/**
 * Whether a request for an existing project file is Vite's: module scripts and what they import
 * (module requests are CORS-mode; classic scripts are not), Vite's query forms (?import, ?raw,
 * ?url, ?v=…), sources that need a transform. Everything else is sent as it is on disk.
 */
export function isModuleRequest(req: IncomingMessage, url: URL, file: string): boolean {
  if ([...url.searchParams.keys()].some((k) => k !== 't')) return true;
  if (MODULE_SOURCE.test(file)) return true;
  const dest = req.headers['sec-fetch-dest'];
  const scriptLike = dest === 'script' || dest === 'worker' || dest === 'sharedworker' || dest === 'serviceworker';
  return scriptLike && req.headers['sec-fetch-mode'] !== 'no-cors';
}

/** The request handler for the dev server's HTTP server. */
export function createRequestHandler(ctx: MiddlewareContext): (req: IncomingMessage, res: ServerResponse) => void {
  // Versioned, so the browser keeps the runtime across reloads instead of asking each time.
  const runtimeUrl = `${RUNTIME_URL_PATH}?v=${existsSync(RUNTIME_FILE) ? Math.round(statSync(RUNTIME_FILE).mtimeMs).toString(36) : '0'}`;
  const fontPages: FontPageCache = new Map();
  // Remote files of the composition, answered from the content cache (src/remote/dev-proxy.ts).
  const remote: RemoteProxy | null = ctx.logger ? createRemoteProxy(ctx.logger) : null;
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const foreign = foreignRequest(req, ctx.host);
    if (foreign) {
      const message = `Blocked request: ${foreign}. Open the URL framesmith dev printed.`;
      // The render panel's API speaks JSON, its refusals too.
      if (rawPath(req).startsWith(STUDIO_API_PATH)) return sendJson(res, 403, { error: { code: 'dev_request_refused', message } });
      return sendText(res, 403, message);
    }
    const path = rawPath(req);
    const url = new URL(req.url ?? '/', 'http://dev.local');
    const head = req.method === 'HEAD';
    const readOnly = req.method === 'GET' || head;

    if (path === '/' && readOnly) {
      res.writeHead(302, { location: `${DEV_PAGE_PATH}${url.search}` });
      return void res.end();
    }
    if (path.startsWith(STUDIO_API_PATH) && ctx.studio) return ctx.studio.handle(req, res, path, url);
    if (path.startsWith(DEV_PREFIX)) {
      if (req.method === 'POST' && (path === DEV_BOOT_PATH || path === DEV_EDITOR_PATH)) return servePost(req, path, res);
      if (!readOnly) return sendText(res, 405, 'Method not allowed');
      return serveOwn(req, path, url, res, head);
    }

    if (path === OPEN_IN_EDITOR) return openInEditor(req, res, url);
    const verdict = await checkRequestPath(ctx.root, ctx.allowedOutside, path);
    if (!verdict.ok) return sendText(res, verdict.status, verdict.reason);
    if (verdict.file && readOnly) {
      const ext = extname(verdict.file).toLowerCase();
      if ((ext === '.html' || ext === '.htm') && !url.searchParams.has('html-proxy')) {
        const rel = relative(ctx.root, verdict.file).split(sep).join('/');
        if (isDocumentRequest(req)) {
          const html = await composeDocument(
            ctx.root,
            rel,
            path,
            url.searchParams.get(DEV_BOOT_PARAM),
            runtimeUrl,
            ctx.vite,
            fontPages,
            (ref) => ctx.stash.get(ref),
          );
          return sendBody(res, html, 'text/html; charset=utf-8', head);
        }
        // A sub-composition the runtime fetches: with the engine's generic-family rewrite, and its
        // remote URLs pointed at the remote-file endpoint.
        if (!isModuleRequest(req, url, verdict.file)) {
          const fragment = servedFragment(rel, await fs.readFile(verdict.file, 'utf8'), fontPages);
          return sendBody(res, remote ? proxyRemoteUrlsInHtml(fragment) : fragment, 'text/html; charset=utf-8', head);
        }
      }
      if (!isModuleRequest(req, url, verdict.file)) {
        // Sub-compositions and stylesheets get their remote URLs pointed at the remote-file endpoint.
        const proxied = remote && (ext === '.html' || ext === '.htm' || ext === '.css') ? await proxiedText(verdict.file, ext) : null;
        if (proxied !== null) return sendBody(res, proxied, ext === '.css' ? 'text/css; charset=utf-8' : 'text/html; charset=utf-8', head);
        return sendFile(req, res, verdict.file, { head, maxAge: req.headers[DEV_CACHED_FILES_HEADER] ? 3600 : undefined });
      }
    }
    return passToVite(req, res);
  }

  /** The file's text with remote URLs pointed at the endpoint, or null when it has none. */
  async function proxiedText(file: string, ext: string): Promise<string | null> {
    const text = await fs.readFile(file, 'utf8');
    const out = ext === '.css' ? proxyRemoteUrlsInCss(text) : proxyRemoteUrlsInHtml(text);
    return out === text ? null : out;
  }

  async function serveOwn(req: IncomingMessage, path: string, url: URL, res: ServerResponse, head: boolean): Promise<void> {
    if (remote && path.startsWith(REMOTE_PROXY_PREFIX)) return remote.handle(req, res, path + url.search);
    if (path === DEV_PAGE_PATH) return sendBody(res, shellPage(ctx.page), 'text/html; charset=utf-8', head);
    if (path === RUNTIME_URL_PATH) return sendFile(req, res, RUNTIME_FILE, { head, immutable: url.searchParams.has('v') });
    if (path === `${RUNTIME_URL_PATH}.map`) return sendFile(req, res, join(RUNTIME_DIST, 'runtime.js.map'), { head });
    if (path.startsWith(DEV_ASSETS_PATH) && OVERLAY_FILES.has(path.slice(DEV_ASSETS_PATH.length))) {
      return sendFile(req, res, join(PREVIEW_DIST, path.slice(DEV_ASSETS_PATH.length)), { head });
    }
    if (path.startsWith(FONT_URL_PREFIX)) {
      const font = servedFontFile(path);
      return font ? sendFile(req, res, font, { head, immutable: true }) : sendText(res, 404, 'Not found');
    }
    if (path.startsWith(DEV_THUMB_PATH)) {
      const jpeg = ctx.thumb(path.slice(DEV_THUMB_PATH.length).replace(/\.jpg$/, ''));
      if (!jpeg) return sendText(res, 404, 'Not found');
      res.writeHead(200, {
        'content-type': 'image/jpeg',
        'content-length': jpeg.length,
        'cache-control': 'private, max-age=3600, immutable',
      });
      return void res.end(head ? undefined : jpeg);
    }
    if (path === DEV_STATE_PATH) {
      const state = await ctx.state(url.searchParams.get('composition') || ctx.page.defaultComposition);
      return sendBody(res, JSON.stringify(state), 'application/json; charset=utf-8', head);
    }
    return sendText(res, 404, 'Not found');
  }

  /**
   * Vite's `/__open-in-editor?file=…` opens a file in the user's editor. Only the preview's own
   * pages get here (the gate above), and only for a file the policy serves: a project file,
   * named as Vite's overlay names it (absolute, or from the project root), with `:line:col`.
   */
  async function openInEditor(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const m = /^(.*?)(:\d+(?::\d+)?)?$/.exec(url.searchParams.get('file') ?? '');
    const file = m?.[1] ?? '';
    if (!file) return sendText(res, 404, 'Not found');
    const abs = isAbsolute(file) ? file : join(ctx.root, file);
    if ((await checkAbsolutePath(ctx.root, [], abs)) !== 'ok') return sendText(res, 404, 'Not found');
    req.url = `${OPEN_IN_EDITOR}?file=${encodeURIComponent(abs + (m?.[2] ?? ''))}`;
    return passToVite(req, res);
  }

  /**
   * The page's POSTs (stashing a large boot, opening the editor): only from the server's own
   * origin (another site's page must not make the server start programs) and with a JSON body.
   */
  async function servePost(req: IncomingMessage, path: string, res: ServerResponse): Promise<void> {
    if (!isOwnOrigin(req.headers.origin, req.headers.host, ctx.host))
      return sendText(res, 403, 'Forbidden: only the preview page may ask this');
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return sendText(res, 415, 'Send JSON');
    const body = await readBody(req, path === DEV_BOOT_PATH ? BOOT_BODY_LIMIT : 64 * 1024);
    if (body === null)
      return sendJson(res, 413, {
        ok: false,
        message: `Too large: the limit is ${path === DEV_BOOT_PATH ? BOOT_BODY_LIMIT / 1024 / 1024 + ' MB' : '64 KB'}.`,
      });
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return sendJson(res, 400, { ok: false, message: 'The body is not JSON.' });
    }
    if (path === DEV_BOOT_PATH) {
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
        return sendJson(res, 400, { ok: false, message: 'Send a boot object.' });
      return sendJson(res, 200, { ok: true, ref: ctx.stash.put(body) });
    }
    const r = parsed as Partial<OpenRequest>;
    const result = await ctx.openInEditor({ file: String(r.file ?? ''), line: Number(r.line), column: Number(r.column) });
    return sendJson(res, result.ok ? 200 : result.status, result);
  }

  async function passToVite(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const vite = await ctx.vite();
    maskRefusals(res);
    vite.middlewares(req, res, (error?: unknown) => {
      if (error) sendText(res, 500, publicMessage(String((error as Error).message ?? error), ctx.root));
      else sendText(res, 404, 'Not found');
    });
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) =>
      sendText(res, 500, `framesmith dev: ${publicMessage(String((error as Error).message ?? error), ctx.root)}`),
    );
  };
}
