/**
 * The flags of `framesmith render --cloud` as citty definitions, and their translation into
 * `RunCloudRenderOptions`. The render command (owned elsewhere) spreads `cloudRenderArgs` into its
 * own args and calls `cloudRenderOptionsFromArgs`, so the cloud flags are defined only here.
 */
import type { ArgsDef } from 'citty';
import { parseNumberFlag, variablesArgs } from './define.js';
import { FramesmithError } from '../core/errors.js';
import { readVariablesInput } from '../options/variables-input.js';
import { resolveCredential } from '../cloud/api-key.js';
import { DEFAULT_CONCURRENCY } from '../cloud/batch-run.js';
import { retryFromEnv } from './cloud-support.js';
import { EXIT } from '../core/exit-codes.js';
import { parseParamFlag, RENDER_PARAMS, renderParamArgs, type RenderParams } from '../cloud/params.js';
import type { RunCloudRenderOptions } from '../cloud/run-cloud-render.js';

/** `--api-key` and `--access-token`, shared by every cloud command. */
export const apiKeyArg = {
  'api-key': {
    type: 'string',
    valueHint: 'key',
    description: 'HeyGen API key (default: HEYGEN_API_KEY, then HEYGEN_API_KEY in the project .env)',
  },
  'access-token': {
    type: 'string',
    valueHint: 'token',
    description: 'OAuth access token, sent as Authorization: Bearer instead of a key (default: HEYGEN_ACCESS_TOKEN)',
  },
} as const satisfies ArgsDef;

/** Every flag of a cloud render. */
export const cloudRenderArgs = {
  ...renderParamArgs(),
  ...variablesArgs,
  'strict-variables': { type: 'boolean', description: 'Treat variable values that do not match the declarations as errors' },
  'asset-id': { type: 'string', valueHint: 'id', description: 'Render an already uploaded zip instead of the folder' },
  url: { type: 'string', valueHint: 'https-url', description: 'Render a zip at a public https URL instead of the folder' },
  wait: {
    type: 'boolean',
    default: true,
    description: 'Follow the render and download it',
    negativeDescription: 'Submit, print the render id and exit',
  },
  out: {
    type: 'string',
    alias: 'o',
    valueHint: 'file',
    description: 'Where to write the video; its extension picks the format (default <dir>/renders/<render_id>.<format>)',
  },
  'poll-interval': { type: 'string', valueHint: 'seconds', description: 'Seconds between status checks (default 10)' },
  timeout: { type: 'string', valueHint: 'minutes', description: 'Stop waiting after this many minutes (default 60; the render goes on)' },
  'idempotency-key': {
    type: 'string',
    valueHint: 'key',
    description: 'Reuse a key to make a retried submit return the first render instead of a second one',
  },
  'dry-run': { type: 'boolean', description: 'Check everything and build the zip, but upload and submit nothing' },
  batch: { type: 'string', valueHint: 'rows.json|rows.csv', description: 'One render per row of variable values, from one upload' },
  'name-pattern': {
    type: 'string',
    valueHint: 'pattern',
    description: 'Batch output names, e.g. "renders/{headline}.mp4" ({index}, {render_id}, {format} too)',
  },
  concurrency: {
    type: 'string',
    valueHint: 'n',
    description: `Batch: renders in flight at most, 1–100 (default ${DEFAULT_CONCURRENCY}, the limit of pay-as-you-go accounts)`,
  },
  ...apiKeyArg,
} as const satisfies ArgsDef;

/** Reads `--variables` / `--variables-file` into an object, with the errors a local render gives. */
export async function readVariablesFlags(
  args: { variables?: string; 'variables-file'?: string },
  cwd: string,
): Promise<Record<string, unknown> | undefined> {
  if (args.variables === undefined && !args['variables-file']) return undefined;
  return readVariablesInput({ json: args.variables, file: args['variables-file'], cwd });
}

/** Turns parsed flags (citty's object) into options for runCloudRender. The project source is left to the caller. */
export async function cloudRenderOptionsFromArgs(args: Record<string, unknown>, cwd = process.cwd()): Promise<RunCloudRenderOptions> {
  const params: RenderParams = {};
  for (const def of RENDER_PARAMS) {
    const raw = args[def.flag];
    if (typeof raw === 'string') (params as Record<string, unknown>)[def.name] = parseParamFlag(def, raw);
  }
  params.variables = await readVariablesFlags(args as { variables?: string }, cwd);
  const str = (k: string) => (typeof args[k] === 'string' ? (args[k] as string) : undefined);
  const pollSeconds = parseNumberFlag(str('poll-interval'), 'poll-interval', { min: 1 });
  const timeoutMinutes = parseNumberFlag(str('timeout'), 'timeout', { min: 0.01 });
  const concurrency = parseNumberFlag(str('concurrency'), 'concurrency', { min: 1, max: 100, integer: true });
  if (concurrency !== undefined && !str('batch')) {
    throw new FramesmithError('invalid_option', '--concurrency applies to batches only.', {
      hint: 'Add --batch rows.json|rows.csv, or leave --concurrency out.',
      exitCode: EXIT.usage,
    });
  }
  return {
    params,
    cwd,
    strictVariables: Boolean(args['strict-variables']),
    assetId: str('asset-id'),
    url: str('url'),
    wait: args.wait !== false,
    outPath: str('out'),
    pollInterval: pollSeconds === undefined ? undefined : pollSeconds * 1000,
    timeout: timeoutMinutes === undefined ? undefined : timeoutMinutes * 60_000,
    idempotencyKey: str('idempotency-key'),
    dryRun: Boolean(args['dry-run']),
    batch: str('batch') ? { file: str('batch'), namePattern: str('name-pattern'), concurrency } : undefined,
    apiKey:
      str('api-key') !== undefined || str('access-token') !== undefined
        ? resolveCredential({ flag: str('api-key'), accessToken: str('access-token') })
        : undefined,
    retry: retryFromEnv(),
  };
}
