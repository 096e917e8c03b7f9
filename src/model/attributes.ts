/**
 * Reading data-* attributes as numbers, and the diagnostics list every part of the parser
 * writes to. A bad value becomes one diagnostic at the attribute (with what was written and
 * what is expected) and reads as "absent", so parsing goes on and lint can show every problem.
 */
import type { Diagnostic, Severity, SourceLocation } from '../../shared/diagnostics.js';
import { attr, nodeLocation, type HtmlElement, type ParsedHtmlFile } from './html.js';

/** Collects the parser's diagnostics, once per code, place and message. */
export class Diagnostics {
  readonly list: Diagnostic[] = [];
  private seen = new Set<string>();

  add(severity: Severity, code: string, message: string, loc: SourceLocation, hint?: string): void {
    // A sub-composition file mounted by several hosts is read once per host: report it once.
    const key = `${code}|${loc.file}:${loc.line}:${loc.column}|${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(hint === undefined ? { severity, code, message, loc } : { severity, code, message, hint, loc });
  }

  error(code: string, message: string, loc: SourceLocation, hint?: string): void {
    this.add('error', code, message, loc, hint);
  }
}

/** Accepted range of a numeric attribute. */
export interface NumberRule {
  /** Smallest allowed value (inclusive). */
  min?: number;
  /** Largest allowed value (inclusive). */
  max?: number;
  /** The value must be above 0. */
  positive?: boolean;
  integer?: boolean;
  /** Example shown in the hint. */
  example?: string;
}

function expectation(rule: NumberRule): string {
  const kind = rule.integer ? 'a whole number' : 'a number';
  if (rule.positive && rule.max !== undefined) return `${kind} above 0 and at most ${rule.max}`;
  if (rule.positive) return `${kind} above 0`;
  if (rule.min !== undefined && rule.max !== undefined) return `${kind} from ${rule.min} to ${rule.max}`;
  if (rule.min !== undefined) return `${kind} of at least ${rule.min}`;
  return kind;
}

/** Whether `n` satisfies `rule`. */
export function inRange(n: number, rule: NumberRule): boolean {
  if (!Number.isFinite(n)) return false;
  if (rule.integer && !Number.isInteger(n)) return false;
  if (rule.positive && n <= 0) return false;
  if (rule.min !== undefined && n < rule.min) return false;
  if (rule.max !== undefined && n > rule.max) return false;
  return true;
}

/**
 * Reads attribute `name` of `el` as a number. Absent → null, silently. Present but empty, not a
 * number, or out of range → an `invalid_attribute_value` error at the attribute, and null.
 */
export function numberAttr(diags: Diagnostics, file: ParsedHtmlFile, el: HtmlElement, name: string, rule: NumberRule = {}): number | null {
  const raw = attr(el, name);
  if (raw === null) return null;
  const n = raw.trim() === '' ? Number.NaN : Number(raw);
  if (inRange(n, rule)) return n;
  const want = expectation(rule);
  diags.error(
    'invalid_attribute_value',
    `${name}="${raw}" is not ${want}.`,
    nodeLocation(file, el, name),
    `Write ${name} as ${want}, e.g. ${name}="${rule.example ?? (rule.integer ? '1' : '2.5')}".`,
  );
  return null;
}
