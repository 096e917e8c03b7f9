/**
 * Binds the dev server's one HTTP server: 127.0.0.1 unless the user asks for another host, and
 * when the port is taken, the next free one (the caller says so). The socket is bound before
 * Vite has loaded, so the URL can be printed at once; requests wait for Vite inside the server.
 */
import type { Server } from 'node:http';
import { isIPv4, type AddressInfo } from 'node:net';
import { FramesmithError } from '../core/errors.js';

/** How many ports above the asked one are tried before giving up. */
const PORT_ATTEMPTS = 20;

/** `--host` given as a flag without a value means every interface. */
export function resolveHost(host: string | boolean | undefined): string {
  if (host === true || host === '') return '0.0.0.0';
  if (typeof host === 'string') return host;
  return '127.0.0.1';
}

function tryListen(server: Server, port: number, host: string): Promise<'ok' | 'busy'> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') resolve('busy');
      else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve('ok');
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Listens on `port` or the next free one; resolves with the port bound. Port 0 picks any free port. */
export async function listenWithFallback(server: Server, port: number, host: string): Promise<number> {
  for (let attempt = 0; attempt < (port === 0 ? 1 : PORT_ATTEMPTS); attempt++) {
    const candidate = port === 0 ? 0 : port + attempt;
    if (candidate > 65535) break;
    let outcome: 'ok' | 'busy';
    try {
      outcome = await tryListen(server, candidate, host);
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      throw new FramesmithError('dev_listen_failed', `Could not listen on ${host}:${candidate}: ${e.code ?? e.message}.`, {
        hint:
          e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN'
            ? `--host ${host} is not an address of this machine (to listen on every interface, write --host=0.0.0.0).`
            : e.code === 'EACCES'
              ? 'Use a port above 1024 (--port 5173).'
              : 'Try another --port.',
        cause: error,
      });
    }
    if (outcome === 'ok') return (server.address() as AddressInfo).port;
  }
  throw new FramesmithError('dev_port_busy', `Ports ${port}–${Math.min(65535, port + PORT_ATTEMPTS - 1)} are all in use.`, {
    hint: 'Stop the other servers or pass another --port.',
  });
}

/** Whether a listen address only reaches this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1') return true;
  if (isIPv4(h)) return h.startsWith('127.');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  return mapped ? mapped[1].startsWith('127.') : false;
}

/** The URL to print: a wildcard host is shown as localhost, IPv6 in brackets. */
export function displayOrigin(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}
