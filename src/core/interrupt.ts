/**
 * Ctrl+C (and SIGTERM) for the whole CLI: the first one marks the run as interrupted and closes
 * every browser framesmith launched, so whatever waited on a page stops at once and the command
 * unwinds through its own cleanup (temp files removed); whatever error that unwinding throws is
 * then reported as "Cancelled." with exit 130, never as a crash. Commands that stop on a signal
 * themselves (dev, render, the cloud waits) keep doing so. If the process is still alive after
 * GRACE_MS, or on a second Ctrl+C, it exits 130 at once, after the synchronous cleanups
 * registered with `onForcedExit`. Ctrl+C therefore always ends framesmith within 2 s.
 */
import { CancelledError, isFramesmithError } from './errors.js';
import { EXIT } from './exit-codes.js';

/** How long the command may take to unwind before the process is ended. */
export const GRACE_MS = 1500;

let installed = false;
let interrupted = false;
const forcedExitCleanups = new Set<() => void>();
const onInterruptHooks = new Set<() => void>();

/** True once Ctrl+C or SIGTERM arrived (only under the CLI, which installs the handling). */
export function wasInterrupted(): boolean {
  return interrupted;
}

/** Whether the CLI owns the process signals (playwright must then not install its own). */
export function signalsHandled(): boolean {
  return installed;
}

/** A synchronous cleanup (remove a temp file) for when the process is ended before it unwinds. */
export function onForcedExit(cleanup: () => void): () => void {
  forcedExitCleanups.add(cleanup);
  return () => forcedExitCleanups.delete(cleanup);
}

/** Runs `hook` when the first interrupt arrives (e.g. close the launched browsers). */
export function onInterrupt(hook: () => void): () => void {
  onInterruptHooks.add(hook);
  return () => onInterruptHooks.delete(hook);
}

function forceExit(): never {
  for (const cleanup of forcedExitCleanups) {
    try {
      cleanup();
    } catch {
      /* best effort: the process is ending */
    }
  }
  process.stderr.write('error Cancelled. [cancelled]\n');
  // playwright's exit handler kills the browsers it launched.
  process.exit(EXIT.cancelled);
}

/** Installs the handling (once, by the CLI). */
export function installInterruptHandling(): void {
  if (installed) return;
  installed = true;
  const onSignal = () => {
    if (interrupted) forceExit();
    interrupted = true;
    // Anything that fails while unwinding is part of stopping, not a bug.
    process.on('unhandledRejection', () => {});
    process.on('uncaughtException', () => forceExit());
    setTimeout(forceExit, GRACE_MS).unref();
    for (const hook of onInterruptHooks) {
      try {
        hook();
      } catch {
        /* stopping anyway */
      }
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/**
 * Runs a long synchronous step (parsing a large project) with Ctrl+C's default action, ending the
 * process at once: while JavaScript runs without a break, no signal handler can. Nothing is
 * written during such a step, and the browsers framesmith starts end with their pipe.
 */
export function withDefaultInterrupt<T>(step: () => T): T {
  if (!installed) return step();
  // Ctrl+C arrived before the step (while modules loaded, say): do not start it, its timer could not fire.
  if (interrupted) throw new CancelledError('Cancelled.');
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const saved = signals.map((s) => process.listeners(s));
  for (const s of signals) process.removeAllListeners(s);
  try {
    return step();
  } finally {
    signals.forEach((s, i) => {
      for (const listener of saved[i]) process.on(s, listener as NodeJS.SignalsListener);
    });
  }
}

/** The error to report for `error` thrown while the run was interrupted. */
export function interruptedError(error: unknown): unknown {
  if (!interrupted) return error;
  if (isFramesmithError(error) && error.exitCode === 130) return error;
  return new CancelledError('Cancelled.');
}
