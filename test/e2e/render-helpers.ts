/**
 * What the render tests look at in a video, through the real ffprobe/ffmpeg: streams, frame
 * counts, decoded frame hashes (framemd5), single frames as PNG, and the processes a CLI run left
 * behind (found by an environment marker every child inherits).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRenderMedia } from '../../bench/parity/index.mjs';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';
import { PNG } from '../helpers/png.js';

export interface StreamInfo {
  codec_type: string;
  codec_name: string;
  profile?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  r_frame_rate?: string;
  nb_read_frames?: string;
  duration?: string;
  color_space?: string;
  color_range?: string;
  tags?: Record<string, string>;
}

/** ffprobe of every stream, with decoded frame counts. */
export function probe(file: string): StreamInfo[] {
  const r = spawnSync('ffprobe', ['-v', 'error', '-count_frames', '-show_streams', '-of', 'json', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffprobe ${file}: ${r.stderr}`);
  return JSON.parse(r.stdout).streams as StreamInfo[];
}

export const videoStream = (file: string) => probe(file).find((s) => s.codec_type === 'video')!;

/** Hashes of the decoded video frames (ffmpeg -f framemd5), one line per frame. */
export function framemd5(file: string, decoder?: string): string[] {
  const args = ['-v', 'error', ...(decoder ? ['-c:v', decoder] : []), '-i', file, '-map', '0:v', '-f', 'framemd5', '-'];
  const r = spawnSync('ffmpeg', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`framemd5 ${file}: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(',').slice(-1)[0].trim());
}

/** Frame `n` of a video as a decoded PNG (RGBA when the video has alpha and `decoder` reads it). */
export function frameAt(file: string, n: number, decoder?: string): PNG {
  const r = spawnSync(
    'ffmpeg',
    [
      '-v',
      'error',
      ...(decoder ? ['-c:v', decoder] : []),
      '-i',
      file,
      '-vf',
      `select=eq(n\\,${n})`,
      '-frames:v',
      '1',
      '-pix_fmt',
      'rgba',
      '-f',
      'image2pipe',
      '-vcodec',
      'png',
      '-',
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  if (r.status !== 0 || !r.stdout.length) throw new Error(`frame ${n} of ${file}: ${r.stderr}`);
  return PNG.decode(r.stdout);
}

/** A project from a template, made by the real `framesmith new`. */
export async function templateProject(template: string, extra: string[] = []): Promise<string> {
  const dir = join(tempDir(), template);
  const r = await runCli(['new', dir, '--template', template, ...extra]);
  if (r.code !== 0) throw new Error(`framesmith new ${template}: ${r.stderr}`);
  return dir;
}

/** Writes the test media of the render-media fixture (a test pattern with a tone, and a chime). */
export function makeTestMedia(dir: string): void {
  makeRenderMedia(dir);
}

/** Pids of live processes whose environment holds `KEY=value`. */
export function processesWithEnv(key: string, value: string): number[] {
  const needle = `${key}=${value}`;
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${d}/environ`, 'latin1').split('\0').includes(needle)) out.push(Number(d));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** Files in a folder whose names mark unfinished renders. */
export function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((f) => /\.partial$|\.audio\.wav$/.test(f));
}
