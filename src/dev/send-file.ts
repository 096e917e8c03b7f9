/**
 * Sends a file exactly as it is on disk. The dev server uses it for what the renderer also loads
 * untouched (classic scripts, stylesheets, sub-composition HTML fetched by the runtime, the
 * built preview UI), so the preview runs the bytes a render runs.
 */
import { createReadStream, promises as fs } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Content type by extension for the kinds of file sent raw. */
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

/**
 * Streams a file. `no-store` because these files change while the user edits them and the
 * preview must never show a stale copy; `immutable` for the built UI, which cannot change.
 */
export async function sendFile(res: ServerResponse, path: string, { head = false, cache = 'no-store' }: { head?: boolean; cache?: string } = {}): Promise<void> {
  let size: number;
  try {
    size = (await fs.stat(path)).size;
  } catch {
    return sendText(res, 404, 'Not found');
  }
  res.writeHead(200, { 'content-type': contentType(path), 'content-length': size, 'cache-control': cache });
  if (head) return void res.end();
  await new Promise<void>((resolve) => {
    const stream = createReadStream(path);
    stream.on('error', () => {
      res.destroy();
      resolve();
    });
    stream.on('end', resolve);
    stream.pipe(res);
  });
}
