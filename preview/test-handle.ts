/**
 * `window.__framesmithDev`: a read-only view of the preview for end-to-end tests and benchmarks
 * (which frame is on screen, when the last update was painted, where the timeline drew a clip,
 * what the sound outputs). The UI does not use it.
 */
import type { FilmstripClient } from './filmstrip-client';
import type { VideoThumbs } from './media-art';
import type { Preview } from './preview';
import type { Problems } from './problems';
import type { Sound } from './sound';
import type { Stage } from './stage';
import type { Store, ViewState } from './store';
import type { Timeline } from './timeline';

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

export interface Parts {
  store: Store;
  preview: Preview;
  updates: UpdateRecord[];
  problems: Problems;
  timeline: Timeline;
  sound: Sound;
  filmstrip: FilmstripClient;
  videoThumbs: VideoThumbs;
  stage: Stage;
}

export function exposeTestHandle(parts: Parts) {
  const handle = {
    state: (): ViewState => ({ ...parts.store.state }),
    /** Frame last painted in the iframe. */
    shown: () => parts.preview.shown,
    /** The iframe's window (the composition document). */
    frameWindow: () => parts.preview.window,
    /** Shows `frame`; resolves when it is painted (as a scrub does). */
    seek: (frame: number) => (parts.store.set({ frame }), parts.preview.seek(frame)),
    updates: parts.updates,
    problems: () =>
      parts.problems.list.map((p) => ({
        severity: p.severity,
        source: p.source,
        code: p.code,
        message: p.message,
        loc: p.loc,
        variable: p.variable?.id,
        consequences: p.consequences.map((c) => c.code),
        note: p.note,
      })),
    timeline: parts.timeline.debug(),
    /** Rebuilds and draws the timeline `n` times; the time of each, ms. */
    timeTimeline: (n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        parts.timeline.rebuild();
        out.push(parts.timeline.lastBuildMs);
      }
      return out;
    },
    /** Draws the timeline `n` times as a zoom or scroll would; the time of each, ms. */
    timeTimelineDraw: (n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        parts.timeline.zoomBy(i % 2 ? 1 / 1.3 : 1.3);
        out.push(parts.timeline.lastDrawMs);
      }
      return out;
    },
    timelineStats: () => parts.timeline.stats,
    sound: {
      level: () => parts.sound.level(),
      status: () => parts.sound.status(),
      ready: () => parts.sound.ready(),
      hasSound: () => parts.sound.hasSound,
    },
    filmstrip: () => parts.filmstrip.stats(),
    videoThumbBytes: () => parts.videoThumbs.bytes,
    stageScale: () => parts.stage.scale,
  };
  Object.defineProperty(window, '__framesmithDev', { value: handle });
  return handle;
}

export type TestHandle = ReturnType<typeof exposeTestHandle>;
