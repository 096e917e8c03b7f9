/**
 * The one logger every command receives. Human output goes to stderr so that stdout carries only
 * results (a path, a URL, or the single `--json` object). Progress redraws in place on a terminal
 * (clack's progress bar) and falls back to plain lines, at most one every few seconds, when stderr
 * is not a TTY or CI is set.
 */
import type { Writable } from 'node:stream';
import { formatProblem } from './errors.js';
import type { Diagnostic } from '../../shared/diagnostics.js';

export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';
const ORDER: Record<LogLevel, number> = { silent: 0, error: 1, warn: 2, info: 3, debug: 4 };

export interface LoggerOptions {
  level?: LogLevel;
  /** `--json`: nothing but the final result on stdout; human lines are silenced except errors. */
  json?: boolean;
  stdout?: Writable;
  stderr?: Writable;
  /** Force (true) or forbid (false) in-place redraws; default: stderr is a TTY and CI is unset. */
  interactive?: boolean;
}

export interface Progress {
  /** Sets the absolute position and an optional status text (e.g. `120/300 frames · 41 fps · ETA 4s`). */
  update(done: number, text?: string): void;
  /** Ends the bar with a final line. */
  done(text?: string): void;
  /** Ends the bar after a failure (the error is printed separately). */
  fail(text?: string): void;
}

export interface Logger {
  readonly level: LogLevel;
  readonly json: boolean;
  readonly interactive: boolean;
  error(msg: string): void;
  /** A warning; `code` names it in results that carry warnings (see `collectWarnings()`). */
  warn(msg: string, code?: string): void;
  info(msg: string): void;
  success(msg: string): void;
  debug(msg: string): void;
  /** Prints a diagnostic with its location and hint at the level of its severity. */
  diagnostic(d: Diagnostic): void;
  /** Writes a result to stdout: the `--json` object, or a plain line. */
  result(value: unknown): void;
  /** Starts a progress display for `total` steps. */
  progress(label: string, total: number): Progress;
}

const useColor = (s: Writable) => !process.env.NO_COLOR && Boolean((s as { isTTY?: boolean }).isTTY);
const paint = (on: boolean, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/** Creates a logger. Commands get one from `src/cli.ts`; library callers may pass their own or none. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const json = options.json ?? false;
  const level: LogLevel = options.level ?? (json ? 'error' : 'info');
  const color = useColor(stderr);
  const interactive =
    options.interactive ?? (Boolean((stderr as { isTTY?: boolean }).isTTY) && !process.env.CI && ORDER[level] >= ORDER.info);
  const enabled = (l: LogLevel) => ORDER[level] >= ORDER[l];
  const line = (s: string) => stderr.write(`${s}\n`);

  const logger: Logger = {
    level,
    json,
    interactive,
    error: (m) => enabled('error') && line(paint(color, 31, `error `) + m),
    warn: (m) => enabled('warn') && line(paint(color, 33, `warning `) + m),
    info: (m) => enabled('info') && line(m),
    success: (m) => enabled('info') && line(paint(color, 32, '✓ ') + m),
    debug: (m) => enabled('debug') && line(paint(color, 90, m)),
    diagnostic(d) {
      const text = formatProblem(d) + ` [${d.code}]` + (d.hint ? `\n  hint: ${d.hint}` : '');
      if (d.severity === 'error') logger.error(text);
      else if (d.severity === 'warning') logger.warn(text);
      else logger.info(text);
    },
    result(value) {
      if (json) stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      else if (value !== undefined && value !== null && value !== '') stdout.write(`${String(value)}\n`);
    },
    progress(label, total) {
      if (!enabled('info')) return { update() {}, done() {}, fail() {} };
      return interactive ? ttyProgress(stderr, label, total) : plainProgress(line, label, total);
    },
  };
  return logger;
}

function ttyProgress(output: Writable, label: string, total: number): Progress {
  // clack is loaded on first use, not at start-up: most commands never draw a bar.
  type Bar = ReturnType<typeof import('@clack/prompts').progress>;
  let at = 0;
  let chain: Promise<Bar | null> = import('@clack/prompts').then(
    ({ progress }) => {
      const bar = progress({ output, max: Math.max(1, total), style: 'heavy', withGuide: false });
      bar.start(label);
      return bar;
    },
    () => null,
  );
  const then = (fn: (bar: Bar) => void) => {
    chain = chain.then((bar) => {
      if (bar) fn(bar);
      return bar;
    });
  };
  return {
    update(done, text) {
      const step = Math.max(0, Math.min(total, done) - at);
      at += step;
      then((bar) => bar.advance(step, text ? `${label} ${text}` : label));
    },
    done: (text) => then((bar) => bar.stop(text ?? label)),
    fail: (text) => then((bar) => bar.error(text ?? `${label} failed`)),
  };
}

/** Non-TTY progress: a line at start, every 5 s or 25 %, and at the end. */
function plainProgress(line: (s: string) => void, label: string, total: number): Progress {
  let lastAt = Date.now();
  let lastQuarter = 0;
  line(`${label} 0/${total}`);
  return {
    update(done, text) {
      const quarter = Math.floor((done / Math.max(1, total)) * 4);
      if (Date.now() - lastAt < 5000 && quarter <= lastQuarter) return;
      lastAt = Date.now();
      lastQuarter = quarter;
      line(`${label} ${done}/${total}${text ? ` ${text}` : ''}`);
    },
    done: (text) => line(text ?? `${label} done`),
    fail: (text) => line(text ?? `${label} failed`),
  };
}

/** A logger that also keeps the warnings it was given, for results that carry them (`--json`). */
export interface CollectingLogger extends Logger {
  /** Every warning so far, in order, as printed (with the prefix). */
  readonly warnings: Diagnostic[];
}

/**
 * Wraps `base`: everything is passed on, and warnings are also kept in `warnings`, so a result
 * can carry them where `--json` silences the lines. `prefix` (e.g. `row 2: `) goes before each
 * warning, printed and kept. A fresh collector per result: nothing is shared between calls.
 */
export function collectWarnings(base: Logger, prefix = ''): CollectingLogger {
  const warnings: Diagnostic[] = [];
  const keep = (d: Diagnostic) => {
    warnings.push(d);
    return d;
  };
  return {
    get level() {
      return base.level;
    },
    get json() {
      return base.json;
    },
    get interactive() {
      return base.interactive;
    },
    warnings,
    error: (m) => base.error(m),
    warn: (m, code = 'warning') => base.warn(keep({ severity: 'warning', code, message: prefix + m }).message, code),
    info: (m) => base.info(m),
    success: (m) => base.success(m),
    debug: (m) => base.debug(m),
    diagnostic: (d) => base.diagnostic(d.severity === 'warning' ? keep({ ...d, message: prefix + d.message }) : d),
    result: (v) => base.result(v),
    progress: (label, total) => base.progress(label, total),
  };
}

/** A logger that prints nothing; the default for programmatic callers. */
export const silentLogger: Logger = createLogger({ level: 'silent' });
