/**
 * What the preview keeps in its URL, so a reload or a shared link shows the same thing: the
 * entry (`composition`), the variable values (`vars`, JSON of the values that differ from the
 * defaults, as typed, invalid ones included) and the frame (`frame`, written when paused).
 */
import type { VariableValues } from '../../src/shared/variables';

export interface UrlState {
  composition: string | null;
  vars: VariableValues;
  frame: number | null;
}

export function readUrl(): UrlState {
  const p = new URLSearchParams(location.search);
  let vars: VariableValues = {};
  const raw = p.get('vars');
  if (raw) {
    try {
      const parsed = JSON.parse(raw);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) vars = parsed;
    } catch {
      /* a hand-edited URL: start from the defaults */
    }
  }
  const frame = Number(p.get('frame'));
  return { composition: p.get('composition'), vars, frame: p.has('frame') && Number.isInteger(frame) && frame >= 0 ? frame : null };
}

/** Updates the URL in place (no history entry per edit). */
export function writeUrl(patch: Partial<UrlState>): void {
  const url = new URL(location.href);
  const p = url.searchParams;
  if ('composition' in patch) {
    if (patch.composition) p.set('composition', patch.composition);
    else p.delete('composition');
  }
  if ('vars' in patch) {
    if (patch.vars && Object.keys(patch.vars).length) p.set('vars', JSON.stringify(patch.vars));
    else p.delete('vars');
  }
  if ('frame' in patch) {
    if (patch.frame) p.set('frame', String(patch.frame));
    else p.delete('frame');
  }
  if (url.href !== location.href) history.replaceState(history.state, '', url);
}
