// Issues 2 and 12: does framesmith show, render and refuse what HeyGen's engine does? Runs the
// parity harness (bench/parity) on the templates, the test fixtures and the corpus of official
// examples (BENCH_PARITY_SETS=templates,parity narrows it), prints per composition the frames
// compared, min and median PSNR and both verdicts, writes the markdown report to
// bench-out/parity/report.md, and measures what getting the engine's frames costs: its PNG-sequence
// render per frame and per render, against its `snapshot` stills. Skipped when the official
// engine is not on this machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ENGINE_VERSION,
  engineRender,
  engineSnapshot,
  findOfficialEngine,
  listCompositions,
  runParity,
  writeReport,
} from './parity/index.mjs';

export const title = 'parity with the official engine (issues 2 and 12)';

const db = (v) => (v === null ? null : v === Infinity ? 999 : v);

export async function run({ root, figure, log }) {
  const engine = findOfficialEngine({ root });
  if (!engine.tool || !engine.installed) return log(`official engine not available: ${engine.reason}; skipped`);
  const tool = engine.tool;

  // What the engine's frames cost, on one 10 s composition (300 frames at 30 fps).
  const work = mkdtempSync(join(tmpdir(), 'framesmith-parity-bench-'));
  try {
    const [template] = listCompositions({ root, sets: ['templates'], only: ['title-card'] });
    const copy = (name) => template.prepare(join(work, name));
    const full = await engineRender(tool, copy('full'), { outDir: join(work, 'full-out'), keep: [] });
    const one = await engineRender(tool, copy('one'), { outDir: join(work, 'one-out'), keep: [], fps: 1 });
    const perFrame = (full.ms - one.ms) / Math.max(1, full.frameCount - one.frameCount);
    figure('parity', `engine PNG-sequence render, ${full.frameCount} frames`, full.ms / 1000, 's wall');
    if (full.cpuMs !== null) figure('parity', `engine PNG-sequence render, ${full.frameCount} frames, CPU`, full.cpuMs / 1000, 's');
    figure('parity', 'engine render: fixed cost (same render at 1 fps)', one.ms / 1000, 's wall');
    figure('parity', 'engine render: per frame', perFrame, 'ms wall');
    const times = Array.from({ length: 12 }, (_, i) => (i * (full.duration ?? 6)) / 12);
    const snap = await engineSnapshot(tool, copy('snap'), times, { outDir: join(work, 'snap-out') });
    figure('parity', `engine snapshot, ${times.length} stills (its preview path)`, snap.ms / 1000, 's wall');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const sets = (process.env.BENCH_PARITY_SETS ?? 'templates,fixtures,parity,corpus').split(',');
  const compositions = listCompositions({ root, sets });
  const outDir = join(root, 'bench-out', 'parity');
  const started = performance.now();
  const results = await runParity({ root, tool, compositions, outDir });
  for (const r of results) {
    if (r.error) {
      log(`${r.set}/${r.name}: harness error: ${r.error.split('\n')[0]}`);
      continue;
    }
    const verdict = `${r.framesmith.refused ? `framesmith refuses (${r.framesmith.code})` : 'framesmith renders'}, ${r.engine.refused ? `engine refuses (${r.engine.code})` : 'engine renders'}`;
    if (r.min === null) log(`${r.set}/${r.name}: ${verdict}`);
    else {
      figure('parity', `${r.set}/${r.name} min PSNR (${r.compared} frames; ${verdict})`, db(r.min), 'dB', '>= 35 dB');
      figure('parity', `${r.set}/${r.name} median PSNR`, db(r.median), 'dB');
    }
  }
  const agree = results.filter((r) => !r.error && r.refusalAgrees).length;
  figure('parity', 'compositions whose verdicts agree', `${agree}/${results.length}`, '');
  const file = writeReport(results, { outDir, engineVersion: ENGINE_VERSION, elapsedMs: performance.now() - started });
  log(`report: ${file}`);
}
