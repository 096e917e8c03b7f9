/** `framesmith snapshot`: PNG stills at given times. */
import { relative } from 'node:path';
import { FramesmithError } from '../core/errors.js';
import { collectWarnings } from '../core/logger.js';
import { readVariablesInput } from '../options/variables-input.js';
import { reportRemote } from '../remote/report.js';
import { reportPageWarnings, warnBlockedRequests } from '../snapshot/page-problems.js';
import { takeSnapshots } from '../snapshot/snapshot.js';
import { compositionArg, defineFramesmithCommand, parseNumberFlag, variablesArgs } from './define.js';
import { EXIT } from '../core/exit-codes.js';

/** Parses `--at 0,1.5,3` into seconds, naming the bad entry when there is one. */
export function parseTimes(value: string): number[] {
  return value.split(',').map((part) => {
    const s = part.trim().replace(/s$/, '');
    const n = Number(s);
    if (s === '' || !Number.isFinite(n) || n < 0) {
      throw new FramesmithError('invalid_option', `--at: "${part.trim()}" is not a time in seconds.`, {
        hint: 'Give comma-separated seconds, e.g. --at 0,1.5,3',
        exitCode: EXIT.usage,
      });
    }
    return n;
  });
}

export default defineFramesmithCommand({
  name: 'snapshot',
  description: 'Write PNG stills of a composition at given times, rendered by a real Chromium',
  examples: [
    'framesmith snapshot . --at 0,1.5,3',
    'framesmith snapshot my-video --count 8 --out stills',
    `framesmith snapshot . --at 2 --variables '{"headline":"Hi"}'`,
  ],
  args: {
    dir: { type: 'positional', required: false, default: '.', description: 'Project folder' },
    at: { type: 'string', valueHint: 'times', description: 'Comma-separated times in seconds, e.g. 0,1.5,3' },
    count: { type: 'string', valueHint: 'n', description: 'Instead of --at: N stills spread from the first to the last frame (default 5)' },
    // Until 0.1 `--frames N` meant a count here; it means a frame range everywhere now (render).
    frames: { type: 'string', valueHint: 'a-b', description: 'Not for snapshot: use --at (times) or --count (number of stills)' },
    out: { type: 'string', valueHint: 'dir', description: 'Folder for the PNGs (default <project>/snapshots)' },
    ...variablesArgs,
    'strict-variables': { type: 'boolean', description: 'Fail on variable values that are undeclared or invalid (default: warn)' },
    ...compositionArg,
  },
  async run({ args, logger: base }) {
    // The warnings also go into the --json object, which is all --json prints.
    const logger = collectWarnings(base);
    if (args.frames !== undefined) {
      throw new FramesmithError(
        'renamed_option',
        `snapshot --frames ${args.frames}: --frames is a frame range (as in \`framesmith render --frames 0-89\`); the number of stills is --count.`,
        {
          hint: /^\d+$/.test(String(args.frames))
            ? `Use --count ${args.frames} for ${args.frames} stills spread over the composition, or --at for times in seconds.`
            : 'Use --at with times in seconds (e.g. --at 0,1.5,3), or --count N for N stills spread over the composition.',
          exitCode: EXIT.usage,
        },
      );
    }
    if (args.at && args.count) {
      throw new FramesmithError('invalid_option', 'Use either --at or --count, not both.', {
        hint: '--at lists times; --count spreads N stills evenly.',
        exitCode: EXIT.usage,
      });
    }
    const variables = await readVariablesInput({ json: args.variables, file: args['variables-file'] });
    const result = await takeSnapshots({
      dir: args.dir,
      composition: args.composition,
      times: args.at ? parseTimes(args.at) : undefined,
      count: parseNumberFlag(args.count, 'count', { min: 1, max: 1000, integer: true }),
      outDir: args.out,
      variables,
      strictVariables: args['strict-variables'],
      logger,
    });
    reportRemote(logger, result.remote);
    warnBlockedRequests(logger, result.cutOff);
    reportPageWarnings(logger, result.pageWarnings);
    if (logger.json) return logger.result({ ok: true, ...result, warnings: logger.warnings });
    for (const still of result.stills) logger.result(relative(process.cwd(), still.file) || still.file);
    logger.success(`${result.stills.length} still${result.stills.length === 1 ? '' : 's'} (${result.width}x${result.height})`);
    if (result.variablesHash)
      logger.info(`variables ${result.variablesHash}: ${JSON.stringify(variables)} (the -${result.variablesHash} in the file names)`);
  },
});
