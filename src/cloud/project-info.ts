/**
 * What the cloud checks need to know about a project before paying for a render: the entry's
 * size (for the aspect ratio) and its variable declarations. Read from the project model when the
 * caller has one, otherwise from the entry HTML inside the zip (yauzl + parse5), so a zip built
 * elsewhere is checked the same way.
 */
import { openPromise as openZip } from 'yauzl';
import { FramesmithError } from '../core/errors.js';
import { findEntryRoot } from '../model/entry.js';
import { attr as attrOfElement, htmlElementOf, parseHtmlFile, type HtmlElement } from '../model/html.js';
import { aspectRatioOf } from '../options/aspect.js';
import { validateDeclarations, type VariableDeclaration } from '../../shared/variables.js';
import { EXIT } from '../core/exit-codes.js';
import type { AspectRatio } from './types.js';

export interface ProjectInfo {
  /** Entry path inside the zip. */
  entry: string;
  width: number | null;
  height: number | null;
  declarations: VariableDeclaration[];
}

export { aspectRatioOf };

/**
 * The aspect ratio to send: derived from the composition's size; an explicit flag must agree
 * (the renderer cannot reshape a composition). Returns undefined when neither says.
 */
export function resolveAspectRatio(explicit: AspectRatio | undefined, info: ProjectInfo | null): AspectRatio | undefined {
  if (!info || info.width === null || info.height === null) return explicit;
  const derived = aspectRatioOf(info.width, info.height);
  const size = `${info.width}x${info.height}`;
  if (!derived) {
    throw new FramesmithError(
      'unsupported_aspect_ratio',
      `${info.entry} is ${size}, which is not 16:9, 9:16 or 1:1; HeyGen renders only those.`,
      {
        hint: 'Set data-width/data-height on the root to e.g. 1920x1080, 1080x1920 or 1080x1080.',
        exitCode: EXIT.usage,
      },
    );
  }
  if (explicit && explicit !== derived) {
    throw new FramesmithError(
      'aspect_ratio_conflict',
      `--aspect-ratio ${explicit} does not match the composition (${size} is ${derived}).`,
      {
        hint: `Drop --aspect-ratio (it is taken from the composition), or author the composition at ${explicit}.`,
        exitCode: EXIT.usage,
      },
    );
  }
  return derived;
}

/** Reads size and declarations from an entry HTML string (its root found as the project model finds it). */
export function projectInfoFromHtml(html: string, entry: string): ProjectInfo {
  const file = parseHtmlFile(entry, html);
  const root = findEntryRoot(file);
  const htmlEl = htmlElementOf(file.document);
  const attrOf = (node: HtmlElement | null, n: string) => (node ? (attrOfElement(node, n) ?? undefined) : undefined);
  const attr = (n: string) => attrOf(root, n);
  const num = (v: string | undefined) => (v !== undefined && Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : null);
  let declarations: VariableDeclaration[] = [];
  // Declarations live on <html> for an entry (the contract), on the root for a sub-composition.
  const rawVars = attrOf(htmlEl, 'data-composition-variables') ?? attr('data-composition-variables');
  if (rawVars) {
    try {
      declarations = validateDeclarations(JSON.parse(rawVars)).declarations;
    } catch {
      declarations = []; // lint reports bad JSON; here an unreadable declaration means nothing to check against
    }
  }
  return { entry, width: num(attr('data-width')), height: num(attr('data-height')), declarations };
}

/** Opens the zip and reads `entry` from it. Throws `project_entry_missing` (exit 2) when absent. */
export async function inspectProjectZip(zipPath: string, entry = 'index.html'): Promise<ProjectInfo> {
  let zip;
  try {
    zip = await openZip(zipPath, { lazyEntries: true, autoClose: false });
  } catch (error) {
    throw new FramesmithError('invalid_zip', `${zipPath} is not a readable zip: ${(error as Error).message}.`, {
      hint: 'Rebuild it with `framesmith build`.',
      exitCode: EXIT.usage,
    });
  }
  const htmlFiles: string[] = [];
  try {
    for await (const e of zip.eachEntry()) {
      if (e.fileName.endsWith('.html')) htmlFiles.push(e.fileName);
      if (e.fileName !== entry) continue;
      const stream = await zip.openReadStreamPromise(e);
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c as Buffer);
      return projectInfoFromHtml(Buffer.concat(chunks).toString('utf8'), entry);
    }
  } finally {
    zip.close();
  }
  throw new FramesmithError('project_entry_missing', `The project zip has no ${entry} at its root.`, {
    hint: htmlFiles.length
      ? `HTML files in the zip: ${htmlFiles.slice(0, 8).join(', ')}. Pass --composition with one of them.`
      : 'Build the zip from the project folder with `framesmith build`.',
    exitCode: EXIT.usage,
  });
}
