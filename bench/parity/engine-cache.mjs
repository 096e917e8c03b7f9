// The official engine's renders of the corpus, made once and shared. The corpus tests
// (bench/corpus/lib.mjs) and the parity tests (bench/parity/run.mjs, corpus set) both compare
// framesmith with the engine's render of the same self-contained corpus copy at the same low fps;
// the engine is by far the slowest part (minutes per example), so within one `npm test` run it
// renders each example once and every other user reads the result.
//
// Where: $FRAMESMITH_ENGINE_RENDERS, a folder test/global-setup.ts makes per test run and removes
// afterwards. Key: example name + engine version + fps (the render settings are fixed here). Test
// files run in parallel worker processes, so the first to ask renders while holding a lock folder
// (`<key>.lock`, with its pid); the others wait for its result (or take over when its process is
// gone). The result is published by renaming a finished folder, so a half-written entry is never
// read. Without $FRAMESMITH_ENGINE_RENDERS (`npm run parity`, the bench) nothing is shared.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINE_VERSION, engineFailure, engineProblems, runEngine } from './engine.mjs';

/** The shared folder of this test run, or null. */
export function sharedRendersDir(env = process.env) {
  return env.FRAMESMITH_ENGINE_RENDERS || null;
}

/** The cache key of a render: example, engine version, fps. */
export function renderKey(name, fps) {
  return `${String(name).replace(/[^A-Za-z0-9._-]/g, '_')}@${ENGINE_VERSION}@${fps}fps`;
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};

/**
 * The engine's H.264 render (`--quality high`, one worker) of a project at `fps`, decoded frame by
 * frame into PNG files. Shared through $FRAMESMITH_ENGINE_RENDERS when set (see the file comment).
 * @param {string} tool the official engine wrapper
 * @param {{ name: string, fps: number, prepare: (dest: string) => void, timeoutMs?: number,
 *   workDir?: string, cacheDir?: string | null, log?: (s: string) => void }} options
 *   prepare: writes the project copy the engine reads into `dest` (a new folder); called only when
 *   this call renders. workDir: where an unshared render goes (default: a new temp folder).
 * @returns {Promise<EngineVideo>}
 */
export async function engineVideoRender(tool, options) {
  const { name, fps, prepare, timeoutMs = 20 * 60_000, log = () => {} } = options;
  const cacheDir = options.cacheDir === undefined ? sharedRendersDir() : options.cacheDir;
  if (!cacheDir) {
    const dir = options.workDir ?? join(tmpdir(), `fs-engine-${renderKey(name, fps)}-${process.pid}-${Date.now()}`);
    return { ...(await renderInto(tool, dir, { fps, prepare, timeoutMs })), shared: false };
  }
  mkdirSync(cacheDir, { recursive: true });
  const key = renderKey(name, fps);
  const done = join(cacheDir, key);
  const lock = `${done}.lock`;
  const deadline = Date.now() + timeoutMs + 10 * 60_000;
  for (;;) {
    if (existsSync(join(done, 'result.json'))) {
      log(`${name}: the engine's render at ${fps} fps from this run's shared renders`);
      return readResult(done, true);
    }
    let mine = false;
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      mine = true;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const pid = Number(readText(join(lock, 'pid')));
      if (pid && !alive(pid)) {
        // Its renderer is gone (a killed test worker): take the render over.
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
    }
    if (mine) {
      try {
        if (existsSync(join(done, 'result.json'))) continue;
        const partial = `${done}.part-${process.pid}`;
        rmSync(partial, { recursive: true, force: true });
        const result = await renderInto(tool, partial, { fps, prepare, timeoutMs });
        rmSync(done, { recursive: true, force: true });
        renameSync(partial, done);
        return readResult(done, false, result.ms);
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    }
    if (Date.now() > deadline)
      throw new Error(`waited too long for the engine's render of ${name} at ${fps} fps (another test process holds ${lock})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function readText(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Renders into `dir` (project copy, video, decoded frames, result.json). */
async function renderInto(tool, dir, { fps, prepare, timeoutMs }) {
  mkdirSync(dir, { recursive: true });
  const project = join(dir, 'project');
  prepare(project);
  const video = join(dir, 'official.mp4');
  const run = await runEngine(tool, ['render', project, '-o', video, '--fps', String(fps), '--quality', 'high', '--workers', '1'], {
    timeoutMs,
  });
  rmSync(project, { recursive: true, force: true });
  const framesDir = join(dir, 'frames');
  const frames = run.status === 0 && existsSync(video) ? decodeFrames(video, framesDir) : [];
  const log = run.output;
  const resolved = /"message":"duration resolved","durationSeconds":([\d.]+),"totalFrames":(\d+)/.exec(log);
  const ok = frames.length > 0;
  const result = {
    ok,
    status: run.status,
    failure: ok
      ? null
      : run.timedOut
        ? { code: 'timeout', message: `the engine did not finish within ${Math.round(timeoutMs / 1000)} s` }
        : engineFailure(log),
    fps,
    duration: resolved ? Number(resolved[1]) : null,
    frameCount: frames.length,
    problems: engineProblems(log),
    ms: run.ms,
    cpuMs: run.cpuMs,
  };
  writeFileSync(join(dir, 'engine.log'), log);
  writeFileSync(join(dir, 'result.json'), JSON.stringify(result));
  return readResult(dir, false);
}

function readResult(dir, shared, ms) {
  const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'));
  const framesDir = join(dir, 'frames');
  const frames = existsSync(framesDir)
    ? readdirSync(framesDir)
        .filter((f) => f.endsWith('.png'))
        .sort()
        .map((f) => join(framesDir, f))
    : [];
  return {
    ...result,
    frames,
    video: join(dir, 'official.mp4'),
    log: readText(join(dir, 'engine.log')),
    dir,
    shared,
    ...(ms !== undefined ? { ms } : {}),
  };
}

/** Every frame of a video as PNG files, in order. */
export function decodeFrames(video, dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('ffmpeg', ['-v', 'error', '-i', video, '-fps_mode', 'passthrough', join(dir, '%06d.png')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch {
    return [];
  }
  return readdirSync(dir)
    .filter((f) => f.endsWith('.png'))
    .sort()
    .map((f) => join(dir, f));
}

/** ffmpeg's colour-matrix name for a stream's `color_space` tag (untagged reads as BT.601, as ffmpeg does). */
const MATRIX = { bt709: 'bt709', smpte170m: 'bt601', bt470bg: 'bt601', bt2020nc: 'bt2020' };

/**
 * `frames` (PNG files, in order) as they come out of a video in `video`'s pixel format: encoded
 * losslessly in its chroma subsampling, colour matrix and range, then decoded as decodeFrames
 * decodes the engine's video. A lossless frame against a 4:2:0 video's frame loses up to ~10 dB at
 * saturated edges (chroma at half resolution: 33.0 dB on the corpus' play-mode, 43.7 after this),
 * a difference of the video format, not of the two renderers; with it both sides carry it.
 * Returns the new PNG files, one per input, in order.
 */
export function throughVideoFormat(frames, video, dir) {
  const probe = JSON.parse(
    execFileSync(
      'ffprobe',
      ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=pix_fmt,color_space,color_range', '-of', 'json', video],
      { encoding: 'utf8' },
    ),
  ).streams[0];
  const matrix = MATRIX[probe.color_space] ?? 'bt601';
  const range = probe.color_range === 'pc' ? 'pc' : 'tv';
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const list = join(dir, 'frames.txt');
  writeFileSync(list, frames.map((f) => `file '${f.replaceAll("'", "'\\''")}'`).join('\n') + '\n');
  const lossless = join(dir, 'lossless.mkv');
  const tags = probe.color_space
    ? ['-colorspace', probe.color_space, '-color_primaries', probe.color_space, '-color_trc', probe.color_space]
    : [];
  execFileSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-f',
      'concat',
      '-safe',
      '0',
      '-i',
      list,
      '-vf',
      `scale=out_color_matrix=${matrix}:out_range=${range},format=${probe.pix_fmt}`,
      '-fps_mode',
      'passthrough',
      '-c:v',
      'libx264',
      '-qp',
      '0',
      '-preset',
      'ultrafast',
      ...tags,
      '-color_range',
      range,
      lossless,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const out = decodeFrames(lossless, join(dir, 'frames'));
  if (out.length !== frames.length) throw new Error(`through the video format: ${out.length} frames out of ${frames.length}`);
  return out;
}

/**
 * @typedef {{ ok: boolean, status: number | null, failure: { code: string, message: string } | null,
 *   fps: number, duration: number | null, frameCount: number, frames: string[], video: string,
 *   problems: Array<{ code: string, message: string, key: string }>, log: string, ms: number,
 *   cpuMs: number | null, dir: string, shared: boolean }} EngineVideo
 */
