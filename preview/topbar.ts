/**
 * The bar above the preview: the composition picker (every entry of the project, and the
 * sub-composition files the current one uses), the composition's size and aspect (with a warning
 * when the cloud would refuse it), fps and duration, the problems badge, zoom (presets, fit,
 * fit width, or a typed percentage), guides (action/title-safe, a platform's safe zones),
 * checkerboard, fullscreen, panels, help, and whether the page is connected to the dev server.
 */
import type { CompositionModel } from '../shared/model';
import { h, icon, ICONS, replaceChildren } from './dom';
import { platformsFor, PLATFORMS } from './stage';
import { ZOOM_MAX, ZOOM_MIN, type SafeZone, type Store, type Zoom } from './store';

/** Aspect ratios the cloud renderer accepts. */
const CLOUD_ASPECTS = ['16:9', '9:16', '1:1'];
const ZOOM_PRESETS: Zoom[] = ['fit', 'fit-width', 0.25, 0.5, 1, 2, 4];

/** `1920×1080` → `16:9`. */
export function aspectOf(width: number, height: number): string {
  const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
  const g = gcd(width, height) || 1;
  return `${width / g}:${height / g}`;
}

/** What a typed zoom means: `150`, `150%`, `1.5x` → 1.5; `fit`, `width` → those modes; else null. */
export function parseZoom(text: string): Zoom | null {
  const t = text.trim().toLowerCase();
  if (t === 'fit') return 'fit';
  if (t === 'width' || t === 'fit width' || t === 'fit-width') return 'fit-width';
  const x = /^(\d+(?:\.\d+)?)\s*x$/.exec(t);
  if (x) return clamp(Number(x[1]));
  const p = /^(\d+(?:\.\d+)?)\s*%?$/.exec(t);
  if (p) return clamp(Number(p[1]) / 100);
  return null;
}

const clamp = (z: number) => Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, z));
const zoomName = (z: Zoom) => (z === 'fit' ? 'Fit' : z === 'fit-width' ? 'Fit width' : `${Math.round(z * 100)}%`);

export interface TopbarOptions {
  store: Store;
  chooseEntry(entry: string): void;
  jump(seconds: number): void;
  help(): void;
  fullscreen(): void;
  badge: HTMLElement;
  popover: HTMLElement;
}

/** Folding steps of the top bar (see `fit`). */
const FIT_LEVELS = 4;

export class Topbar {
  readonly el: HTMLElement;
  private readonly pickerButton = h('button', { class: 'picker-button', 'aria-haspopup': 'menu', title: 'Choose the composition' });
  private readonly menu = h('div', { class: 'picker-menu', role: 'menu', hidden: true });
  private readonly facts = h('div', { class: 'facts' });
  private readonly status = h('span', { class: 'status', title: 'Connected to framesmith dev' });
  private readonly zoomInput = h('input', {
    type: 'text',
    class: 'zoom-input',
    'aria-label': 'Zoom (%)',
    title: 'Zoom: type a percentage (150), "fit" or "width" and press Enter',
    spellcheck: false,
    autocomplete: 'off',
  });
  private readonly zoomMenu = h('div', { class: 'zoom-menu', role: 'menu', hidden: true });
  private readonly zoneSelect = h('select', {
    class: 'zone-select',
    'aria-label': 'Platform safe zones',
    title: 'Platform safe zones: where the app’s buttons and captions cover the video',
  });
  private scale = 1;

  constructor(private readonly options: TopbarOptions) {
    const { store } = options;
    this.pickerButton.addEventListener('click', () => this.toggle(this.menu));
    document.addEventListener('pointerdown', (e) => {
      const t = e.target as Element;
      if (!this.menu.hidden && !t.closest('.picker')) this.menu.hidden = true;
      if (!this.zoomMenu.hidden && !t.closest('.zoom-control')) this.zoomMenu.hidden = true;
    });
    const noFocus = (e: Event) => e.preventDefault();
    this.zoomMenu.append(
      ...ZOOM_PRESETS.map((z) =>
        h(
          'button',
          {
            class: 'menu-item',
            role: 'menuitem',
            'data-zoom': String(z),
            onmousedown: noFocus,
            onclick: () => ((this.zoomMenu.hidden = true), store.set({ zoom: z })),
          },
          zoomName(z),
        ),
      ),
    );
    this.zoomInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        const z = parseZoom(this.zoomInput.value);
        if (z === null) this.zoomInput.classList.add('invalid');
        else {
          this.zoomInput.classList.remove('invalid');
          store.set({ zoom: z });
          this.zoomInput.blur();
        }
      } else if (e.key === 'Escape') {
        this.drawZoom();
        this.zoomInput.blur();
      }
    });
    this.zoomInput.addEventListener('focus', () => this.zoomInput.select());
    this.zoomInput.addEventListener('blur', () => (this.zoomInput.classList.remove('invalid'), this.drawZoom()));
    const zoom = h(
      'div',
      { class: 'zoom-control' },
      this.zoomInput,
      h(
        'button',
        {
          class: 'icon-button small',
          title: 'Zoom presets',
          'aria-label': 'Zoom presets',
          'aria-haspopup': 'menu',
          onmousedown: noFocus,
          onclick: () => this.toggle(this.zoomMenu),
        },
        icon(ICONS.chevron, { size: 12 }),
      ),
      this.zoomMenu,
    );
    const toggle = (label: string, path: string, key: 'guides' | 'checker') => {
      const b = h(
        'button',
        {
          class: 'icon-button toggle',
          title: label,
          'aria-label': label,
          onclick: () => store.set({ [key]: !store.state[key] }),
          onmousedown: noFocus,
        },
        icon(path),
      );
      store.subscribe((s) => (b.classList.toggle('on', s[key]), b.setAttribute('aria-pressed', String(s[key]))));
      b.classList.toggle('on', store.state[key]);
      return b;
    };
    this.zoneSelect.addEventListener('change', () => (store.set({ safeZone: this.zoneSelect.value as SafeZone }), this.zoneSelect.blur()));
    const sideButton = h(
      'button',
      {
        class: 'icon-button toggle',
        title: 'Show / hide the panels',
        'aria-label': 'Panels',
        onmousedown: noFocus,
        onclick: () => store.set({ sideHidden: !store.state.sideHidden }),
      },
      icon(ICONS.sidebar),
    );
    store.subscribe((s) => sideButton.classList.toggle('on', !s.sideHidden));
    sideButton.classList.toggle('on', !store.state.sideHidden);
    this.el = h(
      'header',
      { class: 'topbar' },
      h('div', { class: 'brand' }, icon(ICONS.film, { size: 16 }), h('span', {}, 'framesmith')),
      h('div', { class: 'picker' }, this.pickerButton, this.menu),
      this.facts,
      h('div', { class: 'spacer' }),
      h('div', { class: 'problems-anchor' }, options.badge, options.popover),
      zoom,
      toggle('Safe-area guides', ICONS.safe, 'guides'),
      this.zoneSelect,
      toggle('Checkerboard (shows transparency)', ICONS.checker, 'checker'),
      h(
        'button',
        {
          class: 'icon-button',
          title: 'Fullscreen (F)',
          'aria-label': 'Fullscreen',
          onmousedown: noFocus,
          onclick: () => options.fullscreen(),
        },
        icon(ICONS.fullscreen),
      ),
      sideButton,
      h(
        'button',
        { class: 'icon-button', title: 'Keyboard shortcuts (?)', 'aria-label': 'Keyboard shortcuts', onclick: () => options.help() },
        icon(ICONS.help),
      ),
      this.status,
    );
    store.subscribe((s, changed) => {
      if (changed.has('zoom')) this.drawZoom();
      if (changed.has('safeZone') || changed.has('width') || changed.has('height')) this.drawZones();
    });
    this.drawZoom();
    this.drawZones();
    // Whatever changes the bar's width or content (the render drawer opening, a longer problem
    // count, the facts of another composition) refits it in the next frame.
    const refit = () => {
      if (this.fitQueued) return;
      this.fitQueued = true;
      requestAnimationFrame(() => ((this.fitQueued = false), this.fit()));
    };
    new ResizeObserver(refit).observe(this.el);
    new MutationObserver(refit).observe(this.el, { childList: true, subtree: true, characterData: true });
  }

  private fitQueued = false;
  /** How much the bar is folded (0: everything shown), for tests. */
  fitLevel = 0;

  /**
   * Folds the bar until it fits, least useful first: the fps and duration chips, the brand's
   * name and the aspect chip (unless it warns), every fact chip, then the Render/Dataset labels
   * (icons stay; their titles say what they do). Never cuts a chip or a button in half.
   */
  fit(): void {
    const el = this.el;
    let level = 0;
    for (; level <= FIT_LEVELS; level++) {
      for (let l = 1; l <= FIT_LEVELS; l++) el.classList.toggle(`fit-${l}`, l <= level);
      if (el.scrollWidth <= el.clientWidth) break;
    }
    this.fitLevel = Math.min(level, FIT_LEVELS);
  }

  private toggle(menu: HTMLElement): void {
    menu.hidden = !menu.hidden;
  }

  /** The stage's scale changed (fit modes follow the window). */
  setScale(scale: number): void {
    this.scale = scale;
    this.drawZoom();
  }

  private drawZoom(): void {
    const z = this.options.store.state.zoom;
    if (document.activeElement !== this.zoomInput)
      this.zoomInput.value = typeof z === 'number' ? `${Math.round(z * 100)}%` : `${zoomName(z)} ${Math.round(this.scale * 100)}%`;
    for (const b of this.zoomMenu.querySelectorAll<HTMLElement>('[data-zoom]')) b.classList.toggle('current', b.dataset.zoom === String(z));
  }

  private drawZones(): void {
    const s = this.options.store.state;
    const available = platformsFor(s.width, s.height);
    replaceChildren(
      this.zoneSelect,
      h('option', { value: 'none' }, 'No platform'),
      available.map((p) => h('option', { value: p }, PLATFORMS[p].name)),
    );
    this.zoneSelect.disabled = available.length === 0;
    this.zoneSelect.title = available.length
      ? 'Platform safe zones: where the app’s buttons and captions cover the video'
      : 'Platform safe zones exist for 9:16, 1:1 and 16:9 compositions';
    this.zoneSelect.value = available.includes(s.safeZone as never) ? s.safeZone : 'none';
  }

  setConnected(connected: boolean): void {
    this.status.classList.toggle('offline', !connected);
    this.status.title = connected ? 'Connected to framesmith dev' : 'Not connected: is framesmith dev still running?';
  }

  /** The entry, the project's entries, and the facts of the composition. */
  set(entry: string, entries: string[], comp: CompositionModel | null): void {
    replaceChildren(this.pickerButton, h('span', { class: 'picker-name' }, entry), icon(ICONS.chevron, { size: 14 }));
    const subs = new Map<string, number[]>();
    for (const inst of comp?.subCompositions ?? []) subs.set(inst.src, [...(subs.get(inst.src) ?? []), inst.start]);
    replaceChildren(
      this.menu,
      h('div', { class: 'menu-title' }, 'Entries'),
      (entries.length ? entries : [entry]).map((e) =>
        h(
          'button',
          {
            class: `menu-item${e === entry ? ' current' : ''}`,
            role: 'menuitem',
            onclick: () => ((this.menu.hidden = true), this.options.chooseEntry(e)),
          },
          e,
        ),
      ),
      subs.size ? h('div', { class: 'menu-title' }, `Used by ${entry}`) : null,
      [...subs].map(([src, starts]) =>
        h(
          'button',
          {
            class: 'menu-item sub',
            role: 'menuitem',
            title: `Jump to its first instance at ${starts[0].toFixed(2)}s`,
            onclick: () => ((this.menu.hidden = true), this.options.jump(starts[0])),
          },
          h('span', {}, `↳ ${src}`),
          h('span', { class: 'menu-meta' }, `${starts.length}×`),
        ),
      ),
    );
    this.pickerButton.title = comp
      ? `Choose the composition (this one: ${comp.width}×${comp.height}, ${aspectOf(comp.width, comp.height)}, ${comp.fps ?? 30} fps, ${comp.duration}s)`
      : 'Choose the composition';
    if (!comp) return replaceChildren(this.facts);
    const aspect = aspectOf(comp.width, comp.height);
    const accepted = CLOUD_ASPECTS.includes(aspect);
    replaceChildren(
      this.facts,
      h('span', { class: 'chip', title: 'data-width × data-height' }, `${comp.width}×${comp.height}`),
      h(
        'span',
        {
          class: `chip aspect${accepted ? '' : ' warn'}`,
          title: accepted ? 'An aspect ratio the cloud renders' : `The cloud renders 16:9, 9:16 and 1:1 only; ${aspect} would be refused`,
        },
        accepted ? null : icon(ICONS.warn, { size: 12 }),
        accepted ? aspect : `${aspect} · not a cloud size`,
      ),
      h('span', { class: 'chip minor' }, `${comp.fps ?? 30} fps`),
      h('span', { class: 'chip minor' }, `${comp.duration}s`),
    );
  }
}
