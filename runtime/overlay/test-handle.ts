/**
 * `window.__framesmithDev`: a read-only view of the preview for end-to-end tests and benchmarks
 * (which frame is on screen, when the last update was painted). The UI does not use it.
 */
import type { Preview } from './preview';
import type { Problems } from './problems';
import type { Store, ViewState } from './store';

/** One update of the preview: a load, a reload or a stylesheet swap, when it was painted. */
export interface UpdateRecord {
  reason: string;
  /** Server change generation that caused it, when it came from a file change. */
  generation?: number;
  /** performance.now() of this page when the new frame was painted. */
  at: number;
  frame: number;
  /** For a reload: when its steps happened (start, loaded, ready, seeked, painted). */
  marks?: Record<string, number>;
  /** For a change: when the server's message arrived. */
  received?: number;
}

export interface TestHandle {
  state(): ViewState;
  /** Frame last painted in the iframe. */
  shown(): number;
  /** The iframe's window (the composition document). */
  frameWindow(): Window | null;
  /** Shows `frame`; resolves when it is painted (as a scrub does). */
  seek(frame: number): Promise<void>;
  updates: UpdateRecord[];
}

export function exposeTestHandle(parts: { store: Store; preview: Preview; updates: UpdateRecord[]; problems: () => Problems }): void {
  const handle: TestHandle = {
    state: () => ({ ...parts.store.state }),
    shown: () => parts.preview.shown,
    frameWindow: () => parts.preview.window,
    seek: (frame) => (parts.store.set({ frame }), parts.preview.seek(frame)),
    updates: parts.updates,
  };
  Object.defineProperty(window, '__framesmithDev', { value: handle });
}
