/**
 * What the preview keeps in its URL, so a reload or a shared link shows the same thing: the
 * entry (`composition`), the variable values (`vars`, JSON of the values that differ from the
 * defaults, as typed, invalid ones included), edited sub-composition instance values (`inst`)
 * and the frame (`frame`, written when paused). Values too large for a URL (a 1 MB JSON) are
 * kept in the tab's session storage instead, and the URL says so (`vars=@session`).
 */
import type { VariableValues } from '../shared/variables';

export interface UrlState {
  composition: string | null;
  vars: VariableValues;
  inst: Record<string, VariableValues>;
  frame: number | null;
}

/** Longest JSON kept in the URL itself. */
const URL_LIMIT = 6000;
const SESSION = '@session';
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function sessionKey(name: string): string {
  const p = new URLSearchParams(location.search);
  return `framesmith.dev.${name}.${p.get('composition') ?? ''}`;
}

function readJson(p: URLSearchParams, name: string): Record<string, unknown> {
  let raw = p.get(name);
  if (raw === SESSION) {
    try {
      raw = sessionStorage.getItem(sessionKey(name));
    } catch {
      raw = null;
    }
  }
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw);
    return isObject(parsed) ? parsed : {};
  } catch {
    /* a hand-edited URL: start from the defaults */
    return {};
  }
}

export function readUrl(): UrlState {
  const p = new URLSearchParams(location.search);
  const frame = Number(p.get('frame'));
  const inst: Record<string, VariableValues> = {};
  for (const [k, v] of Object.entries(readJson(p, 'inst'))) if (isObject(v)) inst[k] = v;
  return {
    composition: p.get('composition'),
    vars: readJson(p, 'vars'),
    inst,
    frame: p.has('frame') && Number.isInteger(frame) && frame >= 0 ? frame : null,
  };
}

function writeJson(p: URLSearchParams, name: string, value: Record<string, unknown> | undefined): void {
  if (!value || !Object.keys(value).length) {
    p.delete(name);
    return;
  }
  const json = JSON.stringify(value);
  if (json.length <= URL_LIMIT) {
    p.set(name, json);
    return;
  }
  try {
    sessionStorage.setItem(sessionKey(name), json);
    p.set(name, SESSION);
  } catch {
    // Storage full or refused: the values last until the page is reloaded.
    p.delete(name);
  }
}

/** Updates the URL in place (no history entry per edit). */
export function writeUrl(patch: Partial<UrlState>): void {
  const url = new URL(location.href);
  const p = url.searchParams;
  if ('composition' in patch) {
    if (patch.composition) p.set('composition', patch.composition);
    else p.delete('composition');
  }
  if ('vars' in patch) writeJson(p, 'vars', patch.vars);
  if ('inst' in patch) writeJson(p, 'inst', patch.inst);
  if ('frame' in patch) {
    if (patch.frame) p.set('frame', String(patch.frame));
    else p.delete('frame');
  }
  if (url.href !== location.href) history.replaceState(history.state, '', url);
}
