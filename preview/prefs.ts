/** View preferences that outlive a page load (zoom, guides, sound, layout), in localStorage. */
import { RATES, ZOOM_MAX, ZOOM_MIN, type SafeZone, type ViewState, type Zoom } from './store';

const KEY = 'framesmith.dev.view';
const FIELDS = ['zoom', 'guides', 'safeZone', 'checker', 'rate', 'loop', 'volume', 'muted', 'timelineHeight', 'sideHidden'] as const;
type Prefs = Pick<ViewState, (typeof FIELDS)[number]>;
const DEFAULTS: Prefs = {
  zoom: 'fit',
  guides: false,
  safeZone: 'none',
  checker: false,
  rate: 1,
  loop: false,
  volume: 1,
  muted: false,
  timelineHeight: 230,
  sideHidden: false,
};
const ZONES: SafeZone[] = ['none', 'tiktok', 'reels', 'shorts', 'youtube'];

function zoomOf(v: unknown): Zoom {
  if (v === 'fit' || v === 'fit-width') return v;
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, v)) : 'fit';
}

export function loadPrefs(): Prefs {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Record<keyof Prefs, unknown>>;
    const num = (v: unknown, lo: number, hi: number, d: number) =>
      typeof v === 'number' && Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : d;
    return {
      zoom: zoomOf(saved.zoom),
      guides: saved.guides === true,
      safeZone: ZONES.includes(saved.safeZone as SafeZone) ? (saved.safeZone as SafeZone) : 'none',
      checker: saved.checker === true,
      rate: RATES.includes(saved.rate as (typeof RATES)[number]) ? (saved.rate as number) : 1,
      loop: saved.loop === true,
      volume: num(saved.volume, 0, 1, 1),
      muted: saved.muted === true,
      timelineHeight: num(saved.timelineHeight, 110, 1200, DEFAULTS.timelineHeight),
      sideHidden: saved.sideHidden === true,
    };
  } catch {
    return { ...DEFAULTS };
  }
}

export function savePrefs(s: ViewState, changed: Set<keyof ViewState>): void {
  if (!FIELDS.some((k) => changed.has(k))) return;
  try {
    const out: Record<string, unknown> = {};
    for (const k of FIELDS) out[k] = s[k];
    localStorage.setItem(KEY, JSON.stringify(out));
  } catch {
    /* storage refused (private mode): preferences last for this page only */
  }
}

/** The frame last looked at, per project and entry (opening the preview again returns to it). */
export function lastFrame(projectId: string, entry: string): number | null {
  try {
    const v = Number(localStorage.getItem(`framesmith.dev.frame.${projectId}.${entry}`));
    return localStorage.getItem(`framesmith.dev.frame.${projectId}.${entry}`) !== null && Number.isInteger(v) && v >= 0 ? v : null;
  } catch {
    return null;
  }
}

export function saveLastFrame(projectId: string, entry: string, frame: number): void {
  try {
    localStorage.setItem(`framesmith.dev.frame.${projectId}.${entry}`, String(frame));
  } catch {
    /* see savePrefs */
  }
}
