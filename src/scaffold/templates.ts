/**
 * The template library: each folder of `templates/` with a template.json manifest is a template.
 * The manifest gives what `framesmith new --list` prints and which fonts the project gets.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FramesmithError } from '../core/errors.js';
import { didYouMean } from '../../shared/suggest.js';
import { TEMPLATES_DIR } from '../core/paths.js';
import { isAspect, type Aspect } from './sizes.js';
import { FONT_CATALOG } from './vendor.js';
import { EXIT } from '../core/exit-codes.js';

/** The contents of `templates/<name>/template.json`. */
export interface TemplateManifest {
  name: string;
  /** One line for `new --list`. */
  description: string;
  /** The aspect the template is authored at (its index.html size). */
  aspect: Aspect;
  /** Seconds (equal to the root's data-duration). */
  duration: number;
  /** Aspects it lays out for. */
  aspects: Aspect[];
  /** Keys of FONT_CATALOG to vendor into fonts/. */
  fonts: string[];
}

export interface TemplateInfo extends TemplateManifest {
  /** Absolute folder of the template. */
  dir: string;
}

function invalid(name: string, what: string): FramesmithError {
  return new FramesmithError('invalid_template_manifest', `templates/${name}/template.json: ${what}.`, {
    hint: 'Fix the manifest; its fields are described in CONTRIBUTING.md (How the template vendoring works).',
  });
}

function checkManifest(folder: string, raw: unknown): TemplateManifest {
  if (typeof raw !== 'object' || raw === null) throw invalid(folder, 'not a JSON object');
  const m = raw as Record<string, unknown>;
  if (m.name !== folder) throw invalid(folder, `"name" must be "${folder}"`);
  if (typeof m.description !== 'string' || !m.description) throw invalid(folder, '"description" must be a non-empty string');
  if (!isAspect(m.aspect)) throw invalid(folder, '"aspect" must be 16:9, 9:16 or 1:1');
  if (typeof m.duration !== 'number' || !(m.duration > 0)) throw invalid(folder, '"duration" must be a positive number');
  if (!Array.isArray(m.aspects) || !m.aspects.every(isAspect)) throw invalid(folder, '"aspects" must list 16:9, 9:16 or 1:1');
  const fonts = m.fonts ?? [];
  if (!Array.isArray(fonts) || !fonts.every((f) => typeof f === 'string' && f in FONT_CATALOG)) {
    throw invalid(folder, `"fonts" must list known fonts (${Object.keys(FONT_CATALOG).join(', ')})`);
  }
  return {
    name: folder,
    description: m.description,
    aspect: m.aspect,
    duration: m.duration,
    aspects: m.aspects as Aspect[],
    fonts: fonts as string[],
  };
}

/** Reads one template folder's manifest. */
export async function readTemplate(dir: string, name: string): Promise<TemplateInfo> {
  const file = join(dir, 'template.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw invalid(name, error instanceof SyntaxError ? `not valid JSON (${error.message})` : 'cannot be read');
  }
  return { ...checkManifest(name, raw), dir };
}

/** Every template, sorted with `blank` first and the rest by name. */
export async function listTemplates(root: string = TEMPLATES_DIR): Promise<TemplateInfo[]> {
  const entries = existsSync(root) ? await readdir(root, { withFileTypes: true }) : [];
  const folders = entries.filter((e) => e.isDirectory() && existsSync(join(root, e.name, 'template.json'))).map((e) => e.name);
  const list = await Promise.all(folders.map((name) => readTemplate(join(root, name), name)));
  return list.sort((a, b) => (a.name === 'blank' ? -1 : b.name === 'blank' ? 1 : a.name.localeCompare(b.name)));
}

/** Finds a template by name, with an error listing the known ones. */
export async function resolveTemplate(name: string, root: string = TEMPLATES_DIR): Promise<TemplateInfo> {
  const all = await listTemplates(root);
  const found = all.find((t) => t.name === name);
  if (found) return found;
  const names = all.map((t) => t.name);
  throw new FramesmithError('unknown_template', `Unknown template "${name}".${didYouMean(name, names)}`, {
    hint: `Templates: ${names.join(', ')}. Run \`framesmith new --list\` for descriptions.`,
    exitCode: EXIT.usage,
  });
}
