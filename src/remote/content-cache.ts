/**
 * framesmith's content cache: the bytes of remote resources (CDN scripts, stylesheets, fonts,
 * images, media, npm tarballs and the files taken out of them), kept in the user's cache folder
 * and keyed by URL (or by an `npm:` key). Once an entry is there it is served as it is, so a
 * composition renders offline and byte for byte the same on later runs.
 *
 * Each entry is two files: the body, and a small JSON record written after it with the body's
 * size and SHA-256. Every read checks both: a truncated or corrupted body (a crash mid-write on a
 * filesystem without atomic rename, a disk error, a hand edit) is never served; the entry is
 * removed and the caller told, so it can fetch again or report. Writes go to a temp file and are
 * renamed into place. One entry may not exceed `maxEntryBytes` (default 50 MiB); when the whole
 * cache passes `maxTotalBytes` (default 2 GiB) the least recently used entries go.
 *
 * Where: `FRAMESMITH_CACHE_DIR`, else `$XDG_CACHE_HOME/framesmith`, else `~/.cache/framesmith`
 * (entries under `content/`). Caps: `FRAMESMITH_CACHE_MAX_ENTRY` and `FRAMESMITH_CACHE_MAX_TOTAL`
 * (bytes, or with a K/M/G suffix).
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { FramesmithError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';

export const DEFAULT_MAX_ENTRY_BYTES = 50 * 1024 * 1024;
export const DEFAULT_MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024;

/** What is stored with each body. */
export interface CacheRecord {
  /** The key (a URL, or `npm:…`). */
  key: string;
  size: number;
  /** Hex SHA-256 of the body. */
  sha256: string;
  /** Content-Type the body was served with (or inferred), when known. */
  contentType: string | null;
  /** Where the bytes came from: the URL itself, the npm registry, @fontsource, … */
  source: 'network' | 'npm' | 'fontsource' | 'generated';
  /** The URL actually read (after redirects), the npm spec, … */
  from?: string;
  /** ISO time it was stored. */
  storedAt: string;
  /** Free-form facts for the caller (e.g. an npm package's licence file). */
  extra?: Record<string, unknown>;
}

export type CacheRead =
  | { status: 'hit'; bytes: Buffer; record: CacheRecord }
  | { status: 'miss' }
  /** The entry existed but failed its check; it has been removed. */
  | { status: 'corrupt'; reason: string };

export interface ContentCacheOptions {
  /** The cache folder (default: see `defaultCacheDir()`). */
  dir?: string;
  maxEntryBytes?: number;
  maxTotalBytes?: number;
}

/** `50M`, `2G`, `1048576` → bytes (binary multiples). */
export function parseSize(value: string, name: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*$/i.exec(value);
  if (!m)
    throw new FramesmithError('invalid_size', `${name}="${value}" is not a size.`, {
      hint: `Write bytes or a number with K, M or G, e.g. ${name}=50M.`,
      exitCode: EXIT.usage,
    });
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.floor(Number(m[1]) * mult);
}

/** `FRAMESMITH_CACHE_DIR`, else `$XDG_CACHE_HOME/framesmith`, else `~/.cache/framesmith`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FRAMESMITH_CACHE_DIR) return env.FRAMESMITH_CACHE_DIR;
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'framesmith');
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

export class ContentCache {
  readonly dir: string;
  readonly maxEntryBytes: number;
  readonly maxTotalBytes: number;
  private readonly content: string;

  constructor(options: ContentCacheOptions = {}) {
    const env = process.env;
    this.dir = options.dir ?? defaultCacheDir();
    this.content = join(this.dir, 'content');
    this.maxEntryBytes =
      options.maxEntryBytes ??
      (env.FRAMESMITH_CACHE_MAX_ENTRY ? parseSize(env.FRAMESMITH_CACHE_MAX_ENTRY, 'FRAMESMITH_CACHE_MAX_ENTRY') : DEFAULT_MAX_ENTRY_BYTES);
    this.maxTotalBytes =
      options.maxTotalBytes ??
      (env.FRAMESMITH_CACHE_MAX_TOTAL ? parseSize(env.FRAMESMITH_CACHE_MAX_TOTAL, 'FRAMESMITH_CACHE_MAX_TOTAL') : DEFAULT_MAX_TOTAL_BYTES);
  }

  /** The body and record files of a key. */
  pathsOf(key: string): { body: string; record: string } {
    const id = sha256(key);
    return { body: join(this.content, `${id}.body`), record: join(this.content, `${id}.json`) };
  }

  /**
   * Whether an entry looks present (record readable, body of the recorded size), without reading
   * the body: for lint, which must stay fast and synchronous. get() still checks the content.
   */
  hasSync(key: string): boolean {
    const paths = this.pathsOf(key);
    try {
      const record = JSON.parse(readFileSync(paths.record, 'utf8')) as CacheRecord;
      return record.key === key && statSync(paths.body).size === record.size;
    } catch {
      return false;
    }
  }

  /** Reads and checks an entry. A bad entry is removed and reported as `corrupt`. */
  async get(key: string): Promise<CacheRead> {
    const paths = this.pathsOf(key);
    let record: CacheRecord;
    try {
      record = JSON.parse(await fs.readFile(paths.record, 'utf8')) as CacheRecord;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'miss' };
      await this.remove(key);
      return { status: 'corrupt', reason: 'its record is unreadable' };
    }
    if (record.key !== key || typeof record.size !== 'number' || typeof record.sha256 !== 'string') {
      await this.remove(key);
      return { status: 'corrupt', reason: 'its record is unreadable' };
    }
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(paths.body);
    } catch {
      await this.remove(key);
      return { status: 'corrupt', reason: 'its body is missing' };
    }
    if (bytes.length !== record.size) {
      await this.remove(key);
      return { status: 'corrupt', reason: `it is truncated (${bytes.length} of ${record.size} bytes)` };
    }
    if (sha256(bytes) !== record.sha256) {
      await this.remove(key);
      return { status: 'corrupt', reason: 'its content does not match its SHA-256' };
    }
    // Recently used entries are the last to be evicted; a read-only cache still serves.
    const now = new Date();
    await fs.utimes(paths.body, now, now).catch(() => {});
    return { status: 'hit', bytes, record };
  }

  /**
   * Stores `bytes` under `key` (atomically: a reader sees the old entry, no entry, or the new
   * one, never half of one). Throws `remote_too_large` past the per-entry cap.
   */
  async put(key: string, bytes: Buffer, info: Omit<CacheRecord, 'key' | 'size' | 'sha256' | 'storedAt'>): Promise<CacheRecord> {
    if (bytes.length > this.maxEntryBytes) throw tooLargeError(key, bytes.length, this.maxEntryBytes);
    const record: CacheRecord = { key, size: bytes.length, sha256: sha256(bytes), storedAt: new Date().toISOString(), ...info };
    const paths = this.pathsOf(key);
    try {
      await fs.mkdir(this.content, { recursive: true });
      // The record goes first: a body without a matching record is unreachable, a record whose
      // body is missing or different is detected and dropped by get().
      await fs.rm(paths.record, { force: true });
      await atomicWrite(paths.body, bytes);
      await atomicWrite(paths.record, JSON.stringify(record));
    } catch (error) {
      throw new FramesmithError(
        'cache_write_failed',
        `Could not write to the framesmith cache at ${this.dir}: ${(error as Error).message}`,
        {
          hint: 'Free some disk space or make the folder writable, or point FRAMESMITH_CACHE_DIR at another folder.',
          cause: error,
        },
      );
    }
    await this.evict(paths.body).catch(() => {});
    return record;
  }

  async remove(key: string): Promise<void> {
    const paths = this.pathsOf(key);
    await fs.rm(paths.record, { force: true }).catch(() => {});
    await fs.rm(paths.body, { force: true }).catch(() => {});
  }

  /** Total bytes and entry count. */
  async usage(): Promise<{ bytes: number; entries: number }> {
    const bodies = await this.bodies();
    return { bytes: bodies.reduce((n, b) => n + b.size, 0), entries: bodies.length };
  }

  /** Removes every entry and unpacked package (the folder stays). */
  async clear(): Promise<void> {
    await fs.rm(this.content, { recursive: true, force: true });
    await fs.rm(join(this.dir, 'packages'), { recursive: true, force: true });
  }

  private async bodies(): Promise<{ path: string; size: number; used: number }[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.content);
    } catch {
      return [];
    }
    const out: { path: string; size: number; used: number }[] = [];
    for (const name of names) {
      if (!name.endsWith('.body')) continue;
      const path = join(this.content, name);
      const st = await fs.stat(path).catch(() => null);
      if (st) out.push({ path, size: st.size, used: st.mtimeMs });
    }
    return out;
  }

  /** Drops least recently used entries until the cache fits its total cap (never `keep`). */
  private async evict(keep: string): Promise<void> {
    const bodies = await this.bodies();
    let total = bodies.reduce((n, b) => n + b.size, 0);
    if (total <= this.maxTotalBytes) return;
    bodies.sort((a, b) => a.used - b.used);
    for (const b of bodies) {
      if (total <= this.maxTotalBytes) break;
      if (b.path === keep) continue;
      await fs.rm(b.path.replace(/\.body$/, '.json'), { force: true });
      await fs.rm(b.path, { force: true });
      total -= b.size;
    }
  }
}

/** Writes `path` through a temp file in the same folder and a rename. */
export async function atomicWrite(path: string, data: Buffer | string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, path);
  } catch (error) {
    await fs.rm(tmp, { force: true }).catch(() => {});
    throw error;
  }
}

const mib = (n: number) => (n < 1024 * 1024 ? `${Math.round(n / 102.4) / 10} KiB` : `${Math.round(n / 104857.6) / 10} MiB`);

export function tooLargeError(url: string, size: number, cap: number): FramesmithError {
  return new FramesmithError(
    'remote_too_large',
    size >= 0
      ? `${url} is ${mib(size)}, over the ${mib(cap)} limit for one cached file.`
      : `${url} is larger than the ${mib(cap)} limit for one cached file.`,
    {
      hint: 'Put the file into the project yourself, or raise the limit with FRAMESMITH_CACHE_MAX_ENTRY (e.g. 200M).',
    },
  );
}

let shared: ContentCache | null = null;
/** The cache of this process, from the environment (tests point FRAMESMITH_CACHE_DIR elsewhere). */
export function defaultContentCache(): ContentCache {
  const dir = defaultCacheDir();
  if (!shared || shared.dir !== dir) shared = new ContentCache({ dir });
  return shared;
}
