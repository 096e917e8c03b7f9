/**
 * The dev server's gate, run before anything else answers a request: the Host header must name
 * this machine (a page on another site cannot reach the server through DNS rebinding), and a
 * path may only reach the project folder: no `..`, no dotfiles or dot folders (.env, .git), no
 * symlink that leads out. Vite's own URLs (/@vite, /@id, /@fs) are checked the same way, with
 * Vite's dependency cache as the one allowed place outside the project.
 */
import { promises as fs } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { relative, sep } from 'node:path';
import { hasDotSegment, resolveProjectPath } from '../serve/safe-path.js';
import { isPendingDependency } from './pending-dependency.js';

export type Verdict =
  /** A project file (or a Vite URL) that may be served; `file` is set for project files that exist. */
  | { ok: true; file?: string; relative?: string }
  | { ok: false; status: 403 | 404; reason: string };

/** Whether a Host header names this machine, an IP address, or the host the server was started on. */
export function isAllowedHost(hostHeader: string | undefined, boundHost: string): boolean {
  if (!hostHeader) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${hostHeader}`).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return false;
  }
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
  if (isIP(hostname)) return true;
  return hostname === boundHost.toLowerCase();
}

/** Whether an Origin header is this server's own origin (same scheme, host and port as the request's Host). */
export function isOwnOrigin(origin: string | undefined, hostHeader: string | undefined, boundHost: string): boolean {
  if (!origin || !hostHeader || !isAllowedHost(hostHeader, boundHost)) return false;
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && url.host === new URL(`http://${hostHeader}`).host;
  } catch {
    return false;
  }
}

function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !rel.split(sep).includes('..'));
}

/** `/@fs/<absolute path>`: allowed inside the project (same rules) or inside Vite's cache and client folders. */
async function checkFsPath(root: string, allowedOutside: string[], urlPath: string): Promise<Verdict> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.slice('/@fs'.length));
  } catch {
    return { ok: false, status: 404, reason: 'Not found' };
  }
  if (decoded.includes('\0') || decoded.split('/').includes('..')) return { ok: false, status: 403, reason: 'Forbidden: outside the project folder' };
  let real: string;
  try {
    real = await fs.realpath(decoded);
  } catch {
    return (await isPendingDependency(allowedOutside, decoded)) ? { ok: true } : { ok: false, status: 404, reason: 'Not found' };
  }
  if (inside(root, real)) {
    const rel = relative(root, real).split(sep).join('/');
    return hasDotSegment(rel) ? { ok: false, status: 404, reason: 'Not found' } : { ok: true };
  }
  if (allowedOutside.some((dir) => inside(dir, real))) return { ok: true };
  return { ok: false, status: 403, reason: 'Forbidden: outside the project folder' };
}

/**
 * Decides whether `urlPath` (no query) may be served. A project path that does not exist is
 * passed on (Vite may answer it, e.g. a virtual module), unless it was refused for its form.
 */
export async function checkRequestPath(root: string, allowedOutside: string[], urlPath: string): Promise<Verdict> {
  if (urlPath.startsWith('/@fs/')) return checkFsPath(root, allowedOutside, urlPath);
  if (urlPath.startsWith('/@vite/') || urlPath.startsWith('/@id/')) return { ok: true };
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { ok: false, status: 404, reason: 'Not found' };
  }
  if (hasDotSegment(decoded.replace(/^\/+/, '')) && !decoded.split('/').includes('..')) return { ok: false, status: 404, reason: 'Not found' };
  const resolved = await resolveProjectPath(root, urlPath);
  if (resolved.ok) return { ok: true, file: resolved.path, relative: resolved.relative };
  if (resolved.status === 403) return resolved;
  // Missing file: a dotfile or a malformed path stays refused; anything else is Vite's to answer.
  return decoded.includes('\0') || decoded.includes('\\') ? resolved : { ok: true };
}

/** The request's path without query, as sent (not normalised, so `/../` is seen). */
export function rawPath(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.search(/[?#]/);
  return q < 0 ? url : url.slice(0, q);
}
