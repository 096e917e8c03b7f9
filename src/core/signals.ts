/**
 * Ctrl+C (SIGINT) and SIGTERM as an AbortSignal, for every command that stops cleanly on them: a
 * local render stops its browsers and ffmpeg and removes its partial files; a cloud upload or
 * wait stops and prints the command that resumes (renders go on in the cloud). A second Ctrl+C
 * is left to Node (immediate exit) for when cleaning up hangs. Call `dispose()` afterwards.
 */
export interface Interrupt {
  signal: AbortSignal;
  dispose(): void;
}

export function abortOnInterrupt(signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): Interrupt {
  const controller = new AbortController();
  const handler = (name: NodeJS.Signals) => {
    for (const s of signals) process.removeListener(s, handler);
    controller.abort(new Error(`received ${name}`));
  };
  for (const s of signals) process.on(s, handler);
  return { signal: controller.signal, dispose: () => signals.forEach((s) => process.removeListener(s, handler)) };
}
