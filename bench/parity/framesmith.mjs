// framesmith's side of a comparison, through its built code (dist/): the composition captured by
// `framesmith render`'s own capture path (its browser pool, capture worker, frame steps and
// screenshots) at chosen frame numbers (RGBA, like the engine's PNG sequence), the problems the
// page, lint and `framesmith build` raise, and whether build refuses the project. (The harness
// once captured through a page of its own; that hid a render-only bug, so it now captures what a
// render writes, before encoding.)
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const yauzl = createRequire(import.meta.url)('yauzl');

/**
 * The official engine CLI we compare with runs offline: it cannot reach Google Fonts, so for the
 * families it embeds it draws only the embedded weights (Inter 500 → 400, 600 → 700, 800 → 900),
 * where the cloud (and framesmith by default) also has Google's faces for every weight. framesmith's
 * side of every comparison draws fonts as that offline CLI does, so a comparison measures the
 * runtime, not which faces exist (docs/fonts.md "Comparing with the offline engine").
 */
export const FONTS_AS_OFFLINE_ENGINE = { FRAMESMITH_FONTS_AS_OFFLINE_ENGINE: '1' };

/** Loads framesmith's built modules (run `npm run build` first), fonts drawn as the offline engine does. */
export async function framesmithModules(root) {
  // Read by src/fonts at each page load in this process, and inherited by the CLI runs it spawns.
  Object.assign(process.env, FONTS_AS_OFFLINE_ENGINE);
  const dist = (p) => import(pathToFileURL(join(root, 'dist', 'node', p)).href);
  const [pool, worker, server, model, lint, renderMode, videoFrames, ffmpeg, logger, time] = await Promise.all([
    dist('render/browser-pool.js'),
    dist('render/capture-worker.js'),
    dist('serve/static-server.js'),
    dist('model/index.js'),
    dist('lint/index.js'),
    // shared/ builds to dist/shared (beside dist/node) since the layout move.
    import(pathToFileURL(join(root, 'dist', 'shared', 'render-mode.js')).href),
    dist('render/video-frames.js'),
    dist('render/ffmpeg.js'),
    dist('core/logger.js'),
    import(pathToFileURL(join(root, 'dist', 'shared', 'time.js')).href),
  ]);
  return {
    /**
     * The `<video>` frames as `framesmith render` shows them: decoded ahead by ffmpeg (as the
     * engine does), null when the project has no video. Resolves to { dir, sets, dispose }.
     */
    extractVideoFrames: (projectModel, fps) => {
      const count = time.frameCount(projectModel.composition.duration, fps);
      return videoFrames.extractVideoFrames(
        ffmpeg.findFfmpeg(),
        projectModel,
        { first: 0, last: Math.max(0, count - 1) },
        fps,
        logger.silentLogger,
      );
    },
    videoFramesUrl: videoFrames.VIDEO_FRAMES_URL,
    /** The capture browsers `framesmith render` starts (BeginFrame control where Chromium has it). */
    createBrowserPool: pool.createBrowserPool,
    /** `framesmith render`'s capture worker: its page, its frame steps, its screenshots. */
    openCaptureWorker: worker.openCaptureWorker,
    startStaticServer: server.startStaticServer,
    loadProject: model.loadProject,
    lintProject: lint.lintProject,
    /** Codes framesmith refuses on purpose where HeyGen renders (a missing project file). */
    refusedByFramesmith: renderMode.REFUSED_BY_FRAMESMITH,
  };
}

/** A comparable key for a problem, shared with engineProblems() so one-sided problems show. */
export function problemKey(p) {
  const first = String(p.message ?? '')
    .split('\n')[0]
    .replace(/^Uncaught /, '')
    .trim();
  if (p.code === 'page_error' || p.kind === 'page-error') return `page_error:${first.replace(/ \(at [\d.]+ s\)$/, '')}`;
  if (p.url) return `load_failed:${p.url}`;
  if (p.code === 'timeline_not_registered') return `timeline_missing:${/"([^"]+)"/.exec(p.message)?.[1] ?? ''}`;
  return `framesmith:${p.code}`;
}

/**
 * Opens a composition with framesmith, lets `plan(info, clips)` choose the frames, and captures
 * them into `outDir` as `f<frame>.png`.
 * @param {Awaited<ReturnType<typeof framesmithModules>>} fs
 * @param {{ mode: string, browsers: any[] }} pool `fs.createBrowserPool`'s pool (one browser is used)
 * @param {string} dir project
 * @param {{ outDir: string, plan: (info: any, clips: any[]) => number[], fps?: number, opaque?: boolean }} options
 *   fps: the frame grid (default: the composition's); opaque: keep the page's backgrounds (to
 *   compare with a video) instead of clearing them as the engine's PNG sequence does.
 */
export async function framesmithFrames(fs, pool, dir, { outDir, plan, fps: gridFps, opaque = false }) {
  const started = performance.now();
  const failed = (error) => ({
    ok: false,
    failure: { code: error.code ?? 'page_not_ready', message: error.message },
    info: null,
    clips: [],
    frames: new Map(),
    problems: [],
    ms: performance.now() - started,
  });
  let model;
  try {
    model = await fs.loadProject(dir);
  } catch (error) {
    return failed({ code: error.code ?? 'load_failed', message: error.message });
  }
  const comp = model.composition;
  const fps = gridFps ?? comp.fps ?? 30;
  // Videos show the frames ffmpeg decoded, as in `framesmith render` (Chromium's own picture of a
  // seeked video can be a frame early at a frame boundary and converts colours its own way).
  const decoded = await fs.extractVideoFrames(model, fps);
  const videoFrames = decoded && Object.keys(decoded.sets).length ? decoded.sets : undefined;
  // The boot a render's pages get (render-job.ts): its fps, no paint wait under BeginFrame control.
  const server = await fs.startStaticServer({
    root: model.root,
    boot: { fps, videoFrames, paint: pool.mode === 'beginframe' ? 'none' : 'raf' },
  });
  if (decoded) server.mount(fs.videoFramesUrl, decoded.dir);
  let worker;
  try {
    try {
      // The engine's PNG sequence is its alpha path: it clears the html and body backgrounds and
      // captures with a transparent default background; a render to webm/mov does the same (alpha).
      worker = await fs.openCaptureWorker({
        browser: pool.browsers[0],
        mode: pool.mode,
        scale: 1,
        url: server.url(model.entry),
        entry: model.entry,
        width: comp.width,
        height: comp.height,
        fps,
        alpha: !opaque,
        image: 'png',
        jpegQuality: 100,
        reuse: true,
        settleFrames: videoFrames ? 1 : 0,
      });
    } catch (error) {
      return failed(error);
    }
    const info = worker.info;
    const clips = await worker.clips();
    const wanted = [...new Set(plan(info, clips))].filter((f) => f >= 0).sort((a, b) => a - b);
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    const frames = new Map();
    let at = -1;
    try {
      for (const frame of wanted) {
        // Renders go frame after frame; scripts that keep state between seeks (a velocity from the
        // previous frame, as motion blur does) see the frame before first, as in a render.
        if (frame > 0 && at !== frame - 1) await worker.capture(frame - 1);
        const { image } = await worker.capture(frame);
        at = frame;
        const file = join(outDir, `f${frame}.png`);
        writeFileSync(file, image);
        frames.set(frame, file);
      }
    } catch (error) {
      // A render would stop here too (a problem HeyGen refuses, a page stuck in script).
      return { ...failed(error), info, clips };
    }
    const problems = (await worker.problems()).map((p) => ({ code: p.code, message: p.message, key: problemKey(p), kind: p.kind }));
    for (const url of new Set(worker.blocked))
      if (!problems.some((p) => p.key === `load_failed:${url}`))
        problems.push({ code: 'remote_resource', message: `blocked ${url}`, key: `load_failed:${url}`, kind: 'asset' });
    return { ok: true, failure: null, info, clips, frames, problems, fps, ms: performance.now() - started };
  } finally {
    await worker?.close();
    await server.close();
    await decoded?.dispose();
  }
}

/**
 * What `framesmith build` says about the project (lint + the browser check), run as a user runs
 * it. Refused = build exits non-zero.
 * @returns {{ refused: boolean, code: string | null, message: string | null, warnings: Array<{ code: string, message: string }>, ms: number }}
 */
export function framesmithBuild(root, dir, outZip, { keepZip = false } = {}) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(root, 'bin', 'framesmith.js'), 'build', dir, '-o', outZip, '--json'], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CI: '1' },
    timeout: 180_000,
  });
  let json = null;
  try {
    json = JSON.parse(r.stdout);
  } catch {}
  if (!keepZip || r.status !== 0) rmSync(outZip, { force: true });
  const warnings = (json?.warnings ?? json?.result?.warnings ?? []).map((w) => ({ code: w.code, message: w.message }));
  // bundler 'vite': the project has module scripts, and the zip holds Vite's output, not the source.
  if (r.status === 0)
    return {
      refused: false,
      code: null,
      message: null,
      warnings,
      bundler: json?.bundler ?? null,
      zip: keepZip ? outZip : null,
      ms: performance.now() - t0,
    };
  return {
    refused: true,
    code: json?.error?.code ?? (r.status === null ? 'timeout' : `exit_${r.status}`),
    /** The error's code and its details' codes (a lint refusal lists the findings). */
    codes: [json?.error?.code, ...(json?.error?.details ?? []).map((d) => d.code)].filter(Boolean),
    message: json?.error?.message ?? (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' '),
    hint: json?.error?.hint ?? null,
    warnings,
    ms: performance.now() - t0,
  };
}

/** Unpacks a zip made by `framesmith build` into `dir` (the project folder HeyGen would read). */
export async function extractZip(zipPath, dir) {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false });
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      const chunks = [];
      for await (const c of await zip.openReadStreamPromise(entry)) chunks.push(c);
      const file = join(dir, entry.fileName);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, Buffer.concat(chunks));
    }
  } finally {
    zip.close();
  }
  return dir;
}

/** Lint findings (errors and warnings), for the problems columns. */
export async function framesmithLint(fs, dir) {
  try {
    const result = await fs.lintProject(dir);
    return result.diagnostics.map((d) => ({ code: d.code, message: d.message, severity: d.severity, key: `lint:${d.code}` }));
  } catch (error) {
    return [{ code: error.code ?? 'lint_failed', message: error.message, severity: 'error', key: `lint:${error.code ?? 'failed'}` }];
  }
}
