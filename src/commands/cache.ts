/** `framesmith cache`: where framesmith keeps remote files, how much it holds, and clearing it. */
import { ContentCache } from '../remote/content-cache.js';
import { defineFramesmithCommand } from './define.js';

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

export default defineFramesmithCommand({
  name: 'cache',
  description: "Show framesmith's cache of remote files (CDN scripts, fonts, npm packages), or clear it",
  examples: ['framesmith cache', 'framesmith cache --clear', 'framesmith cache --json'],
  args: {
    clear: { type: 'boolean', description: 'Remove every cached file (the next run fetches them again)' },
  },
  async run({ args, logger }) {
    const cache = new ContentCache();
    const before = await cache.usage();
    if (args.clear) await cache.clear();
    const after = args.clear ? await cache.usage() : before;
    const result = {
      dir: cache.dir,
      bytes: after.bytes,
      entries: after.entries,
      maxEntryBytes: cache.maxEntryBytes,
      maxTotalBytes: cache.maxTotalBytes,
      cleared: args.clear ? before : null,
    };
    if (logger.json) return logger.result(result);
    if (args.clear) logger.success(`removed ${before.entries} cached file${before.entries === 1 ? '' : 's'} (${mib(before.bytes)})`);
    else
      logger.info(
        `${before.entries} cached file${before.entries === 1 ? '' : 's'}, ${mib(before.bytes)} of ${mib(cache.maxTotalBytes)} (one file at most ${mib(cache.maxEntryBytes)})`,
      );
    logger.result(cache.dir);
  },
});
