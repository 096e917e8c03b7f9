/**
 * The dev server's gate, run before anything else answers a request (framesmith's own URLs,
 * Vite's, `/__open-in-editor`, the websockets):
 * - the Host header must name this machine (a page on another site cannot reach the server
 *   through DNS rebinding);
 * - a request made by a page of another origin is refused: an `Origin` header other than the
 *   server's own, or a browser's `Sec-Fetch-Site: cross-site | same-site` (which `<img>` and
 *   other no-cors requests carry too), except a top-level navigation to the preview page;
 * - a path may only reach what the file-access policy allows (src/security/file-policy.ts):
 *   project files, decided on the real path, no dotfiles or secrets, also through symlinks; Vite's
 *   dependency cache and client are the only places outside the project. A refused file gets
 *   the same answer as a missing one.
 */
import { promises as fs } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { relative, sep } from 'node:path';
import { resolveProjectPath, urlPathSegments } from '../serve/safe-path.js';
import { judge, pathRefusal } from '../security/file-policy.js';
import { isWithin } from '../core/inside.js';
import { DEV_PAGE_PATH } from '../../shared/dev-protocol.js';
import { isPendingDependency } from './pending-dependency.js';

export type Verdict =
  /** A project file (or a Vite URL) that may be served; `file` is set for project files that exist. */
  { ok: true; file?: string; relative?: string } | { ok: false; status: 404; reason: 'Not found' };

export const NOT_FOUND = { ok: false, status: 404, reason: 'Not found' } as const;

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

/**
 * Why a request must be refused because of who sent it, or null when it may go on: a foreign
 * Host, a foreign Origin, or a browser saying it comes from another site. A user opening the
 * preview from a link elsewhere (a top-level GET navigation to `/` or the preview page) may.
 */
export function foreignRequest(req: IncomingMessage, boundHost: string): string | null {
  const host = req.headers.host;
  if (!isAllowedHost(host, boundHost)) return `the Host "${host ?? ''}" is not this machine`;
  const origin = req.headers.origin;
  if (origin !== undefined && !isOwnOrigin(origin, host, boundHost)) return 'it comes from a page of another origin';
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') {
    const path = rawPath(req);
    const navigation = req.method === 'GET' && req.headers['sec-fetch-mode'] === 'navigate' && req.headers['sec-fetch-dest'] === 'document';
    if (!(navigation && (path === '/' || path === DEV_PAGE_PATH))) return 'it comes from a page of another site';
  }
  return null;
}

/**
 * Judges an absolute file path the dev server (or Vite on its behalf) would read: inside the
 * project by the file-access policy, or inside one of `allowedOutside` with no refused segment
 * below it. `missing` when the file does not exist (Vite may still answer a virtual module).
 * With `packages` (a build), files of installed packages are allowed wherever they are.
 */
export async function checkAbsolutePath(
  root: string,
  allowedOutside: string[],
  file: string,
  { packages = false } = {},
): Promise<'ok' | 'missing' | 'refused'> {
  if (file.includes('\0')) return 'refused';
  let real: string;
  try {
    real = await fs.realpath(file);
  } catch {
    return 'missing';
  }
  if (packages) {
    // A build reads installed packages wherever they really are (npm link, pnpm's store): judged below their last node_modules.
    const parts = real.split(sep);
    const last = parts.lastIndexOf('node_modules');
    if (last >= 0 && last < parts.length - 1) return pathRefusal(parts.slice(last + 1).join('/')) ? 'refused' : 'ok';
  }
  // Vite's own folders first: the dependency cache may sit in the project's node_modules/.framesmith.
  for (const dir of allowedOutside) {
    if (isWithin(dir, real) && !pathRefusal(relative(dir, real).split(sep).join('/'))) return 'ok';
  }
  // The project folder itself counts as inside (the policy then judges the path).
  if (isWithin(root, file) || isWithin(root, real)) {
    const asked = isWithin(root, file) ? relative(root, file).split(sep).join('/') : relative(root, real).split(sep).join('/');
    return judge(root, asked, real).ok ? 'ok' : 'refused';
  }
  return 'refused';
}

/** `/@fs/<absolute path>`: allowed inside the project (same rules) or inside Vite's cache and client folders. */
async function checkFsPath(root: string, allowedOutside: string[], urlPath: string): Promise<Verdict> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.slice('/@fs'.length));
  } catch {
    return NOT_FOUND;
  }
  if (decoded.split('/').includes('..')) return NOT_FOUND;
  const verdict = await checkAbsolutePath(root, allowedOutside, decoded);
  if (verdict === 'ok') return { ok: true };
  // Not written yet: a dependency Vite is still bundling (it holds the request until it is there).
  if (verdict === 'missing' && (await isPendingDependency(allowedOutside, decoded))) return { ok: true };
  return NOT_FOUND;
}

/**
 * Decides whether `urlPath` (no query) may be served. A project path that does not exist is
 * passed on (Vite may answer it, e.g. a virtual module), unless it was refused for its form.
 */
export async function checkRequestPath(root: string, allowedOutside: string[], urlPath: string): Promise<Verdict> {
  if (urlPath.startsWith('/@fs/')) return checkFsPath(root, allowedOutside, urlPath);
  if (urlPath.startsWith('/@vite/')) return { ok: true };
  if (urlPath.startsWith('/@id/')) {
    // A bare module id (a package, a virtual module) is Vite's; a file path is judged like any file.
    let id: string;
    try {
      id = decodeURIComponent(urlPath.slice('/@id/'.length));
    } catch {
      return NOT_FOUND;
    }
    if (!id.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(id)) return { ok: true };
    return (await checkAbsolutePath(root, allowedOutside, id)) === 'refused' || id.split('/').includes('..') ? NOT_FOUND : { ok: true };
  }
  const segments = urlPathSegments(urlPath);
  if (!segments || pathRefusal(segments.join('/'))) return NOT_FOUND;
  const resolved = await resolveProjectPath(root, urlPath);
  if (resolved.ok) return { ok: true, file: resolved.path, relative: resolved.relative };
  // Refused: the same answer as missing. Missing: Vite's to answer (a virtual module, a 404).
  return resolved.refusal ? NOT_FOUND : { ok: true };
}

/** The request's path without query, as sent (not normalised, so `/../` is seen). */
export function rawPath(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.search(/[?#]/);
  return q < 0 ? url : url.slice(0, q);
}

/**
 * An error message fit for an HTTP answer: project paths relative, any other absolute path
 * hidden, so an error page never tells a page where the project or anything else lives.
 */
export function publicMessage(message: string, root: string): string {
  return message
    .split(`${root}${sep}`)
    .join('')
    .split(root)
    .join('.')
    .replace(/(^|[\s'"`(=:])(?:[A-Za-z]:)?[\\/](?:[^\s'"`():\\/]+[\\/])+[^\s'"`():]*/g, '$1<path>');
}
