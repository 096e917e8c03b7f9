/**
 * Local renders as a library: `renderLocal()` for one video, `renderBatch()` for one per row of
 * variables, and the pieces a caller may want to reuse (a browser pool across calls, the option
 * checks, the encoder arguments).
 */
export { renderLocal } from './render-local.js';
export { renderBatch, batchOutputs, type BatchOptions, type BatchResult, type BatchRowOutcome } from './batch.js';
export { createBrowserPool, captureModeFor, type BrowserPool, type BrowserPoolOptions } from './browser-pool.js';
export {
  checkFps,
  checkParams,
  checkWorkers,
  parseFrameRange,
  type RenderOptions,
  type FrameRange,
  type CaptureMode,
  type CheckedParams,
} from './options.js';
export { encodeArgs, videoFilter, type EncodeArgsOptions } from './encode-args.js';
export { findFfmpeg, type FfmpegTools } from './ffmpeg.js';
export { QUALITY_PRESETS, FORMAT_FACTS } from './presets.js';
export { defaultWorkers } from './workers.js';
export type { RenderResult } from './result.js';
