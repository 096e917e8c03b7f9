/**
 * The line shown while renders are followed: `rendering · 01:12` for one render,
 * `3 renders: 1 queued, 2 rendering · 00:40` for a batch. On a terminal it redraws in place; in
 * logs and CI it prints a line when a status changes and otherwise at most every 30 s.
 */
import { relative } from 'node:path';
import type { Logger } from '../core/logger.js';
import { formatElapsed } from './poll.js';
import type { RenderStatus } from './types.js';

export interface StatusLine {
  update(renderId: string, status: RenderStatus, elapsedMs: number): void;
  /** Clears the in-place line (before other output or at the end). */
  end(): void;
}

const ORDER: RenderStatus[] = ['queued', 'rendering', 'completed', 'failed'];

/** Creates the status display for `renderIds`. Prints nothing when the logger is quiet or JSON. */
export function createStatusLine(logger: Logger, renderIds: string[], stream: NodeJS.WriteStream = process.stderr): StatusLine {
  const statuses = new Map<string, RenderStatus>(renderIds.map((id) => [id, 'queued']));
  const quiet = logger.json || logger.level === 'silent' || logger.level === 'error' || logger.level === 'warn';
  let lastText = '';
  let lastPrinted = 0;
  let drawn = false;
  const text = (elapsedMs: number) => {
    if (renderIds.length === 1) return `${renderIds[0]} ${statuses.get(renderIds[0])} · ${formatElapsed(elapsedMs)}`;
    const counts = ORDER.map((s) => [s, [...statuses.values()].filter((v) => v === s).length] as const).filter(([, n]) => n > 0);
    return `${renderIds.length} renders: ${counts.map(([s, n]) => `${n} ${s}`).join(', ')} · ${formatElapsed(elapsedMs)}`;
  };
  return {
    update(renderId, status, elapsedMs) {
      if (quiet) return;
      statuses.set(renderId, status);
      const line = text(elapsedMs);
      if (logger.interactive) {
        stream.write(`\r\u001b[K${line}`);
        drawn = true;
        return;
      }
      const statusPart = line.replace(/ · [\d:]+$/, '');
      if (statusPart !== lastText || Date.now() - lastPrinted >= 30_000) {
        logger.info(line);
        lastText = statusPart;
        lastPrinted = Date.now();
      }
    },
    end() {
      if (drawn) stream.write('\r\u001b[K');
      drawn = false;
    },
  };
}

const PHASES = ['waiting', 'queued', 'rendering', 'completed', 'failed'] as const;

/**
 * The display of a cloud batch (BatchEvent from batch-run.ts): one status line with how many rows
 * wait, render and ended, redrawn in place on a terminal and printed on change in logs; a line per
 * submitted render; a note when HeyGen answers 429 and the batch waits for a free slot.
 */
export function createBatchPrinter(
  logger: Logger,
  stream: NodeJS.WriteStream = process.stderr,
): { onEvent(e: import('./batch-run.js').BatchEvent): void; end(): void } {
  const quiet = logger.json || logger.level === 'silent' || logger.level === 'error' || logger.level === 'warn';
  let drawn = false;
  let lastText = '';
  let lastPrinted = 0;
  let lastLimit: number | null = null;
  const clear = () => {
    if (drawn) stream.write('\r\u001b[K');
    drawn = false;
  };
  return {
    onEvent(e) {
      if (quiet) return;
      const shown = (p: string) => relative(process.cwd(), p) || p;
      if (e.type === 'resumed') {
        clear();
        logger.info(`Resuming the batch in ${shown(e.statePath)}: ${e.withRender} of ${e.total} rows already have a render`);
      } else if (e.type === 'all-submitted') {
        clear();
        logger.info(
          `All ${e.total} rows are submitted; run the same command again to follow and download them (state: ${shown(e.statePath)}).`,
        );
      } else if (e.type === 'submitted') {
        clear();
        logger.info(`Submitted render ${e.renderId} (row ${e.index})`);
      } else if (e.type === 'throttled') {
        if (e.limit === lastLimit) return;
        lastLimit = e.limit;
        clear();
        logger.info(
          `HeyGen answered 429 (too many renders at once): ${e.inFlight ? `at most ${e.limit} in flight from now on; ` : ''}the next row waits ${(e.waitMs / 1000).toFixed(1)} s`,
        );
      } else if (e.type === 'progress') {
        const parts = PHASES.filter((p) => e.counts[p]).map((p) => `${e.counts[p]} ${p}`);
        const line = `${e.total} renders: ${parts.join(', ')} · ${formatElapsed(e.elapsedMs)}`;
        if (logger.interactive) {
          stream.write(`\r\u001b[K${line}`);
          drawn = true;
          return;
        }
        const statusPart = parts.join(', ');
        if (statusPart !== lastText || Date.now() - lastPrinted >= 30_000) {
          logger.info(line);
          lastText = statusPart;
          lastPrinted = Date.now();
        }
      }
    },
    end: clear,
  };
}
