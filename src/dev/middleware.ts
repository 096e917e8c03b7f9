/**
 * Every request to the dev server passes here first. framesmith answers its own URLs (the
 * preview page and UI, the runtime, the state API) and the files a render loads untouched
 * (composition documents with the runtime injected, classic scripts, stylesheets, sub-composition
 * HTML); everything else (module scripts, images, fonts, media, Vite's URLs) goes on to Vite,
 * after the gate in request-guard.ts has allowed it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import type { ViteDevServer } from 'vite';
import { RUNTIME_DIST } from '../core/paths.js';
import { RUNTIME_URL_PATH } from '../serve/inject.js';
import { isDocumentRequest } from '../serve/static-server.js';
import { DEV_ASSETS_PATH, DEV_BOOT_PARAM, DEV_PAGE_PATH, DEV_PREFIX, DEV_STATE_PATH, type DevPageConfig, type DevState } from '../shared/dev-protocol.js';
import { composeDocument } from './documents.js';
import { checkRequestPath, isAllowedHost, rawPath } from './request-guard.js';
import { sendBody, sendFile, sendText } from './send-file.js';
import { shellPage } from './shell-page.js';

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
}

const OVERLAY_DIST = join(RUNTIME_DIST, 'overlay');
const OVERLAY_FILES = new Set(['overlay.js', 'overlay.css', 'overlay.js.map']);

/** The request handler for the dev server's HTTP server. */
export function createRequestHandler(ctx: MiddlewareContext): (req: IncomingMessage, res: ServerResponse) => void {
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isAllowedHost(req.headers.host, ctx.host)) {
      return sendText(res, 403, `Blocked request: the Host "${req.headers.host ?? ''}" is not this machine. Open the URL framesmith dev printed.`);
    }
    const path = rawPath(req);
    const url = new URL(req.url ?? '/', 'http://dev.local');
    const head = req.method === 'HEAD';
    const readOnly = req.method === 'GET' || head;

    if (path === '/' && readOnly) {
      res.writeHead(302, { location: `${DEV_PAGE_PATH}${url.search}` });
      return void res.end();
    }
    if (path.startsWith(DEV_PREFIX)) {
      if (!readOnly) return sendText(res, 405, 'Method not allowed');
      return serveOwn(path, url, res, head);
    }

    const verdict = await checkRequestPath(ctx.root, ctx.allowedOutside, path);
    if (!verdict.ok) return sendText(res, verdict.status, verdict.reason);
    if (verdict.file && readOnly) {
      const ext = extname(verdict.file).toLowerCase();
      const dest = req.headers['sec-fetch-dest'];
      if (ext === '.html' || ext === '.htm') {
        if (url.searchParams.has('html-proxy')) return passToVite(req, res);
        if (isDocumentRequest(req)) {
          const html = await composeDocument(verdict.file, path, url.searchParams.get(DEV_BOOT_PARAM), ctx.vite);
          return sendBody(res, html, 'text/html; charset=utf-8', head);
        }
        return sendFile(res, verdict.file, { head });
      }
      // What <link rel=stylesheet> and classic <script src> load: the file as written.
      if (dest === 'style' || (dest === 'script' && req.headers['sec-fetch-mode'] === 'no-cors')) {
        return sendFile(res, verdict.file, { head });
      }
    }
    return passToVite(req, res);
  }

  async function serveOwn(path: string, url: URL, res: ServerResponse, head: boolean): Promise<void> {
    if (path === DEV_PAGE_PATH) return sendBody(res, shellPage(ctx.page), 'text/html; charset=utf-8', head);
    if (path === RUNTIME_URL_PATH) return sendFile(res, join(RUNTIME_DIST, 'runtime.js'), { head });
    if (path === `${RUNTIME_URL_PATH}.map`) return sendFile(res, join(RUNTIME_DIST, 'runtime.js.map'), { head });
    if (path.startsWith(DEV_ASSETS_PATH) && OVERLAY_FILES.has(path.slice(DEV_ASSETS_PATH.length))) {
      return sendFile(res, join(OVERLAY_DIST, path.slice(DEV_ASSETS_PATH.length)), { head, cache: 'no-cache' });
    }
    if (path === DEV_STATE_PATH) {
      const state = await ctx.state(url.searchParams.get('composition') || ctx.page.defaultComposition);
      return sendBody(res, JSON.stringify(state), 'application/json; charset=utf-8', head);
    }
    return sendText(res, 404, 'Not found');
  }

  async function passToVite(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const vite = await ctx.vite();
    vite.middlewares(req, res, (error?: unknown) => {
      if (error) sendText(res, 500, String((error as Error).message ?? error));
      else sendText(res, 404, 'Not found');
    });
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => sendText(res, 500, `framesmith dev: ${(error as Error).message ?? error}`));
  };
}
