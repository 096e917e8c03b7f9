/** `framesmith vendor`: copies a project's remote files into it and points its references at the copies. */
import { formatVendorReport } from '../vendor/format.js';
import { VENDOR_EXIT_INCOMPLETE, vendorProject } from '../vendor/vendor.js';
import { defineFramesmithCommand } from './define.js';

export default defineFramesmithCommand({
  name: 'vendor',
  description: `Make a project self-contained: copy its CDN scripts, Google Fonts and other remote files into it (exit ${VENDOR_EXIT_INCOMPLETE} when some could not be had)`,
  examples: ['framesmith vendor', 'framesmith vendor my-video --dry-run', 'framesmith vendor . --json'],
  args: {
    dir: { type: 'positional', required: false, default: '.', description: 'Project folder' },
    'dry-run': { type: 'boolean', description: 'Show what would be copied and rewritten; change nothing' },
  },
  async run({ args, logger }) {
    const result = await vendorProject({ dir: args.dir, dryRun: args['dry-run'], logger });
    if (logger.json) logger.result(result);
    else for (const line of formatVendorReport(result)) logger.info(line);
    if (!result.ok) process.exitCode = VENDOR_EXIT_INCOMPLETE;
  },
});
