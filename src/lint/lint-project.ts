/**
 * `lintProject()`: the static check of a composition project. The parser reads the project into
 * the model (reporting structural problems as it goes); the rules then walk the model, the HTML
 * and CSS trees and the parsed scripts. Every finding has a stable code, a severity, a message,
 * a hint and a file:line:col.
 */
import { resolve } from 'node:path';
import { FramesmithError } from '../core/errors.js';
import { withDefaultInterrupt } from '../core/interrupt.js';
import { parseProject, type ParsedProject } from '../model/index.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import { isKnownCode, ruleInfo } from './catalog.js';
import { createLintContext } from './context.js';
import { assetRules } from './rules/assets.js';
import { cssRules } from './rules/css.js';
import { fontRules } from './rules/fonts.js';
import type { FontSummary } from '../fonts/report.js';
import { mediaRules } from './rules/media.js';
import { scriptRules } from './rules/scripts.js';
import { structureRules } from './rules/structure.js';
import { timelineRules } from './rules/timeline.js';
import { timingRules } from './rules/timing.js';
import { variableRules } from './rules/variables.js';

export interface LintOptions {
  /** Entry HTML inside the project (default index.html). */
  composition?: string;
}

export interface LintResult {
  /** True when there is no error (warnings allowed). */
  ok: boolean;
  /** Absolute project folder. */
  root: string;
  /** Project-relative entry HTML. */
  entry: string;
  /** Sorted by file, line, column. */
  diagnostics: Diagnostic[];
  errorCount: number;
  warningCount: number;
  infoCount: number;
  /** Project-relative files read: HTML, CSS and scripts. */
  files: string[];
  ms: number;
  /** Per font family the composition names, what HeyGen's cloud draws it with. */
  fonts: FontSummary[];
}

const RULE_SETS = [structureRules, timingRules, timelineRules, variableRules, assetRules, mediaRules, scriptRules, cssRules, fontRules];

function byPlace(a: Diagnostic, b: Diagnostic): number {
  const fa = a.loc?.file ?? '';
  const fb = b.loc?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  return (a.loc?.line ?? 0) - (b.loc?.line ?? 0) || (a.loc?.column ?? 0) - (b.loc?.column ?? 0) || a.code.localeCompare(b.code);
}

function summarize(
  root: string,
  entry: string,
  diagnostics: Diagnostic[],
  files: string[],
  started: number,
  fonts: FontSummary[] = [],
): LintResult {
  diagnostics.sort(byPlace);
  const count = (s: Diagnostic['severity']) => diagnostics.filter((d) => d.severity === s).length;
  const errorCount = count('error');
  return {
    ok: errorCount === 0,
    root,
    entry,
    diagnostics,
    errorCount,
    warningCount: count('warning'),
    infoCount: count('info'),
    files,
    ms: performance.now() - started,
    fonts,
  };
}

/** Lints an already parsed project (build parses once and lints that). */
export function lintParsed(parsed: ParsedProject, started = performance.now()): LintResult {
  // All synchronous: Ctrl+C must still end the lint of a large project at once.
  return withDefaultInterrupt(() => lintNow(parsed, started));
}

function lintNow(parsed: ParsedProject, started: number): LintResult {
  const ctx = createLintContext(parsed);
  for (const d of parsed.model.diagnostics) {
    // Parser findings keep their own message; the catalog fills in a missing hint.
    ctx.report(d.code, d.loc, d.message, {
      hint: d.hint ?? (isKnownCode(d.code) ? ruleInfo(d.code).hint : undefined),
      severity: d.severity,
      raw: true,
    });
  }
  for (const rules of RULE_SETS) rules(ctx);
  const files = [
    ...new Set([...parsed.html.keys(), ...parsed.css.keys(), ...ctx.scripts.filter((s) => !s.inline && !s.library).map((s) => s.file)]),
  ].sort();
  return summarize(parsed.model.root, parsed.model.entry, ctx.diagnostics, files, started, ctx.fonts);
}

/**
 * Lints the project in `dir`. Throws a FramesmithError only when the folder or its entry file
 * cannot be read at all; everything else is a diagnostic in the result.
 */
export async function lintProject(dir: string, options: LintOptions = {}): Promise<LintResult> {
  const started = performance.now();
  let parsed: ParsedProject;
  try {
    parsed = await parseProject(dir, { composition: options.composition });
  } catch (error) {
    // No composition root: still a lint finding, not a crash.
    if (error instanceof FramesmithError && error.code === 'root_missing_composition_id') {
      const entry = error.loc?.file ?? options.composition ?? 'index.html';
      const d: Diagnostic = { code: error.code, severity: 'error', message: error.message, hint: error.hint, loc: error.loc };
      return summarize(resolve(dir), entry, [d], [entry], started);
    }
    throw error;
  }
  return lintParsed(parsed, started);
}
