/**
 * `renderBatch()`: one video per row of variable values (a JSON array of objects, or a CSV with a
 * header row), named by a pattern such as `renders/{headline}.mp4`. One session serves all rows,
 * so the project is read and the browsers start once. A failed row is reported and the others
 * go on (`failFast` stops at the first failure); Ctrl+C stops the whole batch.
 */
import { join } from 'node:path';
import { expandNamePattern, loadBatchRows } from '../options/batch-rows.js';
import { CancelledError, FramesmithError, isFramesmithError } from '../core/errors.js';
import { collectWarnings, silentLogger } from '../core/logger.js';
import type { Diagnostic, ProblemData } from '../../shared/diagnostics.js';
import type { VariableValues } from '../../shared/variables.js';
import type { RenderOptions } from './options.js';
import { resolveVideoPath } from './output-path.js';
import { FORMAT_FACTS } from './presets.js';
import { runRenderJob } from './render-job.js';
import { RowFrames } from './row-frames.js';
import { openRenderSession } from './render-session.js';
import type { RenderResult } from './result.js';
import { EXIT } from '../core/exit-codes.js';

export interface BatchOptions extends RenderOptions {
  /** Rows given directly, or read from `file` (.json or .csv). */
  rows?: VariableValues[];
  file?: string;
  /** Output names: `{variable}`, `{index}` (1-based) and `{format}` are replaced. */
  pattern?: string;
  /** Stop at the first failed row. */
  failFast?: boolean;
}

export interface BatchRowOutcome {
  /** 1-based row number. */
  index: number;
  variables: VariableValues;
  output: string;
  status: 'rendered' | 'failed' | 'skipped';
  result?: RenderResult;
  error?: ProblemData;
  /** This row's warnings, each starting with `row <index>: ` (also for a row that failed). */
  warnings: Diagnostic[];
}

export interface BatchResult {
  ok: boolean;
  total: number;
  rendered: number;
  failed: number;
  rows: BatchRowOutcome[];
  /** Every warning of the batch in order: the project's, then each row's (prefixed with its row). */
  warnings: Diagnostic[];
  wallMs: number;
}

/** Output paths for every row; refuses two rows that would write the same file. */
export async function batchOutputs(
  rows: VariableValues[],
  pattern: string,
  root: string,
  format: keyof typeof FORMAT_FACTS,
  name: string,
): Promise<string[]> {
  if (/\{render_id\}/.test(pattern)) {
    throw new FramesmithError('batch_pattern_invalid', `The pattern "${pattern}" uses {render_id}, which only cloud renders have.`, {
      hint: 'Use {index} or variable ids, e.g. "renders/{index}-{headline}.mp4".',
      exitCode: EXIT.usage,
    });
  }
  const outs: string[] = [];
  for (const [i, row] of rows.entries()) {
    const expanded = expandNamePattern(pattern, row, { index: i + 1, format });
    outs.push(await resolveVideoPath(root, expanded, format, name));
  }
  const seen = new Map<string, number>();
  for (const [i, out] of outs.entries()) {
    const before = seen.get(out);
    if (before !== undefined) {
      throw new FramesmithError('batch_name_collision', `Rows ${before + 1} and ${i + 1} would both write ${out}.`, {
        hint: 'Put a variable that differs per row, or {index}, in --out-pattern.',
        exitCode: EXIT.usage,
      });
    }
    seen.set(out, i);
  }
  return outs;
}

/** Renders every row. Resolves with the outcome of each row; throws only for problems before the first row or on cancel. */
export async function renderBatch(options: BatchOptions): Promise<BatchResult> {
  const started = performance.now();
  const logger = collectWarnings(options.logger ?? silentLogger);
  const session = await openRenderSession({ ...options, logger });
  try {
    const rows = options.rows ?? (options.file ? await loadBatchRows(options.file, session.model.composition.variables) : []);
    if (!rows.length)
      throw new FramesmithError('batch_file_invalid', 'The batch has no rows.', {
        hint: 'Give a JSON array of objects or a CSV with a header row and one line per video.',
        exitCode: EXIT.usage,
      });
    const ext = FORMAT_FACTS[session.params.format].extension;
    const pattern = options.pattern ?? join(session.model.root, 'renders', `${session.name}-{index}${ext}`);
    const outputs = await batchOutputs(rows, pattern, session.model.root, session.params.format, session.name);
    const outcomes: BatchRowOutcome[] = rows.map((row, i) => ({
      index: i + 1,
      variables: { ...options.variables, ...row },
      output: outputs[i],
      status: 'skipped',
      warnings: [],
    }));
    // Rows overlap by one: the next row's pages open and capture while this row's ffmpeg
    // finishes. A failure that ends the batch stops the rows after it: --fail-fast lets the row
    // before the failed one finish (it did not fail; the docs promise the rest are skipped), a
    // full disk stops every row in flight (each would fail the same way, and none may look done).
    const stops = new Map<number, AbortController>();
    let stopped = false;
    const stopFrom = (index: number, reason: CancelledError) => {
      stopped = true;
      for (const [i, c] of stops) if (i >= index) c.abort(reason);
    };
    // Frames the rows show alike are drawn once, by the first row (row-frames.ts).
    const rowFrames = outcomes.length > 1 ? new RowFrames() : null;
    let cancelled = null as unknown;
    let diskFull = null as BatchRowOutcome | null;
    let previous: Promise<void> = Promise.resolve();
    for (const outcome of outcomes) {
      if (stopped || cancelled) break;
      const stop = new AbortController();
      stops.set(outcome.index, stop);
      const label = `Row ${outcome.index}/${rows.length}`;
      // The row's warnings say which row they are about, and pass on to the batch's list.
      const rowLogger = collectWarnings(logger, `row ${outcome.index}: `);
      outcome.warnings = rowLogger.warnings;
      let markCaptured: () => void = () => {};
      const captured = new Promise<void>((resolve) => (markCaptured = resolve));
      const job = runRenderJob(session, {
        video: outcome.output,
        variables: outcome.variables,
        thumbnail: options.thumbnail !== false,
        bootKey: `row-${outcome.index}`,
        label,
        logger: rowLogger,
        onCaptured: markCaptured,
        signal: stop.signal,
        rows: rowFrames ? { frames: rowFrames, role: outcome.index === 1 ? 'record' : 'share' } : undefined,
      }).then(
        (result) => {
          outcome.result = result;
          outcome.status = 'rendered';
        },
        (error: unknown) => {
          if (error instanceof CancelledError || options.signal?.aborted) {
            // Stopped because another row ended the batch: not rendered, not a failure of its own.
            if (stop.signal.aborted && !options.signal?.aborted) return;
            cancelled ??= error;
            return;
          }
          outcome.status = 'failed';
          outcome.error = isFramesmithError(error) ? error.toJSON() : { code: 'internal', message: String(error) };
          logger.error(`${label} failed: ${outcome.error.message}`);
          if (outcome.error.code === 'disk_full') {
            // Every further row would fail the same way: stop, keep what is finished.
            diskFull ??= outcome;
            stopFrom(0, new CancelledError('The batch stopped: the disk is full.'));
          } else if (options.failFast)
            stopFrom(outcome.index + 1, new CancelledError('The batch stopped at the first failed row (--fail-fast).'));
        },
      );
      // The next row may start once this one has captured every frame (or ended), and the row
      // before it has ended: at most two rows at a time.
      await Promise.race([captured, job]);
      await previous;
      previous = job;
    }
    await previous;
    if (cancelled) throw cancelled;
    if (diskFull) {
      const kept = outcomes.filter((o) => o.status === 'rendered').length;
      const skipped = outcomes.filter((o) => o.status === 'skipped').length;
      logger.error(
        `Stopped the batch: the disk is full. Row ${diskFull.index} (${diskFull.output}) was not written and left nothing behind; ${kept} finished row${kept === 1 ? '' : 's'} kept, ${skipped} not rendered.`,
      );
    }
    const rendered = outcomes.filter((o) => o.status === 'rendered').length;
    const failed = outcomes.filter((o) => o.status === 'failed').length;
    return {
      ok: failed === 0 && rendered === rows.length,
      total: rows.length,
      rendered,
      failed,
      rows: outcomes,
      warnings: logger.warnings,
      wallMs: Math.round(performance.now() - started),
    };
  } finally {
    await session.dispose();
  }
}
