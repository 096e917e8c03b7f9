/**
 * The one table that decides how serious each case of a composition's referenced resources is,
 * for lint, build, snapshot, render and the dev preview alike, with the words each of them prints.
 *
 * The principle: a missing local file is an error (the cloud will not have it either); a remote
 * file is never an error, since HeyGen's cloud renderer has a network: when framesmith cannot have
 * it (offline and not cached, 404, too large, HTML instead of a font…) it is a warning that names
 * the URL, what the picture will lack, and the fix (`framesmith vendor`). A URL of another scheme
 * (file:, ftp:) reaches nothing anywhere: an error, like a missing file.
 *
 * Pure data (the runtime in the page imports it too): no DOM, no Node imports.
 */
import type { Diagnostic, Severity, SourceLocation } from './diagnostics.js';

export type ResourceCase =
  /** lint/build: a remote file with a copy in framesmith's cache (local renders work offline). */
  | 'remote_cached'
  /** lint/build: a remote file framesmith has no copy of yet. */
  | 'remote_not_cached'
  /** snapshot/render/dev/build check: a remote file loaded (network or cache). */
  | 'remote_loaded'
  /** An npm CDN URL the CDN could not serve, filled from the npm registry. */
  | 'remote_from_registry'
  /** Google Fonts CSS the network could not serve, filled from @fontsource. */
  | 'remote_from_fontsource'
  /** A remote file that could not be had and is not cached. */
  | 'remote_unavailable'
  /** A page error that follows from a remote script that did not load. */
  | 'remote_consequence'
  /** A URL with a scheme other than http(s), data: or blob:. */
  | 'unsupported_scheme'
  /** A project file that does not exist. */
  | 'local_missing';

export interface ResourceRule {
  code: string;
  severity: Severity;
  /** What it means, one sentence (docs). */
  title: string;
  /** What to do. */
  hint: string;
}

export const VENDOR_HINT =
  'Run `framesmith vendor` to copy remote files into the project (it works offline from the cache), or put the file into the project yourself.';

export const RESOURCE_RULES: Record<ResourceCase, ResourceRule> = {
  remote_cached: {
    code: 'remote_resource',
    severity: 'info',
    title:
      'A file is loaded from the network; framesmith has a copy in its cache, so local renders work offline. The cloud fetches it itself.',
    hint: VENDOR_HINT,
  },
  remote_not_cached: {
    code: 'remote_not_cached',
    severity: 'warning',
    title:
      'A file is loaded from the network and framesmith has no copy yet: the next snapshot, render or preview fetches it (npm CDN files from the npm registry); offline, the picture lacks it.',
    hint: VENDOR_HINT,
  },
  remote_loaded: {
    code: 'remote_resource',
    severity: 'info',
    title: "A file was loaded from the network or framesmith's cache. The cloud fetches it itself.",
    hint: VENDOR_HINT,
  },
  remote_from_registry: {
    code: 'remote_from_registry',
    severity: 'info',
    title: 'The CDN could not be reached; the same file of the same package version came from the npm registry (integrity checked).',
    hint: VENDOR_HINT,
  },
  remote_from_fontsource: {
    code: 'remote_from_fontsource',
    severity: 'info',
    title: "Google Fonts could not be reached; the font faces came from the family's @fontsource package.",
    hint: VENDOR_HINT,
  },
  remote_unavailable: {
    code: 'remote_unavailable',
    severity: 'warning',
    title:
      'A remote file could not be had (offline, 404, timeout, too large, wrong content…) and is not cached: the picture lacks it here; the cloud, which has a network, may still load it.',
    hint: VENDOR_HINT,
  },
  remote_consequence: {
    code: 'remote_unavailable',
    severity: 'warning',
    title: 'A script error that follows from a remote script that could not be loaded.',
    hint: VENDOR_HINT,
  },
  unsupported_scheme: {
    code: 'unsupported_url_scheme',
    severity: 'error',
    title:
      'A reference uses a scheme other than http(s), data: or blob: (file:, ftp:, …), which neither framesmith nor the cloud can load.',
    hint: 'Put the file into the project and reference it with a relative path.',
  },
  local_missing: {
    code: 'missing_local_asset',
    severity: 'error',
    title: 'A referenced project file does not exist.',
    hint: 'Add the file or fix the path (HTML paths resolve from the project root; names are case-sensitive).',
  },
};

/** Kinds of resource, as the page and the model know them. */
export type ResourceKind = 'script' | 'style' | 'font' | 'image' | 'media' | 'document' | 'other';

/** What the picture lacks when a resource of this kind is missing. */
export function whatIsLacking(kind: ResourceKind | string): string {
  switch (kind) {
    case 'script':
      return 'its script does not run (animation driven by it, e.g. GSAP or three.js, stays still or is missing)';
    case 'style':
      return 'its styles (and the fonts they declare) are not applied';
    case 'font':
      return 'text in this font is drawn with a fallback font';
    case 'image':
      return 'the image is not drawn';
    case 'media':
      return 'the audio/video is missing';
    case 'document':
      return 'the embedded document is empty';
    default:
      return 'whatever uses it is missing';
  }
}

/** The URL a page requested as the user wrote it: a dev-server remote path decoded back to its URL. */
export const REMOTE_PROXY_PREFIX = '/__framesmith/remote/';

/** `/__framesmith/remote/https/host/path?q` → `https://host/path?q`; null for other paths. */
export function remoteUrlFromProxyPath(pathAndQuery: string): string | null {
  if (!pathAndQuery.startsWith(REMOTE_PROXY_PREFIX)) return null;
  const m = /^(https?)\/([^/?#]+)(.*)$/.exec(pathAndQuery.slice(REMOTE_PROXY_PREFIX.length));
  return m ? `${m[1]}://${m[2]}${m[3] || '/'}` : null;
}

/** `https://host/path?q` → `/__framesmith/remote/https/host/path?q` (so relative URLs in remote files resolve within it). */
export function proxyPathOfRemoteUrl(url: string): string | null {
  const m = /^(https?):\/\/([^/?#]+)(.*)$/i.exec(url.startsWith('//') ? `https:${url}` : url);
  if (!m) return null;
  const rest = m[3].replace(/#.*$/, '');
  return `${REMOTE_PROXY_PREFIX}${m[1].toLowerCase()}/${m[2].toLowerCase()}${rest.startsWith('/') || rest.startsWith('?') ? rest : `/${rest}`}`;
}

export interface ResourceFacts {
  url: string;
  kind?: ResourceKind | string;
  /** Why it could not be had (an error message). */
  reason?: string;
  /** Extra detail: the npm file used, the @fontsource package… */
  detail?: string;
  loc?: SourceLocation;
}

/** The diagnostic for a case, worded for the URL and kind. */
export function resourceDiagnostic(c: ResourceCase, f: ResourceFacts): Diagnostic {
  const rule = RESOURCE_RULES[c];
  const what = f.kind === 'media' ? 'media file' : f.kind && f.kind !== 'other' ? f.kind : 'file';
  let message: string;
  switch (c) {
    case 'remote_cached':
      message = `The ${what} ${f.url} is loaded from the network; framesmith has a copy in its cache (local renders work offline).`;
      break;
    case 'remote_not_cached':
      message = `The ${what} ${f.url} is loaded from the network and framesmith has no copy yet; offline, ${whatIsLacking(f.kind ?? 'other')}.`;
      break;
    case 'remote_loaded':
      message = `Loaded ${f.url}${f.detail ? ` (${f.detail})` : ''}.`;
      break;
    case 'remote_from_registry':
      message = `${f.url} came from the npm registry${f.detail ? ` (${f.detail})` : ''}: the CDN could not be reached.`;
      break;
    case 'remote_from_fontsource':
      message = `${f.url} came from @fontsource${f.detail ? ` (${f.detail})` : ''}: Google Fonts could not be reached.`;
      break;
    case 'remote_unavailable':
      message = `Could not load ${f.url}${f.reason ? `: ${f.reason.replace(/\.$/, '')}` : ''}; ${whatIsLacking(f.kind ?? 'other')}. It is a warning, not an error: the cloud has a network.`;
      break;
    case 'remote_consequence':
      message = `${f.reason ?? 'A script error'} (probably because ${f.url} could not be loaded).`;
      break;
    case 'unsupported_scheme':
      message = `${f.url} uses a scheme framesmith and the cloud cannot load; ${whatIsLacking(f.kind ?? 'other')}.`;
      break;
    case 'local_missing':
      message = `"${f.url}" does not exist in the project${f.detail ? ` (${f.detail})` : ''}.`;
      break;
  }
  return { code: rule.code, severity: rule.severity, message, hint: rule.hint, ...(f.loc ? { loc: f.loc } : {}) };
}

/** Whether a URL is remote for the page at `pageOrigin` (http(s) on another origin, or the dev server's remote proxy). */
export function isRemoteUrl(url: string, pageOrigin?: string): boolean {
  if (url.startsWith(REMOTE_PROXY_PREFIX)) return true;
  try {
    const u = new URL(url, pageOrigin ?? 'http://local.invalid');
    if (u.pathname.startsWith(REMOTE_PROXY_PREFIX) && (!pageOrigin || u.origin === pageOrigin)) return true;
    return (u.protocol === 'http:' || u.protocol === 'https:') && (!pageOrigin || u.origin !== pageOrigin);
  } catch {
    return false;
  }
}
