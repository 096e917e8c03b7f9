/** The `?` dialog listing the keyboard shortcuts, and the small toasts for confirmations. */
import { h, icon, ICONS } from './dom';
import { SHORTCUTS } from './keyboard';

export class HelpDialog {
  readonly el: HTMLElement;

  constructor() {
    this.el = h(
      'div',
      { class: 'modal-backdrop', hidden: true, onclick: (e: Event) => e.target === this.el && this.close() },
      h(
        'div',
        { class: 'modal', role: 'dialog', 'aria-label': 'Keyboard shortcuts' },
        h(
          'header',
          {},
          h('h2', {}, 'Keyboard shortcuts'),
          h('button', { class: 'icon-button', title: 'Close (Esc)', onclick: () => this.close() }, icon(ICONS.close)),
        ),
        h(
          'dl',
          { class: 'shortcuts' },
          SHORTCUTS.flatMap((s) => [
            h(
              'dt',
              {},
              s.keys.split(' ').map((k) => (/^[/+]$/.test(k) ? ` ${k} ` : h('kbd', {}, k))),
            ),
            h('dd', {}, s.what),
          ]),
        ),
        h(
          'p',
          { class: 'modal-note' },
          'Shortcuts work wherever the focus is, also inside the preview, except in text fields. Drag on the timeline to scrub; double-click a clip or tween to make it the in/out range; Ctrl/⌘+wheel zooms the timeline.',
        ),
      ),
    );
  }

  get open(): boolean {
    return !this.el.hidden;
  }

  toggle(): void {
    this.el.hidden = !this.el.hidden;
  }

  close(): void {
    this.el.hidden = true;
  }
}

export class Toasts {
  readonly el = h('div', { class: 'toasts', 'aria-live': 'polite' });

  show(message: string, ms = 2600): void {
    const t = h('div', { class: 'toast' }, message);
    this.el.append(t);
    setTimeout(() => t.classList.add('leaving'), ms);
    setTimeout(() => t.remove(), ms + 300);
  }
}
