/**
 * Turns Ctrl+C (SIGINT) and SIGTERM into an AbortSignal, so a render can stop its browsers and
 * ffmpeg and remove its partial files before the process ends. A second Ctrl+C is left to Node
 * (immediate exit) for when cleaning up hangs.
 */
export interface Interrupt {
  signal: AbortSignal;
  dispose(): void;
}

export function abortOnSignals(signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): Interrupt {
  const controller = new AbortController();
  const handler = (name: NodeJS.Signals) => {
    for (const s of signals) process.removeListener(s, handler);
    controller.abort(new Error(`received ${name}`));
  };
  for (const s of signals) process.on(s, handler);
  return { signal: controller.signal, dispose: () => signals.forEach((s) => process.removeListener(s, handler)) };
}
