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
 *
 * The watcher (chokidar) reports a file's change once per 50 ms: a write still going on when the
 * page fetched the stylesheet would never be reported. So after a stylesheet edit is sent at once,
 * the file is looked at again once that window has passed; if it differs from what the event saw,
 * it is reported again (the page swaps the finished file).
 */
import { promises as fs } from 'node:fs';
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
  /** Feed a watcher event (absolute path; the file's stats as the watcher saw them, when it gives them). */
  add(event: 'add' | 'change' | 'unlink', path: string, stats?: FileStamp): void;
  close(): void;
}

/** What tells two versions of a file apart. */
export interface FileStamp {
  mtimeMs: number;
  size: number;
}

/** After the watcher's 50 ms of silence per file (chokidar's change throttle), plus a margin. */
const RECHECK_MS = 60;

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
  /** Stylesheets sent at once: the stamp of their last reported version, until they are looked at again. */
  const sentAt = new Map<string, FileStamp>();
  const rechecks = new Set<NodeJS.Timeout>();
  let closed = false;

  /** Looks at a stylesheet sent at once again: a write that went on after its event is reported. */
  function recheck(path: string, rel: string): void {
    const t = setTimeout(() => {
      rechecks.delete(t);
      void fs.stat(path).then(
        (now) => {
          const seen = sentAt.get(rel);
          sentAt.delete(rel);
          if (closed || !seen) return;
          if (now.mtimeMs !== seen.mtimeMs || now.size !== seen.size) add('change', path, { mtimeMs: now.mtimeMs, size: now.size });
        },
        () => sentAt.delete(rel),
      );
    }, RECHECK_MS);
    rechecks.add(t);
  }

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

  function add(event: 'add' | 'change' | 'unlink', path: string, stats?: FileStamp): void {
    const inside = relativeInside(options.root, path);
    if (inside === null) return;
    const rel = inside.split(sep).join('/');
    if (isIgnoredRelative(rel) || INERT.test(rel)) return;
    const now = Date.now();
    const idle = !pending.size && now >= holdUntil;
    holdUntil = now + quiet;
    const css = rel.toLowerCase().endsWith('.css');
    // A later event of a stylesheet being watched is its newest version.
    if (css && stats && sentAt.has(rel)) sentAt.set(rel, { mtimeMs: stats.mtimeMs, size: stats.size });
    if (idle && event === 'change' && css) {
      options.onBatch({ kind: 'css', files: [rel] });
      if (stats && !sentAt.has(rel)) {
        sentAt.set(rel, { mtimeMs: stats.mtimeMs, size: stats.size });
        recheck(path, rel);
      }
      return;
    }
    if (!pending.size) firstAt = now;
    pending.set(rel, pending.get(rel) === 'add' && event === 'change' ? 'add' : event);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, now - firstAt >= maxWait ? 0 : quiet);
  }

  return {
    add,
    close() {
      closed = true;
      for (const t of rechecks) clearTimeout(t);
      rechecks.clear();
      if (timer) clearTimeout(timer);
      pending.clear();
    },
  };
}
