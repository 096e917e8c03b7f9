/**
 * Font handling of served composition pages, done by framesmith's servers (the static server for
 * snapshot/render/build check, the dev server for the preview) without touching the user's files:
 *
 * - the entry document gets the faces HeyGen's engine would give it: one `<style
 *   data-framesmith-fonts>` of @font-face rules at the end of <head> (after the page's own
 *   stylesheets, as the engine places its own), pointing at /__framesmith/fonts/…;
 * - in the entry and in every sub-composition file, a `font-family` (or custom property) whose
 *   first family is generic gets `Inter, ` in front, as the engine rewrites it.
 *
 * Both edits stay on their line, so line numbers in the user's files stay true in messages.
 */
import { promises as fs } from 'node:fs';
import { posix } from 'node:path';
import { attr, descendants, parseHtmlFile, type ParsedHtmlFile } from '../model/index.js';
import { climbsOut } from '../core/inside.js';
import { headInsertionOffset } from '../serve/inject.js';
import { resolveProjectPath } from '../serve/safe-path.js';
import { planFonts, type FontPlan } from './resolve.js';
import { insertAt, primaryInsertions, PRIMARY_PREFIX, scanFontDocument, type DocumentFontScan } from './scan.js';

/** Attribute marking the injected style element. */
export const FONT_STYLE_ATTR = 'data-framesmith-fonts';

/** A composition's files as the engine reads them for fonts. */
export interface CompositionFonts {
  /** Parsed files, the entry first, then each sub-composition once. */
  files: ParsedHtmlFile[];
  scans: DocumentFontScan[];
}

/**
 * Reads an entry and, recursively, the sub-compositions it mounts (`data-composition-src`, paths
 * from the project root). `read` returns a file's text or null when it cannot be read.
 */
export async function readCompositionFonts(
  entry: { file: string; source: string },
  read: (file: string) => Promise<string | null>,
): Promise<CompositionFonts> {
  const files: ParsedHtmlFile[] = [];
  const seen = new Set<string>();
  const queue: { file: string; source: string }[] = [entry];
  while (queue.length) {
    const next = queue.shift()!;
    if (seen.has(next.file)) continue;
    seen.add(next.file);
    const parsed = parseHtmlFile(next.file, next.source);
    files.push(parsed);
    for (const el of descendants(parsed.document, { intoTemplates: true })) {
      const src = attr(el, 'data-composition-src');
      if (!src || /^[a-z][a-z0-9+.-]*:|^\/\//i.test(src)) continue;
      const file = posix.normalize(src.replace(/^\/+/, '').split(/[?#]/)[0]);
      if (seen.has(file) || climbsOut(file)) continue;
      const source = await read(file);
      if (source !== null) queue.push({ file, source });
    }
  }
  return { files, scans: files.map(scanFontDocument) };
}

/** A reader of project files for {@link readCompositionFonts}: refuses paths outside `root`. */
export function projectReader(root: string): (file: string) => Promise<string | null> {
  return async (file) => {
    const resolved = await resolveProjectPath(root, `/${file}`);
    if (!resolved.ok) return null;
    try {
      return await fs.readFile(resolved.path, 'utf8');
    } catch {
      return null;
    }
  };
}

/** Where the injected style goes: before `</head>`, else before `<body>`, else at the head's start. */
function styleOffset(file: ParsedHtmlFile): number {
  const html = file.document.childNodes.find((n) => n.nodeName === 'html') as
    | {
        childNodes?: {
          nodeName: string;
          sourceCodeLocation?: { endTag?: { startOffset: number } | null; startTag?: { startOffset: number } | null } | null;
        }[];
      }
    | undefined;
  const head = html?.childNodes?.find((n) => n.nodeName === 'head');
  if (head?.sourceCodeLocation?.endTag) return head.sourceCodeLocation.endTag.startOffset;
  const body = html?.childNodes?.find((n) => n.nodeName === 'body');
  if (body?.sourceCodeLocation?.startTag) return body.sourceCodeLocation.startTag.startOffset;
  return headInsertionOffset(file.source);
}

/** The `<style>` element of a plan (one line). */
export function fontStyleElement(plan: FontPlan): string {
  return plan.rules.length ? `<style ${FONT_STYLE_ATTR}>${plan.rules.join(' ').replace(/<\//g, '<\\/')}</style>` : '';
}

/** `source` with the engine's `Inter, ` before each generic first family. */
export function withEnginePrimary(scan: DocumentFontScan, source: string, customProperties: ReadonlyMap<string, string>): string {
  return insertAt(
    source,
    primaryInsertions(scan, (name) => Boolean(customProperties.get(name))),
    PRIMARY_PREFIX,
  );
}

/** The served entry document (before the runtime is injected) and the plan behind it. */
export async function composeFontPage(
  projectDir: string,
  entry: { file: string; source: string },
): Promise<{ html: string; plan: FontPlan; composition: CompositionFonts }> {
  const composition = await readCompositionFonts(entry, projectReader(projectDir));
  const plan = await planFonts(composition.scans, projectDir);
  const entryFile = composition.files[0];
  const scan = composition.scans[0];
  const at = styleOffset(entryFile);
  const style = fontStyleElement(plan);
  // Insert the style first at its offset (after every primary insertion point before it).
  const withStyle = entryFile.source.slice(0, at) + style + entryFile.source.slice(at);
  const shifted = primaryInsertions(scan, (name) => Boolean(plan.customProperties.get(name))).map((o) => (o >= at ? o + style.length : o));
  return { html: insertAt(withStyle, shifted, PRIMARY_PREFIX), plan, composition };
}

/** A sub-composition file as served to the runtime: the engine's generic-family rewrite applied. */
export function composeFontFragment(file: string, source: string, customProperties: ReadonlyMap<string, string> = new Map()): string {
  const parsed = parseHtmlFile(file, source);
  const scan = scanFontDocument(parsed);
  const props = new Map([...customProperties, ...scan.customProperties.map((p) => [p.name, p.value] as [string, string])]);
  return withEnginePrimary(scan, source, props);
}
