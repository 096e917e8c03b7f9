/** `framesmith lint`: static checks of a composition project against the render contract. */
import { formatLintReport, lintJson, lintProject } from '../lint/index.js';
import { compositionArg, defineFramesmithCommand } from './define.js';
import { EXIT } from '../core/exit-codes.js';

export default defineFramesmithCommand({
  name: 'lint',
  description: 'Check a composition project for what would fail or differ in a render (exit 1 on errors)',
  examples: ['framesmith lint', 'framesmith lint my-video --json', 'framesmith lint . --composition intro.html'],
  args: {
    dir: { type: 'positional', required: false, default: '.', description: 'Project folder' },
    ...compositionArg,
  },
  async run({ args, logger }) {
    const result = await lintProject(args.dir, { composition: args.composition });
    if (logger.json) logger.result(lintJson(result, logger.level === 'debug'));
    else {
      const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
      logger.result(
        formatLintReport(result, {
          dirLabel: args.dir,
          only: logger.level === 'error' ? 'error' : undefined,
          verbose: logger.level === 'debug',
          color,
        }),
      );
    }
    // The report is the output; an error only sets the exit code (a thrown error would print twice).
    if (!result.ok) process.exitCode = EXIT.failed;
  },
});
