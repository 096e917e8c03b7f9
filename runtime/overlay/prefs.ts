/** View preferences that outlive a page load (zoom, guides, checkerboard, rate, loop), in localStorage. */
import { RATES, type ViewState } from './store';

const KEY = 'framesmith.dev.view';
type Prefs = Pick<ViewState, 'zoom' | 'guides' | 'checker' | 'rate' | 'loop'>;
const DEFAULTS: Prefs = { zoom: 'fit', guides: false, checker: false, rate: 1, loop: false };

export function loadPrefs(): Prefs {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Prefs>;
    return {
      zoom: saved.zoom === 0.5 || saved.zoom === 1 ? saved.zoom : 'fit',
      guides: saved.guides === true,
      checker: saved.checker === true,
      rate: RATES.includes(saved.rate as (typeof RATES)[number]) ? saved.rate! : 1,
      loop: saved.loop === true,
    };
  } catch {
    return { ...DEFAULTS };
  }
}

export function savePrefs(s: ViewState, changed: Set<keyof ViewState>): void {
  if (!['zoom', 'guides', 'checker', 'rate', 'loop'].some((k) => changed.has(k as keyof ViewState))) return;
  try {
    localStorage.setItem(KEY, JSON.stringify({ zoom: s.zoom, guides: s.guides, checker: s.checker, rate: s.rate, loop: s.loop }));
  } catch {
    /* storage refused (private mode): preferences last for this page only */
  }
}
