/**
 * Real (tiny) render outputs for the fake server, made with ffmpeg: a 1-second video in the
 * requested format and aspect ratio, and a PNG thumbnail. Made once per server and cached, so a
 * test can probe the downloaded file like a real render.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const SIZES: Record<string, string> = { '16:9': '192x108', '9:16': '108x192', '1:1': '128x128' };
const CODECS: Record<string, string[]> = {
  mp4: ['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-movflags', '+faststart'],
  webm: ['-c:v', 'libvpx', '-b:v', '200k'],
  mov: ['-c:v', 'prores_ks', '-profile:v', '0'],
};
export const MIME: Record<string, string> = { mp4: 'video/mp4', webm: 'video/webm', mov: 'video/quicktime', png: 'image/png' };

export interface MediaCache {
  video(format: string, aspect: string): Promise<Buffer>;
  thumbnail(aspect: string): Promise<Buffer>;
  close(): Promise<void>;
}

/** Creates the cache in a temp folder and makes the default mp4 (16:9) and PNG right away. */
export async function createMediaCache(): Promise<MediaCache> {
  const dir = await mkdtemp(join(tmpdir(), 'fake-heygen-media-'));
  const made = new Map<string, Promise<Buffer>>();
  const make = (key: string, args: string[], file: string) => {
    let p = made.get(key);
    if (!p) {
      p = run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args, join(dir, file)]).then(() => readFile(join(dir, file)));
      made.set(key, p);
    }
    return p;
  };
  const cache: MediaCache = {
    video(format, aspect) {
      const size = SIZES[aspect] ?? SIZES['16:9'];
      const codec = CODECS[format] ?? CODECS.mp4;
      return make(
        `${format}-${aspect}`,
        ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30:duration=1`, ...codec],
        `video-${aspect.replace(':', 'x')}.${format}`,
      );
    },
    thumbnail(aspect) {
      const size = SIZES[aspect] ?? SIZES['16:9'];
      return make(
        `png-${aspect}`,
        ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=1:duration=1`, '-frames:v', '1'],
        `thumb-${aspect.replace(':', 'x')}.png`,
      );
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
  await Promise.all([cache.video('mp4', '16:9'), cache.thumbnail('16:9')]);
  return cache;
}
