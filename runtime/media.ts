/**
 * `<video>` and `<audio>`: the engine owns media time. Each media element stays paused; a seek
 * sets its currentTime from the composition time (`data-media-start` + local time × rate) and
 * waits until the frame is decoded.
 */
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
export async function seekMedia(t: number, timed: TimedNode[]): Promise<void> {
  const waits: Promise<void>[] = [];
  for (const node of timed) {
    const m = node.el;
    if (!(m instanceof HTMLMediaElement)) continue;
    if (!m.paused) m.pause();
    const rate = num(m.getAttribute('data-playback-rate'), 1);
    const from = num(m.getAttribute('data-media-start'), 0);
    const volume = num(m.getAttribute('data-volume'), 1);
    if (m.volume !== Math.min(1, Math.max(0, volume))) m.volume = Math.min(1, Math.max(0, volume));
    const local = Math.max(0, Math.min(t, node.end) - node.start) * rate + from;
    const target = Number.isFinite(m.duration) ? Math.min(local, Math.max(0, m.duration - 0.001)) : local;
    if (m.readyState < HTMLMediaElement.HAVE_METADATA) {
      waits.push(waitFor(m, 'loadedmetadata', 5000).then(() => seekOne(m, target)));
    } else waits.push(seekOne(m, target));
  }
  await Promise.all(waits);
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
