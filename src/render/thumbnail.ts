/**
 * The thumbnail PNG written beside a video: the middle frame's captured image. PNG frames are
 * written as they are; JPEG frames (opaque formats) are turned into a PNG by ffmpeg, decoded the
 * way ffmpeg decodes them for the video.
 */
import { rm, writeFile } from 'node:fs/promises';
import { runTool } from './ffmpeg.js';
import type { FrameImageFormat } from './mkv-stream.js';

/** Writes `image` to `path` as a PNG. */
export async function writeThumbnail(
  ffmpeg: string,
  image: Buffer,
  format: FrameImageFormat,
  path: string,
  signal?: AbortSignal,
): Promise<void> {
  if (format === 'png') return writeFile(path, image);
  const jpeg = `${path}.jpg`;
  try {
    await writeFile(jpeg, image);
    await runTool(
      ffmpeg,
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-nostdin',
        '-y',
        '-i',
        jpeg,
        '-frames:v',
        '1',
        '-c:v',
        'png',
        '-pix_fmt',
        'rgb24',
        '-f',
        'image2',
        path,
      ],
      'writing the thumbnail',
      signal,
    );
  } finally {
    await rm(jpeg, { force: true });
  }
}
