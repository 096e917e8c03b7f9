/**
 * Vite, in middleware mode on the dev server's own HTTP server: it resolves and transforms module
 * scripts (TypeScript, npm imports from the project's node_modules, pre-bundled dependencies),
 * serves images, fonts and media, and owns the one file watcher on the project. framesmith's
 * middleware runs in front of it (see middleware.ts); nothing of Vite's reaches the composition
 * document unless the user's own modules ask for it.
 */
import type { Server } from 'node:http';
import { relative, sep } from 'node:path';
import type { Logger as ViteLogger, Plugin, ViteDevServer } from 'vite';
import { proxyRemoteUrlsInJs, REMOTE_PROXY_PREFIX } from '../remote/dev-proxy.js';
import { defaultRemoteResolver } from '../remote/resolver.js';
import { remoteUrlFromProxyPath } from '../../shared/resource-rules.js';
import type { Logger } from '../core/logger.js';
import { isBelow } from '../core/inside.js';
import type { ProblemData } from '../../shared/diagnostics.js';
import { isWatchIgnored } from './watch-filter.js';
import { filePolicyPlugin } from './vite-policy.js';
import { FILE_REFUSED, REFUSAL_HINT } from '../security/file-policy.js';

export interface ViteAppOptions {
  /** Project folder (a realpath). */
  root: string;
  /** Where Vite keeps pre-bundled dependencies: outside the project, so nothing is written into it. */
  cacheDir: string;
  /** Folders outside the project Vite may read (its cache and client): the file-access policy's exceptions. */
  allowedOutside: string[];
  httpServer: Server;
  logger: Logger;
  /** A module failed to transform (syntax error in a module script, unresolved import). */
  onModuleProblem(problem: ProblemData): void;
  /** Vite re-optimised dependencies: module URLs changed and the iframe must reload. */
  onDepsReload(): void;
  /** Called with Vite's watcher as soon as it exists (before its first scan ends). */
  onWatcher(watcher: ViteDevServer['watcher']): void;
}

type ViteError = Error & { id?: string; loc?: { file?: string; line: number; column: number }; frame?: string; plugin?: string };

/** A Vite transform error as a problem with a project-relative location. */
export function viteErrorProblem(root: string, error: ViteError): ProblemData {
  const file = error.loc?.file ?? error.id?.split('?')[0];
  // Shown project-relative only for a file below the project (the root itself is no file location).
  const inside = file !== undefined && isBelow(root, file);
  const rel = inside ? relative(root, file).split(sep).join('/') : undefined;
  const message = error.message.split('\n')[0].replace(/^\[[^\]]+\]\s*/, '');
  if (error.plugin === 'framesmith:file-policy')
    return { code: FILE_REFUSED, message, hint: REFUSAL_HINT, loc: inside && rel ? { file: rel, line: 0, column: 0 } : undefined };
  return {
    code: 'module_transform_failed',
    message: inside ? message.replace(file!, rel!) : message,
    hint:
      error.plugin === 'vite:import-analysis'
        ? 'Check the import: the package must be installed in the project (npm install) and the path must exist.'
        : 'Fix the module so it parses; the preview reloads when you save.',
    loc: inside && rel ? { file: rel, line: error.loc?.line ?? 0, column: (error.loc?.column ?? -1) + 1 } : undefined,
  };
}

function viteLogger(root: string, logger: Logger, onProblem: (p: ProblemData) => void): ViteLogger {
  const warned = new Set<string>();
  const errored = new WeakSet<object>();
  return {
    hasWarned: false,
    info: (msg) => logger.debug(`vite: ${msg}`),
    warn(msg) {
      this.hasWarned = true;
      logger.warn(`vite: ${msg}`);
    },
    warnOnce(msg) {
      if (warned.has(msg)) return;
      warned.add(msg);
      this.warn(msg);
    },
    error(msg, options) {
      if (options?.error) {
        errored.add(options.error);
        const problem = viteErrorProblem(root, options.error as ViteError);
        onProblem(problem);
        logger.diagnostic({ ...problem, severity: 'error' });
        return;
      }
      logger.error(`vite: ${msg}`);
    },
    clearScreen() {},
    hasErrorLogged: (error) => errored.has(error),
  };
}

/**
 * Module scripts' imports of remote URLs (`import * as THREE from "https://cdn…/three.module.js"`)
 * go to the dev server's remote-file endpoint, which answers from framesmith's cache; Vite leaves
 * those paths alone.
 */
function remoteImportsPlugin(): Plugin[] {
  return [
    {
      // Vite looks at imported modules ahead of the browser: give it the remote file's code. The
      // browser's own request is answered by the dev server's endpoint (a failure is reported there).
      name: 'framesmith:remote-imports-resolve',
      enforce: 'pre',
      resolveId: (id) => (id.startsWith(REMOTE_PROXY_PREFIX) ? id : null),
      async load(id) {
        if (!id.startsWith(REMOTE_PROXY_PREFIX)) return null;
        const url = remoteUrlFromProxyPath(id);
        if (!url) return '';
        try {
          return proxyRemoteUrlsInJs((await defaultRemoteResolver().get(url, 'script')).bytes.toString('utf8'), url);
        } catch {
          return '';
        }
      },
    },
    {
      // After TypeScript is stripped, before Vite reads the imports.
      name: 'framesmith:remote-imports',
      enforce: 'post',
      transform(code, id) {
        if (!/\.(m?[jt]sx?|html)($|\?)/.test(id) || !/(https?:)?\/\//.test(code)) return null;
        const out = proxyRemoteUrlsInJs(code);
        return out === code ? null : { code: out, map: null };
      },
    },
  ];
}

/** Creates Vite on `httpServer` (middleware mode). Loading Vite is the slow part of startup. */
export async function createViteApp(options: ViteAppOptions): Promise<ViteDevServer> {
  const { createServer } = await import('vite');
  const { root } = options;
  const vite = await createServer({
    root,
    configFile: false,
    // A composition project has no Vite config, no .env and no public/ folder of Vite's kind:
    // `public/x.png` must be served at /public/x.png, as the renderer sees it.
    envDir: false,
    publicDir: false,
    appType: 'custom',
    clearScreen: false,
    cacheDir: options.cacheDir,
    // A symlink keeps its own URL (`?import` and import rewriting never show where it points);
    // the gate and the policy plugin judge where it leads.
    resolve: { preserveSymlinks: true },
    customLogger: viteLogger(root, options.logger, options.onModuleProblem),
    server: {
      middlewareMode: true,
      // Vite's channel shares the port; only a module that imports Vite's client ever uses it.
      ws: { server: options.httpServer },
      // framesmith decides what a change does (swap CSS, reload the iframe at the same frame).
      hmr: false,
      fs: { strict: true, allow: [root, options.cacheDir] },
      // No cross-origin reads, not even from other local ports (the gate refuses them first).
      cors: false,
      watch: { ignored: [(path: string) => isWatchIgnored(root, path)] },
    },
    plugins: [
      filePolicyPlugin(root, options.allowedOutside),
      { name: 'framesmith:watcher', configureServer: (server) => options.onWatcher(server.watcher) },
      ...remoteImportsPlugin(),
    ],
  });
  const hot = vite.environments.client.hot;
  const send = hot.send.bind(hot) as (...args: unknown[]) => void;
  // The dependency optimiser announces new bundles with a full reload to Vite's own clients;
  // the preview page is not one, so it hears about it from us.
  (hot as { send: (...args: unknown[]) => void }).send = (...args: unknown[]) => {
    const payload = args[0] as { type?: string } | undefined;
    if (payload && typeof payload === 'object' && payload.type === 'full-reload') options.onDepsReload();
    send(...args);
  };
  return vite;
}
