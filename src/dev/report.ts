/**
 * The terminal's side of the preview: the same problems the page shows, printed through the
 * logger in the CLI's format (`file:line:col: message [code]` and a hint). Each problem is
 * printed once until it goes away; when the last error of a kind is fixed, one line says so.
 */
import type { Logger } from '../core/logger.js';
import { problemSeverity, type RuntimeProblem } from '../../shared/control.js';
import type { Diagnostic, ProblemData } from '../../shared/diagnostics.js';
import type { DevState } from '../../shared/dev-protocol.js';

const key = (p: ProblemData) => `${p.code}|${p.message}|${p.loc?.file}:${p.loc?.line}:${p.loc?.column}`;

export interface Reporter {
  /** Prints what is new in a state (parser and lint findings, or the fatal error). */
  state(state: DevState): void;
  /** Prints new runtime problems reported by a page. */
  runtime(composition: string, problems: RuntimeProblem[]): void;
}

export function createReporter(logger: Logger): Reporter {
  const printedState = new Map<string, Set<string>>();
  const printedRuntime = new Map<string, Set<string>>();

  function printNew(seen: Set<string>, list: Diagnostic[]): Set<string> {
    const now = new Set<string>();
    for (const d of list) {
      const k = key(d);
      now.add(k);
      if (!seen.has(k)) logger.diagnostic(d);
    }
    return now;
  }

  return {
    state(state) {
      const before = printedState.get(state.composition) ?? new Set<string>();
      const visible = state.fatal
        ? [{ ...state.fatal, severity: 'error' as const }]
        : state.problems.filter((d) => d.severity !== 'info' || logger.level === 'debug');
      const now = printNew(before, visible);
      const hadErrors = before.size > 0;
      printedState.set(state.composition, now);
      if (hadErrors && now.size === 0) logger.success(`${state.composition}: no problems`);
    },
    runtime(composition, problems) {
      const before = printedRuntime.get(composition) ?? new Set<string>();
      // A timeline never registered after a script failed is that error's consequence (as the page shows it);
      // one already explained by a remote script that could not be loaded keeps that explanation.
      const firstError = problems.find((p) => p.kind === 'page-error');
      const shown = problems.map((p) =>
        p.kind === 'timeline' && !p.severity && firstError && problems.indexOf(firstError) < problems.indexOf(p)
          ? {
              ...p,
              message: `${p.message} (a consequence of: ${firstError.message.slice(0, 200)})`,
              hint: 'Fix the error above first: the script stopped before it registered the timeline.',
            }
          : p,
      );
      const now = printNew(
        before,
        shown.map((p) => ({ ...p, severity: problemSeverity(p) })),
      );
      // Problems collected over the page's life stay printed once; a clean reload says so.
      printedRuntime.set(composition, new Set([...before, ...now]));
      if (before.size > 0 && problems.length === 0) {
        printedRuntime.set(composition, new Set());
        logger.success(`${composition}: the page runs without errors`);
      }
    },
  };
}
