/**
 * The render panel's questions: a modal with a title, a few lines and buttons, answered once
 * (Esc or a click outside cancels). Used for the cloud's cost summary and for output names that
 * are taken.
 */
import { h } from './dom';

export interface Choice<T> {
  label: string;
  value: T;
  primary?: boolean;
  testid?: string;
}

/** Shows the question; resolves with the chosen value, or null when dismissed. */
export function ask<T>(title: string, body: (Node | string | null)[], choices: Choice<T>[]): Promise<T | null> {
  return new Promise((resolve) => {
    const done = (value: T | null) => {
      backdrop.remove();
      document.removeEventListener('keydown', onKey, true);
      resolve(value);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        done(null);
      }
    };
    const buttons = choices.map((c) =>
      h('button', { class: `text-button${c.primary ? ' primary' : ''}`, 'data-testid': c.testid, onclick: () => done(c.value) }, c.label),
    );
    const backdrop = h(
      'div',
      { class: 'modal-backdrop studio-ask', onclick: (e: Event) => e.target === backdrop && done(null) },
      h(
        'div',
        { class: 'modal', role: 'alertdialog', 'aria-label': title },
        h('header', {}, h('h2', {}, title)),
        h('div', { class: 'ask-body' }, body),
        h('footer', { class: 'ask-buttons' }, h('button', { class: 'text-button', onclick: () => done(null) }, 'Cancel'), buttons),
      ),
    );
    document.addEventListener('keydown', onKey, true);
    document.body.append(backdrop);
    (buttons.find((_, i) => choices[i].primary) ?? buttons[0])?.focus();
  });
}
