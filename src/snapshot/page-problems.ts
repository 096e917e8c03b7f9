/**
 * Turns what the runtime collected in a page into a FramesmithError: the first problem is the
 * message (with its file:line and, during a seek, the composition time), the rest are details.
 * Shared by snapshot, render and the build check so they fail the same way.
 */
import type { CompositionPage } from '../browser/composition-page.js';
import { blockedPhrase } from '../browser/page-isolation.js';
import { FramesmithError } from '../core/errors.js';
import type { RuntimeProblem } from '../../shared/control.js';
import type { Logger } from '../core/logger.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import { REFUSED_BY_FRAMESMITH, REFUSED_BY_HEYGEN } from '../../shared/render-mode.js';
import { resourceDiagnostic } from '../../shared/resource-rules.js';

/**
 * Problems that stop a capture: those HeyGen's renderer would refuse to render with (the runtime
 * marks each one `fatal`; see runtime/control.ts). Never a warning (a remote file that could not
 * be had here, and what follows from it: see shared/resource-rules.ts) nor console output.
 */
export function isFatal(p: RuntimeProblem): boolean {
  if (p.severity === 'warning') return false;
  return p.fatal ?? p.kind !== 'console';
}

export function problemsToError(problems: RuntimeProblem[], entry: string, time?: number): FramesmithError {
  const [first] = problems;
  const when = first.time !== undefined ? ` (at ${first.time.toFixed(3)} s)` : time !== undefined ? ` (at ${time.toFixed(3)} s)` : '';
  const details: Diagnostic[] = problems.slice(1).map((p) => ({ code: p.code, message: p.message, loc: p.loc, severity: 'error' }));
  return FramesmithError.passOn(first.code, `${first.message}${when}`, {
    hint: first.hint ?? `Open the composition with \`framesmith dev\` to see it in the browser.`,
    loc: first.loc && first.loc.file ? first.loc : { file: entry, line: 0, column: 0 },
    details,
  });
}

/**
 * Warnings the page raised that Node has not reported itself: what HeyGen's renderer renders
 * through (a script error that kept no timeline from registering, a timeline it waits for and
 * skips, a missing image, a timeline property it does not provide) and script errors that follow
 * from a remote script that could not be loaded (remote files are reported from Node, with reasons).
 */
export async function pageWarnings(page: CompositionPage): Promise<Diagnostic[]> {
  const problems = await page.problems().catch(() => [] as RuntimeProblem[]);
  return problems
    .filter((p) => !isFatal(p) && p.kind !== 'console' && !(p.kind === 'asset' && p.severity === 'warning'))
    .map((p) => ({
      code: p.code,
      severity: 'warning' as const,
      message: p.time !== undefined ? `${p.message} (at ${p.time.toFixed(3)} s)` : p.message,
      hint: p.hint,
      ...(p.loc?.file ? { loc: p.loc } : {}),
    }));
}

/** Logs page warnings once each (several pages of a render report the same). */
export function reportPageWarnings(logger: Logger, warnings: Diagnostic[]): void {
  const seen = new Set<string>();
  for (const w of warnings) {
    const key = `${w.code}|${w.message.replace(/ \(at [\d.]+ s\)$/, '')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    logger.diagnostic(w);
  }
}

/**
 * Throws when the page has reported a fatal problem, or asked for a URL of a scheme nothing can
 * load (`ftp:`, `file:`: refused on purpose, REFUSED_BY_FRAMESMITH; the cloud would draw a hole).
 */
export async function failOnProblems(page: CompositionPage, entry: string, time?: number): Promise<void> {
  const fatal = (await page.problems()).filter(isFatal);
  if (fatal.length) throw problemsToError(fatal, entry, time);
  const [url, ...more] = new Set(page.remote.refused);
  if (url) {
    const rule = resourceDiagnostic('unsupported_scheme', { url });
    throw new FramesmithError(
      'unsupported_url_scheme',
      `${rule.message}${more.length ? ` (and ${more.length} more: ${more.join(', ')})` : ''}`,
      {
        hint: rule.hint,
        loc: { file: entry, line: 0, column: 0 },
      },
    );
  }
}

/**
 * Lint and model errors HeyGen's renderer renders through (everything but REFUSED_BY_HEYGEN and
 * what framesmith refuses on purpose, REFUSED_BY_FRAMESMITH): shown as warnings by build,
 * snapshot and render, which go on as the cloud would.
 */
export function warnRenderedErrors(logger: Logger, diagnostics: Diagnostic[]): Diagnostic[] {
  const shown = diagnostics
    .filter((d) => d.severity === 'error' && !REFUSED_BY_HEYGEN.has(d.code) && !REFUSED_BY_FRAMESMITH.has(d.code))
    .map((d) => ({ ...d, severity: 'warning' as const, message: `${d.message} (HeyGen renders it anyway)` }));
  for (const d of shown) logger.diagnostic(d);
  return shown;
}

/** A connection the isolation cut off (page-isolation.ts), as a warning: snapshot, render and the build check word it alike. */
export function cutOffWarning(entry: string): Diagnostic {
  return {
    code: 'network_blocked',
    severity: 'warning',
    message: `The page tried ${blockedPhrase(entry)} (blocked); composition pages reach nothing but their own server, and the cloud render must not depend on it.`,
    hint: 'Put what the page needs into the project; a composition cannot talk to servers.',
  };
}

/** Warns once per connection the page tried to make off the machine (snapshot and render say it alike). */
export function warnBlockedRequests(logger: Logger, entries: Iterable<string>): void {
  for (const entry of new Set(entries)) logger.diagnostic(cutOffWarning(entry));
}
