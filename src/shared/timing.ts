/**
 * Resolving clip start times. `data-start` is seconds (`"1.5"`) or a reference to another clip
 * of the same composition: `"intro"` (when intro ends), `"intro + 0.5"`, `"intro - 0.5"`.
 * Shared by the Node parser and the browser runtime so both place clips identically.
 */

export interface StartExpression {
  /** Referenced clip id, or null for a plain number. */
  ref: string | null;
  /** Seconds (the number itself, or the offset after the reference). */
  offset: number;
}

/** Parses a `data-start` value; null when it is neither a number nor `id [+|- n]`. */
export function parseStartExpression(raw: string): StartExpression | null {
  const s = raw.trim();
  if (s === '') return null;
  const n = Number(s);
  if (Number.isFinite(n)) return { ref: null, offset: n };
  const m = /^([A-Za-z_][\w-]*?)\s*(?:([+-])\s*(\d+(?:\.\d+)?|\.\d+))?$/.exec(s);
  if (!m) return null;
  const offset = m[3] ? Number(m[3]) * (m[2] === '-' ? -1 : 1) : 0;
  return { ref: m[1], offset };
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
  | { ok: true; start: number }
  | { ok: false; reason: 'invalid' | 'unknown-ref' | 'cycle' | 'unknown-duration'; message: string; chain?: string[] };

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
      return (results[i] = { ok: false, reason: 'invalid', message: `data-start="${item.startExpr}" is not a number of seconds or "clip-id [+|- seconds]"` });
    }
    if (expr.ref === null) return (results[i] = { ok: true, start: Math.max(0, expr.offset) });
    const target = byId.get(expr.ref);
    if (target === undefined) {
      return (results[i] = { ok: false, reason: 'unknown-ref', message: `data-start="${item.startExpr}" refers to "${expr.ref}", but no clip in this composition has that id` });
    }
    visiting.push(i);
    if (visiting.includes(target)) {
      const chain = [...visiting.slice(visiting.indexOf(target)), target].map((k) => items[k].id ?? `#${k}`);
      visiting.pop();
      return (results[i] = { ok: false, reason: 'cycle', message: `start references form a cycle: ${chain.join(' → ')}`, chain });
    }
    const base = resolve(target);
    visiting.pop();
    if (!base.ok) {
      if (base.reason === 'cycle') return (results[i] = base);
      return (results[i] = { ok: false, reason: base.reason, message: `data-start="${item.startExpr}" depends on "${expr.ref}", which cannot be placed: ${base.message}` });
    }
    const refDuration = items[target].duration;
    if (refDuration === null) {
      return (results[i] = { ok: false, reason: 'unknown-duration', message: `data-start="${item.startExpr}" refers to the end of "${expr.ref}", which has no data-duration` });
    }
    return (results[i] = { ok: true, start: base.start + refDuration + expr.offset });
  };

  return items.map((_, i) => resolve(i));
}
