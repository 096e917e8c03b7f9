/**
 * `framesmith render`: a video of the composition, made on this machine (Chromium + ffmpeg), or
 * with `--cloud` on HeyGen's HyperFrames renderer. Flags both paths share (fps, quality, format,
 * resolution, composition, variables, -o, batch and its name pattern) mean the same in both;
 * each path refuses the other's own flags.
 */
import { join, relative, resolve } from 'node:path';
import type { ArgsDef } from 'citty';
import { buildBundle } from '../build/build-bundle.js';
import { includePatterns, renderReferences } from '../build/output-exclusion.js';
import { cloudRenderArgs, cloudRenderOptionsFromArgs } from './cloud-args.js';
import { runCloudRender, type RunCloudRenderResult } from '../cloud/run-cloud-render.js';
import { formatTable } from '../core/table.js';
import { renamedValues } from '../options/batch-values.js';
import { FramesmithError } from '../core/errors.js';
import { collectWarnings, type Logger } from '../core/logger.js';
import { readVariablesInput } from '../options/variables-input.js';
import { renderBatch, type BatchResult } from '../render/batch.js';
import { abortOnInterrupt } from '../core/signals.js';
import { renderLocal } from '../render/render-local.js';
import type { RenderResult } from '../render/result.js';
import { checkWorkers } from '../render/options.js';
import { defineFramesmithCommand } from './define.js';
import { formatDryRun } from './dry-run-summary.js';
import { EXIT } from '../core/exit-codes.js';

/** Flags of local renders only. */
const LOCAL_ONLY = {
  frames: { type: 'string', valueHint: 'a-b', description: 'Only these frames, inclusive and 0-based, e.g. 0-89 (local only)' },
  workers: {
    type: 'string',
    valueHint: 'n',
    description: 'Parallel capture browsers (local only; default and maximum sized to this machine)',
  },
  thumbnail: {
    type: 'boolean',
    default: true,
    description: 'Write <name>.png (the middle frame) beside the video (local only)',
    negativeDescription: 'Do not write the thumbnail',
  },
  'fail-fast': { type: 'boolean', description: 'Batch: stop at the first failed row (local only)' },
} as const satisfies ArgsDef;

const SHARED = new Set([
  'fps',
  'quality',
  'format',
  'resolution',
  'composition',
  'variables',
  'variables-file',
  'strict-variables',
  'out',
  'batch',
  'name-pattern',
]);

/** The cloud's flags, with the ones only the cloud uses marked in --help. */
function cloudArgs(): ArgsDef {
  const out: ArgsDef = {};
  for (const [name, def] of Object.entries(cloudRenderArgs as ArgsDef)) {
    if (name === 'name-pattern') continue; // an alias of --out-pattern below
    out[name] = SHARED.has(name) ? def : { ...def, description: `(--cloud) ${def.description ?? ''}` };
  }
  return out;
}

const args = {
  dir: { type: 'positional', required: false, default: '.', description: 'Project folder' },
  cloud: { type: 'boolean', description: 'Render on HeyGen HyperFrames (needs an API key) instead of this machine' },
  ...cloudArgs(),
  out: {
    type: 'string',
    alias: 'o',
    valueHint: 'file',
    description:
      'Video to write; its extension picks the format (default <dir>/renders/<name>.<format>, with --cloud <dir>/renders/<render_id>.<format>)',
  },
  batch: {
    type: 'string',
    valueHint: 'rows.json|rows.csv',
    description: 'One video per row of variable values (JSON array of objects, or CSV with a header row)',
  },
  'out-pattern': {
    type: 'string',
    alias: 'name-pattern',
    valueHint: 'pattern',
    description: 'Batch output names, e.g. "renders/{headline}.mp4" ({index} and {format} too; {render_id} with --cloud)',
  },
  include: {
    type: 'string',
    valueHint: 'pattern',
    description: '(--cloud) Upload files the bundle leaves out by default (renders, zips, media nothing references); gitignore patterns',
  },
  ...LOCAL_ONLY,
} as const satisfies ArgsDef;

/** Flags given on the command line: definition name → the name as typed (`--no-wait` is `wait` typed as `no-wait`). */
function givenFlags(rawArgs: string[]): Map<string, string> {
  const given = new Map<string, string>();
  for (const raw of rawArgs) {
    if (raw === '--') break;
    if (!raw.startsWith('--')) continue;
    const typed = raw.slice(2).split('=')[0];
    given.set(typed.replace(/^no-/, ''), typed);
  }
  return given;
}

function refuse(flags: string[], mode: 'local' | 'cloud'): void {
  if (!flags.length) return;
  const list = flags.map((f) => `--${f}`).join(', ');
  throw new FramesmithError(
    'option_not_for_mode',
    mode === 'local'
      ? `${list} ${flags.length > 1 ? 'work' : 'works'} only with --cloud.`
      : `${list} ${flags.length > 1 ? 'apply' : 'applies'} to local renders only, not with --cloud.`,
    {
      hint: mode === 'local' ? 'Add --cloud to render on HeyGen, or drop the flag.' : 'Drop the flag, or render locally without --cloud.',
      exitCode: EXIT.usage,
    },
  );
}

function printLocal(logger: Logger, r: RenderResult): void {
  const reuse = (r.reused ? `, ${r.reused} reused unchanged` : '') + (r.shared ? `, ${r.shared} shared with row 1` : '');
  logger.success(
    `${r.frames} frames (${r.width}x${r.height}, ${r.fps} fps, ${r.format} ${r.quality}${r.audio ? ', with audio' : ''}) in ${(r.wallMs / 1000).toFixed(1)} s · ${r.renderFps} fps · ${r.captured} drawn${reuse} · ${r.workers} worker${r.workers > 1 ? 's' : ''} (${r.captureMode})`,
  );
  if (r.thumbnail) logger.info(`thumbnail: ${relative(process.cwd(), r.thumbnail) || r.thumbnail}`);
  logger.result(relative(process.cwd(), r.output) || r.output);
}

/** stdout of a cloud render: the render ids with --no-wait (for scripts), else the files written. */
function printCloud(logger: Logger, r: RunCloudRenderResult): void {
  for (const o of r.renders) {
    if (o.videoPath) logger.result(relative(process.cwd(), o.videoPath) || o.videoPath);
    else if (!r.dryRun && o.status !== 'completed' && o.status !== 'failed') logger.result(o.renderId);
  }
}

function printBatch(logger: Logger, b: BatchResult, pattern: string | undefined): void {
  // A row whose values had to be replaced or warned about does not read as a clean "rendered";
  // a name made file-name-safe shows the values as they were written.
  const status = (o: BatchResult['rows'][number]) => (o.status === 'rendered' && o.warnings.length ? 'rendered with warnings' : o.status);
  const from = b.rows.map((o) => renamedValues(pattern, o.variables).join(', '));
  const rows = b.rows.map((o, i) => [
    String(o.index),
    status(o),
    o.status === 'failed' ? (o.error?.message ?? '') : relative(process.cwd(), o.output),
    ...(from.some(Boolean) ? [from[i]] : []),
  ]);
  for (const line of formatTable(['#', 'status', 'output', ...(from.some(Boolean) ? ['named from'] : [])], rows)) logger.info(line);
  const shared = b.rows.reduce((n, o) => n + (o.result?.shared ?? 0), 0);
  logger.info(
    `${b.rendered}/${b.total} rendered${b.failed ? `, ${b.failed} failed` : ''} in ${(b.wallMs / 1000).toFixed(1)} s${shared ? ` · ${shared} frames shared with row 1` : ''}`,
  );
  for (const o of b.rows) if (o.status === 'rendered') logger.result(relative(process.cwd(), o.output));
}

export default defineFramesmithCommand({
  name: 'render',
  description: 'Render the composition to a video on this machine (Chromium + ffmpeg), or on HeyGen with --cloud',
  examples: [
    'framesmith render',
    'framesmith render my-video -o out/promo.mp4 --quality high',
    'framesmith render . --format webm --frames 0-89',
    `framesmith render . --variables '{"headline":"Hi"}' --fps 60`,
    'framesmith render . --batch rows.csv --out-pattern "renders/{headline}.mp4"',
    'framesmith render my-video --cloud --quality high',
  ],
  args,
  async run({ args: a, logger, rawArgs }) {
    const given = givenFlags(rawArgs);
    // The cloud's flags come in as a generic table: read them by name.
    const raw = a as Record<string, unknown>;
    const str = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string) : undefined);
    const pattern = a['out-pattern'];
    if (a.cloud) {
      refuse(
        Object.keys(LOCAL_ONLY)
          .filter((f) => given.has(f))
          .map((f) => given.get(f)!),
        'cloud',
      );
      const options = await cloudRenderOptionsFromArgs({ ...a, 'name-pattern': pattern });
      const fromFolder = !options.assetId && !options.url;
      // Ctrl+C stops the upload or the wait with the resume command; renders go on in the cloud.
      const interrupt = abortOnInterrupt();
      // Warnings (variables, aspect, the build's) are printed, and kept for --json's result.
      const collecting = collectWarnings(logger);
      try {
        const result = await runCloudRender({
          ...options,
          logger: collecting,
          projectDir: a.dir,
          // Like a local render, the default outputs go to the project's renders/ folder.
          rendersDir: fromFolder ? join(resolve(a.dir), 'renders') : undefined,
          signal: interrupt.signal,
          zip: fromFolder
            ? async () => {
                const references = await renderReferences({
                  variables: options.params?.variables,
                  batchFile: options.batch?.file && resolve(options.batch.file),
                });
                return (
                  await buildBundle({
                    dir: a.dir,
                    composition: str('composition'),
                    include: includePatterns(rawArgs),
                    references,
                    logger: collecting,
                  })
                ).zipPath;
              }
            : undefined,
        });
        if (logger.json) logger.result({ ok: true, ...result, warnings: collecting.warnings });
        else if (result.dryRun) for (const line of await formatDryRun(result)) logger.info(line);
        else printCloud(logger, result);
      } finally {
        interrupt.dispose();
      }
      return;
    }
    const cloudOnly = [...Object.keys(cloudRenderArgs), 'include'].filter((f) => !SHARED.has(f) && given.has(f)).map((f) => given.get(f)!);
    refuse(cloudOnly, 'local');
    const common = {
      dir: a.dir,
      composition: str('composition'),
      out: a.out,
      fps: str('fps'),
      quality: str('quality') as RenderResult['quality'] | undefined,
      format: str('format') as RenderResult['format'] | undefined,
      resolution: str('resolution') as RenderResult['resolution'] | undefined,
      variables: await readVariablesInput({ json: str('variables'), file: str('variables-file') }),
      strictVariables: raw['strict-variables'] === true,
      frames: a.frames,
      workers: a.workers === undefined || a.workers === '' ? undefined : checkWorkers(Number(a.workers), a.workers),
      thumbnail: a.thumbnail,
      logger,
    };
    const interrupt = abortOnInterrupt();
    try {
      if (a.batch) {
        if (a.out)
          throw new FramesmithError('invalid_option', '-o names one video; a batch writes one per row.', {
            hint: 'Use --out-pattern "renders/{headline}.mp4" instead.',
            exitCode: EXIT.usage,
          });
        const result = await renderBatch({ ...common, file: a.batch, pattern, failFast: a['fail-fast'], signal: interrupt.signal });
        if (logger.json) logger.result(result);
        else printBatch(logger, result, pattern);
        if (!result.ok) process.exitCode = EXIT.failed;
        return;
      }
      if (pattern || a['fail-fast']) {
        throw new FramesmithError('invalid_option', `--${pattern ? 'out-pattern' : 'fail-fast'} applies to batches only.`, {
          hint: 'Add --batch rows.json|rows.csv, or use -o for one video.',
          exitCode: EXIT.usage,
        });
      }
      const result = await renderLocal({ ...common, signal: interrupt.signal });
      if (logger.json) logger.result(result);
      else printLocal(logger, result);
    } finally {
      interrupt.dispose();
    }
  },
});
