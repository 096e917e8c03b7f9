/**
 * The control API the framesmith runtime exposes as `window.__framesmith` inside a composition
 * page, for our own tools (snapshot, render, build check, the dev preview). Also the shape of the
 * boot options the server writes into the page before the runtime runs.
 * Pure types: no DOM, no Node imports.
 */
import type { ProblemData, SourceLocation } from './diagnostics.js';
import type { LiveDescription } from './live.js';
import type { VariableValues } from './variables.js';

/** Global name of the control API. */
export const CONTROL_GLOBAL = '__framesmith';
/** Global the server sets (before the runtime script) to configure it. */
export const BOOT_GLOBAL = '__framesmithBoot';

/** How a seek waits for the frame to be on screen. */
export type PaintMode =
  /** Wait for a real paint (two native animation frames). For screenshots and the preview. */
  | 'raf'
  /** Do not wait for a paint: the host drives frames itself (BeginFrame capture). */
  | 'none';

/** Written by the server into the page as `window.__framesmithBoot` before the runtime loads. */
export interface BootOptions {
  /** Variable overrides; become `window.__hfVariables`. */
  variables?: VariableValues;
  /** Frames per second the page is sampled at (render fps). Default: data-fps, else 30. */
  fps?: number;
  /** Seed for the deterministic `Math.random`. Default: a constant. */
  seed?: number;
  paint?: PaintMode;
  /**
   * Longest real wait (ms) after load for timelines that are still to be registered while the
   * page has work pending (timers, fetches). Default 45000, HeyGen's renderer's own limit.
   */
  timelineTimeoutMs?: number;
  /**
   * How the page runs its GSAP timelines. 'render' (default): exactly as HeyGen's renderer does
   * (its batching stand-in, properties it lacks read as undefined), for snapshot, render and the
   * build check. 'preview': the same stand-in, but properties it lacks keep their value (and are
   * reported), so the dev preview keeps playing what the cloud would refuse.
   */
  engineMode?: 'render' | 'preview';
  /**
   * Renders only: frames of project videos decoded ahead by ffmpeg, by project-relative source
   * path. A `<video>` whose media time falls inside a set shows that frame instead of its own
   * picture, so every render paints the same pixels (Chromium's video path does not).
   */
  videoFrames?: Record<string, VideoFrameSet>;
  /**
   * Dev preview only: `data-variable-values` to use instead of the attribute's, per
   * sub-composition instance path (see LiveComposition.key).
   */
  instanceValues?: Record<string, VariableValues>;
}

/** Decoded frames of one video file, for the media times `[pts[0], until]`. */
export interface VideoFrameSet {
  /** URL folder of the images: frame `i` is `${url}/${i + 1}.${ext}`. */
  url: string;
  /** Image format: JPEG as the official engine extracts opaque SDR sources, PNG for sources that may carry alpha (and HDR). */
  ext: 'jpg' | 'png';
  /** Presentation time in seconds of each image, ascending (every source frame in the window). */
  pts: number[];
  /** Last media time the set covers; later times fall back to the live video. */
  until: number;
}

/** An error raised inside the page, with where it came from. */
export interface RuntimeProblem extends ProblemData {
  /** `page-error` (uncaught exception/rejection), `asset` (a load failed), `timeline` (never registered), `contract` (composition breaks a rule), `console` (console.error). */
  kind: 'page-error' | 'asset' | 'timeline' | 'contract' | 'console';
  /** Composition time in seconds when it happened, when it happened during a seek. */
  time?: number;
  /** Project-relative location when known (script file:line:col, or the element that failed). */
  loc?: SourceLocation;
  /** The URL that failed, for `asset`. */
  url?: string;
  /**
   * Whether HeyGen's renderer would refuse to render because of it (snapshot, render and the
   * build check then fail). Unset: decided by kind and severity (see isFatal in
   * src/snapshot/page-problems.ts).
   */
  fatal?: boolean;
  /**
   * `warning` for what does not stop a capture (see shared/resource-rules.ts: a remote file
   * that could not be loaded, and the script errors that follow from a remote script missing).
   * Absent = an error (console errors aside).
   */
  severity?: 'warning';
}

/** Problems the page reports that HeyGen renders through and that need no fix to render right. */
const ADVISORY = new Set(['timeline_not_registered', 'timer_loop', 'subcomposition_cycle', 'subcomposition_id_mismatch']);

/**
 * How a page problem is shown (dev preview, terminal): a warning for console.error calls, remote
 * files that could not be had (and what follows from them), and what HeyGen renders through
 * unchanged (a timeline it waits for and skips, ...); everything else, script errors included, is
 * an error to fix, whether or not the cloud would refuse the render (`fatal` says that).
 */
export function problemSeverity(p: RuntimeProblem): 'error' | 'warning' {
  return p.kind === 'console' || p.severity === 'warning' || ADVISORY.has(p.code) ? 'warning' : 'error';
}

/** What `ready` resolves to: the composition's facts as the page sees them. */
export interface ReadyInfo {
  compositionId: string;
  width: number;
  height: number;
  duration: number;
  fps: number;
  frameCount: number;
  /** Whether a GSAP timeline was registered for the root. */
  hasTimeline: boolean;
  errors: RuntimeProblem[];
}

/** What a seek resolves to. */
export interface SeekResult {
  frame: number;
  time: number;
  /**
   * True when the page cannot show this frame without starting over: a backward seek after a
   * script's timer, interval or animation-frame callback ran (its effects cannot be undone).
   * The host reloads the page (same boot options) and seeks again; nothing was changed.
   */
  reloadRequired: boolean;
}

/** A timed element's window in root time, as the runtime resolved it. */
export interface ClipWindow {
  /** The element's id, else its data-composition-id, else its tag name. */
  id: string;
  /** Root seconds; `end` is capped at the composition's duration. */
  start: number;
  end: number;
  /** data-composition-id of the composition the element belongs to. */
  composition: string;
}

/** `window.__framesmith`. */
export interface FramesmithControl {
  readonly version: string;
  /** Resolves once the document loaded, sub-compositions are mounted, fonts are ready and the timeline check ran. */
  readonly ready: Promise<ReadyInfo>;
  readonly fps: number;
  readonly duration: number;
  readonly frameCount: number;
  /** Seeks to frame N (time N/fps) and resolves when it is ready to capture. */
  seek(frame: number): Promise<SeekResult>;
  /** Seeks to a time in seconds (snapshots use this; renders use `seek`). */
  seekTime(seconds: number): Promise<SeekResult>;
  /** Current composition time in seconds. */
  readonly time: number;
  /**
   * False only when frames `from` and `to` (to > from) provably look the same: no tween,
   * animation, clip boundary, media, timer or animation-frame callback is active between them.
   * Renders use it to copy a frame instead of capturing it again.
   */
  changesBetween(from: number, to: number): boolean;
  /** Problems collected so far (page errors, failed assets, missing timeline). */
  errors(): RuntimeProblem[];
  /** Called with each new problem as it is collected. Returns an unsubscribe function. */
  onError(listener: (problem: RuntimeProblem) => void): () => void;
  /** The merged variables (declared defaults + overrides) of the root composition. */
  getVariables(): VariableValues;
  /** Every timed element's window (sub-compositions' content included), in document order. */
  clips(): ClipWindow[];
  /** Dev preview: the running composition (instances, clips, media, live tweens and labels). */
  describe(): LiveDescription;
  /** Dev preview: whether the frame on screen draws anything besides the root's background. */
  drawsSomething(): boolean;
}
