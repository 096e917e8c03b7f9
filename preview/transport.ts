/**
 * The transport bar above the timeline: jump to start/end, step, play/pause, the time as seconds
 * and frame number with the duration, playback rate, loop and the in/out range.
 */
import type { Actions } from './actions';
import { h, icon, ICONS } from './dom';
import { RATES, type Store, type ViewState } from './store';

/** `1.234` s → `0:01.23`. */
export function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  return `${m}:${s.toFixed(2).padStart(5, '0')}`;
}

function button(label: string, path: string, onclick: () => void, extra: Record<string, unknown> = {}): HTMLButtonElement {
  const b = h(
    'button',
    { class: 'icon-button', title: label, 'aria-label': label, onclick, ...extra },
    icon(path, { filled: path === ICONS.play || path === ICONS.pause }),
  );
  // Keep focus where it was: a focused button would swallow the next Space.
  b.addEventListener('mousedown', (e) => e.preventDefault());
  return b;
}

export class Transport {
  readonly el: HTMLElement;
  private readonly playButton: HTMLButtonElement;
  private readonly time = h('span', { class: 'tc-time', 'data-testid': 'time' });
  private readonly frame = h('span', { class: 'tc-frame', 'data-testid': 'frame' });
  private readonly total = h('span', { class: 'tc-total' });
  private readonly rate: HTMLSelectElement;
  private readonly loop: HTMLButtonElement;
  private readonly range = h('span', { class: 'range-readout' });
  private readonly clear: HTMLButtonElement;
  private readonly muteButton: HTMLButtonElement;
  private readonly volume = h('input', {
    type: 'range',
    min: '0',
    max: '100',
    step: '1',
    class: 'volume',
    'aria-label': 'Volume',
    title: 'Volume',
  });
  private readonly soundNote = h('span', { class: 'sound-note' });

  constructor(
    private readonly store: Store,
    actions: Actions,
  ) {
    this.playButton = button('Play (Space)', ICONS.play, () => actions.togglePlay(), { class: 'icon-button play' });
    this.rate = h(
      'select',
      {
        class: 'rate',
        title: 'Playback rate',
        'aria-label': 'Playback rate',
        onchange: () => (actions.setRate(Number(this.rate.value)), this.rate.blur()),
      },
      RATES.map((r) => h('option', { value: String(r) }, `${r}×`)),
    );
    this.loop = button('Loop (Shift+L)', ICONS.loop, () => actions.toggleLoop(), { class: 'icon-button toggle' });
    this.clear = h('button', { class: 'text-button', title: 'Clear the in/out range', onclick: () => actions.clearRange() }, 'Clear');
    this.clear.addEventListener('mousedown', (e) => e.preventDefault());
    this.muteButton = button('Mute (M)', ICONS.volume, () => store.set({ muted: !store.state.muted }), {
      class: 'icon-button toggle mute',
    });
    this.volume.addEventListener('input', () => store.set({ volume: Number(this.volume.value) / 100, muted: false }));
    this.volume.addEventListener('change', () => this.volume.blur());
    const inOut = h(
      'div',
      { class: 'inout' },
      h(
        'button',
        { class: 'text-button', title: 'Set in point (I)', onclick: () => actions.setIn(), onmousedown: (e: Event) => e.preventDefault() },
        'In',
      ),
      h(
        'button',
        {
          class: 'text-button',
          title: 'Set out point (O)',
          onclick: () => actions.setOut(),
          onmousedown: (e: Event) => e.preventDefault(),
        },
        'Out',
      ),
      this.range,
      this.clear,
    );
    this.el = h(
      'div',
      { class: 'transport' },
      h(
        'div',
        { class: 'transport-buttons' },
        button('Start (Home)', ICONS.start, () => actions.toStart()),
        button('Previous frame (←)', ICONS.stepBack, () => actions.step(-1)),
        this.playButton,
        button('Next frame (→)', ICONS.stepForward, () => actions.step(1)),
        button('End (End)', ICONS.end, () => actions.toEnd()),
      ),
      h('div', { class: 'timecode' }, this.time, this.frame, this.total),
      h(
        'div',
        { class: 'transport-right' },
        h('div', { class: 'sound' }, this.muteButton, this.volume, this.soundNote),
        inOut,
        this.loop,
        this.rate,
      ),
    );
    store.subscribe((s) => this.draw(s));
    this.draw(store.state);
  }

  private draw(s: ViewState): void {
    const last = Math.max(0, s.frameCount - 1);
    this.time.textContent = clock(s.frame / s.fps);
    this.frame.textContent = `f ${String(s.frame).padStart(String(last).length, ' ')}`;
    this.total.textContent = `/ ${clock(s.duration)} · ${s.frameCount} f @ ${s.fps} fps`;
    const playing = Boolean(s.playing);
    this.playButton.replaceChildren(icon(playing ? ICONS.pause : ICONS.play, { filled: true }));
    this.playButton.title = playing ? 'Pause (Space)' : 'Play (Space)';
    this.playButton.setAttribute('aria-label', playing ? 'Pause' : 'Play');
    this.playButton.classList.toggle('reverse', s.playing === 'reverse');
    this.rate.value = String(s.rate);
    this.loop.classList.toggle('on', s.loop);
    this.loop.setAttribute('aria-pressed', String(s.loop));
    const has = s.inFrame !== null || s.outFrame !== null;
    this.range.textContent = has ? `${s.inFrame ?? 0}–${s.outFrame ?? last}` : '';
    this.clear.hidden = !has;
    this.muteButton.replaceChildren(icon(s.muted || s.volume === 0 ? ICONS.mute : ICONS.volume));
    this.muteButton.title = s.muted ? 'Unmute (M)' : 'Mute (M)';
    this.muteButton.setAttribute('aria-label', s.muted ? 'Unmute' : 'Mute');
    this.muteButton.setAttribute('aria-pressed', String(s.muted));
    this.muteButton.classList.toggle('on', s.muted);
    if (document.activeElement !== this.volume) this.volume.value = String(Math.round(s.volume * 100));
  }

  /** Whether the composition has sound (the controls say so when it has none). */
  setHasSound(has: boolean): void {
    this.el.classList.toggle('no-sound', !has);
    this.soundNote.textContent = has ? '' : 'no sound';
    this.soundNote.title = has ? '' : 'Nothing in this composition makes sound (<audio>, or <video data-has-audio="true">)';
  }
}
