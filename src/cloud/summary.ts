/**
 * The table printed at the end of a batch: one line per row with its render id, status and file
 * (or why it failed), then totals. Plain text so it reads the same in a terminal and in CI logs.
 */
import { relative } from 'node:path';
import type { Logger } from '../core/logger.js';
import { formatTable } from '../core/table.js';
import { formatElapsed } from './poll.js';

export interface SummaryRow {
  renderId: string;
  status: string;
  videoPath: string | null;
  failureMessage: string | null;
}

/** Prints the batch summary through the logger (info level). */
export function printBatchSummary(logger: Logger, outcomes: SummaryRow[], elapsedMs: number, cwd = process.cwd()): void {
  const rows = outcomes.map((o, i) => [
    String(i + 1),
    o.renderId,
    o.status,
    o.videoPath ? relative(cwd, o.videoPath) : (o.failureMessage ?? ''),
  ]);
  for (const line of formatTable(['#', 'render', 'status', 'output'], rows)) logger.info(line);
  const done = outcomes.filter((o) => o.status === 'completed').length;
  logger.info(`${done}/${outcomes.length} completed in ${formatElapsed(elapsedMs)}`);
}
