/**
 * The timeline under the preview: a ruler, one lane per track with the clips from the model, the
 * in/out range and the playhead. Press and drag anywhere on it to scrub (each position seeks;
 * seeks that cannot keep up are dropped), click to jump, double-click a clip to make its span the
 * in/out range.
 */
import type { Clip, CompositionModel } from '../../src/shared/model';
import type { Actions } from './actions';
import { h, replaceChildren } from './dom';
import type { Store, ViewState } from './store';

interface Bar {
  label: string;
  title: string;
  kind: Clip['kind'] | 'root';
  start: number;
  end: number | null;
}

const TICK_STEPS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300];

/** Rows of bars: by data-track-index, then clips without a track placed where they fit. */
export function laneRows(comp: CompositionModel | null): { label: string; bars: Bar[] }[] {
  if (!comp) return [];
  const bar = (c: Clip): Bar => ({
    label: c.id ? `#${c.id}` : `<${c.tag}>`,
    title: `${c.id ? `#${c.id}` : `<${c.tag}>`} · ${c.kind} · ${c.start.toFixed(2)}s → ${c.end === null ? 'end of media' : `${c.end.toFixed(2)}s`} · ${c.loc.file}:${c.loc.line}`,
    kind: c.kind,
    start: c.start,
    end: c.end,
  });
  const tracks = new Map<number, Bar[]>();
  const loose: Bar[] = [];
  for (const c of comp.clips) {
    if (c.track === null) loose.push(bar(c));
    else tracks.set(c.track, [...(tracks.get(c.track) ?? []), bar(c)]);
  }
  const rows = [...tracks.entries()].sort((a, b) => a[0] - b[0]).map(([t, bars]) => ({ label: `T${t}`, bars }));
  const free: Bar[][] = [];
  for (const b of loose.sort((x, y) => x.start - y.start)) {
    const row = free.find((r) => r.every((o) => (o.end ?? Infinity) <= b.start || (b.end ?? Infinity) <= o.start));
    if (row) row.push(b);
    else free.push([b]);
  }
  rows.push(...free.map((bars) => ({ label: '—', bars })));
  if (!rows.length) {
    rows.push({ label: 'root', bars: [{ label: comp.id || 'composition', title: `${comp.id}: ${comp.duration}s, no timed clips`, kind: 'root', start: 0, end: comp.duration }] });
  }
  return rows;
}

export class Timeline {
  readonly el: HTMLElement;
  private readonly ruler = h('div', { class: 'tl-ruler' });
  private readonly rows = h('div', { class: 'tl-rows' });
  private readonly area = h('div', { class: 'tl-area' });
  private readonly playhead = h('div', { class: 'tl-playhead' }, h('div', { class: 'tl-playhead-cap' }));
  private readonly rangeEl = h('div', { class: 'tl-range' });
  private readonly shadeLeft = h('div', { class: 'tl-shade' });
  private readonly shadeRight = h('div', { class: 'tl-shade' });
  private bars: { el: HTMLElement; bar: Bar }[] = [];

  constructor(
    private readonly store: Store,
    private readonly actions: Actions,
  ) {
    const overlay = h('div', { class: 'tl-overlay' }, this.shadeLeft, this.shadeRight, this.rangeEl, this.playhead);
    this.area.append(h('div', { class: 'tl-row tl-ruler-row' }, h('div', { class: 'tl-label' }), this.ruler), this.rows, overlay);
    this.el = h('div', { class: 'timeline', 'aria-label': 'Timeline' }, this.area);
    this.bindPointer();
    new ResizeObserver(() => this.layout()).observe(this.area);
    store.subscribe((s, changed) => {
      if (changed.has('frame')) this.drawPlayhead(s);
      if (changed.has('inFrame') || changed.has('outFrame') || changed.has('frameCount')) this.drawRange(s);
      if (changed.has('duration') || changed.has('frameCount')) this.layout();
    });
  }

  /** New model: rebuild the lanes. */
  setComposition(comp: CompositionModel | null): void {
    this.bars = [];
    const rows = laneRows(comp).map((row) =>
      h(
        'div',
        { class: 'tl-row' },
        h('div', { class: 'tl-label' }, row.label),
        h(
          'div',
          { class: 'tl-lane' },
          row.bars.map((bar) => {
            const el = h('div', { class: `tl-clip kind-${bar.kind}${bar.end === null ? ' open-end' : ''}`, title: bar.title }, h('span', {}, bar.label));
            el.addEventListener('dblclick', () => {
              const fps = this.store.state.fps;
              this.actions.setRange(Math.round(bar.start * fps), Math.round((bar.end ?? this.store.state.duration) * fps) - 1);
            });
            this.bars.push({ el, bar });
            return el;
          }),
        ),
      ),
    );
    replaceChildren(this.rows, rows);
    this.layout();
  }

  private layout(): void {
    const s = this.store.state;
    const duration = s.duration || 1;
    for (const { el, bar } of this.bars) {
      const end = Math.min(bar.end ?? duration, duration);
      el.style.left = `${(bar.start / duration) * 100}%`;
      el.style.width = `${Math.max(0, (end - bar.start) / duration) * 100}%`;
    }
    this.drawRuler(s);
    this.drawPlayhead(s);
    this.drawRange(s);
  }

  private drawRuler(s: ViewState): void {
    const width = this.ruler.clientWidth || 1;
    const duration = s.duration || 1;
    const step = TICK_STEPS.find((t) => (t / duration) * width >= 70) ?? TICK_STEPS[TICK_STEPS.length - 1];
    const ticks: HTMLElement[] = [];
    for (let i = 0; i * step <= duration + 1e-9; i++) {
      const t = i * step;
      ticks.push(h('div', { class: 'tl-tick', style: { left: `${(t / duration) * 100}%` } }, h('span', {}, tickLabel(t, step))));
      for (let m = 1; m < 4 && (t + (m * step) / 4) < duration; m++) {
        ticks.push(h('div', { class: 'tl-tick minor', style: { left: `${((t + (m * step) / 4) / duration) * 100}%` } }));
      }
    }
    replaceChildren(this.ruler, ticks);
  }

  private x(frame: number, s: ViewState): string {
    return `${(frame / Math.max(1, s.frameCount)) * 100}%`;
  }

  private drawPlayhead(s: ViewState): void {
    this.playhead.style.left = this.x(s.frame, s);
  }

  private drawRange(s: ViewState): void {
    const has = s.inFrame !== null || s.outFrame !== null;
    this.el.classList.toggle('has-range', has);
    const a = s.inFrame ?? 0;
    const b = (s.outFrame ?? s.frameCount - 1) + 1;
    this.shadeLeft.style.left = '0';
    this.shadeLeft.style.width = has ? this.x(a, s) : '0';
    this.shadeRight.style.left = this.x(b, s);
    this.shadeRight.style.right = '0';
    this.shadeRight.style.display = has ? '' : 'none';
    this.rangeEl.style.left = this.x(a, s);
    this.rangeEl.style.width = `${((b - a) / Math.max(1, s.frameCount)) * 100}%`;
  }

  /** Frame under a client x coordinate. */
  private frameAt(clientX: number): number {
    const rect = this.ruler.getBoundingClientRect();
    const ratio = Math.min(1, Math.max(0, (clientX - rect.left) / Math.max(1, rect.width)));
    const n = this.store.state.frameCount;
    return Math.min(n - 1, Math.floor(ratio * n));
  }

  private bindPointer(): void {
    let dragging = false;
    this.area.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || (e.target as HTMLElement).closest('.tl-label')) return;
      dragging = true;
      this.area.setPointerCapture(e.pointerId);
      this.el.classList.add('scrubbing');
      this.actions.seek(this.frameAt(e.clientX));
      e.preventDefault();
    });
    this.area.addEventListener('pointermove', (e) => {
      if (dragging) this.actions.seek(this.frameAt(e.clientX));
    });
    const end = (e: PointerEvent) => {
      if (!dragging) return;
      dragging = false;
      this.el.classList.remove('scrubbing');
      if (this.area.hasPointerCapture(e.pointerId)) this.area.releasePointerCapture(e.pointerId);
    };
    this.area.addEventListener('pointerup', end);
    this.area.addEventListener('pointercancel', end);
  }
}

function tickLabel(t: number, step: number): string {
  if (t >= 60) return `${Math.floor(t / 60)}:${String(Math.round(t % 60)).padStart(2, '0')}`;
  return step < 1 ? `${t.toFixed(step < 0.25 ? 1 : 2).replace(/0$/, '')}s` : `${Math.round(t)}s`;
}
