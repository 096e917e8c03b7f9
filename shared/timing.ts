/**
 * Resolving clip start times. `data-start` is seconds (`"1.5"`) or a reference to another clip:
 * `"intro"` (when intro ends), `"intro + 0.5"`, `"intro - 0.5"`. The grammar is shared by the
 * Node parser (which places the clips of one composition, for lint and the preview's timeline)
 * and the browser runtime (which places every clip of the page as HeyGen's renderer does, see
 * runtime/timing.ts).
 */

export interface StartExpression {
  /** Referenced clip id, or null for a plain number. */
  ref: string | null;
  /** Seconds (the number itself, or the offset after the reference). */
  offset: number;
}

/** Ids a reference may name, as HeyGen's renderer reads them (so `intro-2` is one id). */
const REF_ID = /^[A-Za-z0-9_.:-]+$/;

const isDigit = (s: string, i: number) => s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

/**
 * Parses a `data-start` value with the grammar of HeyGen's renderer: a number of seconds, an id
 * (`intro`, which may itself contain `-`, `.` or `:`), or an id, `+` or `-`, and a number
 * (`intro + 0.5`, `intro+0.5`; `intro-2` is the id "intro-2", write `intro - 2`).
 * Null when it is none of these.
 */
export function parseStartExpression(raw: string): StartExpression | null {
  const s = raw.trim();
  if (s === '') return null;
  const n = Number(s);
  if (Number.isFinite(n)) return { ref: null, offset: n };
  if (REF_ID.test(s)) return { ref: s, offset: 0 };
  // A trailing number (digits, optionally with one decimal point), then + or -, then the id.
  let i = s.length - 1;
  if (!isDigit(s, i)) return null;
  while (i >= 0 && isDigit(s, i)) i--;
  if (s[i] === '.') {
    i--;
    while (i >= 0 && isDigit(s, i)) i--;
  }
  const numberStart = i + 1;
  let j = numberStart - 1;
  while (j >= 0 && s[j].trim() === '') j--;
  const op = s[j];
  if (op !== '+' && op !== '-') return null;
  const ref = s.slice(0, j).trim();
  if (!REF_ID.test(ref)) return null;
  const magnitude = Number(s.slice(numberStart));
  if (!Number.isFinite(magnitude)) return null;
  return { ref, offset: op === '-' ? -magnitude : magnitude };
}

export interface TimedItem {
  id: string | null;
  /** Other names a reference may use for this item (a host's data-composition-id); ids win. */
  altIds?: string[];
  startExpr: string;
  /** Seconds, or null when unknown (media without data-duration). */
  duration: number | null;
}

export type StartResolution =
  { ok: true; start: number } | { ok: false; reason: 'invalid' | 'unknown-ref' | 'cycle'; message: string; chain?: string[] };

/**
 * Resolves every item's absolute start. Items are matched by id for references; the result has
 * one entry per item, in order.
 */
export function resolveStarts(items: TimedItem[]): StartResolution[] {
  const byId = new Map<string, number>();
  items.forEach((item, i) => {
    if (item.id && !byId.has(item.id)) byId.set(item.id, i);
  });
  items.forEach((item, i) => {
    for (const alt of item.altIds ?? []) if (!byId.has(alt)) byId.set(alt, i);
  });
  const results: (StartResolution | undefined)[] = new Array(items.length);
  const visiting: number[] = [];

  const resolve = (i: number): StartResolution => {
    const done = results[i];
    if (done) return done;
    const item = items[i];
    const expr = parseStartExpression(item.startExpr);
    if (!expr) {
      return (results[i] = {
        ok: false,
        reason: 'invalid',
        message: `data-start="${item.startExpr}" is not a number of seconds or "clip-id [+|- seconds]"`,
      });
    }
    if (expr.ref === null) return (results[i] = { ok: true, start: Math.max(0, expr.offset) });
    const target = byId.get(expr.ref);
    if (target === undefined) {
      return (results[i] = {
        ok: false,
        reason: 'unknown-ref',
        message: `data-start="${item.startExpr}" refers to "${expr.ref}", but no clip in this composition has that id`,
      });
    }
    visiting.push(i);
    if (visiting.includes(target)) {
      const chain = [...visiting.slice(visiting.indexOf(target)), target].map((k) => items[k].id ?? `#${k}`);
      visiting.pop();
      return (results[i] = { ok: false, reason: 'cycle', message: `start references form a cycle: ${chain.join(' → ')}`, chain });
    }
    const base = resolve(target);
    visiting.pop();
    if (!base.ok && base.reason === 'cycle') return (results[i] = base);
    // As in HeyGen's renderer: a clip that cannot be placed counts as starting at 0 for the clips
    // that follow it, and without a known length the offset counts from the referenced start.
    const refDuration = items[target].duration ?? 0;
    return (results[i] = { ok: true, start: Math.max(0, (base.ok ? base.start : 0) + refDuration + expr.offset) });
  };

  return items.map((_, i) => resolve(i));
}
