/**
 * Thumbnails of video clips for the timeline: a hidden, muted <video> per source in this page
 * seeks to the times in view and each frame is scaled into an ImageBitmap (decoding happens on
 * the browser's media threads). The work is done in idle moments, one frame at a time, and
 * waits while the preview is playing or scrubbing so it never competes with a seek.
 */

interface Source {
  video: HTMLVideoElement;
  thumbs: Map<number, ImageBitmap>;
  wanted: number[];
  failed: boolean;
  ready: Promise<boolean>;
}

/** Frames kept per source. */
const MAX_THUMBS = 240;
const THUMB_HEIGHT = 56;

export class VideoThumbs {
  private readonly sources = new Map<string, Source>();
  private running = false;
  private busyUntil = 0;
  onChange: () => void = () => {};

  /** The preview is busy (playing, scrubbing) for `ms`. */
  busy(ms: number): void {
    this.busyUntil = Math.max(this.busyUntil, performance.now() + ms);
  }

  /** The nearest frame to media time `t` within `within` s. */
  nearest(src: string, t: number, within: number): ImageBitmap | null {
    const s = this.sources.get(src);
    if (!s) return null;
    let best: ImageBitmap | null = null;
    let dist = Infinity;
    for (const [time, bmp] of s.thumbs) {
      const d = Math.abs(time - t);
      if (d < dist) {
        dist = d;
        best = bmp;
      }
    }
    return dist <= Math.max(within, 0.05) ? best : null;
  }

  want(src: string, times: number[]): void {
    let s = this.sources.get(src);
    if (!s) {
      const video = document.createElement('video');
      video.muted = true;
      video.preload = 'auto';
      video.playsInline = true;
      video.crossOrigin = 'anonymous';
      video.src = src;
      const ready = new Promise<boolean>((resolve) => {
        video.addEventListener('loadeddata', () => resolve(true), { once: true });
        video.addEventListener('error', () => resolve(false), { once: true });
      });
      s = { video, thumbs: new Map(), wanted: [], failed: false, ready };
      this.sources.set(src, s);
      void ready.then((ok) => (s!.failed = !ok));
    }
    const have = s.thumbs;
    s.wanted = [...new Set(times.map((t) => Math.round(t * 100) / 100))].filter((t) => !have.has(t)).slice(0, 60);
    void this.run();
  }

  /** Bytes of decoded frames held (RGBA). */
  get bytes(): number {
    let n = 0;
    for (const s of this.sources.values()) for (const b of s.thumbs.values()) n += b.width * b.height * 4;
    return n;
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const entry = [...this.sources.values()].find((s) => !s.failed && s.wanted.length);
        if (!entry) break;
        while (performance.now() < this.busyUntil) await new Promise((r) => setTimeout(r, 150));
        await new Promise((r) =>
          typeof window.requestIdleCallback === 'function' ? requestIdleCallback(r, { timeout: 300 }) : setTimeout(r, 16),
        );
        if (!(await entry.ready)) continue;
        const t = entry.wanted.shift();
        if (t === undefined) continue;
        const v = entry.video;
        const target = Number.isFinite(v.duration) ? Math.min(t, Math.max(0, v.duration - 0.01)) : t;
        if (Math.abs(v.currentTime - target) > 0.001) {
          await new Promise<void>((resolve) => {
            const done = () => (v.removeEventListener('seeked', done), resolve());
            v.addEventListener('seeked', done);
            setTimeout(done, 3000);
            v.currentTime = target;
          });
        }
        try {
          const scale = THUMB_HEIGHT / Math.max(1, v.videoHeight);
          const bmp = await createImageBitmap(v, {
            resizeHeight: THUMB_HEIGHT,
            resizeWidth: Math.max(1, Math.round(v.videoWidth * scale)),
            resizeQuality: 'low',
          });
          entry.thumbs.set(t, bmp);
          if (entry.thumbs.size > MAX_THUMBS) {
            const [oldest] = entry.thumbs.keys();
            entry.thumbs.get(oldest)?.close();
            entry.thumbs.delete(oldest);
          }
          this.onChange();
        } catch {
          /* a frame that cannot be drawn: skip it */
        }
      }
    } finally {
      this.running = false;
    }
  }
}
