/**
 * Problem reports shared by every part of framesmith: the model parser, lint, the runtime and
 * the dev overlay all speak this shape, so the terminal and the browser print the same thing.
 * Pure data: no DOM, no Node imports.
 */

/** A place in a user's file. `file` is relative to the project root, with forward slashes. */
export interface SourceLocation {
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** What went wrong, where, and what to do about it. */
export interface ProblemData {
  /** Stable identifier, e.g. `root_missing_dimensions`. Official HyperFrames lint codes where one means the same. */
  code: string;
  /** What happened, in one sentence. */
  message: string;
  /** What the user can do about it. */
  hint?: string;
  /** Where it is, when there is a place. */
  loc?: SourceLocation;
}

/** A problem with a severity, as produced by the parser, lint and the runtime. */
export interface Diagnostic extends ProblemData {
  severity: Severity;
}

/** `file:line:col`, or just `file`, for printing. */
export function formatLocation(loc: SourceLocation | undefined): string {
  if (!loc) return '';
  return loc.line > 0 ? `${loc.file}:${loc.line}:${loc.column}` : loc.file;
}
