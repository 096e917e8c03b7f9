/**
 * The area that shows the composition: the iframe at the composition's real size, scaled to fit
 * (or to the stage's width, or any typed zoom) and centred, with the optional guides drawn around
 * it in this page, never inside the iframe: action-safe (90 %) and title-safe (80 %) frames with
 * a centre cross, and a platform's UI overlay (TikTok, Instagram Reels, YouTube Shorts for 9:16
 * and 1:1; YouTube's player for 16:9). Guide labels sit outside the picture, beside the part they
 * name, so they never cover the content. F shows the stage fullscreen. Behind the iframe is
 * white, as behind a page in a render, unless the checkerboard shows transparency.
 */
import { h } from './dom';
import { ZOOM_MAX, ZOOM_MIN, type SafeZone, type Store, type ViewState } from './store';

/** Room kept around the frame when fitting, in CSS pixels. */
const MARGIN = 16;
/** Room for guide labels beside the picture. */
export const LABEL_ROOM = 92;

interface Zone {
  label: string;
  /** In the platform's screen, pixels. */
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Platform {
  name: string;
  /** Screen size the zones are given in. */
  width: number;
  height: number;
  zones: Zone[];
}

/**
 * Where each platform's interface covers the video, as working margins from the platforms'
 * published guidance (they vary by device and change over time; see docs). 9:16 screens are
 * 1080×1920; YouTube's player is 1920×1080.
 */
export const PLATFORMS: Record<Exclude<SafeZone, 'none'>, Platform> = {
  tiktok: {
    name: 'TikTok',
    width: 1080,
    height: 1920,
    zones: [
      { label: 'Tabs, search', x: 0, y: 0, w: 1080, h: 210 },
      { label: 'Like, comment, share', x: 930, y: 640, w: 150, h: 840 },
      { label: 'Caption, sound', x: 0, y: 1480, w: 1080, h: 440 },
    ],
  },
  reels: {
    name: 'Instagram Reels',
    width: 1080,
    height: 1920,
    zones: [
      { label: 'Header', x: 0, y: 0, w: 1080, h: 270 },
      { label: 'Like, comment, share', x: 940, y: 860, w: 140, h: 390 },
      { label: 'Caption, audio, CTA', x: 0, y: 1250, w: 1080, h: 670 },
    ],
  },
  shorts: {
    name: 'YouTube Shorts',
    width: 1080,
    height: 1920,
    zones: [
      { label: 'Search, menu', x: 0, y: 0, w: 1080, h: 220 },
      { label: 'Like, comment, share', x: 930, y: 800, w: 150, h: 680 },
      { label: 'Title, channel, sound', x: 0, y: 1480, w: 1080, h: 440 },
    ],
  },
  youtube: {
    name: 'YouTube',
    width: 1920,
    height: 1080,
    zones: [
      { label: 'Title, channel', x: 0, y: 0, w: 1920, h: 140 },
      { label: 'Player controls', x: 0, y: 930, w: 1920, h: 150 },
    ],
  },
};

/** The platforms whose overlay fits a composition of this size. */
export function platformsFor(width: number, height: number): Exclude<SafeZone, 'none'>[] {
  const r = width / height;
  if (Math.abs(r - 9 / 16) < 0.01 || Math.abs(r - 1) < 0.01) return ['tiktok', 'reels', 'shorts'];
  if (Math.abs(r - 16 / 9) < 0.01) return ['youtube'];
  return [];
}

/**
 * A platform's zones in composition pixels. A 1:1 video on a 9:16 platform is shown at full
 * width, centred: the zones are what of the screen's overlay falls on it.
 */
export function zonesFor(zone: Exclude<SafeZone, 'none'>, width: number, height: number): Zone[] {
  const p = PLATFORMS[zone];
  const scale = width / p.width;
  const shownH = height / scale;
  const top = (p.height - shownH) / 2;
  const out: Zone[] = [];
  for (const z of p.zones) {
    const y0 = Math.max(z.y, top);
    const y1 = Math.min(z.y + z.h, top + shownH);
    if (y1 - y0 < 1) continue;
    out.push({ label: z.label, x: z.x * scale, y: (y0 - top) * scale, w: z.w * scale, h: (y1 - y0) * scale });
  }
  return out;
}

export class Stage {
  readonly el: HTMLElement;
  /** Where the iframes go. */
  readonly holder: HTMLElement;
  /** Covers the stage (error panel, loading notice). */
  readonly cover: HTMLElement;
  private readonly scrollEl: HTMLElement;
  private readonly box: HTMLElement;
  private readonly guides: HTMLElement;
  private readonly zones: HTMLElement;
  private readonly labels: HTMLElement;
  scale = 1;

  constructor(private readonly store: Store) {
    this.guides = h(
      'div',
      { class: 'guides', 'aria-hidden': 'true' },
      h('div', { class: 'guide action-safe' }),
      h('div', { class: 'guide title-safe' }),
      h('div', { class: 'guide cross-h' }),
      h('div', { class: 'guide cross-v' }),
    );
    this.zones = h('div', { class: 'safe-zones', 'aria-hidden': 'true' });
    this.holder = h('div', { class: 'frame-scale' }, this.guides, this.zones);
    this.labels = h('div', { class: 'guide-labels', 'aria-hidden': 'true' });
    this.box = h('div', { class: 'frame-box' }, this.holder, this.labels);
    this.cover = h('div', { class: 'stage-cover' });
    this.scrollEl = h('div', { class: 'stage-scroll' }, this.box);
    this.el = h('div', { class: 'stage' }, this.scrollEl, this.cover);
    new ResizeObserver(() => this.layout()).observe(this.el);
    store.subscribe((s, changed) => {
      if (changed.has('guides') || changed.has('checker') || changed.has('safeZone') || changed.has('width') || changed.has('height'))
        this.decorate(s);
      if (changed.has('zoom') || changed.has('width') || changed.has('height') || changed.has('guides') || changed.has('safeZone'))
        this.layout();
    });
    this.el.addEventListener(
      'wheel',
      (e) => {
        if (!(e.ctrlKey || e.metaKey)) return;
        // Ctrl/Cmd+wheel (and a trackpad pinch) zooms the picture.
        e.preventDefault();
        this.store.set({ zoom: clampZoom(this.scale * Math.exp(-e.deltaY * 0.002)) });
      },
      { passive: false },
    );
    document.addEventListener('fullscreenchange', () => {
      this.el.classList.toggle('fullscreen', document.fullscreenElement === this.el);
      this.layout();
    });
    this.decorate(store.state);
  }

  /** The platform overlay shown, when it applies to this size. */
  private activeZone(s: ViewState): Exclude<SafeZone, 'none'> | null {
    return s.safeZone !== 'none' && platformsFor(s.width, s.height).includes(s.safeZone) ? s.safeZone : null;
  }

  private decorate(s: ViewState): void {
    this.guides.hidden = !s.guides;
    this.holder.classList.toggle('checker', s.checker);
    const zone = this.activeZone(s);
    this.zones.hidden = !zone;
    this.zones.replaceChildren(
      ...(zone
        ? zonesFor(zone, s.width, s.height).map((z) =>
            h('div', {
              class: 'safe-zone',
              'data-label': z.label,
              style: {
                left: `${(z.x / s.width) * 100}%`,
                top: `${(z.y / s.height) * 100}%`,
                width: `${(z.w / s.width) * 100}%`,
                height: `${(z.h / s.height) * 100}%`,
              },
            }),
          )
        : []),
    );
    this.drawLabels();
  }

  /** Labels outside the picture: guide labels on the left, platform zones on the right. */
  private drawLabels(): void {
    const s = this.store.state;
    const boxH = s.height * this.scale;
    const items: HTMLElement[] = [];
    if (s.guides) {
      items.push(
        h(
          'div',
          { class: 'guide-label left', title: 'Action safe: 90 % of the frame', style: { top: `${0.05 * boxH - 7}px` } },
          'Action safe',
        ),
      );
      items.push(
        h(
          'div',
          {
            class: 'guide-label left',
            title: 'Title safe: 80 % of the frame',
            style: { top: `${Math.max(0.1 * boxH - 7, 0.05 * boxH + 9)}px` },
          },
          'Title safe',
        ),
      );
    }
    const zone = this.activeZone(s);
    if (zone) {
      items.push(h('div', { class: 'guide-label right platform', style: { top: '0px' } }, PLATFORMS[zone].name));
      let last = 4;
      for (const z of zonesFor(zone, s.width, s.height).sort((a, b) => a.y - b.y)) {
        const y = Math.max(last + 16, ((z.y + z.h / 2) / s.height) * boxH - 7);
        last = y;
        items.push(h('div', { class: 'guide-label right zone', style: { top: `${y}px` } }, z.label));
      }
    }
    this.labels.replaceChildren(...items);
  }

  /** Scale for the current zoom. */
  private scaleFor(s: ViewState): number {
    if (typeof s.zoom === 'number') return s.zoom;
    const full = this.el.classList.contains('fullscreen');
    const side = !full && (s.guides || this.activeZone(s)) ? LABEL_ROOM : 0;
    const margin = full ? 0 : MARGIN;
    const w = Math.max(1, this.el.clientWidth - margin * 2 - side * 2);
    const hgt = Math.max(1, this.el.clientHeight - margin * 2);
    if (s.zoom === 'fit-width') return clampZoom(w / s.width);
    return clampZoom(Math.min(w / s.width, hgt / s.height));
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
    // Centred on whole pixels (auto margins put it on a half pixel when the room around it is odd,
    // which blurs a picture at 100 %); a zoomed picture with labels keeps room for them beside it.
    const labelled = s.guides || this.activeZone(s) !== null;
    const side = labelled && typeof s.zoom === 'number' ? LABEL_ROOM : 0;
    const mx = Math.max(side, Math.floor((this.scrollEl.clientWidth - s.width * this.scale) / 2));
    const my = Math.max(0, Math.floor((this.scrollEl.clientHeight - s.height * this.scale) / 2));
    this.box.style.margin = `${my}px ${mx}px`;
    this.el.style.setProperty('--stage-scale', String(this.scale));
    this.drawLabels();
    this.onScale(this.scale);
  }

  /** Called with the scale after every layout (the zoom readout). */
  onScale: (scale: number) => void = () => {};

  /** F: the stage alone, on the whole screen (Esc or F again to leave). */
  async toggleFullscreen(): Promise<boolean> {
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await this.el.requestFullscreen();
      return true;
    } catch {
      return false;
    }
  }
}

export function clampZoom(z: number): number {
  return Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, z));
}
