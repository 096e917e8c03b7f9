#!/usr/bin/env node
// Entry point of the `framesmith` command. The CLI itself is compiled TypeScript in dist/node.
// This file stays plain, old-syntax-safe JavaScript up to the version check, so that an older Node
// prints what to do instead of a syntax error from deep inside the CLI.
import { existsSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const wanted = /(\d+)\.(\d+)/.exec(pkg.engines.node);
const have = process.versions.node.split('.').map(Number);
if (wanted && (have[0] < Number(wanted[1]) || (have[0] === Number(wanted[1]) && have[1] < Number(wanted[2])))) {
  process.stderr.write(
    `error framesmith ${pkg.version} needs Node.js ${wanted[1]}.${wanted[2]} or newer (engines: "${pkg.engines.node}"); this is Node.js ${process.versions.node} (${process.execPath}). [unsupported_node]\n` +
      `  hint: Install a current Node.js (https://nodejs.org, or \`nvm install 22\`) and run framesmith with it.\n`,
  );
  process.exit(1);
}

const cli = new URL('../dist/node/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('framesmith is not built yet: run `npm run build` in the framesmith folder.\n');
  process.exit(1);
}
const { main } = await import(cli.href);
await main(process.argv.slice(2));
