/**
 * `framesmith webhooks add|list|delete|rotate-secret|events|verify`: registered webhook endpoints,
 * and a checker for people writing a receiver (`verify` runs the same code as the library's
 * `verifyWebhook`, and `confirmDelivery` for unsigned callback_url deliveries).
 */
import { appendFile, readFile } from 'node:fs/promises';
import { defineCommand } from 'citty';
import { apiKeyArg } from './cloud-args.js';
import { clientFromArgs, formatTime, table } from './cloud-support.js';
import { EXIT } from '../core/exit-codes.js';
import { WEBHOOK_EVENTS, type WebhookEndpoint } from '../cloud/types.js';
import { confirmDelivery } from '../cloud/webhook-confirm.js';
import { DEFAULT_TOLERANCE_SEC, verifyWebhook } from '../cloud/webhook-signature.js';
import { FramesmithError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { defineFramesmithCommand, parseNumberFlag } from './define.js';

function showSecret(logger: Logger, ep: Pick<WebhookEndpoint, 'endpoint_id' | 'secret'> & Partial<WebhookEndpoint>, verb: string): void {
  if (logger.json) return logger.result({ ok: true, endpoint: ep });
  logger.success(`${verb} ${ep.endpoint_id}${ep.url ? ` → ${ep.url} (${ep.events?.length ? ep.events.join(', ') : 'all events'})` : ''}`);
  logger.warn('The signing secret is shown only now: store it where your receiver reads it (e.g. HEYGEN_WEBHOOK_SECRET).');
  logger.result(ep.secret ?? '');
}

const add = defineFramesmithCommand({
  name: 'webhooks add',
  description: 'Register an HTTPS endpoint for render events; prints its signing secret once',
  examples: [
    'framesmith webhooks add https://example.com/hooks/heygen',
    'framesmith webhooks add https://example.com/h --events hyperframes_video.fail',
  ],
  args: {
    url: { type: 'positional', required: true, description: 'HTTPS URL that receives the POSTs' },
    events: { type: 'string', valueHint: 'a,b', description: `Comma-separated event types (default all: ${WEBHOOK_EVENTS.join(', ')})` },
    ...apiKeyArg,
  },
  async run({ args, logger }) {
    let https: boolean;
    try {
      https = new URL(args.url).protocol === 'https:';
    } catch {
      https = false;
    }
    if (!https)
      throw new FramesmithError('invalid_option', `The webhook URL must be https://, got "${args.url}".`, {
        hint: 'HeyGen delivers only to HTTPS endpoints; for local testing use a tunnel.',
        exitCode: EXIT.usage,
      });
    const events = args.events
      ?.split(',')
      .map((e) => e.trim())
      .filter(Boolean);
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
    logger.result(
      table(
        ['endpoint', 'status', 'events', 'created', 'url'],
        eps.map((e) => [e.endpoint_id, e.status, e.events.length ? e.events.join(',') : 'all', formatTime(e.created_at), e.url]),
      ),
    );
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
    logger.result(
      table(
        ['event', 'description'],
        types.map((t) => [t.event_type, t.description ?? '']),
      ),
    );
  },
});

/** Reads a file of request headers: `Name: value` lines (as a log or `curl -v` shows them) or a JSON object. */
function parseHeaderFile(text: string, file: string): Record<string, string> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const obj = JSON.parse(trimmed) as Record<string, unknown>;
      return Object.fromEntries(
        Object.entries(obj)
          .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
          .map(([k, v]) => [k.toLowerCase(), String(v)]),
      );
    } catch {
      throw new FramesmithError('invalid_option', `${file} looks like JSON but does not parse.`, {
        hint: 'Give {"Heygen-Signature": "…", …} or one `Name: value` per line.',
        exitCode: EXIT.usage,
      });
    }
  }
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*[<>]?\s*([A-Za-z0-9-]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1].toLowerCase()] = m[2];
  }
  return out;
}

async function readSeen(file: string | undefined): Promise<Set<string>> {
  if (!file) return new Set();
  const text = await readFile(file, 'utf8').catch(() => '');
  return new Set(
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean),
  );
}

const verify = defineFramesmithCommand({
  name: 'webhooks verify',
  description:
    'Check a saved webhook delivery: its signature (Heygen-Signature with timestamp, or X-HeyGen-Signature), the timestamp window and replays; an unsigned callback_url delivery is checked against the API instead',
  examples: [
    'framesmith webhooks verify --payload body.json --headers headers.txt --secret whsec_…',
    'framesmith webhooks verify --payload body.json --signature 5f2c… --timestamp 1750000000',
    'framesmith webhooks verify --payload body.json            # unsigned: asks the API for the render',
  ],
  args: {
    payload: { type: 'string', required: true, valueHint: 'file', description: 'File holding the raw request body, byte for byte' },
    headers: {
      type: 'string',
      valueHint: 'file',
      description: 'File of the request headers (Name: value lines, or a JSON object): the convention is read from them',
    },
    signature: {
      type: 'string',
      valueHint: 'hex',
      description: 'The signature header value (Heygen-Signature with --timestamp, else X-HeyGen-Signature)',
    },
    timestamp: { type: 'string', valueHint: 'unix-seconds', description: 'The Heygen-Timestamp header' },
    'event-id': { type: 'string', valueHint: 'id', description: 'The Heygen-Event-Id header' },
    secret: { type: 'string', valueHint: 'whsec_…', description: 'The endpoint secret (default: HEYGEN_WEBHOOK_SECRET)' },
    tolerance: { type: 'string', valueHint: 'seconds', description: `Allowed clock difference (default ${DEFAULT_TOLERANCE_SEC})` },
    seen: {
      type: 'string',
      valueHint: 'file',
      description: 'Event ids already processed, one per line: a replay is refused, a valid id is added',
    },
    ...apiKeyArg,
  },
  async run({ args, logger }) {
    const toleranceSec = parseNumberFlag(args.tolerance, 'tolerance', { min: 0 });
    const payload = await readFile(args.payload).catch(() => {
      throw new FramesmithError('payload_not_found', `Cannot read the payload file ${args.payload}.`, {
        hint: 'Save the raw request body to a file first.',
        exitCode: EXIT.usage,
      });
    });
    const headers = args.headers
      ? parseHeaderFile(
          await readFile(args.headers, 'utf8').catch(() => {
            throw new FramesmithError('headers_not_found', `Cannot read the headers file ${args.headers}.`, {
              hint: 'Save the request headers, one `Name: value` per line.',
              exitCode: EXIT.usage,
            });
          }),
          args.headers,
        )
      : {};
    if (args.timestamp !== undefined && args.signature === undefined && !headers['heygen-signature']) {
      throw new FramesmithError('invalid_option', '--timestamp was given without a signature.', {
        hint: 'Add --signature (the Heygen-Signature header), or --headers with the whole request.',
        exitCode: EXIT.usage,
      });
    }
    const secret = args.secret ?? process.env.HEYGEN_WEBHOOK_SECRET ?? '';
    const seen = await readSeen(args.seen);
    const check = verifyWebhook({
      payload,
      headers,
      signature: args.signature,
      timestamp: args.timestamp,
      eventId: args['event-id'],
      secret,
      toleranceSec,
      seen,
    });

    if (!check.ok && check.reason === 'unsigned') {
      // A callback_url delivery: HeyGen does not sign these, so the body is checked against the API.
      const client = clientFromArgs(args, logger);
      const confirmed = await confirmDelivery(client, payload);
      if (logger.json)
        logger.result({
          ok: confirmed.consistent,
          convention: 'unsigned',
          renderId: confirmed.renderId,
          claimedEvent: confirmed.claimedEvent,
          status: confirmed.detail.status,
          render: confirmed.detail,
        });
      if (!confirmed.consistent)
        throw new FramesmithError(
          'webhook_unconfirmed',
          `Unsigned delivery (a render's callback_url; HeyGen does not sign these). ${confirmed.message}`,
          { hint: 'Act on the render as `framesmith renders get` shows it, never on an unsigned body.', exitCode: EXIT.failed },
        );
      if (logger.json) return;
      logger.warn("Unsigned delivery (a render's callback_url; HeyGen does not sign these): its body proves nothing by itself.");
      logger.success(`Confirmed with the API: ${confirmed.message}`);
      return;
    }
    if (!secret)
      throw new FramesmithError('missing_secret', `The delivery is signed (${check.convention}), but no webhook secret was given.`, {
        hint: 'Pass --secret or set HEYGEN_WEBHOOK_SECRET (the whsec_… printed by `webhooks add` or `rotate-secret`).',
        exitCode: EXIT.usage,
      });
    if (!check.ok && check.reason !== 'unsigned') {
      throw new FramesmithError(`webhook_${check.reason}`, `The webhook delivery is not valid (${check.convention}): ${check.message}`, {
        hint:
          check.reason === 'replayed'
            ? 'Drop it: the event was handled already.'
            : check.reason === 'expired'
              ? "Check this machine's clock; a delivery this old should not be acted on."
              : 'Check the secret (rotate-secret replaces it) and that the body file holds the exact raw bytes received.',
        exitCode: EXIT.failed,
      });
    }
    if (args.seen && check.eventId) await appendFile(args.seen, `${check.eventId}\n`);
    if (logger.json) return logger.result({ ok: true, convention: check.convention, timestamp: check.timestamp, eventId: check.eventId });
    logger.success(check.message);
  },
});

export default defineCommand({
  meta: { name: 'webhooks', description: 'Manage HeyGen webhook endpoints and verify webhook signatures' },
  subCommands: { add, list, delete: remove, 'rotate-secret': rotate, events, verify },
});
