/**
 * Running a cloud batch within the account's limits: at most `concurrency` renders in flight
 * (default 10, the concurrent-job limit of pay-as-you-go accounts), the queued rows submitted as
 * others finish, a 429 answered by waiting for Retry-After (and lowering the limit to what the
 * account took), finished renders downloaded as they end. Every change is written to the batch
 * state (batch-state.ts) before the next step, so a run stopped anywhere resumes where it was.
 * Reports what happens through `onEvent`; it prints nothing itself.
 */
import { CancelledError, FramesmithError } from '../core/errors.js';
import { saveBatchState, type BatchRowState, type BatchState } from './batch-state.js';
import type { CloudClient } from './client.js';
import { downloadRenderOutputs } from './download.js';
import { CloudApiError } from './errors.js';
import { EXIT } from '../core/exit-codes.js';
import { isTerminal } from './poll.js';
import { backoffDelay, sleep } from './retry.js';
import type { CreateRenderRequest, ProjectInput, RenderDetail, RenderStatus } from './types.js';

/** The default number of renders in flight: HeyGen's limit for pay-as-you-go accounts. */
export const DEFAULT_CONCURRENCY = 10;
/** How long 429s may hold the batch without any render submitted or finished. */
const MAX_THROTTLED_MS = 15 * 60_000;

export type BatchRowPhase = 'waiting' | RenderStatus;

export type BatchEvent =
  | { type: 'resumed'; statePath: string; withRender: number; total: number }
  | { type: 'all-submitted'; statePath: string; total: number }
  | { type: 'submitted'; index: number; renderId: string }
  | { type: 'throttled'; waitMs: number; limit: number; inFlight: number }
  | { type: 'progress'; counts: Partial<Record<BatchRowPhase, number>>; total: number; elapsedMs: number }
  | { type: 'ended'; index: number; renderId: string; status: RenderStatus; failureMessage: string | null }
  | { type: 'downloaded'; index: number; renderId: string; path: string };

export interface BatchRow {
  index: number;
  body: Omit<CreateRenderRequest, 'project'>;
  state: BatchRowState;
  detail: RenderDetail | null;
  videoPath: string | null;
  thumbnailPath: string | null;
}

export interface RunBatchOptions {
  client: CloudClient;
  rows: BatchRow[];
  /** The project input, made on first need (a resumed batch whose rows all have renders uploads nothing). */
  project(): Promise<ProjectInput>;
  state: BatchState;
  statePath: string;
  concurrency: number;
  /** false: return once every row is submitted (`--no-wait`). */
  wait: boolean;
  download: boolean;
  pollInterval: number;
  /** ms a render may stay unfinished before the wait stops (exit 8; the batch resumes). */
  timeout: number;
  /** Where a row's video goes, once its render id and format are known. */
  outputPath(row: BatchRow, detail: RenderDetail): string;
  /** The video path as stored in the state (relative to its folder). */
  storedPath(path: string): string;
  signal?: AbortSignal;
  onEvent?(event: BatchEvent): void;
  logger?: import('../core/logger.js').Logger;
}

const phaseOf = (row: BatchRow): BatchRowPhase => (row.state.render_id ? ((row.state.status as RenderStatus) ?? 'queued') : 'waiting');

/** Runs the batch to its end (or until every row is submitted, without `wait`). */
export async function runBatch(o: RunBatchOptions): Promise<void> {
  const started = Date.now();
  const save = () => saveBatchState(o.statePath, o.state);
  const queue = o.rows.filter((r) => !r.state.render_id);
  const inFlight = o.rows.filter((r) => r.state.render_id && !isTerminal({ status: r.state.status as RenderStatus }));
  const toDownload = o.download ? o.rows.filter((r) => r.state.render_id && r.state.status === 'completed' && !r.state.video) : [];
  const followedSince = new Map<BatchRow, number>(inFlight.map((r) => [r, Date.now()]));
  let limit = Math.max(1, o.concurrency);
  let pausedUntil = 0;
  let throttledSince: number | null = null;
  let project: ProjectInput | null = null;
  let lastPoll = 0;

  const progress = () => {
    const counts: Partial<Record<BatchRowPhase, number>> = {};
    for (const r of o.rows) counts[phaseOf(r)] = (counts[phaseOf(r)] ?? 0) + 1;
    o.onEvent?.({ type: 'progress', counts, total: o.rows.length, elapsedMs: Date.now() - started });
  };
  const check = () => {
    if (o.signal?.aborted) throw new CancelledError();
  };

  progress();
  for (;;) {
    check();
    // 1. Submit while there are free slots (and no 429 to wait out).
    while (queue.length && inFlight.length < limit && Date.now() >= pausedUntil) {
      check();
      project ??= await o.project();
      const row = queue[0];
      let created;
      try {
        // Not aborted by the signal: once sent, the id must come back so the state can record it.
        created = await o.client.renders.create({ project, ...row.body }, { idempotencyKey: row.state.key, rateLimitToCaller: true });
      } catch (error) {
        if (!(error instanceof CloudApiError && error.status === 429)) throw error;
        // The account's limit (or the request rate) is reached: wait, and never run more than it took.
        const now = Date.now();
        throttledSince ??= now;
        if (now - throttledSince > MAX_THROTTLED_MS) throw error;
        const wait = error.retryAfterMs ?? backoffDelay(3, o.client.http.retry);
        if (inFlight.length) limit = Math.max(1, Math.min(limit, inFlight.length));
        pausedUntil = now + Math.max(250, wait);
        o.onEvent?.({ type: 'throttled', waitMs: Math.max(250, wait), limit, inFlight: inFlight.length });
        break;
      }
      throttledSince = null;
      queue.shift();
      row.state.render_id = created.render_id;
      row.state.status = created.status;
      inFlight.push(row);
      followedSince.set(row, Date.now());
      await save();
      o.onEvent?.({ type: 'submitted', index: row.index, renderId: created.render_id });
      progress();
    }

    // 2. Download what has finished (after submitting, so the freed slots are not left idle).
    while (toDownload.length) {
      check();
      const row = toDownload[0];
      const detail = row.detail ?? (await o.client.renders.get(row.state.render_id!, { signal: o.signal }));
      const target = o.outputPath(row, detail);
      const got = await downloadRenderOutputs(detail, { outPath: target, client: o.client, signal: o.signal, logger: o.logger });
      toDownload.shift();
      row.videoPath = got.videoPath;
      row.thumbnailPath = got.thumbnailPath;
      row.state.video = o.storedPath(got.videoPath);
      await save();
      o.onEvent?.({ type: 'downloaded', index: row.index, renderId: row.state.render_id!, path: got.videoPath });
    }

    if (!queue.length && !inFlight.length) return;
    if (!o.wait && !queue.length) return;

    // 3. Sleep until the next poll, or until the 429 wait is over when rows are waiting for a slot.
    const nextPoll = lastPoll + o.pollInterval;
    const wakeForSlot = queue.length && inFlight.length < limit ? pausedUntil : Infinity;
    const wake = Math.min(nextPoll, wakeForSlot);
    if (wake > Date.now()) await sleep(wake - Date.now(), o.signal);
    if (Date.now() < lastPoll + o.pollInterval) continue;

    // 4. Poll every render in flight once.
    lastPoll = Date.now();
    for (const row of [...inFlight]) {
      check();
      let detail: RenderDetail;
      try {
        detail = await o.client.renders.get(row.state.render_id!, { signal: o.signal });
      } catch (error) {
        if (!(error instanceof CloudApiError && error.status === 404)) throw error;
        detail = {
          ...(row.detail ?? ({} as RenderDetail)),
          render_id: row.state.render_id!,
          status: 'failed',
          failure_message: 'The render no longer exists on the account (deleted).',
        } as RenderDetail;
      }
      row.state.status = detail.status;
      if (!isTerminal(detail)) {
        if (Date.now() - (followedSince.get(row) ?? started) > o.timeout) {
          await save();
          throw new FramesmithError(
            'cloud_wait_timeout',
            `Render ${row.state.render_id} (row ${row.index}) is still ${detail.status} after ${Math.round((Date.now() - (followedSince.get(row) ?? started)) / 1000)} s; stopped waiting.`,
            {
              hint: `The renders keep going in the cloud. Run the same command again to resume the batch (state: ${o.statePath}), or raise --timeout.`,
              exitCode: EXIT.timeout,
            },
          );
        }
        continue;
      }
      inFlight.splice(inFlight.indexOf(row), 1);
      throttledSince = null;
      row.detail = detail;
      row.state.failure = detail.failure_message;
      await save();
      o.onEvent?.({
        type: 'ended',
        index: row.index,
        renderId: row.state.render_id!,
        status: detail.status,
        failureMessage: detail.failure_message,
      });
      if (detail.status === 'completed' && o.download) toDownload.push(row);
    }
    progress();
  }
}
