/**
 * Composition pages (snapshot, render, build check) reach nothing but their own local server.
 * HTTP requests to other origins are intercepted and aborted where the page is opened
 * (composition-page.ts); this module closes every other way out and reports each attempt:
 * - every context gets a proxy of its own that refuses everything (HTTP and CONNECT alike) and
 *   only the page's own server bypasses it, loopback included (`<-loopback>`): a WebSocket, a
 *   worker's fetch, a TURN-over-TCP connection or anything else that escapes interception dies
 *   there, and is listed;
 * - WebSockets are also intercepted by playwright and closed (code 1008) with their URL listed;
 * - WebRTC may not send UDP that does not go through the proxy (so no STUN, no peer traffic),
 *   and a page that creates an RTCPeerConnection has its ICE servers listed (a WebTransport
 *   session its URL);
 * - host names resolve to nothing inside the browser (no DNS lookups, no DNS prefetch), QUIC is
 *   off (no WebTransport), service workers are blocked.
 * Flags are used rather than Chromium's enterprise policy files, which would change the
 * machine's Chromium for every program.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';

/** Chromium flags added to every launch. */
export const ISOLATION_FLAGS = [
  // WebRTC sends only what goes through the (refusing) proxy: no STUN, no direct peer traffic.
  '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
  // No DNS from inside the browser (exfiltration by lookup, prefetch); local servers are IPs.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
  '--disable-quic',
];

interface Isolation {
  blocked: string[];
}

const isolations = new WeakMap<BrowserContext, Isolation>();

/**
 * Reports what leaves without an HTTP request playwright could intercept: RTCPeerConnection's ICE
 * servers and WebTransport sessions (the flags above keep both from sending anything).
 */
const CHANNEL_REPORTER = `(() => {
  const report = globalThis.__framesmithNetworkAttempt;
  if (typeof report !== 'function') return;
  const wrap = (name, describe) => {
    const Original = globalThis[name];
    if (typeof Original !== 'function') return;
    const Reporting = function (...args) {
      try {
        report(describe(...args));
      } catch {}
      return new Original(...args);
    };
    Reporting.prototype = Original.prototype;
    Object.setPrototypeOf(Reporting, Original);
    globalThis[name] = Reporting;
  };
  const ice = (config) => {
    const servers = (config && config.iceServers) || [];
    const urls = servers.flatMap((s) => [].concat((s && (s.urls || s.url)) || []));
    return urls.length ? urls.map(String).join(' ') : 'webrtc:peer-connection';
  };
  wrap('RTCPeerConnection', ice);
  wrap('webkitRTCPeerConnection', ice);
  wrap('WebTransport', (url) => 'webtransport:' + String(url));
})();`;

/** A proxy that refuses everything, listing what was asked for. Closed with its context. */
async function startRefusingProxy(blocked: string[]): Promise<{ url: string; close(): void }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    blocked.push(req.url ?? '');
    res.writeHead(403, { 'content-type': 'text/plain', connection: 'close' });
    res.end('Blocked: composition pages cannot reach the network.');
  });
  server.on('connect', (req, socket: Socket) => {
    blocked.push(`tcp://${req.url ?? ''}`);
    socket.on('error', () => {});
    socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  // The proxy must never keep the process alive (a context left open by a failing caller).
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/**
 * A browser context for composition pages served from `allowOrigins` (their own local server):
 * everything else is refused and listed in `networkAttempts(context)`.
 */
export async function newIsolatedContext(
  browser: Browser,
  allowOrigins: string[],
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const blocked: string[] = [];
  const proxy = await startRefusingProxy(blocked);
  let context: BrowserContext;
  try {
    context = await browser.newContext({
      ...options,
      serviceWorkers: 'block',
      // Bypass rules are host:port; playwright adds `<-loopback>` so other local ports go to the proxy.
      proxy: { server: proxy.url, bypass: allowOrigins.map((o) => new URL(o).host).join(',') },
    });
  } catch (error) {
    proxy.close();
    throw error;
  }
  context.once('close', () => proxy.close());
  try {
    await context.exposeBinding('__framesmithNetworkAttempt', (_source, what: unknown) => void blocked.push(String(what).slice(0, 500)));
    await context.addInitScript({ content: CHANNEL_REPORTER });
    await context.routeWebSocket(
      () => true,
      (ws) => {
        blocked.push(ws.url());
        ws.close({ code: 1008, reason: 'Blocked: composition pages cannot reach the network.' });
      },
    );
  } catch (error) {
    await context.close().catch(() => {});
    throw error;
  }
  isolations.set(context, { blocked });
  return context;
}

/**
 * The list every blocked attempt of the context's pages goes into (the HTTP interception in
 * composition-page.ts adds to it too). Throws for a context not made by newIsolatedContext: a
 * composition page must never run in one.
 */
export function networkAttempts(context: BrowserContext): string[] {
  const isolation = isolations.get(context);
  if (!isolation) throw new Error('framesmith: a composition page was opened in a context without network isolation');
  return isolation.blocked;
}

/** A blocked attempt as a noun phrase: "a request to …", "a WebSocket to …", "a WebRTC connection (…)". */
export function blockedPhrase(entry: string): string {
  if (/^wss?:/i.test(entry)) return `a WebSocket to ${entry}`;
  if (/^(stuns?|turns?):|^webrtc:/i.test(entry)) return `a WebRTC connection (${entry})`;
  if (/^webtransport:/i.test(entry)) return `a WebTransport session to ${entry.slice('webtransport:'.length)}`;
  if (/^tcp:\/\//i.test(entry)) return `a connection to ${entry.slice('tcp://'.length)}`;
  return `a request to ${entry}`;
}
