/**
 * Starts slow background work (loading Vite: a few hundred ms of CPU on the server's only
 * thread) when the server is idle, so it does not delay the first page a browser asks for right
 * after the URL is printed. It starts at once when something needs it, once no request has been
 * in flight for a short while, or after a cap, whichever comes first.
 */

export interface LazyStart<T> {
  /** The work's result, starting it now if it has not started. */
  get(): Promise<T>;
  /** The work's result, whenever it starts (does not start it). */
  readonly settled: Promise<T>;
  /** Whether it has started. */
  readonly started: boolean;
  /** Wrap each request: the work waits while requests are in flight. */
  requestStarted(): void;
  requestEnded(): void;
  cancel(): void;
}

export function createLazyStart<T>(start: () => Promise<T>, { firstQuietMs = 250, quietMs = 120, maxDelayMs = 1500 } = {}): LazyStart<T> {
  let promise: Promise<T> | undefined;
  let inFlight = 0;
  let quiet: NodeJS.Timeout | undefined;
  let begun: (p: Promise<T>) => void = () => {};
  const settled = new Promise<T>((resolve) => (begun = resolve));
  const get = () => {
    if (!promise) {
      clearTimeout(quiet);
      clearTimeout(cap);
      promise = start();
      begun(promise);
    }
    return promise;
  };
  const arm = (ms = quietMs) => {
    clearTimeout(quiet);
    if (!promise && inFlight === 0) quiet = setTimeout(get, ms);
  };
  const cap = setTimeout(get, maxDelayMs);
  // A browser opened on the printed URL asks within a moment: give it the first chance.
  arm(firstQuietMs);
  return {
    get,
    settled,
    get started() {
      return promise !== undefined;
    },
    requestStarted() {
      inFlight++;
      clearTimeout(quiet);
    },
    requestEnded() {
      inFlight = Math.max(0, inFlight - 1);
      arm();
    },
    cancel() {
      clearTimeout(quiet);
      clearTimeout(cap);
    },
  };
}
