// The parity harness's public API: compare framesmith with the official HyperFrames engine on
// real compositions. Used by `npm run parity` (scripts/parity.mjs), the parity tests and the
// benchmarks. See docs and /work/notes/parity-api.md for how to use it.
export {
  ENGINE_VERSION,
  engineCacheDir,
  engineClips,
  engineFailure,
  engineProblems,
  engineRender,
  engineSnapshot,
  findOfficialEngine,
  runEngine,
} from './engine.mjs';
export { findCorpus, htmlFiles, IGNORE, listCompositions, makeRenderMedia, remoteRefs } from './compositions.mjs';
export {
  extractZip,
  FONTS_AS_OFFLINE_ENGINE,
  framesmithBuild,
  framesmithFrames,
  framesmithLint,
  framesmithModules,
  problemKey,
} from './framesmith.mjs';
export { median, psnr, psnrFiles, readFrame, writeSideBySide } from './compare.mjs';
export { sampleFrames } from './sample.mjs';
export { corpusFps, runParity, summaryLine } from './run.mjs';
export { decodeFrames, engineVideoRender, renderKey, sharedRendersDir } from './engine-cache.mjs';
export { MIN_PSNR, writeReport } from './report.mjs';
