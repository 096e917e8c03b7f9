/**
 * Whether a new project's folder sits inside another npm project, and whether that project is a
 * workspace root that claims the folder (its `workspaces` patterns match it). In a workspace,
 * `npm install` must run at the root: npm installs a workspace's dependencies there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export interface EnclosingProject {
  /** The folder of the nearest package.json above the new project. */
  dir: string;
  /** When a workspace root above claims the folder: that root and the pattern that matched. */
  workspaceRoot: { dir: string; pattern: string; relativePath: string } | null;
}

function workspacePatterns(pkg: unknown): string[] {
  if (!pkg || typeof pkg !== 'object') return [];
  const ws = (pkg as { workspaces?: unknown }).workspaces;
  const list = Array.isArray(ws)
    ? ws
    : ws && typeof ws === 'object' && Array.isArray((ws as { packages?: unknown }).packages)
      ? (ws as { packages: unknown[] }).packages
      : [];
  return list.filter((p): p is string => typeof p === 'string');
}

/** Matches a workspace pattern (`packages/*`, `apps/**`, `./tools/cli`) against a relative POSIX path. */
export function matchesWorkspacePattern(pattern: string, relPath: string): boolean {
  const segments = pattern.replace(/^\.\//, '').replace(/\/+$/, '').split('/').filter(Boolean);
  const source = segments
    .map((s) =>
      s === '**'
        ? '(?:[^/]+/)*'
        : `${s
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')
            .replace(/\?/g, '[^/]')}/`,
    )
    .join('');
  return new RegExp(`^${source}$`).test(`${relPath}/`);
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** The npm project around `dir` (not `dir` itself), or null when there is none. */
export function enclosingProject(dir: string): EnclosingProject | null {
  const target = resolve(dir);
  let nearest: string | null = null;
  let workspaceRoot: EnclosingProject['workspaceRoot'] = null;
  for (let probe = dirname(target); ; probe = dirname(probe)) {
    const file = join(probe, 'package.json');
    if (existsSync(file)) {
      nearest ??= probe;
      const rel = relative(probe, target).split(sep).join('/');
      const pattern = workspacePatterns(readJson(file)).find((p) => matchesWorkspacePattern(p, rel));
      if (pattern && !workspaceRoot) workspaceRoot = { dir: probe, pattern, relativePath: rel };
    }
    if (dirname(probe) === probe) break;
  }
  return nearest ? { dir: nearest, workspaceRoot } : null;
}
