/**
 * The area that shows the composition: the iframe at the composition's real size, scaled to fit
 * (or 50 % / 100 %) and centred, with the optional guides (action-safe 90 %, title-safe 80 %,
 * centre cross) and checkerboard drawn around it in this page, never inside the iframe. Behind
 * the iframe is white, as behind a page in a render, unless the checkerboard shows transparency.
 */
import { h } from './dom';
import type { Store, ViewState } from './store';

/** Room kept around the frame when fitting, in CSS pixels. */
const MARGIN = 32;

export class Stage {
  readonly el: HTMLElement;
  /** Where the iframes go. */
  readonly holder: HTMLElement;
  /** Covers the stage (error panel, loading notice). */
  readonly cover: HTMLElement;
  private readonly box: HTMLElement;
  private readonly guides: HTMLElement;
  scale = 1;

  constructor(private readonly store: Store) {
    this.guides = h(
      'div',
      { class: 'guides', 'aria-hidden': 'true' },
      h('div', { class: 'guide action-safe' }, h('span', {}, 'action safe')),
      h('div', { class: 'guide title-safe' }, h('span', {}, 'title safe')),
      h('div', { class: 'guide cross-h' }),
      h('div', { class: 'guide cross-v' }),
    );
    this.holder = h('div', { class: 'frame-scale' }, this.guides);
    this.box = h('div', { class: 'frame-box' }, this.holder);
    this.cover = h('div', { class: 'stage-cover' });
    this.el = h('div', { class: 'stage' }, h('div', { class: 'stage-scroll' }, this.box), this.cover);
    new ResizeObserver(() => this.layout()).observe(this.el);
    store.subscribe((s, changed) => {
      if (changed.has('zoom') || changed.has('width') || changed.has('height')) this.layout();
      if (changed.has('guides') || changed.has('checker')) this.decorate(s);
    });
    this.decorate(store.state);
  }

  private decorate(s: ViewState): void {
    this.guides.hidden = !s.guides;
    this.holder.classList.toggle('checker', s.checker);
  }

  /** Scale for the current zoom. */
  private scaleFor(s: ViewState): number {
    if (s.zoom !== 'fit') return s.zoom;
    const w = Math.max(1, this.el.clientWidth - MARGIN * 2);
    const hgt = Math.max(1, this.el.clientHeight - MARGIN * 2);
    return Math.max(0.05, Math.min(w / s.width, hgt / s.height));
  }

  layout(): void {
    const s = this.store.state;
    if (!s.width || !s.height) return;
    this.scale = this.scaleFor(s);
    this.holder.style.width = `${s.width}px`;
    this.holder.style.height = `${s.height}px`;
    this.holder.style.transform = `scale(${this.scale})`;
    this.box.style.width = `${s.width * this.scale}px`;
    this.box.style.height = `${s.height * this.scale}px`;
    this.el.style.setProperty('--stage-scale', String(this.scale));
  }
}
