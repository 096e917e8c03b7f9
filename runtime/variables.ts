/**
 * Variables in the page: declarations read from `data-composition-variables`, merged with the
 * render-time overrides (`window.__hfVariables`) and per-instance `data-variable-values`, then
 * applied without script: `data-var-text`, `data-var-src` and `--<id>` custom properties on the
 * composition root.
 */
import { mergeVariables, validateDeclarations, type VariableDeclaration, type VariableValues } from '../shared/variables';
import type { ProblemCollector } from './problems';

/** Reads and validates the declarations on an element; problems are reported, bad entries dropped. */
export function readDeclarations(el: Element | null, problems: ProblemCollector, file: string): VariableDeclaration[] {
  const raw = el?.getAttribute('data-composition-variables');
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    problems.add({
      kind: 'contract',
      code: 'invalid_variables_json',
      message: `data-composition-variables is not valid JSON: ${(e as Error).message}`,
      hint: 'Write a JSON array, e.g. [{"id":"title","type":"string","label":"Title","default":"Hi"}].',
      loc: { file, line: 0, column: 0 },
      fatal: false,
    });
    return [];
  }
  const { declarations, problems: found } = validateDeclarations(parsed);
  for (const p of found) {
    problems.add({
      kind: 'contract',
      code: 'invalid_variable_declaration',
      message: p.message,
      loc: { file, line: 0, column: 0 },
      fatal: false,
    });
  }
  return declarations;
}

/** Parses `data-variable-values` on a sub-composition host; `{}` (and a reported problem) when invalid. */
export function readInstanceValues(host: Element, problems: ProblemCollector, file: string): VariableValues {
  const raw = host.getAttribute('data-variable-values');
  if (!raw) return {};
  try {
    const v = JSON.parse(raw);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as VariableValues;
    throw new Error('not an object');
  } catch (e) {
    problems.add({
      kind: 'contract',
      code: 'invalid_variable_values',
      message: `data-variable-values on #${host.id || host.getAttribute('data-composition-id')} is not a JSON object: ${(e as Error).message}`,
      hint: 'Write a JSON object of variable values, e.g. {"title":"Scene 1"}.',
      loc: { file, line: 0, column: 0 },
      fatal: false,
    });
    return {};
  }
}

/** Defaults + layers, as `getVariables()` returns them. */
export function resolveValues(declarations: VariableDeclaration[], ...layers: (VariableValues | undefined)[]): VariableValues {
  return mergeVariables(declarations, ...layers);
}

/** A variable as the text of its `--<id>` custom property (as the engine writes it), or null. */
export function cssText(value: unknown): string | null {
  let text: string;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else if (value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string')
    text = (value as { name: string }).name;
  else return null;
  return text.replace(/[;{}<>\r\n]/g, '');
}

/** Sets `--<id>` for every scalar value on `el` (inline), writing only what changed. */
export function setCustomProperties(el: HTMLElement, values: VariableValues): void {
  for (const [id, value] of Object.entries(values)) {
    const css = cssText(value);
    if (css !== null && el.style.getPropertyValue(`--${id}`) !== css) el.style.setProperty(`--${id}`, css);
  }
}

const SRC_TAGS = new Set(['IMG', 'VIDEO', 'AUDIO', 'SOURCE']);
const SAFE_SRC = /^(?:https?:|blob:|data:image\/)|^(?![a-z][a-z0-9+.-]*:)/i;

/** `data-var-text`: text replaced; with element children, the first text node takes the value. */
function bindText(el: Element, value: unknown): void {
  if (value === undefined || value === null || typeof value === 'object') return;
  const text = String(value);
  if (el.children.length === 0) {
    // Only write on change: writes are mutations, and the parse-time observer reacts to them.
    if (el.textContent !== text) el.textContent = text;
    return;
  }
  const texts = [...el.childNodes].filter((n): n is Text => n.nodeType === Node.TEXT_NODE);
  if (texts.length === 0) el.insertBefore(document.createTextNode(text), el.firstChild);
  else {
    if (texts[0].data !== text) texts[0].data = text;
    for (const t of texts.slice(1)) if (t.data !== '') t.data = '';
  }
}

/** `data-var-src` on img/video/audio/source: relative paths, http(s), blob: and data:image/ only. */
function bindSrc(el: Element, value: unknown): void {
  if (!SRC_TAGS.has(el.tagName)) return;
  const src = typeof value === 'string' ? value : value && typeof value === 'object' ? (value as { url?: unknown }).url : undefined;
  if (typeof src !== 'string' || src === '' || !SAFE_SRC.test(src)) return;
  if (el.getAttribute('src') !== src) el.setAttribute('src', src);
}

/**
 * Applies bindings inside `scope` (a composition root or host), not descending into nested
 * sub-compositions (they bind their own values). `skip` leaves out elements still being parsed.
 */
export function applyBindings(scope: Element, values: VariableValues, skip?: (el: Element) => boolean): void {
  setCustomProperties(scope as HTMLElement, values);
  const owned = (el: Element) =>
    el.parentElement?.closest('[data-composition-id]') === scope.closest('[data-composition-id]') && !skip?.(el);
  for (const el of scope.querySelectorAll('[data-var-text]')) if (owned(el)) bindText(el, values[el.getAttribute('data-var-text')!]);
  for (const el of scope.querySelectorAll('[data-var-src]')) if (owned(el)) bindSrc(el, values[el.getAttribute('data-var-src')!]);
}
