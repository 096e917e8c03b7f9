/**
 * `framesmith new` as a function: copies a template into a folder, sizes it for the requested
 * aspect and resolution, vendors GSAP and fonts, and writes the project's package.json. A folder
 * that is not empty needs `force`, and even then only the files the template provides are
 * replaced; nothing else is deleted.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { FramesmithError } from '../core/errors.js';
import { PACKAGE_ROOT, PACKAGE_VERSION } from '../core/paths.js';
import { enclosingProject, type EnclosingProject } from './enclosing-project.js';
import { currentDependencyFacts, framesmithDependency, type DependencySource } from './framesmith-dependency.js';
import { projectPackageJson } from './project-package.js';
import { resizeCompositionHtml } from './resize.js';
import { frameSize, type Aspect, type Resolution } from './sizes.js';
import { resolveTemplate } from './templates.js';
import { checkTarget, wrapWriteError } from './target.js';
import { VENDOR_DIRS, vendoredPaths, vendorInto, writeFileAtomic } from './vendor.js';

export interface CreateProjectOptions {
  /** Folder to create or fill. */
  dir: string;
  /** Template name (default `blank`). */
  template?: string;
  /** Default: the template's own aspect. */
  aspect?: Aspect;
  /** Default 1080p; 4k doubles the size. */
  resolution?: Resolution;
  /** Write into a non-empty folder, replacing only the files the template provides. */
  force?: boolean;
  /** Template library folder (default: framesmith's own `templates/`). */
  templatesDir?: string;
  /**
   * The framesmith dependency to write (default: one that installs today from where this
   * framesmith came from: the registry version, its package file or its folder).
   */
  framesmithDependency?: string;
}

export interface CreateProjectResult {
  dir: string;
  template: string;
  aspect: Aspect;
  resolution: Resolution;
  width: number;
  height: number;
  duration: number;
  /** Relative paths written, sorted. */
  files: string[];
  /** Relative paths that existed and were replaced. */
  overwritten: string[];
  /** Whether package.json was new or merged into an existing one. */
  packageJson: 'created' | 'merged';
  /** The framesmith dependency in package.json: where it points, and whether it was already there. */
  dependency: { spec: string; source: DependencySource | 'option' | 'existing'; description: string };
  /** The npm project around the new folder, if any (and the workspace root that claims it). */
  enclosing: EnclosingProject | null;
}

/** Files a template provides, relative POSIX paths; generated folders and the manifest are left out. */
async function templateFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const skip = new Set<string>([...VENDOR_DIRS, 'template.json', 'node_modules', 'snapshots', 'renders']);
  async function walk(sub: string): Promise<void> {
    for (const entry of await readdir(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.name.startsWith('.') || (!sub && skip.has(entry.name))) continue;
      if (entry.isDirectory()) await walk(rel);
      else if (entry.isFile()) out.push(rel);
    }
  }
  await walk('');
  return out.sort();
}

/** Creates a project from a template. See CreateProjectOptions. */
export async function createProject(options: CreateProjectOptions): Promise<CreateProjectResult> {
  const dir = resolve(options.dir);
  const template = await resolveTemplate(options.template ?? 'blank', options.templatesDir);
  const aspect = options.aspect ?? template.aspect;
  if (!template.aspects.includes(aspect)) {
    throw new FramesmithError('unsupported_aspect', `Template "${template.name}" is not laid out for ${aspect}.`, {
      hint: `It supports ${template.aspects.join(', ')}.`,
      exitCode: 2,
    });
  }
  const resolution = options.resolution ?? '1080p';
  const size = frameSize(aspect, resolution);

  const files = await templateFiles(template.dir);
  const planned = [...files, ...vendoredPaths(template.fonts), 'package.json'];
  const existing = await checkTarget(dir, planned, Boolean(options.force));
  const overwritten = planned.filter((p) => p !== 'package.json' && existing.has(p));
  const pkgPath = join(dir, 'package.json');
  const hadPackage = existsSync(pkgPath);
  const wanted = options.framesmithDependency
    ? { spec: options.framesmithDependency, source: 'option' as const, description: options.framesmithDependency }
    : framesmithDependency(currentDependencyFacts(PACKAGE_ROOT, PACKAGE_VERSION));
  let pkg: ReturnType<typeof projectPackageJson>;

  try {
    for (const rel of files) {
      const from = join(template.dir, ...rel.split('/'));
      const to = join(dir, ...rel.split('/'));
      if (rel.endsWith('.html')) {
        const { html } = resizeCompositionHtml(await readFile(from, 'utf8'), size);
        await writeFileAtomic(to, html);
      } else {
        await writeFileAtomic(to, await readFile(from));
      }
    }
    await vendorInto(dir, template.fonts);
    pkg = projectPackageJson(dir, wanted.spec, hadPackage ? await readFile(pkgPath, 'utf8') : undefined);
    await writeFileAtomic(pkgPath, pkg.text);
  } catch (error) {
    throw wrapWriteError(error, dir);
  }
  const dependency = pkg.framesmith.kept
    ? { spec: pkg.framesmith.spec, source: 'existing' as const, description: `${pkg.framesmith.spec} (already in package.json, kept)` }
    : wanted;

  return {
    dir,
    template: template.name,
    aspect,
    resolution,
    width: size.width,
    height: size.height,
    duration: template.duration,
    files: planned.sort(),
    overwritten,
    packageJson: hadPackage ? 'merged' : 'created',
    dependency,
    enclosing: enclosingProject(dir),
  };
}

/** `dir` relative to the working folder, for messages (`cd` hints). */
export function displayPath(dir: string, cwd = process.cwd()): string {
  const rel = relative(cwd, dir);
  return rel && !rel.startsWith(`..${sep}`) && rel !== '..' ? rel : dir;
}
