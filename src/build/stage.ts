/**
 * Lays out the built output in a staging folder: exactly the files that go into the zip, under
 * their zip names, so the browser check loads what the cloud will get. Project files are
 * hard-linked (copied when the link is refused, e.g. across file systems); a project whose module
 * scripts need bundling is first built by Vite into the same folder, with relative URLs. Vite
 * builds from a staged copy of the collected files (plus the project's node_modules), never from
 * the project folder itself, and with the file-access policy as a plugin: a `?raw` import or a
 * CSS url() cannot pull a dotfile, a secret or a file outside the project into the bundle.
 */
import { existsSync, promises as fs } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { FramesmithError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ProjectFile } from './collect-files.js';
import type { ModuleNeed } from './module-graph.js';

export interface StagedOutput {
  dir: string;
  /** Sorted; `abs` points into the staging folder. */
  files: ProjectFile[];
  mode: 'copy' | 'vite';
  remove(): Promise<void>;
}

/** Sources that a Vite build turns into other files: they do not belong in its output. */
const BUILD_SOURCES = /(^|\/)(tsconfig(\.[\w-]+)?\.json|vite\.config\.[cm]?[jt]s|package(-lock)?\.json|pnpm-lock\.yaml|yarn\.lock)$/;
const TS_SOURCE = new Set(['.ts', '.tsx', '.mts', '.cts', '.jsx']);

async function linkOrCopy(from: string, to: string): Promise<void> {
  await fs.mkdir(dirname(to), { recursive: true });
  try {
    await fs.link(from, to);
  } catch {
    await fs.copyFile(from, to);
  }
}

async function listFiles(dir: string, base = dir): Promise<ProjectFile[]> {
  const out: ProjectFile[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const abs = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(abs, base)));
    else if (entry.isFile()) out.push({ rel: relative(base, abs).split(sep).join('/'), abs, size: (await fs.stat(abs)).size });
  }
  return out;
}

async function viteBuild(root: string, outDir: string, inputs: string[], logger: Logger, allowedOutside: string[]): Promise<void> {
  const { build } = await import('vite');
  const { filePolicyPlugin } = await import('../dev/vite-policy.js');
  const hasConfig = (await fs.readdir(root)).some((n) => /^vite\.config\.[cm]?[jt]s$/.test(n));
  try {
    await build({
      root,
      base: './',
      configFile: hasConfig ? undefined : false,
      // .env files must never reach a bundle, not even as inlined VITE_ values.
      envDir: false,
      logLevel: 'silent',
      clearScreen: false,
      cacheDir: join(outDir, '.vite-cache'),
      plugins: [filePolicyPlugin(root, allowedOutside, { packages: true })],
      build: {
        outDir,
        emptyOutDir: false,
        copyPublicDir: true,
        reportCompressedSize: false,
        modulePreload: { polyfill: false },
        rolldownOptions: {
          input: Object.fromEntries(inputs.map((f) => [f.replace(/\.html?$/, '').replace(/[^\w-]/g, '_'), join(root, f)])),
        },
      },
    });
  } catch (error) {
    const e = error as { message?: string; id?: string; loc?: { file?: string; line?: number; column?: number } };
    const file = e.loc?.file ?? e.id;
    throw new FramesmithError(
      'bundle_failed',
      `Vite could not build the module scripts: ${(e.message ?? String(error)).split('\n')[0].split(`${root}${sep}`).join('')}`,
      {
        hint: 'Fix the error in the script, and check that the packages it imports are installed (npm install) in the project.',
        loc: file
          ? { file: relative(root, file).split(sep).join('/'), line: e.loc?.line ?? 0, column: (e.loc?.column ?? -1) + 1 }
          : undefined,
        cause: error,
      },
    );
  }
  await fs.rm(join(outDir, '.vite-cache'), { recursive: true, force: true });
  logger.debug(`vite built ${inputs.join(', ')}`);
}

/**
 * The folder Vite builds from: the collected files hard-linked under their project paths, and
 * the project's node_modules linked in (packages are resolved from there).
 */
async function stageSources(root: string, files: ProjectFile[], parent: string): Promise<{ dir: string; allowedOutside: string[] }> {
  const dir = await fs.mkdtemp(join(parent, '.framesmith-src-'));
  for (const f of files) await linkOrCopy(f.abs, join(dir, f.rel));
  const modules = join(root, 'node_modules');
  const allowedOutside: string[] = [];
  if (existsSync(modules)) {
    await fs.symlink(modules, join(dir, 'node_modules'), 'junction');
    allowedOutside.push(await fs.realpath(modules));
  }
  return { dir, allowedOutside };
}

/**
 * Stages `files` (from collectProjectFiles) into a fresh folder under `parent`. With `needs`
 * (HTML files whose module scripts need bundling), Vite builds those first and the TypeScript
 * sources and package manifests are left out.
 */
export async function stageOutput(
  root: string,
  files: ProjectFile[],
  needs: ModuleNeed[],
  parent: string,
  logger: Logger,
): Promise<StagedOutput> {
  await fs.mkdir(parent, { recursive: true });
  const dir = await fs.mkdtemp(join(parent, '.framesmith-stage-'));
  const remove = () => fs.rm(dir, { recursive: true, force: true });
  try {
    const mode = needs.length ? 'vite' : 'copy';
    if (mode === 'vite') {
      const sources = await stageSources(root, files, parent);
      try {
        await viteBuild(
          sources.dir,
          dir,
          needs.map((n) => n.html),
          logger,
          sources.allowedOutside,
        );
      } finally {
        await fs.rm(sources.dir, { recursive: true, force: true });
      }
    }
    const written = new Set((await listFiles(dir)).map((f) => f.rel));
    for (const f of files) {
      if (written.has(f.rel)) continue;
      if (mode === 'vite' && (BUILD_SOURCES.test(f.rel) || TS_SOURCE.has(extname(f.rel)))) continue;
      await linkOrCopy(f.abs, join(dir, f.rel));
    }
    const staged = (await listFiles(dir)).sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
    return { dir, files: staged, mode, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
