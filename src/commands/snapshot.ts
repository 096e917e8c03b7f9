import { FramesmithError } from '../core/errors.js';
import { compositionArg, defineFramesmithCommand, variablesArgs } from './define.js';

export default defineFramesmithCommand({
  name: 'snapshot',
  description: 'Write PNG stills of a composition at given times, with a real Chromium',
  args: {
    dir: { type: 'positional', required: false, default: '.', description: 'Project folder' },
    at: { type: 'string', valueHint: 'times', description: 'Comma-separated times in seconds, e.g. 0,1.5,3' },
    frames: { type: 'string', valueHint: 'n', description: 'Instead of --at: N stills spread evenly over the duration' },
    out: { type: 'string', valueHint: 'dir', description: 'Folder for the PNGs (default snapshots/)' },
    ...variablesArgs,
    ...compositionArg,
  },
  run() {
    throw new FramesmithError('not_implemented', 'snapshot is being built');
  },
});
