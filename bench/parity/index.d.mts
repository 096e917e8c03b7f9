// Types of the parity harness (bench/parity/*.mjs), for TypeScript callers (the tests).
import type { Browser } from 'playwright-core';

export const ENGINE_VERSION: string;
export const MIN_PSNR: number;

export interface OfficialEngine {
  /** Path of the hyperframes-official wrapper, or null. */
  tool: string | null;
  /** Whether its cache already holds the engine (running it needs no install). */
  installed: boolean;
  /** FRAMESMITH_REQUIRE_OFFICIAL=1: a missing engine is an error. */
  required: boolean;
  reason: string;
}
export function findOfficialEngine(options: { root: string; env?: NodeJS.ProcessEnv }): OfficialEngine;
export function engineCacheDir(env?: NodeJS.ProcessEnv): string;

export interface EngineRun {
  status: number | null;
  timedOut: boolean;
  output: string;
  ms: number;
  cpuMs: number | null;
}
export function runEngine(
  tool: string,
  args: string[],
  options?: { timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string },
): Promise<EngineRun>;

export interface Problem {
  code: string;
  message: string;
  /** Comparable across framesmith and the engine (e.g. `page_error:<message>`, `timeline_missing:<id>`). */
  key: string;
  kind?: string;
  severity?: string;
}
export interface EngineRender {
  ok: boolean;
  failure: { code: string; message: string } | null;
  fps: number | null;
  duration: number | null;
  frameCount: number;
  /** Frame number (0-based) → PNG (RGBA; html/body backgrounds cleared, as in the engine's alpha path). */
  frames: Map<number, string>;
  problems: Problem[];
  log: string;
  ms: number;
  cpuMs: number | null;
}
export function engineRender(
  tool: string,
  dir: string,
  options: { outDir: string; keep?: number[] | 'all'; fps?: number; timeoutMs?: number; env?: NodeJS.ProcessEnv },
): Promise<EngineRender>;
export function engineSnapshot(
  tool: string,
  dir: string,
  times: number[],
  options: { outDir: string; timeoutMs?: number },
): Promise<{ ok: boolean; stills: Map<number, string>; log: string; ms: number; cpuMs: number | null }>;
export function engineClips(
  tool: string,
  dir: string,
  options?: { timeoutMs?: number },
): Promise<Array<{ id: string; start: number; end: number }>>;
export function engineProblems(log: string): Problem[];

export interface Composition {
  name: string;
  set: 'templates' | 'fixtures' | 'parity' | 'corpus';
  source: string;
  /** Copies the composition into `dest` (must not exist) and returns the project folder. */
  prepare(dest: string): string;
  /** Parts of the frame the engine draws differently on every render, left out of the PSNR. */
  ignore?: { regions: Region[]; cause: string };
}
/** A rectangle in composition pixels. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}
export function listCompositions(options: { root: string; sets?: string[]; only?: string[] }): Composition[];
export function findCorpus(root: string, env?: NodeJS.ProcessEnv): string | null;
/** Writes the render-media fixture's media (media/clip.mp4, media/chime.wav) into `dir` with ffmpeg. */
export function makeRenderMedia(dir: string): void;
export function htmlFiles(dir: string): string[];
export function remoteRefs(dir: string): string[];

export interface FramesmithModules {
  launchBrowser(): Promise<{ browser: Browser; close(): Promise<void> }>;
  [name: string]: unknown;
}
/** Environment that draws fonts as the offline official CLI does (set by framesmithModules; docs/fonts.md). */
export const FONTS_AS_OFFLINE_ENGINE: { FRAMESMITH_FONTS_AS_OFFLINE_ENGINE: '1' };
/** Also sets FONTS_AS_OFFLINE_ENGINE in process.env: comparisons draw fonts as the offline engine CLI. */
export function framesmithModules(root: string): Promise<FramesmithModules>;
export interface FramesmithFrames {
  ok: boolean;
  failure: { code: string; message: string } | null;
  info: { fps: number; duration: number; frameCount: number; width: number; height: number } | null;
  clips: Array<{ id: string; start: number; end: number; composition: string }>;
  frames: Map<number, string>;
  problems: Problem[];
  ms: number;
}
export function framesmithFrames(
  fs: FramesmithModules,
  browser: Browser,
  dir: string,
  options: {
    outDir: string;
    plan: (info: NonNullable<FramesmithFrames['info']>, clips: FramesmithFrames['clips']) => number[];
    fps?: number;
    opaque?: boolean;
  },
): Promise<FramesmithFrames>;
export function framesmithBuild(
  root: string,
  dir: string,
  outZip: string,
  options?: { keepZip?: boolean },
): {
  refused: boolean;
  code: string | null;
  message: string | null;
  hint?: string | null;
  warnings: Array<{ code: string; message: string }>;
  bundler?: string | null;
  zip?: string | null;
  ms: number;
};
/** Unpacks a zip made by `framesmith build` into `dir`; returns `dir`. */
export function extractZip(zipPath: string, dir: string): Promise<string>;
export function framesmithLint(fs: FramesmithModules, dir: string): Promise<Problem[]>;
export function problemKey(p: { code: string; message: string; url?: string; kind?: string }): string;

export interface Frame {
  width: number;
  height: number;
  /** RGB over white, 3 bytes per pixel. */
  rgb: Buffer;
}
export function readFrame(file: string): Frame;
export function psnr(a: Frame, b: Frame, options?: { ignore?: Region[] }): number;
export function psnrFiles(a: string, b: string, options?: { ignore?: Region[] }): number;
export function writeSideBySide(a: string, b: string, out: string, options?: { maxWidth?: number }): string;
export function median(xs: number[]): number;

export function sampleFrames(options: {
  fps: number;
  frameCount: number;
  clips?: Array<{ id?: string; start: number; end: number }>;
  evenly?: number;
}): Array<{ frame: number; why: string }>;

export interface ParityResult {
  name: string;
  set: string;
  /** 'video': compared with the engine's shared low-fps video (corpus, `corpusVideo`). */
  mode?: 'video';
  /** 'build': both sides rendered the unpacked `framesmith build` zip (a project with module scripts). */
  input?: 'source' | 'build';
  /** Parts of the frame left out of the PSNR, and why. */
  ignored?: { regions: Region[]; cause: string } | null;
  error?: string;
  remote: string[];
  framesmith: {
    loaded: boolean;
    refused: boolean;
    code: string | null;
    message: string | null;
    hint: string | null;
    fps: number | null;
    duration: number | null;
    frameCount: number | null;
    problems: Problem[];
    warnings: Array<{ code: string; message: string }>;
    ms: number;
  };
  engine: {
    refused: boolean;
    code: string | null;
    message: string | null;
    fps: number | null;
    duration: number | null;
    frameCount: number;
    problems: Problem[];
    ms: number;
    cpuMs: number | null;
    runs: Array<{ ok: boolean; ms: number; cpuMs: number | null; frameCount: number }>;
    /** video mode: the render came from this test run's shared renders. */
    shared?: boolean;
  };
  refusalAgrees: boolean;
  /** framesmith refuses on purpose where the engine renders (REFUSED_BY_FRAMESMITH: a missing project file). */
  deliberate: boolean;
  frames: Array<{ frame: number; time: number; why: string; psnr: number; engineSelf?: number }>;
  compared: number;
  min: number | null;
  median: number | null;
  engineSelfMin: number | null;
  worst: { frame: number; time: number; why: string; psnr: number; image: string } | null;
  onlyFramesmith: Problem[];
  onlyEngine: Problem[];
  snapshot: { min?: number; median?: number; failed?: boolean; ms: number; cpuMs?: number | null } | null;
  ms: number;
}
export function runParity(options: {
  root: string;
  tool: string;
  compositions: Composition[];
  outDir: string;
  workDir?: string;
  engineRuns?: 1 | 2;
  checkSnapshot?: boolean;
  keepWork?: boolean;
  engineTimeoutMs?: number;
  /** Corpus: every frame of the engine's video at the corpus tests' low fps, shared with them. */
  corpusVideo?: boolean;
  log?: (line: string) => void;
}): Promise<ParityResult[]>;
/** About 12 frames over a clip of `duration` seconds, at least 1 fps (the corpus tests' rate). */
export function corpusFps(duration: number): number;

export interface EngineVideo {
  ok: boolean;
  status: number | null;
  failure: { code: string; message: string } | null;
  fps: number;
  duration: number | null;
  frameCount: number;
  /** Decoded frames, in order (frame n = frames[n]). */
  frames: string[];
  video: string;
  problems: Problem[];
  log: string;
  ms: number;
  cpuMs: number | null;
  dir: string;
  /** Read from (or rendered into) this test run's shared renders. */
  shared: boolean;
}
/** The engine's H.264 render at `fps`, decoded; once per test run under $FRAMESMITH_ENGINE_RENDERS. */
export function engineVideoRender(
  tool: string,
  options: {
    name: string;
    fps: number;
    prepare: (dest: string) => void;
    timeoutMs?: number;
    workDir?: string;
    cacheDir?: string | null;
    log?: (s: string) => void;
  },
): Promise<EngineVideo>;
export function sharedRendersDir(env?: NodeJS.ProcessEnv): string | null;
export function renderKey(name: string, fps: number): string;
export function decodeFrames(video: string, dir: string): string[];
export function engineFailure(log: string): { code: string; message: string };
export function summaryLine(r: ParityResult): string;
export function writeReport(
  results: ParityResult[],
  options: { outDir: string; engineVersion: string; framesmithRev?: string; notes?: Record<string, string>; elapsedMs?: number },
): string;
export const IGNORE: Record<string, { regions: Region[]; cause: string }>;
