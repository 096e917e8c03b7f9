/**
 * GSAP timelines as HeyGen's renderer hands them to a composition. In render mode the engine
 * (0.8.170) traps the assignment of `window.gsap` and makes `gsap.timeline()` return a stand-in:
 * `to`, `from`, `fromTo`, `set` and `add` are queued and applied later, in order; every other
 * method of the timeline is forwarded (after applying what is queued); instance properties such
 * as `tl.labels`, `tl.vars` or `tl.data` are not there at all, so they read as undefined. A
 * script that reads `tl.labels["x"]` throws in the cloud, its timeline never registers and the
 * render fails. This module gives compositions the same stand-in, so framesmith's pages run
 * with the same semantics: in render mode the missing properties are undefined (the page fails
 * as the cloud would); in preview mode they keep their real value, so the preview still plays,
 * and each read is reported as a problem.
 */
import type { SourceLocation } from '../shared/diagnostics';
import { TIMELINE_PROPERTIES_MISSING } from '../shared/render-mode';
import { locationFromStack } from './problems';

interface Timeline {
  [key: string]: unknown;
}

interface Gsap {
  timeline(vars?: unknown): Timeline;
  [key: string]: unknown;
}

/** A timeline stand-in; `real` is the GSAP timeline behind it. */
export interface TimelineStandIn {
  readonly [REAL]: Timeline;
  [key: string]: unknown;
}

const REAL = Symbol.for('framesmith.realTimeline');
const WRAPPED = Symbol.for('framesmith.timelineWrapped');
const QUEUED = new Set(['to', 'from', 'fromTo', 'set', 'add']);

/** Properties the stand-in lacks, with what to do instead (shared with lint). */
export const MISSING_PROPERTIES = TIMELINE_PROPERTIES_MISSING;

export interface MissingRead {
  property: string;
  fix: string;
  loc: SourceLocation | undefined;
}

export interface BatchingOptions {
  /** true: missing properties read as undefined (HeyGen's render); false: real value, reported. */
  strict: boolean;
  /** Called on the first read of each missing property at each place. */
  onMissingRead(read: MissingRead): void;
}

export interface Batching {
  /** Applies every queued call, in order. */
  flush(): void;
  /** The GSAP timeline behind a stand-in (anything else unchanged). */
  unwrap<T>(value: T): T;
  /** The missing-property reads seen so far, newest last. */
  readonly reads: MissingRead[];
}

interface Pending {
  real: Timeline;
  method: string;
  args: unknown[];
  /** Where the page made the call (a stack), for problems GSAP raises when it is applied. */
  stack: string | undefined;
}

let applying: string | undefined;
/**
 * While a queued call is applied, the stack of the page's call that queued it (GSAP's warnings
 * are raised then, far from the user's line); undefined otherwise.
 */
export function queuedCallStack(): string | undefined {
  return applying;
}

export function isStandIn(value: unknown): value is TimelineStandIn {
  return !!value && typeof value === 'object' && REAL in (value as object);
}

/** The real timeline behind a stand-in (framesmith's own reads must not count as the page's). */
export function realTimeline<T>(value: T): T {
  return isStandIn(value) ? (value[REAL] as unknown as T) : value;
}

/** Installs the trap on `window.gsap`. Call before any page script runs. */
export function installTimelineBatching(win: Window & typeof globalThis, options: BatchingOptions): Batching {
  const pending: Pending[] = [];
  const reads: MissingRead[] = [];
  const seenReads = new Set<string>();
  const unwrap = realTimeline;

  const flush = () => {
    while (pending.length) {
      const { real, method, args, stack } = pending.shift()!;
      const fn = real[method];
      if (typeof fn !== 'function') continue;
      const outer = applying;
      applying = stack;
      try {
        (fn as (...a: unknown[]) => unknown).apply(real, method === 'add' ? args.map(unwrap) : args);
      } finally {
        applying = outer;
      }
    }
  };

  const recordRead = (property: string) => {
    const loc = locationFromStack(new Error().stack, 2);
    const key = `${property}|${loc?.file}:${loc?.line}:${loc?.column}`;
    if (seenReads.has(key)) return;
    seenReads.add(key);
    const read = { property, fix: MISSING_PROPERTIES[property], loc };
    reads.push(read);
    options.onMissingRead(read);
  };

  function standIn(real: Timeline): TimelineStandIn {
    const proxy = {} as TimelineStandIn;
    Object.defineProperty(proxy, REAL, { value: real });
    for (const method of QUEUED) {
      Object.defineProperty(proxy, method, {
        configurable: true,
        writable: true,
        value: (...args: unknown[]) => {
          pending.push({ real, method, args, stack: new Error().stack });
          return proxy;
        },
      });
    }
    // Every other public method of the timeline, forwarded after the queue is applied.
    for (let obj: object | null = real; obj && obj !== Object.prototype; obj = Object.getPrototypeOf(obj)) {
      for (const key of Object.getOwnPropertyNames(obj)) {
        if (key === 'constructor' || key === 'then' || key.startsWith('_') || key in proxy) continue;
        const desc = Object.getOwnPropertyDescriptor(obj, key);
        if (!desc || typeof desc.value !== 'function') continue;
        const fn = desc.value as (...a: unknown[]) => unknown;
        Object.defineProperty(proxy, key, {
          configurable: true,
          writable: true,
          value:
            key === 'kill'
              ? () => {
                  flush();
                  fn.call(real);
                }
              : key === 'getChildren'
                ? (...args: unknown[]) => {
                    flush();
                    const children = fn.apply(real, args);
                    return Array.isArray(children) ? children : [];
                  }
                : (...args: unknown[]) => {
                    flush();
                    const result = fn.apply(real, args);
                    return result === real ? proxy : result;
                  },
        });
      }
    }
    for (const property of Object.keys(MISSING_PROPERTIES)) {
      Object.defineProperty(proxy, property, {
        configurable: true,
        enumerable: false,
        get() {
          recordRead(property);
          return options.strict ? undefined : real[property];
        },
        set(value: unknown) {
          // The stand-in keeps what a script assigns; the timeline never sees it.
          Object.defineProperty(proxy, property, { configurable: true, enumerable: true, writable: true, value });
        },
      });
    }
    return proxy;
  }

  // Until GSAP loads, window.gsap reads null, as in the engine (so `gsap.timeline()` before it
  // loads throws "Cannot read properties of null", there and here).
  let current: Gsap | null = null;
  try {
    Object.defineProperty(win, 'gsap', {
      configurable: true,
      enumerable: true,
      get: () => current,
      set(g: Gsap) {
        current = g;
        if (!g || typeof g.timeline !== 'function') return;
        // GSAP may assign window.gsap more than once (its core, then with CSSPlugin): wrap once,
        // or timelines would be stand-ins of stand-ins.
        if ((g.timeline as unknown as Record<symbol, unknown>)[WRAPPED]) return;
        const original = g.timeline.bind(g);
        const wrapped = (vars?: unknown) => standIn(original(vars)) as unknown as Timeline;
        Object.defineProperty(wrapped, WRAPPED, { value: true });
        g.timeline = wrapped;
      },
    });
  } catch {
    /* a page that made window.gsap unconfigurable keeps its own */
  }
  return { flush, unwrap, reads };
}
