// Shared pieces of the cloud unit tests: a logger that records every line, and a client pointed
// at the fake server with fast retries.
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { createLogger, type Logger } from '../../../src/core/logger.js';
import { createCloudClient, type CloudClientOptions } from '../../../src/cloud/client.js';
import type { FakeHeygen } from '../../fake-heygen/index.js';

export const FIXTURE = join(import.meta.dirname, 'fixtures', 'project');

/** A debug-level logger whose stdout and stderr are kept in `out.text`. */
export function recordingLogger(): { logger: Logger; out: { text: string } } {
  const out = { text: '' };
  const sink = new Writable({
    write(chunk, _enc, done) {
      out.text += String(chunk);
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', stdout: sink, stderr: sink, interactive: false }), out };
}

export const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 20, timeoutMs: 3000 };

export function clientFor(fake: FakeHeygen, extra: Partial<CloudClientOptions> = {}) {
  return createCloudClient({ apiKey: fake.apiKey, baseUrl: fake.url, retry: FAST_RETRY, ...extra });
}
