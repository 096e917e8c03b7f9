/**
 * Real-time playback driven from the preview page's clock. The frame shown is always
 * floor(elapsed × rate × fps) from where playback started (wrapped into the in/out range when
 * looping), so playback never drifts: when a seek takes longer than a frame, the next seek goes
 * straight to the frame that is due and the ones between are dropped. Each seek waits for the
 * previous one to be painted.
 */
import type { Preview } from './preview';
import { nextFrame } from './paint';
import { playRange, type PlayDirection, type Store } from './store';

export class Player {
  private token = 0;
  private anchorTime = 0;
  private anchorFrame = 0;

  constructor(
    private readonly store: Store,
    private readonly preview: Preview,
  ) {
    // A new rate starts a new anchor where playback is, so the speed changes without a jump.
    store.subscribe((s, changed) => {
      if (s.playing && changed.has('rate')) this.reanchor(s.frame);
    });
  }

  get playing(): PlayDirection {
    return this.store.state.playing;
  }

  play(direction: Exclude<PlayDirection, null> = 'forward'): void {
    const s = this.store.state;
    const [lo, hi] = playRange(s);
    let from = s.frame;
    // Starting at (or outside) the end of the range starts again from its other end.
    if (direction === 'forward' && (from >= hi || from < lo)) from = lo;
    if (direction === 'reverse' && (from <= lo || from > hi)) from = hi;
    // Anchored before the state changes: listeners (the sound) may move the anchor to their clock.
    this.reanchor(from);
    const token = ++this.token;
    this.store.set({ playing: direction, frame: from });
    void this.run(token, direction);
  }

  pause(): void {
    this.token++;
    this.store.set({ playing: null });
  }

  toggle(): void {
    if (this.store.state.playing) this.pause();
    else this.play('forward');
  }

  /** Playback continues from `frame` (after a jump while playing). */
  reanchor(frame: number): void {
    this.reanchorAt(frame, performance.now());
  }

  /** Playback shows `frame` at page time `time` (performance.now(); may be a moment ahead) and counts on from there. */
  reanchorAt(frame: number, time: number): void {
    this.anchorTime = time;
    this.anchorFrame = frame;
  }

  /** The frame due now, and whether playback has reached the end of a non-looping range. */
  private due(direction: Exclude<PlayDirection, null>): { frame: number; ended: boolean } {
    const s = this.store.state;
    const [lo, hi] = playRange(s);
    const steps = Math.max(0, Math.floor(((performance.now() - this.anchorTime) / 1000) * s.rate * s.fps + 1e-6));
    const raw = this.anchorFrame + (direction === 'forward' ? steps : -steps);
    if (raw >= lo && raw <= hi) return { frame: raw, ended: false };
    if (!s.loop) return { frame: direction === 'forward' ? hi : lo, ended: true };
    const span = hi - lo + 1;
    return { frame: lo + ((((raw - lo) % span) + span) % span), ended: false };
  }

  private async run(token: number, direction: Exclude<PlayDirection, null>): Promise<void> {
    while (token === this.token) {
      const { frame, ended } = this.due(direction);
      if (frame !== this.preview.shown) {
        this.store.set({ frame });
        await this.preview.seek(frame);
      } else {
        await nextFrame();
      }
      if (ended && token === this.token) {
        this.pause();
        return;
      }
    }
  }
}
