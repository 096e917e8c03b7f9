/**
 * File facts the model needs, read once per parse: whether a project path exists with exactly
 * that letter case (the cloud renders on case-sensitive Linux), and where a reference points.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

/** How a URL from a user file resolves inside the project. */
export interface ResolvedRef {
  external: boolean;
  inline: boolean;
  /** Project-relative path, or null (external, inline, or climbing out). */
  path: string | null;
  outsideRoot: boolean;
}

const INLINE = /^(?:data:|blob:|about:|javascript:|mailto:|tel:|#)/i;
const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:)?\/\//i;

/**
 * Resolves `url` written in a file, against `baseDir` (project-relative folder; '' = root).
 * HTML attributes resolve from the project root (the contract), CSS from the CSS file's folder.
 */
export function resolveRef(url: string, baseDir: string): ResolvedRef {
  const raw = url.trim();
  if (raw === '' || INLINE.test(raw)) return { external: false, inline: true, path: null, outsideRoot: false };
  if (EXTERNAL.test(raw) || /^[a-z][a-z0-9+.-]*:/i.test(raw)) return { external: true, inline: false, path: null, outsideRoot: false };
  let clean = raw.split(/[?#]/)[0];
  try {
    clean = decodeURIComponent(clean);
  } catch {
    /* keep as written */
  }
  const joined = clean.startsWith('/') ? clean.slice(1) : posix.join(baseDir, clean);
  const normal = posix.normalize(joined);
  if (normal === '..' || normal.startsWith('../')) return { external: false, inline: false, path: null, outsideRoot: true };
  return { external: false, inline: false, path: normal === '.' ? '' : normal.replace(/\/$/, ''), outsideRoot: false };
}

/** Cached, case-aware view of the project folder. */
export class ProjectFiles {
  private listings = new Map<string, string[] | null>();
  constructor(readonly root: string) {}

  private list(dir: string): string[] | null {
    if (!this.listings.has(dir)) {
      try {
        this.listings.set(dir, readdirSync(join(this.root, dir)));
      } catch {
        this.listings.set(dir, null);
      }
    }
    return this.listings.get(dir)!;
  }

  /** Exact-case existence, and the real path when only another letter case exists. */
  lookup(path: string): { exists: boolean; caseMismatch: string | null } {
    const parts = path.split('/').filter(Boolean);
    let dir = '';
    let real = '';
    let mismatch = false;
    for (const part of parts) {
      const entries = this.list(dir);
      if (!entries) return { exists: false, caseMismatch: null };
      let name = entries.includes(part) ? part : undefined;
      if (!name) {
        name = entries.find((e) => e.toLowerCase() === part.toLowerCase());
        if (!name) return { exists: false, caseMismatch: null };
        mismatch = true;
      }
      real = real ? `${real}/${name}` : name;
      dir = real;
    }
    return mismatch ? { exists: false, caseMismatch: real } : { exists: parts.length > 0 || path === '', caseMismatch: null };
  }

  isFile(path: string): boolean {
    try {
      return statSync(join(this.root, path)).isFile();
    } catch {
      return false;
    }
  }

  read(path: string): string {
    return readFileSync(join(this.root, path), 'utf8');
  }
}
