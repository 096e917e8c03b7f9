/**
 * `--open`: opens the preview in the user's default browser with the platform's own opener.
 * Failing to open is not an error (a headless machine has no browser); the URL is printed anyway.
 */
import { spawn } from 'node:child_process';
import type { Logger } from '../core/logger.js';

/** Opens `url`; never throws. */
export function openBrowser(url: string, logger: Logger): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => logger.warn(`could not open a browser (${cmd} is missing); open ${url} yourself`));
    child.unref();
  } catch {
    logger.warn(`could not open a browser; open ${url} yourself`);
  }
}
