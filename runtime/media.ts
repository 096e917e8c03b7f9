/**
 * `<video>` and `<audio>`: the engine owns media time. Each media element stays paused; a seek
 * sets its currentTime from the composition time (`data-media-start` + local time × rate) and
 * waits until the frame is decoded.
 *
 * In renders a `<video>` whose frames ffmpeg decoded ahead (boot `videoFrames`) shows them
 * instead: the element's content is replaced by the frame's PNG (CSS `content: url()`, which
 * Chromium draws as an image in the element's own box), so object-fit, border-radius, filters,
 * transforms and opacity apply as they do to the video, and every render paints the same pixels.
 */
import type { VideoFrameSet } from '../shared/control';
import type { TimedNode } from './scene';
import { sleep } from './native';

const num = (v: string | null, d: number) => {
  const n = v === null ? NaN : Number(v);
  return Number.isFinite(n) ? n : d;
};

/** Prepares media once: paused, no autoplay, muted in the preview unless it is audio for the mix. */
export function prepareMedia(root: ParentNode): void {
  for (const m of root.querySelectorAll<HTMLMediaElement>('video, audio')) {
    m.autoplay = false;
    m.preload = 'auto';
    if (!m.paused) m.pause();
  }
}

function waitFor(m: HTMLMediaElement, event: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      m.removeEventListener(event, done);
      m.removeEventListener('error', done);
      resolve();
    };
    m.addEventListener(event, done);
    m.addEventListener('error', done);
    void sleep(timeoutMs).then(done);
  });
}

/** Seeks every timed media element; resolves when each has its frame (or failed, which is reported elsewhere). */
export async function seekMedia(t: number, timed: TimedNode[], frames?: Record<string, VideoFrameSet>): Promise<void> {
  const waits: Promise<void>[] = [];
  for (const node of timed) {
    const m = node.el;
    if (!(m instanceof HTMLMediaElement)) continue;
    // A source that failed (reported when it failed) has nothing to wait for.
    if (m.error || m.networkState === HTMLMediaElement.NETWORK_NO_SOURCE) continue;
    if (!m.paused) m.pause();
    const rate = num(m.getAttribute('data-playback-rate'), 1);
    const from = num(m.getAttribute('data-media-start'), 0);
    const volume = num(m.getAttribute('data-volume'), 1);
    if (m.volume !== Math.min(1, Math.max(0, volume))) m.volume = Math.min(1, Math.max(0, volume));
    const local = Math.max(0, Math.min(t, node.end) - node.start) * rate + from;
    const targetOf = () => (Number.isFinite(m.duration) ? Math.min(local, Math.max(0, m.duration - 0.001)) : local);
    const show = () => (frames && m instanceof HTMLVideoElement ? showDecoded(m, targetOf(), frames) : Promise.resolve(false));
    const seek = () => show().then((shown) => (shown ? undefined : seekOne(m, targetOf())));
    if (m.readyState < HTMLMediaElement.HAVE_METADATA) waits.push(waitFor(m, 'loadedmetadata', 5000).then(seek));
    else waits.push(seek());
  }
  await Promise.all(waits);
}

/**
 * The decoded image each video shows, kept referenced so its pixels stay in the memory cache, and
 * whether the element was given its own compositing layer: a video always has one, and an image
 * drawn in a layer is resampled (scaled, rotated) the way the video's picture is.
 */
const shownFrames = new WeakMap<HTMLVideoElement, { url: string; img: HTMLImageElement; promoted: boolean }>();

/** Project-relative path of a same-origin media URL. */
function projectPath(url: string): string | null {
  try {
    const u = new URL(url, location.href);
    return u.origin === location.origin ? decodeURIComponent(u.pathname).replace(/^\/+/, '') : null;
  } catch {
    return null;
  }
}

/** Last index of `pts` at or before `t` (a tenth of a millisecond early counts: rounding). */
function frameIndex(pts: number[], t: number): number {
  let lo = 0;
  let hi = pts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pts[mid] <= t + 1e-4) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Shows the decoded frame for media time `target` in place of the video's own picture, once the
 * image is decoded. False when no decoded frame covers it (another source, a time outside the
 * decoded window, an image that failed): the live video is shown and seeked then.
 */
async function showDecoded(v: HTMLVideoElement, target: number, frames: Record<string, VideoFrameSet>): Promise<boolean> {
  const path = projectPath(v.currentSrc || v.src || v.querySelector('source')?.src || '');
  const set = path === null ? undefined : frames[path];
  if (!set || !set.pts.length || target < set.pts[0] - 1e-4 || target > set.until) {
    restoreLive(v);
    return false;
  }
  const url = `${set.url}/${frameIndex(set.pts, target) + 1}.${set.ext}`;
  if (shownFrames.get(v)?.url === url) return true;
  const img = new Image();
  img.src = url;
  try {
    await img.decode();
  } catch {
    restoreLive(v);
    return false;
  }
  let promoted = shownFrames.get(v)?.promoted;
  if (promoted === undefined) {
    promoted = getComputedStyle(v).willChange === 'auto';
    if (promoted) v.style.setProperty('will-change', 'transform');
  }
  v.style.setProperty('content', `url("${url}")`, 'important');
  shownFrames.set(v, { url, img, promoted });
  return true;
}

/** Shows the live video again. */
function restoreLive(v: HTMLVideoElement): void {
  const shown = shownFrames.get(v);
  if (!shown) return;
  shownFrames.delete(v);
  v.style.removeProperty('content');
  if (shown.promoted) v.style.removeProperty('will-change');
}

async function seekOne(m: HTMLMediaElement, target: number): Promise<void> {
  if (m.error) return;
  if (Math.abs(m.currentTime - target) > 1e-4) {
    const seeked = waitFor(m, 'seeked', 5000);
    m.currentTime = target;
    await seeked;
  }
  if (m.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) await waitFor(m, 'loadeddata', 5000);
}

/** Media end when the element has no data-duration: its source length (after trimming and rate). */
export function mediaEnd(node: TimedNode): number {
  const m = node.el as HTMLMediaElement;
  if (m.hasAttribute('data-duration') || !Number.isFinite(m.duration)) return node.end;
  const rate = num(m.getAttribute('data-playback-rate'), 1);
  const from = num(m.getAttribute('data-media-start'), 0);
  return node.start + Math.max(0, m.duration - from) / rate;
}
