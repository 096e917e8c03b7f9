// Builds framesmith: the browser bundles (vite.config.ts: runtime/ → dist/runtime, preview/ →
// dist/preview) and the Node code (`tsc -b`: shared/ → dist/shared, then src/ → dist/node).
// Runs on `npm ci` through the `prepare` script (`--prepare`), before the tests
// (test/global-setup.ts) and before `npm pack` (prepack).
// With `--prepare` it skips a clone that is already built when npm runs it on behalf of another
// project: a project made by `framesmith new` from this clone depends on it as `file:<clone>`, and
// npm runs the clone's `prepare` on every `npm install` there; rebuilding would only cost time
// (and pull dist/ from under a running framesmith).
import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.argv.includes('--prepare')) {
  const from = process.env.INIT_CWD;
  const built = existsSync(join(root, 'dist/node/cli.js')) && existsSync(join(root, 'dist/runtime'));
  if (built && from && existsSync(from) && realpathSync(from) !== realpathSync(root)) {
    console.log(`framesmith is already built in ${root}; not rebuilding it for ${from}.`);
    process.exit(0);
  }
}
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

rmSync(join(root, 'dist'), { recursive: true, force: true });
run(bin('vite'), ['build', '--mode', 'runtime']);
if (existsSync(join(root, 'preview/main.ts'))) run(bin('vite'), ['build', '--mode', 'preview']);
run(bin('tsc'), ['-b', 'tsconfig.json']);
if (existsSync(join(root, 'scripts/vendor-templates.mjs'))) run(process.execPath, [join(root, 'scripts/vendor-templates.mjs')]);
