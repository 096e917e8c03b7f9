// The transport on its own, against tiny loopback servers: the deadline covers the body, the
// watchdog catches stalls both ways, redirects are never followed here, an abort is immediate.
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { send, TransportError } from '../../../src/cloud/transport.js';

async function serve(handler: RequestListener) {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`),
    close: () => (server.closeAllConnections(), new Promise((r) => server.close(r))),
  };
}

describe('send', () => {
  it('the deadline covers the body: headers at once, then a trickle, fails as a timeout', async () => {
    const s = await serve((_q, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      const t = setInterval(() => res.write('x'), 50);
      res.on('close', () => clearInterval(t));
    });
    try {
      const res = await send({ method: 'GET', url: s.url, deadlineMs: 400 });
      expect(res.status).toBe(200);
      const e = await res.text().catch((x) => x);
      expect(e).toBeInstanceOf(TransportError);
      expect([e.kind, e.message]).toEqual(['timeout', 'no complete answer within 0.4 s']);
    } finally {
      await s.close();
    }
  });

  it('the watchdog fails a body that stalls, and an upload the server stops reading', async () => {
    const stall = await serve((_q, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('abc');
    });
    const deaf = await serve((req) => req.pause());
    try {
      const res = await send({ method: 'GET', url: stall.url, stall: { windowMs: 200, minBytes: 10 } });
      expect((await res.text().catch((x) => x)).kind).toBe('stalled');
      // More than the system's buffers hold, so the writes stop while the body is being sent.
      const body = Buffer.alloc(64 * 1024 * 1024, 1);
      const e = await send({
        method: 'PUT',
        url: deaf.url,
        headers: { 'content-length': String(body.length) },
        body: () => Readable.from([body]),
        stall: { windowMs: 300, minBytes: 1024 },
      }).catch((x) => x);
      expect(e).toBeInstanceOf(TransportError);
      expect(e.kind).toBe('stalled');
    } finally {
      await stall.close();
      await deaf.close();
    }
  });

  it('never follows a redirect itself', async () => {
    const s = await serve((_q, res) => res.writeHead(307, { location: 'http://127.0.0.1:9/elsewhere' }).end());
    try {
      const res = await send({ method: 'GET', url: s.url, deadlineMs: 1000 });
      expect([res.status, res.headers.get('location')]).toEqual([307, 'http://127.0.0.1:9/elsewhere']);
      res.discard();
    } finally {
      await s.close();
    }
  });

  it('an abort stops it at once', async () => {
    const s = await serve(() => {});
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const e = await send({ method: 'GET', url: s.url, signal: controller.signal }).catch((x) => x);
      expect(e.kind).toBe('aborted');
    } finally {
      await s.close();
    }
  });
});
