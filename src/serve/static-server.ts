/**
 * A small static file server on 127.0.0.1 for headless work (snapshot, render, build check): it
 * serves one project folder with the runtime injected into HTML pages. What it serves is decided
 * by the file-access policy (src/security/file-policy.ts): nothing outside the folder, no
 * dotfiles or secrets, also through symlinks; refused files answer 404 like missing ones. It
 * supports byte ranges (media seeking needs them) and keeps injected pages in memory for
 * repeated loads.
 * The dev server does not use this: it is Vite's server with the same injection.
 */
import { promises as fs } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, relative, sep } from 'node:path';
import { contentType, sendFile, sendText } from './send-file.js';
import type { BootOptions } from '../../shared/control.js';
import { RUNTIME_DIST } from '../core/paths.js';
import { injectRuntime, RUNTIME_URL_PATH } from './inject.js';
import { resolveProjectPath } from './safe-path.js';
import type { Refusal } from '../security/file-policy.js';
import { FramesmithError } from '../core/errors.js';
import { servedFontFile, servedFontPage, servedFragment, type FontPageCache } from '../fonts/serve.js';

export interface StaticServerOptions {
  /** Project folder to serve. */
  root: string;
  /** Boot options for pages loaded without a `?fsboot=` key. */
  boot?: BootOptions;
  /** Inject the runtime into HTML pages (default true). */
  inject?: boolean;
  host?: string;
  port?: number;
}

export interface StaticServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** URL of a project file, optionally with the boot options registered under `bootKey`. */
  url(file: string, bootKey?: string): string;
  /** Registers boot options for pages loaded with `?fsboot=<key>` (e.g. one per batch row). */
  setBoot(key: string, boot: BootOptions): void;
  /**
   * Serves the files of `dir` under the URL path `prefix` (e.g. a render's decoded video frames),
   * cached by the browser for the page's life since they never change.
   */
  mount(prefix: string, dir: string): void;
  /** Files requested that do not exist (for the build check's report). */
  readonly missing: string[];
  /** Files requested that exist but the file-access policy refuses, with why. */
  readonly refused: { path: string; refusal: Refusal }[];
  close(): Promise<void>;
}

/** Starts the server; resolves once it listens. */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const root = await fs.realpath(options.root);
  const boots = new Map<string, BootOptions>([['', options.boot ?? {}]]);
  const pageCache = new Map<string, { text: string }>();
  const fontPages: FontPageCache = new Map();
  const missing: string[] = [];
  const refused: { path: string; refusal: Refusal }[] = [];
  const inject = options.inject ?? true;
  const mounts = new Map<string, string>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed');
    if (url.pathname === RUNTIME_URL_PATH || url.pathname === `${RUNTIME_URL_PATH}.map`) {
      return sendFile(req, res, join(RUNTIME_DIST, url.pathname.endsWith('.map') ? 'runtime.js.map' : 'runtime.js'), {
        head: req.method === 'HEAD',
      });
    }
    const font = servedFontFile(url.pathname);
    if (font) return sendFile(req, res, font, { head: req.method === 'HEAD', immutable: true });
    for (const [prefix, dir] of mounts) {
      if (!url.pathname.startsWith(`${prefix}/`)) continue;
      const file = await resolveProjectPath(dir, url.pathname.slice(prefix.length));
      if (!file.ok) return sendText(res, file.status, file.reason);
      return sendFile(req, res, file.path, { head: req.method === 'HEAD', immutable: true });
    }
    const resolved = await resolveProjectPath(root, url.pathname);
    if (!resolved.ok) {
      if (resolved.refusal) refused.push({ path: resolved.asked ?? url.pathname, refusal: resolved.refusal });
      else missing.push(url.pathname);
      return sendText(res, resolved.status, resolved.reason);
    }
    const ext = extname(resolved.path).toLowerCase();
    if (inject && (ext === '.html' || ext === '.htm')) {
      const rel = relative(root, resolved.path).split(sep).join('/');
      let text: string;
      if (isDocumentRequest(req)) {
        // The composition with the faces HeyGen's engine would give it, then the runtime.
        const page = await servedFontPage(root, rel, fontPages);
        const key = `${resolved.path}?${url.searchParams.get('fsboot') ?? ''}`;
        let cached = pageCache.get(key);
        if (!cached || !page.fresh) {
          const boot = boots.get(url.searchParams.get('fsboot') ?? '') ?? boots.get('')!;
          cached = { text: injectRuntime(page.html, boot) };
          pageCache.set(key, cached);
        }
        text = cached.text;
      } else {
        // A sub-composition the runtime fetches: the engine's generic-family rewrite only.
        text = servedFragment(rel, await fs.readFile(resolved.path, 'utf8'), fontPages);
      }
      res.writeHead(200, { 'content-type': contentType(resolved.path), 'cache-control': 'no-store' });
      return void res.end(req.method === 'HEAD' ? undefined : text);
    }
    return sendFile(req, res, resolved.path, { head: req.method === 'HEAD' });
  }

  const server: Server = createServer((req, res) => {
    // The message of an unexpected failure stays in this process: an error page shows no paths.
    handle(req, res).catch(() => sendText(res, 500, 'Internal error'));
  });
  // Keep-alive sockets would hold close() open; the browser reconnects as needed.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) =>
      reject(new FramesmithError('server_failed', `Could not start the local file server: ${(e as Error).message}`)),
    );
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${options.host ?? '127.0.0.1'}:${port}`;

  return {
    origin,
    missing,
    refused,
    url(file, bootKey) {
      const path = file.split('/').map(encodeURIComponent).join('/');
      return `${origin}/${path}${bootKey ? `?fsboot=${encodeURIComponent(bootKey)}` : ''}`;
    },
    mount(prefix, dir) {
      mounts.set(prefix.replace(/\/+$/, ''), dir);
    },
    setBoot(key, boot) {
      boots.set(key, boot);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Pages loaded as documents get the runtime; fetches of a sub-composition file get it as written. */
export function isDocumentRequest(req: IncomingMessage): boolean {
  const dest = req.headers['sec-fetch-dest'];
  return dest === undefined || dest === 'document' || dest === 'iframe' || dest === 'frame';
}
