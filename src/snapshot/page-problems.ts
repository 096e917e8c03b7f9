/**
 * Turns what the runtime collected in a page into a FramesmithError: the first problem is the
 * message (with its file:line and, during a seek, the composition time), the rest are details.
 * Shared by snapshot, render and the build check so they fail the same way.
 */
import type { CompositionPage } from '../browser/composition-page.js';
import { FramesmithError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { RuntimeProblem } from '../shared/control.js';
import type { Diagnostic } from '../shared/diagnostics.js';
import { REFUSED_BY_HEYGEN } from '../shared/render-mode.js';

/**
 * Problems that stop a capture: those HeyGen's renderer would refuse to render with (the runtime
 * marks each one; see runtime/control.ts). Unmarked ones are fatal unless they are console output.
 */
export function isFatal(p: RuntimeProblem): boolean {
  return p.fatal ?? p.kind !== 'console';
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

/**
 * Lint and model errors HeyGen's renderer renders through (everything but REFUSED_BY_HEYGEN):
 * shown as warnings by build, snapshot and render, which go on as the cloud would.
 */
export function warnRenderedErrors(logger: Logger, diagnostics: Diagnostic[]): Diagnostic[] {
  const shown = diagnostics
    .filter((d) => d.severity === 'error' && !REFUSED_BY_HEYGEN.has(d.code))
    .map((d) => ({ ...d, severity: 'warning' as const, message: `${d.message} (HeyGen renders it anyway)` }));
  for (const d of shown) logger.diagnostic(d);
  return shown;
}

/**
 * What the page reported that HeyGen's renderer renders through (script errors that kept no
 * timeline from registering, a missing image, a timeline it would wait 45 s for, a timeline
 * property it does not provide): shown as warnings, once each.
 */
export function warnPageProblems(logger: Logger, problems: RuntimeProblem[]): void {
  const seen = new Set<string>();
  for (const p of problems) {
    if (isFatal(p) || p.kind === 'console' || (p.kind === 'asset' && p.url && !p.url.startsWith('http://127.0.0.1'))) continue;
    const key = `${p.code}|${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const when = p.time !== undefined ? ` (at ${p.time.toFixed(3)} s)` : '';
    logger.diagnostic({ code: p.code, severity: 'warning', message: `${p.message}${when}`, hint: p.hint, loc: p.loc });
  }
}

/** Warns once per request the page tried to make off the machine (snapshot and render say it alike). */
export function warnBlockedRequests(logger: Logger, urls: Iterable<string>): void {
  for (const url of new Set(urls)) logger.warn(`blocked a request to ${url}: the cloud render cannot rely on the network; vendor it into the project`, 'remote_resource');
}
