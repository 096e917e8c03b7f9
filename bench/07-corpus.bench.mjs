// `npm run bench -- corpus`: the official HyperFrames examples, per example: PSNR min/median of
// framesmith against the official engine on the vendored copy (frames sampled across the whole
// clip), the min PSNR of what the author sees (snapshot stills, dev preview) against the engine's
// frames at a few sampled times, framesmith's render time (original and vendored, at the sampling
// fps), the network requests of the vendored render (offline, empty cache), and the official
// render's time.
// The work is bench/corpus/lib.mjs, shared with test/e2e/corpus.test.ts.
import { checkExample, cleanup, findCorpus, findOfficialEngine, listExamples, MIN_PSNR } from './corpus/lib.mjs';

export const title = 'corpus: official HyperFrames examples vs the official engine';

/** A seen path's cell: its min PSNR against the engine, or why there is none. */
function seenCell(side) {
  if (!side) return '—';
  if (side.error) return 'failed';
  return Number.isFinite(side.min) ? side.min.toFixed(1) : '∞';
}

export async function run(ctx) {
  const corpus = findCorpus(ctx.root);
  const engine = findOfficialEngine(ctx.root);
  if (!corpus || !engine) {
    ctx.log(`skipped: ${!corpus ? 'no corpus (FRAMESMITH_CORPUS)' : 'no official engine (FRAMESMITH_OFFICIAL_ENGINE)'}`);
    return;
  }
  const only = (process.env.FRAMESMITH_CORPUS_ONLY ?? '').split(',').filter(Boolean);
  const rows = [];
  for (const name of listExamples(corpus).filter((n) => !only.length || only.includes(n))) {
    const r = await checkExample({ root: ctx.root, corpus, engine, name, dev: false });
    const db = (v) => (v === undefined || v === null ? '—' : Number.isFinite(v) ? v.toFixed(1) : '∞');
    rows.push([
      name,
      `${r.duration ?? '?'} s @ ${r.fps} fps`,
      r.psnr ? `${db(r.psnr.min)} / ${db(r.psnr.median)}` : r.official.ok ? 'no stills' : 'engine refused',
      seenCell(r.seen?.snapshot),
      seenCell(r.seen?.preview),
      r.render.ok ? `${(r.render.ms / 1000).toFixed(1)} s` : 'failed',
      r.vendoredRender.ok ? `${(r.vendoredRender.ms / 1000).toFixed(1)} s` : 'failed',
      String(r.vendoredRender.requests ?? '—'),
      `${(r.official.ms / 1000).toFixed(1)} s`,
    ]);
    ctx.figure('corpus', `${name} PSNR min`, r.psnr?.min ?? 0, 'dB', `≥ ${MIN_PSNR}`);
    ctx.figure('corpus', `${name} PSNR median`, r.psnr?.median ?? 0, 'dB');
    ctx.figure('corpus', `${name} snapshot vs engine PSNR min`, r.seen?.snapshot?.min ?? 0, 'dB', `≥ ${MIN_PSNR}`);
    ctx.figure('corpus', `${name} preview vs engine PSNR min`, r.seen?.preview?.min ?? 0, 'dB', `≥ ${MIN_PSNR}`);
    ctx.figure('corpus', `${name} render (vendored)`, (r.vendoredRender.ms ?? 0) / 1000, 's');
    ctx.figure('corpus', `${name} network requests (vendored)`, r.vendoredRender.requests ?? -1, '', '0');
    cleanup(r.work);
  }
  const header = [
    'example',
    'clip @ sampled',
    'PSNR min / median dB',
    'snapshot min dB',
    'preview min dB',
    'render original',
    'render vendored',
    'network requests',
    'official render',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  ctx.log('');
  ctx.log(line(header));
  ctx.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) ctx.log(line(r));
}
