/**
 * The preview's keyboard shortcuts. They work wherever the focus is (buttons, sliders, inside the
 * composition iframe: `bindKeys` is called on the iframe's window after every load) except in
 * text fields, where keys type.
 */
import type { Actions } from './actions';

export interface KeyHandlers {
  actions: Actions;
  help(): void;
  escape(): void;
  fullscreen(): void;
  mute(): void;
  /** Zoom the picture in (+1), out (-1) or fit it (0). */
  zoom(step: 1 | -1 | 0): void;
}

export interface Shortcut {
  keys: string;
  what: string;
}

/** The list the help dialog shows. */
export const SHORTCUTS: Shortcut[] = [
  { keys: 'Space', what: 'Play / pause' },
  { keys: '← / →', what: 'Previous / next frame' },
  { keys: 'Shift + ← / →', what: 'Back / forward 10 frames' },
  { keys: 'Home / End', what: 'Start / end (of the in/out range first)' },
  { keys: 'J / K / L', what: 'Play backward / stop / play forward (press again: faster)' },
  { keys: 'I / O', what: 'Set in / out point at the current frame' },
  { keys: 'Shift + L', what: 'Loop on / off' },
  { keys: 'M', what: 'Sound on / off' },
  { keys: 'F', what: 'Fullscreen picture (Esc leaves)' },
  { keys: '= / - / 0', what: 'Zoom the picture in (= or +) / out / fit' },
  { keys: '?', what: 'Show this list' },
  { keys: 'Esc', what: 'Close dialogs and the error panel' },
];

const TEXT_INPUTS = new Set(['text', 'search', 'url', 'email', 'password', 'number', 'tel']);

/** Whether the key should type into the focused element rather than run a shortcut. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  if (el.isContentEditable) return true;
  if (el.tagName === 'TEXTAREA') return true;
  if (el.tagName === 'INPUT') return TEXT_INPUTS.has((el as HTMLInputElement).type);
  return false;
}

function handle(event: KeyboardEvent, h: KeyHandlers): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey) return false;
  const a = h.actions;
  const key = event.key;
  if (key === 'Escape') {
    // Leaving a text field first (it restores what it showed when it loses the focus).
    if (isTyping(event.target)) (event.target as HTMLElement).blur();
    else h.escape();
    return true;
  }
  if (isTyping(event.target)) return false;
  const big = event.shiftKey ? 10 : 1;
  switch (key) {
    case ' ':
      a.togglePlay();
      return true;
    case 'ArrowLeft':
      a.step(-big);
      return true;
    case 'ArrowRight':
      a.step(big);
      return true;
    case 'Home':
      a.toStart();
      return true;
    case 'End':
      a.toEnd();
      return true;
    case 'j':
    case 'J':
      a.shuttle('reverse');
      return true;
    case 'k':
    case 'K':
      a.shuttle('stop');
      return true;
    case 'l':
    case 'L':
      if (event.shiftKey) a.toggleLoop();
      else a.shuttle('forward');
      return true;
    case 'i':
    case 'I':
      a.setIn();
      return true;
    case 'o':
    case 'O':
      a.setOut();
      return true;
    case '?':
      h.help();
      return true;
    case 'f':
    case 'F':
      h.fullscreen();
      return true;
    case 'm':
    case 'M':
      h.mute();
      return true;
    case '+':
    case '=':
      h.zoom(1);
      return true;
    case '-':
      h.zoom(-1);
      return true;
    case '0':
      h.zoom(0);
      return true;
  }
  return false;
}

/** Listens for shortcuts on `win` (the preview page, or the composition iframe's window). */
export function bindKeys(win: Window, handlers: KeyHandlers): void {
  win.addEventListener(
    'keydown',
    (event) => {
      if (handle(event, handlers)) {
        // Space would also click a focused button or scroll; arrows would move a slider.
        event.preventDefault();
        event.stopPropagation();
      }
    },
    true,
  );
  // A focused button clicks on Space's keyup; the keydown already played or paused.
  win.addEventListener(
    'keyup',
    (event) => {
      if (event.key === ' ' && !isTyping(event.target)) event.preventDefault();
    },
    true,
  );
}
