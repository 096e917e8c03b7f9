/** `framesmith dev`: the live preview server. Owns the process signals; the server only starts and stops. */
import { networkInterfaces } from 'node:os';
import { createDevServer } from '../dev/index.js';
import { isLoopback } from '../dev/listen.js';
import { FramesmithError } from '../core/errors.js';
import { compositionArg, defineFramesmithCommand, parseNumberFlag } from './define.js';
import { EXIT } from '../core/exit-codes.js';

/** Addresses other machines can use when listening on every interface. */
function networkUrls(port: number): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => `http://${a!.address}:${port}/`);
}

export default defineFramesmithCommand({
  name: 'dev',
  description: 'Preview a composition live: scrubber, variables panel, hot reload',
  examples: [
    'framesmith dev',
    'framesmith dev my-video --port 3000',
    'framesmith dev . --composition vertical.html --open',
    'framesmith dev . --data rows.csv',
  ],
  args: {
    dir: { type: 'positional', required: false, default: '.', description: 'Project folder' },
    port: { type: 'string', valueHint: 'n', description: 'Port to listen on; a busy port moves to the next free one (default 5173)' },
    host: {
      type: 'string',
      valueHint: 'address',
      description:
        'Listen on this address instead of 127.0.0.1 (alone: every interface); beyond loopback the project is served to the network',
    },
    open: { type: 'boolean', description: 'Open the preview in the default browser' },
    data: {
      type: 'string',
      valueHint: 'rows.csv|rows.json',
      description: 'Open the dataset view with these rows (as render --batch reads them)',
    },
    'render-slots': { type: 'string', valueHint: 'n', description: 'Renders of the render panel that run at once, 1–4 (default 1)' },
    ...compositionArg,
  },
  async run({ args, logger }) {
    const started = performance.now();
    const host = args.host;
    if (host !== undefined && host.startsWith('-')) {
      throw new FramesmithError('invalid_option', `--host takes an address, got "${host}".`, {
        hint: 'Write --host=<address> (e.g. --host=192.168.1.20), or --host=0.0.0.0 for every interface.',
        exitCode: EXIT.usage,
      });
    }
    const server = await createDevServer({
      dir: args.dir,
      port: parseNumberFlag(args.port, 'port', { min: 0, max: 65535, integer: true }) ?? 5173,
      host: host === undefined ? false : host === '' ? true : host,
      open: Boolean(args.open),
      composition: args.composition,
      data: args.data,
      renderSlots: parseNumberFlag(args['render-slots'], 'render-slots', { min: 1, max: 4, integer: true }),
      logger,
    });
    if (logger.json) logger.result({ ok: true, url: server.url, port: server.port });
    else logger.result(server.url);
    logger.info(`framesmith dev · ${args.dir}${args.composition ? ` · ${args.composition}` : ''}`);
    logger.info(`  preview  ${server.url}`);
    if (server.host === '0.0.0.0' || server.host === '::') for (const u of networkUrls(server.port)) logger.info(`  network  ${u}`);
    if (!isLoopback(server.host)) {
      logger.warn(
        `the project is served to the network on ${server.host}:${server.port}: anyone who can reach this machine there can open the preview and read the files it serves (dotfiles and secrets excepted).`,
        'dev_network',
      );
    }
    logger.info('  press Ctrl+C to stop');

    const stop = new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    const ready = server.ready.then(
      () => logger.debug(`ready in ${Math.round(performance.now() - started)} ms (Vite and the watcher)`),
      (error: Error) =>
        logger.warn(`Vite did not start (${error.message}): module scripts and hot reload are off; plain files are still served.`),
    );
    await Promise.race([ready.then(() => stop), stop]);
    logger.info('stopping…');
    await server.close();
  },
});
