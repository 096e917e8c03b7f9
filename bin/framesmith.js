#!/usr/bin/env node
// Entry point of the `framesmith` command. The CLI itself is compiled TypeScript in dist/node.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/node/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('framesmith is not built yet: run `npm run build` in the framesmith folder.\n');
  process.exit(1);
}
const { main } = await import(cli.href);
await main(process.argv.slice(2));
