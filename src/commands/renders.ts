/**
 * `framesmith renders list|get|delete`: the renders on the HeyGen account. `get --download`
 * waits for a running render and fetches its files, which makes it the way to resume after
 * `render --cloud --no-wait` or Ctrl+C.
 */
import { defineCommand } from 'citty';
import { apiKeyArg } from './cloud-args.js';
import { clientFromArgs, followRender, formatTime, table } from './cloud-support.js';
import { downloadRenderOutputs } from '../cloud/download.js';
import { isTerminal } from '../cloud/poll.js';
import type { RenderDetail } from '../cloud/types.js';
import { FramesmithError } from '../core/errors.js';
import { defineFramesmithCommand, parseNumberFlag } from './define.js';
import { EXIT } from '../core/exit-codes.js';

const list = defineFramesmithCommand({
  name: 'renders list',
  description: 'List the renders on the account, newest first',
  examples: ['framesmith renders list', 'framesmith renders list --all --json'],
  args: {
    limit: { type: 'string', valueHint: '1-100', description: 'Renders per page (default 10)' },
    all: { type: 'boolean', description: 'Follow next_token through every page' },
    ...apiKeyArg,
  },
  async run({ args, logger }) {
    const limit = parseNumberFlag(args.limit, 'limit', { min: 1, max: 100, integer: true });
    const client = clientFromArgs(args, logger);
    const page = args.all
      ? { data: await client.renders.listAll({ pageSize: limit ?? 100 }), has_more: false, next_token: null }
      : await client.renders.list({ limit: limit ?? 10 });
    if (logger.json) return logger.result({ ok: true, renders: page.data, has_more: page.has_more, next_token: page.next_token });
    if (!page.data.length) return logger.info('No renders on this account yet.');
    logger.result(
      table(
        ['render', 'status', 'format', 'created', 'title'],
        page.data.map((r) => [r.render_id, r.status, r.format, formatTime(r.created_at), r.title ?? '']),
      ),
    );
    if (page.has_more) logger.info('More renders exist: add --all, or --limit up to 100.');
  },
});

function describeRender(d: RenderDetail): string {
  const rows: [string, unknown][] = [
    ['render', d.render_id],
    ['status', d.status],
    ['title', d.title],
    ['format', d.format],
    ['resolution', d.resolution],
    ['aspect ratio', d.aspect_ratio],
    ['fps', d.fps],
    ['quality', d.quality],
    ['duration', d.duration === null ? null : `${d.duration} s`],
    ['created', formatTime(d.created_at)],
    ['completed', d.completed_at ? formatTime(d.completed_at) : null],
    ['callback id', d.callback_id],
    ['failure', d.failure_message],
    ['video url', d.video_url],
    ['thumbnail url', d.thumbnail_url],
  ];
  return rows
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k.padEnd(13)} ${v}`)
    .join('\n');
}

const get = defineFramesmithCommand({
  name: 'renders get',
  description: 'Show one render; with --download, wait for it to finish and fetch the video and thumbnail',
  examples: ['framesmith renders get hfr_123', 'framesmith renders get hfr_123 --download -o promo.mp4'],
  args: {
    id: { type: 'positional', required: true, description: 'The render id (hfr_…)' },
    download: { type: 'boolean', description: 'Wait until it ends, then download to renders/<id>.<format> (or -o)' },
    out: { type: 'string', alias: 'o', valueHint: 'file', description: 'Where to write the video with --download' },
    'poll-interval': { type: 'string', valueHint: 'seconds', description: 'Seconds between status checks while waiting (default 10)' },
    timeout: { type: 'string', valueHint: 'minutes', description: 'Stop waiting after this many minutes (default 60)' },
    ...apiKeyArg,
  },
  async run({ args, logger }) {
    const poll = parseNumberFlag(args['poll-interval'], 'poll-interval', { min: 1 });
    const timeout = parseNumberFlag(args.timeout, 'timeout', { min: 0.01 });
    if (args.out && !args.download)
      throw new FramesmithError('invalid_option', '-o only applies with --download.', { hint: 'Add --download.', exitCode: EXIT.usage });
    const client = clientFromArgs(args, logger);
    let detail = await client.renders.get(args.id);
    if (!args.download) {
      if (logger.json) return logger.result({ ok: true, render: detail });
      return logger.result(describeRender(detail));
    }
    if (!isTerminal(detail))
      detail = await followRender(client, args.id, logger, {
        pollInterval: poll === undefined ? undefined : poll * 1000,
        timeout: timeout === undefined ? undefined : timeout * 60_000,
      });
    if (detail.status === 'failed') {
      throw new FramesmithError('render_failed', `Render ${detail.render_id} failed: ${detail.failure_message ?? 'no reason given'}.`, {
        hint: 'Check the composition with `framesmith lint` and a local render, then submit again.',
        exitCode: EXIT.renderFailed,
      });
    }
    const files = await downloadRenderOutputs(detail, { client, outPath: args.out, logger });
    if (logger.json) return logger.result({ ok: true, render: detail, video: files.videoPath, thumbnail: files.thumbnailPath });
    logger.success(`Downloaded ${detail.render_id} (${(files.videoBytes / 1e6).toFixed(2)} MB)`);
    logger.result(files.videoPath);
  },
});

const remove = defineFramesmithCommand({
  name: 'renders delete',
  description: 'Delete a render (its video links stop working)',
  examples: ['framesmith renders delete hfr_123'],
  args: {
    id: { type: 'positional', required: true, description: 'The render id (hfr_…)' },
    ...apiKeyArg,
  },
  async run({ args, logger }) {
    const out = await clientFromArgs(args, logger).renders.delete(args.id);
    if (logger.json) return logger.result({ ok: true, deleted: out?.render_id ?? args.id });
    logger.success(`Deleted render ${args.id}`);
  },
});

export default defineCommand({
  meta: { name: 'renders', description: 'List, inspect, download and delete HeyGen cloud renders' },
  subCommands: { list, get, delete: remove },
});
