/**
 * Size and nesting budgets for what framesmith parses, so a hostile or broken file gets a clear
 * error instead of a stack overflow or an out-of-memory crash: an HTML file over 20 MB or with
 * more than 500,000 elements, a CSS or script file over 10 MB, or markup, style blocks or code
 * nested deeper than 1,000 levels is refused (`file_too_large`, `nesting_too_deep`). `FRAMESMITH_MAX_FILE_MB` and
 * `FRAMESMITH_MAX_DEPTH` change the limits. Every walk over a parsed tree is iterative, so the
 * depth limit is about what the tools after us (and browsers) handle, not about our stack.
 */
import type { SourceLocation } from '../../shared/diagnostics.js';

const MB = 1024 * 1024;

/**
 * Brackets in script code: acorn parses recursively and, past a few hundred levels of some
 * constructs (nested arrow functions), V8 aborts the process instead of throwing, so scripts get
 * a lower budget than markup.
 */
export const SCRIPT_DEPTH = 200;

export interface Limits {
  /** Bytes per HTML file. */
  htmlBytes: number;
  /** Elements (start tags) per HTML file: memory grows with them, not with bytes. */
  htmlElements: number;
  /** Bytes per CSS or JavaScript file. */
  codeBytes: number;
  /** Nesting levels of elements, CSS blocks or brackets. */
  depth: number;
}

export const DEFAULT_LIMITS: Limits = { htmlBytes: 20 * MB, htmlElements: 500_000, codeBytes: 10 * MB, depth: 1000 };

function positive(value: string | undefined): number | null {
  if (!value) return null;
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** The limits in force (the environment may raise or lower them). */
export function limits(env: NodeJS.ProcessEnv = process.env): Limits {
  const mb = positive(env.FRAMESMITH_MAX_FILE_MB);
  const depth = positive(env.FRAMESMITH_MAX_DEPTH);
  return {
    htmlBytes: mb ? Math.round(mb * MB) : DEFAULT_LIMITS.htmlBytes,
    htmlElements: DEFAULT_LIMITS.htmlElements,
    codeBytes: mb ? Math.round(mb * MB) : DEFAULT_LIMITS.codeBytes,
    depth: depth ? Math.floor(depth) : DEFAULT_LIMITS.depth,
  };
}

/** The byte budget of a file by its name. */
export function byteLimitFor(path: string, l: Limits = limits()): number {
  return /\.html?$/i.test(path) ? l.htmlBytes : l.codeBytes;
}

/** `20 MB` */
export function formatLimit(bytes: number): string {
  return bytes >= MB ? `${+(bytes / MB).toFixed(1)} MB` : `${Math.round(bytes / 1024)} kB`;
}

export const SIZE_HINT =
  'Split the file, or move large data out of it (images and media as files, data as JSON fetched at run time); FRAMESMITH_MAX_FILE_MB raises the limit.';
export const DEPTH_HINT =
  'Flatten the nesting (browsers flatten HTML nested deeper than 512 elements anyway); FRAMESMITH_MAX_DEPTH raises the limit.';

/**
 * How many start tags `html` has at most (a `<` followed by a letter; comments and scripts may
 * add a few): counted before parsing, so a file of millions of tiny elements is refused before
 * its tree fills the memory.
 */
export function countStartTags(html: string): number {
  let n = 0;
  for (let i = html.indexOf('<'); i !== -1; i = html.indexOf('<', i + 1)) {
    const c = html.charCodeAt(i + 1) | 0x20;
    if (c >= 97 && c <= 122) n++;
  }
  return n;
}

/** The message for a file with too many elements. */
export function tooManyElementsMessage(path: string, count: number, limit: number): string {
  return `${path} has about ${count.toLocaleString('en-US')} elements, over framesmith's limit of ${limit.toLocaleString('en-US')} per HTML file; it was not read.`;
}

/** The message for a file over its budget. */
export function tooLargeMessage(path: string, size: number, limit: number): string {
  return `${path} is ${formatLimit(size)}, over framesmith's limit of ${formatLimit(limit)} for this kind of file; it was not read.`;
}

export interface DeepPoint {
  depth: number;
  /** 1-based, in the text scanned. */
  line: number;
  column: number;
}

/** Characters after which a `/` starts a regular expression rather than a division. */
const REGEX_BEFORE = new Set([...'(,=:[!&|?{};+-*%<>~^'].map((ch) => ch.charCodeAt(0)));

/**
 * The first place where brackets (`{`, `(`, `[`) in CSS (or, with `js`, script code) nest deeper
 * than `limit`, or null. Strings, comments, escaped characters and (in scripts) regular
 * expression literals are skipped, which is all a budget needs: the parsers report real syntax
 * errors themselves.
 */
export function bracketDepthOver(source: string, limit: number, { js = false } = {}): DeepPoint | null {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  let last = 0; // the last character that was not white space (for telling a regex from a division)
  const n = source.length;
  for (let i = 0; i < n; i++) {
    const c = source.charCodeAt(i);
    if (js && c === 47 && source.charCodeAt(i + 1) !== 47 && source.charCodeAt(i + 1) !== 42 && (last === 0 || REGEX_BEFORE.has(last))) {
      // A regular expression literal: skip it (brackets in it are not code), classes and escapes included.
      let inClass = false;
      for (i++; i < n; i++) {
        const d = source.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 91) inClass = true;
        else if (d === 93) inClass = false;
        else if ((d === 47 && !inClass) || d === 10) break;
      }
      last = 47;
      continue;
    }
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) last = c;
    if (c === 10) {
      line++;
      lineStart = i + 1;
    } else if (c === 92) {
      i++; // an escaped character is never a bracket
    } else if (c === 34 || c === 39 || c === 96) {
      // "…", '…', `…`: skip to the closing quote (a backslash escapes).
      for (i++; i < n && source.charCodeAt(i) !== c; i++) {
        const d = source.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 10) {
          line++;
          lineStart = i + 1;
          if (c !== 96) break;
        }
      }
    } else if (c === 47 && source.charCodeAt(i + 1) === 42) {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let k = i; k < stop; k++) {
        if (source.charCodeAt(k) === 10) {
          line++;
          lineStart = k + 1;
        }
      }
      i = stop - 1;
    } else if (c === 47 && source.charCodeAt(i + 1) === 47) {
      const end = source.indexOf('\n', i);
      i = (end < 0 ? n : end) - 1;
    } else if (c === 123 || c === 40 || c === 91) {
      if (++depth > limit) return { depth, line, column: i - lineStart + 1 };
    } else if (c === 125 || c === 41 || c === 93) {
      if (depth > 0) depth--;
    }
  }
  return null;
}

/** The nesting diagnostic's message. */
export function tooDeepMessage(what: string, limit: number): string {
  return `${what} nests deeper than ${limit.toLocaleString('en-US')} levels, framesmith's limit; it was not checked further.`;
}

/** `loc` moved by a point found in text that starts at `base`. */
export function pointIn(base: SourceLocation, p: DeepPoint): SourceLocation {
  return { file: base.file, line: base.line + p.line - 1, column: p.line === 1 ? base.column + p.column - 1 : p.column };
}
