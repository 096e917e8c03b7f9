/**
 * Turns what the runtime collected in a page into a FramesmithError: the first problem is the
 * message (with its file:line and, during a seek, the composition time), the rest are details.
 * Shared by snapshot, render and the build check so they fail the same way.
 */
import type { CompositionPage } from '../browser/composition-page.js';
import { blockedPhrase } from '../browser/page-isolation.js';
import { FramesmithError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { RuntimeProblem } from '../shared/control.js';
import type { Diagnostic } from '../shared/diagnostics.js';

/** Problems that stop a capture. Console errors are reported but do not stop a snapshot. */
export function isFatal(p: RuntimeProblem): boolean {
  return p.kind !== 'console';
}

export function problemsToError(problems: RuntimeProblem[], entry: string, time?: number): FramesmithError {
  const [first] = problems;
  const when = first.time !== undefined ? ` (at ${first.time.toFixed(3)} s)` : time !== undefined ? ` (at ${time.toFixed(3)} s)` : '';
  const details: Diagnostic[] = problems.slice(1).map((p) => ({ code: p.code, message: p.message, loc: p.loc, severity: 'error' }));
  return new FramesmithError(first.code, `${first.message}${when}`, {
    hint: first.hint ?? `Open the composition with \`framesmith dev\` to see it in the browser.`,
    loc: first.loc && first.loc.file ? first.loc : { file: entry, line: 0, column: 0 },
    details,
  });
}

/** Throws when the page has reported a fatal problem. */
export async function failOnProblems(page: CompositionPage, entry: string, time?: number): Promise<void> {
  const fatal = (await page.problems()).filter(isFatal);
  if (fatal.length) throw problemsToError(fatal, entry, time);
}

/** Warns once per request the page tried to make off the machine (snapshot and render say it alike). */
export function warnBlockedRequests(logger: Logger, urls: Iterable<string>): void {
  for (const url of new Set(urls)) logger.warn(`blocked ${blockedPhrase(url)}: the cloud render cannot rely on the network; vendor it into the project`, 'remote_resource');
}
