/**
 * Fetching one remote file from Node, with the limits a user's render must not outlive: http(s)
 * only, one deadline for the whole exchange (redirects and body included), at most 10 redirects
 * (a loop is named as one), a size cap checked against Content-Length and while reading, and no
 * HTML accepted where a script, stylesheet, font, image or media file was expected (a CDN's error
 * page or a login wall would otherwise be served to the page as code). Every failure is a
 * FramesmithError naming the URL, with a stable code (see REMOTE_ERROR_CODES).
 */
import { FramesmithError } from '../core/errors.js';
import { tooLargeError } from './content-cache.js';

/** What the page expects a URL to be; decides the HTML check. */
export type ExpectedKind = 'script' | 'style' | 'font' | 'image' | 'media' | 'document' | 'data' | 'any';

export interface FetchOptions {
  /** Whole-exchange deadline (default FRAMESMITH_FETCH_TIMEOUT_MS or 30 s). */
  timeoutMs?: number;
  /** Body size cap in bytes. */
  maxBytes: number;
  expect?: ExpectedKind;
  headers?: Record<string, string>;
  /** Headers sent only while the URL starts with this prefix (a registry's token). */
  authFor?: { prefix: string; headers: Record<string, string> };
  signal?: AbortSignal;
  /** Judges every URL before it is connected to, redirects included (throws to refuse; see src/security/remote-address.ts). */
  checkUrl?: (url: URL) => Promise<void>;
}

export interface Fetched {
  /** The URL asked for. */
  url: string;
  /** The URL that answered (after redirects). */
  finalUrl: string;
  status: number;
  contentType: string | null;
  bytes: Buffer;
}

/** Codes of the errors fetchRemote throws. */
export const REMOTE_ERROR_CODES = [
  'remote_unsupported_scheme',
  'remote_local_address',
  'remote_unreachable',
  'remote_timeout',
  'remote_not_found',
  'remote_http_error',
  'remote_redirect_loop',
  'remote_too_large',
  'remote_unexpected_html',
] as const;

const MAX_REDIRECTS = 10;

export function defaultTimeoutMs(): number {
  const v = Number(process.env.FRAMESMITH_FETCH_TIMEOUT_MS);
  return Number.isFinite(v) && v > 0 ? v : 30_000;
}

/** http: and https: URLs (protocol-relative ones count as https). */
export function isHttpUrl(url: string): boolean {
  return /^(https?:)?\/\//i.test(url.trim());
}

export function schemeError(url: string): FramesmithError {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1] ?? 'unknown';
  return new FramesmithError(
    'remote_unsupported_scheme',
    `${url} uses the ${scheme}: scheme; only http(s) URLs and project files can be loaded.`,
    {
      hint: 'Put the file into the project and reference it with a relative path.',
    },
  );
}

/** Fetches `url` under the limits. */
export async function fetchRemote(url: string, options: FetchOptions): Promise<Fetched> {
  let current: URL;
  try {
    current = new URL(url.startsWith('//') ? `https:${url}` : url);
  } catch {
    throw new FramesmithError('remote_unsupported_scheme', `"${url}" is not a valid URL.`, {
      hint: 'Fix the URL, or put the file into the project.',
    });
  }
  if (current.protocol !== 'http:' && current.protocol !== 'https:') throw schemeError(url);
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs();
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  const seen = new Set<string>();
  try {
    for (let hop = 0; ; hop++) {
      seen.add(current.href);
      await options.checkUrl?.(current);
      const auth = options.authFor && current.href.startsWith(options.authFor.prefix) ? options.authFor.headers : {};
      let res: Response;
      try {
        res = await fetch(current, { redirect: 'manual', signal, headers: { 'user-agent': 'framesmith', ...options.headers, ...auth } });
      } catch (error) {
        if (signal.aborted) throw error;
        const code = (error as { cause?: { code?: string } }).cause?.code;
        throw new FramesmithError('remote_unreachable', `${url} could not be fetched: ${describeNetworkError(error, code)}.`, {
          hint: 'Check the address and your connection; once it has been fetched, framesmith keeps a copy and works offline.',
          cause: error,
        });
      }
      if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
        await res.body?.cancel().catch(() => {});
        const next = new URL(res.headers.get('location')!, current);
        if (seen.has(next.href)) {
          throw new FramesmithError('remote_redirect_loop', `${url} redirects in a loop (${current.href} → ${next.href}).`, {
            hint: 'Fix the URL, or download the file into the project.',
          });
        }
        if (hop + 1 > MAX_REDIRECTS) {
          throw new FramesmithError('remote_redirect_loop', `${url} redirects more than ${MAX_REDIRECTS} times.`, {
            hint: 'Fix the URL, or download the file into the project.',
          });
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') throw schemeError(next.href);
        current = next;
        continue;
      }
      if (res.status === 404 || res.status === 410) {
        await res.body?.cancel().catch(() => {});
        throw new FramesmithError('remote_not_found', `${url} does not exist (HTTP ${res.status}).`, {
          hint: 'Check the URL (a version or file name may be wrong).',
        });
      }
      if (res.status < 200 || res.status >= 300) {
        await res.body?.cancel().catch(() => {});
        throw new FramesmithError('remote_http_error', `${url} answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`, {
          hint: res.status >= 500 ? 'The server has a problem; try again later.' : 'The server refuses the request; check the URL.',
        });
      }
      const length = Number(res.headers.get('content-length'));
      if (Number.isFinite(length) && length > options.maxBytes) {
        await res.body?.cancel().catch(() => {});
        throw tooLargeError(url, length, options.maxBytes);
      }
      const bytes = await readCapped(res, url, options.maxBytes);
      const contentType = res.headers.get('content-type');
      if (options.expect && looksLikeUnexpectedHtml(options.expect, contentType, bytes)) {
        throw new FramesmithError(
          'remote_unexpected_html',
          `${url} returned an HTML page where a ${options.expect === 'media' ? 'media file' : options.expect} was expected.`,
          {
            hint: 'The server answered with an error or login page; check the URL, or download the right file into the project.',
          },
        );
      }
      return { url, finalUrl: current.href, status: res.status, contentType, bytes };
    }
  } catch (error) {
    if (deadline.aborted && !(error instanceof FramesmithError)) {
      throw new FramesmithError('remote_timeout', `${url} did not answer within ${Math.round(timeoutMs / 100) / 10} s.`, {
        hint: 'Check your connection, or raise FRAMESMITH_FETCH_TIMEOUT_MS; once fetched, framesmith keeps a copy.',
        cause: error,
      });
    }
    throw error;
  }
}

function describeNetworkError(error: unknown, code: string | undefined): string {
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'its host name does not resolve (offline?)';
    case 'ECONNREFUSED':
      return 'the connection was refused';
    case 'ECONNRESET':
      return 'the connection was reset';
    case 'CERT_HAS_EXPIRED':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return `its TLS certificate is not trusted (${code})`;
    default:
      return code ?? (error as Error).message;
  }
}

async function readCapped(res: Response, url: string, maxBytes: number): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLargeError(url, -1, maxBytes);
    }
    chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }
  return Buffer.concat(chunks, size);
}

/** An HTML document served where something else was expected. */
export function looksLikeUnexpectedHtml(expect: ExpectedKind, contentType: string | null, bytes: Buffer): boolean {
  if (expect === 'document' || expect === 'any') return false;
  const head = bytes
    .subarray(0, 512)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  const htmlBody =
    head.startsWith('<!doctype html') || head.startsWith('<html') || (head.startsWith('<head') && !head.startsWith('<header'));
  if (htmlBody) return true;
  // Scripts and styles sent as text/html are refused by the browser anyway when they are HTML.
  return Boolean(
    contentType &&
    /^text\/html\b/i.test(contentType) &&
    (expect === 'font' || expect === 'image' || expect === 'media') &&
    !hasBinaryMagic(bytes),
  );
}

function hasBinaryMagic(bytes: Buffer): boolean {
  const sig = bytes.subarray(0, 4).toString('latin1');
  return ['wOF2', 'wOFF', 'OTTO', '\x00\x01\x00\x00', '\x89PNG', 'GIF8', 'RIFF'].includes(sig) || (bytes[0] === 0xff && bytes[1] === 0xd8);
}
