/**
 * `createDevServer()`: the live preview of a composition project. One HTTP server on 127.0.0.1
 * (framesmith's middleware in front of Vite in middleware mode), the preview page at
 * /__framesmith/, a websocket telling the page what changed, Vite's watcher as the only watcher.
 * The socket is bound first and Vite loads behind it, so the URL is known at once; the returned
 * `ready` resolves when Vite and its watcher are up. Signals are the caller's business: this
 * function only starts and, on `close()`, stops.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { ViteDevServer } from 'vite';
import { silentLogger, type Logger } from '../core/logger.js';
import { PACKAGE_VERSION } from '../core/paths.js';
import { DEV_PAGE_PATH, type DevClientMessage, type DevServerMessage } from '../../shared/dev-protocol.js';
import { createBootStash } from './boot-stash.js';
import { createChangeBatcher, type FileStamp } from './changes.js';
import { openInEditor } from './editor.js';
import { createFilmstrip } from './filmstrip.js';
import { createHotUpdates } from './hot-updates.js';
import { checkEntry, projectFolder } from './project-folder.js';
import { createChannel } from './channel.js';
import { displayOrigin, listenWithFallback, resolveHost } from './listen.js';
import { createLazyStart, type LazyStart } from './lazy-start.js';
import { openBrowser } from './open-browser.js';
import { createStateStore } from './project-state.js';
import { createReporter } from './report.js';
import { createViteApp } from './vite-app.js';
import { ensurePrivateDir, userCacheRoot } from '../security/private-dir.js';
import { isFramesmithError } from '../core/errors.js';

export interface DevServerOptions {
  /** Project folder. */
  dir: string;
  /** Port to try first (default 5173); a busy port moves to the next free one. 0 = any free port. */
  port?: number;
  /** false (default): 127.0.0.1 only. true: every interface. A string: that address. */
  host?: boolean | string;
  /** Open the preview in the default browser. */
  open?: boolean;
  /** Entry HTML shown first (default index.html). */
  composition?: string;
  /** The folder as the user wrote it, for copied commands (default `dir`). */
  dirLabel?: string;
  logger?: Logger;
  /** Editor command for the preview's file:line links (default: LAUNCH_EDITOR, VISUAL, EDITOR, the editor running). */
  editor?: string;
  /** A CSV or JSON file of rows for the dataset view (`--data`). */
  data?: string;
  /** Local renders of the render panel at once (default 1). */
  renderSlots?: number;
  /** Knobs of the render panel and dataset view (tests, benchmarks). */
  studio?: Pick<import('./studio.js').StudioOptions, 'cloudPollMs' | 'env' | 'reveal' | 'thumbnailPages'>;
}

export interface DevServer {
  /** The preview page, e.g. `http://127.0.0.1:5173/__framesmith/`. */
  readonly url: string;
  /** `http://127.0.0.1:5173` */
  readonly origin: string;
  readonly port: number;
  /** The address listened on (127.0.0.1 unless asked otherwise). */
  readonly host: string;
  /** Resolves when Vite and its file watcher are running (edits before it may be missed). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Where Vite keeps the pre-bundled dependencies the preview runs: `<cache>/vite/<project hash>`
 * in the user's own cache folder, private (0700) and checked; when that folder cannot be used,
 * the project's `node_modules/.framesmith/vite` (a project with dependencies has node_modules).
 */
async function viteCacheDir(root: string, logger: Logger): Promise<string> {
  const base = userCacheRoot();
  try {
    return await ensurePrivateDir(base, join(base, 'vite', createHash('sha1').update(root).digest('hex').slice(0, 12)));
  } catch (error) {
    const local = join(root, 'node_modules', '.framesmith');
    if (!isFramesmithError(error) || !existsSync(join(root, 'node_modules'))) throw error;
    logger.warn(`${error.message} Using ${join(local, 'vite')} instead.`, error.code);
    return ensurePrivateDir(local, join(local, 'vite'));
  }
}

/** Starts the dev server; resolves once it listens. */
export async function createDevServer(options: DevServerOptions): Promise<DevServer> {
  const logger = options.logger ?? silentLogger;
  const root = await projectFolder(resolve(options.dir));
  const composition = options.composition ?? 'index.html';
  await checkEntry(root, composition);
  if (options.data) await (await import('./dataset.js')).checkDataFile(options.data);
  const host = resolveHost(options.host);
  const cacheDir = await viteCacheDir(root, logger);
  const viteClientDir = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'dist', 'client');
  const allowedOutside = [cacheDir, viteClientDir];

  const store = createStateStore(root, logger);
  const reporter = createReporter(logger);
  const stash = createBootStash();
  let ownOrigin = '';
  const filmstrip = createFilmstrip({
    origin: () => ownOrigin,
    async size(c) {
      const state = await store.get(c).catch(() => null);
      const comp = state?.model?.composition;
      return comp && comp.width > 0 && comp.height > 0 ? { width: comp.width, height: comp.height } : null;
    },
    generation: () => store.generation,
    stashed: (ref) => stash.get(ref),
    stash: (json) => stash.put(json),
    logger,
  });
  // Assigned below, once the channel and batcher it reports to exist; used only after that.
  let viteStart: LazyStart<ViteDevServer>;
  const vite = () => viteStart.get();

  let channelRef: { broadcast(m: DevServerMessage): void } | null = null;
  // The render panel and dataset view (render queue, thumbnails): loaded with the handler.
  const studio = import('./studio.js').then(({ createStudio }) =>
    createStudio({
      root,
      dirLabel: options.dirLabel ?? options.dir,
      host,
      defaultComposition: composition,
      state: (c) => store.get(c),
      generation: () => store.generation,
      origin: () => ownOrigin,
      send: (event) => channelRef?.broadcast({ type: 'studio', event }),
      logger,
      dataFile: options.data,
      slots: options.renderSlots,
      ...options.studio,
    }),
  );
  // The request handler (and the HTML parser it uses) loads while the socket is already bound.
  const handler = Promise.all([import('./middleware.js'), studio]).then(([{ createRequestHandler }, studioApi]) =>
    createRequestHandler({
      root,
      host,
      allowedOutside,
      page: {
        defaultComposition: composition,
        dirLabel: options.dirLabel ?? options.dir,
        version: PACKAGE_VERSION,
        projectId: createHash('sha1').update(root).digest('hex').slice(0, 12),
      },
      state: (c) => store.get(c),
      vite,
      stash,
      openInEditor: (req) => openInEditor(root, req, { editor: options.editor }),
      thumb: (id) => filmstrip.thumb(id),
      studio: studioApi,
      logger,
    }),
  );
  const httpServer = createServer((req, res) => {
    viteStart?.requestStarted();
    res.once('close', () => viteStart?.requestEnded());
    handler.then(
      (handle) => handle(req, res),
      (error: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`framesmith dev failed to start: ${error.message}`),
    );
  });
  // Open keep-alive sockets would hold close() open.
  httpServer.keepAliveTimeout = 1000;
  const wanted = options.port ?? 5173;
  const port = await listenWithFallback(httpServer, wanted, host);
  if (wanted !== 0 && port !== wanted) logger.warn(`port ${wanted} is in use; using ${port} instead`);
  const origin = displayOrigin(host, port);
  // The filmstrip's and thumbnails' browsers talk to this server directly, on the address it listens on.
  ownOrigin = `http://${host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host}:${port}`;

  let depsReloadedAt = 0;
  const channel = createChannel({
    httpServer,
    host,
    onMessage(client, message: DevClientMessage) {
      // The page fetches its state itself when it is ready for it; the channel only pushes changes.
      if (message.type === 'watch' && typeof message.composition === 'string') {
        client.composition = message.composition;
        // Dependencies re-bundled before this page connected: its modules may be stale.
        if (Date.now() - depsReloadedAt < 10_000) client.send({ type: 'deps-reload' });
      } else if (message.type === 'runtime-problems' && Array.isArray(message.problems)) {
        reporter.runtime(String(message.composition), message.problems);
      } else if (message.type === 'updated') {
        hot.pageUpdated(Number(message.generation));
      } else if (message.type === 'filmstrip') {
        filmstrip.request(client, message);
      } else if (message.type === 'busy') {
        filmstrip.busy(message.ms);
      }
    },
    onClose: (client) => filmstrip.forget(client),
  });
  channelRef = channel;

  let watcherReady: () => void = () => {};
  const watching = new Promise<void>((r) => (watcherReady = r));
  const hot = createHotUpdates({ store, channel, reporter, logger, composition });
  const batcher = createChangeBatcher({
    root,
    onBatch: (b) => {
      void hot.onBatch(b).catch((e) => logger.error(`dev: ${(e as Error).stack ?? e}`));
      void studio.then(
        (s) => s.filesChanged(b.files),
        () => {},
      );
    },
  });

  viteStart = createLazyStart(
    () => (
      store.warm(),
      createViteApp({
        root,
        cacheDir,
        allowedOutside,
        httpServer,
        logger,
        onModuleProblem: (problem) => channel.broadcast({ type: 'module-problem', problem }),
        onDepsReload: () => {
          depsReloadedAt = Date.now();
          channel.broadcast({ type: 'deps-reload' });
        },
        onWatcher(watcher) {
          for (const event of ['add', 'change', 'unlink'] as const)
            watcher.on(event, (path: string, stats?: FileStamp) => batcher.add(event, path, stats));
          // chokidar says `ready` once it has read the tree; edits made before that are not seen.
          watcher.once('ready', () => watcherReady());
        },
      })
    ),
  );

  const ready = (async () => {
    await viteStart.settled;
    await watching;
    reporter.state(await store.get(composition));
  })();
  ready.catch(() => {});

  const url = `${origin}${DEV_PAGE_PATH}`;
  if (options.open) openBrowser(composition === 'index.html' ? url : `${url}?composition=${encodeURIComponent(composition)}`, logger);

  let closing: Promise<void> | undefined;
  return {
    url,
    origin,
    port,
    host,
    ready,
    close() {
      closing ??= (async () => {
        batcher.close();
        await filmstrip.close();
        // Renders in progress are cancelled and clean up before the server goes.
        await studio.then(
          (s) => s.close(),
          () => {},
        );
        await channel.close();
        viteStart.cancel();
        const v = viteStart.started ? await viteStart.get().catch(() => undefined) : undefined;
        await v?.close();
        httpServer.closeAllConnections();
        await new Promise<void>((r) => httpServer.close(() => r()));
      })();
      return closing;
    },
  };
}
