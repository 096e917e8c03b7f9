/**
 * Pieces the cloud commands (`renders`, `webhooks`, `render --cloud`) share: a client from the
 * flags, following a render with a status line and Ctrl+C handling, and plain-text tables.
 */
import type { Logger } from '../core/logger.js';
import { resolveApiKey } from './api-key.js';
import { createCloudClient, type CloudClient } from './client.js';
import { waitForRender, type WaitForRenderOptions } from './poll.js';
import { abortOnInterrupt, createStatusLine } from './status-line.js';
import { formatTable } from '../core/table.js';
import type { RenderDetail } from './types.js';

/** A client for the key from `--api-key`, HEYGEN_API_KEY or `<projectDir>/.env`. */
export function clientFromArgs(args: { 'api-key'?: string }, logger: Logger, projectDir = process.cwd()): CloudClient {
  return createCloudClient({ apiKey: resolveApiKey({ flag: args['api-key'], projectDir }), logger });
}

/**
 * Follows one render to its end with the status line; the first Ctrl+C stops the wait with the
 * resume command in the error.
 */
export async function followRender(client: CloudClient, renderId: string, logger: Logger, options: Omit<WaitForRenderOptions, 'onStatus' | 'signal'> = {}): Promise<RenderDetail> {
  const line = createStatusLine(logger, [renderId]);
  const interrupt = abortOnInterrupt();
  try {
    return await waitForRender(client, renderId, { ...options, signal: interrupt.signal, onStatus: (d, ms) => line.update(renderId, d.status, ms) });
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
