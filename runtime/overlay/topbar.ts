/**
 * The bar above the preview: the composition picker (every entry of the project, and the
 * sub-composition files the current one uses), the composition's size and aspect (with a warning
 * when the cloud would refuse it), fps and duration, zoom, guides, checkerboard, help, and
 * whether the page is connected to the dev server.
 */
import type { CompositionModel } from '../../src/shared/model';
import { h, icon, ICONS, replaceChildren } from './dom';
import type { Store, Zoom } from './store';

/** Aspect ratios the cloud renderer accepts. */
const CLOUD_ASPECTS = ['16:9', '9:16', '1:1'];

/** `1920×1080` → `16:9`. */
export function aspectOf(width: number, height: number): string {
  const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
  const g = gcd(width, height) || 1;
  return `${width / g}:${height / g}`;
}

export interface TopbarOptions {
  store: Store;
  chooseEntry(entry: string): void;
  jump(seconds: number): void;
  help(): void;
}

export class Topbar {
  readonly el: HTMLElement;
  private readonly pickerButton = h('button', { class: 'picker-button', 'aria-haspopup': 'menu', title: 'Choose the composition' });
  private readonly menu = h('div', { class: 'picker-menu', role: 'menu', hidden: true });
  private readonly facts = h('div', { class: 'facts' });
  private readonly status = h('span', { class: 'status', title: 'Connected to framesmith dev' });
  private readonly zoomButtons = new Map<Zoom, HTMLButtonElement>();

  constructor(private readonly options: TopbarOptions) {
    const { store } = options;
    this.pickerButton.addEventListener('click', () => this.toggleMenu());
    document.addEventListener('pointerdown', (e) => {
      if (!this.menu.hidden && !(e.target as Element).closest('.picker')) this.menu.hidden = true;
    });
    const zoom = h(
      'div',
      { class: 'segmented', role: 'group', 'aria-label': 'Zoom' },
      (['fit', 0.5, 1] as Zoom[]).map((z) => {
        const b = h('button', { onclick: () => store.set({ zoom: z }), onmousedown: (e: Event) => e.preventDefault() }, z === 'fit' ? 'Fit' : `${z * 100}%`);
        this.zoomButtons.set(z, b);
        return b;
      }),
    );
    const toggle = (label: string, path: string, key: 'guides' | 'checker') => {
      const b = h('button', { class: 'icon-button toggle', title: label, 'aria-label': label, onclick: () => store.set({ [key]: !store.state[key] }), onmousedown: (e: Event) => e.preventDefault() }, icon(path));
      store.subscribe((s) => (b.classList.toggle('on', s[key]), b.setAttribute('aria-pressed', String(s[key]))));
      return b;
    };
    this.el = h(
      'header',
      { class: 'topbar' },
      h('div', { class: 'brand' }, icon(ICONS.film, { size: 16 }), h('span', {}, 'framesmith')),
      h('div', { class: 'picker' }, this.pickerButton, this.menu),
      this.facts,
      h('div', { class: 'spacer' }),
      zoom,
      toggle('Safe-area guides', ICONS.safe, 'guides'),
      toggle('Checkerboard (shows transparency)', ICONS.checker, 'checker'),
      h('button', { class: 'icon-button', title: 'Keyboard shortcuts (?)', 'aria-label': 'Keyboard shortcuts', onclick: () => options.help() }, icon(ICONS.help)),
      this.status,
    );
    store.subscribe((s, changed) => {
      if (changed.has('zoom')) this.drawZoom();
    });
    this.drawZoom();
  }

  private drawZoom(): void {
    for (const [z, b] of this.zoomButtons) b.classList.toggle('on', z === this.options.store.state.zoom);
  }

  private toggleMenu(): void {
    this.menu.hidden = !this.menu.hidden;
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
        h('button', { class: `menu-item${e === entry ? ' current' : ''}`, role: 'menuitem', onclick: () => ((this.menu.hidden = true), this.options.chooseEntry(e)) }, e),
      ),
      subs.size ? h('div', { class: 'menu-title' }, `Used by ${entry}`) : null,
      [...subs].map(([src, starts]) =>
        h(
          'button',
          { class: 'menu-item sub', role: 'menuitem', title: `Jump to its first instance at ${starts[0].toFixed(2)}s`, onclick: () => ((this.menu.hidden = true), this.options.jump(starts[0])) },
          h('span', {}, `↳ ${src}`),
          h('span', { class: 'menu-meta' }, `${starts.length}×`),
        ),
      ),
    );
    if (!comp) return replaceChildren(this.facts);
    const aspect = aspectOf(comp.width, comp.height);
    const accepted = CLOUD_ASPECTS.includes(aspect);
    replaceChildren(
      this.facts,
      h('span', { class: 'chip', title: 'data-width × data-height' }, `${comp.width}×${comp.height}`),
      h(
        'span',
        { class: `chip${accepted ? '' : ' warn'}`, title: accepted ? 'An aspect ratio the cloud renders' : `The cloud renders 16:9, 9:16 and 1:1 only; ${aspect} would be refused` },
        accepted ? null : icon(ICONS.warn, { size: 12 }),
        accepted ? aspect : `${aspect} · not a cloud size`,
      ),
      h('span', { class: 'chip' }, `${comp.fps ?? 30} fps`),
      h('span', { class: 'chip' }, `${comp.duration}s`),
    );
  }
}
