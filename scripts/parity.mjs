// `npm run parity [-- options] [names...]`: compares framesmith with the official HyperFrames
// engine on the templates, the test fixtures and the corpus, and writes a markdown report to
// bench-out/parity/report.md. Names filter the compositions (substring, `set/name` or a set).
//   --sets templates,fixtures,parity,corpus   which sets (default: all)
//   --engine-runs 2                           render twice with the engine (its own determinism)
//   --check-snapshot                          also compare the engine's snapshot stills with its render
//   --out DIR                                 report folder (default bench-out/parity)
//   --keep                                    keep the copies and all frames (under DIR/work)
//   --corpus-video                            corpus: every frame of the engine's video at a low fps
//                                             (what the tests do; minutes instead of most of an hour)
// Takes the machine's heavy lock when run by hand: flock /tmp/framesmith-heavy.lock npm run parity
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ENGINE_VERSION, findOfficialEngine, listCompositions, runParity, writeReport } from '../bench/parity/index.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    sets: { type: 'string', default: 'templates,fixtures,parity,corpus' },
    'engine-runs': { type: 'string', default: '1' },
    'check-snapshot': { type: 'boolean', default: false },
    out: { type: 'string', default: join(root, 'bench-out', 'parity') },
    keep: { type: 'boolean', default: false },
    'corpus-video': { type: 'boolean', default: false },
  },
});
if (!existsSync(join(root, 'dist', 'node', 'cli.js'))) {
  console.error('framesmith is not built: run `npm run build` first.');
  process.exit(1);
}
const engine = findOfficialEngine({ root });
if (!engine.tool) {
  console.error(`parity: the official engine is not available: ${engine.reason}`);
  process.exit(1);
}
const compositions = listCompositions({ root, sets: values.sets.split(','), only: positionals });
if (!compositions.length) {
  console.error('parity: no composition matches.');
  process.exit(1);
}
const outDir = resolve(values.out);
let rev = '';
try {
  rev = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
} catch {}
const started = performance.now();
console.log(`parity: ${compositions.length} compositions, engine ${ENGINE_VERSION} (${engine.tool}), report in ${outDir}`);
const results = await runParity({
  root,
  tool: engine.tool,
  compositions,
  outDir,
  engineRuns: values['engine-runs'] === '2' ? 2 : 1,
  checkSnapshot: values['check-snapshot'],
  keepWork: values.keep,
  corpusVideo: values['corpus-video'],
  log: (line) => console.log(`  ${line}`),
});
const file = writeReport(results, { outDir, engineVersion: ENGINE_VERSION, framesmithRev: rev, elapsedMs: performance.now() - started });
console.log(`parity: report written to ${file}`);
