/**
 * What a local render returns (and `--json` prints): where the files are, what was encoded, and
 * how the work went (frames drawn vs reused, wall time).
 */
import type { RenderFormat, RenderQuality, RenderResolution } from '../options/render-params.js';
import type { RemoteSummary } from '../remote/report.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import type { VariableValues } from '../../shared/variables.js';
import type { CaptureMode } from './options.js';

export interface RenderResult {
  ok: true;
  /** Absolute path of the video. */
  output: string;
  /** Absolute path of the thumbnail PNG (the middle frame), or null with `--no-thumbnail`. */
  thumbnail: string | null;
  format: RenderFormat;
  quality: RenderQuality;
  resolution: RenderResolution;
  fps: number;
  /** Pixel size of the video. */
  width: number;
  height: number;
  /** Frames in the video, and the composition frame it starts at (`--frames`). */
  frames: number;
  firstFrame: number;
  /** Seconds of video. */
  duration: number;
  /** Frames drawn by Chromium. */
  captured: number;
  /** Frames copied from the one before because the runtime proved nothing changed. */
  reused: number;
  /** Batch rows after the first: frames taken from the first row, whose page showed the same there. */
  shared: number;
  /** Distinct images sent to ffmpeg (identical neighbours are sent once). */
  encoded: number;
  workers: number;
  captureMode: CaptureMode;
  /** Whether the video has a soundtrack. */
  audio: boolean;
  /** Bytes of the video file. */
  size: number;
  wallMs: number;
  /** Frames per second of wall time, end to end. */
  renderFps: number;
  variables: VariableValues;
  /** Remote URLs that could not be loaded (warnings: the picture lacks them). */
  blocked: string[];
  /** The pages' remote files: what was loaded from where (cache, network, npm registry), what failed. */
  remote: RemoteSummary;
  /** Every warning of the render, as printed on stderr (`--json` prints only this object). */
  warnings: Diagnostic[];
}
