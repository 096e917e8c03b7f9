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

/**
 * Resolves once the browser has painted the current state: the next real animation frame, then
 * a task queued from it, which runs after that frame's paint.
 */
export function nextPaint(): Promise<void> {
  return new Promise((resolve) =>
    native.requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(null);
    }),
  );
}
