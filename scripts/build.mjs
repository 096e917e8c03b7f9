// Builds framesmith: the browser runtime (vite.config.ts) and the Node code (tsc → dist/node).
// Runs on `npm ci` through the `prepare` script, and before the tests (test/global-setup.ts).
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

rmSync(join(root, 'dist'), { recursive: true, force: true });
run(bin('vite'), ['build', '--mode', 'runtime']);
if (existsSync(join(root, 'runtime/overlay/main.ts'))) run(bin('vite'), ['build', '--mode', 'overlay']);
run(bin('tsc'), ['-p', 'tsconfig.json']);
if (existsSync(join(root, 'scripts/vendor-templates.mjs'))) run(process.execPath, [join(root, 'scripts/vendor-templates.mjs')]);
