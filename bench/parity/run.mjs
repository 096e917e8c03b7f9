// One parity comparison per composition: framesmith and the official engine on the same copy,
// the same frames, the same verdict (render or refuse).
//
// The input is what HeyGen would receive: the zip `framesmith build` makes. A project whose build
// bundles module scripts (bundler 'vite': TypeScript, npm imports; its copy has its package.json
// dependencies linked from the repository's node_modules, compositions.mjs) is compared on the
// unpacked build, by both sides; any other project is zipped as written, so both render the copy.
// framesmith's frames are drawn as `framesmith render` draws them (videos from ffmpeg's decoded
// frames). Parts of a frame the engine itself draws differently on every render (compositions.mjs
// IGNORE, e.g. fixtures/probe's timer and random bars) are left out of the PSNR and named in the
// report. A composition shorter than the 10 evenly spaced frames compares every frame it has.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { median, psnrFiles, writeSideBySide } from './compare.mjs';
import { engineClips, engineRender, engineSnapshot, removeEngineState } from './engine.mjs';
import { engineVideoRender, throughVideoFormat } from './engine-cache.mjs';
import { remoteRefs } from './compositions.mjs';
import { extractZip, framesmithBuild, framesmithFrames, framesmithLint, framesmithModules } from './framesmith.mjs';
import { sampleFrames } from './sample.mjs';

/**
 * Compares framesmith with the official engine on each composition.
 * @param {{
 *   root: string,                 // framesmith checkout (built)
 *   tool: string,                 // the official engine wrapper (findOfficialEngine)
 *   compositions: import('./compositions.mjs').Composition[],
 *   outDir: string,               // report folder: images and per-composition logs land here
 *   workDir?: string,             // where the copies and frames go (default outDir/work, removed at the end unless keepWork)
 *   engineRuns?: 1 | 2,           // 2: render twice with the engine to show its own non-determinism
 *   checkSnapshot?: boolean,      // also compare the engine's `snapshot` stills with its render
 *   keepWork?: boolean,
 *   engineTimeoutMs?: number,     // default: 1 s per frame, at least 10 min
 *   corpusVideo?: boolean,        // corpus: compare with the engine's video at the corpus tests' low fps
 *                                 // (every frame of it), rendered once per test run and shared with
 *                                 // the corpus tests (engine-cache.mjs), instead of its full-fps PNGs
 *   log?: (line: string) => void,
 * }} options
 * @returns {Promise<ParityResult[]>}
 */
export async function runParity(options) {
  const {
    root,
    tool,
    compositions,
    outDir,
    engineRuns = 1,
    checkSnapshot = false,
    keepWork = false,
    engineTimeoutMs,
    corpusVideo = false,
    log = () => {},
  } = options;
  const workDir = options.workDir ?? join(outDir, 'work');
  mkdirSync(outDir, { recursive: true });
  const fs = await framesmithModules(root);
  // Frames are captured as `framesmith render` captures them: its pool of capture browsers.
  const pool = await fs.createBrowserPool({ workers: 1, scale: 1 });
  const results = [];
  try {
    for (const c of compositions) {
      const t0 = performance.now();
      log(`${c.set}/${c.name}: preparing`);
      let result;
      try {
        const args = { root, tool, c, fs, pool, outDir, workDir, engineRuns, checkSnapshot, engineTimeoutMs, log };
        result = corpusVideo && c.set === 'corpus' ? await compareVideo(args) : await compareOne(args);
      } catch (error) {
        result = { name: c.name, set: c.set, error: String(error?.stack ?? error) };
      }
      result.ms = performance.now() - t0;
      results.push(result);
      log(`${c.set}/${c.name}: ${summaryLine(result)}`);
      if (!keepWork) rmSync(join(workDir, c.set, c.name), { recursive: true, force: true });
    }
  } finally {
    await pool.close();
    if (!keepWork) rmSync(workDir, { recursive: true, force: true });
  }
  writeFileSync(
    join(outDir, 'results.json'),
    JSON.stringify(results, (k, v) => (v === Infinity ? 'Infinity' : v instanceof Map ? undefined : v), 2),
  );
  return results;
}

async function compareOne({ root, tool, c, fs, pool, outDir, workDir, engineRuns, checkSnapshot, engineTimeoutMs, log }) {
  const base = join(workDir, c.set, c.name);
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  const source = c.prepare(join(base, 'project'));
  const remote = remoteRefs(source);
  const shown = join(outDir, c.set, c.name);
  rmSync(shown, { recursive: true, force: true });
  mkdirSync(shown, { recursive: true });

  // What HeyGen receives is the zip `framesmith build` makes. For a project with module scripts
  // (TypeScript, npm imports: bundler 'vite') that is Vite's output, not the source the engine
  // could not run: both sides then render the unpacked build. Other projects are zipped as
  // written, so both render the source copy.
  const build = framesmithBuild(root, source, join(base, 'build.zip'), { keepZip: true });
  let dir = source;
  let input = 'source';
  if (build.zip) {
    if (build.bundler === 'vite') {
      dir = await extractZip(build.zip, join(base, 'built'));
      input = 'build';
    }
    rmSync(build.zip, { force: true });
  }
  const engineCopy = (dest) => (input === 'build' ? (cpSync(dir, dest, { recursive: true }), dest) : c.prepare(dest));
  const ignore = c.ignore?.regions ?? [];

  const clipsEngine = await engineClips(tool, dir);
  removeEngineState(dir);
  let planned = [];
  log(`${c.set}/${c.name}: framesmith`);
  const ours = await framesmithFrames(fs, pool, dir, {
    outDir: join(base, 'framesmith'),
    plan(info, clips) {
      planned = sampleFrames({ fps: info.fps, frameCount: info.frameCount, clips: [...clips, ...clipsEngine] });
      return planned.map((p) => p.frame);
    },
  });
  const lint = await framesmithLint(fs, source);

  log(`${c.set}/${c.name}: engine render${input === 'build' ? ' (of the build)' : ''}`);
  const runs = [];
  for (let i = 0; i < engineRuns; i++) {
    const copy = join(base, `engine-project-${i}`);
    engineCopy(copy);
    // Its render takes up to ~0.3 s a frame on a busy 2-core machine: allow 1 s a frame, 10 min at least.
    const timeoutMs = engineTimeoutMs ?? Math.max(10 * 60_000, (ours.info?.frameCount ?? 0) * 1000);
    const r = await engineRender(tool, copy, { outDir: join(base, `engine-${i}`), timeoutMs });
    if (r.failure?.code === 'timeout') throw new Error(`the engine's render did not finish within ${Math.round(timeoutMs / 60_000)} min`);
    writeFileSync(join(shown, `engine-${i}.log`), r.log);
    runs.push(r);
  }
  const engine = runs[0];
  if (!ours.ok && engine.ok) {
    // framesmith did not load it: sample from the engine's own timing to still show its frames.
    planned = sampleFrames({ fps: engine.fps ?? 30, frameCount: engine.frameCount, clips: clipsEngine });
  }
  const keep = new Set(planned.map((p) => p.frame));
  for (const r of runs) {
    for (const [n, file] of r.frames) {
      if (!keep.has(n)) {
        rmSync(file, { force: true });
        r.frames.delete(n);
      }
    }
  }

  const fps = ours.info?.fps ?? engine.fps ?? 30;
  const frames = [];
  for (const p of planned) {
    const a = ours.frames.get(p.frame);
    const b = engine.frames.get(p.frame);
    if (!a || !b) continue;
    const row = { frame: p.frame, time: p.frame / fps, why: p.why, psnr: psnrFiles(a, b, { ignore }) };
    if (runs[1]?.frames.get(p.frame)) row.engineSelf = psnrFiles(b, runs[1].frames.get(p.frame), { ignore });
    frames.push(row);
  }
  let worst = null;
  if (frames.length) {
    worst = frames.reduce((w, f) => (f.psnr < w.psnr ? f : w));
    worst = { ...worst, image: `${c.set}/${c.name}/worst-f${worst.frame}.png` };
    writeSideBySide(ours.frames.get(worst.frame), engine.frames.get(worst.frame), join(outDir, worst.image));
  }

  let snapshot = null;
  if (checkSnapshot && engine.ok && frames.length) {
    const times = frames.map((f) => f.time);
    const snap = await engineSnapshot(tool, engineCopy(join(base, 'snapshot-project')), times, { outDir: join(base, 'engine-snapshot') });
    if (snap.ok) {
      const values = frames.map((f, i) => psnrFiles(snap.stills.get(i), engine.frames.get(f.frame), { ignore }));
      snapshot = { min: Math.min(...values), median: median(values), ms: snap.ms, cpuMs: snap.cpuMs };
    } else snapshot = { failed: true, ms: snap.ms };
  }

  const fsProblems = [...ours.problems, ...lint.filter((d) => d.severity === 'error')];
  const fsKeys = new Set(fsProblems.map((p) => p.key));
  const engineKeys = new Set(engine.problems.map((p) => p.key));
  const values = frames.map((f) => f.psnr);
  const selfValues = frames.map((f) => f.engineSelf).filter((v) => v !== undefined);
  return {
    name: c.name,
    set: c.set,
    remote,
    // 'build': both sides rendered the unpacked `framesmith build` zip (module scripts bundled).
    input,
    // Parts of the frame left out of the PSNR, and why (compositions.mjs IGNORE).
    ignored: c.ignore ?? null,
    framesmith: {
      loaded: ours.ok,
      refused: build.refused,
      code: build.code,
      message: build.message,
      hint: build.hint ?? null,
      loadFailure: ours.failure,
      fps: ours.info?.fps ?? null,
      duration: ours.info?.duration ?? null,
      frameCount: ours.info?.frameCount ?? null,
      problems: fsProblems,
      warnings: build.warnings,
      ms: ours.ms + build.ms,
    },
    engine: {
      refused: !engine.ok,
      code: engine.failure?.code ?? null,
      message: engine.failure?.message ?? null,
      fps: engine.fps,
      duration: engine.duration,
      frameCount: engine.frameCount,
      problems: engine.problems,
      ms: engine.ms,
      cpuMs: engine.cpuMs,
      runs: runs.map((r) => ({ ok: r.ok, ms: r.ms, cpuMs: r.cpuMs, frameCount: r.frameCount })),
    },
    refusalAgrees: build.refused === !engine.ok,
    // framesmith refuses on purpose where HeyGen renders (a missing project file: REFUSED_BY_FRAMESMITH).
    deliberate: build.refused && engine.ok && (build.codes ?? []).some((c) => fs.refusedByFramesmith.has(c)),
    frames,
    compared: frames.length,
    min: values.length ? Math.min(...values) : null,
    median: values.length ? median(values) : null,
    engineSelfMin: selfValues.length ? Math.min(...selfValues) : null,
    worst,
    onlyFramesmith: fsProblems.filter((p) => !engineKeys.has(p.key)),
    onlyEngine: engine.problems.filter((p) => !fsKeys.has(p.key)),
    snapshot,
  };
}

/**
 * A corpus example against the engine's video at a low fps (the corpus tests' sampleFps: about 12
 * frames over the clip, at least 3 fps), every frame of it: the engine's render is made once per
 * test run and shared with the corpus tests (engine-cache.mjs). framesmith's frames keep the
 * page's backgrounds (a video has them) and are passed through the video's pixel format (4:2:0,
 * lossless: throughVideoFormat); the engine's are decoded from its H.264 `--quality high` render,
 * so a perfect match reads about 40-50 dB (the engine's compression) rather than ∞.
 */
async function compareVideo({ root, tool, c, fs, pool, outDir, workDir, engineTimeoutMs, log }) {
  const base = join(workDir, c.set, c.name);
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  const dir = c.prepare(join(base, 'project'));
  const remote = remoteRefs(dir);
  const shown = join(outDir, c.set, c.name);
  rmSync(shown, { recursive: true, force: true });
  mkdirSync(shown, { recursive: true });

  let duration = null;
  try {
    duration = (await fs.loadProject(dir)).composition.duration ?? null;
  } catch {}
  const fps = corpusFps(duration ?? 10);
  log(`${c.set}/${c.name}: engine video at ${fps} fps`);
  const engine = await engineVideoRender(tool, {
    name: c.name,
    fps,
    prepare: (dest) => cpSync(dir, dest, { recursive: true }),
    workDir: join(base, 'engine'),
    timeoutMs: engineTimeoutMs ?? 20 * 60_000,
    log,
  });
  writeFileSync(join(shown, 'engine-0.log'), engine.log);
  log(`${c.set}/${c.name}: framesmith`);
  const ours = await framesmithFrames(fs, pool, dir, {
    outDir: join(base, 'framesmith'),
    fps,
    opaque: true,
    plan: (info) => Array.from({ length: Math.min(info.frameCount, engine.frameCount || info.frameCount) }, (_, i) => i),
  });
  const lint = await framesmithLint(fs, dir);
  const build = framesmithBuild(root, dir, join(base, 'build.zip'));

  // framesmith's lossless frames as they would be in a video of the engine's pixel format (4:2:0),
  // so the chroma subsampling both videos have is not counted as a difference.
  const oursAsVideo = new Map();
  if (ours.frames.size && engine.video) {
    const order = [...ours.frames.keys()].sort((x, y) => x - y);
    const converted = throughVideoFormat(
      order.map((n) => ours.frames.get(n)),
      engine.video,
      join(base, 'framesmith-as-video'),
    );
    order.forEach((n, i) => oursAsVideo.set(n, converted[i]));
  }
  const frames = [];
  engine.frames.forEach((b, n) => {
    const a = oursAsVideo.get(n);
    if (a)
      frames.push({
        frame: n,
        time: n / fps,
        why: n === 0 ? 'first' : n === engine.frames.length - 1 ? 'last' : `every frame at ${fps} fps`,
        psnr: psnrFiles(a, b),
      });
  });
  let worst = null;
  if (frames.length) {
    worst = frames.reduce((w, f) => (f.psnr < w.psnr ? f : w));
    worst = { ...worst, image: `${c.set}/${c.name}/worst-f${worst.frame}.png` };
    writeSideBySide(oursAsVideo.get(worst.frame), engine.frames[worst.frame], join(outDir, worst.image));
  }
  const fsProblems = [...ours.problems, ...lint.filter((d) => d.severity === 'error')];
  const fsKeys = new Set(fsProblems.map((p) => p.key));
  const engineKeys = new Set(engine.problems.map((p) => p.key));
  const values = frames.map((f) => f.psnr);
  return {
    name: c.name,
    set: c.set,
    mode: 'video',
    remote,
    framesmith: {
      loaded: ours.ok,
      refused: build.refused,
      code: build.code,
      message: build.message,
      hint: build.hint ?? null,
      loadFailure: ours.failure,
      fps,
      duration: ours.info?.duration ?? null,
      frameCount: ours.info?.frameCount ?? null,
      problems: fsProblems,
      warnings: build.warnings,
      ms: ours.ms + build.ms,
    },
    engine: {
      refused: !engine.ok,
      code: engine.failure?.code ?? null,
      message: engine.failure?.message ?? null,
      fps,
      duration: engine.duration,
      frameCount: engine.frameCount,
      problems: engine.problems,
      ms: engine.ms,
      cpuMs: engine.cpuMs,
      shared: engine.shared,
      runs: [{ ok: engine.ok, ms: engine.ms, cpuMs: engine.cpuMs, frameCount: engine.frameCount }],
    },
    refusalAgrees: build.refused === !engine.ok,
    // framesmith refuses on purpose where HeyGen renders (a missing project file: REFUSED_BY_FRAMESMITH).
    deliberate: build.refused && engine.ok && (build.codes ?? []).some((c) => fs.refusedByFramesmith.has(c)),
    frames,
    compared: frames.length,
    min: values.length ? Math.min(...values) : null,
    median: values.length ? median(values) : null,
    engineSelfMin: null,
    worst,
    onlyFramesmith: fsProblems.filter((p) => !engineKeys.has(p.key)),
    onlyEngine: engine.problems.filter((p) => !fsKeys.has(p.key)),
    snapshot: null,
  };
}

/**
 * The corpus tests' frame rate for a clip of `duration` seconds: about 12 frames, at least 3 fps.
 * Not lower: in the engine GSAP's own ticker runs on the page's clock, and a step of more than
 * 0.5 s between two frames trips GSAP's lag smoothing (it counts the step as 33 ms), so tweens
 * outside registered timelines (startup-pitch's entrance animations) would crawl there: a state
 * no real render (24-60 fps) shows and framesmith does not imitate.
 */
export function corpusFps(duration) {
  return Math.max(3, Math.round(12 / Math.max(duration, 0.001)));
}

/** One line per composition for progress logs. */
export function summaryLine(r) {
  if (r.error) return `ERROR ${r.error.split('\n')[0]}`;
  const verdict = (side) => (side.refused ? `refuses (${side.code})` : 'renders');
  const db = (v) => (v === null ? '–' : v === Infinity ? '∞' : v.toFixed(1));
  return `framesmith ${verdict(r.framesmith)}, engine ${verdict(r.engine)}; ${r.compared} frames, min ${db(r.min)} dB, median ${db(r.median)} dB${r.engineSelfMin !== null ? `, engine vs itself min ${db(r.engineSelfMin)} dB` : ''}`;
}

/**
 * @typedef {{ name: string, set: string, error?: string, remote: string[],
 *   framesmith: { loaded: boolean, refused: boolean, code: string | null, message: string | null, hint: string | null, fps: number | null, duration: number | null, frameCount: number | null, problems: any[], warnings: any[], ms: number },
 *   engine: { refused: boolean, code: string | null, message: string | null, fps: number | null, duration: number | null, frameCount: number, problems: any[], ms: number, cpuMs: number | null, runs: any[] },
 *   refusalAgrees: boolean, frames: Array<{ frame: number, time: number, why: string, psnr: number, engineSelf?: number }>,
 *   compared: number, min: number | null, median: number | null, engineSelfMin: number | null,
 *   worst: { frame: number, time: number, psnr: number, image: string } | null,
 *   onlyFramesmith: any[], onlyEngine: any[], snapshot: any, ms: number }} ParityResult
 */
