/**
 * Puts the frames of all workers back in order and streams them to the encoder. Workers capture
 * interleaved chunks of frames, so frames arrive out of order; the sink holds them until their
 * turn and makes workers wait when they run too far ahead (bounded memory). A frame that is
 * byte-identical to the one before is not sent again: the Matroska timestamps let ffmpeg repeat
 * it. The last frame is always sent, and a copy one frame later marks where the video ends.
 */
import type { Encoder } from './ffmpeg.js';
import { frameMs, mkvFrame, mkvHeader, type FrameImageFormat } from './mkv-stream.js';

export interface FrameSinkOptions {
  encoder: Encoder;
  /** First frame number of the render and how many frames it has. */
  first: number;
  count: number;
  fps: number;
  /** Pixel size and codec of the images (for the stream header). */
  width: number;
  height: number;
  image: FrameImageFormat;
  /** Frame whose image becomes the thumbnail, or null. */
  thumbnailFrame: number | null;
  /** How far (in frames) a worker may run ahead of the writer. */
  window: number;
  onProgress?(written: number): void;
}

export interface SinkResult {
  /** Distinct images sent to ffmpeg. */
  sent: number;
  thumbnail: Buffer | null;
}

export class FrameSink {
  private readonly frames = new Map<number, Buffer>();
  private next: number;
  private wakeWriter: (() => void) | null = null;
  private readonly roomWaiters: { frame: number; resolve: () => void }[] = [];
  private stopped: Error | null = null;

  constructor(private readonly o: FrameSinkOptions) {
    this.next = o.first;
  }

  /** Hands over frame `frame`. */
  put(frame: number, image: Buffer): void {
    this.frames.set(frame, image);
    if (frame === this.next) this.wakeWriter?.();
  }

  /** Resolves when `frame` is within the window of the writer (or the sink stopped). */
  waitForRoom(frame: number): Promise<void> {
    if (this.stopped || frame < this.next + this.o.window) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push({ frame, resolve }));
  }

  /** Stops the writer and releases waiting workers (on failure or cancel). */
  stop(reason: Error): void {
    this.stopped = reason;
    this.wakeWriter?.();
    for (const w of this.roomWaiters.splice(0)) w.resolve();
  }

  private releaseRoom(): void {
    for (let i = this.roomWaiters.length - 1; i >= 0; i--) {
      if (this.roomWaiters[i].frame < this.next + this.o.window) this.roomWaiters.splice(i, 1)[0].resolve();
    }
  }

  /** Writes every frame in order; resolves when the last one went to the encoder. */
  async run(): Promise<SinkResult> {
    const { encoder, first, count, fps } = this.o;
    const end = first + count;
    await encoder.write([mkvHeader(this.o.width, this.o.height, this.o.image)]);
    let previous: Buffer | null = null;
    let sent = 0;
    let thumbnail: Buffer | null = null;
    while (this.next < end) {
      if (this.stopped) throw this.stopped;
      const image = this.frames.get(this.next);
      if (!image) {
        await new Promise<void>((resolve) => (this.wakeWriter = resolve));
        this.wakeWriter = null;
        continue;
      }
      this.frames.delete(this.next);
      const index = this.next - first;
      const last = this.next === end - 1;
      if (!previous || last || (image !== previous && !image.equals(previous))) {
        await encoder.write(mkvFrame(frameMs(index, fps), image));
        sent++;
      }
      if (this.next === this.o.thumbnailFrame) thumbnail = image;
      previous = image;
      this.next++;
      this.releaseRoom();
      this.o.onProgress?.(index + 1);
    }
    if (previous) await encoder.write(mkvFrame(frameMs(count, fps), previous));
    return { sent, thumbnail };
  }
}

/**
 * Frame numbers for each worker: chunks of `chunk` frames dealt round-robin, so every worker
 * moves forward through the whole range and the writer is never starved by one slow region.
 */
export function scheduleChunks(first: number, count: number, workers: number, chunk: number): number[][][] {
  const out: number[][][] = Array.from({ length: workers }, () => []);
  let w = 0;
  for (let start = first; start < first + count; start += chunk) {
    const frames: number[] = [];
    for (let f = start; f < Math.min(first + count, start + chunk); f++) frames.push(f);
    out[w].push(frames);
    w = (w + 1) % workers;
  }
  return out;
}
