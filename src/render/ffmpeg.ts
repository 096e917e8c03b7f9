/**
 * The system ffmpeg: found on PATH (or FRAMESMITH_FFMPEG), run for short jobs (probes, audio mix)
 * and as the streaming encoder of a render. framesmith never downloads ffmpeg. The encoder runs
 * in its own process group so a Ctrl+C in the terminal reaches framesmith only, which then stops
 * it and removes the partial file.
 */
import { execFile, spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { FramesmithError } from '../core/errors.js';

const INSTALL_HINT =
  'Install ffmpeg (Debian/Ubuntu: `sudo apt-get install ffmpeg`, macOS: `brew install ffmpeg`, Windows: `winget install ffmpeg`), or set FRAMESMITH_FFMPEG to its path.';

export interface FfmpegTools {
  ffmpeg: string;
  ffprobe: string;
  version: string;
  /** Output of `ffmpeg -encoders`, to check for the codec a format needs. */
  encoders: string;
}

let cached: FfmpegTools | null = null;

/** The ffmpeg and ffprobe to run (FRAMESMITH_FFMPEG / FRAMESMITH_FFPROBE, else PATH), and the cached check of them if any. */
function toolNames(env: NodeJS.ProcessEnv): { ffmpeg: string; ffprobe: string; known: FfmpegTools | null } {
  const ffmpeg = env.FRAMESMITH_FFMPEG || 'ffmpeg';
  const ffprobe =
    env.FRAMESMITH_FFPROBE || (env.FRAMESMITH_FFMPEG ? env.FRAMESMITH_FFMPEG.replace(/ffmpeg(\.exe)?$/, 'ffprobe$1') : 'ffprobe');
  return { ffmpeg, ffprobe, known: cached && cached.ffmpeg === ffmpeg && cached.ffprobe === ffprobe ? cached : null };
}

/** Finds ffmpeg and ffprobe, or throws an error that says how to install them. */
export function findFfmpeg(env: NodeJS.ProcessEnv = process.env): FfmpegTools {
  const { ffmpeg, ffprobe, known } = toolNames(env);
  if (known) return known;
  const probe = spawnSync(ffmpeg, ['-hide_banner', '-version'], { encoding: 'utf8', env });
  if (probe.error || probe.status !== 0) {
    throw new FramesmithError(
      'ffmpeg_not_found',
      `ffmpeg was not found${env.FRAMESMITH_FFMPEG ? ` at ${ffmpeg}` : ' on PATH'}; local renders encode with it.`,
      {
        hint: INSTALL_HINT,
      },
    );
  }
  const version = /ffmpeg version (\S+)/.exec(probe.stdout)?.[1] ?? 'unknown';
  const encoders = spawnSync(ffmpeg, ['-hide_banner', '-encoders'], { encoding: 'utf8', env }).stdout ?? '';
  const probeOk = spawnSync(ffprobe, ['-version'], { encoding: 'utf8', env });
  if (probeOk.error || probeOk.status !== 0) {
    throw new FramesmithError('ffmpeg_not_found', `ffprobe was not found next to ffmpeg (${ffprobe}); it comes with ffmpeg.`, {
      hint: INSTALL_HINT,
    });
  }
  cached = { ffmpeg, ffprobe, version, encoders };
  return cached;
}

/** Runs a probe without blocking the event loop; null when it cannot run or fails. */
function probeAsync(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<string | null> {
  return new Promise((resolve) =>
    execFile(bin, args, { encoding: 'utf8', env, maxBuffer: 8 * 1024 * 1024 }, (error, stdout) => resolve(error ? null : stdout)),
  );
}

/**
 * `findFfmpeg` with the three probes run at once and off the event loop, so a render's browsers
 * keep starting meanwhile. Same result and errors.
 */
export async function findFfmpegAsync(env: NodeJS.ProcessEnv = process.env): Promise<FfmpegTools> {
  const { ffmpeg, ffprobe, known } = toolNames(env);
  if (known) return known;
  const [version, encoders, probeOk] = await Promise.all([
    probeAsync(ffmpeg, ['-hide_banner', '-version'], env),
    probeAsync(ffmpeg, ['-hide_banner', '-encoders'], env),
    probeAsync(ffprobe, ['-version'], env),
  ]);
  // Any failure: the synchronous check says exactly what is missing.
  if (version === null || probeOk === null) return findFfmpeg(env);
  cached = { ffmpeg, ffprobe, version: /ffmpeg version (\S+)/.exec(version)?.[1] ?? 'unknown', encoders: encoders ?? '' };
  return cached;
}

/** Throws when this ffmpeg cannot encode with `codec` (e.g. a build without libx264). */
export function requireEncoder(tools: FfmpegTools, codec: string): void {
  if (new RegExp(`\\s${codec}\\s`).test(tools.encoders)) return;
  throw new FramesmithError('ffmpeg_missing_encoder', `The ffmpeg at ${tools.ffmpeg} (${tools.version}) has no ${codec} encoder.`, {
    hint: `Install a full ffmpeg build (with libx264, libvpx and prores_ks). ${INSTALL_HINT}`,
  });
}

/** Turns ffmpeg's stderr into the error a user sees; a full disk gets its own code. */
export function ffmpegError(stderr: string, what: string, output?: string): FramesmithError {
  const tail = stderr.trim().split('\n').slice(-4).join('\n') || 'no message';
  if (/No space left on device|ENOSPC/i.test(stderr)) {
    return new FramesmithError('disk_full', `The disk is full: ffmpeg could not finish ${what}${output ? ` (${output})` : ''}.`, {
      hint: 'Free some space, or write the video to another disk with -o. Nothing was left behind.',
    });
  }
  return new FramesmithError('ffmpeg_failed', `ffmpeg failed while ${what}: ${tail}`, {
    hint: 'Run with --verbose to see the ffmpeg command. If it names a file, check that it is readable media.',
  });
}

/** Runs ffmpeg/ffprobe to completion and returns stdout; throws with stderr on failure. */
export function runTool(bin: string, args: string[], what: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-8000)));
    const onAbort = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => reject(new FramesmithError('ffmpeg_not_found', `Could not run ${bin}: ${e.message}`, { hint: INSTALL_HINT })));
    child.on('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (code === 0) resolve(out);
      else reject(ffmpegError(err, what));
    });
  });
}

/** ffmpeg's messages for an output it could not finish writing. */
const WRITE_FAILED = /Error writing trailer|Error closing file|No space left on device/i;

export interface Encoder {
  /** Writes bytes to ffmpeg's stdin, waiting when the pipe is full. */
  write(chunks: Buffer[]): Promise<void>;
  /** Closes stdin and waits for ffmpeg to finish the file. */
  finish(): Promise<void>;
  /** Stops ffmpeg at once (failure or cancel). */
  kill(): Promise<void>;
  /** Rejects as soon as ffmpeg exits with an error. */
  readonly failed: Promise<never>;
  readonly pid: number | undefined;
}

/**
 * An Encoder that only writes the frame stream to a file (benchmarks: capture without encoding,
 * and the frames for timing the encoder alone).
 */
export function startStreamWriter(path: string): Encoder {
  const out = createWriteStream(path);
  let failWith: (e: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => (failWith = reject));
  failed.catch(() => {});
  out.on('error', (e) => failWith(e));
  return {
    pid: undefined,
    failed,
    async write(chunks) {
      for (const chunk of chunks) {
        if (!out.write(chunk)) await Promise.race([new Promise<void>((r) => out.once('drain', r)), failed]);
      }
    },
    finish: () => new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve()))),
    async kill() {
      out.destroy();
    },
  };
}

/** Starts the streaming encoder. */
export function startEncoder(bin: string, args: string[], output: string): Encoder {
  const child: ChildProcessWithoutNullStreams = spawn(bin, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-16000)));
  child.stdout.resume();
  let exited = false;
  const exit = new Promise<number | null>((resolve) => {
    child.on('close', (code) => {
      exited = true;
      resolve(code);
    });
  });
  let failWith: (e: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => (failWith = reject));
  failed.catch(() => {});
  child.on('error', (e) => failWith(new FramesmithError('ffmpeg_not_found', `Could not run ${bin}: ${e.message}`, { hint: INSTALL_HINT })));
  void exit.then((code) => {
    if (code !== 0) failWith(ffmpegError(stderr, 'encoding the video', output));
  });
  // A closed pipe (ffmpeg died) is reported through `failed`, not as an unhandled stream error.
  child.stdin.on('error', () => {});

  return {
    pid: child.pid,
    failed,
    async write(chunks) {
      for (const chunk of chunks) {
        if (exited) return failed;
        if (!child.stdin.write(chunk)) {
          await Promise.race([new Promise<void>((r) => child.stdin.once('drain', r)), failed]);
        }
      }
    },
    async finish() {
      child.stdin.end();
      const code = await exit;
      // ffmpeg 5 exits 0 when only the trailer could not be written (a full disk at the very end),
      // leaving a file no player opens: its own error lines count as failure too.
      if (code !== 0 || WRITE_FAILED.test(stderr)) throw ffmpegError(stderr, 'encoding the video', output);
    },
    async kill() {
      if (exited) return;
      child.stdin.destroy();
      child.kill('SIGKILL');
      await exit;
    },
  };
}
