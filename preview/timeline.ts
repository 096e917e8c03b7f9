/**
 * The timeline under the preview: a ruler, the filmstrip, then a header row per composition
 * (the root and every sub-composition instance, collapsible, indented by depth) with its GSAP
 * tweens and labels as markers, and its clips on their tracks (audio waveforms and video
 * thumbnails on media clips). Lanes are drawn on one canvas, only what is in view (rows and
 * times found by binary search), so thousands of clips and tens of thousands of tweens stay
 * responsive; the row labels are DOM, recycled as the view scrolls.
 *
 * Mouse: press and drag to scrub (seeks that cannot keep up are dropped), click to jump,
 * double-click a clip or tween to make its span the in/out range, Ctrl/Cmd+click a clip to open
 * its file:line in the editor, hover for its details. Ctrl/Cmd+wheel or a pinch zooms around
 * the pointer (so does the slider); wheel and Shift+wheel scroll. While playing, the view
 * follows the playhead.
 *
 * Why double-click did nothing with a real mouse before: pressing on the timeline captures the
 * pointer on the whole area (so a scrub keeps going outside it), and with the pointer captured
 * the browser sends the following click and dblclick to the capturing element, never to the clip
 * under the pointer; only a dblclick dispatched straight on the clip reached its listener. The
 * double-click is now handled on the area, by looking up what is under the pointer.
 */
import type { SourceLocation } from '../shared/diagnostics';
import type { LiveDescription } from '../shared/live';
import type { CompositionModel } from '../shared/model';
import type { Actions } from './actions';
import { h, icon, ICONS } from './dom';
import type { Store, ViewState } from './store';
import {
  buildTimeline,
  firstOverlapping,
  visibleRows,
  type TimelineData,
  type TlComposition,
  type TlItem,
  type TlRow,
  type TlTween,
} from './timeline-data';

/** What the timeline draws on media clips and in the filmstrip; supplied by the page. */
export interface TimelineArt {
  /** The thumbnail nearest to `frame` within `within` frames, if any. */
  filmstrip(frame: number, within: number): ImageBitmap | null;
  /** These frames are in view (thumbnails `height` CSS px high). */
  wantFilmstrip(frames: number[], height: number): void;
  /** A note in place of the filmstrip (why there is none), or null. */
  filmstripNote(): string | null;
  /** Peaks (0–1) of a media source at `peaksPerSecond`, once decoded. */
  waveform(src: string): Float32Array | null;
  readonly peaksPerSecond: number;
  /** A frame of a video source near media time `t` (within `within` s), once made. */
  videoThumb(src: string, t: number, within: number): ImageBitmap | null;
  wantVideoThumbs(src: string, times: number[]): void;
}

export interface TimelineOptions {
  openEditor(loc: SourceLocation): void;
  art: TimelineArt;
  /** The user is scrubbing (for scrub audio). */
  scrubbing(active: boolean): void;
}

type Hit =
  | { type: 'item'; row: TlRow; item: TlItem }
  | { type: 'tween'; comp: TlComposition; tween: TlTween }
  | { type: 'label'; comp: TlComposition; name: string; time: number }
  | { type: 'none' };

let LABEL_W = 172;
const RULER_H = 22;
const FILM_H = 40;
const PAD_R = 16;
const TICK_STEPS = [1 / 60, 1 / 30, 1 / 15, 0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];

const COLORS: Record<string, [string, string, string]> = {
  element: ['#2c4a78', '#3d66a6', '#dce8ff'],
  composition: ['#3b2f6e', '#5b4bb3', '#e4ddff'],
  video: ['#1f5140', '#2f7a5f', '#d8fff0'],
  audio: ['#17464f', '#25707d', '#d6f7ff'],
  image: ['#5a4216', '#8a6420', '#fff0d4'],
};
const TWEEN_COLORS: Record<string, string> = { to: '#6fa8ff', from: '#46c9b0', fromTo: '#b48cff', set: '#8b93a0', call: '#f0c33c' };

export class Timeline {
  readonly el: HTMLElement;
  private readonly scroll = h('div', { class: 'tl-scroll', tabindex: '-1' });
  private readonly spacer = h('div', { class: 'tl-spacer' });
  private readonly layer = h('div', { class: 'tl-layer' });
  private readonly canvas = h('canvas', { class: 'tl-canvas' });
  private readonly labels = h('div', { class: 'tl-labels' });
  private readonly ruler = h('div', { class: 'tl-ruler', 'aria-hidden': 'true' });
  private readonly playhead = h('div', { class: 'tl-playhead' }, h('div', { class: 'tl-playhead-cap' }));
  private readonly rangeEl = h('div', { class: 'tl-range' });
  private readonly shadeLeft = h('div', { class: 'tl-shade' });
  private readonly shadeRight = h('div', { class: 'tl-shade' });
  private readonly tooltip = h('div', { class: 'tl-tooltip', role: 'tooltip', hidden: true });
  private readonly zoomSlider = h('input', {
    type: 'range',
    min: '0',
    max: '1000',
    step: '1',
    class: 'tl-zoom',
    'aria-label': 'Timeline zoom',
    title: 'Timeline zoom (Ctrl/Cmd + wheel, or pinch)',
  });
  private readonly counts = h('span', { class: 'tl-counts' });
  private readonly body: HTMLElement;
  private model: CompositionModel | null = null;
  private live: LiveDescription | null = null;
  private entryFile = 'index.html';
  private data: TimelineData = { duration: 0, fps: 30, comps: new Map(), rows: [], clipCount: 0, tweenCount: 0 };
  private rows: TlRow[] = [];
  private rowTops = new Float64Array(0);
  private rowsHeight = 0;
  private readonly collapsed = new Set<string>();
  private pps = 100;
  /** The scroll position, kept here: reading it from the element costs a DOM call per use. */
  private sl = 0;
  private st = 0;
  /** The layer's width during a draw. */
  private w = 0;
  private fit = true;
  private drawQueued = false;
  private hover: Hit = { type: 'none' };
  private labelPool: HTMLElement[] = [];
  /** The height the rows need changed (the page sizes the timeline to it). */
  onNaturalHeight: () => void = () => {};
  /** Last full build + draw, in ms (for the benchmark). */
  lastBuildMs = 0;
  lastDrawMs = 0;

  constructor(
    private readonly store: Store,
    private readonly actions: Actions,
    private readonly options: TimelineOptions,
  ) {
    this.scroll.append(this.spacer);
    this.layer.append(this.canvas, this.ruler, this.shadeLeft, this.shadeRight, this.rangeEl, this.playhead, this.labels, this.tooltip);
    this.body = h('div', { class: 'tl-body' }, this.scroll, this.layer);
    const zoomButton = (label: string, path: string, factor: number) =>
      h(
        'button',
        {
          class: 'icon-button small',
          title: label,
          'aria-label': label,
          onmousedown: (e: Event) => e.preventDefault(),
          onclick: () => this.zoomBy(factor),
        },
        icon(path, { size: 13 }),
      );
    const toolbar = h(
      'div',
      { class: 'tl-toolbar' },
      this.counts,
      h('div', { class: 'spacer' }),
      zoomButton('Zoom out', ICONS.minus, 1 / 1.5),
      this.zoomSlider,
      zoomButton('Zoom in', ICONS.plus, 1.5),
      h(
        'button',
        {
          class: 'text-button',
          title: 'Show the whole composition',
          onmousedown: (e: Event) => e.preventDefault(),
          onclick: () => this.zoomToFit(),
        },
        'Fit',
      ),
    );
    this.el = h('div', { class: 'timeline', 'aria-label': 'Timeline' }, toolbar, this.body);
    this.zoomSlider.addEventListener('input', () => this.setZoomFromSlider());
    this.scroll.addEventListener('scroll', () => {
      this.syncScroll();
      this.requestDraw();
    });
    this.bindPointer();
    new ResizeObserver(() => this.layout()).observe(this.body);
    store.subscribe((s, changed) => {
      if (changed.has('frame')) this.onFrame(s);
      if (changed.has('inFrame') || changed.has('outFrame') || changed.has('frameCount')) this.drawOverlay();
      if (changed.has('duration') || changed.has('frameCount') || changed.has('fps')) this.layout();
    });
  }

  /** The project model changed (file edits): rebuild from it (and the last description). */
  setModel(model: CompositionModel | null, entryFile: string): void {
    this.model = model;
    this.entryFile = entryFile;
    this.rebuild();
  }

  /** The page loaded: rebuild from what runs. */
  setLive(live: LiveDescription | null): void {
    this.live = live;
    this.rebuild();
  }

  get stats(): { clips: number; tweens: number; rows: number } {
    return { clips: this.data.clipCount, tweens: this.data.tweenCount, rows: this.rows.length };
  }

  /** Builds the rows and draws them now (the benchmark times this). */
  rebuild(): void {
    const t0 = performance.now();
    this.data = buildTimeline(this.model, this.live, this.entryFile);
    this.relayoutRows();
    this.counts.textContent = this.countsText();
    this.layout(true);
    this.lastBuildMs = performance.now() - t0;
  }

  private countsText(): string {
    const d = this.data;
    const comps = d.comps.size;
    const truncated = [...d.comps.values()].some((c) => c.truncated);
    const parts = [`${d.clipCount} clip${d.clipCount === 1 ? '' : 's'}`];
    if (comps > 1) parts.push(`${comps - 1} sub-composition${comps === 2 ? '' : 's'}`);
    parts.push(`${d.tweenCount}${truncated ? '+' : ''} tween${d.tweenCount === 1 ? '' : 's'}`);
    return parts.join(' · ');
  }

  private relayoutRows(): void {
    this.rows = visibleRows(this.data, this.collapsed);
    this.rowTops = new Float64Array(this.rows.length + 1);
    let y = 0;
    this.rows.forEach((r, i) => {
      this.rowTops[i] = y;
      y += r.height;
    });
    this.rowTops[this.rows.length] = y;
    const changed = y !== this.rowsHeight;
    this.rowsHeight = y;
    if (changed) queueMicrotask(() => this.onNaturalHeight());
  }

  /** Height that shows every row (ruler, filmstrip, rows and a scrollbar's room), CSS px. */
  get naturalHeight(): number {
    return Math.max(110, this.headerH + this.rowsHeight + 14);
  }

  toggleCollapsed(comp: string): void {
    if (this.collapsed.has(comp)) this.collapsed.delete(comp);
    else this.collapsed.add(comp);
    this.relayoutRows();
    this.layout();
  }

  isCollapsed(comp: string): boolean {
    return this.collapsed.has(comp);
  }

  // ---- geometry

  private get duration(): number {
    return this.data.duration || this.store.state.duration || 1;
  }

  private get fps(): number {
    return this.store.state.fps || this.data.fps || 30;
  }

  private get headerH(): number {
    return RULER_H + FILM_H;
  }

  /** Width of the lanes area in CSS px. */
  private get lanesW(): number {
    return Math.max(1, this.scroll.clientWidth - LABEL_W);
  }

  private get lanesH(): number {
    return Math.max(1, this.scroll.clientHeight - this.headerH);
  }

  private get fitPps(): number {
    return Math.max(1e-3, (this.lanesW - PAD_R) / this.duration);
  }

  private get maxPps(): number {
    return this.fps * 48;
  }

  private syncScroll(): void {
    this.sl = this.scroll.scrollLeft;
    this.st = this.scroll.scrollTop;
  }

  /** x (layer px) of time t. */
  private xOf(t: number): number {
    return LABEL_W + t * this.pps - this.sl;
  }

  private timeAt(x: number): number {
    return (x - LABEL_W + this.sl) / this.pps;
  }

  /** Frame under a layer x (clamped to the composition). */
  private frameAt(x: number): number {
    const n = this.store.state.frameCount;
    return Math.max(0, Math.min(n - 1, Math.floor(this.timeAt(x) * this.fps + 1e-6)));
  }

  private layout(force = false): void {
    // A narrow timeline (beside a portrait picture) gives its labels less room.
    const labelW = this.scroll.clientWidth && this.scroll.clientWidth < 640 ? 120 : 172;
    if (labelW !== LABEL_W) {
      LABEL_W = labelW;
      this.labels.style.width = `${labelW}px`;
    }
    if (this.fit) this.pps = this.fitPps;
    this.pps = Math.min(this.maxPps, Math.max(this.fitPps, this.pps));
    this.spacer.style.width = `${LABEL_W + this.duration * this.pps + PAD_R}px`;
    this.spacer.style.height = `${this.headerH + this.rowsHeight}px`;
    const sbW = this.scroll.offsetWidth - this.scroll.clientWidth;
    const sbH = this.scroll.offsetHeight - this.scroll.clientHeight;
    this.layer.style.right = `${sbW}px`;
    this.layer.style.bottom = `${sbH}px`;
    this.syncSlider();
    if (force) this.drawNow();
    else this.requestDraw();
  }

  // ---- zoom

  private sliderOf(pps: number): number {
    const lo = Math.log(this.fitPps);
    const hi = Math.log(this.maxPps);
    return hi <= lo ? 0 : Math.round(((Math.log(pps) - lo) / (hi - lo)) * 1000);
  }

  private syncSlider(): void {
    this.zoomSlider.value = String(this.sliderOf(this.pps));
  }

  private setZoomFromSlider(): void {
    const lo = Math.log(this.fitPps);
    const hi = Math.log(this.maxPps);
    const pps = Math.exp(lo + ((hi - lo) * Number(this.zoomSlider.value)) / 1000);
    // The slider zooms around the playhead.
    this.zoomTo(pps, this.xOf(this.store.state.frame / this.fps));
  }

  /** Zooms to `pps` keeping the time under layer x `anchorX` in place. */
  zoomTo(pps: number, anchorX = LABEL_W + this.lanesW / 2): void {
    const t = this.timeAt(anchorX);
    const next = Math.min(this.maxPps, Math.max(this.fitPps, pps));
    this.fit = next <= this.fitPps * 1.0001;
    this.pps = next;
    this.spacer.style.width = `${LABEL_W + this.duration * this.pps + PAD_R}px`;
    this.scroll.scrollLeft = Math.max(0, t * this.pps - (anchorX - LABEL_W));
    this.syncScroll();
    this.syncSlider();
    this.drawNow();
  }

  zoomBy(factor: number, anchorX?: number): void {
    this.zoomTo(
      this.pps * factor,
      anchorX ?? Math.max(LABEL_W, Math.min(LABEL_W + this.lanesW, this.xOf(this.store.state.frame / this.fps))),
    );
  }

  zoomToFit(): void {
    this.fit = true;
    this.scroll.scrollLeft = 0;
    this.syncScroll();
    this.layout(true);
  }

  /** Seconds per CSS pixel now (tests, benchmarks). */
  get secondsPerPixel(): number {
    return 1 / this.pps;
  }

  // ---- drawing

  private requestDraw(): void {
    if (this.drawQueued) return;
    this.drawQueued = true;
    requestAnimationFrame(() => {
      this.drawQueued = false;
      this.drawNow();
    });
  }

  /** Redraws art that arrived (thumbnails, waveforms). */
  artChanged(): void {
    this.requestDraw();
  }

  drawNow(): void {
    const t0 = performance.now();
    this.syncScroll();
    const w = this.layer.clientWidth;
    const hgt = this.layer.clientHeight;
    if (!w || !hgt) return;
    this.w = w;
    const dpr = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(hgt * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(hgt * dpr);
      this.canvas.style.width = `${w}px`;
      this.canvas.style.height = `${hgt}px`;
    }
    const ctx = this.canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, hgt);
    ctx.font = '11px Inter, ui-sans-serif, system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    const t0v = Math.max(0, this.timeAt(LABEL_W));
    const t1v = Math.min(this.duration, this.timeAt(w));
    this.drawRows(ctx, w, hgt, t0v, t1v);
    this.drawRuler(ctx, w, t0v, t1v);
    this.drawFilmstrip(ctx, w, t0v, t1v);
    this.drawLabels();
    this.drawOverlay();
    this.ruler.style.left = `${LABEL_W}px`;
    this.ruler.style.width = `${Math.max(0, Math.min(w - LABEL_W, this.xOf(this.duration) - LABEL_W))}px`;
    this.ruler.style.height = `${RULER_H + FILM_H}px`;
    this.lastDrawMs = performance.now() - t0;
  }

  private drawRuler(ctx: CanvasRenderingContext2D, w: number, t0: number, t1: number): void {
    ctx.fillStyle = '#14171c';
    ctx.fillRect(0, 0, w, RULER_H);
    ctx.fillStyle = '#1a1e24';
    ctx.fillRect(0, 0, LABEL_W, this.headerH);
    ctx.strokeStyle = '#262b33';
    ctx.beginPath();
    ctx.moveTo(0, RULER_H - 0.5);
    ctx.lineTo(w, RULER_H - 0.5);
    ctx.stroke();
    const step = TICK_STEPS.find((s) => s * this.pps >= 64) ?? TICK_STEPS[TICK_STEPS.length - 1];
    ctx.save();
    ctx.beginPath();
    ctx.rect(LABEL_W, 0, w - LABEL_W, RULER_H);
    ctx.clip();
    ctx.font = '10.5px ui-monospace, Menlo, Consolas, monospace';
    ctx.textBaseline = 'alphabetic';
    const first = Math.floor(t0 / step);
    for (let i = first; i * step <= t1 + step; i++) {
      const t = i * step;
      if (t > this.duration + 1e-9) break;
      const x = Math.round(this.xOf(t)) + 0.5;
      ctx.strokeStyle = '#3a414c';
      ctx.beginPath();
      ctx.moveTo(x, RULER_H - 9);
      ctx.lineTo(x, RULER_H);
      ctx.stroke();
      ctx.fillStyle = '#6b7380';
      ctx.fillText(tickLabel(t, step, this.fps), x + 4, RULER_H - 9);
      ctx.strokeStyle = '#2a3039';
      for (let m = 1; m < 4; m++) {
        const tm = t + (m * step) / 4;
        if (tm > this.duration) break;
        const xm = Math.round(this.xOf(tm)) + 0.5;
        ctx.beginPath();
        ctx.moveTo(xm, RULER_H - 4);
        ctx.lineTo(xm, RULER_H);
        ctx.stroke();
      }
    }
    ctx.restore();
    ctx.fillStyle = '#5d6470';
    ctx.font = '10px Inter, ui-sans-serif, system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    ctx.fillText('TIME', 12, RULER_H / 2);
    ctx.fillText('FILMSTRIP', 12, RULER_H + FILM_H / 2);
  }

  private drawFilmstrip(ctx: CanvasRenderingContext2D, w: number, t0: number, t1: number): void {
    const top = RULER_H;
    const thumbH = FILM_H - 6;
    ctx.fillStyle = '#101317';
    ctx.fillRect(LABEL_W, top, w - LABEL_W, FILM_H);
    const s = this.store.state;
    const aspect = s.width && s.height ? s.width / s.height : 16 / 9;
    const slotW = Math.max(24, thumbH * aspect);
    const slotT = slotW / this.pps;
    const note = this.options.art.filmstripNote();
    ctx.save();
    ctx.beginPath();
    ctx.rect(LABEL_W, top, Math.min(w, this.xOf(this.duration)) - LABEL_W, FILM_H);
    ctx.clip();
    const frames: number[] = [];
    const firstSlot = Math.floor(t0 / slotT);
    for (let i = firstSlot; i * slotT < Math.min(t1, this.duration); i++) {
      const t = i * slotT;
      const frame = Math.min(s.frameCount - 1, Math.max(0, Math.round((t + slotT / 2) * this.fps)));
      frames.push(frame);
      const x = this.xOf(t);
      const bmp = this.options.art.filmstrip(frame, Math.max(1, Math.round(slotT * this.fps)));
      if (bmp) {
        // Cover the slot, keeping the picture's aspect.
        const scale = Math.max(slotW / bmp.width, thumbH / bmp.height);
        const sw = slotW / scale;
        const sh = thumbH / scale;
        ctx.drawImage(bmp, (bmp.width - sw) / 2, (bmp.height - sh) / 2, sw, sh, x + 1, top + 3, slotW - 2, thumbH);
      } else {
        ctx.fillStyle = '#1b1f26';
        ctx.fillRect(x + 1, top + 3, slotW - 2, thumbH);
      }
    }
    ctx.restore();
    if (note) {
      ctx.fillStyle = '#8b93a0';
      ctx.fillText(note, LABEL_W + 10, top + FILM_H / 2);
    } else if (frames.length) {
      this.options.art.wantFilmstrip(frames, thumbH);
    }
    ctx.strokeStyle = '#262b33';
    ctx.beginPath();
    ctx.moveTo(0, this.headerH - 0.5);
    ctx.lineTo(w, this.headerH - 0.5);
    ctx.stroke();
  }

  /** Indices [a, b) of rows intersecting the lanes viewport. */
  private visibleRowRange(): [number, number] {
    const top = this.st;
    const bottom = top + this.lanesH;
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.rowTops[mid + 1] <= top) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    while (end < this.rows.length && this.rowTops[end] < bottom) end++;
    return [lo, end];
  }

  private drawRows(ctx: CanvasRenderingContext2D, w: number, hgt: number, t0: number, t1: number): void {
    const [a, b] = this.visibleRowRange();
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, this.headerH, w, hgt - this.headerH);
    ctx.clip();
    const endX = Math.min(w, this.xOf(this.duration));
    for (let i = a; i < b; i++) {
      const row = this.rows[i];
      const y = this.headerH + this.rowTops[i] - this.st;
      if (row.type === 'comp') {
        const comp = this.data.comps.get(row.comp)!;
        ctx.fillStyle = comp.depth === 0 ? '#191d24' : '#1c1a2b';
        ctx.fillRect(LABEL_W, y, w - LABEL_W, row.height);
        // The composition's window on its own header row.
        const cx0 = Math.max(LABEL_W, this.xOf(comp.start));
        const cx1 = Math.min(endX, this.xOf(comp.end));
        if (cx1 > cx0) {
          ctx.fillStyle = comp.depth === 0 ? '#20252e' : '#272142';
          ctx.fillRect(cx0, y + 1, cx1 - cx0, row.height - 2);
        }
        this.drawTweens(ctx, comp, y, row.height, t0, t1);
      } else {
        ctx.fillStyle = i % 2 ? '#14171c' : '#12151a';
        ctx.fillRect(LABEL_W, y, w - LABEL_W, row.height);
        this.drawItems(ctx, row, y, t0, t1);
      }
      ctx.fillStyle = '#1b1f25';
      ctx.fillRect(LABEL_W, y + row.height - 1, w - LABEL_W, 1);
    }
    ctx.restore();
  }

  private drawItems(ctx: CanvasRenderingContext2D, row: TlRow, y: number, t0: number, t1: number): void {
    const items = row.items;
    let lastPx = -1;
    const top = y + 3;
    const hgt = row.height - 6;
    for (let i = firstOverlapping(row.maxEnd, t0); i < items.length; i++) {
      const it = items[i];
      if (it.start > t1) break;
      if (it.end < t0 && !it.invalid) continue;
      const x0 = this.xOf(it.start);
      const x1 = this.xOf(it.end);
      if (it.invalid) {
        ctx.fillStyle = '#ff5d5d';
        ctx.fillRect(Math.round(x0) - 1, top, 3, hgt);
        continue;
      }
      const width = Math.max(2, x1 - x0);
      // Many clips in one pixel: draw the pixel once.
      if (width <= 2 && Math.floor(x0) === lastPx) continue;
      lastPx = Math.floor(x0);
      const [fill, stroke, ink] = COLORS[it.kind] ?? COLORS.element;
      const hovered = this.hover.type === 'item' && this.hover.item === it;
      ctx.fillStyle = fill;
      roundRect(ctx, x0, top, width, hgt, 3);
      ctx.fill();
      if (width > 8) {
        if (it.media) this.drawMediaArt(ctx, it, x0, top, width, hgt);
        ctx.strokeStyle = hovered ? '#f5a524' : stroke;
        ctx.lineWidth = hovered ? 1.5 : 1;
        if (it.openEnd) ctx.setLineDash([]);
        roundRect(ctx, x0 + 0.5, top + 0.5, width - 1, hgt - 1, 3);
        ctx.stroke();
        ctx.lineWidth = 1;
      }
      if (width > 26) {
        const vx0 = Math.max(x0, LABEL_W);
        const room = Math.min(x1, this.w) - vx0 - 12;
        if (room > 14) {
          ctx.fillStyle = ink;
          ctx.fillText(fitText(ctx, it.label, room), vx0 + 6, it.media ? top + 8 : top + hgt / 2);
        }
      }
      if (it.openEnd && width > 8) {
        ctx.fillStyle = stroke;
        for (let yy = top + 2; yy < top + hgt - 2; yy += 4) ctx.fillRect(x0 + width - 2, yy, 2, 2);
      }
    }
  }

  private drawMediaArt(ctx: CanvasRenderingContext2D, it: TlItem, x0: number, top: number, width: number, hgt: number): void {
    const media = it.media!;
    const lanesRight = this.w;
    const vx0 = Math.max(LABEL_W, x0);
    const vx1 = Math.min(lanesRight, x0 + width);
    if (vx1 <= vx0) return;
    const mediaTime = (x: number) => media.mediaStart + (this.timeAt(x) - it.start) * media.rate;
    if (media.kind === 'video' && media.src) {
      const thumbH = hgt - 2;
      const thumbW = thumbH * (16 / 9);
      const wanted: number[] = [];
      ctx.save();
      ctx.beginPath();
      ctx.rect(vx0, top, vx1 - vx0, hgt);
      ctx.clip();
      const first = Math.floor((vx0 - x0) / thumbW);
      for (let k = first; x0 + k * thumbW < vx1; k++) {
        const x = x0 + k * thumbW;
        const t = Math.max(0, mediaTime(x + thumbW / 2));
        const spacing = (thumbW / this.pps) * media.rate;
        const q = Math.round(t / Math.max(spacing, 0.04)) * Math.max(spacing, 0.04);
        wanted.push(q);
        const bmp = this.options.art.videoThumb(media.src, q, spacing);
        if (bmp) {
          ctx.globalAlpha = 0.85;
          ctx.drawImage(bmp, x, top + 1, thumbW, thumbH);
          ctx.globalAlpha = 1;
        }
      }
      ctx.restore();
      if (wanted.length) this.options.art.wantVideoThumbs(media.src, wanted);
    }
    if (!media.audible || !media.src) return;
    const peaks = this.options.art.waveform(media.src);
    if (!peaks) return;
    const pps = this.options.art.peaksPerSecond;
    const mid = top + hgt / 2 + (media.kind === 'video' ? hgt / 4 : 2);
    const amp = media.kind === 'video' ? hgt / 4 - 1 : hgt / 2 - 6;
    ctx.fillStyle = media.kind === 'video' ? 'rgba(210, 255, 240, 0.8)' : 'rgba(180, 240, 255, 0.75)';
    for (let x = Math.floor(vx0); x < vx1; x++) {
      const a = Math.max(0, Math.floor(mediaTime(x) * pps));
      const b = Math.max(a + 1, Math.floor(mediaTime(x + 1) * pps));
      if (a >= peaks.length) break;
      let m = 0;
      for (let k = a; k < b && k < peaks.length; k++) if (peaks[k] > m) m = peaks[k];
      const v = Math.max(0.5, m * amp * media.volume);
      ctx.fillRect(x, mid - v, 1, v * 2);
    }
  }

  private drawTweens(ctx: CanvasRenderingContext2D, comp: TlComposition, y: number, rowH: number, t0: number, t1: number): void {
    const tweens = comp.tweens;
    const laneTop = y + 5;
    const laneH = 5;
    const lastPx = [-1, -1, -1];
    for (let i = firstOverlapping(comp.tweenMaxEnd, t0); i < tweens.length; i++) {
      const tw = tweens[i];
      if (tw.start > t1) break;
      if (tw.end < t0) continue;
      const x0 = this.xOf(tw.start);
      const x1 = this.xOf(tw.end);
      const ly = laneTop + tw.lane * (laneH + 1);
      const px = Math.floor(x0);
      if (x1 - x0 < 2 && lastPx[tw.lane] === px) continue;
      lastPx[tw.lane] = px;
      const hovered = this.hover.type === 'tween' && this.hover.tween === tw;
      ctx.fillStyle = hovered ? '#f5a524' : TWEEN_COLORS[tw.kind];
      if (tw.kind === 'call' || tw.end - tw.start <= 0) {
        // An instant: a small diamond.
        ctx.beginPath();
        ctx.moveTo(x0, ly - 1);
        ctx.lineTo(x0 + 3, ly + laneH / 2);
        ctx.lineTo(x0, ly + laneH + 1);
        ctx.lineTo(x0 - 3, ly + laneH / 2);
        ctx.fill();
      } else {
        ctx.fillRect(x0, ly, Math.max(1.5, x1 - x0), laneH);
      }
    }
    // Labels: a flag at their time, with the name when there is room.
    ctx.font = '10px ui-monospace, Menlo, Consolas, monospace';
    let lastRight = -Infinity;
    for (const label of comp.labels) {
      if (label.time < t0 - 1 || label.time > t1) continue;
      const x = Math.round(this.xOf(label.time)) + 0.5;
      ctx.strokeStyle = '#f5a524';
      ctx.beginPath();
      ctx.moveTo(x, y + 2);
      ctx.lineTo(x, y + rowH - 2);
      ctx.stroke();
      ctx.fillStyle = '#f5a524';
      ctx.fillRect(x, y + 2, 4, 4);
      if (x > lastRight + 4) {
        const text = label.name.length > 18 ? `${label.name.slice(0, 17)}…` : label.name;
        ctx.fillStyle = '#f5c76a';
        ctx.fillText(text, x + 4, y + rowH - 6);
        lastRight = x + 4 + ctx.measureText(text).width;
      }
    }
    ctx.font = '11px Inter, ui-sans-serif, system-ui, sans-serif';
  }

  /** The row labels (DOM, only the rows in view). */
  private drawLabels(): void {
    const [a, b] = this.visibleRowRange();
    const count = b - a;
    while (this.labelPool.length < count) {
      const el = h('div', { class: 'tl-label' });
      this.labels.append(el);
      this.labelPool.push(el);
    }
    this.labels.style.top = `${this.headerH}px`;
    for (let k = 0; k < this.labelPool.length; k++) {
      const el = this.labelPool[k];
      if (k >= count) {
        el.hidden = true;
        continue;
      }
      const i = a + k;
      const row = this.rows[i];
      el.hidden = false;
      const key = `${row.key}|${this.collapsed.has(row.comp)}`;
      if (el.dataset.key !== key) {
        el.dataset.key = key;
        el.dataset.comp = row.comp;
        el.dataset.type = row.type;
        el.className = `tl-label ${row.type}${row.comp === '' ? ' root' : ''}`;
        el.title = row.title;
        el.style.paddingLeft = `${8 + row.depth * 12}px`;
        el.replaceChildren();
        if (row.type === 'comp') {
          const collapsed = this.collapsed.has(row.comp);
          const comp = this.data.comps.get(row.comp)!;
          const canFold = comp.children.length > 0 || comp.clipCount > 0;
          el.append(
            h(
              'button',
              {
                class: `tl-fold${collapsed ? ' collapsed' : ''}`,
                'aria-label': `${collapsed ? 'Expand' : 'Collapse'} ${row.label}`,
                'aria-expanded': String(!collapsed),
                title: collapsed ? 'Expand' : 'Collapse',
                disabled: !canFold,
                onmousedown: (e: Event) => e.preventDefault(),
                onclick: () => this.toggleCollapsed(row.comp),
              },
              icon(ICONS.chevron, { size: 12 }),
            ),
            h('span', { class: 'tl-name' }, row.label),
            h('span', { class: 'tl-file' }, comp.file),
          );
        } else {
          el.append(h('span', { class: 'tl-name' }, row.label));
        }
      }
      el.style.transform = `translateY(${this.rowTops[i] - this.st}px)`;
      el.style.height = `${row.height}px`;
    }
  }

  private drawOverlay(): void {
    const s = this.store.state;
    const w = this.layer.clientWidth;
    const clampX = (x: number) => Math.max(LABEL_W, Math.min(w, x));
    const ph = this.xOf(s.frame / this.fps);
    this.playhead.hidden = ph < LABEL_W - 1 || ph > w + 1;
    this.playhead.style.transform = `translateX(${ph}px)`;
    const has = s.inFrame !== null || s.outFrame !== null;
    this.el.classList.toggle('has-range', has);
    const a = this.xOf((s.inFrame ?? 0) / this.fps);
    const b = this.xOf(((s.outFrame ?? s.frameCount - 1) + 1) / this.fps);
    const end = this.xOf(this.duration);
    this.shadeLeft.style.left = `${LABEL_W}px`;
    this.shadeLeft.style.width = has ? `${Math.max(0, clampX(a) - LABEL_W)}px` : '0';
    this.shadeRight.style.left = `${clampX(b)}px`;
    this.shadeRight.style.width = has ? `${Math.max(0, clampX(end) - clampX(b))}px` : '0';
    this.rangeEl.style.left = `${clampX(a)}px`;
    this.rangeEl.style.width = `${Math.max(0, clampX(b) - clampX(a))}px`;
  }

  private onFrame(s: ViewState): void {
    if (s.playing) {
      // Follow the playhead: when it leaves the view, turn the page.
      const x = this.xOf(s.frame / this.fps);
      const w = this.layer.clientWidth;
      if (!this.fit && (x > w - 8 || x < LABEL_W)) {
        const t = s.frame / this.fps;
        this.scroll.scrollLeft =
          s.playing === 'reverse' ? Math.max(0, t * this.pps - this.lanesW * 0.92) : Math.max(0, t * this.pps - this.lanesW * 0.08);
        this.syncScroll();
      }
    }
    this.drawOverlay();
  }

  // ---- pointer

  private layerPoint(e: { clientX: number; clientY: number }): { x: number; y: number } {
    const r = this.layer.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  /** What is under a layer point. */
  hitTest(x: number, y: number): Hit {
    if (x < LABEL_W || y < this.headerH) return { type: 'none' };
    const ry = y - this.headerH + this.st;
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.rowTops[mid + 1] <= ry) lo = mid + 1;
      else hi = mid;
    }
    const row = this.rows[lo];
    if (!row) return { type: 'none' };
    const t = this.timeAt(x);
    const slack = 3 / this.pps;
    if (row.type === 'comp') {
      const comp = this.data.comps.get(row.comp)!;
      const within = ry - this.rowTops[lo];
      for (const label of comp.labels)
        if (Math.abs(label.time - t) <= slack && within >= row.height - 12)
          return { type: 'label', comp, name: label.name, time: label.time };
      const lane = Math.floor((within - 5) / 6);
      let best: TlTween | null = null;
      for (let i = firstOverlapping(comp.tweenMaxEnd, t - slack); i < comp.tweens.length; i++) {
        const tw = comp.tweens[i];
        if (tw.start > t + slack) break;
        if (tw.end + slack < t) continue;
        if (lane >= 0 && lane <= 2 && tw.lane !== lane) continue;
        if (!best || tw.start >= best.start) best = tw;
      }
      if (best) return { type: 'tween', comp, tween: best };
      for (const label of comp.labels)
        if (Math.abs(label.time - t) <= slack) return { type: 'label', comp, name: label.name, time: label.time };
      return { type: 'none' };
    }
    let best: TlItem | null = null;
    for (let i = firstOverlapping(row.maxEnd, t - slack); i < row.items.length; i++) {
      const it = row.items[i];
      if (it.start > t + slack) break;
      if (it.end + slack < t && !(it.invalid && Math.abs(it.start - t) <= slack)) continue;
      if (!best || it.start >= best.start) best = it;
    }
    return best ? { type: 'item', row, item: best } : { type: 'none' };
  }

  private bindPointer(): void {
    let dragging: number | null = null;
    const touches = new Map<number, { x: number; y: number }>();
    let pinch: { dist: number; pps: number } | null = null;
    const onScrollbar = (e: PointerEvent) => e.offsetX >= this.scroll.clientWidth || e.offsetY >= this.scroll.clientHeight;

    this.scroll.addEventListener('pointerdown', (e) => {
      if (e.pointerType === 'touch') {
        touches.set(e.pointerId, { x: e.clientX, y: e.clientY });
        if (touches.size === 2) {
          const [p, q] = [...touches.values()];
          pinch = { dist: Math.hypot(p.x - q.x, p.y - q.y), pps: this.pps };
          if (dragging !== null) this.endScrub();
          dragging = null;
          return;
        }
      }
      if (e.button !== 0 || onScrollbar(e)) return;
      const p = this.layerPoint(e);
      if (p.x < LABEL_W) return;
      if ((e.ctrlKey || e.metaKey) && p.y >= this.headerH) {
        const hit = this.hitTest(p.x, p.y);
        if (hit.type === 'item' && hit.item.loc) {
          this.options.openEditor(hit.item.loc);
          e.preventDefault();
          return;
        }
      }
      dragging = e.pointerId;
      this.scroll.setPointerCapture(e.pointerId);
      this.el.classList.add('scrubbing');
      this.options.scrubbing(true);
      this.actions.seek(this.frameAt(Math.max(LABEL_W, p.x)));
      e.preventDefault();
    });
    this.scroll.addEventListener('pointermove', (e) => {
      if (touches.has(e.pointerId)) touches.set(e.pointerId, { x: e.clientX, y: e.clientY });
      if (pinch && touches.size === 2) {
        const [p, q] = [...touches.values()];
        const dist = Math.hypot(p.x - q.x, p.y - q.y);
        const mid = this.layerPoint({ clientX: (p.x + q.x) / 2, clientY: (p.y + q.y) / 2 });
        this.zoomTo((pinch.pps * dist) / Math.max(1, pinch.dist), mid.x);
        return;
      }
      const p = this.layerPoint(e);
      if (dragging === e.pointerId) {
        this.actions.seek(this.frameAt(Math.max(LABEL_W, p.x)));
        return;
      }
      this.setHover(this.hitTest(p.x, p.y), e);
    });
    const end = (e: PointerEvent) => {
      touches.delete(e.pointerId);
      if (touches.size < 2) pinch = null;
      if (dragging !== e.pointerId) return;
      dragging = null;
      this.endScrub();
      if (this.scroll.hasPointerCapture(e.pointerId)) this.scroll.releasePointerCapture(e.pointerId);
    };
    this.scroll.addEventListener('pointerup', end);
    this.scroll.addEventListener('pointercancel', end);
    this.scroll.addEventListener('pointerleave', () => this.setHover({ type: 'none' }));
    // With the pointer captured, dblclick arrives here, not on what is under the pointer.
    this.scroll.addEventListener('dblclick', (e) => {
      const p = this.layerPoint(e);
      const hit = this.hitTest(p.x, p.y);
      const fps = this.fps;
      if (hit.type === 'item')
        this.actions.setRange(
          Math.round(hit.item.start * fps),
          Math.max(Math.round(hit.item.start * fps), Math.round(hit.item.end * fps) - 1),
        );
      else if (hit.type === 'tween')
        this.actions.setRange(
          Math.round(hit.tween.start * fps),
          Math.max(Math.round(hit.tween.start * fps), Math.round(hit.tween.end * fps) - 1),
        );
      else if (hit.type === 'label') this.actions.seek(Math.round(hit.time * fps));
    });
    this.scroll.addEventListener(
      'wheel',
      (e) => {
        if (e.ctrlKey || e.metaKey) {
          // Ctrl/Cmd+wheel, and a trackpad pinch (which Chromium sends as wheel + ctrlKey).
          e.preventDefault();
          const p = this.layerPoint(e);
          const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
          this.zoomTo(this.pps * Math.exp(-delta * 0.0025), Math.max(LABEL_W, p.x));
        } else if (e.shiftKey && !e.deltaX) {
          e.preventDefault();
          this.scroll.scrollLeft += e.deltaY;
        }
      },
      { passive: false },
    );
    // Wheel over the row labels scrolls the rows too.
    this.labels.addEventListener(
      'wheel',
      (e) => {
        if (e.ctrlKey || e.metaKey) return;
        this.scroll.scrollTop += e.deltaY;
        e.preventDefault();
      },
      { passive: false },
    );
  }

  private endScrub(): void {
    this.el.classList.remove('scrubbing');
    this.options.scrubbing(false);
  }

  private setHover(hit: Hit, e?: PointerEvent): void {
    const same =
      hit.type === this.hover.type &&
      ((hit.type === 'item' && this.hover.type === 'item' && hit.item === this.hover.item) ||
        (hit.type === 'tween' && this.hover.type === 'tween' && hit.tween === this.hover.tween) ||
        (hit.type === 'label' && this.hover.type === 'label' && hit.name === this.hover.name) ||
        hit.type === 'none');
    this.hover = hit;
    if (hit.type === 'none') {
      this.tooltip.hidden = true;
      if (!same) this.requestDraw();
      return;
    }
    if (!same) {
      this.tooltip.replaceChildren(...this.tooltipContent(hit));
      this.requestDraw();
    }
    this.tooltip.hidden = false;
    if (e) {
      const p = this.layerPoint(e);
      const w = this.layer.clientWidth;
      const tw = this.tooltip.offsetWidth;
      const x = p.x + 14 + tw > w ? p.x - 14 - tw : p.x + 14;
      const y = Math.max(0, Math.min(this.layer.clientHeight - this.tooltip.offsetHeight, p.y + 14));
      this.tooltip.style.transform = `translate(${Math.max(0, x)}px, ${y}px)`;
    }
  }

  private tooltipContent(hit: Hit): Node[] {
    const fps = this.fps;
    const time = (t: number) => `${t.toFixed(2)} s (f ${Math.round(t * fps)})`;
    const line = (k: string, v: string) =>
      h('div', { class: 'tt-line' }, h('span', { class: 'tt-key' }, k), h('span', { class: 'tt-val' }, v));
    if (hit.type === 'item') {
      const it = hit.item;
      const d = it.end - it.start;
      const comp = this.data.comps.get(it.comp);
      return [
        h('div', { class: 'tt-title' }, it.label, h('span', { class: 'tt-kind' }, it.kind === 'composition' ? 'sub-composition' : it.kind)),
        line('file', it.loc ? `${it.loc.file}:${it.loc.line}` : (comp?.file ?? '')),
        line(
          'start',
          `${time(it.start)}${it.startExpr && it.startExpr.trim() !== String(Number(it.startExpr)) ? ` · data-start="${it.startExpr}"` : ''}`,
        ),
        line(
          'duration',
          it.invalid
            ? it.invalid
            : `${d.toFixed(2)} s (${Math.round(d * fps)} f)${it.openEnd ? ' · to the end of its ' + (it.media ? 'media' : 'composition') : ''}`,
        ),
        it.media
          ? line(
              'sound',
              it.media.audible
                ? `volume ${Math.round(it.media.volume * 100)}%`
                : it.media.kind === 'video'
                  ? 'none (no data-has-audio)'
                  : 'muted',
            )
          : null,
        h('div', { class: 'tt-hint' }, 'Double-click: in/out to this clip · Ctrl/⌘+click: open in editor'),
      ].filter((n): n is HTMLDivElement => n !== null);
    }
    if (hit.type === 'tween') {
      const tw = hit.tween;
      return [
        h('div', { class: 'tt-title' }, tw.targets || '(no target)', h('span', { class: 'tt-kind' }, `gsap ${tw.kind}`)),
        line('timeline', hit.comp.name),
        tw.props.length ? line('animates', tw.props.join(', ')) : null,
        line('start', time(tw.start)),
        line('duration', `${(tw.end - tw.start).toFixed(2)} s${tw.ease ? ` · ${tw.ease}` : ''}`),
        h('div', { class: 'tt-hint' }, 'Double-click: in/out to this tween'),
      ].filter((n): n is HTMLDivElement => n !== null);
    }
    if (hit.type === 'label') {
      return [
        h('div', { class: 'tt-title' }, hit.name, h('span', { class: 'tt-kind' }, 'label')),
        line('timeline', hit.comp.name),
        line('time', time(hit.time)),
      ];
    }
    return [];
  }

  /** For tests and benchmarks: where an item or the rows are, in page coordinates. */
  debug() {
    const rect = () => this.layer.getBoundingClientRect();
    return {
      rows: () =>
        this.rows.map((row) => ({
          label: row.label,
          type: row.type,
          comp: row.comp,
          depth: row.depth,
          items: row.items.map((i) => ({ label: i.label, start: i.start, end: i.end, invalid: i.invalid })),
        })),
      comps: () =>
        [...this.data.comps.values()].map((c) => ({
          key: c.key,
          name: c.name,
          tweens: c.tweens.length,
          labels: c.labels.map((l) => l.name),
          depth: c.depth,
          collapsed: this.collapsed.has(c.key),
        })),
      /** Centre of the visible part of the first item labelled `label` (null when out of view). */
      itemPoint: (label: string) => {
        const r = rect();
        const [a, b] = this.visibleRowRange();
        for (let i = a; i < b; i++) {
          const row = this.rows[i];
          const it = row.items.find((x) => x.label === label);
          if (!it) continue;
          const x0 = Math.max(LABEL_W, this.xOf(it.start));
          const x1 = Math.min(this.layer.clientWidth, this.xOf(it.end));
          if (x1 < x0 && !it.invalid) continue;
          const y = this.headerH + this.rowTops[i] - this.scroll.scrollTop + row.height / 2;
          return { x: r.left + (it.invalid ? x0 : (x0 + x1) / 2), y: r.top + y };
        }
        return null;
      },
      /** A point on the first tween of composition `comp` animating `targets`. */
      tweenPoint: (comp: string, targets: string) => {
        const r = rect();
        const rowIndex = this.rows.findIndex((row) => row.type === 'comp' && row.comp === comp);
        const c = this.data.comps.get(comp);
        const tw = c?.tweens.find((t) => t.targets === targets);
        if (rowIndex < 0 || !tw) return null;
        const y = this.headerH + this.rowTops[rowIndex] - this.scroll.scrollTop + 5 + tw.lane * 6 + 2.5;
        const x = (Math.max(LABEL_W, this.xOf(tw.start)) + Math.min(this.layer.clientWidth, this.xOf(tw.end))) / 2;
        return { x: r.left + x, y: r.top + y };
      },
      xOfTime: (t: number) => rect().left + this.xOf(t),
      pixelsPerSecond: () => this.pps,
      scrollLeft: () => this.scroll.scrollLeft,
      lastBuildMs: () => this.lastBuildMs,
      lastDrawMs: () => this.lastDrawMs,
    };
  }
}

function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, hgt: number, r: number): void {
  const rr = Math.min(r, w / 2, hgt / 2);
  ctx.beginPath();
  ctx.moveTo(x + rr, y);
  ctx.arcTo(x + w, y, x + w, y + hgt, rr);
  ctx.arcTo(x + w, y + hgt, x, y + hgt, rr);
  ctx.arcTo(x, y + hgt, x, y, rr);
  ctx.arcTo(x, y, x + w, y, rr);
  ctx.closePath();
}

/** Text cut to `room` px with an ellipsis (measured by an estimate first, exactly near the edge). */
function fitText(ctx: CanvasRenderingContext2D, text: string, room: number): string {
  if (text.length * 7 <= room) return text;
  let n = Math.max(1, Math.floor(room / 6.2));
  while (n > 1 && ctx.measureText(text.slice(0, n) + '…').width > room) n--;
  return n >= text.length ? text : `${text.slice(0, n)}…`;
}

function tickLabel(t: number, step: number, fps: number): string {
  if (step < 0.1) {
    const whole = Math.floor(t + 1e-9);
    const f = Math.round((t - whole) * fps);
    return f === 0 ? `${whole}s` : `${whole}s+${f}f`;
  }
  if (t >= 60 && step >= 1) return `${Math.floor(t / 60)}:${String(Math.round(t % 60)).padStart(2, '0')}`;
  return step < 1 ? `${t.toFixed(step < 0.25 ? 1 : 2).replace(/0$/, '')}s` : `${Math.round(t)}s`;
}
