/**
 * What the preview page draws for one entry: the composition model, the parser's and lint's
 * findings, the list of entries. Computed on demand per entry and kept until the next change;
 * a project that cannot be read at all (no entry, no root) gives a state with `fatal` set, so
 * the page shows the error and recovers when the file is fixed.
 */
import { isFramesmithError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import type { DevState } from '../../shared/dev-protocol.js';

/** The parser and lint are loaded on first use, so they do not slow the server's start. */
const load = () => Promise.all([import('../model/index.js'), import('../lint/index.js')]);

export interface StateStore {
  /** State of `composition` at the current generation. */
  get(composition: string): Promise<DevState>;
  /** Forgets cached states: files changed. Returns the new generation. */
  invalidate(): number;
  readonly generation: number;
  /** Starts loading the parser and lint in the background. */
  warm(): void;
}

export function createStateStore(root: string, logger: Logger): StateStore {
  let generation = 0;
  const cache = new Map<string, Promise<DevState>>();

  async function compute(composition: string, gen: number): Promise<DevState> {
    const [{ parseProject, listEntries }, { lintParsed }] = await load();
    try {
      const parsed = await parseProject(root, { composition });
      let problems: Diagnostic[];
      try {
        problems = lintParsed(parsed).diagnostics;
      } catch (error) {
        // A lint bug must not take the preview down: show the parser's findings only.
        logger.debug(`lint failed: ${(error as Error).stack ?? error}`);
        problems = parsed.model.diagnostics;
      }
      return {
        composition: parsed.model.entry,
        entries: parsed.model.entries,
        model: parsed.model,
        problems,
        fatal: null,
        generation: gen,
      };
    } catch (error) {
      if (!isFramesmithError(error)) throw error;
      const entries = await listEntries(root).catch(() => []);
      return { composition, entries, model: null, problems: [], fatal: error.toJSON(), generation: gen };
    }
  }

  return {
    get generation() {
      return generation;
    },
    get(composition) {
      let state = cache.get(composition);
      if (!state) {
        state = compute(composition, generation);
        cache.set(composition, state);
        state.catch(() => cache.delete(composition));
      }
      return state;
    },
    invalidate() {
      cache.clear();
      return ++generation;
    },
    warm() {
      load().catch(() => {});
    },
  };
}
