/**
 * The preview pages' websocket, on the dev server's own port at DEV_WS_PATH. A connection is
 * accepted only from the server's own origin (a page on another site must not read the project's
 * state or push problems into the terminal); other upgrade requests from the own origin are left
 * to Vite's channel, the rest refused.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { DEV_WS_PATH, type DevClientMessage, type DevServerMessage } from '../../shared/dev-protocol.js';
import { foreignRequest, isOwnOrigin, rawPath } from './request-guard.js';

export interface DevClient {
  readonly id: number;
  /** The entry this page shows (from its `watch` message). */
  composition: string | null;
  send(message: DevServerMessage): void;
}

export interface ChannelOptions {
  httpServer: Server;
  host: string;
  onMessage(client: DevClient, message: DevClientMessage): void;
  onClose?(client: DevClient): void;
}

export interface Channel {
  readonly clients: ReadonlySet<DevClient>;
  broadcast(message: DevServerMessage, filter?: (client: DevClient) => boolean): void;
  close(): Promise<void>;
}

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

function parse(data: unknown): DevClientMessage | null {
  try {
    const msg = JSON.parse(String(data)) as DevClientMessage;
    return msg && typeof msg === 'object' && typeof msg.type === 'string' ? msg : null;
  } catch {
    return null;
  }
}

export function createChannel(options: ChannelOptions): Channel {
  // `ws` loads in the background: the first page connects well after the server is up.
  const wssReady: Promise<WebSocketServer> = import('ws').then(
    ({ WebSocketServer }) => new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 }),
  );
  const clients = new Set<DevClient>();
  let nextId = 1;

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Every websocket (ours and Vite's) only from the server's own pages.
    if (foreignRequest(req, options.host) || !isOwnOrigin(req.headers.origin, req.headers.host, options.host))
      return refuse(socket, '403 Forbidden');
    if (rawPath(req) !== DEV_WS_PATH) {
      // Vite answers its own protocols on its path; anything else would hang open.
      const protocol = req.headers['sec-websocket-protocol'];
      if (protocol !== 'vite-hmr' && protocol !== 'vite-ping') refuse(socket, '404 Not Found');
      return;
    }
    wssReady.then(
      (wss) => wss.handleUpgrade(req, socket, head, (ws) => connected(ws)),
      () => refuse(socket, '500 Internal Server Error'),
    );
  };
  options.httpServer.on('upgrade', onUpgrade);

  function connected(ws: WebSocket): void {
    const client: DevClient = {
      id: nextId++,
      composition: null,
      send(message) {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
      },
    };
    clients.add(client);
    ws.on('message', (data) => {
      const msg = parse(data);
      if (msg) options.onMessage(client, msg);
    });
    ws.on('close', () => {
      clients.delete(client);
      options.onClose?.(client);
    });
    ws.on('error', () => ws.terminate());
  }

  return {
    clients,
    broadcast(message, filter) {
      for (const c of clients) if (!filter || filter(c)) c.send(message);
    },
    async close() {
      options.httpServer.off('upgrade', onUpgrade);
      const wss = await wssReady;
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
