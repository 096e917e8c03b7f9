/**
 * Files of npm packages, taken from the npm registry: `name@range` is resolved to an exact
 * version as npm would (a dist-tag, or the highest version in the range, preferring `latest`),
 * the tarball is downloaded, checked against the registry's `dist.integrity` (SHA-512 SRI, or the
 * older SHA-1 `shasum`), and the file taken out of it. Tarballs, the files taken out of them, the
 * versions' metadata and package listings all go through the content cache, so a second run needs
 * no network; a range is re-resolved online when possible and from the cached metadata offline.
 *
 * The registry is the user's: FRAMESMITH_NPM_REGISTRY, else npm's own settings (the
 * `npm_config_registry` variable, the project's .npmrc, the user's ~/.npmrc, `@scope:registry`
 * lines and `//host/:_authToken` credentials, sent to that registry only), else
 * https://registry.npmjs.org/.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import semver from 'semver';
import { extract as tarExtract } from 'tar-stream';
import { FramesmithError } from '../core/errors.js';
import { ContentCache, defaultContentCache } from './content-cache.js';
import { fetchRemote } from './http.js';
import { contentTypeOf } from './mime.js';

export const DEFAULT_REGISTRY = 'https://registry.npmjs.org/';

export interface RegistryConfig {
  /** Default registry URL, ending in `/`. */
  registry: string;
  /** `@scope` → registry URL. */
  scopes: Record<string, string>;
  /** `//host/path/` → bearer token (never logged). */
  tokens: Record<string, string>;
}

/** Reads `key=value` lines of an .npmrc (comments, quotes and ${VAR} expansion handled). */
function readNpmrc(path: string, env: NodeJS.ProcessEnv): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    out[key] = value.replace(/\$\{([^}]+)\}/g, (_, name: string) => env[name] ?? '');
  }
  return out;
}

const withSlash = (u: string) => (u.endsWith('/') ? u : `${u}/`);

/** The registry settings that apply to a project folder. */
export function readRegistryConfig(projectDir?: string, env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  const user = readNpmrc(env.NPM_CONFIG_USERCONFIG ?? env.npm_config_userconfig ?? join(homedir(), '.npmrc'), env);
  const project = projectDir ? readNpmrc(join(projectDir, '.npmrc'), env) : {};
  const merged: Record<string, string> = { ...user, ...project };
  const envRegistry = env.npm_config_registry ?? env.NPM_CONFIG_REGISTRY;
  if (envRegistry) merged.registry = envRegistry;
  if (env.FRAMESMITH_NPM_REGISTRY) merged.registry = env.FRAMESMITH_NPM_REGISTRY;
  const config: RegistryConfig = { registry: withSlash(merged.registry || DEFAULT_REGISTRY), scopes: {}, tokens: {} };
  for (const [key, value] of Object.entries(merged)) {
    const scope = /^(@[^:]+):registry$/.exec(key);
    if (scope && !env.FRAMESMITH_NPM_REGISTRY) config.scopes[scope[1]] = withSlash(value);
    const token = /^(\/\/.+):_authToken$/.exec(key);
    if (token && value) config.tokens[withSlash(token[1])] = value;
  }
  return config;
}

export interface ResolvedVersion {
  name: string;
  version: string;
  /** Registry the version came from. */
  registry: string;
  tarball: string;
  /** SRI string (`sha512-…`) when the registry gives one. */
  integrity: string | null;
  /** Hex SHA-1 of the tarball (older packages). */
  shasum: string | null;
}

export interface NpmFile {
  name: string;
  version: string;
  /** Path inside the package (no leading `package/`). */
  path: string;
  bytes: Buffer;
  contentType: string;
}

export interface PackageListing {
  name: string;
  version: string;
  /** Every file's path and size. */
  files: { path: string; size: number }[];
  /** The package.json. */
  manifest: PackageManifest;
  /** The licence file's path, when the package has one (LICENSE, LICENCE, COPYING, …). */
  licenseFile: string | null;
}

export interface PackageManifest {
  name?: string;
  version?: string;
  license?: unknown;
  main?: string;
  module?: string;
  browser?: unknown;
  jsdelivr?: string;
  unpkg?: string;
  style?: string;
  exports?: unknown;
  [k: string]: unknown;
}

export interface NpmRegistryOptions {
  cache?: ContentCache;
  /** Folder whose .npmrc applies. */
  projectDir?: string;
  /** Settings to use instead of reading them (tests). */
  config?: RegistryConfig;
  timeoutMs?: number;
  /** Never ask the network; cached data only. */
  offline?: boolean;
}

/** A valid npm package name (scoped or not). */
export function isValidPackageName(name: string): boolean {
  return /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/i.test(name) && name.length <= 214;
}

function encodeName(name: string): string {
  return name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name);
}

interface Packument {
  name: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, { version: string; dist: { tarball: string; integrity?: string; shasum?: string } }>;
}

/** Checks bytes against an SRI string (strongest algorithm given) or a hex SHA-1. */
export function verifyIntegrity(bytes: Buffer, integrity: string | null, shasum: string | null): { ok: boolean; algorithm: string } {
  if (integrity) {
    const order = ['sha512', 'sha384', 'sha256', 'sha1'];
    const parts = integrity
      .trim()
      .split(/\s+/)
      .map((p) => /^(sha\d+)-([A-Za-z0-9+/=]+)/.exec(p))
      .filter((m): m is RegExpExecArray => Boolean(m) && order.includes(m![1]))
      .sort((a, b) => order.indexOf(a[1]) - order.indexOf(b[1]));
    if (parts.length) {
      const algo = parts[0][1];
      const digest = createHash(algo).update(bytes).digest('base64');
      return { ok: parts.filter((p) => p[1] === algo).some((p) => p[2] === digest), algorithm: algo };
    }
  }
  if (shasum) return { ok: createHash('sha1').update(bytes).digest('hex') === shasum.toLowerCase(), algorithm: 'sha1' };
  return { ok: false, algorithm: 'none' };
}

const LICENSE_NAME = /^(licen[cs]e|copying|notice)(\.[a-z]+)?$/i;

/** The npm registry, with the content cache in front. One per process is enough. */
export class NpmRegistry {
  readonly cache: ContentCache;
  readonly config: RegistryConfig;
  private readonly timeoutMs?: number;
  private readonly offline: boolean;
  private readonly packuments = new Map<string, Promise<Packument | null>>();
  private readonly unpacked = new Map<string, Promise<Map<string, Buffer>>>();

  constructor(options: NpmRegistryOptions = {}) {
    this.cache = options.cache ?? defaultContentCache();
    this.config = options.config ?? readRegistryConfig(options.projectDir);
    this.timeoutMs = options.timeoutMs;
    this.offline = options.offline ?? false;
  }

  /** The registry URL for a package (its scope's registry, or the default). */
  registryFor(name: string): string {
    const scope = name.startsWith('@') ? name.split('/')[0] : null;
    return (scope && this.config.scopes[scope]) || this.config.registry;
  }

  private authFor(url: string): { prefix: string; headers: Record<string, string> } | undefined {
    const u = new URL(url);
    const path = `//${u.host}${u.pathname}`;
    let best: string | null = null;
    for (const prefix of Object.keys(this.config.tokens))
      if (path.startsWith(prefix) && (!best || prefix.length > best.length)) best = prefix;
    return best ? { prefix: `${u.protocol}${best}`, headers: { authorization: `Bearer ${this.config.tokens[best]}` } } : undefined;
  }

  private async fetchJson(url: string, what: string): Promise<unknown> {
    const res = await fetchRemote(url, {
      maxBytes: 64 * 1024 * 1024,
      timeoutMs: this.timeoutMs,
      headers: { accept: 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8' },
      authFor: this.authFor(url),
      expect: 'data',
    });
    try {
      return JSON.parse(res.bytes.toString('utf8'));
    } catch {
      throw new FramesmithError('npm_registry_error', `The npm registry's answer for ${what} (${url}) is not JSON.`, {
        hint: 'Check the registry setting (FRAMESMITH_NPM_REGISTRY or registry= in .npmrc).',
      });
    }
  }

  /** The package's abbreviated metadata: online when possible, else the cached copy; null when the package does not exist. */
  private packument(name: string): Promise<Packument | null> {
    let p = this.packuments.get(name);
    if (!p) {
      p = this.loadPackument(name);
      this.packuments.set(name, p);
      p.catch(() => this.packuments.delete(name));
    }
    return p;
  }

  private async loadPackument(name: string): Promise<Packument | null> {
    const registry = this.registryFor(name);
    const url = `${registry}${encodeName(name)}`;
    const key = `npm-packument:${url}`;
    if (!this.offline) {
      try {
        const json = (await this.fetchJson(url, name)) as Packument;
        if (!json || typeof json !== 'object' || !json.versions)
          throw new FramesmithError('npm_registry_error', `The npm registry's answer for ${name} (${url}) has no versions.`);
        // Only what resolution needs is kept.
        const slim: Packument = { name: json.name ?? name, 'dist-tags': json['dist-tags'] ?? {}, versions: {} };
        for (const [v, m] of Object.entries(json.versions))
          if (m?.dist?.tarball)
            slim.versions[v] = { version: v, dist: { tarball: m.dist.tarball, integrity: m.dist.integrity, shasum: m.dist.shasum } };
        await this.cache
          .put(key, Buffer.from(JSON.stringify(slim)), { contentType: 'application/json', source: 'npm', from: url })
          .catch(() => {});
        return slim;
      } catch (error) {
        if ((error as FramesmithError).code === 'remote_not_found') return null;
        const cached = await this.cache.get(key);
        if (cached.status === 'hit') return JSON.parse(cached.bytes.toString('utf8')) as Packument;
        throw registryUnreachable(name, registry, error);
      }
    }
    const cached = await this.cache.get(key);
    if (cached.status === 'hit') return JSON.parse(cached.bytes.toString('utf8')) as Packument;
    throw registryUnreachable(name, registry, null);
  }

  /**
   * Resolves `name@range` (a version, a semver range, a dist-tag, or empty for `latest`) to one
   * version. An exact version already resolved once needs no network.
   */
  async resolve(name: string, range = 'latest'): Promise<ResolvedVersion> {
    if (!isValidPackageName(name)) {
      throw new FramesmithError('npm_package_not_found', `"${name}" is not a valid npm package name.`, {
        hint: 'Check the package name in the URL.',
      });
    }
    const wanted = range.trim() || 'latest';
    const exact = semver.valid(wanted);
    const registry = this.registryFor(name);
    const versionKey = (v: string) => `npm-version:${registry}${name}@${v}`;
    if (exact) {
      const hit = await this.cache.get(versionKey(exact));
      if (hit.status === 'hit') return JSON.parse(hit.bytes.toString('utf8')) as ResolvedVersion;
    }
    const doc = await this.packument(name);
    if (!doc) {
      throw new FramesmithError('npm_package_not_found', `There is no npm package named "${name}" (asked ${registry}).`, {
        hint: 'Check the package name in the URL.',
      });
    }
    const versions = Object.keys(doc.versions);
    let version: string | null = null;
    if (exact) version = doc.versions[exact] ? exact : null;
    else if (doc['dist-tags'][wanted]) version = doc['dist-tags'][wanted];
    else if (semver.validRange(wanted)) {
      const latest = doc['dist-tags'].latest;
      version = latest && semver.satisfies(latest, wanted) ? latest : semver.maxSatisfying(versions, wanted);
    }
    if (!version || !doc.versions[version]) {
      const recent = versions
        .filter((v) => semver.valid(v) && !semver.prerelease(v))
        .sort(semver.rcompare)
        .slice(0, 5);
      throw new FramesmithError('npm_version_not_found', `npm package "${name}" has no version matching "${wanted}".`, {
        hint: `Pick an existing version${recent.length ? ` (latest: ${recent.join(', ')})` : ''}.`,
      });
    }
    const dist = doc.versions[version].dist;
    const resolved: ResolvedVersion = {
      name,
      version,
      registry,
      tarball: dist.tarball,
      integrity: dist.integrity ?? null,
      shasum: dist.shasum ?? null,
    };
    await this.cache
      .put(versionKey(version), Buffer.from(JSON.stringify(resolved)), { contentType: 'application/json', source: 'npm', from: registry })
      .catch(() => {});
    return resolved;
  }

  /** The tarball of a resolved version, checked against its integrity; cached. */
  async tarball(v: ResolvedVersion): Promise<Buffer> {
    const key = `npm-tarball:${v.tarball}`;
    const hit = await this.cache.get(key);
    if (hit.status === 'hit' && verifyIntegrity(hit.bytes, v.integrity, v.shasum).ok) return hit.bytes;
    if (this.offline) throw registryUnreachable(v.name, v.registry, null);
    const res = await fetchRemote(v.tarball, {
      maxBytes: this.cache.maxEntryBytes,
      timeoutMs: this.timeoutMs,
      authFor: this.authFor(v.tarball),
      expect: 'data',
    }).catch((error) => {
      if ((error as FramesmithError).code === 'remote_too_large') {
        throw new FramesmithError(
          'remote_too_large',
          `The npm package ${v.name}@${v.version} (${v.tarball}) is larger than the ${Math.round(this.cache.maxEntryBytes / 1048576)} MiB cap for one cached file.`,
          {
            hint: 'Raise the cap with FRAMESMITH_CACHE_MAX_ENTRY (e.g. 200M), or put the file into the project yourself.',
          },
        );
      }
      throw error;
    });
    const check = verifyIntegrity(res.bytes, v.integrity, v.shasum);
    if (!check.ok) {
      throw new FramesmithError(
        'npm_integrity_mismatch',
        check.algorithm === 'none'
          ? `The npm registry gives no integrity for ${v.name}@${v.version}; framesmith does not use unverified packages.`
          : `The tarball of ${v.name}@${v.version} (${v.tarball}) does not match the registry's ${check.algorithm} integrity.`,
        {
          hint: 'Try again (a proxy or a broken download may have changed it); if it persists, the registry or a mirror serves a tampered file.',
        },
      );
    }
    await this.cache.put(key, res.bytes, {
      contentType: 'application/gzip',
      source: 'npm',
      from: v.tarball,
      extra: { integrity: v.integrity },
    });
    return res.bytes;
  }

  /** Every file of the tarball, in memory (the last few packages are kept for the process). */
  private unpack(v: ResolvedVersion): Promise<Map<string, Buffer>> {
    const id = `${v.registry}${v.name}@${v.version}`;
    let p = this.unpacked.get(id);
    if (!p) {
      p = this.tarball(v).then((tgz) => untar(tgz, `${v.name}@${v.version}`));
      this.unpacked.set(id, p);
      p.catch(() => this.unpacked.delete(id));
      while (this.unpacked.size > 3) this.unpacked.delete(this.unpacked.keys().next().value!);
    }
    return p;
  }

  /** Paths and sizes of a version's files, its package.json and its licence file. Cached. */
  async listing(name: string, range = 'latest'): Promise<PackageListing> {
    const v = await this.resolve(name, range);
    const key = `npm-listing:${v.registry}${name}@${v.version}`;
    const hit = await this.cache.get(key);
    if (hit.status === 'hit') return JSON.parse(hit.bytes.toString('utf8')) as PackageListing;
    const files = await this.unpack(v);
    let manifest: PackageManifest = {};
    try {
      manifest = JSON.parse(files.get('package.json')?.toString('utf8') ?? '{}') as PackageManifest;
    } catch {
      /* a broken package.json: no default files */
    }
    const licenseFile =
      [...files.keys()].filter((p) => !p.includes('/') && LICENSE_NAME.test(p)).sort((a, b) => a.length - b.length)[0] ?? null;
    const listing: PackageListing = {
      name,
      version: v.version,
      files: [...files].map(([path, b]) => ({ path, size: b.length })),
      manifest,
      licenseFile,
    };
    await this.cache
      .put(key, Buffer.from(JSON.stringify(listing)), { contentType: 'application/json', source: 'npm', from: v.tarball })
      .catch(() => {});
    return listing;
  }

  /**
   * The whole package unpacked in the cache folder (`<cache>/packages/…/<name>@<version>/`), for
   * code that reads a package as a folder (e.g. @fontsource packages). Written atomically: a
   * folder is there complete or not at all.
   */
  async packageDir(name: string, range = 'latest'): Promise<{ dir: string; version: string }> {
    const v = await this.resolve(name, range);
    const base = join(this.cache.dir, 'packages', createHash('sha256').update(v.registry).digest('hex').slice(0, 8));
    const dir = join(base, `${name}@${v.version}`);
    const marker = join(dir, '.framesmith-complete');
    if (existsSync(marker)) return { dir, version: v.version };
    const files = await this.unpack(v);
    const tmp = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      for (const [path, bytes] of files) {
        await fsp.mkdir(dirname(join(tmp, path)), { recursive: true });
        await fsp.writeFile(join(tmp, path), bytes);
      }
      await fsp.writeFile(join(tmp, '.framesmith-complete'), v.integrity ?? v.shasum ?? '');
      await fsp.mkdir(dirname(dir), { recursive: true });
      await fsp.rm(dir, { recursive: true, force: true });
      await fsp.rename(tmp, dir).catch(async (error) => {
        // Another process unpacked it meanwhile.
        if (!existsSync(marker)) throw error;
      });
    } catch (error) {
      throw new FramesmithError(
        'cache_write_failed',
        `Could not unpack ${name}@${v.version} into the framesmith cache at ${this.cache.dir}: ${(error as Error).message}`,
        {
          hint: 'Free some disk space or make the folder writable, or point FRAMESMITH_CACHE_DIR at another folder.',
          cause: error,
        },
      );
    } finally {
      await fsp.rm(tmp, { recursive: true, force: true }).catch(() => {});
    }
    return { dir, version: v.version };
  }

  /** One file of `name@range` (path inside the package, e.g. `dist/gsap.min.js`). */
  async file(name: string, range: string, path: string): Promise<NpmFile> {
    const v = await this.resolve(name, range);
    const clean = path.replace(/^\.?\/+/, '');
    const key = `npm-file:${v.registry}${name}@${v.version}/${clean}`;
    const hit = await this.cache.get(key);
    if (hit.status === 'hit')
      return { name, version: v.version, path: clean, bytes: hit.bytes, contentType: hit.record.contentType ?? contentTypeOf(clean) };
    const files = await this.unpack(v);
    const bytes = files.get(clean);
    if (!bytes) {
      throw new FramesmithError('npm_file_not_found', `npm package ${name}@${v.version} has no file ${clean}.`, {
        hint: `Check the path; the package's files are listed at ${v.registry.replace(/\/$/, '')}/${name}/${v.version} (or run \`npm pack ${name}@${v.version} --dry-run\`).`,
      });
    }
    const contentType = contentTypeOf(clean);
    await this.cache.put(key, bytes, { contentType, source: 'npm', from: `${name}@${v.version}` }).catch(() => {});
    return { name, version: v.version, path: clean, bytes, contentType };
  }
}

function registryUnreachable(name: string, registry: string, cause: unknown): FramesmithError {
  const why = cause instanceof FramesmithError ? ` (${cause.message})` : cause ? ` (${(cause as Error).message})` : '';
  return new FramesmithError(
    'npm_registry_unreachable',
    `Could not reach the npm registry ${registry} for "${name}", and it is not in the framesmith cache${why}.`,
    {
      hint: 'Connect to the network once (the files are kept for offline use), or set FRAMESMITH_NPM_REGISTRY / registry= in .npmrc to a registry you can reach.',
      cause,
    },
  );
}

/** Unpacks a .tgz into path → bytes, dropping the top folder (`package/`). */
export async function untar(tgz: Buffer, label: string): Promise<Map<string, Buffer>> {
  let tar: Buffer;
  try {
    tar = gunzipSync(tgz);
  } catch (error) {
    throw new FramesmithError('npm_tarball_invalid', `The tarball of ${label} is not valid gzip: ${(error as Error).message}.`, {
      hint: 'Try again; if it persists, report the package.',
    });
  }
  const files = new Map<string, Buffer>();
  const ex = tarExtract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        if (header.type === 'file' || header.type === 'contiguous-file') {
          const path = header.name
            .replace(/^\.?\//, '')
            .split('/')
            .slice(1)
            .join('/');
          if (path && !path.split('/').includes('..')) files.set(path, Buffer.concat(chunks));
        }
        next();
      });
      stream.on('error', reject);
    });
    ex.on('finish', resolve);
    ex.on('error', (e: Error) =>
      reject(new FramesmithError('npm_tarball_invalid', `The tarball of ${label} is not a valid tar archive: ${e.message}.`)),
    );
  });
  ex.end(tar);
  await done;
  return files;
}

let shared: NpmRegistry | null = null;
/** The registry of this process (settings read once, from the environment and ~/.npmrc). */
export function defaultNpmRegistry(): NpmRegistry {
  const cache = defaultContentCache();
  if (!shared || shared.cache !== cache) shared = new NpmRegistry({ cache });
  return shared;
}
