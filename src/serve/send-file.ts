/**
 * Sends a file exactly as it is on disk, for both of framesmith's servers. The dev server uses it for everything a render also
 * loads untouched (documents' classic scripts, stylesheets, images, fonts, media, sub-composition
 * HTML fetched by the runtime) and for the built preview UI, so the preview runs the bytes a
 * render runs and a classic project never waits for Vite; the static server (snapshot, render,
 * build check) for every file but injected pages. Byte ranges are honoured (media seeks).
 */
import { createReadStream, promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mov': 'video/quicktime',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.vtt': 'text/vtt; charset=utf-8',
};

/** Content type by extension. */
export function contentType(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** A short plain-text answer (errors, refusals). */
export function sendText(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

/** Sends a string body (pages, JSON). */
export function sendBody(res: ServerResponse, body: string, type: string, head = false): void {
  res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(head ? undefined : body);
}

function stream(res: ServerResponse, path: string, range?: { start: number; end: number }): Promise<void> {
  return new Promise((resolve) => {
    const s = createReadStream(path, range);
    s.on('error', () => (res.destroy(), resolve()));
    s.on('end', resolve);
    s.pipe(res);
  });
}

export interface SendFileOptions {
  head?: boolean;
  /** For files that cannot change while the server runs (the built runtime and UI). */
  immutable?: boolean;
  /** Cacheable for this many seconds (a browser that empties its cache itself when files change). */
  maxAge?: number;
}

/**
 * Streams a file. Project files are `no-cache`: the browser asks again every time (they change
 * while the user edits), and an unchanged file answers 304 from its validator, so a reload does
 * not download and compile GSAP again.
 */
export async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  { head = false, immutable = false, maxAge }: SendFileOptions = {},
): Promise<void> {
  let size: number;
  let etag: string;
  try {
    const stat = await fs.stat(path);
    if (!stat.isFile()) return sendText(res, 404, 'Not found');
    size = stat.size;
    etag = `W/"${size}-${stat.mtimeMs}"`;
  } catch {
    return sendText(res, 404, 'Not found');
  }
  const headers = {
    'content-type': contentType(path),
    'cache-control': immutable ? 'max-age=31536000, immutable' : maxAge ? `private, max-age=${Math.round(maxAge)}` : 'no-cache',
    etag,
    'accept-ranges': 'bytes',
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    return void res.end();
  }
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  if (range && (range[1] || range[2])) {
    const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
    const end = range[1] && range[2] ? Math.min(size - 1, Number(range[2])) : size - 1;
    if (start > end || start >= size) {
      res.writeHead(416, { 'content-range': `bytes */${size}` });
      return void res.end();
    }
    res.writeHead(206, { ...headers, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${size}` });
    return head ? void res.end() : stream(res, path, { start, end });
  }
  res.writeHead(200, { ...headers, 'content-length': size });
  return head ? void res.end() : stream(res, path);
}
