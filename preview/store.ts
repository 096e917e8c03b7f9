/**
 * The preview's view state in one place (current frame, playback, range, zoom, guides): the
 * transport, the timeline and the keyboard change it through `set`, and every part redraws from
 * it in `subscribe`, so the UI cannot disagree with itself.
 */

/** Fit the stage, fit its width (scroll for the rest), or a scale (1 = 100 %). */
export type Zoom = 'fit' | 'fit-width' | number;
/** Platform UI overlays drawn over the picture. */
export type SafeZone = 'none' | 'tiktok' | 'reels' | 'shorts' | 'youtube';
export type PlayDirection = 'forward' | 'reverse' | null;

export interface ViewState {
  /** Frame on screen (or being sought). */
  frame: number;
  frameCount: number;
  fps: number;
  duration: number;
  width: number;
  height: number;
  playing: PlayDirection;
  /** 0.25–2. */
  rate: number;
  loop: boolean;
  /** In/out points (frames, inclusive), or null. */
  inFrame: number | null;
  outFrame: number | null;
  zoom: Zoom;
  /** Action-safe / title-safe frames and the centre cross. */
  guides: boolean;
  /** A platform's UI overlay. */
  safeZone: SafeZone;
  checker: boolean;
  /** Sound: master volume 0–1, and mute. */
  volume: number;
  muted: boolean;
  /** Height of the timeline's lanes, CSS px. */
  timelineHeight: number;
  /** The right-hand panels are hidden (more room for the picture). */
  sideHidden: boolean;
}

export const ZOOM_MIN = 0.05;
export const ZOOM_MAX = 8;

export const RATES = [0.25, 0.5, 0.75, 1, 1.5, 2] as const;

type Listener = (state: ViewState, changed: Set<keyof ViewState>) => void;

export interface Store {
  readonly state: Readonly<ViewState>;
  set(patch: Partial<ViewState>): void;
  subscribe(listener: Listener): () => void;
}

export function createStore(initial: ViewState): Store {
  const state = { ...initial };
  const listeners = new Set<Listener>();
  return {
    state,
    set(patch) {
      const changed = new Set<keyof ViewState>();
      for (const [k, v] of Object.entries(patch) as [keyof ViewState, never][]) {
        if (state[k] !== v) {
          (state as Record<string, unknown>)[k] = v;
          changed.add(k);
        }
      }
      if (changed.size) for (const l of listeners) l(state, changed);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The playable range: in/out when set, else the whole composition. */
export function playRange(s: ViewState): [number, number] {
  const last = Math.max(0, s.frameCount - 1);
  const a = s.inFrame ?? 0;
  const b = s.outFrame ?? last;
  return [Math.min(a, last), Math.min(Math.max(a, b), last)];
}

/** Frame clamped to the composition. */
export function clampFrame(s: ViewState, frame: number): number {
  return Math.max(0, Math.min(Math.max(0, s.frameCount - 1), Math.round(frame)));
}
