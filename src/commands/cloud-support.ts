/**
 * Pieces the cloud commands (`renders`, `webhooks`, `render --cloud`) share: a client from the
 * flags, following a render with a status line and Ctrl+C handling, and plain-text tables.
 */
import type { Logger } from '../core/logger.js';
import { FramesmithError } from '../core/errors.js';
import { resolveCredential } from '../cloud/api-key.js';
import { createCloudClient, type CloudClient } from '../cloud/client.js';
import { EXIT } from '../core/exit-codes.js';
import type { RetryOptions } from '../cloud/retry.js';
import { waitForRender, type WaitForRenderOptions } from '../cloud/poll.js';
import { createStatusLine } from '../cloud/status-line.js';
import { abortOnInterrupt } from '../core/signals.js';
import { formatTable } from '../core/table.js';
import type { RenderDetail } from '../cloud/types.js';

/** The env var that shortens (or lengthens) the whole-request deadline of API calls, in seconds. */
export const TIMEOUT_ENV = 'FRAMESMITH_CLOUD_TIMEOUT';
/** The env var for the stall window of downloads and uploads, in seconds. */
export const STALL_ENV = 'FRAMESMITH_CLOUD_STALL';

/** Deadlines from the environment (the CLI's only way to change them; the library takes `retry`). */
export function retryFromEnv(env: NodeJS.ProcessEnv = process.env): RetryOptions {
  const read = (name: string) => {
    const raw = env[name]?.trim();
    if (!raw) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0 || n > 3600) {
      throw new FramesmithError('invalid_option', `${name} must be a number of seconds from 0 to 3600, got "${raw.slice(0, 20)}".`, {
        hint: `Unset ${name} for the default.`,
        exitCode: EXIT.usage,
      });
    }
    return Math.round(n * 1000);
  };
  const out: RetryOptions = {};
  const timeout = read(TIMEOUT_ENV);
  const stall = read(STALL_ENV);
  if (timeout !== undefined) out.timeoutMs = timeout;
  if (stall !== undefined) out.stallWindowMs = stall;
  return out;
}

/** A client for the credential from `--api-key`/`--access-token`, the environment or `<projectDir>/.env`. */
export function clientFromArgs(
  args: { 'api-key'?: string; 'access-token'?: string },
  logger: Logger,
  projectDir = process.cwd(),
): CloudClient {
  return createCloudClient({
    apiKey: resolveCredential({ flag: args['api-key'], accessToken: args['access-token'], projectDir }),
    logger,
    retry: retryFromEnv(),
  });
}

/**
 * Follows one render to its end with the status line; the first Ctrl+C stops the wait with the
 * resume command in the error.
 */
export async function followRender(
  client: CloudClient,
  renderId: string,
  logger: Logger,
  options: Omit<WaitForRenderOptions, 'onStatus' | 'signal'> = {},
): Promise<RenderDetail> {
  const line = createStatusLine(logger, [renderId]);
  const interrupt = abortOnInterrupt();
  try {
    return await waitForRender(client, renderId, {
      ...options,
      signal: interrupt.signal,
      onStatus: (d, ms) => line.update(renderId, d.status, ms),
    });
  } finally {
    line.end();
    interrupt.dispose();
  }
}

/** Table rows as text lines (for stdout). */
export function table(header: string[], rows: string[][]): string {
  return formatTable(header, rows).join('\n');
}

/** `2025-06-01 12:00` (UTC) from unix seconds, or `-`. */
export function formatTime(unix: number | string | null | undefined): string {
  if (unix === null || unix === undefined) return '-';
  const d = typeof unix === 'number' ? new Date(unix * 1000) : new Date(unix);
  return Number.isNaN(d.getTime()) ? String(unix) : d.toISOString().slice(0, 16).replace('T', ' ');
}
