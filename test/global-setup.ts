// Builds framesmith once before the suites, so end-to-end tests drive the same
// `bin/framesmith.js` a user runs. Set FRAMESMITH_SKIP_BUILD=1 to reuse an existing build.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  if (process.env.FRAMESMITH_SKIP_BUILD === '1') return;
  execFileSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'build.mjs')], { stdio: 'inherit' });
}
