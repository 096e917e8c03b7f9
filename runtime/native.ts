/**
 * The browser's own time and reporting functions, captured before the clock replaces them. The
 * runtime uses these for its own waiting (paints, polling), never the page's virtual ones.
 */
export const native = {
  Date: window.Date,
  now: window.performance.now.bind(window.performance),
  setTimeout: window.setTimeout.bind(window),
  clearTimeout: window.clearTimeout.bind(window),
  requestAnimationFrame: window.requestAnimationFrame.bind(window),
  reportError: window.reportError.bind(window),
  consoleError: window.console.error.bind(window.console),
  fetch: window.fetch.bind(window),
};

/** Resolves after `ms` real milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => native.setTimeout(resolve, ms));
}

/** Resolves after the browser has painted: two real animation frames. */
export function nextPaint(): Promise<void> {
  return new Promise((resolve) => native.requestAnimationFrame(() => native.requestAnimationFrame(() => resolve())));
}
