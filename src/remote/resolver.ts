/**
 * A composition's remote URL → bytes, the one way snapshot, render, the build check, the dev
 * preview and `vendor` get remote files: the content cache first (a file fetched once is served
 * from there for good, offline and byte for byte the same), then the network, then fallbacks for
 * what the network cannot serve: an npm CDN URL from the npm registry (the same file of the same
 * version, integrity-checked), Google Fonts CSS from @fontsource (through a fallback the fonts
 * module registers). Whatever a fallback makes is cached under the URL too.
 *
 * Set FRAMESMITH_OFFLINE=1 to never touch the network (cache only).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import semver from 'semver';
import { FramesmithError } from '../core/errors.js';
import { ContentCache, defaultContentCache, type CacheRecord } from './content-cache.js';
import { fetchRemote, isHttpUrl, schemeError, type ExpectedKind } from './http.js';
import { hasDefaultExport, isBareSpecifier, rewriteSpecifiers } from './js-imports.js';
import { contentTypeOf } from './mime.js';
import { fetchCdnFile, parseNpmCdnUrl, type NpmCdnRef } from './npm-cdn.js';
import { NpmRegistry, type PackageManifest } from './npm-registry.js';
import { googleFontsFallback } from './google-fonts.js';
import { reasonWithoutUrl } from './report.js';
import { refuseLocalAddress } from '../security/remote-address.js';
import { isOfflineFromEnv } from './offline.js';

export interface RemoteFile {
  /** The URL asked for (absolute). */
  url: string;
  bytes: Buffer;
  contentType: string;
  /** Where the bytes came from on this call: the cache, or the fetch that filled it. */
  via: 'cache' | 'network' | 'npm' | 'fontsource' | 'generated';
  /** Where they came from originally (the cache record's source). */
  source: CacheRecord['source'];
  /** e.g. `gsap@3.14.2/dist/gsap.min.js` for a file from the registry. */
  detail?: string;
  /** Why the network could not serve it, when a fallback did. */
  networkError?: string;
  /** A cached copy failed its check on the way (it was removed and replaced). */
  repaired?: string;
}

/** What a fallback returns for a URL it can serve; null when it cannot. */
export interface FallbackResult {
  bytes: Buffer;
  contentType: string;
  source: 'npm' | 'fontsource' | 'generated';
  detail?: string;
}

export type RemoteFallback = (url: string, expect: ExpectedKind, resolver: RemoteResolver) => Promise<FallbackResult | null>;

export interface RemoteResolverOptions {
  cache?: ContentCache;
  npm?: NpmRegistry;
  /** Never touch the network (default: FRAMESMITH_OFFLINE=1). */
  offline?: boolean;
  timeoutMs?: number;
  /** Extra fallbacks, tried after the npm registry. */
  fallbacks?: RemoteFallback[];
}

/** Fallbacks other modules register for every resolver (the fonts module's Google Fonts → @fontsource). */
const registeredFallbacks: RemoteFallback[] = [];
export function registerRemoteFallback(fallback: RemoteFallback): void {
  if (!registeredFallbacks.includes(fallback)) registeredFallbacks.push(fallback);
}

export { isOfflineFromEnv } from './offline.js';

/** The URL a stub re-exports: the raw file of the exact version on the same CDN. */
export function rawFileUrl(ref: NpmCdnRef, version: string, path: string): string {
  const origin = new URL(ref.url.startsWith('//') ? `https:${ref.url}` : ref.url).origin;
  if (ref.cdn === 'jsdelivr') return `https://cdn.jsdelivr.net/npm/${ref.name}@${version}/${path}`;
  return `${origin}/${ref.name}@${version}/${path}`;
}

/** Where a module CDN points a bare import of a package's file (esm.sh and Skypack resolve them to themselves). */
function bareImportUrl(ref: NpmCdnRef, manifest: PackageManifest, spec: string): string {
  const segs = spec.split('/');
  const name = spec.startsWith('@') ? segs.slice(0, 2).join('/') : segs[0];
  const sub = spec.slice(name.length);
  const deps = {
    ...(manifest.peerDependencies as Record<string, string> | undefined),
    ...(manifest.dependencies as Record<string, string> | undefined),
  };
  const range = deps[name] ?? 'latest';
  const origin = new URL(ref.url.startsWith('//') ? `https:${ref.url}` : ref.url).origin;
  const at = `${name}@${encodeURIComponent(range).replace(/%5E/gi, '^').replace(/%3C/gi, '<').replace(/%3E/gi, '>').replace(/%3D/gi, '=')}`;
  if (ref.cdn === 'jsdelivr') return `https://cdn.jsdelivr.net/npm/${at}${sub}${sub ? '' : '/+esm'}`;
  if (ref.cdn === 'unpkg') return `${origin}/${at}${sub}?module`;
  return `${origin}/${at}${sub}`;
}

export class RemoteResolver {
  readonly cache: ContentCache;
  readonly npm: NpmRegistry;
  readonly offline: boolean;
  private readonly timeoutMs?: number;
  private readonly fallbacks: RemoteFallback[];
  private readonly inflight = new Map<string, Promise<RemoteFile>>();
  /** Requests that went to the network (CDNs and the registry's files), for counting. */
  networkFetches = 0;

  constructor(options: RemoteResolverOptions = {}) {
    this.cache = options.cache ?? defaultContentCache();
    this.offline = options.offline ?? isOfflineFromEnv();
    this.npm = options.npm ?? new NpmRegistry({ cache: this.cache, offline: this.offline });
    this.timeoutMs = options.timeoutMs;
    this.fallbacks = options.fallbacks ?? [];
  }

  /** The bytes of `url`. Throws a FramesmithError naming the URL and every reason it could not be had. */
  get(url: string, expect: ExpectedKind = 'any'): Promise<RemoteFile> {
    const abs = url.startsWith('//') ? `https:${url}` : url;
    let p = this.inflight.get(abs);
    if (!p) {
      p = this.load(abs, expect);
      this.inflight.set(abs, p);
      p.finally(() => this.inflight.delete(abs)).catch(() => {});
    }
    return p;
  }

  private async load(url: string, expect: ExpectedKind): Promise<RemoteFile> {
    if (!isHttpUrl(url)) throw schemeError(url);
    const cached = await this.cache.get(url);
    if (cached.status === 'hit') {
      return {
        url,
        bytes: cached.bytes,
        contentType: cached.record.contentType ?? contentTypeOf(url),
        via: 'cache',
        source: cached.record.source,
        detail: typeof cached.record.extra?.detail === 'string' ? cached.record.extra.detail : undefined,
      };
    }
    const repaired = cached.status === 'corrupt' ? `the cached copy was damaged (${cached.reason}) and was removed` : undefined;
    const reasons: string[] = [];
    if (repaired) reasons.push(repaired);
    if (!this.offline) {
      try {
        // The URL is the composition's: never an address of this machine or its network (src/security/remote-address.ts).
        const res = await fetchRemote(url, {
          maxBytes: this.cache.maxEntryBytes,
          timeoutMs: this.timeoutMs,
          expect,
          checkUrl: (u) => refuseLocalAddress(u),
        });
        this.networkFetches++;
        const contentType = res.contentType ?? contentTypeOf(url);
        await this.cache.put(url, res.bytes, { contentType, source: 'network', from: res.finalUrl });
        return { url, bytes: res.bytes, contentType, via: 'network', source: 'network', repaired };
      } catch (error) {
        if (!(error instanceof FramesmithError)) throw error;
        // Too large is final: no fallback makes it smaller.
        // (A local address is not: a blocklist may map a CDN's name to 0.0.0.0, and its npm package is still there.)
        if (error.code === 'remote_too_large' || error.code === 'remote_unsupported_scheme') throw error;
        reasons.push(error.message);
      }
    } else {
      reasons.push('framesmith is offline (FRAMESMITH_OFFLINE) and has no cached copy');
    }
    const fallbacks: RemoteFallback[] = [(u, e) => this.fromNpm(u, e), googleFontsFallback, ...this.fallbacks, ...registeredFallbacks];
    for (const fallback of fallbacks) {
      let result: FallbackResult | null;
      try {
        result = await fallback(url, expect, this);
      } catch (error) {
        if (!(error instanceof FramesmithError)) throw error;
        reasons.push(error.message);
        continue;
      }
      if (!result) continue;
      await this.cache.put(url, result.bytes, {
        contentType: result.contentType,
        source: result.source,
        from: result.detail,
        extra: result.detail ? { detail: result.detail } : undefined,
      });
      return {
        url,
        bytes: result.bytes,
        contentType: result.contentType,
        via: result.source,
        source: result.source,
        detail: result.detail,
        networkError: reasons.join('; '),
        repaired,
      };
    }
    const why = reasons.map((r) => reasonWithoutUrl(r, url).replace(/\.$/, ''));
    throw new FramesmithError(
      'remote_unavailable',
      why.length === 1 && reasons[0].startsWith(`${url} `)
        ? reasons[0]
        : `${url} could not be loaded: ${why.join('; ') || 'not available'}.`,
      {
        hint: 'Run `framesmith vendor` once online to copy it into the project, or put the file into the project yourself.',
      },
    );
  }

  /** An npm CDN URL from the registry: the file itself, or for module CDNs a module re-exporting the package's entry. */
  private async fromNpm(url: string, _expect: ExpectedKind): Promise<FallbackResult | null> {
    const ref = parseNpmCdnUrl(url);
    if (!ref) return null;
    const local = installedFile(ref);
    if (local) return local;
    const got = await fetchCdnFile(this.npm, ref);
    const detail = `${got.name}@${got.version}/${got.path}${got.note ? `; ${got.note}` : ''}`;
    if (ref.form === 'module' && got.path !== ref.file) {
      // A module URL that stands for the package: re-export the entry from its own URL, so the
      // entry's relative imports resolve inside the package.
      const target = rawFileUrl(ref, got.version, got.path);
      const code = got.file.bytes.toString('utf8');
      const stub = `export * from ${JSON.stringify(target)};\n${hasDefaultExport(code) ? `export { default } from ${JSON.stringify(target)};\n` : ''}`;
      return { bytes: Buffer.from(stub), contentType: 'text/javascript; charset=utf-8', source: 'npm', detail };
    }
    let bytes = got.file.bytes;
    if (ref.form === 'module' && /\.m?js$/.test(got.path)) {
      // Module CDNs turn bare imports into their own URLs; the package's file, as published, has them bare.
      const rewritten = rewriteSpecifiers(bytes.toString('utf8'), (s) =>
        isBareSpecifier(s.value) ? bareImportUrl(ref, got.listing.manifest, s.value) : null,
      );
      if (rewritten.changed) bytes = Buffer.from(rewritten.code);
    }
    return { bytes, contentType: got.file.contentType, source: 'npm', detail };
  }
}

/**
 * A file of an exact package version framesmith itself has installed (e.g. the @fontsource faces
 * it ships, pinned to the engine's): no registry needed, also offline.
 */
function installedFile(ref: NpmCdnRef): FallbackResult | null {
  if (ref.form !== 'file' || !ref.file || ref.cdn === 'cdnjs' || !semver.valid(ref.range)) return null;
  try {
    const manifest = createRequire(import.meta.url).resolve(`${ref.name}/package.json`);
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string };
    if (pkg.version !== ref.range) return null;
    const dir = dirname(manifest);
    const file = join(dir, ref.file);
    if (!file.startsWith(`${dir}/`) || !existsSync(file)) return null;
    return {
      bytes: readFileSync(file),
      contentType: contentTypeOf(ref.file),
      source: 'npm',
      detail: `${ref.name}@${ref.range}/${ref.file} (installed with framesmith)`,
    };
  } catch {
    return null;
  }
}

let shared: RemoteResolver | null = null;
/** The resolver of this process (cache and registry from the environment). */
export function defaultRemoteResolver(): RemoteResolver {
  const cache = defaultContentCache();
  if (!shared || shared.cache !== cache || shared.offline !== isOfflineFromEnv())
    shared = new RemoteResolver({ cache, offline: isOfflineFromEnv() });
  return shared;
}
