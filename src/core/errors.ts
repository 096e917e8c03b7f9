/**
 * The one error class framesmith throws for things a user can fix. It carries a stable code, a
 * message (what happened), a hint (what to do) and a location; `src/cli.ts` prints it, the dev
 * overlay shows the same fields. Anything else that escapes is a bug and is printed as one.
 */
import { formatLocation, type Diagnostic, type ProblemData, type SourceLocation } from '../../shared/diagnostics.js';
import type { ErrorCode } from './error-catalog.js';
import { EXIT } from './exit-codes.js';

export interface FramesmithErrorOptions {
  hint?: string;
  loc?: SourceLocation;
  cause?: unknown;
  /** Process exit code when this error ends the CLI. Default 1. */
  exitCode?: number;
  /** Further problems reported together with this one (e.g. every lint error). */
  details?: Diagnostic[];
}

export class FramesmithError extends Error implements ProblemData {
  /** An `ErrorCode` of the catalog, or the code of a problem passed on by `from()`/`passOn()`. */
  readonly code: string;
  readonly hint?: string;
  readonly loc?: SourceLocation;
  readonly exitCode: number;
  readonly details: Diagnostic[];

  /** `code` is one of the catalog's (src/core/error-catalog.ts): a new code is added there first. */
  constructor(code: ErrorCode, message: string, options: FramesmithErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FramesmithError';
    this.code = code;
    this.hint = options.hint;
    this.loc = options.loc;
    this.exitCode = options.exitCode ?? 1;
    this.details = options.details ?? [];
  }

  /** Builds the error from a diagnostic (parser, lint or runtime problem). */
  static from(problem: ProblemData, options: Omit<FramesmithErrorOptions, 'hint' | 'loc'> = {}): FramesmithError {
    return FramesmithError.passOn(problem.code, problem.message, { ...options, hint: problem.hint, loc: problem.loc });
  }

  /**
   * An error that keeps a code made elsewhere: another error's (re-thrown with a better message or
   * hint), a model, lint or runtime problem's (catalogued in their own tables). Never a new code
   * (test/unit/error-catalog.test.ts checks that only an existing `.code` is passed).
   */
  static passOn(code: string, message: string, options: FramesmithErrorOptions = {}): FramesmithError {
    return new FramesmithError(code as ErrorCode, message, options);
  }

  /** Plain data for `--json` output and the browser overlay. */
  toJSON(): ProblemData & { details?: Diagnostic[] } {
    const out: ProblemData & { details?: Diagnostic[] } = { code: this.code, message: this.message };
    if (this.hint) out.hint = this.hint;
    if (this.loc) out.loc = this.loc;
    if (this.details.length) out.details = this.details;
    return out;
  }
}

export function isFramesmithError(e: unknown): e is FramesmithError {
  return e instanceof FramesmithError;
}

/** `file:12:3: message` — the one-line form used in logs. */
export function formatProblem(p: ProblemData): string {
  const where = formatLocation(p.loc);
  return where ? `${where}: ${p.message}` : p.message;
}

/** Raised when the user interrupts (Ctrl+C); the CLI exits 130 without a stack. */
export class CancelledError extends FramesmithError {
  constructor(message = 'Cancelled.', hint?: string) {
    super('cancelled', message, { exitCode: EXIT.cancelled, hint });
    this.name = 'CancelledError';
  }
}
