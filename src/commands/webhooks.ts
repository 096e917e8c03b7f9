/**
 * `framesmith webhooks add|list|delete|rotate-secret|events|verify`: registered webhook endpoints,
 * and a checker for people writing a receiver (`verify` runs the same code as the library's
 * `verifyWebhookSignature`).
 */
import { readFile } from 'node:fs/promises';
import { defineCommand } from 'citty';
import { apiKeyArg } from '../cloud/args.js';
import { clientFromArgs, formatTime, table } from '../cloud/command-support.js';
import { CLOUD_EXIT } from '../cloud/exit-codes.js';
import { WEBHOOK_EVENTS, type WebhookEndpoint } from '../cloud/types.js';
import { DEFAULT_TOLERANCE_SEC, verifyWebhookSignature } from '../cloud/webhook-signature.js';
import { FramesmithError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { defineFramesmithCommand, parseNumberFlag } from './define.js';

function showSecret(logger: Logger, ep: WebhookEndpoint, verb: string): void {
  if (logger.json) return logger.result({ ok: true, endpoint: ep });
  logger.success(`${verb} ${ep.endpoint_id} → ${ep.url} (${ep.events.length ? ep.events.join(', ') : 'all events'})`);
  logger.warn('The signing secret is shown only now: store it where your receiver reads it (e.g. HEYGEN_WEBHOOK_SECRET).');
  logger.result(ep.secret ?? '');
}

const add = defineFramesmithCommand({
  name: 'webhooks add',
  description: 'Register an HTTPS endpoint for render events; prints its signing secret once',
  examples: ['framesmith webhooks add https://example.com/hooks/heygen', 'framesmith webhooks add https://example.com/h --events hyperframes_video.fail'],
  args: {
    url: { type: 'positional', required: true, description: 'HTTPS URL that receives the POSTs' },
    events: { type: 'string', valueHint: 'a,b', description: `Comma-separated event types (default all: ${WEBHOOK_EVENTS.join(', ')})` },
    ...apiKeyArg,
  },
  async run({ args, logger }) {
    let https = false;
    try {
      https = new URL(args.url).protocol === 'https:';
    } catch {
      https = false;
    }
    if (!https) throw new FramesmithError('invalid_option', `The webhook URL must be https://, got "${args.url}".`, { hint: 'HeyGen delivers only to HTTPS endpoints; for local testing use a tunnel.', exitCode: CLOUD_EXIT.usage });
    const events = args.events?.split(',').map((e) => e.trim()).filter(Boolean);
    const unknown = events?.filter((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e)) ?? [];
    if (unknown.length) logger.warn(`Unknown event type ${unknown.join(', ')}; known: ${WEBHOOK_EVENTS.join(', ')} (sending anyway).`);
    const ep = await clientFromArgs(args, logger).webhooks.createEndpoint({ url: args.url, ...(events?.length ? { events } : {}) });
    showSecret(logger, ep, 'Registered');
  },
});

const list = defineFramesmithCommand({
  name: 'webhooks list',
  description: 'List registered webhook endpoints',
  examples: ['framesmith webhooks list', 'framesmith webhooks list --json'],
  args: { ...apiKeyArg },
  async run({ args, logger }) {
    const eps = await clientFromArgs(args, logger).webhooks.listEndpoints();
    if (logger.json) return logger.result({ ok: true, endpoints: eps });
    if (!eps.length) return logger.info('No webhook endpoints. Add one with `framesmith webhooks add <https-url>`.');
    logger.result(table(['endpoint', 'status', 'events', 'created', 'url'], eps.map((e) => [e.endpoint_id, e.status, e.events.length ? e.events.join(',') : 'all', formatTime(e.created_at), e.url])));
  },
});

const remove = defineFramesmithCommand({
  name: 'webhooks delete',
  description: 'Remove a webhook endpoint',
  examples: ['framesmith webhooks delete ep_123'],
  args: { id: { type: 'positional', required: true, description: 'Endpoint id (ep_…)' }, ...apiKeyArg },
  async run({ args, logger }) {
    await clientFromArgs(args, logger).webhooks.deleteEndpoint(args.id);
    if (logger.json) return logger.result({ ok: true, deleted: args.id });
    logger.success(`Deleted webhook endpoint ${args.id}`);
  },
});

const rotate = defineFramesmithCommand({
  name: 'webhooks rotate-secret',
  description: 'Issue a new signing secret for an endpoint (the old one stops working)',
  examples: ['framesmith webhooks rotate-secret ep_123'],
  args: { id: { type: 'positional', required: true, description: 'Endpoint id (ep_…)' }, ...apiKeyArg },
  async run({ args, logger }) {
    showSecret(logger, await clientFromArgs(args, logger).webhooks.rotateSecret(args.id), 'Rotated the secret of');
  },
});

const events = defineFramesmithCommand({
  name: 'webhooks events',
  description: 'List the event types an endpoint can subscribe to',
  examples: ['framesmith webhooks events'],
  args: { ...apiKeyArg },
  async run({ args, logger }) {
    const types = await clientFromArgs(args, logger).webhooks.eventTypes();
    if (logger.json) return logger.result({ ok: true, event_types: types });
    logger.result(table(['event', 'description'], types.map((t) => [t.event_type, t.description ?? ''])));
  },
});

const verify = defineFramesmithCommand({
  name: 'webhooks verify',
  description: 'Check a saved webhook delivery: hex HMAC-SHA256 of the raw body with the secret, timestamp within ±300 s',
  examples: ['framesmith webhooks verify --payload body.json --signature 5f2c… --timestamp 1750000000 --secret whsec_…'],
  args: {
    payload: { type: 'string', required: true, valueHint: 'file', description: 'File holding the raw request body, byte for byte' },
    signature: { type: 'string', required: true, valueHint: 'hex', description: 'The Heygen-Signature header' },
    timestamp: { type: 'string', required: true, valueHint: 'unix-seconds', description: 'The Heygen-Timestamp header' },
    secret: { type: 'string', valueHint: 'whsec_…', description: 'The endpoint secret (default: HEYGEN_WEBHOOK_SECRET)' },
    tolerance: { type: 'string', valueHint: 'seconds', description: `Allowed clock difference (default ${DEFAULT_TOLERANCE_SEC})` },
  },
  async run({ args, logger }) {
    const secret = args.secret ?? process.env.HEYGEN_WEBHOOK_SECRET;
    if (!secret) throw new FramesmithError('missing_secret', 'No webhook secret given.', { hint: 'Pass --secret or set HEYGEN_WEBHOOK_SECRET.', exitCode: CLOUD_EXIT.usage });
    const toleranceSec = parseNumberFlag(args.tolerance, 'tolerance', { min: 0 });
    const payload = await readFile(args.payload).catch(() => {
      throw new FramesmithError('payload_not_found', `Cannot read the payload file ${args.payload}.`, { hint: 'Save the raw request body to a file first.', exitCode: CLOUD_EXIT.usage });
    });
    const result = verifyWebhookSignature({ payload, signature: args.signature, timestamp: args.timestamp, secret, toleranceSec });
    if (!result.ok) throw new FramesmithError(`webhook_${result.reason}`, `The webhook signature is not valid: ${result.message}`, { hint: 'Check the secret (rotate-secret replaces it) and that the body file is the exact raw bytes received.', exitCode: 1 });
    if (logger.json) return logger.result({ ok: true, timestamp: result.timestamp });
    logger.success('Signature valid.');
  },
});

export default defineCommand({
  meta: { name: 'webhooks', description: 'Manage HeyGen webhook endpoints and verify webhook signatures' },
  subCommands: { add, list, delete: remove, 'rotate-secret': rotate, events, verify },
});
