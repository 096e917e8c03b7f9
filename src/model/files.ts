/**
 * File facts the model needs, read once per parse: whether a project path names a file with
 * exactly that letter case (the cloud renders on case-sensitive Linux, while the author's disk
 * may not be), where a reference written in a user file points, and each file's text.
 */
import { readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join, posix } from 'node:path';
import { FramesmithError } from '../core/errors.js';
import { byteLimitFor, SIZE_HINT, tooLargeMessage } from '../security/budgets.js';
import { checkProjectPathSync, describeRefusal, REFUSAL_HINT, type Refusal } from '../security/file-policy.js';

/** How a URL from a user file resolves inside the project. */
export interface ResolvedRef {
  external: boolean;
  inline: boolean;
  /** Project-relative path, or null (external, inline, or climbing out). */
  path: string | null;
  outsideRoot: boolean;
}

/** Nothing to load from disk: data and blob URLs, fragments, and non-loading schemes. */
const INLINE = /^(?:data:|blob:|about:|javascript:|mailto:|tel:|#)/i;
/** Any other scheme (https:, file:, …) or a protocol-relative `//host`. */
const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

/**
 * Resolves `url` written in a file against `baseDir` (a project-relative folder, '' = the
 * project root). A leading `/` means the project root, which is where the page is served from.
 */
export function resolveRef(url: string, baseDir: string): ResolvedRef {
  const raw = url.trim();
  if (raw === '' || INLINE.test(raw)) return { external: false, inline: true, path: null, outsideRoot: false };
  if (EXTERNAL.test(raw)) return { external: true, inline: false, path: null, outsideRoot: false };
  let clean = raw.split(/[?#]/)[0].replace(/\\/g, '/');
  try {
    clean = decodeURIComponent(clean);
  } catch {
    // A stray % is kept as written; the lookup then reports the file as missing.
  }
  const joined = clean.startsWith('/') ? clean.replace(/^\/+/, '') : posix.join(baseDir, clean);
  const normal = posix.normalize(joined);
  if (normal === '..' || normal.startsWith('../')) return { external: false, inline: false, path: null, outsideRoot: true };
  return { external: false, inline: false, path: normal === '.' ? '' : normal.replace(/\/$/, ''), outsideRoot: false };
}

/** The result of looking a project path up with exact letter case. */
export interface FileLookup {
  /** A file (or a symlink to one) exists at exactly this path. */
  exists: boolean;
  /** The real path when the file exists only with other letter case. */
  caseMismatch: string | null;
  /** Set when a file is there but the file-access policy refuses it (then `exists` is false). */
  refused?: Refusal;
}

/** Cached, case-aware view of one project folder, for the length of one parse. */
export class ProjectFiles {
  private listings = new Map<string, Dirent[] | null>();
  private texts = new Map<string, string>();
  constructor(readonly root: string) {}

  /** Directory entries of a project-relative folder, or null when it is not a folder. */
  list(dir: string): Dirent[] | null {
    let entries = this.listings.get(dir);
    if (entries === undefined) {
      try {
        entries = readdirSync(join(this.root, dir), { withFileTypes: true });
      } catch {
        entries = null;
      }
      this.listings.set(dir, entries);
    }
    return entries;
  }

  private isFileEntry(dir: string, entry: Dirent): boolean {
    if (entry.isFile()) return true;
    if (!entry.isSymbolicLink()) return false;
    try {
      return statSync(join(this.root, dir, entry.name)).isFile();
    } catch {
      return false;
    }
  }

  /** Exact-case lookup of a file, walking the folders by their listings (never by stat alone). */
  lookup(path: string): FileLookup {
    const parts = path.split('/').filter(Boolean);
    if (!parts.length) return { exists: false, caseMismatch: null };
    let dir = '';
    let mismatch = false;
    for (let i = 0; i < parts.length; i++) {
      const entries = this.list(dir);
      if (!entries) return { exists: false, caseMismatch: null };
      const part = parts[i];
      let entry = entries.find((e) => e.name === part);
      if (!entry) {
        const lower = part.toLowerCase();
        entry = entries.find((e) => e.name.toLowerCase() === lower);
        if (!entry) return { exists: false, caseMismatch: null };
        mismatch = true;
      }
      const last = i === parts.length - 1;
      if (last && !this.isFileEntry(dir, entry)) return { exists: false, caseMismatch: null };
      dir = dir ? `${dir}/${entry.name}` : entry.name;
    }
    if (mismatch) return { exists: false, caseMismatch: dir };
    const checked = checkProjectPathSync(this.realRoot(), path);
    if (!checked.ok && !checked.missing) return { exists: false, caseMismatch: null, refused: checked.refusal };
    return { exists: true, caseMismatch: null };
  }

  private real: string | undefined;
  private realRoot(): string {
    if (this.real === undefined) {
      try {
        this.real = realpathSync(this.root);
      } catch {
        this.real = this.root;
      }
    }
    return this.real;
  }

  /**
   * The text of a project file, read once. Throws a FramesmithError (`file_refused`,
   * `file_too_large`) for a file the policy refuses or one over its size budget.
   */
  read(path: string): string {
    let text = this.texts.get(path);
    if (text === undefined) {
      const checked = checkProjectPathSync(this.realRoot(), path);
      if (!checked.ok && !checked.missing) {
        throw new FramesmithError('file_refused', `${describeRefusal(path, checked.refusal)}; framesmith does not read it.`, {
          hint: REFUSAL_HINT,
          loc: { file: path, line: 0, column: 0 },
        });
      }
      const abs = join(this.root, path);
      const limit = byteLimitFor(path);
      const size = statSync(abs).size;
      if (size > limit)
        throw new FramesmithError('file_too_large', tooLargeMessage(path, size, limit), {
          hint: SIZE_HINT,
          loc: { file: path, line: 0, column: 0 },
        });
      text = readFileSync(abs, 'utf8');
      this.texts.set(path, text);
    }
    return text;
  }
}
