/**
 * Variable declarations of a composition (`data-composition-variables`, a JSON array), checked
 * with the shared validator so the parser, the runtime and the dev panel agree. Every problem is
 * an error at the attribute; malformed entries are dropped, as the official engine drops them.
 */
import { validateDeclarations, type VariableDeclaration } from '../../shared/variables.js';
import type { Diagnostics } from './attributes.js';
import { attr, hasAttr, htmlElementOf, nodeLocation, type HtmlElement, type ParsedHtmlFile } from './html.js';

const CODE = 'invalid_composition_variables_declaration';
const EXAMPLE = `data-composition-variables='[{"id":"title","type":"string","label":"Title","default":"Hello"}]'`;

function hintFor(message: string): string {
  if (/JSON array/.test(message)) return `Declare the variables as a JSON array, even for one: ${EXAMPLE}.`;
  if (/an enum needs/.test(message))
    return 'An enum needs "options": [{"value":"a","label":"A"}, …] and a default that is one of the values.';
  if (/declared twice/.test(message))
    return 'Give every variable a unique id (it becomes the CSS property --<id> and the key in getVariables()).';
  return 'Every entry needs "id", "type" (string, number, color, boolean, enum, font, image), "label" and a "default" of that type.';
}

/** Declarations written on one element; problems become diagnostics at its attribute. */
export function readDeclarationsOf(diags: Diagnostics, file: ParsedHtmlFile, el: HtmlElement): VariableDeclaration[] {
  const raw = attr(el, 'data-composition-variables');
  if (raw === null) return [];
  const loc = nodeLocation(file, el, 'data-composition-variables');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    diags.error(
      CODE,
      `data-composition-variables on <${el.tagName}> is not valid JSON (${(e as Error).message}).`,
      loc,
      `Write a JSON array inside single quotes, with double quotes inside it: ${EXAMPLE}.`,
    );
    return [];
  }
  const { declarations, problems } = validateDeclarations(parsed);
  for (const p of problems) diags.error(CODE, `Invalid variable declaration: ${p.message}.`, loc, hintFor(p.message));
  return declarations;
}

/**
 * The variables of a composition. The entry declares them on `<html>` (and may on its root);
 * a sub-composition on its root element, or on its file's `<html>` when the root has none.
 */
export function readVariables(diags: Diagnostics, file: ParsedHtmlFile, root: HtmlElement, isEntry: boolean): VariableDeclaration[] {
  const html = htmlElementOf(file.document);
  const sources: HtmlElement[] = isEntry
    ? [html, root].filter((el): el is HtmlElement => el !== null)
    : [hasAttr(root, 'data-composition-variables') || !html ? root : html];
  const out: VariableDeclaration[] = [];
  const seen = new Set<string>();
  for (const el of sources) {
    for (const d of readDeclarationsOf(diags, file, el)) {
      if (seen.has(d.id)) {
        const message = `Invalid variable declaration: variable "${d.id}" is declared twice (on <html> and on the root).`;
        diags.error(CODE, message, nodeLocation(file, el, 'data-composition-variables'), hintFor(message));
        continue;
      }
      seen.add(d.id);
      out.push(d);
    }
  }
  return out;
}
