/**
 * Turns the watcher's file events into batches the preview acts on: events that arrive close
 * together (an editor saving several files, a formatter rewriting them) become one batch, so the
 * iframe reloads once. A batch of stylesheet edits only is `css` (swapped in place); anything
 * else is `reload`.
 *
 * A stylesheet edit that arrives when nothing has happened for a quiet window is sent at once, on
 * its own: waiting the quiet window for companions costs every CSS save its whole length, and a
 * swap is cheap to repeat. Events that follow it within the quiet window form the next batch (so
 * a "save all" swaps once more, or reloads once).
 */
import { sep } from 'node:path';
import { relativeInside } from '../core/inside.js';
import { isIgnoredRelative } from './watch-filter.js';

export interface ChangeBatch {
  kind: 'css' | 'reload';
  /** Project-relative paths, forward slashes, sorted. */
  files: string[];
}

export interface ChangeBatcherOptions {
  root: string;
  onBatch(batch: ChangeBatch): void;
  /** Quiet time that closes a batch (ms). */
  quietMs?: number;
  /** A batch closes after this long even while events keep coming (ms). */
  maxWaitMs?: number;
}

export interface ChangeBatcher {
  /** Feed a watcher event (absolute path). */
  add(event: 'add' | 'change' | 'unlink', path: string): void;
  close(): void;
}

/** Files whose edits never change a frame (notes, the project's own README). */
const INERT = /\.(md|markdown)$/i;

export function createChangeBatcher(options: ChangeBatcherOptions): ChangeBatcher {
  // Editors write the files of one "save all" within a few ms of each other.
  const quiet = options.quietMs ?? 12;
  const maxWait = options.maxWaitMs ?? 120;
  let pending = new Map<string, 'add' | 'change' | 'unlink'>();
  let timer: NodeJS.Timeout | undefined;
  let firstAt = 0;
  /** Until when events join a batch instead of leading one (the quiet window after the last event). */
  let holdUntil = 0;

  function flush(): void {
    timer = undefined;
    if (!pending.size) return;
    const events = pending;
    pending = new Map();
    const files = [...events.keys()].sort();
    // A stylesheet that appeared or vanished changes which rules exist: only edits swap cleanly.
    const cssOnly = [...events].every(([file, ev]) => file.toLowerCase().endsWith('.css') && ev !== 'unlink');
    options.onBatch({ kind: cssOnly ? 'css' : 'reload', files });
  }

  return {
    add(event, path) {
      const inside = relativeInside(options.root, path);
      if (inside === null) return;
      const rel = inside.split(sep).join('/');
      if (isIgnoredRelative(rel) || INERT.test(rel)) return;
      const now = Date.now();
      const idle = !pending.size && now >= holdUntil;
      holdUntil = now + quiet;
      if (idle && event === 'change' && rel.toLowerCase().endsWith('.css')) {
        options.onBatch({ kind: 'css', files: [rel] });
        return;
      }
      if (!pending.size) firstAt = now;
      pending.set(rel, pending.get(rel) === 'add' && event === 'change' ? 'add' : event);
      if (timer) clearTimeout(timer);
      timer = setTimeout(flush, now - firstAt >= maxWait ? 0 : quiet);
    },
    close() {
      if (timer) clearTimeout(timer);
      pending.clear();
    },
  };
}
