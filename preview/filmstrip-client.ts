/**
 * The page's side of the filmstrip: asks the dev server (over the websocket) for thumbnails of
 * the frames in view, for the document shown (same entry, boot values and file generation), and
 * keeps the images it sends, decoded off the main thread into ImageBitmaps. Images of an older
 * document stay on screen until their replacement arrives, so an edit never blanks the strip.
 */
import type { DevClientMessage, DevServerMessage } from '../shared/dev-protocol';

interface Thumb {
  bitmap: ImageBitmap;
  key: string;
  bytes: number;
}

/** Thumbnails kept in the page. */
const MAX_THUMBS = 600;

export class FilmstripClient {
  private key = '';
  private source: { composition: string; boot: string; generation: number } | null = null;
  private readonly thumbs = new Map<number, Thumb>();
  private readonly loading = new Set<string>();
  private lastRequest = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private error: string | null = null;
  private serverBytes = 0;
  private wanted: { frames: number[]; height: number } | null = null;
  private heightPx = 40;
  onChange: () => void = () => {};

  constructor(private readonly send: (m: DevClientMessage) => void) {}

  /** The document shown (after each load). */
  setSource(composition: string, boot: string, generation: number): void {
    const key = `${composition}|${boot.length > 200 ? boot.slice(0, 100) + boot.length + boot.slice(-100) : boot}|${generation}`;
    if (key === this.key) return;
    this.key = key;
    this.source = { composition, boot, generation };
    this.error = null;
    this.lastRequest = '';
    if (this.wanted) this.want(this.wanted.frames, this.wanted.height);
  }

  /** Frames in view (debounced: a zoom or scroll sends one request when it settles). */
  want(frames: number[], height: number): void {
    this.wanted = { frames, height };
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.request(), 120);
  }

  private request(): void {
    if (!this.source || !this.wanted) return;
    const px = Math.round(this.wanted.height * (window.devicePixelRatio || 1));
    this.heightPx = px;
    const missing = this.wanted.frames.filter((f) => this.thumbs.get(f)?.key !== this.key);
    const text = `${this.key}|${px}|${missing.join(',')}`;
    if (!missing.length || text === this.lastRequest) return;
    this.lastRequest = text;
    this.send({
      type: 'filmstrip',
      key: this.key,
      composition: this.source.composition,
      boot: this.source.boot,
      generation: this.source.generation,
      frames: missing,
      height: px,
    });
  }

  receive(message: DevServerMessage): void {
    if (message.type === 'filmstrip-error') {
      if (message.key === this.key) {
        this.error = message.message;
        this.onChange();
      }
      return;
    }
    if (message.type !== 'thumb') return;
    this.serverBytes = message.cacheBytes;
    const id = `${message.key}|${message.frame}`;
    if (this.loading.has(id)) return;
    this.loading.add(id);
    void fetch(message.url)
      .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then((blob) => createImageBitmap(blob, { resizeHeight: this.heightPx, resizeQuality: 'medium' }))
      .then((bitmap) => {
        const old = this.thumbs.get(message.frame);
        // An image of an older document does not replace a current one.
        if (old && old.key === this.key && message.key !== this.key) return bitmap.close();
        old?.bitmap.close();
        this.thumbs.set(message.frame, { bitmap, key: message.key, bytes: bitmap.width * bitmap.height * 4 });
        this.trim();
        this.onChange();
      })
      .catch(() => {})
      .finally(() => this.loading.delete(id));
  }

  private trim(): void {
    if (this.thumbs.size <= MAX_THUMBS) return;
    for (const [frame, t] of this.thumbs) {
      if (this.thumbs.size <= MAX_THUMBS) break;
      if (t.key !== this.key) {
        t.bitmap.close();
        this.thumbs.delete(frame);
      }
    }
    for (const [frame, t] of this.thumbs) {
      if (this.thumbs.size <= MAX_THUMBS) break;
      t.bitmap.close();
      this.thumbs.delete(frame);
    }
  }

  /** The image nearest to `frame` within `within` frames (current document first). */
  nearest(frame: number, within: number): ImageBitmap | null {
    const exact = this.thumbs.get(frame);
    if (exact?.key === this.key) return exact.bitmap;
    let best: Thumb | null = null;
    let score = Infinity;
    for (const [f, t] of this.thumbs) {
      const d = Math.abs(f - frame);
      if (d > within) continue;
      const s = d + (t.key === this.key ? 0 : within + 1);
      if (s < score) {
        score = s;
        best = t;
      }
    }
    return best?.bitmap ?? null;
  }

  note(): string | null {
    return this.error;
  }

  /** How many thumbnails the page holds and their decoded size; the server cache's JPEG bytes. */
  stats(): { count: number; bytes: number; current: number; serverBytes: number; error: string | null } {
    let bytes = 0;
    let current = 0;
    for (const t of this.thumbs.values()) {
      bytes += t.bytes;
      if (t.key === this.key) current++;
    }
    return { count: this.thumbs.size, bytes, current, serverBytes: this.serverBytes, error: this.error };
  }
}
