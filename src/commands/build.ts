/** `framesmith build`: lint, bundle, check in Chromium and zip a project for the cloud. */
import { buildBundle } from '../build/build-bundle.js';
import { includePatterns } from '../build/output-exclusion.js';
import { formatBuildSummary } from '../build/summary.js';
import { compositionArg, defineFramesmithCommand } from './define.js';

export default defineFramesmithCommand({
  name: 'build',
  description: 'Package a composition for HeyGen: lint, bundle, check in Chromium, write a reproducible zip',
  examples: [
    'framesmith build',
    'framesmith build my-video --out promo.zip',
    'framesmith build . --no-check --json',
    "framesmith build . --include 'media/*.mp4'",
  ],
  args: {
    dir: { type: 'positional', required: false, default: '.', description: 'Project folder' },
    out: { type: 'string', alias: 'o', valueHint: 'file.zip', description: 'Zip to write (default <dir>/build/<folder>.zip)' },
    ...compositionArg,
    check: { type: 'boolean', default: true, description: 'Load the built output in Chromium before zipping (--no-check skips it)' },
    include: {
      type: 'string',
      valueHint: 'pattern',
      description:
        'Ship files left out by default (zips, renders, media nothing references); gitignore patterns, comma-separated or repeated',
    },
    strict: { type: 'boolean', default: false, description: "Refuse on every lint error, also those HeyGen's renderer renders through" },
  },
  async run({ args, logger, rawArgs }) {
    const result = await buildBundle({
      dir: args.dir,
      out: args.out,
      composition: args.composition,
      check: args.check,
      include: includePatterns(rawArgs),
      strict: args.strict,
      logger,
    });
    if (logger.json) return logger.result(result);
    logger.info(formatBuildSummary(result));
    logger.result(result.zipPath);
  },
});
