/**
 * The folder a render serves. A classic project (plain scripts, or modules that import only
 * relative .js files) is served straight from the project folder. A project whose module scripts
 * import npm packages or are TypeScript is first bundled by the build's Vite step into a temp
 * folder, exactly as `framesmith build` stages it for the cloud, and served from there.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectProjectFiles } from '../build/collect-files.js';
import { findModuleNeeds } from '../build/module-graph.js';
import { stageOutput } from '../build/stage.js';
import type { Logger } from '../core/logger.js';

export interface ProjectSource {
  /** Folder to serve. */
  root: string;
  /** 'copy' = the project folder itself; 'vite' = a bundled temp folder. */
  mode: 'project' | 'vite';
  dispose(): Promise<void>;
}

/** Decides how to serve `root`; bundles module projects. */
export async function prepareProjectSource(root: string, logger: Logger): Promise<ProjectSource> {
  const collected = await collectProjectFiles(root);
  // Not served (no URL can name them); only a zip must refuse them.
  for (const name of collected.badNames)
    logger.warn(`${name}: the name is not valid UTF-8 (bytes shown as \\xNN); the file is not served.`, 'file_name_not_utf8');
  const html = collected.files.filter((f) => /\.html?$/i.test(f.rel)).map((f) => f.rel);
  const needs = await findModuleNeeds(root, html);
  if (!needs.length) return { root, mode: 'project', dispose: async () => {} };
  logger.info(`bundling module scripts with Vite: ${needs.map((n) => `${n.html} (${n.reason})`).join(', ')}`);
  const staged = await stageOutput(root, collected.files, needs, join(tmpdir(), 'framesmith-render'), logger);
  return { root: staged.dir, mode: 'vite', dispose: () => staged.remove() };
}
