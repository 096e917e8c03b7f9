/**
 * The cloud client's one way to send an HTTP request (node:http/https, no fetch). It exists for
 * what fetch does not give: redirects are never followed here (the caller decides, see http.ts),
 * a deadline covers the whole exchange up to the last byte of the body (a body that stalls or
 * trickles a byte at a time fails on time), a progress watchdog for long transfers, and an address
 * check at connect time for links that came from the server (net-policy.ts).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { guardedLookup, refuseAddress, type LinkPolicy } from './net-policy.js';

/** Why a request did not complete. `refused`: framesmith would not connect (see net-policy.ts). */
export type TransportFailure = 'timeout' | 'stalled' | 'network' | 'refused' | 'aborted' | 'too_large';

export class TransportError extends Error {
  constructor(
    readonly kind: TransportFailure,
    message: string,
    /** The system error code (`ECONNRESET`, `ENOTFOUND`…) when there is one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface TransportRequest {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  /** The body: bytes, or a function returning a fresh stream (with `bodyLength`) for each attempt. */
  body?: Buffer | string | (() => Readable);
  signal?: AbortSignal;
  /** Whole-exchange limit in ms, from sending to the last byte received; 0 = none. */
  deadlineMs?: number;
  /** Fails with `stalled` when fewer than `minBytes` moved (either way) in any `windowMs`. */
  stall?: { windowMs: number; minBytes: number };
  /** Links from the server: the address is checked before connecting. */
  policy?: LinkPolicy;
  /** Bytes of a streamed body sent so far (upload progress). */
  onSent?(bytes: number): void;
  /** Bytes of the response body received so far. */
  onReceived?(bytes: number): void;
}

export interface TransportResponse {
  status: number;
  headers: Headers;
  /** The body; errors with a TransportError when the deadline, the watchdog or the network ends it. */
  body: Readable;
  /** Reads the whole body as text (at most `limit` bytes, default 16 MB). */
  text(limit?: number): Promise<string>;
  /** Drops the body (and the connection) without reading it. */
  discard(): void;
}

// API calls reuse connections (a batch polls many renders); idle sockets do not keep the process alive.
const apiAgents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

function describeNetworkError(error: NodeJS.ErrnoException): TransportError {
  if (error instanceof TransportError) return error;
  if (error.code === 'FRAMESMITH_REFUSED_ADDRESS') return new TransportError('refused', error.message, error.code);
  return new TransportError('network', error.code ? `${error.code}` : error.message, error.code);
}

/** `60`, `2`, `0.4`: seconds for messages. */
const seconds = (ms: number) => String(Number((ms / 1000).toFixed(1)));

/** Sends one request; resolves once the status line and headers arrived. */
export function send(req: TransportRequest): Promise<TransportResponse> {
  return new Promise((resolve, reject) => {
    const { url } = req;
    const https = url.protocol === 'https:';
    if (!https && url.protocol !== 'http:') return reject(new TransportError('refused', `${url.protocol} URLs are not fetched`));
    if (req.signal?.aborted) return reject(new TransportError('aborted', 'stopped'));
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (req.policy && isIP(host)) {
      const why = refuseAddress(host, req.policy);
      if (why) return reject(new TransportError('refused', why));
    }

    let settled = false;
    let response: IncomingMessage | null = null;
    /** Bytes of the answer received so far. */
    let moved = 0;
    let failure: TransportError | null = null;
    const timers: NodeJS.Timeout[] = [];
    const cleanup = () => {
      for (const t of timers) {
        clearTimeout(t);
        clearInterval(t);
      }
      req.signal?.removeEventListener('abort', onAbort);
    };
    // Ends everything with `error`: the pending promise, or the body stream already handed out.
    const fail = (error: TransportError) => {
      if (failure) return;
      failure = error;
      cleanup();
      if (response) response.destroy(error);
      outgoing.destroy(error);
      if (!settled) {
        settled = true;
        reject(error);
      }
    };
    const onAbort = () => fail(new TransportError('aborted', 'stopped'));

    const headers: OutgoingHttpHeaders = { ...req.headers };
    const outgoing = (https ? httpsRequest : httpRequest)(url, {
      method: req.method,
      headers,
      // Links from the server get a fresh connection whose address is checked; API calls reuse theirs.
      agent: req.policy ? false : https ? apiAgents.https : apiAgents.http,
      lookup: req.policy ? (guardedLookup(req.policy) as never) : undefined,
    });
    req.signal?.addEventListener('abort', onAbort, { once: true });
    if (req.deadlineMs && req.deadlineMs > 0) {
      timers.push(
        setTimeout(() => fail(new TransportError('timeout', `no complete answer within ${seconds(req.deadlineMs!)} s`)), req.deadlineMs),
      );
    }
    if (req.stall) {
      const { windowMs, minBytes } = req.stall;
      // Progress both ways: bytes received, and bytes the socket took (not bytes handed to it).
      const progress = () => moved + (outgoing.socket?.bytesWritten ?? 0);
      let last = 0;
      let graceUntil = 0;
      const started = Date.now();
      // Once the whole body is handed to the socket, the system's send buffer may still hold a few
      // MB that drain at the link's pace with no visible progress: allow that long before the answer.
      outgoing.on('finish', () => {
        const rate = (outgoing.socket?.bytesWritten ?? 0) / Math.max(1, Date.now() - started); // bytes per ms
        graceUntil = Date.now() + Math.min(10 * 60_000, Math.max(4 * windowMs, (8 * 1024 * 1024) / Math.max(rate, 1)));
      });
      timers.push(
        setInterval(() => {
          const now = progress();
          if (now - last < minBytes && !response && Date.now() < graceUntil) return;
          if (now - last < minBytes) fail(new TransportError('stalled', `less than ${minBytes} bytes moved in ${seconds(windowMs)} s`));
          last = now;
        }, windowMs),
      );
    }

    outgoing.on('error', (e: NodeJS.ErrnoException) => fail(describeNetworkError(e)));
    outgoing.on('response', (res) => {
      response = res;
      res.on('data', (chunk: Buffer) => {
        moved += chunk.length;
        req.onReceived?.(moved);
      });
      // The counter above must not start the flow: the body waits for its reader (pipe or text()).
      res.pause();
      res.on('end', cleanup);
      res.on('error', (e: NodeJS.ErrnoException) => {
        // A connection cut mid-body: the body stream errors with it (see `text()` and the downloads).
        if (!failure)
          fail(describeNetworkError(e.code === 'ECONNRESET' || e.message === 'aborted' ? Object.assign(e, { code: 'ECONNRESET' }) : e));
      });
      res.on('aborted', () => fail(new TransportError('network', 'ECONNRESET', 'ECONNRESET')));
      const h = new Headers();
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
      settled = true;
      resolve({
        status: res.statusCode ?? 0,
        headers: h,
        body: res,
        text: (limit = 16 * 1024 * 1024) =>
          new Promise<string>((done, bad) => {
            const chunks: Buffer[] = [];
            let size = 0;
            if (failure) return bad(failure);
            res.on('data', (c: Buffer) => {
              size += c.length;
              if (size > limit) fail(new TransportError('too_large', `the answer is over ${limit} bytes`));
              else chunks.push(c);
            });
            res.on('error', (e) => bad(failure ?? describeNetworkError(e as NodeJS.ErrnoException)));
            res.on('end', () => (failure ? bad(failure) : done(Buffer.concat(chunks).toString('utf8'))));
            res.resume();
          }),
        discard: () => {
          cleanup();
          res.destroy();
        },
      });
    });

    const body = req.body;
    if (body === undefined) outgoing.end();
    else if (typeof body === 'string' || Buffer.isBuffer(body)) outgoing.end(body);
    else {
      const stream = body();
      let read = 0;
      stream.on('data', (c: Buffer) => {
        read += c.length;
        req.onSent?.(read);
      });
      stream.on('error', (e: NodeJS.ErrnoException) => fail(new TransportError('network', `reading the file: ${e.message}`, e.code)));
      stream.pipe(outgoing);
    }
  });
}
