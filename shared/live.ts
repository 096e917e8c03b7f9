/**
 * What the runtime says about the composition as it runs, for the dev preview's timeline and
 * sound: every mounted composition (the root and each sub-composition instance, at any depth)
 * with its timed elements, media, and the tweens and labels of its live GSAP timeline, all in
 * root seconds. The page asks for it once per load (`__framesmith.describe()`).
 * Pure data: no DOM, no Node imports.
 */

/** Kinds of timed element (as in the model). */
export type LiveClipKind = 'element' | 'image' | 'video' | 'audio' | 'composition';

export interface LiveMedia {
  /** Absolute URL the element plays (currentSrc, src or its first <source>), '' when none. */
  src: string;
  kind: 'audio' | 'video';
  /** `data-media-start`: seconds into the source at the clip's start. */
  mediaStart: number;
  /** `data-playback-rate` (1 when absent). */
  rate: number;
  /** `data-volume`, clamped to 0–1 (1 when absent). */
  volume: number;
  /** The `muted` attribute. */
  muted: boolean;
  /** Whether the render mixes its sound: `<audio>` unless muted, `<video data-has-audio="true">`. */
  audible: boolean;
  /** Source length in seconds when the browser knows it. */
  sourceDuration: number | null;
}

export interface LiveClip {
  /** Element id, or null. */
  id: string | null;
  tag: string;
  kind: LiveClipKind;
  /** Root seconds. `end` is the composition's end for open-ended clips. */
  start: number;
  end: number;
  /** `data-track-index`, or null. */
  track: number | null;
  /** Raw `data-start`. */
  startExpr: string;
  /** data-duration as written (null when absent). */
  durationExpr?: string | null;
  /** Position among the timed elements of its composition (document order). */
  index: number;
  /** For a host: the key of the composition it mounts. */
  mounts?: string;
  media?: LiveMedia;
}

export type TweenKind = 'to' | 'from' | 'fromTo' | 'set' | 'call';

export interface LiveTween {
  /** Root seconds. */
  start: number;
  end: number;
  kind: TweenKind;
  /** `#id`, `.class`, `tag` of each target (first few), or `function`/`object`. */
  targets: string;
  /** Animated properties. */
  props: string[];
  ease: string | null;
}

export interface LiveLabel {
  name: string;
  /** Root seconds. */
  time: number;
}

export interface LiveComposition {
  /**
   * '' for the root; else the instance path: each host's id, or `compositionId@n` (n-th host
   * of that composition id in its parent composition), joined with '/'.
   */
  key: string;
  parent: string | null;
  compositionId: string;
  /** Project-relative file the composition comes from. */
  file: string;
  /** Host element id (instances). */
  hostId: string | null;
  /** Host window in root seconds (root: 0 → duration). */
  start: number;
  end: number;
  /** Root time of the composition's own time zero. */
  offset: number;
  /** Whether a GSAP timeline is registered for it. */
  hasTimeline: boolean;
  /** Its total duration (seconds, local), when it has a timeline. */
  timelineDuration: number | null;
  clips: LiveClip[];
  tweens: LiveTween[];
  labels: LiveLabel[];
  /** True when the tween list was cut at the limit. */
  truncated: boolean;
}

export interface LiveDescription {
  duration: number;
  fps: number;
  compositions: LiveComposition[];
}

/** Most tweens described per composition (beyond it the timeline shows a note). */
export const LIVE_TWEEN_LIMIT = 200_000;

/** The instance-path key of a host, from its id or its composition id and index (see LiveComposition.key). */
export function instanceKey(hostId: string | null, compositionId: string, index: number): string {
  return hostId ? hostId : `${compositionId}@${index}`;
}
