/**
 * What happens after a batch of file changes: every page is told at once (so CSS swaps and
 * reloads start without delay), then the project is read and linted again and the new state is
 * sent to the pages showing each entry and printed in the terminal. Reading and linting takes
 * the server's thread for tens of ms, so it waits until a page reports the change painted (or a
 * short while), rather than delaying the page's reload requests.
 */
import type { Logger } from '../core/logger.js';
import type { ChangeBatch } from './changes.js';
import type { Channel } from './channel.js';
import type { StateStore } from './project-state.js';
import type { Reporter } from './report.js';

export interface HotUpdatesOptions {
  store: StateStore;
  channel: Channel;
  reporter: Reporter;
  logger: Logger;
  /** The entry the server was started with (its problems are printed even with no page open). */
  composition: string;
}

/** Longest wait for a page to report a change painted before linting anyway. */
const PAGE_WAIT_MS = 600;

export function createHotUpdates({ store, channel, reporter, logger, composition }: HotUpdatesOptions) {
  /** The batch waiting for a page to paint it: its generation and how to wake it. */
  let waiting: { generation: number; wake(): void } | undefined;

  async function onBatch(batch: ChangeBatch): Promise<void> {
    const generation = store.invalidate();
    logger.debug(`changed (${batch.kind}): ${batch.files.join(', ')}`);
    channel.broadcast({ type: 'change', kind: batch.kind, files: batch.files, generation });
    if (channel.clients.size) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, PAGE_WAIT_MS);
        waiting = { generation, wake: () => (clearTimeout(timer), resolve()) };
      });
      if (waiting?.generation === generation) waiting = undefined;
      if (store.generation !== generation) return;
    }
    const shown = new Set([composition, ...[...channel.clients].map((c) => c.composition).filter((c): c is string => Boolean(c))]);
    for (const entry of shown) {
      const state = await store.get(entry);
      if (state.generation !== store.generation) return; // a newer batch is on its way
      reporter.state(state);
      channel.broadcast({ type: 'state', state }, (c) => c.composition === entry);
    }
  }

  return {
    onBatch,
    /** A page says it has painted the change of `generation` (an earlier one does not wake a later batch). */
    pageUpdated: (generation: number) => {
      if (waiting && generation >= waiting.generation) waiting.wake();
    },
  };
}
