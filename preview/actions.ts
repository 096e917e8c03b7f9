/**
 * What the transport buttons, the timeline and the keyboard can do, in one place so a key and a
 * button do exactly the same thing.
 */
import type { Player } from './player';
import type { Preview } from './preview';
import { clampFrame, RATES, type Store } from './store';

export interface Actions {
  seek(frame: number): void;
  step(delta: number): void;
  toStart(): void;
  toEnd(): void;
  togglePlay(): void;
  /** J/K/L: play in `direction` (faster when already playing that way), or stop. */
  shuttle(direction: 'forward' | 'reverse' | 'stop'): void;
  setIn(): void;
  setOut(): void;
  clearRange(): void;
  setRange(inFrame: number, outFrame: number): void;
  toggleLoop(): void;
  setRate(rate: number): void;
}

export function createActions(store: Store, preview: Preview, player: Player): Actions {
  const s = store.state;
  const seek = (frame: number) => {
    const f = clampFrame(s, frame);
    // Anchored first: the sound, hearing of the jump, may move the anchor to its own clock.
    if (s.playing) player.reanchor(f);
    store.set({ frame: f });
    void preview.seek(f);
  };
  const stopAndSeek = (frame: number) => {
    if (s.playing) player.pause();
    seek(frame);
  };
  return {
    seek,
    step: (delta) => stopAndSeek(s.frame + delta),
    toStart: () => stopAndSeek(s.inFrame !== null && s.frame > s.inFrame ? s.inFrame : 0),
    toEnd: () => stopAndSeek(s.outFrame !== null && s.frame < s.outFrame ? s.outFrame : s.frameCount - 1),
    togglePlay: () => player.toggle(),
    shuttle(direction) {
      if (direction === 'stop') return player.pause();
      if (s.playing === direction) {
        const faster = RATES.find((r) => r > s.rate);
        if (faster) store.set({ rate: faster });
        return;
      }
      if (s.playing) player.pause();
      store.set({ rate: 1 });
      player.play(direction);
    },
    setIn() {
      const out = s.outFrame !== null && s.outFrame < s.frame ? null : s.outFrame;
      store.set({ inFrame: s.frame, outFrame: out });
    },
    setOut() {
      const inF = s.inFrame !== null && s.inFrame > s.frame ? null : s.inFrame;
      store.set({ outFrame: s.frame, inFrame: inF });
    },
    clearRange: () => store.set({ inFrame: null, outFrame: null }),
    setRange: (a, b) => store.set({ inFrame: clampFrame(s, Math.min(a, b)), outFrame: clampFrame(s, Math.max(a, b)) }),
    toggleLoop: () => store.set({ loop: !s.loop }),
    setRate: (rate) => store.set({ rate: Math.min(2, Math.max(0.25, rate)) }),
  };
}
