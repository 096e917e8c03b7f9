/**
 * The one rule for which project files framesmith reads for a page, serves or bundles: dev, the
 * static server of snapshot/render/build check, build's and render's file collection (so also
 * the zip `render --cloud` uploads) and the model lint reads. A file is allowed when, after every
 * symlink on the way is resolved, it is inside the project folder, and neither the path as asked
 * for nor the real path has a segment that is a dotfile or dot folder (`.env`, `.git/config`) or
 * is named like a secret (`*.pem`, `*.key`, `id_rsa`, …). Everything else is refused with one
 * code, `file_refused`; servers answer a refused file exactly as a missing one.
 */
import { promises as fs, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';

/** The code of every refusal (lint diagnostics, build warnings, errors). */
export const FILE_REFUSED = 'file_refused';

export type RefusalReason = 'outside' | 'dotfile' | 'secret';

export interface Refusal {
  reason: RefusalReason;
  /** The offending path segment (dotfile, secret) or the real path (outside, absolute). */
  detail: string;
  /** Where the path really leads when a symlink on the way changed it (project-relative or absolute). */
  target?: string;
}

/** File names of keys and credentials that carry no leading dot (compared in lower case). */
const SECRET_NAMES =
  /^(id_(rsa|dsa|ecdsa|ed25519|xmss)(\.pub)?|npmrc|_netrc|netrc|pgpass|htpasswd|credentials|secrets?(\.(json|ya?ml|toml|txt))?)$/;
/** Extensions of private keys, keystores, certificates and env files. */
const SECRET_EXTENSIONS = /\.(pem|key|p8|p12|pfx|jks|keystore|ppk|kdbx|gpg|pgp|crt|cer|der|env)$/;

/** Why one file or folder name is refused, or null. */
export function segmentRefusal(name: string): 'dotfile' | 'secret' | null {
  if (name.startsWith('.') && name !== '.' && name !== '..') return 'dotfile';
  const lower = name.toLowerCase();
  if (SECRET_NAMES.test(lower) || SECRET_EXTENSIONS.test(lower)) return 'secret';
  return null;
}

/** The first refused segment of a project-relative path (either separator), or null. */
export function pathRefusal(rel: string): Refusal | null {
  for (const segment of rel.split(/[\\/]/)) {
    if (!segment) continue;
    const reason = segmentRefusal(segment);
    if (reason) return { reason, detail: segment };
  }
  return null;
}

function insideRel(root: string, real: string): string | null {
  const rel = relative(root, real);
  if (rel === '') return '';
  if (rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return null;
  return rel.split(sep).join('/');
}

/**
 * Judges a file reached as `asked` (project-relative, forward slashes) whose real path is `real`
 * (absolute, links resolved). `root` must be a real path itself.
 */
export function judge(root: string, asked: string, real: string): { ok: true; rel: string } | { ok: false; refusal: Refusal } {
  const askedRefusal = pathRefusal(asked);
  if (askedRefusal) return { ok: false, refusal: askedRefusal };
  const rel = insideRel(root, real);
  if (rel === null) return { ok: false, refusal: { reason: 'outside', detail: real, target: real } };
  const realRefusal = pathRefusal(rel);
  const moved = rel !== asked.replace(/^\/+|\/+$/g, '');
  if (realRefusal) return { ok: false, refusal: { ...realRefusal, ...(moved ? { target: rel } : {}) } };
  return { ok: true, rel };
}

export type Checked =
  | { ok: true; /** Real absolute path. */ real: string; /** Real project-relative path. */ rel: string }
  | { ok: false; missing: true }
  | { ok: false; missing: false; refusal: Refusal };

/** Resolves and judges a project-relative path (no `..`): allowed, refused, or missing. */
export async function checkProjectPath(root: string, asked: string): Promise<Checked> {
  const early = pathRefusal(asked);
  if (early) return { ok: false, missing: false, refusal: early };
  let real: string;
  try {
    real = await fs.realpath(join(root, asked));
  } catch {
    return { ok: false, missing: true };
  }
  const verdict = judge(root, asked, real);
  return verdict.ok ? { ok: true, real, rel: verdict.rel } : { ok: false, missing: false, refusal: verdict.refusal };
}

/** `checkProjectPath` for synchronous callers (the model). */
export function checkProjectPathSync(root: string, asked: string): Checked {
  const early = pathRefusal(asked);
  if (early) return { ok: false, missing: false, refusal: early };
  let real: string;
  try {
    real = realpathSync(join(root, asked));
  } catch {
    return { ok: false, missing: true };
  }
  const verdict = judge(root, asked, real);
  return verdict.ok ? { ok: true, real, rel: verdict.rel } : { ok: false, missing: false, refusal: verdict.refusal };
}

/** Says why `asked` is refused, for messages shown on the user's own terminal. */
export function describeRefusal(asked: string, refusal: Refusal): string {
  const via = refusal.target && refusal.target !== asked ? ` (it leads to ${refusal.target})` : '';
  switch (refusal.reason) {
    case 'outside':
      return `${asked} leads to ${refusal.detail}, outside the project`;
    case 'dotfile':
      return `${asked} is or is inside a dotfile or dot folder (${refusal.detail})${via}`;
    case 'secret':
      return `${asked} is named like a key or credential file (${refusal.detail})${via}`;
  }
}

/** What to do about a refusal. */
export const REFUSAL_HINT =
  'framesmith never serves or bundles dotfiles, dot folders, key or credential files, or anything outside the project, also not through a symlink. Copy the file the composition needs into the project under an ordinary name.';
